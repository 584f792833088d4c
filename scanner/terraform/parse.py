"""HCL text to the syntax tree of `scanner.terraform.syntax`, with spans.

The grammar and lexer are python-hcl2's; the Lark parser is built here so its
grammar cache lives in the user's cache directory (the package folder may be
read-only, and rebuilding the grammar costs seconds in every process).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree

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
            cache = str(folder / f"hcl2-{version}-np.lark.cache")
    except OSError:
        cache = False
    return Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        cache=cache,
        # Spans come from the first and last token of each rule (see `_Converter.span`):
        # cheaper than Lark's meta on every tree node.
        propagate_positions=False,
        postlex=PostLexer(),
        import_paths=[str(grammar.parent)],
    )


def parse_hcl(text: str, file: str) -> s.Body:
    """Parse a whole `.tf` file. Raises HclSyntaxError with a line and column."""
    tree = _lark_parse(text + "\n")
    return _Converter(file).body(tree.children[0])


def _lark_parse(text: str) -> Tree:
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


class _Converter:
    """Lark tree to syntax nodes.

    A heredoc's interpolations are parsed on their own, as `x = <expression>`: the shifts
    place them in the file. `line_shift` is added to every line; `first_column_shift` to
    columns on the expression's first line, `column_shift` to columns on later lines (the
    indentation a `<<-` heredoc removed).
    """

    def __init__(self, file: str, line_shift: int = 0, first_column_shift: int = 0,
                 column_shift: int = 0) -> None:
        self.file = file
        self.line_shift = line_shift
        self.first_column_shift = first_column_shift
        self.column_shift = column_shift

    # -- spans -----------------------------------------------------------------
    def _at(self, line: int, column: int) -> tuple[int, int]:
        shift = self.first_column_shift if line == 1 else self.column_shift
        return line + self.line_shift, column + shift

    def span(self, node: Tree | Token) -> Span:
        if isinstance(node, Token):
            start = self._at(node.line or 1, node.column or 1)
            return Span(self.file, *start, *self._at(*_token_end(node)))
        first, last = _first_token(node), _last_token(node)
        if first is None or last is None:
            return Span(self.file, 1 + self.line_shift, 1)
        start = self._at(first.line or 1, first.column or 1)
        return Span(self.file, *start, *self._at(*_token_end(last)))

    # -- structure -------------------------------------------------------------
    def body(self, tree: Tree) -> s.Body:
        body = s.Body()
        for child in _trees(tree):
            if child.data == "attribute":
                attr = self.attribute(child)
                body.attributes[attr.name] = attr
            elif child.data == "block":
                body.blocks.append(self.block(child))
        return body

    def attribute(self, tree: Tree) -> s.Attribute:
        name_node, expr_node = _trees(tree)
        return s.Attribute(_name_of(name_node), self.expr(expr_node), self.span(tree))

    def block(self, tree: Tree) -> s.Block:
        parts = _trees(tree)
        names = [p for p in parts if p.data != "body"]
        body = next(p for p in parts if p.data == "body")
        labels = [self.string_value(p) if p.data == "string" else _name_of(p) for p in names[1:]]
        return s.Block(_name_of(names[0]), labels, self.body(body), self.span(tree))

    def string_value(self, tree: Tree) -> str:
        out = self.string(tree)
        if isinstance(out, s.Literal) and isinstance(out.value, str):
            return out.value
        return ""

    # -- expressions -----------------------------------------------------------
    def expr(self, tree: Tree) -> s.Expr:
        kind = tree.data
        span = self.span(tree)
        kids = _trees(tree)
        if kind == "expr_term":
            if not kids:  # a bare token cannot happen in this grammar, but be safe
                return s.Literal(None, span)
            return self.expr(kids[0])
        if kind == "int_lit":
            return s.Literal(int(str(tree.children[0])), span)
        if kind == "float_lit":
            return s.Literal(float(str(tree.children[0])), span)
        if kind == "literal_value":
            text = str(tree.children[0])
            return s.Literal({"true": True, "false": False, "null": None}[text], span)
        if kind == "string":
            return self.string(tree)
        if kind == "template_string":
            return s.Literal(unescape(str(tree.children[0])[2:-2]), span)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(tree.children[0], trim=kind.endswith("trim"))
        if kind == "identifier":
            return s.Name(str(tree.children[0]), span)
        if kind == "keyword":
            return s.Name(str(tree.children[0]), span)
        if kind == "tuple":
            return s.TupleExpr([self.expr(k) for k in kids], span)
        if kind == "object":
            items = []
            for elem in kids:
                key_node, value_node = _trees(elem)
                items.append((self.object_key(key_node), self.expr(value_node)))
            return s.ObjectExpr(items, span)
        if kind == "get_attr_expr_term":
            obj, attr = kids
            return s.GetAttr(self.expr(obj), _name_of(_trees(attr)[0]), span)
        if kind == "index_expr_term":
            obj, index = kids
            return s.Index(self.expr(obj), self.index_key(index), span)
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            obj, splat = kids
            steps: list[tuple[str, Any]] = []
            for step in _trees(splat):
                if step.data == "get_attr":
                    steps.append(("attr", _name_of(_trees(step)[0])))
                else:
                    steps.append(("index", self.index_key(step)))
            return s.Splat(self.expr(obj), steps, span)
        if kind == "function_call":
            names = [str(t.children[0]) for t in kids if t.data == "identifier"]
            args_tree = next((t for t in kids if t.data == "arguments"), None)
            args = [self.expr(a) for a in _trees(args_tree)] if args_tree is not None else []
            expand = args_tree is not None and any(
                getattr(t, "type", "") == "ELLIPSIS" for t in args_tree.children)
            return s.Call("::".join(names), args, expand, span)
        if kind == "unary_op":
            op = str(tree.children[0])
            return s.Unary(op, self.expr(kids[0]), span)
        if kind == "binary_op":
            # `a + b + c` nests to the left: walk the chain in a loop, not by recursion,
            # so a long sum or `&&` chain is no deeper than its operands.
            chain: list[tuple[str, Tree, Span]] = []
            node: Tree = tree
            while node.data == "binary_op":
                left, term = _trees(node)[:2]
                op_tree, right = _trees(term)
                chain.append((str(op_tree.children[0]), right, self.span(node)))
                node = left
            result = self.expr(node)
            for op, right, where in reversed(chain):
                result = s.Binary(op, result, self.expr(right), where)
            return result
        if kind == "conditional":
            cond, then, other = kids
            return s.Conditional(self.expr(cond), self.expr(then), self.expr(other), span)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(tree, span)
        raise HclSyntaxError(f"unsupported expression {kind!r}", span.start_line, span.start_column)

    def object_key(self, tree: Tree) -> s.Expr:
        inner = _trees(tree)[0]
        if inner.data == "keyword":
            return s.Literal(str(inner.children[0]), self.span(inner))
        expr = self.expr(inner)
        if isinstance(expr, s.Name):  # a bare key is a string, not a reference
            return s.Literal(expr.name, expr.span)
        return expr

    def index_key(self, tree: Tree) -> s.Expr:
        if tree.data == "short_index":
            token = tree.children[-1]
            return s.Literal(int(str(token)), self.span(token))
        return self.expr(_trees(tree)[0])

    def for_expr(self, tree: Tree, span: Span) -> s.ForExpr:
        kids = _trees(tree)
        intro = kids[0]
        intro_kids = _trees(intro)
        idents = [str(t.children[0]) for t in intro_kids if t.data == "identifier"]
        collection = self.expr(intro_kids[-1])
        key_var, value_var = (idents[0], idents[1]) if len(idents) == 2 else (None, idents[0])
        rest = kids[1:]
        cond = None
        if rest and rest[-1].data == "for_cond":
            cond = self.expr(_trees(rest[-1])[0])
            rest = rest[:-1]
        grouping = any(getattr(t, "type", "") == "ELLIPSIS" for t in tree.children)
        if tree.data == "for_object_expr":
            key, value = self.expr(rest[0]), self.expr(rest[1])
        else:
            key, value = None, self.expr(rest[0])
        return s.ForExpr(key_var, value_var, collection, key, value, cond, grouping, span)

    # -- strings and templates ---------------------------------------------------
    def string(self, tree: Tree) -> s.Expr:
        span = self.span(tree)
        flat: list[Any] = []
        for part in tree.children:
            if isinstance(part, Token):
                continue  # the quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                flat.append(unescape(str(inner)))
                continue
            k = inner.data
            exprs = _trees(inner)
            tokens = [c for c in inner.children if isinstance(c, Token)]
            # `%{~ ... ~}`: a strip marker right after `%{` or right before `}`
            left = len(tokens) > 2 and tokens[1].type == "STRIP_MARKER"
            right = len(tokens) > 2 and tokens[-2].type == "STRIP_MARKER"
            if left:
                flat.append(_STRIP_LEFT)
            if k == "interpolation":
                flat.append(self.expr(exprs[0]))
            elif k == "template_if_start":
                flat.append(("if", self.expr(exprs[0])))
            elif k == "template_else":
                flat.append(("else",))
            elif k == "template_endif":
                flat.append(("endif",))
            elif k == "template_for_start":
                names = [str(t.children[0]) for t in exprs if t.data == "identifier"]
                kv = (names[0], names[1]) if len(names) == 2 else (None, names[0])
                flat.append(("for", kv[0], kv[1], self.expr(exprs[-1])))
            elif k == "template_endfor":
                flat.append(("endfor",))
            if right:
                flat.append(_STRIP_RIGHT)
        return _template(flat, span)

    def heredoc(self, token: Token, trim: bool) -> s.Expr:
        span = self.span(token)
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
        tree = _lark_parse_expression(text, line, column)
        attr = _trees(tree.children[0])[0]
        # Parsed as "x = <text>": the expression starts at column 5 of line 1.
        return _Converter(self.file, line - 1, column - 5, indent).expr(_trees(attr)[1])


def _lark_parse_expression(text: str, line: int, column: int = 5) -> Tree:
    """Parse `text` as `x = <text>`; errors are placed at `line` and `column` of the file."""
    try:
        return _lark_parse(f"x = {text}\n")
    except HclSyntaxError as err:
        where = err.column + column - 5 if err.line == 1 else err.column
        raise HclSyntaxError(f"in template interpolation: {err.message}", line + err.line - 1,
                             max(where, 1)) from None


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


def _token_end(token: Token) -> tuple[int, int]:
    """Where a token's text ends. A heredoc token ends with the new line after its closing
    marker: end on the marker's line instead."""
    line, column = token.end_line or token.line or 1, token.end_column or token.column or 1
    text = str(token)
    if text.endswith("\n") and line > (token.line or 1):
        last = text[:-1].rstrip("\r").rsplit("\n", 1)[-1]
        return line - 1, len(last) + 1
    return line, column


def _first_token(tree: Tree) -> Token | None:
    """The first token of `tree` that is not a new line or comment."""
    return _edge_token(tree, 0)


def _last_token(tree: Tree) -> Token | None:
    """The last token of `tree` that is not a new line or comment."""
    return _edge_token(tree, -1)


def _edge_token(tree: Tree, side: int) -> Token | None:
    node: Any = tree
    while not isinstance(node, Token):
        children = node.children if side == 0 else reversed(node.children)
        for child in children:
            if isinstance(child, Token):
                if child.type != "NL_OR_COMMENT":
                    break
            elif child.data != "new_line_or_comment":
                break
        else:
            return None
        node = child
    return node


def _trees(tree: Tree | None) -> list[Tree]:
    if tree is None:
        return []
    return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _name_of(tree: Tree) -> str:
    """A block type, label or attribute name: identifier, keyword or literal word."""
    if tree.data == "string":
        return "".join(str(c.children[0]) for c in tree.children if not isinstance(c, Token))
    return str(tree.children[0])
