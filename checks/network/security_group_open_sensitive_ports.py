from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

from checks.network.security_group_open_admin import INTERNET, message, undecided
from checks.network.security_group_open_admin import _exposure as admin_exposure
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.values import Field
from scanner.views.ec2 import SecurityGroup, SecurityGroupRule

# Services that must never be reachable from the whole internet: databases and data stores,
# cluster control planes, file sharing, and protocols that send credentials in clear text.
SENSITIVE_PORTS = [
    20, 21,  # FTP
    23,  # Telnet
    135, 137, 138, 139,  # Windows RPC, NetBIOS
    161,  # SNMP
    389,  # LDAP
    445,  # SMB
    1433, 1434,  # Microsoft SQL Server
    1521,  # Oracle
    2049,  # NFS
    2375, 2376,  # Docker Engine API
    2379, 2380,  # etcd
    3306,  # MySQL, MariaDB
    5432,  # PostgreSQL
    5601,  # Kibana, OpenSearch Dashboards
    5900,  # VNC
    5984,  # CouchDB
    8020, 9000,  # HDFS NameNode (9000 is also PHP-FPM's FastCGI port)
    6379,  # Redis, Valkey
    9042,  # Cassandra
    9200, 9300,  # Elasticsearch, OpenSearch
    10250,  # Kubernetes kubelet
    11211,  # Memcached
    27017,  # MongoDB
]


def _whole_internet(cidr: Field[str]) -> bool:
    """0.0.0.0/0, ::/0, or any other way of writing a /0 range (e.g. 10.0.0.1/0)."""
    value = cidr.value
    if not isinstance(value, str):
        return False
    try:
        return ipaddress.ip_network(value.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def _opened(rule: SecurityGroupRule, ports: list[int]) -> list[int] | None:
    """The listed ports the rule opens over TCP or UDP; None when its ports are not known."""
    if rule.protocol.unknown:
        return None
    if rule.protocol.value == "-1":
        return list(ports)  # all traffic (NET001 reports it from 0.0.0.0/0 and ::/0)
    if rule.protocol.value not in ("tcp", "udp"):
        return []  # ICMP and other protocols open no port
    low, high = rule.from_port.value, rule.to_port.value
    if not isinstance(low, int) or not isinstance(high, int):
        return None
    return [p for p in ports if low <= p <= high]


def _reported_by_admin_rule(rule: SecurityGroupRule) -> bool:
    """NET001 reports (or cannot decide) this rule: SSH, RDP or all ports from 0.0.0.0/0 or ::/0."""
    open_to_internet = any(not c.unknown and c.value in INTERNET for c in rule.cidrs)
    return open_to_internet and admin_exposure(rule) is not None


def check(group: SecurityGroup, settings: Mapping[str, Any]) -> Iterator[Outcome]:
    ports = sorted({int(p) for p in settings["ports"]})
    pending: Undecided | None = None
    failed = False
    for rule in group.rules:
        if rule.direction != "ingress":
            continue
        wide = [c for c in rule.cidrs if _whole_internet(c)]
        unknown = [c for c in rule.cidrs if c.unknown]
        if not wide and not unknown:
            continue
        opened = _opened(rule, ports)
        if opened == []:
            continue
        if opened is None or not wide:
            pending = pending or undecided(group, rule, opened is not None)
            continue
        if _reported_by_admin_rule(rule):
            continue
        failed = True
        cidr = wide[0]
        if rule.protocol.value == "-1":
            what = "every port, sensitive ones included (all protocols)"
        else:
            listed = ", ".join(str(p) for p in opened)
            what = f"sensitive port{'s' if len(opened) > 1 else ''} {listed} ({rule.protocol.value})"
        yield Fail(
            message(group, rule, f"allows ingress from {cidr.value} to {what}"),
            cidr,
            attribute=f"{rule.defined_in}:ingress:{cidr.value}:{rule.from_port.value}-{rule.to_port.value}",
        )
    if not failed:
        yield pending or PASS


RULE = Rule(
    id="NET004",
    name="SecurityGroupSensitivePortsOpenToInternet",
    title="Security group allows ingress from the internet to a database or other sensitive port",
    severity=Severity.HIGH,
    severity_reason=(
        "Databases, caches, cluster control planes and file shares reachable from the whole "
        "internet are found by scanners within hours and attacked directly."
    ),
    domain=Domain.NETWORK,
    view=SecurityGroup,
    check=check,
    resource_types=(
        "aws_security_group",
        "aws_default_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
    ),
    rationale=(
        "AWS provides the firewall; deciding what passes it is the customer's duty. Data "
        "stores (MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Memcached, "
        "Elasticsearch/OpenSearch, Cassandra, CouchDB), control planes (Docker, etcd, kubelet), "
        "file sharing (SMB, NetBIOS, RPC, NFS), directory and monitoring services (LDAP, SNMP) and "
        "clear-text protocols (FTP, Telnet, VNC) are meant "
        "to be reached from inside the network, and several of them answer without "
        "authentication by default. An ingress rule from a /0 range (0.0.0.0/0, ::/0) over TCP "
        "or UDP to a port range that includes one of them exposes that service to the whole "
        "internet. The ports are the `ports` option. Rules NET001 already reports (SSH, RDP or "
        "every port open to the internet) are not reported again; egress rules are not judged. A "
        "rule resource for a group declared elsewhere (a literal id, a variable or parameter, "
        "a data source, an import) is judged on its own."
    ),
    remediation=(
        "Allow the port only from the security groups of the clients (source security group) "
        "or from known private ranges; reach data stores from outside through a VPN, AWS "
        "PrivateLink or a bastion, never through an open rule."
    ),
    terraform_fix="""\
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.app.id # not 0.0.0.0/0
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}""",
    cloudformation_fix="""\
DbIngress:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !GetAtt DbSecurityGroup.GroupId
    SourceSecurityGroupId: !GetAtt AppSecurityGroup.GroupId
    IpProtocol: tcp
    FromPort: 5432
    ToPort: 5432""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19",
        "CIS AWS Foundations Benchmark v3.0.0, 5.2 and 5.3 (administration ports; this rule extends them to data and file services)",
    ),
    security_severity=8.2,
    tags=("ec2", "security-group", "internet-exposure"),
    options=(
        RuleOption("ports", SENSITIVE_PORTS,
                   "TCP/UDP ports that must not be open to the internet (22 and 3389 are NET001's)"),
    ),
)
