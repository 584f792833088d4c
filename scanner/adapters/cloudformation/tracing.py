"""AWS::Lambda::Function TracingConfig (and an untranslated SAM function's Tracing) into
FunctionTracing views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources, str_field
from scanner.graph import ResourceGraph
from scanner.views import ViewSet
from scanner.views.tracing import FunctionTracing


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::Lambda::Function"):
        mode = str_field(prop(res, "TracingConfig", "Mode"), "PassThrough", res.span)
        views.add(FunctionTracing(resource=res, mode=mode, attribute="TracingConfig.Mode"))
    for res in resources(graph, "AWS::Serverless::Function"):
        mode = str_field(prop(res, "Tracing"), "PassThrough", res.span)
        views.add(FunctionTracing(resource=res, mode=mode, attribute="Tracing"))
