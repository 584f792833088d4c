"""Whether an OpenSearch (or Elasticsearch) domain publishes its audit logs, for the
SearchDomain view. Not a service module: `scanner.adapters.cloudformation.datastores` calls it."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, unknown_field
from scanner.resources import Resource
from scanner.values import Field


def audit_logs(res: Resource) -> Field[bool]:
    """LogPublishingOptions.AUDIT_LOGS.Enabled (false when left out, as CloudFormation documents)."""
    options = prop(res, "LogPublishingOptions")
    if options is None or options.value is None:
        return Field.default(False, res.span)
    if options.unknown or not isinstance(options.value, dict):
        return unknown_field(options.value if options.unknown else "LogPublishingOptions is not a mapping",
                             options)
    audit = options.get("AUDIT_LOGS")
    if audit is None or audit.value is None:
        return Field.default(False, options.span)
    if audit.unknown or not isinstance(audit.value, dict):
        return unknown_field(audit.value if audit.unknown else "AUDIT_LOGS is not a mapping", audit)
    return bool_field(audit.get("Enabled"), False, audit.span)
