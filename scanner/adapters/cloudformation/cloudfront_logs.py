"""Where a CloudFront distribution's standard (access) logs go, for the Distribution view.

Not a service module: `scanner.adapters.cloudformation.web` calls `access_logging` for each
distribution. Two ways exist: the legacy DistributionConfig.Logging (logs to an S3 bucket),
and standard logging v2, an AWS::Logs::DeliverySource of type ACCESS_LOGS for the
distribution with an AWS::Logs::Delivery that takes it to a destination.
"""

from __future__ import annotations

import re

from scanner.adapters.cloudformation.common import dig, prop, resources, unknown_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown

SOURCE = "AWS::Logs::DeliverySource"
DELIVERY = "AWS::Logs::Delivery"


def access_logging(graph: ResourceGraph, res: Resource, config: Node | None, block: Span) -> Field[bool]:
    logging = dig(config, "Logging")
    if logging is not None and logging.unknown:
        return unknown_field(logging.value, logging)
    if logging is not None and logging.value is not None:
        if not isinstance(logging.value, dict):
            return unknown_field("Logging is not a mapping", logging)
        return _bucket_named(logging.get("Bucket"), logging.span)
    undecided: Unknown | None = None
    for source in graph.referrers(res, [SOURCE], "ResourceArn"):
        kind = prop(source, "LogType")
        if kind is None or kind.unknown:
            undecided = Unknown("the log type of a delivery source for the distribution is not known")
            continue
        if str(kind.value).upper() != "ACCESS_LOGS":
            continue
        verdict = _delivered(graph, source)
        if verdict is True:
            return Field(True, source.span.head())
        if isinstance(verdict, Unknown):
            undecided = verdict
    if undecided is not None:
        return Field(undecided, res.span.head())
    return Field.default(False, block)


def _delivered(graph: ResourceGraph, source: Resource) -> bool | Unknown:
    """A delivery takes this source's logs somewhere: by reference, or by its literal name."""
    if graph.referrers(source, [DELIVERY], "DeliverySourceName"):
        return True
    name = prop(source, "Name")
    literal = name.value if name is not None and isinstance(name.value, str) else None
    unknown: Unknown | None = None
    for delivery in resources(graph, DELIVERY):
        if delivery.scope != source.scope:
            continue
        node = prop(delivery, "DeliverySourceName")
        if node is None:
            continue
        if literal is not None and node.value == literal:
            return True
        if node.unknown and not graph.targets(delivery, "DeliverySourceName"):
            unknown = Unknown("a log delivery in this template names a source that is not known")
    return unknown if unknown is not None else False


# The log bucket is named by its domain: BUCKET.s3.amazonaws.com (or a regional form).
S3_DOMAIN = re.compile(r"\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$")


def _bucket_named(node: Node | None, block_span: Span) -> Field[bool]:
    """The logging configuration names an S3 bucket domain: True at the block, False at the
    value (or the block when the bucket is left out), Unknown passes as True (known at apply)."""
    if node is None or node.value is None or node.value == "":
        return Field(False, block_span.head())
    if isinstance(node.value, str) and not S3_DOMAIN.search(node.value.strip().lower()):
        return Field(False, node.span, Origin.EXPLICIT, node.provenance)
    return Field(True, block_span, Origin.EXPLICIT)
