"""CloudWatch log groups, EKS control-plane logging and the AWS Config recorder, from
Terraform resources."""

from __future__ import annotations

from scanner.adapters.references import with_refs
from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Origin, to_bool, to_str, to_str_list
from scanner.views import ViewSet
from scanner.views.monitoring import ConfigRecorder, EksCluster, LogGroup


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_cloudwatch_log_group"):
        views.add(LogGroup(resource=res, kms_key_id=with_refs(
            graph, res, "kms_key_id", field(res, "kms_key_id", "", res.span, to_str))))
    for res in terraform_resources(graph, "aws_eks_cluster"):
        node = res.body.get("enabled_cluster_log_types")
        if node is None or node.value is None:
            views.add(EksCluster(resource=res, log_types=[],
                                 log_types_set=Field.default(False, res.span)))
            continue
        set_at: Field[bool] = Field(node.value if node.unknown else True, node.span,
                                    Origin.EXPLICIT, node.provenance)
        views.add(EksCluster(resource=res, log_types=to_str_list(node), log_types_set=set_at))
    for res in terraform_resources(graph, "aws_config_configuration_recorder"):
        group = block(res.body, "recording_group")
        if group is None:
            views.add(ConfigRecorder(resource=res, all_supported=Field.default(True, res.span),
                                     recording_strategy=Field.default("", res.span)))
            continue
        strategy = block(group, "recording_strategy")
        views.add(ConfigRecorder(
            resource=res,
            all_supported=field(group, "all_supported", True, group.span, to_bool),
            recording_strategy=(Field.default("", group.span) if strategy is None
                                else field(strategy, "use_only", "", strategy.span, to_str)),
        ))
