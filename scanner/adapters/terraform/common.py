"""Helpers for reading Terraform resource bodies and the resources attached to them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from scanner.graph import ResourceGraph
from scanner.resources import Format, Resource
from scanner.values import Field, Node, Unknown

T = TypeVar("T")

# The module instances at the start of an address: `module.net["eu"].module.sg[0].`
_MODULE_PATH = re.compile(r'(?:module\.[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)*')


def module_path(address: str) -> str:
    """The module instance a resource address belongs to ("" for the root module)."""
    m = _MODULE_PATH.match(address)
    return m.group() if m else ""


def terraform_resources(graph: ResourceGraph, *types: str) -> list[Resource]:
    return [r for r in graph.of_type(*types) if r.format is Format.TERRAFORM]


def block(node: Node | None, name: str) -> Node | None:
    """The first `name { ... }` block (or `name = {...}` / `name = [{...}]` attribute)."""
    if node is None:
        return None
    found = node.get(name)
    if found is None:
        return None
    if isinstance(found.value, list):
        return found.value[0] if found.value else None
    return found


def field(res_or_node: Resource | Node | None, key: str, default: T, block_span: Any,
          convert: Callable[[Any], Any] | None = None) -> Field[T]:
    node = res_or_node.body if isinstance(res_or_node, Resource) else res_or_node
    value = node.get(key) if node is not None else None
    return Field.from_node(value, default, block_span, convert)


def name_of(res: Resource, key: str) -> str | None:
    """A literal name attribute (`bucket`, `name`), when known."""
    node = res.body.get(key)
    return node.value if node is not None and isinstance(node.value, str) else None


class Attachments:
    """Resources that attach to a target through one attribute: by reference or by literal name.

    `unresolved` lists the attachments in the same module instance whose target cannot
    be known: the target may or may not be among them, so the answer is Unknown.
    """

    def __init__(self, graph: ResourceGraph, types: Iterable[str], attribute: str) -> None:
        self.graph = graph
        self.types = tuple(types)
        self.attribute = attribute
        # Indexed once, so that each target costs a look-up, not a pass over all attachments.
        self._by_name: dict[tuple[str, str], list[Resource]] = {}
        self._unresolved_scopes: set[tuple[str, str]] = set()
        for res in terraform_resources(graph, *self.types):
            node = _dotted(res.body, attribute)
            if node is None:
                continue
            if isinstance(node.value, str):
                self._by_name.setdefault((res.scope, node.value), []).append(res)
            elif isinstance(node.value, Unknown) and not node.value.refs and not graph.targets(res, attribute):
                self._unresolved_scopes.add((res.scope, module_path(res.address)))

    def of(self, target: Resource, target_name: str | None) -> tuple[list[Resource], bool]:
        found = {r.id: r for r in self.graph.referrers(target, self.types, self.attribute)}
        if target_name:
            found.update((r.id, r) for r in self._by_name.get((target.scope, target_name), ()))
        unresolved = (target.scope, module_path(target.address)) in self._unresolved_scopes
        return [found[k] for k in sorted(found)], unresolved


def _dotted(body: Node, path: str) -> Node | None:
    """`logging.target_bucket`: the attribute inside the first `logging` block."""
    *blocks, last = path.split(".")
    node: Node | None = body
    for name in blocks:
        node = block(node, name)
    return node.get(last) if node is not None else None
