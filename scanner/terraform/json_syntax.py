"""Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) into the same syntax tree as HCL.

A small JSON scanner keeps the line and column of every value. The tree follows
Terraform's JSON mapping: the top-level properties are block types; a block type
with labels nests one object per label; a block body's properties are arguments,
except `dynamic`, which holds nested blocks. Strings are templates (`"${var.x}"`,
`"arn:${local.p}:*"`, `%{...}` directives), parsed by the HCL parser; `type` in a
`variable` block and the elements of `depends_on` are bare expressions; a
variable's `default` and every `.tfvars.json` value are literal.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.parse import HclSyntaxError

LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
          "check": 1, "locals": 0, "terraform": 0, "moved": 0, "import": 0, "removed": 0}
LITERAL_BODIES = {"terraform", "moved", "import", "removed"}
MARK = "REMIT_JSON_TEMPLATE_END"
MAX_DEPTH = 200  # nested objects and arrays: deeper is refused (Python's stack is the limit)

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass
class JValue:
    """A JSON value with its place: `value` is a scalar, a list of JValue, or for an object a
    list of (key, key's span, JValue) in the order written."""

    value: Any
    span: Span
    kind: str  # "object", "array", "string", "scalar"


class JsonSyntaxError(HclSyntaxError):
    pass


class _Scanner:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.depth = 0

    def where(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.lines, pos)
        return line, pos - self.lines[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        a, b = self.where(start), self.where(end)
        return Span(self.file, a[0], a[1], b[0], b[1])

    def fail(self, message: str, pos: int) -> JsonSyntaxError:
        line, column = self.where(min(pos, len(self.text)))
        return JsonSyntaxError(message, line, column)

    def skip(self, pos: int) -> int:
        return _SPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def document(self) -> JValue:
        pos = self.skip(0)
        value, pos = self.value(pos)
        pos = self.skip(pos)
        if pos != len(self.text):
            raise self.fail("extra data after the JSON value", pos)
        return value

    def value(self, pos: int) -> tuple[JValue, int]:
        text = self.text
        if pos >= len(text):
            raise self.fail("unexpected end of file", pos)
        c = text[pos]
        if c == "{":
            return self.object(pos)
        if c == "[":
            return self.array(pos)
        if c == '"':
            string, end = self.string(pos)
            return JValue(string, self.span(pos, end), "string"), end
        for word, val in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return JValue(val, self.span(pos, pos + len(word)), "scalar"), pos + len(word)
        m = _NUMBER.match(text, pos)
        if m and m.end() > pos:
            raw = m.group()
            num: int | float = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
            return JValue(num, self.span(pos, m.end()), "scalar"), m.end()
        raise self.fail(f"unexpected character {c!r}", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, pos + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as err:
            raise self.fail(f"invalid string: {err.msg}", err.pos) from None

    def nested(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("nesting is too deep", pos)

    def object(self, start: int) -> tuple[JValue, int]:
        self.nested(start)
        items: list[tuple[str, Span, JValue]] = []
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            self.depth -= 1
            return JValue(items, self.span(start, pos + 1), "object"), pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self.fail("expected a property name in double quotes", pos)
            key, end = self.string(pos)
            key_span = self.span(pos, end)
            pos = self.skip(end)
            if not self.text.startswith(":", pos):
                raise self.fail("expected ':'", pos)
            value, pos = self.value(self.skip(pos + 1))
            items.append((key, key_span, value))
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("}", pos):
                self.depth -= 1
                return JValue(items, self.span(start, pos + 1), "object"), pos + 1
            raise self.fail("expected ',' or '}'", pos)

    def array(self, start: int) -> tuple[JValue, int]:
        self.nested(start)
        items: list[JValue] = []
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            self.depth -= 1
            return JValue(items, self.span(start, pos + 1), "array"), pos + 1
        while True:
            value, pos = self.value(pos)
            items.append(value)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("]", pos):
                self.depth -= 1
                return JValue(items, self.span(start, pos + 1), "array"), pos + 1
            raise self.fail("expected ',' or ']'", pos)


def decode(text: str, file: str) -> JValue:
    """JSON text to JValues with spans; raises JsonSyntaxError with a line and column."""
    return _Scanner(text, file).document()


def tfvars_body(text: str, file: str) -> s.Body:
    """A `.tfvars.json` file: each property is a variable's literal value."""
    root = decode(text, file)
    body = s.Body()
    if root.kind != "object":
        raise JsonSyntaxError("a variables file must be a JSON object", root.span.start_line,
                              root.span.start_column)
    for key, key_span, value in root.value:
        body.attributes[key] = s.Attribute(key, literal(value), _join(key_span, value.span))
    return body


def literal(v: JValue) -> s.Expr:
    if v.kind == "object":
        return s.ObjectExpr([(s.Literal(k, ks), literal(x)) for k, ks, x in v.value], v.span)
    if v.kind == "array":
        return s.TupleExpr([literal(x) for x in v.value], v.span)
    return s.Literal(v.value, v.span)


def config_body(text: str, file: str) -> s.Body:
    """A `.tf.json` file as the syntax tree of the equivalent `.tf` file."""
    root = decode(text, file)
    if root.kind != "object":
        raise JsonSyntaxError("a Terraform JSON file must be a JSON object", root.span.start_line,
                              root.span.start_column)
    collect = _Converter(file, None)
    collect.file_body(root)
    parsed = _parse_batch(collect.pending, file)
    return _Converter(file, parsed).file_body(root)


def _join(a: Span, b: Span) -> Span:
    return Span(a.file, a.start_line, a.start_column, b.end_line, b.end_column)


class _Converter:
    """Walks the JSON twice: first collecting the strings to parse (templates and bare
    expressions, parsed in one batch), then building the tree with the parsed results."""

    def __init__(self, file: str, parsed: list[s.Expr] | None) -> None:
        self.file = file
        self.parsed = parsed
        self.pending: list[tuple[str, str, Span]] = []  # (kind, text, span)
        self.next = 0

    def _deferred(self, kind: str, text: str, span: Span) -> s.Expr:
        if self.parsed is None:
            self.pending.append((kind, text, span))
            return s.Literal(text, span)
        expr = self.parsed[self.next]
        self.next += 1
        return expr

    def file_body(self, root: JValue) -> s.Body:
        body = s.Body()
        for key, _key_span, value in root.value:
            if key == "//":
                continue
            self._blocks(key, value, LABELS.get(key, 0), [], body)
        return body

    def _blocks(self, block_type: str, value: JValue, labels_left: int, labels: list[str],
                out: s.Body) -> None:
        if value.kind == "array":
            for item in value.value:
                self._blocks(block_type, item, labels_left, labels, out)
            return
        if value.kind != "object":
            return
        if labels_left > 0:
            for key, _key_span, inner in value.value:
                if key != "//":
                    self._blocks(block_type, inner, labels_left - 1, [*labels, key], out)
            return
        out.blocks.append(s.Block(block_type, labels, self.body(value, block_type), value.span))

    def body(self, obj: JValue, block_type: str = "") -> s.Body:
        body = s.Body()
        for key, key_span, value in obj.value:
            if key == "//":
                continue
            span = _join(key_span, value.span)
            if key == "dynamic" and value.kind == "object":
                for name, _ns, inner in value.value:
                    for item in inner.value if inner.kind == "array" else [inner]:
                        if item.kind == "object":
                            body.blocks.append(s.Block("dynamic", [name], self._dynamic(item),
                                                       item.span))
                continue
            if key in ("lifecycle", "provisioner", "connection") and block_type in ("resource", "data"):
                continue
            expr = self._argument(key, value, block_type)
            body.attributes[key] = s.Attribute(key, expr, span)
        return body

    def _dynamic(self, obj: JValue) -> s.Body:
        body = s.Body()
        for key, key_span, value in obj.value:
            if key == "content" and value.kind == "object":
                body.blocks.append(s.Block("content", [], self.body(value), value.span))
            elif key == "iterator" and value.kind == "string":
                body.attributes[key] = s.Attribute(key, s.Name(value.value, value.span),
                                                   _join(key_span, value.span))
            elif key != "//":
                body.attributes[key] = s.Attribute(key, self.expr(value), _join(key_span, value.span))
        return body

    def _argument(self, key: str, value: JValue, block_type: str) -> s.Expr:
        if block_type in LITERAL_BODIES or (block_type == "variable" and key in (
                "default", "description", "sensitive", "nullable")):
            return literal(value)
        if block_type == "variable" and key == "type" and value.kind == "string":
            return self._deferred("expr", value.value, value.span)
        if block_type == "module" and key in ("source", "version"):
            return literal(value)
        if key == "depends_on" and value.kind == "array":
            return s.TupleExpr([self._deferred("expr", x.value, x.span) if x.kind == "string"
                                else literal(x) for x in value.value], value.span)
        return self.expr(value)

    def expr(self, v: JValue) -> s.Expr:
        if v.kind == "object":
            items: list[tuple[s.Expr, s.Expr]] = []
            for k, ks, x in v.value:
                if k == "//":
                    continue
                items.append((self._string(k, ks), self.expr(x)))
            return s.ObjectExpr(items, v.span)
        if v.kind == "array":
            return s.TupleExpr([self.expr(x) for x in v.value], v.span)
        if v.kind == "string":
            return self._string(v.value, v.span)
        return s.Literal(v.value, v.span)

    def _string(self, text: str, span: Span) -> s.Expr:
        if "${" not in text and "%{" not in text:
            return s.Literal(text, span)
        return self._deferred("template", text, span)


def parse_template(text: str, span: Span) -> s.Expr:
    """A template's text (a JSON string, a `templatefile()` file) as an expression placed at
    `span`; raises HclSyntaxError for a malformed template."""
    if "${" not in text and "%{" not in text:
        return s.Literal(text.replace("$${", "${").replace("%%{", "%{"), span)
    return _parse_batch([("template", text, span)], span.file)[0]


def _parse_batch(pending: list[tuple[str, str, Span]], file: str) -> list[s.Expr]:
    """Parse every deferred string in one HCL document (one parser run, not one per string)."""
    from scanner.terraform.parse import parse_hcl

    if not pending:
        return []
    try:
        body = parse_hcl("".join(_source(i, kind, text) for i, (kind, text, _) in enumerate(pending)),
                         file)
        exprs = [body.attributes[f"v{i}"].expr for i in range(len(pending))]
    except (HclSyntaxError, KeyError):
        exprs = [_parse_one(i, kind, text, span, file) for i, (kind, text, span) in enumerate(pending)]
    return [_finish(expr, kind, span) for expr, (kind, _text, span) in zip(exprs, pending, strict=True)]


def _source(i: int, kind: str, text: str) -> str:
    if kind == "expr":
        return f"v{i} = {text}\n"
    return f"v{i} = <<{MARK}\n{text}\n{MARK}\n"


def _parse_one(i: int, kind: str, text: str, span: Span, file: str) -> s.Expr:
    from scanner.terraform.parse import parse_hcl

    if kind == "template" and (MARK in text or "\r" in text):
        return s.Literal(text, span)
    try:
        return parse_hcl(_source(i, kind, text), file).attributes[f"v{i}"].expr
    except (HclSyntaxError, KeyError) as err:
        what = "expression" if kind == "expr" else "template"
        message = err.message if isinstance(err, HclSyntaxError) else "not a single expression"
        raise JsonSyntaxError(f"in a {what} string: {message}", span.start_line,
                              span.start_column) from None


def _finish(expr: s.Expr, kind: str, span: Span) -> s.Expr:
    """Undo the heredoc's final newline, unwrap a lone interpolation, and place every node of
    the expression at the JSON string."""
    if kind == "template":
        if isinstance(expr, s.Literal) and isinstance(expr.value, str) and expr.value.endswith("\n"):
            expr = s.Literal(expr.value[:-1], span)
        elif isinstance(expr, s.Template):
            parts = list(expr.parts)
            if parts and isinstance(parts[-1], str) and parts[-1].endswith("\n"):
                parts[-1] = parts[-1][:-1]
                if not parts[-1]:
                    parts.pop()
            if len(parts) == 1 and not isinstance(parts[0], (str, s.TemplateIf, s.TemplateFor)):
                expr = parts[0]
            elif all(isinstance(p, str) for p in parts):
                expr = s.Literal("".join(parts), span)  # type: ignore[arg-type]
            else:
                expr = s.Template(parts, span)
    for node in s.walk(expr):
        node.span = span
    return expr
