"""Terraform plan JSON (`terraform show -json plan.out`): the resources Terraform will create.

Resources come from `planned_values` (every instance, with the values Terraform
knows at plan time); the attributes `resource_changes[].change.after_unknown`
marks are `Unknown` ("known after apply"); references between resources come
from the `configuration` section's expressions. Each value is placed at its
line in the plan file, and the messages name the resource address.

When the configuration's `.tf` files are in the scan (the plan file sits in the
root module's directory), `place_in_sources` moves each resource to its block in
the source, each attribute to its line there, and gives module resources the
chain of `module` blocks that made them: findings then point at the code, and
a finding both the plan and the static evaluation report is reported once.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.json_syntax import JsonSyntaxError, JValue, decode
from scanner.values import Node, Unknown

_MODULE_STEP = re.compile(r'module\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?')
_INDEX = re.compile(r'\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]')
NOT_RESOURCES = {"var", "local", "each", "count", "self", "path", "terraform", "module"}


def looks_like_plan(text: str) -> bool:
    head = text[:4096]
    return head.lstrip().startswith("{") and '"format_version"' in text and (
        '"planned_values"' in text) and '"terraform_version"' in text


def load_plan(text: str, rel: str) -> tuple[list[Resource], list[Diagnostic]]:
    try:
        root = decode(text, rel)
    except JsonSyntaxError as err:
        return [], [Diagnostic(rel, err.line, err.column, DiagnosticLevel.ERROR, "parse-error",
                               f"invalid Terraform plan JSON: {err.message}; the file was not scanned")]
    unknown = _after_unknown(_get(root, "resource_changes"))
    config = _get(_get(root, "configuration"), "root_module")
    found: list[tuple[dict[str, Any], JValue]] = []
    _collect(_get(_get(root, "planned_values"), "root_module"), found)
    resources: list[Resource] = []
    by_module_base: dict[tuple[str, str], list[Resource]] = {}
    for meta, values in found:
        address = meta["address"]
        body = _node(values) if values is not None else Node({}, meta["span"])
        _mark_unknown(body, unknown.get(address))
        res = Resource(
            id=f"{rel}::{address}", address=address, type=meta["type"], format=Format.TERRAFORM,
            span=meta["span"], body=body, scope=rel, data=meta["mode"] == "data",
        )
        resources.append(res)
        by_module_base.setdefault((meta["module"], meta["base"]), []).append(res)
    for res, (meta, _values) in zip(resources, found, strict=True):
        expressions = _config_expressions(config, meta["module"], meta["base"])
        _references(res, meta, expressions, by_module_base)
    return resources, []


# -- reading the plan ------------------------------------------------------------------

def _get(obj: JValue | None, key: str) -> JValue | None:
    if obj is None or obj.kind != "object":
        return None
    for k, _span, v in obj.value:
        if k == key:
            return v
    return None


def _plain(v: JValue | None) -> Any:
    if v is None:
        return None
    if v.kind == "object":
        return {k: _plain(x) for k, _s, x in v.value}
    if v.kind == "array":
        return [_plain(x) for x in v.value]
    return v.value


def _collect(module: JValue | None, out: list[tuple[dict[str, Any], JValue]]) -> None:
    if module is None:
        return
    path = _plain(_get(module, "address")) or ""
    for res in (_get(module, "resources") or JValue([], Span("", 0), "array")).value:
        mode, rtype, name = (_plain(_get(res, k)) for k in ("mode", "type", "name"))
        address = _plain(_get(res, "address"))
        if mode != "managed" or not isinstance(rtype, str) or not isinstance(address, str):
            continue  # data sources were read during plan: their results are in the resources
        meta = {"address": address, "type": rtype, "mode": mode, "module": path,
                "base": f"{rtype}.{name}", "index": _plain(_get(res, "index")), "span": res.span}
        out.append((meta, _get(res, "values")))
    for child in (_get(module, "child_modules") or JValue([], Span("", 0), "array")).value:
        _collect(child, out)


def _node(v: JValue, span: Span | None = None) -> Node:
    at = span or v.span
    if v.kind == "object":
        return Node({k: _node(x, _join(ks, x.span)) for k, ks, x in v.value}, at)
    if v.kind == "array":
        return Node([_node(x) for x in v.value], at)
    return Node(v.value, at)


def _join(a: Span, b: Span) -> Span:
    return Span(a.file, a.start_line, a.start_column, b.end_line, b.end_column)


def _after_unknown(changes: JValue | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for change in changes.value if changes is not None and changes.kind == "array" else []:
        address = _plain(_get(change, "address"))
        after = _plain(_get(_get(change, "change"), "after_unknown"))
        if isinstance(address, str) and after:
            out[address] = after
    return out


def _mark_unknown(node: Node, marks: Any) -> None:
    """Put an Unknown where `after_unknown` says the value is known only after apply."""
    if isinstance(marks, dict) and isinstance(node.value, dict):
        for key, mark in marks.items():
            if mark is True:
                node.value[key] = Node(Unknown(f"{key} is known only after apply"),
                                       node.value[key].span if key in node.value else node.span)
            elif key in node.value:
                _mark_unknown(node.value[key], mark)
    elif isinstance(marks, list) and isinstance(node.value, list):
        for i, mark in enumerate(marks):
            if i < len(node.value):
                if mark is True:
                    node.value[i] = Node(Unknown("known only after apply"), node.value[i].span)
                else:
                    _mark_unknown(node.value[i], mark)


def _module_calls(module_address: str) -> list[str]:
    """`module.a["x"].module.b` -> ["a", "b"]"""
    return [m.group(1) for m in _MODULE_STEP.finditer(module_address)]


def _config_module(config: JValue | None, module_address: str) -> JValue | None:
    node = config
    for name in _module_calls(module_address):
        node = _get(_get(_get(node, "module_calls"), name), "module")
    return node


def _config_expressions(config: JValue | None, module_address: str, base: str) -> JValue | None:
    module = _config_module(config, module_address)
    for res in (_get(module, "resources") or JValue([], Span("", 0), "array")).value:
        mode, rtype, name = (_plain(_get(res, k)) for k in ("mode", "type", "name"))
        if mode == "managed" and f"{rtype}.{name}" == base:
            return _get(res, "expressions")
    return None


def _references(res: Resource, meta: dict[str, Any], expressions: JValue | None,
                by_module_base: dict[tuple[str, str], list[Resource]]) -> None:
    """Graph edges from the configuration's references, per attribute."""
    if expressions is None:
        return
    for path, refs in _expression_refs(expressions, ""):
        attr = res.body.get(path.split(".", 1)[0].split("[", 1)[0])
        span = attr.span if attr is not None else res.span.head()
        for ref in refs:
            for target in _targets(ref, meta, by_module_base):
                if target.id != res.id:
                    res.references.append(Reference(target.id, path, span))
    # Unknown attributes stand for the resources they refer to (so adapters can follow them)
    for path, refs in _expression_refs(expressions, ""):
        key = path.split(".", 1)[0]
        node = res.body.get(key)
        if node is not None and isinstance(node.value, Unknown) and "." not in path:
            ids = tuple(sorted({t.id for ref in refs for t in _targets(ref, meta, by_module_base)}))
            node.value = Unknown(node.value.reason, ids)


def _expression_refs(expr: JValue, prefix: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    if expr.kind != "object":
        return out
    refs = _get(expr, "references")
    if refs is not None and refs.kind == "array" and prefix:
        out.append((prefix.rstrip("."), [x.value for x in refs.value if isinstance(x.value, str)]))
        return out
    for key, _span, value in expr.value:
        if key in ("references", "constant_value"):
            continue
        if value.kind == "object":
            out.extend(_expression_refs(value, f"{prefix}{key}."))
        elif value.kind == "array":  # nested blocks: a list of expression objects
            for i, item in enumerate(value.value):
                out.extend(_expression_refs(item, f"{prefix}{key}[{i}]."))
    return out


def _targets(ref: str, meta: dict[str, Any], by_module_base: dict[tuple[str, str], list[Resource]],
             ) -> list[Resource]:
    parts = ref.split(".")
    if parts[0] in NOT_RESOURCES or parts[0] == "data" or len(parts) < 2:
        return []
    name, _, rest = parts[1].partition("[")
    candidates = by_module_base.get((meta["module"], f"{parts[0]}.{name}"), [])
    m = _INDEX.match("[" + rest) if rest else None
    if m:
        key = m.group(1) if m.group(1) is not None else int(m.group(2))
        return [c for c in candidates if _index_of(c.address) == key]
    if meta["index"] is not None and len(candidates) > 1:
        same = [c for c in candidates if _index_of(c.address) == meta["index"]]
        if same:
            return same
    return candidates


def _index_of(address: str) -> Any:
    m = re.search(r'\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]$', address)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else int(m.group(2))


# -- placing plan resources in their source ----------------------------------------------

def place_in_sources(resources: list[Resource], modules: dict[str, Any]) -> set[str]:
    """Move plan resources to their `.tf` blocks when the plan's directory is a root module
    in the scan (`modules`: directory -> ModuleSource). Changes the resources in place;
    returns the directories whose configuration a plan describes."""
    from scanner.terraform.modules import local_target

    described: set[str] = set()
    for res in resources:
        if res.format is not Format.TERRAFORM or not res.scope.endswith(".json") or \
                not res.id.startswith(f"{res.scope}::"):
            continue
        directory = posixpath.dirname(res.scope) or "."
        if directory not in modules:
            continue
        described.add(directory)
        chain: list[Span] = []
        module = modules[directory]
        for call in _module_calls(res.address):
            block = _find(module, "module", [call])
            source = block.body.attributes.get("source") if block is not None else None
            if block is None or source is None or not isinstance(source.expr, s.Literal):
                module = None
                break
            target = local_target(module.directory, str(source.expr.value))
            chain.append(block.span)
            module = modules.get(target) if target is not None else None
            if module is None:
                break
        if module is None:
            continue
        base = res.address.rsplit(".", 2)
        rtype, name = base[-2], base[-1].split("[", 1)[0]
        block = _find(module, "resource", [rtype, name])
        if block is None:
            continue
        res.span = block.span
        res.call_chain = tuple(chain)
        _place(res.body, block.body, block.span)
        res.references = [Reference(r.target, r.attribute, _reference_span(res.body, r.attribute, block.span))
                          for r in res.references]
    return described


def _find(module: Any, kind: str, labels: list[str]) -> s.Block | None:
    for _rel, body in module.merged():
        for block in body.blocks:
            if block.type == kind and block.labels == labels:
                return block
    return None


def _place(node: Node, body: s.Body, block_span: Span) -> None:
    """Each attribute at its line in the block. A scalar the source does not write is the
    provider's default or a computed value: it is left out, so that adapters treat it as
    not set (and point at the block); nested blocks the source does not write (a dynamic
    block's, or computed ones) are placed at the dynamic block or the block's first line."""
    if not isinstance(node.value, dict):
        return
    blocks: dict[str, list[s.Block]] = {}
    for b in body.blocks:
        if b.type == "dynamic" and b.labels:
            content = next((c for c in b.body.blocks if c.type == "content"), b)
            blocks.setdefault(b.labels[0], []).append(content)
        else:
            blocks.setdefault(b.type, []).append(b)
    for key in list(node.value):
        value = node.value[key]
        attr = body.attributes.get(key)
        if attr is not None:
            _respan(value, attr.span)
        elif key in blocks and isinstance(value.value, list):
            value.span = blocks[key][0].span
            for i, item in enumerate(value.value):
                b = blocks[key][min(i, len(blocks[key]) - 1)]
                item.span = b.span
                _place(item, b.body, b.span)
        elif isinstance(value.value, (list, dict)):
            _respan(value, block_span.head())
        else:
            del node.value[key]


def _respan(node: Node, span: Span) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        n.span = span
        if isinstance(n.value, dict):
            stack.extend(n.value.values())
        elif isinstance(n.value, list):
            stack.extend(n.value)


def _reference_span(body: Node, attribute: str, block_span: Span) -> Span:
    node = body.get(attribute.split(".", 1)[0].split("[", 1)[0])
    return node.span if node is not None else block_span.head()
