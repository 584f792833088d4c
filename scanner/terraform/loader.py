"""A Terraform module instance, evaluated into resource instances.

All `.tf` files of one directory form a module. Variables take the values given
(by tfvars for a root module, by the `module` block's arguments for a child) or
their defaults; locals are evaluated on demand; `count` and `for_each` expand
into instances with Terraform's addresses, `dynamic` blocks into their nested
blocks; every reference to another resource becomes a graph edge. Local module
calls are instantiated recursively (see `scanner.terraform.modules` for how a
configuration finds its modules), and their outputs flow back to the caller.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.evaluate import (
    MAX_COLLECTION,
    Context,
    EvalError,
    Evaluator,
    Partial,
    _to_key,
    merge_provenance,
    refs_of,
    respan,
)
from scanner.terraform.overrides import merge_overrides
from scanner.terraform.registry_models import Modelled
from scanner.values import Node, Unknown

if TYPE_CHECKING:
    from scanner.terraform.modules import Configuration
    from scanner.terraform.registry_models import ModelledInstance

META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner",
                  "connection"}
MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}
NOT_RESOURCE_ROOTS = {"var", "local", "each", "count", "self", "path", "terraform", "module", "data"}
POLICY_DOCUMENT = "aws_iam_policy_document"
SET_FUNCTIONS = {"toset", "setunion", "setintersection", "setsubtract", "fileset"}
# Arguments whose configured value the AWS provider rewrites before a reference can read it:
# user data is kept as its SHA-1 hash. A reference to one is not the configured text.
REWRITTEN = {("aws_instance", "user_data"), ("aws_launch_configuration", "user_data"),
             ("aws_spot_instance_request", "user_data")}
# A data source looked up by its ARN has that ARN, or the read fails: `data.aws_iam_policy.x.arn`
# with `arn = "arn:aws:iam::aws:policy/AdministratorAccess"` is that policy. Its other
# attributes are read from AWS during plan.
DATA_ECHOED = frozenset({"arn"})
_CALL = object()  # on the evaluation stack: a module call's arguments are being evaluated


@dataclass
class ModuleSource:
    """The parsed files of one module directory."""

    directory: str  # relative to the scan root, "." for the root itself
    files: list[tuple[str, s.Body]] = field(default_factory=list)
    _merged: list[tuple[str, s.Body]] | None = field(default=None, repr=False, compare=False)

    def merged(self) -> list[tuple[str, s.Body]]:
        """The files as Terraform reads them: override files merged into the others."""
        if self._merged is None:
            self._merged = merge_overrides(self.files)
        return self._merged


@dataclass(frozen=True)
class RawValue:
    """A variable's value as text (`--var NAME=VALUE`, `TF_VAR_NAME`): Terraform reads it
    literally for a variable of a primitive type (or none), as an expression otherwise."""

    text: str
    origin: str  # for messages: "--var", "TF_VAR_name"


@dataclass(frozen=True)
class Placement:
    """Where a module instance sits in its configuration."""

    scope: str = "."  # the root module directory: the configuration
    prefix: str = ""  # the instance's address with a trailing dot: `module.net["a"].`
    call_chain: tuple[Span, ...] = ()  # the `module` blocks that led here, outermost first
    key: str = ""  # the key `terraform init` gives it in modules.json: "net", "net.inner"
    stack: tuple[str, ...] = ()  # module directories of the calls leading here (cycles)
    # The provider configurations the caller passes ("aws", "aws.west"), each as its region.
    providers: tuple[tuple[str, Node], ...] = ()


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


@dataclass
class _Call:
    """A `module` block and, once expanded, its instances."""

    block: s.Block
    name: str
    instances: list[tuple[Any, ModuleLoader | ModelledInstance]] | None = None
    keyed: bool = False  # count or for_each, with known keys
    unresolved: bool = False  # its source could not be loaded
    building: bool = False
    providers: tuple[tuple[str, Node], ...] = ()  # the provider configurations it passes


Expansion = list[tuple[Any, Evaluator, bool]]


def load_module(
    module: ModuleSource,
    variables: dict[str, Node] | None = None,
    read_file: Callable[[str], str | None] | None = None,
) -> tuple[list[Resource], list[Diagnostic]]:
    """One module directory as a root module, without calls to other directories."""
    from scanner.terraform.modules import Configuration

    config = Configuration(module.directory, lambda _directory: None, reader=read_file)
    loader = ModuleLoader(module, variables or {}, config, Placement(scope=module.directory))
    return loader.load(), config.diagnostics


class ModuleLoader:
    def __init__(self, module: ModuleSource, given: dict[str, Node | RawValue],
                 config: Configuration, place: Placement) -> None:
        self.module = module
        self.config = config
        self.place = place
        self.scope = place.scope
        self.prefix = place.prefix
        self.decls: list[_Decl] = []
        self.calls: dict[str, _Call] = {}
        self.outputs: dict[str, s.Block] = {}
        self.provider_blocks: list[s.Block] = []
        self._providers: dict[str, Node] | None = None
        self.ctx = Context(module_dir=config.path_module(module.directory),
                           read_file=config.reader, instance=place.prefix.rstrip("."))
        self.ctx.resolve_object = self._resolve_object
        self.resource_types: set[str] = set()
        self.instances: dict[str, list[tuple[Any, str]]] = {}  # base -> [(key, id)]
        self.by_base: dict[str, _Decl] = {}
        # Expansions are computed on demand, so that `for_each = aws_s3_bucket.b` can see
        # the instance keys of a resource declared later; `_expanding` breaks cycles.
        self._expanded: dict[int, Expansion] = {}
        self._expanding: set[int] = set()
        self._bodies: dict[tuple[int, str], tuple[Node, list[Reference]] | None] = {}
        # Bodies being evaluated (and `_CALL` marks), innermost last: a reference back into
        # one of them is a dependency cycle. `_cycles`: declarations already warned about.
        self._stack: list[object] = []
        self._cycles: set[int] = set()
        # Nested block lists made by a `dynamic` block whose for_each is not known: their
        # length is not known either (ids of the list nodes, which the memoised bodies keep).
        self._uncertain: set[int] = set()
        self._by_key: dict[int, dict[str, tuple[Any, Evaluator, bool]]] = {}  # instances by key
        self._outputs: dict[str, Node | None] = {}
        self._loaded = False
        self._set_variables: set[str] = set()  # declared `type = set(...)`
        self._collect(given)

    # -- declarations ------------------------------------------------------------
    def _collect(self, given: dict[str, Node | RawValue]) -> None:
        for _path, body in self.module.merged():
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
                    self.calls.setdefault(block.labels[0], _Call(block, block.labels[0]))
                elif block.type == "output" and block.labels:
                    self.outputs.setdefault(block.labels[0], block)
                elif block.type == "provider" and block.labels:
                    self.provider_blocks.append(block)

    def _variable(self, block: s.Block, given: dict[str, Node | RawValue]) -> Node:
        from scanner.terraform.types import convert, parse_raw

        name = block.labels[0]
        type_attr = block.body.attributes.get("type")
        type_expr = type_attr.expr if type_attr is not None else None
        if isinstance(type_expr, s.Call) and type_expr.name == "set":
            self._set_variables.add(name)
        value = given.get(name)
        if isinstance(value, RawValue):
            value = parse_raw(value, type_expr)
        if value is None:
            default = block.body.attributes.get("default")
            if default is None:
                return Node(Unknown(f"var.{name} has no default and no value was given"),
                            block.span.head())
            value = Evaluator(Context()).safe(default.expr)
        return convert(value, type_expr)

    # -- loading -----------------------------------------------------------------
    def load(self) -> list[Resource]:
        """Every resource instance of this module instance and of the modules it calls."""
        if self._loaded:
            return []
        self._loaded = True
        resources: list[Resource] = []
        for decl in self.decls:
            if self.config.instances_exhausted():  # expanding further would only be thrown away
                self.config.take_instance(decl.block.span)
                return resources
            for key, ev, _unknown in self._expansion(decl) or []:
                if not self.config.take_instance(decl.block.span):
                    return resources
                resources.append(self._instance(decl, key, ev))
        for call in self.calls.values():
            for _key, child in self._call_instances(call) or []:
                loaded = child.load()
                if not isinstance(child, ModuleLoader):  # a modelled registry module
                    for res in loaded:
                        res.provider, res.region = _deployment(res.type, None, dict(call.providers),
                                                               res.span)
                resources.extend(loaded)
        return resources

    def _expansion(self, decl: _Decl) -> Expansion | None:
        """The instances of `decl` (memoised); None while it is being expanded (a cycle)."""
        key = id(decl)
        if key in self._expanded:
            return self._expanded[key]
        if key in self._expanding:
            return None
        self._expanding.add(key)
        try:
            result = self._expand(decl.block)
        finally:
            self._expanding.discard(key)
        self._expanded[key] = result
        for k, _ev, _unknown in result:
            address = decl.base if k is None else f"{decl.base}[{_key_repr(k)}]"
            self.instances.setdefault(decl.base, []).append((k, self._id(address)))
        return result

    def _id(self, address: str) -> str:
        return f"{self.scope}::{self.prefix}{address}"

    def _expand(self, block: s.Block) -> Expansion:
        """A block's instances: (key, evaluator with count/each, whether the keys are unknown)."""
        base = Evaluator(self.ctx)
        attrs = block.body.attributes
        if "count" in attrs:
            node = base.safe(attrs["count"].expr)
            if isinstance(node.value, Unknown):
                return [(None, base.child({"count": _obj({"index": Node(Unknown(
                    "count is not known", node.value.refs), node.span)}, node.span)}), True)]
            try:
                n = int(node.value)
            except (TypeError, ValueError):
                self._warn(attrs["count"].span, f"count is not a number: {node.value!r}")
                return [(None, base, True)]
            if n < 0:
                self._warn(attrs["count"].span, f"count must not be negative: {n}; no instances")
            n = self._limit(n, attrs["count"].span)
            return [(i, base.child({"count": _obj({"index": Node(i, node.span)}, node.span)}), False)
                    for i in range(n)]
        if "for_each" in attrs:
            node = base.safe(attrs["for_each"].expr)
            if not isinstance(node.value, (Unknown, dict, list)):
                self._warn(attrs["for_each"].span,
                           f"for_each must be a map or a set of strings, not {node.value!r}")
            if isinstance(node.value, Unknown) or not isinstance(node.value, (dict, list)) or (
                    isinstance(node.value, list) and any(n.unknown for n in node.value)):
                unknown = Node(Unknown("for_each is not known", refs_of(node)), node.span)
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

    def _warn(self, span: Span, message: str, code: str = "evaluation",
              level: DiagnosticLevel = DiagnosticLevel.WARNING) -> None:
        self.config.diagnostics.append(Diagnostic(span.file, span.start_line, span.start_column,
                                                  level, code, message))

    def _instance(self, decl: _Decl, key: Any, ev: Evaluator) -> Resource:
        address = decl.base if key is None else f"{decl.base}[{_key_repr(key)}]"
        found = self._instance_body(decl, key, ev)
        if found is None:  # only while it is being evaluated: not here
            body, refs = Node({}, decl.block.span), []
        else:
            body, refs = found
        provider, region = _deployment(decl.type, decl.block.body.attributes.get("provider"),
                                       self.providers(), decl.block.span)
        return Resource(
            id=self._id(address),
            address=self.prefix + address,
            type=decl.type,
            format=Format.TERRAFORM,
            span=decl.block.span,
            body=body,
            scope=self.scope,
            references=list(refs),
            data=decl.mode == "data",
            call_chain=self.place.call_chain,
            provider=provider,
            region=region,
        )

    def _instance_body(self, decl: _Decl, key: Any, ev: Evaluator) -> tuple[Node, list[Reference]] | None:
        """The evaluated body of one instance and its references (memoised; None in a cycle)."""
        memo = (id(decl), repr(key))
        if memo in self._bodies:
            return self._bodies[memo]
        self._bodies[memo] = None
        refs: list[Reference] = []
        self._stack.append(memo)
        try:
            body = self._body(decl.block.body, ev, "", refs, decl.block.span)
        finally:
            self._stack.pop()
        depends = decl.block.body.attributes.get("depends_on")
        if depends is not None:
            self._refs(depends.expr, "depends_on", ev, refs)
        if decl.mode == "data" and decl.type == POLICY_DOCUMENT:
            from scanner.terraform.policy_document import policy_json

            address = decl.base if key is None else f"{decl.base}[{_key_repr(key)}]"
            body.value["json"] = policy_json(body, decl.block.span, self._id(address))
        self._bodies[memo] = (body, refs)
        return body, refs

    def _body(self, body: s.Body, ev: Evaluator, prefix: str, refs: list[Reference],
              span: Span) -> Node:
        out: dict[str, Node] = {}
        for name, attr in body.attributes.items():
            if not prefix and name in META_ARGUMENTS:
                continue
            path = f"{prefix}{name}"
            self._refs(attr.expr, path, ev, refs)
            value = ev.safe(attr.expr)
            refs.extend(Reference(target, path, attr.span) for target in refs_of(value))
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
            unknown = Node(Unknown(f"dynamic {name} for_each is not known", refs_of(coll)), coll.span)
            pairs: list[tuple[Any, Node]] = [(None, unknown)]
            self._uncertain.add(id(items))
        elif isinstance(coll.value, list) and self._yields_set(attrs["for_each"].expr):
            pairs = [(n.value if not isinstance(n.value, (list, dict)) else i, n)  # key = value
                     for i, n in enumerate(coll.value[:MAX_COLLECTION])]
        elif isinstance(coll.value, list):  # a list or tuple: the key is the index
            pairs = list(enumerate(coll.value))[:MAX_COLLECTION]
        else:
            pairs = _each_pairs(coll)[:MAX_COLLECTION]
        for key, value in pairs:
            sub = ev.child({iterator: _obj({"key": Node(key if key is not None else Unknown(
                "key not known"), coll.span), "value": value}, coll.span)})
            index = len(items.value)
            # Each generated block stands where it is written: the `dynamic "name"` block.
            items.value.append(self._body(content.body, sub, f"{prefix}{name}[{index}].", refs,
                                          block.span))

    # -- providers ---------------------------------------------------------------
    def providers(self) -> dict[str, Node]:
        """Provider configurations visible here ("aws", "aws.west"), each as its region: those
        the caller passes, and those this module declares itself (which win)."""
        if self._providers is None:
            found = dict(self.place.providers)
            for block in self.provider_blocks:
                alias = block.body.attributes.get("alias")
                name = block.labels[0]
                if alias is not None:
                    value = Evaluator(self.ctx).safe(alias.expr).value
                    if not isinstance(value, str):
                        continue  # Terraform requires a literal alias
                    name = f"{name}.{value}"
                found[name] = self._provider_region(name, block)
            self._providers = found
        return self._providers

    def _provider_region(self, name: str, block: s.Block) -> Node:
        attr = block.body.attributes.get("region")
        if attr is not None:
            value = _at_attribute(Evaluator(self.ctx).safe(attr.expr), attr)
            if value.value not in (None, ""):
                return value
        return Node(Unknown(f'provider "{name}" sets no region: it comes from AWS_REGION or the '
                            "AWS profile when Terraform runs"), block.span.head())

    def _passed_providers(self, block: s.Block) -> tuple[tuple[str, Node], ...]:
        """What a module call hands its module: the `providers` map when given (it replaces
        inheritance), else this module's default (unaliased) provider configurations."""
        mine = self.providers()
        attr = block.body.attributes.get("providers")
        if attr is None or not isinstance(attr.expr, s.ObjectExpr):
            return tuple(sorted((n, r) for n, r in mine.items() if "." not in n))
        passed: list[tuple[str, Node]] = []
        for key, value in attr.expr.items:
            inner, outer = _provider_name(key), _provider_name(value)
            if inner is not None and outer is not None:
                passed.append((inner, mine.get(outer) or _no_provider(outer, value.span)))
        return tuple(passed)

    def _yields_set(self, expr: s.Expr, depth: int = 0) -> bool:
        """Whether `expr` makes a set (values keep no set mark): a dynamic block's iterator
        key is then the element itself, not its position."""
        if depth > 16:
            return False
        if isinstance(expr, s.Call):
            return expr.name in SET_FUNCTIONS
        if isinstance(expr, s.Conditional):
            return self._yields_set(expr.then, depth + 1) and self._yields_set(expr.otherwise, depth + 1)
        path = s.traversal(expr)
        if path is None or len(path[1]) != 1 or not isinstance(path[1][0], str):
            return False
        root, (name,) = path
        if root == "var":
            return name in self._set_variables
        local = self.ctx.local_exprs.get(name) if root == "local" else None
        return local is not None and self._yields_set(local.expr, depth + 1)

    # -- module calls ------------------------------------------------------------
    def _call_instances(self, call: _Call) -> list[tuple[Any, ModuleLoader | ModelledInstance]] | None:
        """The instances of a module call, created on first use; None in a cycle."""
        if call.instances is not None:
            return call.instances
        if call.building:
            return None
        call.building = True
        try:
            call.instances = self._instantiate(call)
        finally:
            call.building = False
        return call.instances

    def _instantiate(self, call: _Call) -> list[tuple[Any, ModuleLoader | ModelledInstance]]:
        block = call.block
        key = f"{self.place.key}.{call.name}" if self.place.key else call.name
        found = self.config.resolve(block, self.module.directory, key, self.place.stack)
        if found is None:
            call.unresolved = True
            return []
        module = found
        if len(self.place.stack) >= self.config.max_depth:
            self._warn(block.span, f"module {call.name!r}: modules nested more than "
                       f"{self.config.max_depth} deep; not scanned", "module-depth")
            return []
        self._stack.append(_CALL)
        try:
            return self._instantiate_call(call, block, key, module)
        finally:
            self._stack.pop()

    def _instantiate_call(self, call: _Call, block: s.Block, key: str,
                          module: ModuleSource | Modelled) -> list[tuple[Any, ModuleLoader | ModelledInstance]]:
        expansion = self._expand(block)
        call.providers = self._passed_providers(block)
        call.keyed = bool(expansion) and not expansion[0][2] and expansion[0][0] is not None
        out: list[tuple[Any, ModuleLoader | ModelledInstance]] = []
        for k, ev, _unknown in expansion:
            if not self.config.take_module(block.span):
                break
            given: dict[str, Node | RawValue] = {}
            for name, attr in block.body.attributes.items():
                if name not in MODULE_META_ARGUMENTS:
                    given[name] = _at_attribute(ev.safe(attr.expr), attr)
            segment = f"module.{call.name}" + ("" if k is None else f"[{_key_repr(k)}]")
            place = Placement(
                scope=self.scope,
                prefix=f"{self.prefix}{segment}.",
                call_chain=(*self.place.call_chain, block.span),
                key=key,
                stack=(*self.place.stack, module.directory),
                providers=call.providers,
            )
            if isinstance(module, Modelled):  # a registry module remit models, not fetched
                self._modelled_blocks(block, ev, given)
                out.append((k, module.instance(given, block.span, self.scope, place.prefix,
                                               place.call_chain)))
                continue
            out.append((k, ModuleLoader(module, given, self.config, place)))
        return out

    def _modelled_blocks(self, block: s.Block, ev: Evaluator, given: dict[str, Any]) -> None:
        """Nested blocks in a call to a modelled module: Terraform refuses them (a module takes
        arguments only); read as the argument of the same name, with a warning."""
        for nested in block.body.blocks:
            if nested.type in META_ARGUMENTS or nested.type in given:
                continue
            self._warn(nested.span, f"module {block.labels[0]!r}: Terraform refuses a block "
                       f"({nested.type!r}) in a module call, which takes arguments only; remit "
                       f"reads it as the argument `{nested.type}`", "module-block-argument")
            given[nested.type] = Node([self._body(nested.body, ev, "", [], nested.span)], nested.span)

    def output(self, name: str, span: Span) -> Node:
        """The value of one output of this module instance, placed where it is used."""
        if name not in self._outputs:
            block = self.outputs.get(name)
            if block is None:
                raise EvalError(f"module has no output {name!r}")
            self._outputs[name] = None
            attr = block.body.attributes.get("value")
            value = Evaluator(self.ctx).safe(attr.expr) if attr is not None else Node(None, block.span)
            self._outputs[name] = value
        value = self._outputs[name]
        if value is None:
            return Node(Unknown(f"output {name!r} depends on itself through module calls"), span)
        return respan(value, span)

    def output_object(self, span: Span) -> Node:
        return Node({name: self.output(name, span) for name in sorted(self.outputs)}, span)

    def _module_object(self, steps: list[Any], span: Span) -> tuple[Node, int]:
        name = steps[0] if steps else None
        call = self.calls.get(name) if isinstance(name, str) else None
        if call is None:
            raise EvalError(f"module.{name} is not declared")
        instances = self._call_instances(call)
        if instances is None:
            return Node(Unknown(f"module.{name} depends on itself"), span), len(steps)
        if call.unresolved:
            return Node(Unknown(f"module.{name} is not loaded"), span), len(steps)
        if not instances:  # count = 0 or an empty for_each
            return Node({} if "for_each" in call.block.body.attributes else [], span), 1
        if not call.keyed:  # a single instance, or one standing for unknown instances
            child = instances[0][1]
            index = 1
            if _expands(call.block) and len(steps) > 1 and not isinstance(steps[1], str):
                index = 2  # module.x[0] where the instances are not known: the one we have
            if len(steps) > index and isinstance(steps[index], str):
                return child.output(steps[index], span), index + 1
            return child.output_object(span), index
        if len(steps) > 1 and not isinstance(steps[1], Unknown):
            wanted = _to_key(steps[1])
            for k, child in instances:
                if _to_key(k) == wanted:
                    if len(steps) > 2 and isinstance(steps[2], str):
                        return child.output(steps[2], span), 3
                    return child.output_object(span), 2
            raise EvalError(f"module.{name} has no instance {steps[1]!r}")
        objects = {_to_key(k): child.output_object(span) for k, child in instances}
        if isinstance(instances[0][0], int):
            return Node(list(objects.values()), span), 1
        return Node(objects, span), 1

    # -- references --------------------------------------------------------------
    def _refs(self, expr: s.Expr, path: str, ev: Evaluator, refs: list[Reference]) -> None:
        """Record each reference to a resource, data source or instance in `expr`."""
        for node, index in _reference_sites(expr):
            base = self._base_of(node)
            if base is None or base not in self.by_base:
                continue
            self._expansion(self.by_base[base])  # its instances, even when declared further on
            if base not in self.instances:
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
        elif root == "module":
            return self._module_object(steps, span)
        elif steps and isinstance(steps[0], str):
            base, used = f"{root}.{steps[0]}", 1
        else:
            return None
        decl = self.by_base.get(base)
        if decl is None:
            # Terraform refuses a reference to an undeclared resource. It names no resource of
            # this configuration, which is known: an attachment holding it attaches to none here.
            why = f"{self.prefix}{base} is not declared in this module"
            return Node(Unknown(why, (self._id(base),)), span), used
        expansion = self._expansion(decl)  # its instances, even when it is declared further on
        if decl.mode == "data" and decl.type == POLICY_DOCUMENT:
            return self._policy_documents(decl, span), used
        if not expansion:  # no instances, or its count refers to itself
            instances = self.instances.get(base, [])
            why = f"{self.prefix}{base} attributes are known only after apply"
            return Node(Unknown(why, tuple(i for _, i in instances)), span), used
        if len(expansion) == 1 and expansion[0][0] is None:
            return self._object(decl, *expansion[0], span), used
        if len(steps) > used:  # `aws_subnet.private[0]`: that instance only, found by its key
            chosen = self._instance_by_key(decl, expansion, steps[used])
            if chosen is not None:
                return self._object(decl, *chosen, span), used + 1
        items = {_to_key(key): self._object(decl, key, ev, unknown, span)
                 for key, ev, unknown in expansion}
        if isinstance(expansion[0][0], int):
            return Node(list(items.values()), span), used
        return Node(items, span), used

    def _instance_by_key(self, decl: _Decl, expansion: Expansion, wanted: Any,
                         ) -> tuple[Any, Evaluator, bool] | None:
        """The instance whose key is `wanted` (indexed once: a reference per instance of a
        counted resource must not cost a pass over all of them), or None."""
        if wanted is None or isinstance(wanted, (Unknown, list, dict)):
            return None
        index = self._by_key.get(id(decl))
        if index is None:
            index = self._by_key[id(decl)] = {_to_key(k): (k, ev, u) for k, ev, u in expansion}
        return index.get(_to_key(wanted))

    def _object(self, decl: _Decl, key: Any, ev: Evaluator, unknown: bool, span: Span) -> Node:
        """One instance as an expression sees it: its configured arguments are known (Terraform
        plans with them), what the provider computes or defaults is known only after apply.
        A data source is read during plan: its attributes are unknown here, but for the ARN it
        was asked to look up (DATA_ECHOED)."""
        address = decl.base if key is None else f"{decl.base}[{_key_repr(key)}]"
        rid = self._id(address)
        where = self.prefix + address

        def lookup(name: str, at: Span) -> Node:
            if (decl.mode == "data" and name not in DATA_ECHOED) or unknown or name == "id" \
                    or (decl.type, name) in REWRITTEN:
                return _computed(decl.type, where, name, rid, at)
            found = self._instance_body(decl, key, ev)
            if found is None:
                self._cycle(decl, (id(decl), repr(key)), at)
                return Node(Unknown(f"{where} is part of a reference cycle", (rid,)), at)
            node = found[0].get(name)
            if node is None or node.value is None:  # not set: the provider's to decide
                return _computed(decl.type, where, name, rid, at)
            return self._configured(node, at, f"{where}.{name}", rid)

        why = f"{where} attributes are known only after apply"
        return Node(Partial(why, (rid,), lookup), span)

    def _configured(self, node: Node, at: Span, where: str, rid: str) -> Node:
        """A configured argument as a reference reads it, placed at the reference: a nested
        block (an object in a list) is a `Partial` of its own, its unset attributes unknown."""
        items = node.value
        if not isinstance(items, list) or not items or not all(
                isinstance(item.value, dict) for item in items):
            return respan(node, at)
        prov = merge_provenance((node.span,), node.provenance)
        if id(node) in self._uncertain:
            return Node(Unknown(f"how many {where} blocks there are is not known", (rid,)), at, prov)

        def block(item: Node, path: str) -> Node:
            def lookup(name: str, at: Span) -> Node:
                inner = item.value.get(name)
                if inner is None or inner.value is None:
                    return Node(Unknown(f"{path}.{name} is known only after apply", (rid,)), at)
                return self._configured(inner, at, f"{path}.{name}", rid)

            why = f"{path} is not set in full: its unset attributes are known only after apply"
            return Node(Partial(why, (rid,), lookup), at, (item.span,))

        return Node([block(item, f"{where}[{i}]") for i, item in enumerate(items)], at, prov)

    def _cycle(self, decl: _Decl, memo: tuple[int, str], at: Span) -> None:
        """Warn once about a reference back into a body being evaluated: Terraform refuses the
        cycle. Not when a module call's arguments lie on the way: Terraform evaluates each of
        them on its own, remit all of them when the module is first used."""
        if memo not in self._stack or _CALL in self._stack[self._stack.index(memo):]:
            return
        if id(decl) in self._cycles:
            return
        self._cycles.add(id(decl))
        self._warn(at, f"{self.prefix}{decl.base} is part of a reference cycle (Terraform refuses "
                   "it: Cycle); the values along it are not known", "reference-cycle")

    def _policy_documents(self, decl: _Decl, span: Span) -> Node:
        """`data.aws_iam_policy_document.x`: evaluated, as the provider does during plan."""
        objects: dict[str, Node] = {}
        single: Node | None = None
        expansion = self._expansion(decl) or []
        for key, ev, _unknown in expansion:
            address = decl.base if key is None else f"{decl.base}[{_key_repr(key)}]"
            rid = self._id(address)
            found = self._instance_body(decl, key, ev)
            why = Unknown(f"{self.prefix}{address} is being evaluated", (rid,))
            document = found[0].get("json") if found is not None else None
            if document is None:
                document = Node(why, decl.block.span)
            obj = Node({"json": document, "minified_json": document,
                        "id": Node(Unknown(f"{self.prefix}{address}.id", (rid,)), span)}, span)
            if key is None:
                single = obj
            else:
                objects[_to_key(key)] = obj
        if single is not None or not expansion:
            return single or Node(Unknown(f"{decl.base} has no instances"), span)
        if isinstance(expansion[0][0], int):
            return Node(list(objects.values()), span)
        return Node(objects, span)


def _computed(resource_type: str, where: str, name: str, rid: str, at: Span) -> Node:
    """An attribute the provider computes or defaults: known only after apply. An AWS `arn`
    is at least an ARN: its known text says so (not "*", not empty)."""
    known = "arn:" + Unknown.PIECE if name == "arn" and resource_type.startswith("aws_") else None
    return Node(Unknown(f"{where}.{name} is known only after apply", (rid,), known), at)


def _provider_name(expr: s.Expr) -> str | None:
    """`aws`, `aws.west` (or "aws.west" in JSON syntax) as a provider configuration name."""
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, s.Name):
        return expr.name
    if isinstance(expr, s.GetAttr) and isinstance(expr.obj, s.Name):
        return f"{expr.obj.name}.{expr.name}"
    return None


def _no_provider(name: str, span: Span) -> Node:
    if "." in name:  # Terraform refuses an alias that is not declared or passed
        return Node(Unknown(f"provider configuration {name} is not declared here"), span.head())
    return Node(Unknown(f'no provider "{name}" configuration: the region comes from AWS_REGION '
                        "or the AWS profile when Terraform runs"), span.head())


def _deployment(resource_type: str, meta: s.Attribute | None, providers: dict[str, Node],
                span: Span) -> tuple[str, Node]:
    """The provider configuration a resource uses (its `provider` argument, else the default
    one its type names: `aws` for `aws_s3_bucket`) and that configuration's region."""
    name = _provider_name(meta.expr) if meta is not None else None
    name = name or resource_type.split("_", 1)[0]
    return name, providers.get(name) or _no_provider(name, span)


def _expands(block: s.Block) -> bool:
    return "count" in block.body.attributes or "for_each" in block.body.attributes


def _reference_sites(expr: s.Expr) -> list[tuple[s.GetAttr, s.Expr | None]]:
    """`type.name` and `data.type.name` sites in `expr`, with the index applied to them, if any."""
    found: list[tuple[s.GetAttr, s.Expr | None]] = []
    if isinstance(expr, s.Literal):  # most attributes: nothing to walk
        return found
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


def relative_dir(path: str, start: str) -> str:
    """`path` seen from `start` (both relative to the scan root, with `/`)."""
    return posixpath.relpath(path, start) if path != start else "."
