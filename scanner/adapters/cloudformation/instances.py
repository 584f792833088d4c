"""AWS::EC2::Instance, AWS::EC2::LaunchTemplate, AWS::AutoScaling::LaunchConfiguration -> InstanceAddressing."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, dig, prop, resources, unknown_field
from scanner.graph import ResourceGraph
from scanner.values import Field, Node, Unknown
from scanner.views import ViewSet
from scanner.views.instances import InstanceAddressing

KEY = "AssociatePublicIpAddress"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::EC2::Instance"):
        views.add(InstanceAddressing(res, "instance", _interfaces(prop(res, "NetworkInterfaces"))))
    for res in resources(graph, "AWS::EC2::LaunchTemplate"):
        node = prop(res, "LaunchTemplateData", "NetworkInterfaces")
        views.add(InstanceAddressing(res, "launch template", _interfaces(node)))
    for res in resources(graph, "AWS::AutoScaling::LaunchConfiguration"):
        setting = bool_field(prop(res, KEY), False, res.span)
        views.add(InstanceAddressing(res, "launch configuration",
                                     [setting] if setting.explicit else []))


def _interfaces(node: Node | None) -> list[Field[bool]]:
    """The AssociatePublicIpAddress of each network interface that sets it."""
    if node is None or node.value is None:
        return []
    if node.unknown:
        return [unknown_field(node.value, node)]
    found: list[Field[bool]] = []
    for item in node.elements():
        if not isinstance(item.value, dict):
            reason = item.value if isinstance(item.value, Unknown) else "a network interface that is not a mapping"
            found.append(unknown_field(reason, item))
            continue
        setting = bool_field(dig(item, KEY), False, item.span)
        if setting.explicit:
            found.append(setting)
    return found
