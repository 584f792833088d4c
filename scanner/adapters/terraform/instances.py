"""aws_instance, aws_spot_instance_request, aws_launch_template, aws_launch_configuration -> InstanceAddressing."""

from __future__ import annotations

from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Unknown, to_bool
from scanner.views import ViewSet
from scanner.views.instances import InstanceAddressing

KINDS = {
    "aws_instance": "instance",
    "aws_spot_instance_request": "spot request",
    "aws_launch_configuration": "launch configuration",
}
KEY = "associate_public_ip_address"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *KINDS):
        settings = [field(res, KEY, False, res.span, to_bool)] if res.body.get(KEY) is not None else []
        views.add(InstanceAddressing(res, KINDS[res.type], [s for s in settings if s.explicit]))
    for res in terraform_resources(graph, "aws_launch_template"):
        found: list[Field[bool]] = []
        interfaces = res.body.get("network_interfaces")
        for item in interfaces.elements() if interfaces is not None else []:
            if item.unknown:
                found.append(Field(item.value if isinstance(item.value, Unknown) else Unknown(),
                                   item.span, provenance=item.provenance))
                continue
            setting = field(item, KEY, False, item.span, to_bool)
            if setting.explicit:
                found.append(setting)
        views.add(InstanceAddressing(res, "launch template", found))
