"""AWS::CloudTrail::Trail -> Trail; AWS::EC2::VPC (+ AWS::EC2::FlowLog) -> Network."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import (
    bool_field,
    key_field,
    prop,
    resources,
    unknown_field,
)
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.logging import Network, Trail

TRAIL = "AWS::CloudTrail::Trail"
VPC = "AWS::EC2::VPC"
FLOW_LOG = "AWS::EC2::FlowLog"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for trail in resources(graph, TRAIL):
        views.add(Trail(
            resource=trail,
            multi_region=bool_field(prop(trail, "IsMultiRegionTrail"), False, trail.span),
            log_file_validation=bool_field(prop(trail, "EnableLogFileValidation"), False,
                                           trail.span),
            kms_key_id=key_field(graph, trail, "KMSKeyId", trail.span),
            logging_enabled=bool_field(prop(trail, "IsLogging"), False, trail.span),
        ))
    unknown_targets = _unknown_flow_log_targets(graph)
    for vpc in resources(graph, VPC):
        views.add(Network(resource=vpc, flow_logs=_flow_logs(graph, vpc, unknown_targets)))


def _flow_logs(graph: ResourceGraph, vpc: Resource,
               unknown_targets: dict[str, Field[bool]]) -> Field[bool]:
    flow_logs = graph.referrers(vpc, [FLOW_LOG], "ResourceId")
    if flow_logs:
        target = prop(flow_logs[0], "ResourceId")
        span = target.span if target is not None else flow_logs[0].span.head()
        return Field(True, span, Origin.EXPLICIT)
    if vpc.scope in unknown_targets:
        return unknown_targets[vpc.scope]
    return Field.default(False, vpc.span)


def _unknown_flow_log_targets(graph: ResourceGraph) -> dict[str, Field[bool]]:
    """Per template, an Unknown field if some VPC flow log there targets a VPC not known.

    A flow log whose ResourceId is a parameter without default, an import or a
    condition might cover any VPC of its template.
    """
    out: dict[str, Field[bool]] = {}
    for flow_log in resources(graph, FLOW_LOG):
        if flow_log.scope in out or graph.targets(flow_log, "ResourceId"):
            continue
        kind = prop(flow_log, "ResourceType")
        if kind is not None and isinstance(kind.value, str) and kind.value != "VPC":
            continue  # a subnet's or interface's flow log does not cover a whole VPC
        target = prop(flow_log, "ResourceId")
        if target is not None and target.unknown and not target.value.refs:
            reason = target.value if isinstance(target.value, Unknown) else Unknown("unknown")
            out[flow_log.scope] = unknown_field(
                Unknown(f"flow log {flow_log.address} targets a VPC that is not known "
                        f"({reason.reason})"),
                target,
            )
    return out
