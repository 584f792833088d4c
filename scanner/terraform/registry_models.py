"""Built-in models of popular terraform-aws-modules registry modules.

remit never fetches a module (DESIGN.md, invariant 5). A call to a remote module is
otherwise reported as not resolved and its resources go unchecked; for the few
modules below, whose inputs and defaults are documented, remit instead synthesizes
the resources the module would create, with the attributes the rules read:

- terraform-aws-modules/s3-bucket/aws: the bucket, its public access block,
  versioning, access logging, server-side encryption and (with `attach_policy`)
  its policy;
- terraform-aws-modules/rds/aws: the DB instance;
- terraform-aws-modules/vpc/aws: the VPC, its flow log and its public subnets;
- terraform-aws-modules/security-group/aws: the group and its ingress rules given
  with `ingress_rules`/`ingress_cidr_blocks` and `ingress_with_cidr_blocks`;
- terraform-aws-modules/sqs/aws: the queue;
- terraform-aws-modules/elb/aws: the Classic Load Balancer;
- terraform-aws-modules/autoscaling/aws: the launch configuration (releases before 5.0.0)
  and the launch template (4.0.0 on), with their block devices and public IP settings.

An attribute comes from the call's argument when it is given (its span is the
argument's) or from the module's documented default for the version asked for (its
span is the module block's first line). A module default of null leaves the
attribute out, so the provider's default applies as for any resource. Defaults that
changed between releases are recorded per release range ("era"); Terraform installs
the newest release that meets the `version` constraint, so the newest era the
constraint allows is used. An input remit cannot evaluate stays Unknown. Only what
the rules read is modelled; everything else the module creates is left out.

The facts (input names, defaults, named rules) come from the modules' documentation
and variables; the model is remit's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.terraform.evaluate import refs_of
from scanner.values import Node, Unknown, node_from_plain

Version = tuple[int, int, int]


@dataclass
class ModelledResource(Resource):
    """A resource synthesized from a built-in module model; `model` says which, for messages."""

    model: str = ""


# ----------------------------------------------------------------------------- sources

_REGISTRY = re.compile(r"^(?:registry\.terraform\.io/)?terraform-aws-modules/([a-z0-9-]+)/aws$")
_GITHUB = re.compile(
    r"^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]terraform-aws-modules/"
    r"terraform-aws-([a-z0-9-]+?)(?:\.git)?(?:\?ref=([^&]+))?$")


def parse_source(source: str) -> tuple[str, str | None] | None:
    """(module name, git ref or None) for a terraform-aws-modules source; None otherwise.

    A sub-module (`//modules/http-80`) is not the modelled module: None.
    """
    source = source.strip()
    m = _REGISTRY.match(source)
    if m:
        return m.group(1), None
    m = _GITHUB.match(source)
    if m:
        return m.group(1), m.group(2)
    return None


# ----------------------------------------------------------------------------- versions

_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$")
_CONSTRAINT = re.compile(r"^(~>|>=|<=|!=|=|>|<)?\s*(\S+)$")
_INFINITY: Version = (10**9, 0, 0)


def _parse(text: str) -> tuple[Version, int] | None:
    """A version and how many of its parts were written."""
    m = _VERSION.match(text.strip())
    if not m:
        return None
    parts = [p for p in m.groups() if p is not None]
    nums = [int(p) for p in parts] + [0] * (3 - len(parts))
    return (nums[0], nums[1], nums[2]), len(parts)


def _bump(v: Version, part: int) -> Version:
    if part == 0:
        return (v[0] + 1, 0, 0)
    if part == 1:
        return (v[0], v[1] + 1, 0)
    return (v[0], v[1], v[2] + 1)


def allowed_range(constraint: str) -> tuple[Version, Version] | None:
    """The versions a constraint allows, as [low, high); None when it cannot be read.
    `!=` excludes single releases and is ignored here."""
    low: Version = (0, 0, 0)
    high: Version = _INFINITY
    for item in constraint.split(","):
        item = item.strip()
        if not item:
            continue
        m = _CONSTRAINT.match(item)
        if not m:
            return None
        op, found = m.group(1) or "=", _parse(m.group(2))
        if found is None:
            return None
        v, written = found
        if op == "=":
            low, high = max(low, v), min(high, _bump(v, 2))
        elif op == ">=":
            low = max(low, v)
        elif op == ">":
            low = max(low, _bump(v, 2))
        elif op == "<":
            high = min(high, v)
        elif op == "<=":
            high = min(high, _bump(v, 2))
        elif op == "~>":  # the rightmost written part may grow
            low, high = max(low, v), min(high, _bump(v, max(written - 2, 0)))
    return low, high


# ----------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Era:
    """Releases from `since` up to the next era's, and the input defaults they share."""

    since: Version
    label: str
    defaults: Mapping[str, Any]


@dataclass
class Synth:
    """One resource a model creates: its address inside the module and its attributes."""

    type: str
    local: str  # address inside the module instance: `aws_s3_bucket.this[0]`
    body: dict[str, Node]
    refs: list[tuple[str, str]] = field(default_factory=list)  # (local address, attribute)


class Inputs:
    """A module call's arguments, with the model's defaults at the module block's first line."""

    def __init__(self, given: Mapping[str, Node], head: Span, defaults: Mapping[str, Any]) -> None:
        self.given = given
        self.head = head
        self.defaults = defaults

    def get(self, name: str) -> Node | None:
        """The argument, or the module's default (None when the default is null)."""
        node = self.given.get(name)
        if node is not None and node.value is not None:
            return node
        default = self.defaults.get(name)
        if default is None:
            return None
        return _plain(default, self.head)

    def flag(self, name: str) -> bool | Unknown:
        node = self.get(name)
        value = node.value if node is not None else None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, Unknown):
            return value
        return Unknown(f"{name} is not a boolean")

    def copy(self, body: dict[str, Node], *names: str) -> None:
        """Each input that is set (or has a non-null default) as the attribute of that name."""
        for name in names:
            node = self.get(name)
            if node is not None:
                body[name] = node

    def mapping(self, name: str) -> Node | None:
        """A map input (`versioning = {...}`, or written as a block): None when empty or absent."""
        node = self.get(name)
        if node is None:
            return None
        if isinstance(node.value, list):  # a block written in the call: read as the map
            node = node.value[0] if len(node.value) == 1 else Node(Unknown(
                f"{name} given more than once"), node.span)
        if isinstance(node.value, dict) and not node.value:
            return None
        return node


@dataclass(frozen=True)
class Model:
    address: str  # "terraform-aws-modules/s3-bucket/aws"
    eras: tuple[Era, ...]  # oldest first
    build: Callable[[Inputs], list[Synth]]
    outputs: Mapping[str, str]  # output name -> local address of the resource it names
    covers: str  # for the diagnostic: what is modelled


def _plain(value: Any, span: Span) -> Node:
    if isinstance(value, dict):
        return Node({k: _plain(v, span) for k, v in value.items()}, span)
    if isinstance(value, (list, tuple)):
        return Node([_plain(v, span) for v in value], span)
    return Node(value, span)


def _ref(local: str, span: Span) -> Node:
    return Node(Unknown(f"{local} is known only after apply", (local,)), span)


# --- s3-bucket ----------------------------------------------------------------

_PAB = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def _s3_bucket(inputs: Inputs) -> list[Synth]:
    create = inputs.flag("create_bucket")
    if create is False:
        return []
    bucket = "aws_s3_bucket.this[0]"
    body: dict[str, Node] = {}
    inputs.copy(body, "bucket", "bucket_prefix", "force_destroy", "object_lock_enabled", "acl")
    out = [Synth("aws_s3_bucket", bucket, body)]

    def attached(kind: str, local: str, attrs: dict[str, Node]) -> None:
        attrs["bucket"] = _ref(bucket, inputs.head)
        out.append(Synth(kind, local, attrs, [(bucket, "bucket")]))

    attach = inputs.flag("attach_public_policy")
    if attach is not False:
        pab: dict[str, Node] = {}
        for name in _PAB:
            node = inputs.get(name)
            if isinstance(attach, Unknown):  # the block may not exist: its settings are not known
                node = Node(Unknown("attach_public_policy is not known", attach.refs), inputs.head)
            if node is not None:
                pab[name] = node
        attached("aws_s3_bucket_public_access_block", "aws_s3_bucket_public_access_block.this[0]", pab)

    versioning = inputs.mapping("versioning")
    if versioning is not None:
        attached("aws_s3_bucket_versioning", "aws_s3_bucket_versioning.this[0]",
                 {"versioning_configuration": Node({"status": _versioning_status(versioning)},
                                                   versioning.span)})

    logging = inputs.mapping("logging")
    if logging is not None:
        attrs = {k: v for k, v in logging.items() if k in ("target_bucket", "target_prefix")}
        if isinstance(logging.value, Unknown):
            attrs["target_bucket"] = logging
        attached("aws_s3_bucket_logging", "aws_s3_bucket_logging.this[0]", attrs)

    sse = inputs.mapping("server_side_encryption_configuration")
    if sse is not None:
        rule = sse.get("rule") if isinstance(sse.value, dict) else sse
        attached("aws_s3_bucket_server_side_encryption_configuration",
                 "aws_s3_bucket_server_side_encryption_configuration.this[0]",
                 {"rule": rule if rule is not None else Node(Unknown("no rule given"), sse.span)})

    policy = inputs.get("policy")
    if inputs.flag("attach_policy") is not False and policy is not None:
        attached("aws_s3_bucket_policy", "aws_s3_bucket_policy.this[0]", {"policy": policy})
    deny = inputs.flag("attach_deny_insecure_transport_policy")
    if deny is not False:
        # The module adds a statement denying every request not made over TLS. It merges
        # all its statements into one policy; the deny is modelled as a policy of its own.
        attached("aws_s3_bucket_policy", "aws_s3_bucket_policy.deny_insecure_transport",
                 {"policy": _deny_insecure_transport(inputs.head, deny)})
    return out


def _deny_insecure_transport(at: Span, flag: bool | Unknown) -> Node:
    if isinstance(flag, Unknown):
        return Node(Unknown("attach_deny_insecure_transport_policy is not known", flag.refs), at)
    statement = {
        "Sid": "denyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return node_from_plain({"Version": "2012-10-17", "Statement": [statement]}, at)


def _versioning_status(versioning: Node) -> Node:
    """The module's status: from `enabled`, else from `status` (a boolean or a word)."""
    if isinstance(versioning.value, Unknown):
        return versioning
    enabled = versioning.get("enabled")
    status = versioning.get("status")
    for node in (enabled, status):
        if node is None:
            continue
        v = node.value
        if isinstance(v, Unknown):
            return node
        if isinstance(v, bool) or (isinstance(v, str) and v.lower() in ("true", "false")):
            on = v if isinstance(v, bool) else v.lower() == "true"
            return Node("Enabled" if on else "Suspended", node.span, node.provenance)
        if node is status and isinstance(v, str):
            return Node(v.strip().title(), node.span, node.provenance)
    # Neither key: the module's own fallback differs between releases (an error or "Enabled").
    return Node(Unknown("versioning sets neither enabled nor status"), versioning.span)


# --- rds --------------------------------------------------------------------------

_RDS_COPIED = ("identifier", "engine", "engine_version", "instance_class", "storage_type",
               "storage_encrypted", "kms_key_id", "publicly_accessible", "backup_retention_period",
               "deletion_protection", "auto_minor_version_upgrade", "multi_az",
               "iam_database_authentication_enabled", "replicate_source_db", "snapshot_identifier",
               "restore_to_point_in_time", "ca_cert_identifier", "enabled_cloudwatch_logs_exports",
               "monitoring_interval", "performance_insights_enabled", "copy_tags_to_snapshot",
               "skip_final_snapshot", "port")


def _rds(inputs: Inputs) -> list[Synth]:
    if inputs.flag("create_db_instance") is False:
        return []
    body: dict[str, Node] = {}
    inputs.copy(body, *_RDS_COPIED)
    return [Synth("aws_db_instance", "module.db_instance.aws_db_instance.this[0]", body)]


# --- vpc --------------------------------------------------------------------------


def _vpc(inputs: Inputs) -> list[Synth]:
    if inputs.flag("create_vpc") is False:
        return []
    vpc = "aws_vpc.this[0]"
    body: dict[str, Node] = {}
    inputs.copy(body, "cidr_block", "enable_dns_hostnames", "enable_dns_support")
    cidr = inputs.get("cidr")
    if cidr is not None:
        body["cidr_block"] = cidr
    out = [Synth("aws_vpc", vpc, body)]
    enabled = inputs.flag("enable_flow_log")
    if enabled is not False:
        flow: dict[str, Node] = {"vpc_id": _ref(vpc, inputs.head)}
        refs = [(vpc, "vpc_id")]
        if isinstance(enabled, Unknown):  # it may not exist: attach to no known VPC
            flow["vpc_id"] = Node(Unknown("enable_flow_log is not known"), inputs.head)
            refs = []
        inputs.copy(flow, "flow_log_traffic_type")
        out.append(Synth("aws_flow_log", "aws_flow_log.this[0]", flow, refs))
    public = inputs.get("public_subnets")
    if public is not None and isinstance(public.value, list):
        for i, cidr in enumerate(public.value):
            subnet: dict[str, Node] = {"cidr_block": cidr, "vpc_id": _ref(vpc, inputs.head)}
            inputs.copy(subnet, "map_public_ip_on_launch")
            out.append(Synth("aws_subnet", f"aws_subnet.public[{i}]", subnet, [(vpc, "vpc_id")]))
    return out


# --- security-group ---------------------------------------------------------------

# Named rules of the module (rules.tf): name -> (from_port, to_port, protocol). The subset
# that rules about exposed ports can tell apart; any other name leaves the rule Unknown.
SECURITY_GROUP_RULES: Mapping[str, tuple[int, int, str]] = {
    "all-all": (-1, -1, "-1"), "all-tcp": (0, 65535, "tcp"), "all-udp": (0, 65535, "udp"),
    "all-icmp": (-1, -1, "icmp"), "all-ipv6-icmp": (-1, -1, "58"),
    "ssh-tcp": (22, 22, "tcp"), "rdp-tcp": (3389, 3389, "tcp"), "rdp-udp": (3389, 3389, "udp"),
    "http-80-tcp": (80, 80, "tcp"), "http-8080-tcp": (8080, 8080, "tcp"),
    "https-443-tcp": (443, 443, "tcp"), "https-8443-tcp": (8443, 8443, "tcp"),
    "dns-tcp": (53, 53, "tcp"), "dns-udp": (53, 53, "udp"), "ntp-udp": (123, 123, "udp"),
    "smtp-tcp": (25, 25, "tcp"), "ldap-tcp": (389, 389, "tcp"), "ldaps-tcp": (636, 636, "tcp"),
    "nfs-tcp": (2049, 2049, "tcp"), "mysql-tcp": (3306, 3306, "tcp"),
    "postgresql-tcp": (5432, 5432, "tcp"), "mssql-tcp": (1433, 1433, "tcp"),
    "mssql-udp": (1434, 1434, "udp"), "oracle-db-tcp": (1521, 1521, "tcp"),
    "redis-tcp": (6379, 6379, "tcp"), "memcached-tcp": (11211, 11211, "tcp"),
    "mongodb-27017-tcp": (27017, 27017, "tcp"), "mongodb-27018-tcp": (27018, 27018, "tcp"),
    "mongodb-27019-tcp": (27019, 27019, "tcp"), "redshift-tcp": (5439, 5439, "tcp"),
    "cassandra-clients-tcp": (9042, 9042, "tcp"), "elasticsearch-rest-tcp": (9200, 9200, "tcp"),
    "elasticsearch-java-tcp": (9300, 9300, "tcp"), "kibana-tcp": (5601, 5601, "tcp"),
    "kafka-broker-tcp": (9092, 9092, "tcp"), "zookeeper-2181-tcp": (2181, 2181, "tcp"),
    "winrm-http-tcp": (5985, 5985, "tcp"), "winrm-https-tcp": (5986, 5986, "tcp"),
    "web-jmx-tcp": (1099, 1099, "tcp"), "kubernetes-api-tcp": (6443, 6443, "tcp"),
    "etcd-client-tcp": (2379, 2379, "tcp"), "vault-tcp": (8200, 8200, "tcp"),
    "consul-tcp": (8300, 8300, "tcp"), "grafana-tcp": (3000, 3000, "tcp"),
    "prometheus-http-tcp": (9090, 9090, "tcp"), "squid-proxy-tcp": (3128, 3128, "tcp"),
    "openvpn-udp": (1194, 1194, "udp"), "openvpn-tcp": (943, 943, "tcp"),
}


def _named_rule(name: Node, body: dict[str, Node]) -> None:
    """from_port, to_port and protocol of a named rule, at the name's span."""
    known = SECURITY_GROUP_RULES.get(name.value) if isinstance(name.value, str) else None
    for i, key in enumerate(("from_port", "to_port", "protocol")):
        if key in body:
            continue
        if known is None:
            why = (name.value if isinstance(name.value, Unknown)
                   else Unknown(f"named rule {name.value!r} is not in remit's table"))
            body[key] = Node(why, name.span)
        else:
            body[key] = Node(known[i], name.span, name.provenance)


def _security_group(inputs: Inputs) -> list[Synth]:
    if inputs.flag("create") is False or inputs.flag("create_sg") is False:
        return []
    prefix = inputs.flag("use_name_prefix")
    group = "aws_security_group.this[0]" if prefix is False else "aws_security_group.this_name_prefix[0]"
    body: dict[str, Node] = {}
    inputs.copy(body, "name", "description", "vpc_id")
    out = [Synth("aws_security_group", group, body)]

    def rule(local: str, attrs: dict[str, Node]) -> None:
        attrs["type"] = Node("ingress", inputs.head)
        attrs["security_group_id"] = _ref(group, inputs.head)
        out.append(Synth("aws_security_group_rule", local, attrs, [(group, "security_group_id")]))

    cidrs = inputs.get("ingress_cidr_blocks")
    ipv6 = inputs.get("ingress_ipv6_cidr_blocks")
    names = inputs.get("ingress_rules")
    if names is not None and isinstance(names.value, Unknown):
        rule("aws_security_group_rule.ingress_rules", _unknown_rule(names))
    elif names is not None and isinstance(names.value, list):
        for i, name in enumerate(names.value):
            attrs: dict[str, Node] = {}
            if cidrs is not None:
                attrs["cidr_blocks"] = cidrs
            if ipv6 is not None:
                attrs["ipv6_cidr_blocks"] = ipv6
            _named_rule(name, attrs)
            rule(f"aws_security_group_rule.ingress_rules[{i}]", attrs)

    items = inputs.get("ingress_with_cidr_blocks")
    if items is not None and isinstance(items.value, Unknown):
        rule("aws_security_group_rule.ingress_with_cidr_blocks", _unknown_rule(items))
    elif items is not None and isinstance(items.value, list):
        for i, item in enumerate(items.value):
            attrs = {}
            if isinstance(item.value, dict):
                for key in ("from_port", "to_port", "protocol"):
                    if item.get(key) is not None:
                        attrs[key] = item.value[key]
                given = item.get("cidr_blocks")
                if given is not None:
                    attrs["cidr_blocks"] = _split_cidrs(given)
                elif cidrs is not None:
                    attrs["cidr_blocks"] = cidrs
                name = item.get("rule")
                if name is not None:
                    _named_rule(name, attrs)
            else:
                attrs = _unknown_rule(item)
            rule(f"aws_security_group_rule.ingress_with_cidr_blocks[{i}]", attrs)

    for name in ("computed_ingress_rules", "computed_ingress_with_cidr_blocks"):
        node = inputs.given.get(name)
        if node is not None:  # rules whose values are known only after apply
            rule(f"aws_security_group_rule.{name}", _unknown_rule(node))
    return out


def _split_cidrs(node: Node) -> Node:
    """The module takes a rule's cidr_blocks as one comma-separated string."""
    if isinstance(node.value, str):
        return Node([Node(p.strip(), node.span, node.provenance) for p in node.value.split(",")],
                    node.span, node.provenance)
    return node


def _unknown_rule(node: Node) -> dict[str, Node]:
    why = Unknown("the module's rule is not known statically", refs_of(node))
    return {k: Node(why, node.span) for k in ("from_port", "to_port", "protocol", "cidr_blocks")}


# --- sqs --------------------------------------------------------------------------


def _sqs(inputs: Inputs) -> list[Synth]:
    if inputs.flag("create") is False:
        return []
    body: dict[str, Node] = {}
    inputs.copy(body, "name", "kms_master_key_id", "sqs_managed_sse_enabled", "policy")
    return [Synth("aws_sqs_queue", "aws_sqs_queue.this[0]", body)]


# --- elb --------------------------------------------------------------------------


def _elb(inputs: Inputs) -> list[Synth]:
    if inputs.flag("create_elb") is False:
        return []
    body: dict[str, Node] = {}
    inputs.copy(body, "name", "internal", "listener", "subnets", "security_groups")
    logs = inputs.mapping("access_logs")
    if logs is not None:
        if isinstance(logs.value, dict):
            # The module's access_logs block: `enabled` defaults to true when left out.
            entry = dict(logs.value)
            entry.setdefault("enabled", Node(True, logs.span))
            logs = Node(entry, logs.span, logs.provenance)
        body["access_logs"] = logs
    return [Synth("aws_elb", "module.elb.aws_elb.this[0]", body)]


# --- autoscaling ------------------------------------------------------------------

# The inputs the rules read (volume encryption, public IP addresses), by resource. The module
# passes each through to the attribute of the same name: list items become the resource's
# blocks, and keys left out of an item become null. The Auto Scaling group itself, metadata
# options, user data and the rest are not read by any rule and are not modelled.
_LC_READ = ("root_block_device", "ebs_block_device", "associate_public_ip_address")
_LT_READ = ("block_device_mappings", "network_interfaces")


def _autoscaling(inputs: Inputs) -> list[Synth]:
    """The launch configuration and/or launch template the call creates.

    Which of the two a release can create shows in its toggles: `create_lc` (before 5.0.0;
    on by default before 4.0.0, off from 4.0.0), `create_lt` (4.x, off by default) and
    `create_launch_template` (5.0.0 on, on by default). `use_lc`/`use_lt` only choose what
    the group launches from, not what is created.
    """
    out: list[Synth] = []
    if "create_lc" in inputs.defaults:
        out += _launch_resource(inputs, "create_lc", "aws_launch_configuration", _LC_READ)
    for toggle in ("create_lt", "create_launch_template"):
        if toggle in inputs.defaults:
            out += _launch_resource(inputs, toggle, "aws_launch_template", _LT_READ)
    return out


def _launch_resource(inputs: Inputs, toggle: str, kind: str, names: tuple[str, ...]) -> list[Synth]:
    create = inputs.flag(toggle)
    if create is False:
        return []
    body: dict[str, Node] = {}
    inputs.copy(body, *names)
    if isinstance(create, Unknown):  # it may not exist: what it sets is not known either
        why = Unknown(f"{toggle} is not known", create.refs)
        body = {name: Node(why, inputs.head) for name in names}
    return [Synth(kind, f"{kind}.this[0]", body)]


# --- the table ----------------------------------------------------------------------

MODELS: Mapping[str, Model] = {
    "s3-bucket": Model(
        "terraform-aws-modules/s3-bucket/aws",
        (
            # Before 3.9.0 the four public access block settings defaulted to false.
            Era((0, 0, 0), "< 3.9.0", {"create_bucket": True, "attach_public_policy": True,
                                         "attach_policy": False, "attach_deny_insecure_transport_policy": False,
                                         **dict.fromkeys(_PAB, False)}),
            # 3.9.0 (April 2023): "Updated S3 Bucket Block Public Access ... defaults".
            Era((3, 9, 0), ">= 3.9.0", {"create_bucket": True, "attach_public_policy": True,
                                      "attach_policy": False, "attach_deny_insecure_transport_policy": False,
                                      **dict.fromkeys(_PAB, True)}),
        ),
        _s3_bucket,
        {"s3_bucket_id": "aws_s3_bucket.this[0]", "s3_bucket_arn": "aws_s3_bucket.this[0]",
         "s3_bucket_bucket_domain_name": "aws_s3_bucket.this[0]"},
        "the bucket, its public access block, versioning, logging, encryption and policy",
    ),
    "rds": Model(
        "terraform-aws-modules/rds/aws",
        (
            Era((0, 0, 0), "< 4.0.0", {"create_db_instance": True, "storage_encrypted": False,
                                       "publicly_accessible": False, "deletion_protection": False,
                                       "auto_minor_version_upgrade": True}),
            # 4.0.0 (December 2021) encrypts storage by default.
            Era((4, 0, 0), ">= 4.0.0", {"create_db_instance": True, "storage_encrypted": True,
                                      "publicly_accessible": False, "deletion_protection": False,
                                      "auto_minor_version_upgrade": True}),
        ),
        _rds,
        {"db_instance_id": "module.db_instance.aws_db_instance.this[0]",
         "db_instance_arn": "module.db_instance.aws_db_instance.this[0]",
         "db_instance_address": "module.db_instance.aws_db_instance.this[0]",
         "db_instance_endpoint": "module.db_instance.aws_db_instance.this[0]",
         "db_instance_identifier": "module.db_instance.aws_db_instance.this[0]"},
        "the DB instance",
    ),
    "vpc": Model(
        "terraform-aws-modules/vpc/aws",
        (
            Era((0, 0, 0), "< 4.0.0", {"create_vpc": True, "enable_flow_log": False,
                                       "map_public_ip_on_launch": True}),
            # 4.0.0: "map_public_ip_on_launch now defaults to false" (UPGRADE-4.0.md).
            Era((4, 0, 0), ">= 4.0.0", {"create_vpc": True, "enable_flow_log": False,
                                        "map_public_ip_on_launch": False}),
        ),
        _vpc,
        {"vpc_id": "aws_vpc.this[0]", "vpc_arn": "aws_vpc.this[0]"},
        "the VPC, its flow log and its public subnets (not its network ACLs)",
    ),
    "security-group": Model(
        "terraform-aws-modules/security-group/aws",
        (Era((0, 0, 0), "(all releases)", {"create": True, "create_sg": True, "use_name_prefix": True,
                                         "ingress_cidr_blocks": [], "ingress_rules": [],
                                         "ingress_with_cidr_blocks": []}),),
        _security_group,
        {"security_group_id": "<group>", "this_security_group_id": "<group>"},
        "the group and its ingress rules (ingress_rules, ingress_with_cidr_blocks); egress not modelled",
    ),
    "sqs": Model(
        "terraform-aws-modules/sqs/aws",
        (Era((0, 0, 0), "(all releases)", {"create": True}),),
        _sqs,
        {"queue_id": "aws_sqs_queue.this[0]", "queue_arn": "aws_sqs_queue.this[0]",
         "sqs_queue_id": "aws_sqs_queue.this[0]", "sqs_queue_arn": "aws_sqs_queue.this[0]",
         "this_sqs_queue_id": "aws_sqs_queue.this[0]", "this_sqs_queue_arn": "aws_sqs_queue.this[0]"},
        "the queue",
    ),
    "elb": Model(
        "terraform-aws-modules/elb/aws",
        (Era((0, 0, 0), "(all releases)", {"create_elb": True}),),
        _elb,
        {"elb_id": "module.elb.aws_elb.this[0]", "elb_arn": "module.elb.aws_elb.this[0]",
         "elb_name": "module.elb.aws_elb.this[0]", "elb_dns_name": "module.elb.aws_elb.this[0]",
         "this_elb_id": "module.elb.aws_elb.this[0]"},
        "the load balancer",
    ),
    "autoscaling": Model(
        "terraform-aws-modules/autoscaling/aws",
        (
            Era((0, 0, 0), "< 4.0.0", {"create_lc": True, "associate_public_ip_address": False}),
            # 4.0.0 added launch templates and made both resources opt-in (UPGRADE-4.0.md).
            Era((4, 0, 0), "4.x", {"create_lc": False, "create_lt": False}),
            # 5.0.0 removed launch configurations; the template is created by default
            # (UPGRADE-5.0.md).
            Era((5, 0, 0), ">= 5.0.0", {"create_launch_template": True}),
        ),
        _autoscaling,
        {"this_launch_configuration_id": "aws_launch_configuration.this[0]",
         "this_launch_configuration_name": "aws_launch_configuration.this[0]",
         "launch_configuration_id": "aws_launch_configuration.this[0]",
         "launch_configuration_arn": "aws_launch_configuration.this[0]",
         "launch_configuration_name": "aws_launch_configuration.this[0]",
         "launch_template_id": "aws_launch_template.this[0]",
         "launch_template_arn": "aws_launch_template.this[0]",
         "launch_template_name": "aws_launch_template.this[0]",
         "launch_template_latest_version": "aws_launch_template.this[0]"},
        "the launch configuration or launch template: its block devices and public IP settings "
        "(not the Auto Scaling group, metadata options or user data)",
    ),
}


def choose_era(model: Model, constraint: str | None) -> tuple[Era, str]:
    """The era Terraform would install from, and a remark when it had to be assumed."""
    newest = model.eras[-1]
    if constraint is None:
        return newest, f"no version constraint: Terraform installs the newest release; the " \
                       f"model of {newest.label} is used"
    allowed = allowed_range(constraint)
    if allowed is None:
        return newest, f"version {constraint!r} is not understood; the newest model " \
                       f"({newest.label}) is used"
    low, high = allowed
    for i in range(len(model.eras) - 1, -1, -1):
        era = model.eras[i]
        end = model.eras[i + 1].since if i + 1 < len(model.eras) else _INFINITY
        if era.since < high and low < end and low < high:
            return era, ""
    return newest, f"version {constraint!r} matches no modelled release; the newest model " \
                   f"({newest.label}) is used"


# ----------------------------------------------------------------------------- the hook


@dataclass
class Modelled:
    """A module call resolved to a built-in model (what `Configuration.resolve` returns)."""

    model: Model
    era: Era
    source: str
    remark: str  # about the version chosen, "" when the constraint settled it

    @property
    def directory(self) -> str:  # stands in for a module directory in cycle checks
        return f"registry:{self.model.address}"

    @property
    def note(self) -> str:
        return f"modelled from {self.model.address} {self.era.label}"

    def instance(self, given: Mapping[str, Node], block_span: Span, scope: str, prefix: str,
                 call_chain: tuple[Span, ...]) -> ModelledInstance:
        return ModelledInstance(self, dict(given), block_span, scope, prefix, call_chain)


def resolve(source: str, version: str | None) -> Modelled | None:
    """The built-in model for a remote source, or None when there is none."""
    parsed = parse_source(source)
    if parsed is None or parsed[0] not in MODELS:
        return None
    name, ref = parsed
    model = MODELS[name]
    era, remark = choose_era(model, ref if ref is not None else version)
    return Modelled(model, era, source, remark)


class ModelledInstance:
    """One instance of a modelled module call; stands where a ModuleLoader would."""

    def __init__(self, modelled: Modelled, given: dict[str, Node], block_span: Span, scope: str,
                 prefix: str, call_chain: tuple[Span, ...]) -> None:
        self.modelled = modelled
        self.scope = scope
        self.prefix = prefix  # `module.bucket.` (with the caller's prefix)
        self.call_chain = call_chain
        self.block_span = block_span
        inputs = Inputs(given, block_span.head(), modelled.era.defaults)
        self.synths = modelled.model.build(inputs)
        self._loaded = False

    def _id(self, local: str) -> str:
        return f"{self.scope}::{self.prefix}{local}"

    def load(self) -> list[Resource]:
        if self._loaded:
            return []
        self._loaded = True
        out: list[Resource] = []
        for synth in self.synths:
            refs = [Reference(self._id(target), attribute, self.block_span.head())
                    for target, attribute in synth.refs]
            body: dict[str, Node] = {}
            for name, node in synth.body.items():
                node = _localise(node, self._id)
                body[name] = node
                refs.extend(Reference(t, name, node.span) for t in refs_of(node)
                            if t not in {r.target for r in refs})
            out.append(ModelledResource(
                id=self._id(synth.local),
                address=self.prefix + synth.local,
                type=synth.type,
                format=Format.TERRAFORM,
                span=self.block_span,
                body=Node(body, self.block_span),
                scope=self.scope,
                references=refs,
                call_chain=self.call_chain,
                model=self.modelled.note,
            ))
        return out

    def output(self, name: str, span: Span) -> Node:
        local = self.modelled.model.outputs.get(name)
        if local == "<group>":
            local = next((s.local for s in self.synths if s.type == "aws_security_group"), None)
        if local is None or not any(s.local == local for s in self.synths):
            return Node(Unknown(f"output {name!r} of a modelled module is not known"), span)
        why = f"{self.prefix}{local} attributes are known only after apply"
        return Node(Unknown(why, (self._id(local),)), span)

    def output_object(self, span: Span) -> Node:
        return Node({n: self.output(n, span) for n in sorted(self.modelled.model.outputs)}, span)


def _localise(node: Node, to_id: Callable[[str], str]) -> Node:
    """References made by the model (`aws_s3_bucket.this[0]`) as graph ids of this instance."""
    v = node.value
    if isinstance(v, Unknown) and v.refs and all(not r.startswith(("/", ".")) and "::" not in r
                                                 for r in v.refs):
        return Node(Unknown(v.reason, tuple(to_id(r) for r in v.refs)), node.span, node.provenance)
    return node
