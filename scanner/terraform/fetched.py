"""Resources of modules `terraform init` fetched into `.terraform/modules`, placed in the code.

Those copies are not part of the repository (`.terraform/` is ignored by git): a finding
on one of their lines would point code scanning and a pre-commit run at a file nobody can
open or change. What the user controls is the module call, so each span inside a fetched
copy moves to the first place of its value's provenance written in the repository (the
call's argument that gave the value), else to the first line of the innermost module
call written in the repository, as for the registry modules remit models
(scanner.terraform.registry_models).
"""

from __future__ import annotations

from dataclasses import replace

from scanner.resources import Reference, Resource
from scanner.source import Span
from scanner.values import Node


def is_fetched(span: Span) -> bool:
    """Whether `span` lies in a `.terraform` folder."""
    return ".terraform" in span.file.split("/")


def place_fetched(res: Resource) -> None:
    """Move `res` out of a fetched module copy, in place; resources of the repository stay."""
    if not is_fetched(res.span):
        return
    calls = tuple(c for c in res.call_chain if not is_fetched(c))
    if not calls:  # a fetched copy scanned on its own: nothing in the repository to point at
        return
    mover = _Mover(calls[-1].head())
    res.span = mover.call
    res.call_chain = calls
    res.body = mover.node(res.body)
    res.references = [Reference(r.target, r.attribute, mover.span(r.span)) for r in res.references]
    if res.region is not None:
        res.region = mover.node(res.region)


class _Mover:
    def __init__(self, call: Span) -> None:
        self.call = call
        self._done: dict[int, Node] = {}

    def span(self, span: Span, provenance: tuple[Span, ...] = ()) -> Span:
        if not is_fetched(span):
            return span
        return next((p for p in provenance if not is_fetched(p)), self.call)

    def node(self, node: Node) -> Node:
        done = self._done.get(id(node))
        if done is not None:
            return done
        value = node.value
        if isinstance(value, dict):
            value = {k: self.node(v) for k, v in value.items()}
        elif isinstance(value, list):
            value = [self.node(v) for v in value]
        moved = replace(
            node, value=value, span=self.span(node.span, node.provenance),
            provenance=tuple(p for p in node.provenance if not is_fetched(p)),
            encoded=None if node.encoded is None else self.node(node.encoded))
        self._done[id(node)] = moved
        return moved
