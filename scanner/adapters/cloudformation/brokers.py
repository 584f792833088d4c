"""AWS::AmazonMQ::Broker into MessageBroker views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field, unknown_field
from scanner.graph import ResourceGraph
from scanner.values import Field
from scanner.views import ViewSet
from scanner.views.brokers import MessageBroker


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::AmazonMQ::Broker"):
        logs = prop(res, "Logs")
        if logs is None or logs.value is None:
            general: Field[bool] = Field.default(False, res.span)
            audit: Field[bool] = general
        elif logs.unknown or not isinstance(logs.value, dict):
            general = audit = unknown_field(logs.value if logs.unknown else "Logs is not a mapping", logs)
        else:
            general = bool_field(logs.get("General"), False, logs.span)
            audit = bool_field(logs.get("Audit"), False, logs.span)
        views.add(MessageBroker(
            res,
            engine_type=str_field(prop(res, "EngineType"), "", res.span),
            general_logs=general,
            audit_logs=audit,
        ))
