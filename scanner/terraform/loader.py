"""A Terraform module directory, evaluated into resource instances.

All `.tf` files of one directory form a module. Variables take their defaults
(or the values given), locals are evaluated on demand, `count` and `for_each`
expand into instances with Terraform's addresses, `dynamic` blocks into their
nested blocks, and every reference to another resource becomes a graph edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.evaluate import MAX_COLLECTION, Context, EvalError, Evaluator, _to_key
from scanner.values import Node, Unknown

META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner",
                  "connection"}
NOT_RESOURCE_ROOTS = {"var", "local", "each", "count", "self", "path", "terraform", "module", "data"}


@dataclass
class ModuleSource:
    """The parsed files of one module directory."""

    directory: str  # relative to the scan root, "." for the root itself
    files: list[tuple[str, s.Body]] = field(default_factory=list)


@dataclass
class _Decl:
    block: s.Block
    mode: str  # "resource" or "data"
    type: str
    name: str

    @property
    def base(self) -> str:
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"


def load_module(
    module: ModuleSource,
    variables: dict[str, Node] | None = None,
    read_file: Callable[[str], str | None] | None = None,
) -> tuple[list[Resource], list[Diagnostic]]:
    return _ModuleLoader(module, variables or {}, read_file).load()


class _ModuleLoader:
    def __init__(self, module: ModuleSource, given: dict[str, Node],
                 read_file: Callable[[str], str | None] | None) -> None:
        self.module = module
        self.scope = module.directory
        self.diagnostics: list[Diagnostic] = []
        self.decls: list[_Decl] = []
        self.ctx = Context(module_dir=module.directory, read_file=read_file)
        self.ctx.resolve_object = self._resolve_object
        self.resource_types: set[str] = set()
        self.instances: dict[str, list[tuple[Any, str]]] = {}  # base -> [(key, id)]
        self.by_base: dict[str, _Decl] = {}
        # Expansions are computed on demand, so that `for_each = aws_s3_bucket.b` can see
        # the instance keys of a resource declared later; `_expanding` breaks cycles.
        self._expanded: dict[int, list[tuple[Any, Evaluator, bool]]] = {}
        self._expanding: set[int] = set()
        self._collect(given)

    # -- declarations ------------------------------------------------------------
    def _collect(self, given: dict[str, Node]) -> None:
        for _path, body in self.module.files:
            for block in body.blocks:
                if block.type in ("resource", "data") and len(block.labels) == 2:
                    decl = _Decl(block, block.type, block.labels[0], block.labels[1])
                    self.decls.append(decl)
                    self.by_base.setdefault(decl.base, decl)
                    if block.type == "resource":
                        self.resource_types.add(decl.type)
                elif block.type == "variable" and block.labels:
                    self.ctx.variables[block.labels[0]] = self._variable(block, given)
                elif block.type == "locals":
                    self.ctx.local_exprs.update(block.body.attributes)
                elif block.type == "module" and block.labels:
                    self._module_call(block)

    def _variable(self, block: s.Block, given: dict[str, Node]) -> Node:
        name = block.labels[0]
        if name in given:
            return given[name]
        default = block.body.attributes.get("default")
        if default is None:
            return Node(Unknown(f"var.{name} has no default and no value was given"), block.span.head())
        return Evaluator(Context()).safe(default.expr)

    def _module_call(self, block: s.Block) -> None:
        source = block.body.attributes.get("source")
        value = Evaluator(Context()).safe(source.expr).value if source else None
        if isinstance(value, str) and not value.startswith(("./", "../")):
            self.diagnostics.append(Diagnostic(
                block.span.file, block.span.start_line, block.span.start_column,
                DiagnosticLevel.NOTE, "module-not-resolved",
                f"module {block.labels[0]!r}: remote source {value!r} is not fetched; "
                "its resources are not scanned",
            ))

    # -- loading -----------------------------------------------------------------
    def load(self) -> tuple[list[Resource], list[Diagnostic]]:
        planned: list[tuple[_Decl, Any, Evaluator, bool]] = []
        for decl in self.decls:
            for key, ev, unknown_expansion in self._expansion(decl) or []:
                planned.append((decl, key, ev, unknown_expansion))
        resources = [self._instance(decl, key, ev) for decl, key, ev, _ in planned]
        return resources, self.diagnostics

    def _expansion(self, decl: _Decl) -> list[tuple[Any, Evaluator, bool]] | None:
        """The instances of `decl` (memoised); None while it is being expanded (a cycle)."""
        key = id(decl)
        if key in self._expanded:
            return self._expanded[key]
        if key in self._expanding:
            return None
        self._expanding.add(key)
        try:
            result = self._expand(decl)
        finally:
            self._expanding.discard(key)
        self._expanded[key] = result
        for k, _ev, _unknown in result:
            address = decl.base if k is None else f"{decl.base}[{_key_repr(k)}]"
            self.instances.setdefault(decl.base, []).append((k, f"{self.scope}::{address}"))
        return result

    def _expand(self, decl: _Decl) -> list[tuple[Any, Evaluator, bool]]:
        base = Evaluator(self.ctx)
        attrs = decl.block.body.attributes
        if "count" in attrs:
            node = base.safe(attrs["count"].expr)
            if isinstance(node.value, Unknown):
                return [(None, base.child({"count": _obj({"index": Node(Unknown(
                    "count is not known"), node.span)}, node.span)}), True)]
            try:
                n = int(node.value)
            except (TypeError, ValueError):
                self._warn(attrs["count"].span, f"count is not a number: {node.value!r}")
                return [(None, base, True)]
            n = self._limit(n, attrs["count"].span)
            return [(i, base.child({"count": _obj({"index": Node(i, node.span)}, node.span)}), False)
                    for i in range(n)]
        if "for_each" in attrs:
            node = base.safe(attrs["for_each"].expr)
            if isinstance(node.value, Unknown) or not isinstance(node.value, (dict, list)) or (
                    isinstance(node.value, list) and any(n.unknown for n in node.value)):
                unknown = Node(Unknown("for_each is not known"), node.span)
                return [(None, base.child({"each": _obj({"key": unknown, "value": unknown},
                                                        node.span)}), True)]
            pairs = _each_pairs(node)
            pairs = pairs[: self._limit(len(pairs), attrs["for_each"].span)]
            return [(k, base.child({"each": _obj({"key": Node(k, node.span), "value": v}, node.span)}),
                     False) for k, v in pairs]
        return [(None, base, False)]

    def _limit(self, n: int, span: Span) -> int:
        if n > MAX_COLLECTION:
            self._warn(span, f"{n} instances: only the first {MAX_COLLECTION} are scanned")
            return MAX_COLLECTION
        return max(n, 0)

    def _warn(self, span: Span, message: str) -> None:
        self.diagnostics.append(Diagnostic(span.file, span.start_line, span.start_column,
                                           DiagnosticLevel.WARNING, "evaluation", message))

    def _instance(self, decl: _Decl, key: Any, ev: Evaluator) -> Resource:
        address = decl.base if key is None else f"{decl.base}[{_key_repr(key)}]"
        refs: list[Reference] = []
        body = self._body(decl.block.body, ev, "", refs, decl.block.span)
        depends = decl.block.body.attributes.get("depends_on")
        if depends is not None:
            self._refs(depends.expr, "depends_on", ev, refs)
        return Resource(
            id=f"{self.scope}::{address}",
            address=address,
            type=decl.type,
            format=Format.TERRAFORM,
            span=decl.block.span,
            body=body,
            scope=self.scope,
            references=refs,
            data=decl.mode == "data",
        )

    def _body(self, body: s.Body, ev: Evaluator, prefix: str, refs: list[Reference],
              span: Span) -> Node:
        out: dict[str, Node] = {}
        for name, attr in body.attributes.items():
            if not prefix and name in META_ARGUMENTS:
                continue
            path = f"{prefix}{name}"
            self._refs(attr.expr, path, ev, refs)
            value = ev.safe(attr.expr)
            refs.extend(Reference(target, path, attr.span) for target in _unknown_refs(value))
            out[name] = _at_attribute(value, attr)
        for block in body.blocks:
            if not prefix and block.type in META_ARGUMENTS:
                continue
            if block.type == "dynamic" and block.labels:
                self._dynamic(block, ev, prefix, refs, out)
                continue
            items = out.setdefault(block.type, Node([], block.span))
            index = len(items.value)
            items.value.append(self._body(block.body, ev, f"{prefix}{block.type}[{index}].", refs,
                                          block.span))
        return Node(out, span)

    def _dynamic(self, block: s.Block, ev: Evaluator, prefix: str, refs: list[Reference],
                 out: dict[str, Node]) -> None:
        name = block.labels[0]
        attrs = block.body.attributes
        iterator = name
        if "iterator" in attrs:
            it = attrs["iterator"].expr
            iterator = it.name if isinstance(it, s.Name) else iterator
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if content is None or "for_each" not in attrs:
            return
        coll = ev.safe(attrs["for_each"].expr)
        items = out.setdefault(name, Node([], block.span))
        if isinstance(coll.value, Unknown) or not isinstance(coll.value, (dict, list)):
            unknown = Node(Unknown(f"dynamic {name} for_each is not known"), coll.span)
            pairs: list[tuple[Any, Node]] = [(None, unknown)]
        else:
            pairs = _each_pairs(coll)[:MAX_COLLECTION]
        for key, value in pairs:
            sub = ev.child({iterator: _obj({"key": Node(key if key is not None else Unknown(
                "key not known"), coll.span), "value": value}, coll.span)})
            index = len(items.value)
            items.value.append(self._body(content.body, sub, f"{prefix}{name}[{index}].", refs,
                                          content.span))

    # -- references --------------------------------------------------------------
    def _refs(self, expr: s.Expr, path: str, ev: Evaluator, refs: list[Reference]) -> None:
        """Record each reference to a resource, data source or instance in `expr`."""
        for node, index in _reference_sites(expr):
            base = self._base_of(node)
            if base is None or base not in self.instances:
                continue
            targets = self.instances[base]
            if index is not None and len(targets) > 1:
                try:
                    key = ev.eval(index).value
                except EvalError:
                    key = Unknown("index error")
                if not isinstance(key, Unknown):
                    chosen = [t for t in targets if t[0] is not None and _to_key(t[0]) == _to_key(key)]
                    targets = chosen or targets
            for _key, target_id in targets:
                refs.append(Reference(target_id, path, node.span))

    def _base_of(self, node: s.GetAttr) -> str | None:
        inner = node.obj
        if isinstance(inner, s.Name) and inner.name not in NOT_RESOURCE_ROOTS:
            return f"{inner.name}.{node.name}"
        if isinstance(inner, s.GetAttr) and isinstance(inner.obj, s.Name) and inner.obj.name == "data":
            return f"data.{inner.name}.{node.name}"
        return None

    def _resolve_object(self, root: str, steps: list[Any], span: Span) -> tuple[Node, int] | None:
        """A resource as Terraform sees it in an expression: its instances, each unknown."""
        if root == "data" and len(steps) >= 2 and all(isinstance(x, str) for x in steps[:2]):
            base, used = f"data.{steps[0]}.{steps[1]}", 2
        elif root in self.resource_types and steps and isinstance(steps[0], str):
            base, used = f"{root}.{steps[0]}", 1
        elif root == "module":
            return Node(Unknown("module outputs are not evaluated"), span), len(steps)
        else:
            return None
        decl = self.by_base.get(base)
        if decl is not None:
            self._expansion(decl)  # its instances, even when it is declared further on
        instances = self.instances.get(base, [])
        why = f"{base} attributes are known only after apply"
        if not instances or (len(instances) == 1 and instances[0][0] is None):
            return Node(Unknown(why, tuple(i for _, i in instances)), span), used
        items = {_to_key(key): Node(Unknown(why, (rid,)), span) for key, rid in instances}
        if isinstance(instances[0][0], int):
            return Node(list(items.values()), span), used
        return Node(items, span), used


def _unknown_refs(node: Node) -> set[str]:
    """Resources whose unknown attributes flowed into this value."""
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        v = n.value
        if isinstance(v, Unknown):
            found.update(v.refs)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return found


def _reference_sites(expr: s.Expr) -> list[tuple[s.GetAttr, s.Expr | None]]:
    """`type.name` and `data.type.name` sites in `expr`, with the index applied to them, if any."""
    found: list[tuple[s.GetAttr, s.Expr | None]] = []
    parents: dict[int, s.Expr] = {}
    for node in s.walk(expr):
        for child in _children(node):
            parents[id(child)] = node
        if isinstance(node, s.GetAttr) and isinstance(node.obj, (s.Name, s.GetAttr)):
            parent = parents.get(id(node))
            index = parent.key if isinstance(parent, s.Index) and parent.obj is node else None
            found.append((node, index))
    return found


def _children(node: s.Expr) -> list[s.Expr]:
    if isinstance(node, s.GetAttr):
        return [node.obj]
    if isinstance(node, s.Index):
        return [node.obj]
    if isinstance(node, s.Splat):
        return [node.obj]
    return []


def _at_attribute(value: Node, attr: s.Attribute) -> Node:
    """The attribute's value, placed at the attribute (so findings point at `name = ...`)."""
    return Node(value.value, attr.span, value.provenance, value.encoded)


def _obj(values: dict[str, Node], span: Span) -> Node:
    return Node(values, span)


def _each_pairs(node: Node) -> list[tuple[Any, Node]]:
    if isinstance(node.value, dict):
        return sorted(node.value.items())
    # a set of strings: each.key and each.value are both the element
    return [(n.value, n) for n in node.value if not isinstance(n.value, (list, dict))]


def _key_repr(key: Any) -> str:
    return str(key) if isinstance(key, int) else f'"{key}"'
