"""The value model shared by every format.

Parsers and evaluators produce `Node` trees: each value keeps the span it was
written at and, when it arrived through a variable or parameter, the places
that supplied it. Adapters turn nodes into `Field`s of views; a field also says
whether it was set explicitly or is the provider's default, so that a rule can
point at the attribute when it is wrong and at the block when it is missing.

What static analysis cannot know is an `Unknown`, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from scanner.source import Span

T = TypeVar("T")


class Unknown:
    """A value that is not known before deployment. `reason` says why, for a person.

    `refs` names the resources (graph node ids) whose attributes it stands for, so a
    value passed along (`each.value.id`) still links the resources that use it.
    `known` is, for a string built from known and unknown pieces, the text with each
    unknown piece replaced by `PIECE` (`arn:<PIECE>:iam::aws:policy/AdministratorAccess`),
    for rules that need only the known part.
    """

    __slots__ = ("known", "reason", "refs")

    PIECE = "\x00"

    def __init__(self, reason: str = "not known before apply", refs: tuple[str, ...] = (),
                 known: str | None = None) -> None:
        self.reason = reason
        self.refs = refs
        self.known = known

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)


@dataclass
class Node:
    """An evaluated value with its source span.

    `value` is a scalar (str, int, float, bool, None), an `Unknown`, a list of
    nodes or a dict of str to nodes. Terraform blocks become dicts and repeated
    blocks lists of dicts, so `ingress { ... }` and `ingress = [{ ... }]` read alike.
    """

    value: Any
    span: Span
    provenance: tuple[Span, ...] = field(default=())
    # For a string made by encoding a structure (Terraform's jsonencode): that structure,
    # with its own spans, so a policy finding can point inside it.
    encoded: Node | None = None

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict):
            return self.value.get(key)
        return None

    def at(self, *path: str | int) -> Node | None:
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            if isinstance(step, int):
                items = node.value if isinstance(node.value, list) else None
                node = items[step] if items is not None and -len(items) <= step < len(items) else None
            else:
                node = node.get(step)
        return node

    @property
    def unknown(self) -> bool:
        return isinstance(self.value, Unknown)

    def items(self) -> Iterator[tuple[str, Node]]:
        if isinstance(self.value, dict):
            yield from self.value.items()

    def elements(self) -> list[Node]:
        """The node as a list: a list's elements, a single dict or scalar as one element."""
        if isinstance(self.value, list):
            return list(self.value)
        if self.value is None:
            return []
        return [self]

    def plain(self) -> Any:
        """The value with nodes stripped: nested dicts and lists of Python values."""
        v = self.value
        if isinstance(v, dict):
            return {k: n.plain() for k, n in v.items()}
        if isinstance(v, list):
            return [n.plain() for n in v]
        return v

    def contains_unknown(self) -> bool:
        v = self.value
        if isinstance(v, Unknown):
            return True
        if isinstance(v, dict):
            return any(n.contains_unknown() for n in v.values())
        if isinstance(v, list):
            return any(n.contains_unknown() for n in v)
        return False


def node_from_plain(value: Any, span: Span, provenance: tuple[Span, ...] = ()) -> Node:
    """Wrap a plain Python value (e.g. decoded JSON) into nodes that all carry `span`."""
    if isinstance(value, Node):
        return value
    if isinstance(value, dict):
        return Node({str(k): node_from_plain(v, span, provenance) for k, v in value.items()}, span, provenance)
    if isinstance(value, (list, tuple)):
        return Node([node_from_plain(v, span, provenance) for v in value], span, provenance)
    return Node(value, span, provenance)


class Origin(str, Enum):
    EXPLICIT = "explicit"  # written in the template (possibly through a variable)
    DEFAULT = "default"  # not written: the provider's default applies


@dataclass(frozen=True)
class Field(Generic[T]):
    """One property of a view: its value (or Unknown), where it was set, and how."""

    value: T | Unknown
    span: Span
    origin: Origin = Origin.EXPLICIT
    provenance: tuple[Span, ...] = ()

    @property
    def unknown(self) -> bool:
        return isinstance(self.value, Unknown)

    @property
    def explicit(self) -> bool:
        return self.origin is Origin.EXPLICIT

    @property
    def names_something(self) -> bool:
        """An unknown value that certainly names something that exists: a resource of the
        configuration (its refs), or a string with known text around its unknown pieces
        (`arn:${partition}:kms:${region}:${account}:alias/app`)."""
        value = self.value
        if not isinstance(value, Unknown):
            return False
        return bool(value.refs) or bool(value.known and value.known.replace(Unknown.PIECE, "").strip())

    @classmethod
    def default(cls, value: T, block_span: Span) -> Field[T]:
        return cls(value, block_span.head(), Origin.DEFAULT)

    @classmethod
    def from_node(
        cls,
        node: Node | None,
        default: T,
        block_span: Span,
        convert: Callable[[Any], Any] | None = None,
    ) -> Field[T]:
        """A field from an optional node: the default at the block when absent; when null
        (Terraform's "not set"), the default at the attribute that evaluated to null, the line
        the user has to change."""
        if node is None:
            return cls.default(default, block_span)
        if node.value is None:
            return cls(default, node.span, Origin.DEFAULT, node.provenance)
        value = node.value
        if convert is not None and not isinstance(value, Unknown):
            value = convert(value)
        return cls(value, node.span, Origin.EXPLICIT, node.provenance)


def to_bool(value: Any) -> bool | Unknown:
    """Terraform and CloudFormation both accept "true"/"false" strings for booleans."""
    if isinstance(value, (bool, Unknown)):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low == "true":
            return True
        if low == "false":
            return False
    if isinstance(value, (int, float)):
        return bool(value)
    return Unknown(f"not a boolean: {value!r}")


def to_int(value: Any) -> int | Unknown:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return Unknown(f"not a number: {value!r}")
    return Unknown(f"not a number: {value!r}")


def to_str(value: Any) -> str | Unknown:
    if isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return Unknown(f"not a string: {value!r}")


def to_str_list(node: Node | None) -> list[Field[str]]:
    """Each element of a string-or-list node as a field (CloudFormation and IAM allow both)."""
    if node is None or node.value is None:
        return []
    if isinstance(node.value, Unknown):
        return [Field(node.value, node.span, Origin.EXPLICIT, node.provenance)]
    out: list[Field[str]] = []
    for el in node.elements():
        out.append(Field(to_str(el.value) if not isinstance(el.value, (list, dict)) else
                         Unknown("nested value"), el.span, Origin.EXPLICIT, el.provenance))
    return out
