"""Network ACLs (inline entries and aws_network_acl_rule) and subnets."""

from __future__ import annotations

from scanner.adapters.network_acl import gather
from scanner.adapters.terraform.common import field, module_path, terraform_resources
from scanner.adapters.terraform.ec2 import normalise_protocol
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_int, to_str
from scanner.views import ViewSet
from scanner.views.vpc import AclEntry, Subnet

ACL_TYPES = ("aws_network_acl", "aws_default_network_acl")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    _acls(graph, views)
    for res in terraform_resources(graph, "aws_subnet"):
        views.add(Subnet(res, map_public_ip_on_launch=field(
            res, "map_public_ip_on_launch", False, res.span, to_bool)))


def _acls(graph: ResourceGraph, views: ViewSet) -> None:
    acls: list[tuple[Resource, list[AclEntry]]] = []
    for res in terraform_resources(graph, *ACL_TYPES):
        inline: list[AclEntry] = []
        for direction in ("ingress", "egress"):
            node = res.body.get(direction)
            for item in node.elements() if node is not None else []:
                inline.append(_entry(item, direction == "egress", "rule_no", "action", item.span, res.address))
        acls.append((res, inline))
    entries = []
    for res in terraform_resources(graph, "aws_network_acl_rule"):
        egress = field(res, "egress", False, res.span, to_bool)
        entries.append((res, _entry(res.body, egress, "rule_number", "rule_action", res.span, res.address)))
    gather(graph, views, acls, entries, "network_acl_id", lambda r: r.body.get("network_acl_id"),
           lambda r: r.scope + "|" + module_path(r.address))


def _lower(value: object) -> str | Unknown:
    text = to_str(value)
    return text if isinstance(text, Unknown) else text.strip().lower()


def _entry(node: Node, egress: bool | Field[bool], number_key: str, action_key: str, span: Span,
           owner: str) -> AclEntry:
    if not isinstance(node.value, dict):
        why = node.value if isinstance(node.value, Unknown) else Unknown("the entry is not a block")
        unknown = Field(why, node.span, Origin.EXPLICIT, node.provenance)
        return AclEntry(unknown, unknown, unknown, unknown, unknown, unknown, unknown, node.span, owner)
    cidr_key = "ipv6_cidr_block" if node.get("cidr_block") is None and node.get("ipv6_cidr_block") is not None \
        else "cidr_block"
    return AclEntry(
        egress=egress if isinstance(egress, Field) else Field(egress, span.head()),
        rule_number=field(node, number_key, 0, span, to_int),
        action=field(node, action_key, "", span, _lower),
        protocol=field(node, "protocol", "", span, normalise_protocol),
        from_port=field(node, "from_port", 0, span, to_int),
        to_port=field(node, "to_port", 0, span, to_int),
        cidr=field(node, cidr_key, "", span, to_str),
        span=span,
        defined_in=owner,
    )
