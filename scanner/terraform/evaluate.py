"""Static evaluation of HCL expressions, as far as Terraform could before `apply`.

Every result is a `Node` carrying the span of the expression that produced it;
a value that came through a variable or local is re-placed at the place of use,
with the definition kept as provenance. Whatever cannot be known (an attribute the
provider computes, a data source, an unknown function) is `Unknown`, and propagates;
a resource instance is a `Partial`: unknown as a whole, its configured arguments known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.values import Node, Unknown

MAX_COLLECTION = 10_000  # a `range()` or `for` larger than this is refused, not expanded
MAX_STRING = 1_000_000  # characters: a longer string (a template, a function's result) is refused
# `for` iterations one module may spend, nested loops included: beyond it, values are Unknown
# (a configuration that builds millions of elements must not hang the scan).
MAX_ITERATIONS = 1_000_000


class EvalError(Exception):
    """An expression that Terraform itself would reject (caught by `try` and `can`)."""


class Choice(Unknown):
    """A conditional whose condition is not known: either option may be the value.

    It is an `Unknown` (rules that see it cannot decide), but it keeps both options so
    that the engine can check each of them as a scenario ("when var.public is true").
    `condition` names the condition as written (and the module instance it is in).
    Any operation on a choice other than passing it along or indexing into it gives a
    plain `Unknown`.
    """

    __slots__ = ("condition", "options")

    def __init__(self, condition: str, options: tuple[Node, Node], reason: str,
                 refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.condition = condition
        self.options = options  # (value when true, value when false)

    def __repr__(self) -> str:
        return f"Choice({self.condition!r})"


class Partial(Unknown):
    """An object only some of whose attributes are known before apply: a resource instance
    (the arguments its configuration sets are known, what the provider computes or defaults
    is not) or one of its nested blocks.

    As a whole it is Unknown (a function, an operator or a rule cannot know the rest);
    reading one attribute (`aws_vpc.main.cidr_block`) asks `attribute`, which gives a
    known value or an Unknown. Pickled or copied, it becomes the plain Unknown it stands for.
    """

    __slots__ = ("_lookup",)

    def __init__(self, reason: str, refs: tuple[str, ...],
                 lookup: Callable[[str, Span], Node]) -> None:
        super().__init__(reason, refs)
        self._lookup = lookup

    def attribute(self, name: str, span: Span) -> Node:
        """The attribute `name`, placed at `span` (where the reference is written)."""
        return self._lookup(name, span)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Unknown, (self.reason, self.refs, self.known))


def refs_of(*nodes: Node | None) -> tuple[str, ...]:
    """The resources whose unknown attributes flowed into these values (for graph edges)."""
    found: dict[str, None] = {}
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        v = n.value
        if isinstance(v, Unknown):
            found.update(dict.fromkeys(v.refs))
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return tuple(sorted(found))


def plain_unknown(node: Node) -> Node:
    """A choice seen as a plain unknown value (after an operation it cannot survive)."""
    v = node.value
    if isinstance(v, Choice):
        return Node(Unknown(v.reason, v.refs), node.span, node.provenance)
    return node


@dataclass
class Context:
    """What names mean while evaluating one module."""

    variables: dict[str, Node] = field(default_factory=dict)
    local_exprs: dict[str, s.Attribute] = field(default_factory=dict)
    # Resolves `type.name`, `data.type.name`, `module.name`: the object and how many of the
    # traversal's steps it consumed, or None when the root is not such a name.
    resolve_object: Callable[[str, list[Any], Span], tuple[Node, int] | None] | None = None
    module_dir: str = "."
    read_file: Callable[[str], str | None] | None = None
    # The module instance being evaluated ("" for a root module, `module.net["a"]`): it
    # qualifies the names of unknown conditions, which differ between instances.
    instance: str = ""
    _locals: dict[str, Node] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)
    iterations: int = 0  # spent of MAX_ITERATIONS

    def iterate(self, count: int) -> None:
        self.iterations += count
        if self.iterations > MAX_ITERATIONS:
            raise EvalError(f"more than {MAX_ITERATIONS} iterations in this module; "
                            "the rest is not evaluated")

    def local(self, name: str, span: Span, ev: Evaluator) -> Node:
        if name in self._locals:
            return self._locals[name]
        attr = self.local_exprs.get(name)
        if attr is None:
            raise EvalError(f"local.{name} is not declared")
        if name in self._evaluating:
            return Node(Unknown(f"local.{name} refers to itself"), span)
        self._evaluating.add(name)
        try:
            value = Evaluator(self).eval(attr.expr)  # locals never see `each` or `count`
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return value


def merge_provenance(*groups: tuple[Span, ...] | list[Span]) -> tuple[Span, ...]:
    """The spans of `groups` in order, each once (a value used twice must not double them)."""
    return tuple(dict.fromkeys(p for group in groups for p in group))


def respan(node: Node, span: Span, origin: tuple[Span, ...] | None = None) -> Node:
    """The same value placed at `span`, remembering where each piece was written."""
    if origin is None:
        prov = merge_provenance((node.span,) if node.span.file else (), node.provenance)
    else:
        prov = origin
    v = node.value
    if isinstance(v, dict):
        v = {k: respan(n, span) for k, n in v.items()}
    elif isinstance(v, list):
        v = [respan(n, span) for n in v]
    encoded = respan(node.encoded, span) if node.encoded is not None else None
    return Node(v, span, prov, encoded)


class Evaluator:
    def __init__(self, ctx: Context, iterators: dict[str, Node] | None = None) -> None:
        self.ctx = ctx
        self.iterators = iterators or {}

    def child(self, extra: dict[str, Node]) -> Evaluator:
        return Evaluator(self.ctx, {**self.iterators, **extra})

    def eval(self, expr: s.Expr) -> Node:
        try:
            return self._eval(expr)
        except RecursionError:
            return Node(Unknown("expression nested too deeply"), expr.span)

    def safe(self, expr: s.Expr) -> Node:
        """Evaluate; an error Terraform would report becomes Unknown with the reason."""
        try:
            return self.eval(expr)
        except EvalError as err:
            return Node(Unknown(str(err)), expr.span)

    # -- the cases -------------------------------------------------------------
    def _eval(self, e: s.Expr) -> Node:
        span = e.span
        if isinstance(e, s.Literal):
            return Node(e.value, span)
        if isinstance(e, s.Template):
            return self._template(e)
        if isinstance(e, s.TupleExpr):
            return Node([self._eval(i) for i in e.items], span)
        if isinstance(e, s.ObjectExpr):
            out: dict[str, Node] = {}
            for k, v in e.items:
                key = self._eval(k)
                if isinstance(key.value, Unknown):
                    return Node(Unknown("an object key is not known", refs_of(key)), span)
                out[_to_key(key.value)] = self._eval(v)
            return Node(out, span)
        if isinstance(e, (s.Name, s.GetAttr, s.Index)):
            return self._traversal(e)
        if isinstance(e, s.Splat):
            return self._splat(e)
        if isinstance(e, s.Call):
            from scanner.terraform.functions import call

            return call(self, e)
        if isinstance(e, s.Unary):
            operand = self._eval(e.operand)
            if isinstance(operand.value, Unknown):
                return Node(plain_unknown(operand).value, span, operand.provenance)
            if e.op == "!":
                return Node(not _bool(operand.value), span, operand.provenance)
            return Node(-_number(operand.value), span, operand.provenance)
        if isinstance(e, s.Binary):
            return self._binary(e)
        if isinstance(e, s.Conditional):
            cond = self._eval(e.condition)
            if isinstance(cond.value, Unknown):
                return self._choice(e, cond)
            chosen = self._eval(e.then if _bool(cond.value) else e.otherwise)
            return Node(chosen.value, chosen.span, merge_provenance(chosen.provenance,
                                                                    cond.provenance))
        if isinstance(e, s.ForExpr):
            return self._for(e)
        raise EvalError(f"cannot evaluate {type(e).__name__}")

    def _choice(self, e: s.Conditional, cond: Node) -> Node:
        """Both options of a conditional whose condition is not known."""
        reason = f"condition not known: {cond.value.reason}"
        options = (self.safe(e.then), self.safe(e.otherwise))
        a, b = options
        if not a.contains_unknown() and not b.contains_unknown() and _equal(a.plain(), b.plain()):
            return Node(a.value, a.span, merge_provenance(a.provenance, cond.provenance))
        name = describe(e.condition)
        if self.ctx.instance:
            name = f"{name} in {self.ctx.instance}"
        return Node(Choice(name, options, reason, refs_of(cond, a, b)), e.span, cond.provenance)

    def _template(self, e: s.Template) -> Node:
        out = _Text()
        prov: list[Span] = []
        refs: list[str] = []
        rendered = self._render(e.parts, out, prov, refs)
        text = "".join(out.pieces)
        if rendered is False or Unknown.PIECE in text:
            known = text if rendered is not False else None
            out = Node(Unknown("a template with unknown parts", tuple(sorted(set(refs))), known),
                       e.span, merge_provenance(prov))
            if known is not None and known.lstrip().startswith("{"):
                out.encoded = json_with_unknowns(known, e.span)
            return out
        return Node(text, e.span, merge_provenance(prov))

    def _render(self, parts: list[s.TemplatePart], out: _Text, prov: list[Span],
                refs: list[str]) -> bool:
        for part in parts:
            if isinstance(part, str):
                out.add(part)
            elif isinstance(part, s.TemplateIf):
                cond = self._eval(part.condition)
                if isinstance(cond.value, Unknown):
                    refs.extend(refs_of(cond))
                    return False
                branch = part.then if _bool(cond.value) else part.otherwise
                if not self._render(branch, out, prov, refs):
                    return False
            elif isinstance(part, s.TemplateFor):
                coll = self._eval(part.collection)
                if isinstance(coll.value, Unknown):
                    refs.extend(refs_of(coll))
                    return False
                pairs = _iterate(coll)
                self.ctx.iterate(len(pairs))
                for k, v in pairs:
                    sub = {part.value_var: v}
                    if part.key_var:
                        sub[part.key_var] = k
                    if not self.child(sub)._render(part.body, out, prov, refs):
                        return False
            else:
                node = self._eval(part)
                prov.extend(node.provenance)
                if isinstance(node.value, Unknown):  # keep rendering: the rest may be known
                    refs.extend(refs_of(node))
                    known = node.value.known  # `arn:` of an ARN known only after apply
                    out.add(known if known is not None else Unknown.PIECE)
                    continue
                if isinstance(node.value, (list, dict)):
                    raise EvalError("cannot interpolate a list or object into a string")
                out.add(_to_string(node.value))
        return True

    def _traversal(self, e: s.Expr) -> Node:
        path = s.traversal(e)
        if path is None:  # e.g. (expr).attr or func()[0]
            return self._access(e)
        root, steps = path
        span = e.span
        if root in self.iterators:  # each, count, a `for` or `dynamic` iterator: placed here
            return respan(self._steps(self.iterators[root], steps, span), span)
        if root == "var" and steps and isinstance(steps[0], str):
            var = self.ctx.variables.get(steps[0])
            if var is None:
                raise EvalError(f"var.{steps[0]} is not declared")
            return self._steps(respan(var, span), steps[1:], span)
        if root == "local" and steps and isinstance(steps[0], str):
            value = self.ctx.local(steps[0], span, self)
            return self._steps(respan(value, span), steps[1:], span)
        if root == "path" and steps and steps[0] in ("module", "root", "cwd"):
            return Node(self.ctx.module_dir, span)
        if root in ("each", "count", "self"):
            return Node(Unknown(f"{root} is not available here"), span)
        if root == "terraform" and steps == ["workspace"]:
            return Node(Unknown("terraform.workspace is chosen at run time"), span)
        if self.ctx.resolve_object is not None:
            evaluated = [self._eval(st).value if not isinstance(st, str) else st for st in steps]
            found = self.ctx.resolve_object(root, evaluated, span)
            if found is not None:
                node, used = found
                return self._steps(node, steps[used:], span)
        return Node(Unknown(f"{_render_path(root, steps)} is known only after apply"), span)

    def _steps(self, node: Node, steps: list[str | s.Expr], span: Span) -> Node:
        for i, step in enumerate(steps):
            if isinstance(node.value, Choice):  # into each option
                rest = steps[i:]
                choice = node.value
                options = tuple(self._safe_steps(opt, rest, span) for opt in choice.options)
                return Node(Choice(choice.condition, (options[0], options[1]), choice.reason,
                                   refs_of(*options)), span, node.provenance)
            if isinstance(node.value, Unknown) and not isinstance(node.value, Partial):
                return Node(node.value, span, node.provenance)
            key_node = None if isinstance(step, str) else self._eval(step)
            key: Any = step if key_node is None else key_node.value
            if isinstance(key, Unknown):
                return Node(Unknown("an index is not known", refs_of(node, key_node)), span,
                            node.provenance)
            node = _index(node, key)
        return node

    def _safe_steps(self, node: Node, steps: list[str | s.Expr], span: Span) -> Node:
        try:
            return self._steps(node, steps, span)
        except EvalError as err:
            return Node(Unknown(str(err)), span)

    def _access(self, e: s.Expr) -> Node:
        if isinstance(e, s.GetAttr):
            return self._steps(self._eval(e.obj), [e.name], e.span)
        if isinstance(e, s.Index):
            return self._steps(self._eval(e.obj), [e.key], e.span)
        raise EvalError("unsupported traversal")

    def _splat(self, e: s.Splat) -> Node:
        base = plain_unknown(self._eval(e.obj))
        if isinstance(base.value, Unknown) and not isinstance(base.value, Partial):
            return Node(base.value, e.span, base.provenance)
        items = base.value if isinstance(base.value, list) else ([] if base.value is None else [base])
        out = []
        for item in items:
            node = item
            for kind, step in e.steps:
                key = step if kind == "attr" else self._eval(step).value
                node = _index(node, key)
            out.append(node)
        return Node(out, e.span, base.provenance)

    def _binary(self, e: s.Binary) -> Node:
        # Left-nested chains (`a + b + c`) are folded in a loop, not by recursion.
        chain: list[s.Binary] = []
        node: s.Expr = e
        while isinstance(node, s.Binary):
            chain.append(node)
            node = node.left
        result = self._eval(node)
        for step in reversed(chain):
            result = self._binary_step(step, result)
        return result

    def _binary_step(self, e: s.Binary, left: Node) -> Node:
        op = e.op
        if op in ("&&", "||") and not isinstance(left.value, Unknown):
            lv = _bool(left.value)
            if (op == "&&" and not lv) or (op == "||" and lv):
                return Node(lv, e.span, left.provenance)
        right = self._eval(e.right)
        prov = merge_provenance(left.provenance, right.provenance)
        if isinstance(left.value, Unknown) or isinstance(right.value, Unknown):
            if (op == "&&" and right.value is False) or (op == "||" and right.value is True):
                return Node(right.value, e.span, prov)
            return Node(Unknown("an operand is not known", refs_of(left, right)), e.span, prov)
        a, b = left.plain(), right.plain()
        if op == "==":
            return Node(_equal(a, b), e.span, prov)
        if op == "!=":
            return Node(not _equal(a, b), e.span, prov)
        if op in ("&&", "||"):
            return Node(_bool(b), e.span, prov)
        x, y = _number(a), _number(b)
        result: Any
        if op == "+":
            result = x + y
        elif op == "-":
            result = x - y
        elif op == "*":
            result = x * y
        elif op == "/":
            if y == 0:
                raise EvalError("division by zero")
            result = x / y
            if isinstance(result, float) and result.is_integer():
                result = int(result)
        elif op == "%":
            if y == 0:
                raise EvalError("division by zero")
            result = x % y
        elif op == "<":
            result = x < y
        elif op == ">":
            result = x > y
        elif op == "<=":
            result = x <= y
        elif op == ">=":
            result = x >= y
        else:
            raise EvalError(f"unknown operator {op}")
        return Node(result, e.span, prov)

    def _for(self, e: s.ForExpr) -> Node:
        coll = self._eval(e.collection)
        if isinstance(coll.value, Unknown):
            return Node(Unknown(f"for expression over a value not known: {coll.value.reason}",
                                refs_of(coll)), e.span, coll.provenance)
        pairs = _iterate(coll)
        if len(pairs) > MAX_COLLECTION:
            raise EvalError(f"for expression over more than {MAX_COLLECTION} elements")
        self.ctx.iterate(len(pairs))
        items: list[Node] = []
        obj: dict[str, Node] = {}
        for k, v in pairs:
            sub = {e.value_var: v}
            if e.key_var:
                sub[e.key_var] = k
            ev = self.child(sub)
            if e.condition is not None:
                cond = ev._eval(e.condition)
                if isinstance(cond.value, Unknown):
                    return Node(Unknown("a for expression's condition is not known"), e.span)
                if not _bool(cond.value):
                    continue
            value = ev._eval(e.value)
            if e.key is None:
                items.append(value)
                continue
            key = ev._eval(e.key)
            if isinstance(key.value, Unknown):
                return Node(Unknown("a for expression's key is not known"), e.span)
            name = _to_key(key.value)
            if e.grouping:
                group = obj.setdefault(name, Node([], e.span))
                group.value.append(value)
            elif name in obj:
                raise EvalError(f"duplicate key {name!r} in for expression")
            else:
                obj[name] = value
        return Node(items if e.key is None else obj, e.span, coll.provenance)


# -- helpers on values -----------------------------------------------------------

_HOLE = "\ue000"  # stands for an unknown piece while JSON text is decoded


def json_with_unknowns(text: str, span: Span) -> Node | None:
    """A JSON document written as a template (a heredoc policy) whose unknown pieces all sit
    inside string values (`"Resource": "${aws_sqs_queue.q.arn}"`): its structure, each such
    string Unknown, so that the rest of the document can still be judged. None otherwise.
    Values are placed on their lines when the text fills the attribute's lines (a heredoc,
    whose body starts on the line after its opening marker)."""
    from scanner.terraform.json_syntax import JsonSyntaxError, JValue, decode

    if _HOLE in text:
        return None
    try:
        root = decode(text.replace(Unknown.PIECE, _HOLE), span.file)
    except (JsonSyntaxError, RecursionError):
        return None
    lines = text.count("\n")
    placed = bool(lines) and span.end_line - span.start_line >= lines

    def where(v: JValue) -> Span:
        if not placed:
            return span
        at = v.span
        return Span(span.file, at.start_line + span.start_line, at.start_column,
                    at.end_line + span.start_line, at.end_column)

    def convert(v: JValue, depth: int) -> Node:
        if depth > 64:
            raise RecursionError
        if v.kind == "object":
            if any(_HOLE in key for key, _, _ in v.value):
                raise ValueError("an unknown key")
            return Node({key: convert(item, depth + 1) for key, _, item in v.value}, where(v))
        if v.kind == "array":
            return Node([convert(item, depth + 1) for item in v.value], where(v))
        if isinstance(v.value, str) and _HOLE in v.value:
            known = v.value.replace(_HOLE, Unknown.PIECE)
            return Node(Unknown("a string with unknown parts", (), known), where(v))
        return Node(v.value, where(v))

    try:
        return convert(root, 0)
    except (ValueError, RecursionError):
        return None


class _Text:
    """A template's rendered pieces, refused beyond MAX_STRING characters."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.size = 0

    def add(self, piece: str) -> None:
        self.size += len(piece)
        if self.size > MAX_STRING:
            raise EvalError(f"a string longer than {MAX_STRING} characters")
        self.pieces.append(piece)


def _render_path(root: str, steps: list[Any]) -> str:
    out = root
    for st in steps:
        out += f".{st}" if isinstance(st, str) else "[...]"
    return out


def _iterate(coll: Node) -> list[tuple[Node, Node]]:
    v = coll.value
    if isinstance(v, dict):
        return [(Node(k, coll.span), n) for k, n in sorted(v.items())]
    if isinstance(v, list):
        return [(Node(i, coll.span), n) for i, n in enumerate(v)]
    if v is None:
        return []
    raise EvalError("can only iterate over a list, set, map or object")


def _index(node: Node, key: Any) -> Node:
    v = node.value
    if isinstance(v, Partial):
        if isinstance(key, str):
            return v.attribute(key, node.span)
        return Node(Unknown(v.reason, v.refs), node.span, node.provenance)
    if isinstance(v, Unknown):
        return plain_unknown(node)
    if isinstance(v, dict):
        k = _to_key(key)
        if k not in v:
            raise EvalError(f"no attribute or key {k!r}")
        return v[k]
    if isinstance(v, list):
        try:
            i = int(_number(key))
        except EvalError:
            raise EvalError(f"a list index must be a number, not {key!r}") from None
        if not 0 <= i < len(v):
            raise EvalError(f"index {i} out of range for a list of {len(v)}")
        return v[i]
    raise EvalError(f"cannot index a {type(v).__name__} with {key!r}")


def _to_key(value: Any) -> str:
    if isinstance(value, (list, dict)):
        raise EvalError("an object key must be a string")
    return _to_string(value)


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise EvalError("cannot use null as a string")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError(f"a number is required, not {value!r}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                pass
    raise EvalError(f"a number is required, not {value!r}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a boolean is required, not {value!r}")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return a == b
    return type(a) is type(b) and a == b


# -- naming a condition ------------------------------------------------------------

_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def describe(e: s.Expr, depth: int = 0) -> str:
    """An expression written back as Terraform text, for messages ("var.env == \"prod\"")."""
    if depth > 12:
        return "..."
    d = depth + 1
    if isinstance(e, s.Literal):
        if isinstance(e.value, str):
            return _quote(e.value)
        if e.value is None:
            return "null"
        return _to_string(e.value)
    if isinstance(e, s.Name):
        return e.name
    if isinstance(e, s.GetAttr):
        return f"{describe(e.obj, d)}.{e.name}"
    if isinstance(e, s.Index):
        return f"{describe(e.obj, d)}[{describe(e.key, d)}]"
    if isinstance(e, s.Splat):
        steps = "".join(f".{x}" if k == "attr" else f"[{describe(x, d)}]" for k, x in e.steps)
        return f"{describe(e.obj, d)}[*]{steps}"
    if isinstance(e, s.Call):
        args = ", ".join(describe(a, d) for a in e.args)
        return f"{e.name}({args}{'...' if e.expand_last else ''})"
    if isinstance(e, s.Unary):
        return f"{e.op}{_operand(e.operand, 7, d)}"
    if isinstance(e, s.Binary):
        prec = _PRECEDENCE.get(e.op, 0)
        return f"{_operand(e.left, prec, d)} {e.op} {_operand(e.right, prec + 1, d)}"
    if isinstance(e, s.Conditional):
        return f"{describe(e.condition, d)} ? {describe(e.then, d)} : {describe(e.otherwise, d)}"
    if isinstance(e, s.Template):
        text = "".join(p if isinstance(p, str) else
                       "${" + describe(p, d) + "}" if not isinstance(p, (s.TemplateIf, s.TemplateFor))
                       else "%{...}" for p in e.parts)
        return _quote(text)
    if isinstance(e, s.TupleExpr):
        return "[" + ", ".join(describe(i, d) for i in e.items) + "]"
    if isinstance(e, s.ObjectExpr):
        return "{ " + ", ".join(f"{describe(k, d)} = {describe(v, d)}" for k, v in e.items) + " }"
    return f"the expression at {e.span.file}:{e.span.start_line}"


def _operand(e: s.Expr, prec: int, depth: int) -> str:
    text = describe(e, depth)
    if (isinstance(e, s.Binary) and _PRECEDENCE.get(e.op, 0) < prec) or isinstance(e, s.Conditional):
        return f"({text})"
    return text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
