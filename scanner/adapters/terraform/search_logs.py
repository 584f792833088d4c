"""Whether an OpenSearch (or Elasticsearch) domain publishes its audit logs, for the
SearchDomain view. Not a service module: `scanner.adapters.terraform.datastores` calls it."""

from __future__ import annotations

from typing import Any

from scanner.adapters.terraform.common import field
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown, to_bool, to_str


def audit_logs(res: Resource) -> Field[bool]:
    """True when a `log_publishing_options` block of log_type AUDIT_LOGS is enabled (the
    provider's default); False at the block's `enabled`, or at the resource when none exists."""
    options = res.body.get("log_publishing_options")
    if options is None or options.value is None:
        return Field.default(False, res.span)
    if options.unknown:
        return Field(options.value, options.span, Origin.EXPLICIT, options.provenance)
    undecided: Field[bool] | None = None
    for option in options.elements():
        if option.unknown or not isinstance(option.value, dict):
            undecided = Field(Unknown("a log publishing option is not known"), option.span)
            continue
        kind = field(option, "log_type", "", option.span, to_str)
        if kind.unknown:
            undecided = Field(Unknown("the type of a published log is not known"), kind.span)
            continue
        if str(kind.value).upper() == "AUDIT_LOGS":
            return field(option, "enabled", True, option.span, _bool)
    return undecided if undecided is not None else Field.default(False, res.span)


def _bool(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return Unknown("a block or list where a boolean was expected")
    return to_bool(value)
