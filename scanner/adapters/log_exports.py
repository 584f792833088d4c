"""Lists of log types (`enabled_cloudwatch_logs_exports`, `LogExports`), read the same in every format."""

from __future__ import annotations

from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_str_list


def log_types(node: Node | None, block: Span) -> Field[list[str]]:
    """The log types, lower-cased; empty at the block's first line when absent, Unknown when any is."""
    if node is None or node.value is None:
        return Field.default([], block)
    items = to_str_list(node)
    for item in items:
        if isinstance(item.value, Unknown):
            return Field(item.value, item.span, Origin.EXPLICIT, item.provenance)
    return Field([str(i.value).strip().lower() for i in items], node.span, Origin.EXPLICIT, node.provenance)


def exports(node: Node | None, wanted: str, block: Span) -> Field[bool]:
    """Whether `wanted` is among the log types: a known match wins over unknown elements."""
    if node is None or node.value is None:
        return Field.default(False, block)
    unknown: Field[bool] | None = None
    for item in to_str_list(node):
        if isinstance(item.value, Unknown):
            unknown = Field(item.value, item.span, Origin.EXPLICIT, item.provenance)
        elif str(item.value).strip().lower() == wanted:
            return Field(True, item.span, Origin.EXPLICIT, item.provenance)
    return unknown or Field(False, node.span, Origin.EXPLICIT, node.provenance)
