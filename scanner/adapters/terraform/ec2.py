"""EBS volumes and security groups (inline rules and the three kinds of rule resources).

A rule resource attached to a group (or VPC) of the scanned code is part of that group's
view; one attached to a group declared elsewhere gets a view of its own (`external`).
"""

from __future__ import annotations

from scanner.adapters.terraform.common import Attachments, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_int, to_str, to_str_list
from scanner.views import ViewSet
from scanner.views.ec2 import DefaultSecurityGroup, SecurityGroup, SecurityGroupRule, Volume

GROUP_TYPES = ("aws_security_group", "aws_default_security_group")
RULE_TYPES = ("aws_security_group_rule",)
VPC_RULE_TYPES = ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1", "-1": "-1"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    _volumes(graph, views)
    _groups(graph, views)


def _volumes(graph: ResourceGraph, views: ViewSet) -> None:
    defaults = terraform_resources(graph, "aws_ebs_encryption_by_default")
    for res in terraform_resources(graph, "aws_ebs_volume"):
        same = [d for d in defaults if d.scope == res.scope]
        views.add(Volume(
            resource=res,
            encrypted=field(res, "encrypted", False, res.span, to_bool),
            kms_key_id=field(res, "kms_key_id", "", res.span, to_str),
            snapshot_id=field(res, "snapshot_id", "", res.span, to_str),
            default_encryption=field(same[0], "enabled", True, same[0].span, to_bool) if same else None,
        ))


def normalise_protocol(value: object) -> str | Unknown:
    text = to_str(value)
    if isinstance(text, Unknown):
        return text
    text = text.strip().lower()
    return PROTOCOL_NAMES.get(text, text)


def _groups(graph: ResourceGraph, views: ViewSet) -> None:
    classic = Attachments(graph, RULE_TYPES, "security_group_id")
    vpc = Attachments(graph, VPC_RULE_TYPES, "security_group_id")
    judged: set[str] = set()  # the rule resources that are in the view of a declared group
    for res in terraform_resources(graph, *GROUP_TYPES):
        if res.data:  # `data "aws_security_group"`: a group declared elsewhere
            continue
        rules: list[SecurityGroupRule] = []
        for direction in ("ingress", "egress"):
            node = res.body.get(direction)
            for item in node.elements() if node is not None else []:
                if isinstance(item.value, dict):
                    rules.append(_rule(item, direction, res.address, item.span))
                elif isinstance(item.value, Unknown):
                    rules.append(_unknown_rule(direction, res.address, item.span))
        attached, unknown_classic = classic.of(res, None)
        attached_vpc, unknown_vpc = vpc.of(res, None)
        rules.extend(_rule_resource(r) for r in attached + attached_vpc)
        judged.update(r.id for r in attached + attached_vpc)
        group = SecurityGroup(resource=res, rules=rules,
                              unresolved_rules=int(unknown_classic) + int(unknown_vpc),
                              is_default=res.type == "aws_default_security_group")
        views.add(group)
        if group.is_default:
            views.add(DefaultSecurityGroup(resource=res, group=group))
    _vpc_default_groups(graph, views, classic, vpc, judged)
    _external_rules(graph, views, judged)


def _vpc_default_groups(graph: ResourceGraph, views: ViewSet, classic: Attachments,
                        vpc: Attachments, judged: set[str]) -> None:
    """Rule resources attached to a VPC's default group (`aws_vpc.main.default_security_group_id`).

    A rule's `security_group_id` that refers to a VPC can only name its default group.
    The view exists only when such rules do: a VPC says nothing else about its group.
    """
    for res in terraform_resources(graph, "aws_vpc"):
        attached = classic.of(res, None)[0] + vpc.of(res, None)[0]
        rules = [_rule_resource(r) for r in attached]
        judged.update(r.id for r in attached)
        if rules:
            group = SecurityGroup(resource=res, rules=rules, is_default=True)
            views.add(group)
            views.add(DefaultSecurityGroup(resource=res, group=group))


def _external_rules(graph: ResourceGraph, views: ViewSet, judged: set[str]) -> None:
    """Ingress rule resources that are in no declared group's view, each judged on its own.

    Egress rules get no view: the rules about every group judge ingress only, and
    whether an outside group is a VPC's default group cannot be told.
    """
    for res in terraform_resources(graph, *RULE_TYPES, *VPC_RULE_TYPES):
        if res.id in judged:
            continue
        rule = _rule_resource(res)
        if rule.direction == "ingress":
            views.add(SecurityGroup(resource=res, rules=[rule], external=True))


def _rule_resource(res: Resource) -> SecurityGroupRule:
    """The rule of an aws_security_group_rule or aws_vpc_security_group_*_rule."""
    if res.type in VPC_RULE_TYPES:
        return _vpc_rule(res, "ingress" if res.type.endswith("ingress_rule") else "egress")
    kind = res.body.get("type")
    direction = kind.value if kind is not None and isinstance(kind.value, str) else "ingress"
    return _rule(res.body, direction, res.address, res.span)


def _rule(node: Node, direction: str, owner: str, span: Span) -> SecurityGroupRule:
    cidrs = to_str_list(node.get("cidr_blocks")) + to_str_list(node.get("ipv6_cidr_blocks"))
    return SecurityGroupRule(
        direction=direction,
        protocol=field(node, "protocol", "-1", span, normalise_protocol),
        from_port=field(node, "from_port", 0, span, to_int),
        to_port=field(node, "to_port", 0, span, to_int),
        cidrs=cidrs,
        span=span,
        defined_in=owner,
    )


def _vpc_rule(res: Resource, direction: str) -> SecurityGroupRule:
    body = res.body
    cidrs = [field(body, key, "", res.span, to_str) for key in ("cidr_ipv4", "cidr_ipv6")
             if body.get(key) is not None]
    protocol = field(body, "ip_protocol", "-1", res.span, normalise_protocol)
    return SecurityGroupRule(
        direction=direction,
        protocol=protocol,
        from_port=field(body, "from_port", -1, res.span, to_int),
        to_port=field(body, "to_port", -1, res.span, to_int),
        cidrs=cidrs,
        span=res.span,
        defined_in=res.address,
    )


def _unknown_rule(direction: str, owner: str, span: Span) -> SecurityGroupRule:
    why = Unknown("the rule is not known")
    return SecurityGroupRule(direction, Field(why, span), Field(why, span), Field(why, span),
                             [Field(why, span, Origin.EXPLICIT)], span, owner)
