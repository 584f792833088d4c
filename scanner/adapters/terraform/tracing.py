"""aws_lambda_function tracing_config into FunctionTracing views."""

from __future__ import annotations

from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, to_str
from scanner.views import ViewSet
from scanner.views.tracing import FunctionTracing


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_lambda_function"):
        config = block(res.body, "tracing_config")
        if config is not None and config.unknown:  # a dynamic block over values not known
            mode: Field[str] = Field(config.value, config.span)
        else:
            mode = field(config, "mode", "PassThrough", res.span, to_str)
        views.add(FunctionTracing(resource=res, mode=mode, attribute="tracing_config.mode"))
