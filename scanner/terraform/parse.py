"""HCL text to the syntax tree of `scanner.terraform.syntax`, with spans.

The grammar and lexer are python-hcl2's; the Lark parser is built here so its
grammar cache lives in the user's cache directory (the package folder may be
read-only, and rebuilding the grammar costs seconds in every process).
"""

from __future__ import annotations

import functools
import operator
import os
import re
from pathlib import Path
from typing import Any

from lark import Lark, Token
from lark.grammar import Rule

from scanner.source import Span
from scanner.terraform import syntax as s


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "remit"


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    import hcl2
    from hcl2.postlexer import PostLexer

    grammar = Path(hcl2.__file__).parent / "hcl2.lark"
    version = getattr(hcl2, "__version__", "x")
    cache: str | bool = False
    try:
        folder = _cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            cache = str(folder / f"hcl2-{version}-build.lark.cache")
    except OSError:
        cache = False
    parser = Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        cache=cache,
        # The parser calls `_BUILDER` on every reduction: syntax nodes are built while
        # parsing, with no Lark tree and no second walk. Spans come from each rule's first
        # and last token (see `_Builder.span`), cheaper than Lark's meta on every node.
        transformer=_BUILDER,
        propagate_positions=False,
        postlex=PostLexer(),
        import_paths=[str(grammar.parent)],
    )
    _faster_reductions(parser)
    return parser


class _IdentityRule(Rule):
    """A Lark rule hashed and compared by identity (C-level, no Python call)."""

    __slots__ = ()
    __hash__ = object.__hash__
    __eq__ = object.__eq__
    __ne__ = object.__ne__


def _faster_reductions(parser: Lark) -> None:
    """Make each reduction (about 3 per token) cheaper, about 10% of a parse in all.

    Lark looks each rule up in its callbacks and compares it with `!=`, through Python-level
    `__hash__` and `__eq__`: within one parser the parse table and the callbacks share the
    very same rule objects, so identity is enough. And a `?rule` alternative of one symbol
    (`?add_expr: ... | mul_expr`, the operator ladder) returns its only child: a C-level
    `itemgetter(0)` does that without a Python call. Where Lark's internals differ (another
    version), change nothing."""
    try:
        from lark.parse_tree_builder import ExpandSingleChild

        inner = parser.parser.parser.parser  # frontend -> LALR_Parser -> _Parser
        callbacks: dict[Any, Any] = inner.callbacks
        reduced = [arg for state in inner.parse_table.states.values()
                   for _action, arg in state.values() if isinstance(arg, Rule)]
    except (AttributeError, ImportError):
        return
    keys = {id(key) for key in callbacks}
    if type(callbacks) is not dict or not all(id(rule) in keys for rule in reduced):
        return
    items = list(callbacks.items())
    for key, _ in items:
        if type(key) is Rule:
            key.__class__ = _IdentityRule
    callbacks.clear()
    callbacks.update((key, operator.itemgetter(0) if type(callback) is ExpandSingleChild
                      and len(getattr(key, "expansion", ())) == 1 else callback)
                     for key, callback in items)


def parse_hcl(text: str, file: str) -> s.Body:
    """Parse a whole `.tf` file. Raises HclSyntaxError with a line and column."""
    body, _first, error = _BUILDER.run(text + "\n", file)
    if error is not None:
        raise error
    return body


def _lark_parse(text: str) -> Any:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        return _parser().parse(text)
    except UnexpectedCharacters as err:
        _unclosed_heredoc(text, err.pos_in_stream, err.line, err.column)
        char = text[err.pos_in_stream] if 0 <= err.pos_in_stream < len(text) else "?"
        raise HclSyntaxError(f"unexpected character {char!r}", err.line, err.column) from None
    except UnexpectedEOF:
        raise HclSyntaxError("unexpected end of file (an unclosed block, string or bracket?)",
                             *_end_of_text(text)) from None
    except UnexpectedToken as err:
        line, column = err.line, err.column
        if err.token.type == "STRING_CHARS":
            _unclosed_heredoc(text, err.token.start_pos + len(err.token) - len(err.token.lstrip(" \t")),
                              line, column)
        if err.token.type == "$END":  # Lark places it after the last token: not past the text
            line, column = min((line, column), _end_of_text(text))
        raise HclSyntaxError(_describe_token(err.token, err.expected), line, column) from None
    except UnexpectedInput as err:
        raise HclSyntaxError("syntax error", getattr(err, "line", 1), getattr(err, "column", 1)) from None


_HEREDOC_START = re.compile(r"<<-?([A-Za-z_][\w-]*)")


def _unclosed_heredoc(text: str, pos: int, line: int, column: int) -> None:
    """Raise a plain message when `pos` starts a heredoc: the lexer takes a heredoc whole, or
    not at all when its closing line is missing, and would only name the character '<'."""
    found = _HEREDOC_START.match(text, pos) if pos is not None else None
    if found:
        raise HclSyntaxError(f"heredoc {found.group(0)} is not closed: end it with a line "
                             f"holding only {found.group(1)}", line, column)


_FRIENDLY = {
    "RBRACE": "'}'", "LBRACE": "'{'", "RSQB": "']'", "LSQB": "'['", "RPAR": "')'", "LPAR": "'('",
    "EQ": "'='", "COMMA": "','", "NAME": "a name", "NL_OR_COMMENT": "a new line",
    "DBLQUOTE": "'\"'", "COLON": "':'",
}


def _end_of_text(text: str) -> tuple[int, int]:
    """The line and column just after the last character of `text` that is not a new line."""
    body = text.rstrip("\r\n")
    return body.count("\n") + 1, len(body.rsplit("\n", 1)[-1]) + 1


def _describe_token(token: Token, expected: set[str]) -> str:
    if token.type == "$END":
        return "unexpected end of file (an unclosed block, string or bracket?)"
    text = str(token)
    if token.type == "STRING_CHARS":
        # Outside a string, the lexer's last resort takes the rest of the file as text:
        # the culprit is its first character.
        text = text.lstrip(" \t")[:1]
        shown = f"character {text!r}" if text.strip() else "end of line"
    else:
        first = text.split("\n", 1)[0]
        shown = repr(first if len(first) <= 30 else first[:30] + "...") if text.strip() \
            else "end of line"
    wanted = sorted({_FRIENDLY[e] for e in expected if e in _FRIENDLY})
    hint = f"; expected {' or '.join(wanted[:4])}" if wanted else ""
    return f"unexpected {shown}{hint}"


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)


def unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        esc = m.group(1)
        if esc[0] in "uU" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _ESCAPES.get(esc, "\\" + esc)

    return _ESCAPE_RE.sub(repl, text)


_DIRECTIVE_RE = re.compile(
    r"^~?\s*(?:(if)\s+(.*?)|(else)|(endif)|(for)\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+(.*?)|(endfor))\s*~?$",
    re.S,
)


# Nesting deeper than this raises RecursionError, which `scanner.parsing` reports as too
# deep: evaluating or pickling such a tree would recurse as deep. Building it recurses
# nowhere, so depth is counted in the Python frames a recursive walk of the tree takes
# (3 per bracket level, 2 per object or block, 1 per parenthesis or nested `?:`), with
# room below the interpreter's default limit of 1000 for the caller's own frames.
_MAX_DEPTH = 900


class _Part:
    """What a rule built, with the first and last token it covers (new lines and comments
    aside), so the span of any rule above it is known at once, and how deep it nests."""

    __slots__ = ("depth", "first", "last", "node")

    def __init__(self, first: Token, last: Token, node: Any, depth: int = 1) -> None:
        self.first = first
        self.last = last
        self.node = node
        self.depth = depth


class _Builder:
    """Lark callbacks, one per grammar rule, that build syntax nodes as the parser reduces.

    Rules that only carry a token (`identifier`, `int_lit`, ...) return the token: its
    meaning depends on the rule above. Expressions return a `_Part`, whose span (quotes,
    parentheses) may be wider than the node's own (`"${x}"` is the node of `x`).

    A heredoc's interpolations are parsed on their own, as `x = <expression>`, by the same
    parser from within a callback (`run` saves and restores the state): the shifts place them
    in the file. `line_shift` is added to every line; `first_column_shift` to columns on the
    expression's first line, `column_shift` to columns on later lines (the indentation a
    `<<-` heredoc removed).

    An error while building (a malformed template, too deep a nesting) is kept, not raised,
    until the parse ends: a syntax error anywhere in the file comes first, and of several
    errors the first in reading order, with a `for` expression's condition before its result
    (see `_for`).
    """

    def __init__(self) -> None:
        self.file = ""
        self.line_shift = 0
        self.first_column_shift = 0
        self.column_shift = 0
        self.errors: list[tuple[int, int, Exception]] = []  # where the failing rule starts
        self.first_attribute: s.Attribute | None = None
        self.errors_before_first = -1  # len(errors) when the first attribute was built

    def run(self, text: str, file: str, line_shift: int = 0, first_column_shift: int = 0,
            column_shift: int = 0, only_first: bool = False,
            ) -> tuple[s.Body, s.Attribute | None, Exception | None]:
        """Parse `text`: its body, first attribute and first error while building (a syntax
        error is raised). With `only_first`, only an error in the first attribute counts."""
        saved = (self.file, self.line_shift, self.first_column_shift, self.column_shift,
                 self.errors, self.first_attribute, self.errors_before_first)
        self.file, self.line_shift = file, line_shift
        self.first_column_shift, self.column_shift = first_column_shift, column_shift
        self.errors, self.first_attribute, self.errors_before_first = [], None, -1
        try:
            body = _lark_parse(text)
            errors, first, before_first = self.errors, self.first_attribute, self.errors_before_first
        finally:
            (self.file, self.line_shift, self.first_column_shift, self.column_shift,
             self.errors, self.first_attribute, self.errors_before_first) = saved
        if only_first:
            errors = errors[:max(before_first, 0)]
        return body, first, errors[0][2] if errors else None

    # -- spans -----------------------------------------------------------------
    def span(self, first: Token, last: Token) -> Span:
        line, column = first.line or 1, first.column or 1
        end_line, end_column = last.end_line or last.line or 1, last.end_column or last.column or 1
        if end_line > (last.line or 1) and last.endswith("\n"):
            # A heredoc token ends with the new line after its closing marker: end on the
            # marker's line instead.
            end_line, end_column = end_line - 1, len(last[:-1].rstrip("\r").rsplit("\n", 1)[-1]) + 1
        return Span(self.file, line + self.line_shift,
                    column + (self.first_column_shift if line == 1 else self.column_shift),
                    end_line + self.line_shift,
                    end_column + (self.first_column_shift if end_line == 1 else self.column_shift))

    def _failed(self, at: Token, err: Exception, span: Span) -> s.Expr:
        self.errors.append((at.line or 1, at.column or 1, err))
        return s.Literal(None, span)

    def _part(self, first: Token, last: Token, node: Any, depth: int) -> _Part:
        """A `_Part` that nests `depth` deep: past `_MAX_DEPTH`, an error."""
        if depth > _MAX_DEPTH:
            self._too_deep(first)
        return _Part(first, last, node, depth)

    def _too_deep(self, at: Token) -> None:
        if not any(type(e[2]) is RecursionError for e in self.errors):  # once is enough
            self.errors.append((at.line or 1, at.column or 1, RecursionError("nesting too deep")))

    # -- structure -------------------------------------------------------------
    def start(self, c: list[Any]) -> s.Body:
        return c[0].node

    def new_line_or_comment(self, c: list[Any]) -> None:
        return None

    def body(self, c: list[Any]) -> _Part:  # no tokens: `first` and `last` are not used
        body = s.Body()
        depth = 0
        for item in c:
            if item is not None:
                node = item.node
                if type(node) is s.Attribute:
                    body.attributes[node.name] = node
                else:
                    body.blocks.append(node)
                depth = max(depth, item.depth)
        return _Part(None, None, body, depth)  # type: ignore[arg-type]

    def attribute(self, c: list[Any]) -> _Part:
        name, expr = c[0], c[-1]
        attr = s.Attribute(str(name), expr.node, self.span(name, expr.last))
        if self.first_attribute is None:
            self.first_attribute, self.errors_before_first = attr, len(self.errors)
        return _Part(name, expr.last, attr, expr.depth + 1)

    def block(self, c: list[Any]) -> _Part:
        labels: list[str] = []
        for item in c[1:]:
            if type(item) is _Part:  # a quoted label
                value = item.node
                labels.append(value.value if isinstance(value, s.Literal) and isinstance(value.value, str)
                              else "")
            elif type(item) is Token:
                if item.type == "LBRACE":
                    break
                labels.append(str(item))
        body = c[-2]
        return self._part(c[0], c[-1], s.Block(str(c[0]), labels, body.node, self.span(c[0], c[-1])),
                          body.depth + 2)

    # -- tokens, read by the rule above ------------------------------------------
    def identifier(self, c: list[Any]) -> Token:
        return c[0]

    keyword = literal_value = int_lit = float_lit = template_string = identifier
    heredoc_template = heredoc_template_trim = string_part = binary_operator = identifier

    # -- expressions -----------------------------------------------------------
    def expr_term(self, c: list[Any]) -> _Part:
        first = c[0]
        if type(first) is _Part:
            return first
        if first.type == "LPAR":
            inner = next(x for x in c if type(x) is _Part)
            return self._part(first, c[-1], inner.node, inner.depth + 1)
        return _Part(first, first, self._token_expr(first))

    def _token_expr(self, token: Token) -> s.Expr:
        kind = token.type
        span = self.span(token, token)
        try:
            if kind == "NAME":
                return s.Name(str(token), span)
            if kind == "INT_LITERAL":
                return s.Literal(int(str(token)), span)
            if kind == "FLOAT_LITERAL":
                return s.Literal(float(str(token)), span)
            if kind == "TEMPLATE_STRING":
                return s.Literal(unescape(str(token)[2:-2]), span)
            if kind in ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"):
                return self.heredoc(token, span, trim=kind.endswith("TRIM"))
            return s.Literal({"true": True, "false": False, "null": None}[str(token)], span)
        except Exception as err:
            return self._failed(token, err, span)

    def string(self, c: list[Any]) -> _Part:
        first, last = c[0], c[-1]
        span = self.span(first, last)
        depth = 0
        try:
            if len(c) == 3 and type(c[1]) is Token:
                return _Part(first, last, s.Literal(unescape(str(c[1])), span))
            flat: list[Any] = []
            for part in c[1:-1]:
                if type(part) is _Part:  # an interpolation or directive
                    flat.extend(part.node)
                    depth = max(depth, part.depth)
                else:
                    flat.append(unescape(str(part)))
            node = _template(flat, span)
        except Exception as err:
            node = self._failed(first, err, span)
        return self._part(first, last, node, depth + 3 if depth else 1)

    def tuple(self, c: list[Any]) -> _Part:
        items = [x for x in c if type(x) is _Part]
        return self._part(c[0], c[-1], s.TupleExpr([x.node for x in items], self.span(c[0], c[-1])),
                          max((x.depth for x in items), default=0) + 3)

    def object(self, c: list[Any]) -> _Part:
        elems = [x for x in c if type(x) is tuple]
        items = [(key.node, value.node) for key, value in elems]
        depth = max((max(key.depth, value.depth) for key, value in elems), default=0)
        return self._part(c[0], c[-1], s.ObjectExpr(items, self.span(c[0], c[-1])), depth + 2)

    def object_elem(self, c: list[Any]) -> tuple[_Part, _Part]:
        return c[0], c[-1]

    def object_elem_key(self, c: list[Any]) -> _Part:
        key = c[0]
        if type(key) is Token:  # a keyword
            return _Part(key, key, s.Literal(str(key), self.span(key, key)))
        node = key.node
        if isinstance(node, s.Name):  # a bare key is a string, not a reference
            return _Part(key.first, key.last, s.Literal(node.name, node.span), key.depth)
        return key

    def get_attr(self, c: list[Any]) -> _Part:
        return _Part(c[0], c[-1], ("attr", str(c[-1])))

    def braces_index(self, c: list[Any]) -> _Part:
        inner = next(x for x in c if type(x) is _Part)
        return _Part(c[0], c[-1], ("index", inner.node), inner.depth)

    def short_index(self, c: list[Any]) -> _Part:
        token = c[-1]
        span = self.span(token, token)
        try:
            node = s.Literal(int(str(token)), span)
        except Exception as err:
            node = self._failed(token, err, span)
        return _Part(c[0], token, ("index", node))

    def attr_splat(self, c: list[Any]) -> _Part:
        steps = c[1:]
        return _Part(c[0], steps[-1].last if steps else c[0], [x.node for x in steps],
                     max((x.depth for x in steps), default=0))

    full_splat = attr_splat

    def get_attr_expr_term(self, c: list[Any]) -> _Part:
        obj, attr = c
        depth = obj.depth + 1
        if depth > _MAX_DEPTH:
            self._too_deep(obj.first)
        return _Part(obj.first, attr.last, s.GetAttr(obj.node, attr.node[1], self.span(obj.first, attr.last)),
                     depth)

    def index_expr_term(self, c: list[Any]) -> _Part:
        obj, index = c
        return self._part(obj.first, index.last,
                          s.Index(obj.node, index.node[1], self.span(obj.first, index.last)),
                          max(obj.depth, index.depth) + 1)

    def attr_splat_expr_term(self, c: list[Any]) -> _Part:
        obj, splat = c
        return self._part(obj.first, splat.last,
                          s.Splat(obj.node, splat.node, self.span(obj.first, splat.last)),
                          max(obj.depth, splat.depth) + 1)

    full_splat_expr_term = attr_splat_expr_term

    def arguments(self, c: list[Any]) -> tuple[list[_Part], bool]:
        expand = any(type(x) is Token and x.type == "ELLIPSIS" for x in c)
        return [x for x in c if type(x) is _Part], expand

    def function_call(self, c: list[Any]) -> _Part:
        names = [str(x) for x in c if type(x) is Token and x.type == "NAME"]
        args, expand = next((x for x in c if type(x) is tuple), ([], False))
        call = s.Call("::".join(names), [x.node for x in args], expand, self.span(c[0], c[-1]))
        return self._part(c[0], c[-1], call, max((x.depth for x in args), default=0) + 3)

    def unary_op(self, c: list[Any]) -> _Part:
        op, term = c[0], c[-1]
        return self._part(op, term.last, s.Unary(str(op), term.node, self.span(op, term.last)),
                          term.depth + 1)

    def binary_term(self, c: list[Any]) -> tuple[str, _Part]:
        return str(c[0]), c[-1]

    def binary_op(self, c: list[Any]) -> _Part:
        left, (op, right) = c[0], c[1]
        # `a + b + c` nests to the left: it is read in a loop, only the right operand is deeper
        return self._part(left.first, right.last,
                          s.Binary(op, left.node, right.node, self.span(left.first, right.last)),
                          max(left.depth, right.depth + 1))

    def conditional(self, c: list[Any]) -> _Part:
        cond, then, other = (x for x in c if type(x) is _Part)
        node = s.Conditional(cond.node, then.node, other.node, self.span(cond.first, other.last))
        return self._part(cond.first, other.last, node,
                          max(cond.depth, then.depth, other.depth) + 1)

    # -- for expressions -------------------------------------------------------
    def for_intro(self, c: list[Any]) -> tuple[list[str], _Part]:
        names = [str(x) for x in c if type(x) is Token and x.type == "NAME"]
        return names, [x for x in c if type(x) is _Part][-1]

    def for_cond(self, c: list[Any]) -> list[_Part]:
        return [c[-1]]

    def for_tuple_expr(self, c: list[Any]) -> _Part:
        return self._for(c, is_object=False)

    def for_object_expr(self, c: list[Any]) -> _Part:
        return self._for(c, is_object=True)

    def _for(self, c: list[Any], is_object: bool) -> _Part:
        names: list[str] = []
        collection = cond = None
        results: list[_Part] = []
        grouping = False
        for x in c:
            kind = type(x)
            if kind is _Part:
                results.append(x)
            elif kind is tuple:
                names, collection = x
            elif kind is list:
                cond = x[0]
            elif kind is Token and x.type == "ELLIPSIS":
                grouping = True
        assert collection is not None
        if self.errors:
            self._condition_first(c[0], collection, cond)
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        key, value = (results[0].node, results[1].node) if is_object else (None, results[0].node)
        depth = max(x.depth for x in (collection, cond, *results) if x is not None) + 3
        return self._part(c[0], c[-1], s.ForExpr(key_var, value_var, collection.node, key, value,
                                                 cond.node if cond is not None else None, grouping,
                                                 self.span(c[0], c[-1])), depth)

    def _condition_first(self, start: Token, collection: _Part, cond: _Part | None) -> None:
        """Order this `for` expression's errors as a reader of it meets them: collection,
        condition, then result (the condition is written last but read second)."""
        errors = self.errors
        begin = (start.line or 1, start.column or 1)
        i = len(errors)
        while i > 0 and errors[i - 1][:2] >= begin:
            i -= 1

        def rank(error: tuple[int, int, Exception]) -> int:
            for n, part in enumerate((collection, cond)):
                if part is not None and ((part.first.line or 1, part.first.column or 1) <= error[:2]
                                         <= (part.last.line or 1, part.last.column or 1)):
                    return n
            return 2

        errors[i:] = sorted(errors[i:], key=rank)

    # -- strings and templates ---------------------------------------------------
    def interpolation(self, c: list[Any]) -> _Part:
        return _Part(c[0], c[-1], [c[1].node], c[1].depth)

    def _directive(self, c: list[Any], part: tuple[Any, ...], depth: int = 0) -> _Part:
        # `%{~ ... ~}`: a strip marker right after `%{` or right before `}`
        tokens = [x for x in c if type(x) is Token and x.type != "NAME"]
        out: list[Any] = []
        if len(tokens) > 2 and tokens[1].type == "STRIP_MARKER":
            out.append(_STRIP_LEFT)
        out.append(part)
        if len(tokens) > 2 and tokens[-2].type == "STRIP_MARKER":
            out.append(_STRIP_RIGHT)
        return _Part(c[0], c[-1], out, depth)

    def template_if_start(self, c: list[Any]) -> _Part:
        condition = next(x for x in c if type(x) is _Part)
        return self._directive(c, ("if", condition.node), condition.depth)

    def template_else(self, c: list[Any]) -> _Part:
        return self._directive(c, ("else",))

    def template_endif(self, c: list[Any]) -> _Part:
        return self._directive(c, ("endif",))

    def template_endfor(self, c: list[Any]) -> _Part:
        return self._directive(c, ("endfor",))

    def template_for_start(self, c: list[Any]) -> _Part:
        names = [str(x) for x in c if type(x) is Token and x.type == "NAME"]
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        collection = [x for x in c if type(x) is _Part][-1]
        return self._directive(c, ("for", key_var, value_var, collection.node), collection.depth)

    def heredoc(self, token: Token, span: Span, trim: bool) -> s.Expr:
        raw = str(token)
        lines = raw.split("\n")
        body_lines = lines[1:-2]  # drop "<<EOT", the closing marker line and the final ""
        body_lines = [ln.rstrip("\r") for ln in body_lines]
        if trim:
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in body_lines if ln.strip()]
            cut = min(indents, default=0)
            body_lines = [ln[cut:] for ln in body_lines]
        else:
            cut = 0
        text = "\n".join(body_lines) + ("\n" if body_lines else "")
        first_line = span.start_line + 1
        return _template(self.template_text(text, first_line, cut), span)

    def template_text(self, text: str, first_line: int, indent: int = 0) -> list[Any]:
        """Split heredoc text into literal text, interpolations and directives.

        `text` starts at column 1 of `first_line`; `indent` is the indentation a `<<-`
        heredoc removed from each line, added back to the columns of expressions.
        """
        flat: list[Any] = []
        pos = 0
        buf: list[str] = []
        while pos < len(text):
            if text.startswith(("$${", "%%{"), pos):
                buf.append(text[pos + 1: pos + 3])
                pos += 3
                continue
            if text.startswith(("${", "%{"), pos):
                end = _matching_brace(text, pos + 2)
                if end < 0:
                    buf.append(text[pos:])
                    break
                if buf:
                    flat.append("".join(buf))
                    buf = []
                inner = text[pos + 2: end]
                if inner.startswith("~"):
                    flat.append(_STRIP_LEFT)
                if text[pos] == "$":
                    expr = inner.strip().strip("~").strip()
                    where = self._where(text, pos + 2 + inner.find(expr), first_line, indent)
                    flat.append(self.sub_expression(expr, *where))
                else:
                    where = self._where(text, pos + 2, first_line, indent)
                    flat.append(self.directive(inner, *where))
                if inner.endswith("~"):
                    flat.append(_STRIP_RIGHT)
                pos = end + 1
                continue
            buf.append(text[pos])
            pos += 1
        if buf:
            flat.append("".join(buf))
        return flat

    @staticmethod
    def _where(text: str, offset: int, first_line: int, indent: int) -> tuple[int, int, int]:
        """Line and column in the file of `text[offset]`, and the indentation of later lines."""
        line = first_line + text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1 + indent
        return line, column, indent

    def directive(self, inner: str, line: int, column: int = 1, indent: int = 0) -> tuple[Any, ...]:
        m = _DIRECTIVE_RE.match(inner.strip())
        if not m:
            raise HclSyntaxError(f"invalid template directive %{{{inner}}}", line, column)
        lead = len(inner) - len(inner.lstrip())

        def sub(group: int) -> s.Expr:
            # Directives are short and rarely span lines: place the expression by its offset.
            return self.sub_expression(m.group(group), line, column + lead + m.start(group), indent)

        if m.group(1):
            return ("if", sub(2))
        if m.group(3):
            return ("else",)
        if m.group(4):
            return ("endif",)
        if m.group(5):
            a, b = m.group(6), m.group(7)
            kv = (a, b) if b else (None, a)
            return ("for", kv[0], kv[1], sub(8))
        return ("endfor",)

    def sub_expression(self, text: str, line: int, column: int = 1, indent: int = 0) -> s.Expr:
        """Parse `text`, which starts at `line` and `column` of the file, as an expression."""
        try:
            # Parsed as "x = <text>": the expression starts at column 5 of line 1.
            _body, first, error = self.run(f"x = {text}\n", self.file, line - 1, column - 5, indent,
                                           only_first=True)
        except HclSyntaxError as err:
            where = err.column + column - 5 if err.line == 1 else err.column
            raise HclSyntaxError(f"in template interpolation: {err.message}", line + err.line - 1,
                                 max(where, 1)) from None
        if error is not None:
            raise error
        assert first is not None
        return first.expr


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    quote = False
    i = start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


# Strip markers: `${~` / `%{~` removes the white space before, `~}` the white space after.
_STRIP_LEFT = ("~<",)
_STRIP_RIGHT = ("~>",)


def _strip(flat: list[Any]) -> list[Any]:
    """Apply the strip markers to the literal text beside them, and drop the markers."""
    out: list[Any] = []
    strip_next = False
    for part in flat:
        if part == _STRIP_LEFT:
            if out and isinstance(out[-1], str):
                out[-1] = out[-1].rstrip()
            continue
        if part == _STRIP_RIGHT:
            strip_next = True
            continue
        if isinstance(part, str):
            if strip_next:
                part = part.lstrip()
            if out and isinstance(out[-1], str):
                out[-1] += part  # adjacent text (e.g. around an escaped `$${`) is one piece
                continue
        else:
            strip_next = False
        out.append(part)
    return out


def _template(flat: list[Any], span: Span) -> s.Expr:
    """Assemble flat parts (text, expressions, directive markers) into a template."""
    flat = _strip(flat)
    if all(isinstance(p, str) for p in flat):
        return s.Literal("".join(flat), span)
    if len(flat) == 1 and not isinstance(flat[0], (str, tuple)):
        # "${expr}" alone keeps the expression's own type (a list stays a list)
        return flat[0]
    root: list[Any] = []
    stack: list[tuple[Any, list[Any]]] = [(None, root)]  # (open directive, parts being filled)
    for part in flat:
        if not isinstance(part, tuple):
            stack[-1][1].append(part)
            continue
        tag = part[0]
        top = stack[-1][0]
        if tag == "if":
            node = s.TemplateIf(part[1], [], [])
            stack.append((node, node.then))
        elif tag == "for":
            node = s.TemplateFor(part[1], part[2], part[3], [])
            stack.append((node, node.body))
        elif tag == "else" and isinstance(top, s.TemplateIf):
            stack[-1] = (top, top.otherwise)
        elif (tag == "endif" and isinstance(top, s.TemplateIf)) or (
            tag == "endfor" and isinstance(top, s.TemplateFor)
        ):
            stack.pop()
            stack[-1][1].append(top)
        else:
            raise HclSyntaxError(f"unbalanced template directive %{{{tag}}}",
                                 span.start_line, span.start_column)
    if len(stack) != 1:
        raise HclSyntaxError("template directive without its %{endif} or %{endfor}",
                             span.start_line, span.start_column)
    return s.Template(root, span)


_BUILDER = _Builder()
