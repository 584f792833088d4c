"""Resource policies of KMS keys, SQS queues and SNS topics into views, for every format."""

from __future__ import annotations

from typing import Any, TypeVar

from scanner.adapters.policy import document_node
from scanner.adapters.resource_policy import statement
from scanner.resources import Resource
from scanner.values import Node, Unknown
from scanner.views.resource_policies import ServicePolicy

P = TypeVar("P", bound=ServicePolicy)


def policy_view(cls: type[P], res: Resource, policy: Node, target: str, **extra: Any) -> P:
    """The view of the policy written at `policy` (a node tree or a JSON string)."""
    try:
        doc = document_node(policy)
    except RecursionError:
        doc = Unknown("the policy is nested too deeply to read")
    view = cls(resource=res, target=target, span_of_document=policy.span, **extra)
    if isinstance(doc, Unknown):
        view.unknown = doc
        return view
    raw = doc.get("Statement")
    if raw is not None and raw.unknown:
        view.unknown = raw.value
        return view
    for st in raw.elements() if raw is not None else []:
        view.statements.append(statement(st))
    return view


def written(node: Node | None) -> bool:
    """A policy attribute that is set (not absent, null or the empty string)."""
    return node is not None and node.value not in (None, "")
