"""Where a CloudFront distribution's standard (access) logs go, for the Distribution view.

Not a service module: `scanner.adapters.terraform.web` calls `access_logging` for each
distribution. Two ways exist: the legacy `logging_config` block (logs to an S3 bucket), and
standard logging v2, a CloudWatch Logs delivery source of type ACCESS_LOGS for the
distribution with a delivery that takes it to a destination.
"""

from __future__ import annotations

import re

from scanner.adapters.terraform.common import Attachments, block, name_of
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown

SOURCE = "aws_cloudwatch_log_delivery_source"
DELIVERY = "aws_cloudwatch_log_delivery"


def access_logging(graph: ResourceGraph, res: Resource) -> Field[bool]:
    whole = res.body.get("logging_config")
    if whole is not None and whole.unknown:
        return Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
    config = block(res.body, "logging_config")
    if config is not None and config.value is not None:
        if config.unknown or not isinstance(config.value, dict):
            return Field(Unknown("the logging configuration is not known"), config.span)
        return _bucket_named(config.get("bucket"), config.span)
    undecided: Unknown | None = None
    sources = graph.referrers(res, [SOURCE], "resource_arn")
    deliveries = Attachments(graph, [DELIVERY], "delivery_source_name") if sources else None
    for source in sources:
        kind = source.body.get("log_type")
        if kind is None or kind.unknown:
            undecided = Unknown("the log type of a delivery source for the distribution is not known")
            continue
        if str(kind.value).upper() != "ACCESS_LOGS":
            continue
        assert deliveries is not None
        found, unresolved = deliveries.of(source, name_of(source, "name"))
        if found:
            return Field(True, source.span.head())
        if unresolved:
            undecided = Unknown("a log delivery in this module names a source that is not known")
    if undecided is not None:
        return Field(undecided, res.span.head())
    return Field.default(False, res.span)




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
