"""Variable type constraints, applied as Terraform converts a value to its declared type.

What matters to a rule is mostly `optional(type, default)`: an object attribute
left out takes the default written in the type, so a module's `rules` input of
`[{ port = 22 }]` may well carry `cidr = "0.0.0.0/0"`. Primitive conversions
("22" to a number, true to "true") follow Terraform's. A value that does not
convert is left as it is (Terraform would reject the configuration).
"""

from __future__ import annotations

from typing import Any

from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.values import Node, Unknown

NO_PLACE = Span("", 0)  # values from the command line or the environment: no file to point at
PRIMITIVES = ("string", "number", "bool")


def convert(node: Node, type_expr: s.Expr | None) -> Node:
    if type_expr is None or isinstance(node.value, Unknown):
        return node
    try:
        return _convert(node, type_expr, 0)
    except RecursionError:
        return node


def _convert(node: Node, t: s.Expr, depth: int) -> Node:
    if depth > 64 or isinstance(node.value, Unknown) or node.value is None:
        return node
    if isinstance(t, s.Name):
        if t.name in PRIMITIVES:
            return _primitive(node, t.name)
        return node
    if not isinstance(t, s.Call) or not t.args:
        return node
    name, arg = t.name, t.args[0]
    v = node.value
    if name in ("list", "set") and isinstance(v, list):
        return _like(node, [_convert(n, arg, depth + 1) for n in v])
    if name == "map" and isinstance(v, dict):
        return _like(node, {k: _convert(n, arg, depth + 1) for k, n in v.items()})
    if name == "tuple" and isinstance(v, list) and isinstance(arg, s.TupleExpr):
        types = arg.items
        return _like(node, [_convert(n, types[i], depth + 1) if i < len(types) else n
                            for i, n in enumerate(v)])
    if name == "object" and isinstance(v, dict) and isinstance(arg, s.ObjectExpr):
        out: dict[str, Node] = {}
        for key_expr, attr_type in arg.items:
            key = _literal_key(key_expr)
            if key is None:
                return node
            inner, default = _optional(attr_type)
            present = v.get(key)
            if present is not None and present.value is not None:
                out[key] = _convert(present, inner, depth + 1) if inner is not None else present
            elif default is not None:
                from scanner.terraform.evaluate import Context, Evaluator

                value = Evaluator(Context()).safe(default)
                out[key] = _convert(value, inner, depth + 1) if inner is not None else value
            else:
                out[key] = present if present is not None else Node(None, node.span)
        return _like(node, out)
    return node


def _optional(t: s.Expr) -> tuple[s.Expr | None, s.Expr | None]:
    """(type, default) of an attribute type, unwrapping `optional(type, default)`."""
    if isinstance(t, s.Call) and t.name == "optional" and t.args:
        return t.args[0], t.args[1] if len(t.args) > 1 else None
    return t, None


def _literal_key(e: s.Expr) -> str | None:
    if isinstance(e, s.Literal) and isinstance(e.value, str):
        return e.value
    if isinstance(e, s.Name):
        return e.name
    return None


def _primitive(node: Node, name: str) -> Node:
    v = node.value
    if isinstance(v, (list, dict)):
        return node
    converted: Any = v
    if name == "string" and isinstance(v, (bool, int, float)):
        converted = ("true" if v else "false") if isinstance(v, bool) else (
            str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    elif name == "number" and isinstance(v, str):
        try:
            converted = int(v)
        except ValueError:
            try:
                converted = float(v)
            except ValueError:
                return node
    elif name == "bool" and isinstance(v, str) and v in ("true", "false"):
        converted = v == "true"
    return node if converted is v else Node(converted, node.span, node.provenance, node.encoded)


def _like(node: Node, value: Any) -> Node:
    return Node(value, node.span, node.provenance, node.encoded)


def parse_raw(raw: Any, type_expr: s.Expr | None) -> Node:
    """A `--var` or `TF_VAR_` value: literal text for a primitive type (or none), else an
    expression; text that does not parse as one stays a string."""
    text: str = raw.text
    if type_expr is None or (isinstance(type_expr, s.Name) and type_expr.name in PRIMITIVES):
        return Node(text, NO_PLACE)
    from scanner.terraform.evaluate import Context, Evaluator, respan
    from scanner.terraform.parse import HclSyntaxError, parse_hcl

    try:
        body = parse_hcl(f"v = {text}\n", "")
    except (HclSyntaxError, RecursionError):
        return Node(text, NO_PLACE)
    attr = body.attributes.get("v")
    if attr is None or len(body.attributes) != 1 or body.blocks:
        return Node(text, NO_PLACE)
    return respan(Evaluator(Context()).safe(attr.expr), NO_PLACE, ())
