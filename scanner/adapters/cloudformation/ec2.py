"""EC2: AWS::EC2::Volume -> Volume; AWS::EC2::SecurityGroup (+ rule resources) -> SecurityGroup.

A rule resource whose group is declared elsewhere (`GroupId: sg-0123...`, a parameter, an
import, a `GroupName` no group of the template has) gets a view of its own (`external`).
"""

from __future__ import annotations

from scanner.adapters.cloudformation.common import (
    bool_field,
    dig,
    int_field,
    prop,
    resources,
    str_field,
    unknown_field,
)
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.ec2 import DefaultSecurityGroup, SecurityGroup, SecurityGroupRule, Volume

VOLUME = "AWS::EC2::Volume"
GROUP = "AWS::EC2::SecurityGroup"
RULE_RESOURCES = {"AWS::EC2::SecurityGroupIngress": "ingress",
                  "AWS::EC2::SecurityGroupEgress": "egress"}
INLINE_RULES = {"SecurityGroupIngress": "ingress", "SecurityGroupEgress": "egress"}
# How a rule resource names its group: GroupId (in a VPC) or GroupName (default VPC).
_GROUP_ATTRIBUTES = ("GroupId", "GroupName")
_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for volume in resources(graph, VOLUME):
        views.add(Volume(
            resource=volume,
            encrypted=bool_field(prop(volume, "Encrypted"), False, volume.span),
            kms_key_id=str_field(prop(volume, "KmsKeyId"), "", volume.span),
            snapshot_id=str_field(prop(volume, "SnapshotId"), "", volume.span),
            default_encryption=None,
        ))
    _adapt_groups(graph, views)


def _adapt_groups(graph: ResourceGraph, views: ViewSet) -> None:
    groups = resources(graph, GROUP)
    unresolved: dict[str, int] = {}
    for rule_res in resources(graph, *RULE_RESOURCES):
        if _unresolved_target(graph, rule_res):
            unresolved[rule_res.scope] = unresolved.get(rule_res.scope, 0) + 1
    judged: set[str] = set()  # the rule resources that are in the view of a declared group
    for group in groups:
        rules: list[SecurityGroupRule] = []
        for key, direction in INLINE_RULES.items():
            rules.extend(_inline_rules(group, key, direction))
        for rule_type, direction in RULE_RESOURCES.items():
            # One entry per rule resource: copies of it (condition scenarios) that fit this
            # copy of the group are alike in everything the group's view reads.
            attached: dict[str, Resource] = {}
            for attribute in _GROUP_ATTRIBUTES:
                for res in graph.referrers(group, [rule_type], attribute):
                    attached.setdefault(res.address, res)
                    judged.add(res.id)
            for res in sorted(attached.values(), key=lambda r: r.span):
                rules.append(_rule(res.body, direction, res.span, res.address))
        views.add(SecurityGroup(resource=group, rules=rules,
                                unresolved_rules=unresolved.get(group.scope, 0)))
    _vpc_default_groups(graph, views, judged)
    _external_rules(graph, views, judged)


def _vpc_default_groups(graph: ResourceGraph, views: ViewSet, judged: set[str]) -> None:
    """Rule resources attached to a VPC's default group (`GroupId: !GetAtt Vpc.DefaultSecurityGroup`).

    A rule's GroupId that refers to a VPC can only name its default group (a VPC has
    no other security group attribute). The view exists only when such rules do.
    """
    for vpc in resources(graph, "AWS::EC2::VPC"):
        rules: list[SecurityGroupRule] = []
        for rule_type, direction in RULE_RESOURCES.items():
            attached: dict[str, Resource] = {}
            for res in graph.referrers(vpc, [rule_type], "GroupId"):
                attached.setdefault(res.address, res)
                judged.add(res.id)
            for res in sorted(attached.values(), key=lambda r: r.span):
                rules.append(_rule(res.body, direction, res.span, res.address))
        if rules:
            group = SecurityGroup(resource=vpc, rules=rules, is_default=True)
            views.add(group)
            views.add(DefaultSecurityGroup(resource=vpc, group=group))


def _external_rules(graph: ResourceGraph, views: ViewSet, judged: set[str]) -> None:
    """Ingress rule resources that are in no declared group's view, each judged on its own.

    Each copy of a resource (condition scenario) is judged alone: one copy may name a group
    of the template and another an outside one. Egress rules get no view: the rules about
    every group judge ingress only.
    """
    for res in resources(graph, "AWS::EC2::SecurityGroupIngress"):
        if res.id not in judged:
            rule = _rule(res.body, "ingress", res.span, res.address)
            views.add(SecurityGroup(resource=res, rules=[rule], external=True))


def _unresolved_target(graph: ResourceGraph, rule_res: Resource) -> bool:
    """A rule resource whose group is not known: it might belong to any group of its template.

    A rule that names a resource of the template (a group, or e.g. a VPC's default
    group through `!GetAtt Vpc.DefaultSecurityGroup`) or a literal id (`sg-0123...`,
    a group outside the template) is resolved: it is not one of the other groups.
    """
    if any(graph.targets(rule_res, attribute) for attribute in _GROUP_ATTRIBUTES):
        return False
    nodes = [prop(rule_res, a) for a in _GROUP_ATTRIBUTES]
    return any(n is not None and n.unknown and not n.value.refs for n in nodes)


def _inline_rules(group: Resource, key: str, direction: str) -> list[SecurityGroupRule]:
    node = prop(group, key)
    if node is None or node.value is None:
        return []
    if node.unknown:
        return [_unknown_rule(node, direction, group.address)]
    return [_rule(item, direction, item.span, group.address) for item in node.elements()]


def _rule(body: Node, direction: str, span: Span, defined_in: str) -> SecurityGroupRule:
    """One rule from its properties (a list item, or a rule resource's body)."""
    if not isinstance(body.value, dict):
        return _unknown_rule(body, direction, defined_in)
    protocol_node = dig(body, "IpProtocol")
    if protocol_node is None or protocol_node.value is None:
        protocol: Field[str] = Field(Unknown("IpProtocol is not set"), span.head(), Origin.DEFAULT)
    else:
        protocol = str_field(protocol_node, "-1", span)
        if isinstance(protocol.value, str):
            protocol = Field(_normalise_protocol(protocol.value), protocol.span, protocol.origin,
                             protocol.provenance)
    cidrs = [
        str_field(node, "", span)
        for node in (dig(body, "CidrIp"), dig(body, "CidrIpv6"))
        if node is not None and node.value is not None
    ]
    return SecurityGroupRule(
        direction=direction,
        protocol=protocol,
        from_port=int_field(dig(body, "FromPort"), -1, span),
        to_port=int_field(dig(body, "ToPort"), -1, span),
        cidrs=cidrs,
        span=span,
        defined_in=defined_in,
    )


def _unknown_rule(node: Node, direction: str, defined_in: str) -> SecurityGroupRule:
    """A rule (or list of rules) that cannot be read: every part of it is unknown."""
    reason = node.value if isinstance(node.value, Unknown) else Unknown("rule is not a mapping")
    return SecurityGroupRule(
        direction=direction,
        protocol=unknown_field(reason, node),
        from_port=unknown_field(reason, node),
        to_port=unknown_field(reason, node),
        cidrs=[unknown_field(reason, node)],
        span=node.span,
        defined_in=defined_in,
    )


def _normalise_protocol(value: str) -> str:
    low = value.strip().lower()
    return _PROTOCOL_NUMBERS.get(low, low)
