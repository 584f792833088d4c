"""CloudWatch log groups, EKS control-plane logging and the AWS Config recorder, from
CloudFormation resources."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import (
    bool_field,
    dig,
    key_field,
    prop,
    resources,
    str_field,
    unknown_field,
)
from scanner.graph import ResourceGraph
from scanner.values import Field, Origin
from scanner.views import ViewSet
from scanner.views.monitoring import ConfigRecorder, EksCluster, LogGroup


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::Logs::LogGroup"):
        views.add(LogGroup(resource=res, kms_key_id=key_field(graph, res, "KmsKeyId", res.span)))
    for res in resources(graph, "AWS::EKS::Cluster"):
        node = prop(res, "Logging", "ClusterLogging", "EnabledTypes")
        if node is None or node.value is None:
            views.add(EksCluster(resource=res, log_types=[],
                                 log_types_set=Field.default(False, res.span)))
            continue
        if node.unknown:
            views.add(EksCluster(resource=res, log_types=[], log_types_set=unknown_field(
                "the enabled log types are not known", node)))
            continue
        # Each entry is an object {Type: api}.
        types = [str_field(dig(entry, "Type"), "", entry.span) for entry in node.elements()]
        views.add(EksCluster(resource=res, log_types=types,
                             log_types_set=Field(True, node.span, Origin.EXPLICIT, node.provenance)))
    for res in resources(graph, "AWS::Config::ConfigurationRecorder"):
        group = prop(res, "RecordingGroup")
        if group is None or group.value is None:
            # Without a recording group, the recorder records every supported resource type.
            views.add(ConfigRecorder(resource=res, all_supported=Field.default(True, res.span),
                                     recording_strategy=Field.default("", res.span)))
            continue
        if group.unknown or not isinstance(group.value, dict):
            unknown = unknown_field("the recording group is not known", group)
            views.add(ConfigRecorder(resource=res, all_supported=unknown,
                                     recording_strategy=unknown))
            continue
        strategy = dig(group, "RecordingStrategy")
        views.add(ConfigRecorder(
            resource=res,
            # In a recording group that is given, AllSupported is false unless set.
            all_supported=bool_field(dig(group, "AllSupported"), False, group.span),
            recording_strategy=(Field.default("", group.span) if strategy is None
                                else str_field(dig(strategy, "UseOnly"), "", strategy.span)),
        ))


