"""Small helpers shared by the CloudFormation adapters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scanner.adapters.references import with_refs
from scanner.graph import ResourceGraph
from scanner.resources import Format, Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_int, to_str


def resources(graph: ResourceGraph, *types: str) -> list[Resource]:
    """The CloudFormation resources of `types` in the graph."""
    return [r for r in graph.of_type(*types) if r.format is Format.CLOUDFORMATION]


def dig(node: Node | None, *path: str | int) -> Node | None:
    """The node at `path`; an Unknown met on the way is returned (the value below is unknown)."""
    for step in path:
        if node is None or node.unknown:
            return node
        node = node.at(step)
    return node


def prop(resource: Resource, *path: str | int) -> Node | None:
    """A property of the resource's evaluated `Properties`."""
    return dig(resource.body, *path)


def bool_field(node: Node | None, default: bool, block: Span) -> Field[bool]:
    """A boolean property; when absent, `default` at the first line of `block`."""
    return Field.from_node(node, default, block, _scalar(to_bool))


def str_field(node: Node | None, default: str, block: Span) -> Field[str]:
    return Field.from_node(node, default, block, _scalar(to_str))


def int_field(node: Node | None, default: int, block: Span) -> Field[int]:
    return Field.from_node(node, default, block, _scalar(to_int))


def key_field(graph: ResourceGraph, res: Resource, attribute: str, block: Span) -> Field[str]:
    """A KMS key property (`KmsMasterKeyId`, `KMSKeyId`...); "" at `block` when absent."""
    return with_refs(graph, res, attribute, str_field(prop(res, *attribute.split(".")), "", block))


def unknown_field(reason: str | Unknown, node: Node) -> Field[Any]:
    value = reason if isinstance(reason, Unknown) else Unknown(reason)
    return Field(value, node.span, Origin.EXPLICIT, node.provenance)


def _scalar(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, but a mapping or list where a scalar belongs is Unknown, not a crash."""

    def run(value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return Unknown("a mapping or list where a single value was expected")
        return convert(value)

    return run
