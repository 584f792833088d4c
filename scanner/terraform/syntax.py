"""A small typed syntax tree for HCL, with exact spans.

python-hcl2 parses the text (its Lark grammar, with positions); this module turns
the Lark tree into the few node kinds evaluation needs. Every node carries its
span; picklable plain dataclasses so parsing can run in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from scanner.source import Span


@dataclass
class Literal:
    value: Any  # str, int, float, bool or None
    span: Span


@dataclass
class TemplateIf:
    condition: Expr
    then: list[TemplatePart]
    otherwise: list[TemplatePart]


@dataclass
class TemplateFor:
    key_var: str | None
    value_var: str
    collection: Expr
    body: list[TemplatePart]


TemplatePart = Union[str, "Expr", TemplateIf, TemplateFor]


@dataclass
class Template:
    """A quoted string or heredoc with interpolations or directives."""

    parts: list[TemplatePart]
    span: Span


@dataclass
class TupleExpr:
    items: list[Expr]
    span: Span


@dataclass
class ObjectExpr:
    items: list[tuple[Expr, Expr]]  # key expressions: bare names arrive as Literal strings
    span: Span


@dataclass
class Name:
    """A bare identifier: `var`, `aws_s3_bucket`, a `for` iterator, `each`."""

    name: str
    span: Span


@dataclass
class GetAttr:
    obj: Expr
    name: str
    span: Span


@dataclass
class Index:
    obj: Expr
    key: Expr
    span: Span


@dataclass
class Splat:
    """`obj[*].a.b` / `obj.*.a`: `steps` apply to each element."""

    obj: Expr
    steps: list[tuple[str, Any]]  # ("attr", name) or ("index", Expr)
    span: Span


@dataclass
class Call:
    name: str
    args: list[Expr]
    expand_last: bool
    span: Span


@dataclass
class Unary:
    op: str
    operand: Expr
    span: Span


@dataclass
class Binary:
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass
class Conditional:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span


@dataclass
class ForExpr:
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None for a tuple `[for ...]`
    value: Expr
    condition: Expr | None
    grouping: bool
    span: Span


Expr = (
    Literal | Template | TupleExpr | ObjectExpr | Name | GetAttr | Index | Splat | Call | Unary
    | Binary | Conditional | ForExpr
)


@dataclass
class Attribute:
    name: str
    expr: Expr
    span: Span


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    span: Span


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


def traversal(expr: Expr) -> tuple[str, list[str | Expr]] | None:
    """`a.b[0].c` as ("a", ["b", <0>, "c"]); None when the root is not a bare name."""
    steps: list[str | Expr] = []
    node: Expr = expr
    while True:
        if isinstance(node, GetAttr):
            steps.append(node.name)
            node = node.obj
        elif isinstance(node, Index):
            steps.append(node.key)
            node = node.obj
        elif isinstance(node, Splat):
            return None
        elif isinstance(node, Name):
            steps.reverse()
            return node.name, steps
        else:
            return None


def walk(expr: Expr):
    """Every expression node under `expr`, `expr` included, depth first."""
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (str, type(None))):
            continue
        if isinstance(node, TemplateIf):
            stack.extend([node.condition, *node.then, *node.otherwise])
            continue
        if isinstance(node, TemplateFor):
            stack.extend([node.collection, *node.body])
            continue
        yield node
        if isinstance(node, Template):
            stack.extend(node.parts)
        elif isinstance(node, TupleExpr):
            stack.extend(node.items)
        elif isinstance(node, ObjectExpr):
            for k, v in node.items:
                stack.extend((k, v))
        elif isinstance(node, (GetAttr,)):
            stack.append(node.obj)
        elif isinstance(node, Index):
            stack.extend((node.obj, node.key))
        elif isinstance(node, Splat):
            stack.append(node.obj)
            stack.extend(s[1] for s in node.steps if s[0] == "index")
        elif isinstance(node, Call):
            stack.extend(node.args)
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Conditional):
            stack.extend((node.condition, node.then, node.otherwise))
        elif isinstance(node, ForExpr):
            stack.extend(x for x in (node.collection, node.key, node.value, node.condition) if x)
