"""AWS::EC2::NetworkAcl with its AWS::EC2::NetworkAclEntry resources; AWS::EC2::Subnet."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, dig, int_field, prop, resources, str_field
from scanner.adapters.network_acl import gather
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.vpc import AclEntry, Subnet

ACL = "AWS::EC2::NetworkAcl"
ENTRY = "AWS::EC2::NetworkAclEntry"
_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    acls = [(acl, []) for acl in resources(graph, ACL)]
    entries = [(res, _entry(res)) for res in resources(graph, ENTRY)]
    gather(graph, views, acls, entries, "NetworkAclId", lambda r: prop(r, "NetworkAclId"), lambda r: r.scope)
    for res in resources(graph, "AWS::EC2::Subnet"):
        views.add(Subnet(res, map_public_ip_on_launch=bool_field(prop(res, "MapPublicIpOnLaunch"), False, res.span)))


def _entry(res: Resource) -> AclEntry:
    span = res.span
    protocol = str_field(prop(res, "Protocol"), "", span)
    if isinstance(protocol.value, str):
        low = protocol.value.strip().lower()
        protocol = Field(_PROTOCOL_NUMBERS.get(low, low), protocol.span, protocol.origin, protocol.provenance)
    action = str_field(prop(res, "RuleAction"), "", span)
    if isinstance(action.value, str):
        action = Field(action.value.strip().lower(), action.span, action.origin, action.provenance)
    ipv6 = prop(res, "Ipv6CidrBlock")
    cidr_node = prop(res, "CidrBlock")
    if (cidr_node is None or cidr_node.value is None) and ipv6 is not None:
        cidr_node = ipv6
    ports = prop(res, "PortRange")
    missing = Field(Unknown("PortRange is not set"), span.head(), Origin.DEFAULT)
    return AclEntry(
        egress=bool_field(prop(res, "Egress"), False, span),
        rule_number=int_field(prop(res, "RuleNumber"), 0, span),
        action=action,
        protocol=protocol,
        from_port=int_field(dig(ports, "From"), 0, span) if ports is not None else missing,
        to_port=int_field(dig(ports, "To"), 0, span) if ports is not None else missing,
        cidr=str_field(cidr_node, "", span),
        span=span,
        defined_in=res.address,
    )
