"""CloudTrail trails, and VPCs with the flow logs that point at them."""

from __future__ import annotations

from scanner.adapters.references import with_refs
from scanner.adapters.terraform.common import Attachments, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.logging import Network, Trail


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_cloudtrail"):
        views.add(Trail(
            resource=res,
            multi_region=field(res, "is_multi_region_trail", False, res.span, to_bool),
            log_file_validation=field(res, "enable_log_file_validation", False, res.span, to_bool),
            kms_key_id=with_refs(graph, res, "kms_key_id",
                                 field(res, "kms_key_id", "", res.span, to_str)),
            logging_enabled=field(res, "enable_logging", True, res.span, to_bool),
        ))
    flow_logs = Attachments(graph, ["aws_flow_log"], "vpc_id")
    for res in terraform_resources(graph, "aws_vpc", "aws_default_vpc"):
        found, unknown = flow_logs.of(res, None)
        if found:
            flow = Field(True, found[0].span)
        elif unknown:
            flow = Field(Unknown("a flow log targets a VPC that is not known"), res.span.head())
        else:
            flow = Field.default(False, res.span)
        views.add(Network(resource=res, flow_logs=flow))
