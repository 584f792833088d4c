"""aws_mq_broker into MessageBroker views."""

from __future__ import annotations

from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Origin, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.brokers import MessageBroker


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_mq_broker"):
        whole = res.body.get("logs")
        logs = block(res.body, "logs")
        if whole is not None and whole.unknown:
            general: Field[bool] = Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
            audit: Field[bool] = general
        elif logs is None or logs.value is None:
            general = audit = Field.default(False, res.span)
        elif logs.unknown or not isinstance(logs.value, dict):
            general = audit = Field(logs.value, logs.span, Origin.EXPLICIT, logs.provenance)
        else:
            general = field(logs, "general", False, logs.span, to_bool)
            audit = field(logs, "audit", False, logs.span, to_bool)
        views.add(MessageBroker(
            res,
            engine_type=field(res, "engine_type", "", res.span, to_str),
            general_logs=general,
            audit_logs=audit,
        ))
