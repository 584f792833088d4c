"""AWS::Kinesis::Stream into DataStream views, AWS::MSK::Cluster into KafkaCluster views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field, unknown_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field
from scanner.views import ViewSet
from scanner.views.streams import DataStream, KafkaCluster


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::Kinesis::Stream"):
        options = prop(res, "StreamEncryption")
        if options is None or options.value is None:
            encryption, key = Field.default("NONE", res.span), Field.default("", res.span)
        elif options.unknown or not isinstance(options.value, dict):
            reason = options.value if options.unknown else "StreamEncryption is not a mapping"
            encryption = key = unknown_field(reason, options)
        else:
            # Both are required inside StreamEncryption: one left out leaves the stream unencrypted.
            encryption = str_field(options.get("EncryptionType"), "", options.span)
            key = str_field(options.get("KeyId"), "", options.span)
        views.add(DataStream(res, encryption_type=encryption, kms_key_id=key))
    for res in resources(graph, "AWS::MSK::Cluster"):
        views.add(KafkaCluster(res, broker_logs=_broker_logs(res)))


DESTINATIONS = ("CloudWatchLogs", "Firehose", "S3")


def _broker_logs(res: Resource) -> Field[bool]:
    """LoggingInfo.BrokerLogs.<destination>.Enabled."""
    node, block = res.body, res.span
    for name in ("LoggingInfo", "BrokerLogs"):
        inner = prop(res, name) if node is res.body else node.get(name)
        if inner is None or inner.value is None:
            return Field.default(False, block)
        if inner.unknown or not isinstance(inner.value, dict):
            return unknown_field(inner.value if inner.unknown else f"{name} is not a mapping", inner)
        node, block = inner, inner.span
    off: Field[bool] | None = None
    unknown: Field[bool] | None = None
    for name in DESTINATIONS:
        destination = node.get(name)
        if destination is None or destination.value is None:
            continue
        if destination.unknown or not isinstance(destination.value, dict):
            unknown = unknown_field(destination.value if destination.unknown
                                    else f"{name} is not a mapping", destination)
            continue
        # Enabled is required in each destination: left out, nothing is delivered.
        enabled = bool_field(destination.get("Enabled"), False, destination.span)
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
    return Field.default(False, block)
