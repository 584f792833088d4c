"""aws_kinesis_stream into DataStream views, aws_msk_cluster into KafkaCluster views."""

from __future__ import annotations

from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.streams import DataStream, KafkaCluster


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_kinesis_stream"):
        encryption = field(res, "encryption_type", "NONE", res.span, to_str)
        # A missing key is reported where the encryption type is written.
        views.add(DataStream(
            res,
            encryption_type=encryption,
            kms_key_id=field(res, "kms_key_id", "", encryption.span, to_str),
        ))
    for res in terraform_resources(graph, "aws_msk_cluster"):
        views.add(KafkaCluster(res, broker_logs=_broker_logs(res)))


DESTINATIONS = ("cloudwatch_logs", "firehose", "s3")


def _broker_logs(res: Resource) -> Field[bool]:
    """`logging_info { broker_logs { <destination> { enabled = ... } } }`."""
    node = res.body
    for name in ("logging_info", "broker_logs"):
        whole = node.get(name)
        if whole is not None and whole.unknown:
            return Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
        inner = block(node, name)
        if inner is None or inner.value is None:
            return Field.default(False, res.span)
        if inner.unknown or not isinstance(inner.value, dict):
            return Field(Unknown(f"{name} is not known"), inner.span)
        node = inner
    off: Field[bool] | None = None
    unknown: Field[bool] | None = None
    for name in DESTINATIONS:
        destination = block(node, name)
        if destination is None or destination.value is None:
            continue
        if destination.unknown or not isinstance(destination.value, dict):
            unknown = Field(Unknown(f"the {name} destination is not known"), destination.span)
            continue
        # `enabled` is required in each destination block: left out, nothing is delivered.
        enabled = field(destination, "enabled", False, destination.span, to_bool)
        if enabled.unknown:
            unknown = enabled
        elif enabled.value is True:
            return enabled
        elif off is None:
            off = enabled
    if unknown is not None:
        return unknown
    if off is not None:
        return off
    return Field.default(False, node.span)
