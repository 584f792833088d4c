"""IAM policy documents, wherever they are written."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field, Unknown
from scanner.views.base import View


@dataclass
class Statement:
    effect: Field[str]
    actions: list[Field[str]]
    not_actions: list[Field[str]]
    resources: list[Field[str]]
    not_resources: list[Field[str]]
    has_condition: bool
    span: Span
    sid: str = ""
    # Who the statement is about (resource and trust policies): (kind, value) pairs, kind
    # "*" for `"Principal": "*"`, else "AWS", "Service", "Federated", "CanonicalUser";
    # ("?", unknown) when the principal is not known.
    principals: list[tuple[str, Field[str]]] = field(default_factory=list)
    not_principals: list[tuple[str, Field[str]]] = field(default_factory=list)


@dataclass
class PolicyDocument(View):
    """One policy document. `name` tells several on one resource apart (inline role policies)."""

    name: str
    span_of_document: Span
    statements: list[Statement] = field(default_factory=list)
    # Set when the document could not be evaluated (e.g. built from unknown inputs).
    unknown: Unknown | None = None
    kind: str = "identity"  # "identity" (attached to principals) or "resource" (bucket policy...)

    @property
    def key(self) -> str:
        return self.name
