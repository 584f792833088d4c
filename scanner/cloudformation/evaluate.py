"""Evaluate a CloudFormation template's values into `Node` trees.

What can be known before deployment is computed: `Ref` to a parameter (its
Default), `Fn::Sub` and `Fn::Join` of known strings, `Fn::FindInMap` with known
keys, `Fn::Select`, `Fn::Split`, and `Ref: AWS::NoValue`, which removes the
property. Everything else (pseudo parameters, attributes of resources, imports,
`Fn::If` whose condition is not evaluated yet) becomes `Unknown`.

`Ref`, `Fn::GetAtt` and `${X}` in `Fn::Sub` that name a resource of the template
also become `Reference`s, labelled with the dotted property path that holds them
(`SecurityGroupIngress[0].SourceSecurityGroupId`). References inside `Fn::If`
branches are not recorded: until conditions are evaluated, no branch is known to
be taken, and a graph edge means the reference exists.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from scanner.cloudformation.spans import Locator
from scanner.resources import Reference
from scanner.source import Span
from scanner.values import Node, Unknown, node_from_plain, to_int, to_str

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LIST_TYPES = ("CommaDelimitedList", "List<")
# A parameter of this type holds the *name* of an SSM parameter; its value is read at deployment.
_SSM_TYPE = "AWS::SSM::Parameter::Value<"
# `{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`: replaced at deployment.
_DYNAMIC_REFERENCE = "{{resolve:"


def is_intrinsic(raw: Any) -> bool:
    """`{"Ref": ...}` or `{"Fn::Name": ...}`: a one-key mapping naming a function."""
    if not isinstance(raw, dict) or len(raw) != 1:
        return False
    key = next(iter(raw))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def plain(raw: Any) -> Any:
    """A decoded value with cfn-lint's node classes replaced by plain Python types.

    Nodes are pickled to worker processes and compared in tests: they must not
    hold cfn-lint's str/dict subclasses. YAML dates become ISO strings.
    """
    if isinstance(raw, dict):
        return {str(k): plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [plain(v) for v in raw]
    if isinstance(raw, str):
        return str(raw)
    if isinstance(raw, (datetime.date, datetime.datetime)):
        return raw.isoformat()
    if raw is None or isinstance(raw, (bool, int, float)):
        return raw
    return str(raw)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any  # plain value; meaningless when `has_default` is False
    has_default: bool
    default_span: Span | None
    is_list: bool
    from_ssm: bool = False


def _join_path(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else step


class Evaluator:
    """Evaluates values of one template; collects references per call of `evaluate`."""

    def __init__(self, locator: Locator, template: dict[Any, Any], scope: str) -> None:
        self.loc = locator
        self.scope = scope
        resources = template.get("Resources")
        self.resource_ids: set[str] = (
            {str(k) for k in resources} if isinstance(resources, dict) else set()
        )
        mappings = template.get("Mappings")
        self.mappings: dict[Any, Any] = mappings if isinstance(mappings, dict) else {}
        self.parameters = self._parameters(template.get("Parameters"))
        self.references: list[Reference] = []

    def _parameters(self, raw: Any) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        if not isinstance(raw, dict):
            return out
        whole = Span(self.loc.file, 1)
        for name, spec in raw.items():
            if not isinstance(spec, dict):
                spec = {}
            ptype = spec.get("Type")
            is_list = isinstance(ptype, str) and ptype.startswith(_LIST_TYPES)
            from_ssm = isinstance(ptype, str) and ptype.startswith(_SSM_TYPE)
            default_key = next((k for k in spec if k == "Default"), None)
            if default_key is None:
                out[str(name)] = Parameter(str(name), None, False, None, is_list, from_ssm)
                continue
            value = spec[default_key]
            span = self.loc.entry_span(default_key, value, self.loc.span_of(spec) or whole)
            out[str(name)] = Parameter(str(name), plain(value), True, span, is_list, from_ssm)
        return out

    # -- entry points ---------------------------------------------------------

    def evaluate(self, raw: Any, span: Span, path: str) -> Node | None:
        """The node of `raw` (written at `span`, held at property `path`).

        None when the value is removed (`Ref: AWS::NoValue`).
        """
        if is_intrinsic(raw):
            (name, arg), = raw.items()
            return self._function(str(name), arg, span, path)
        if isinstance(raw, dict):
            entries: dict[str, Node] = {}
            for key, value in raw.items():
                child_span = self.loc.entry_span(key, value, span)
                node = self.evaluate(value, child_span, _join_path(path, str(key)))
                if node is not None:
                    entries[str(key)] = node
            return Node(entries, span)
        if isinstance(raw, list):
            items: list[Node] = []
            for index, value in enumerate(raw):
                child_span = self.loc.span_of(value) or span
                node = self.evaluate(value, child_span, _join_path(path, index))
                if node is not None:
                    items.append(node)
            return Node(items, span)
        return _scalar(plain(raw), span)

    def reference(self, target: str, path: str, span: Span) -> None:
        self.references.append(Reference(f"{self.scope}::{target}", path, span))

    # -- functions --------------------------------------------------------------

    def _function(self, name: str, arg: Any, span: Span, path: str) -> Node | None:
        handler = _HANDLERS.get(name)
        if handler is not None:
            return handler(self, arg, span, path)
        if name != "Fn::If":
            # Evaluate the arguments anyway: the references they hold are real.
            self.evaluate(arg, span, path)
        reason = (
            "depends on a condition (conditions are not evaluated yet)"
            if name == "Fn::If"
            else f"{name} is not evaluated statically"
        )
        return Node(Unknown(reason), span)

    def _ref(self, arg: Any, span: Span, path: str) -> Node | None:
        if not isinstance(arg, str):
            self.evaluate(arg, span, path)
            return Node(Unknown("Ref to a computed name"), span)
        name = str(arg)
        if name == "AWS::NoValue":
            return None
        param = self.parameters.get(name)
        if param is not None:
            return self._parameter_value(param, span)
        if name in self.resource_ids:
            self.reference(name, path, span)
            return Node(Unknown(f"Ref to resource {name}"), span)
        if name.startswith("AWS::"):
            return Node(Unknown(f"pseudo parameter {name} is known only at deployment"), span)
        return Node(Unknown(f"Ref to {name}, which is not defined in the template"), span)

    def _parameter_value(self, param: Parameter, span: Span) -> Node:
        if not param.has_default:
            return Node(Unknown(f"parameter {param.name} has no default"), span)
        prov = (param.default_span,) if param.default_span is not None else ()
        if param.from_ssm:
            reason = f"parameter {param.name} is read from SSM Parameter Store at deployment"
            return Node(Unknown(reason), span, prov)
        value = param.default
        if param.is_list and isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        return node_from_plain(value, span, prov)

    def _get_att(self, arg: Any, span: Span, path: str) -> Node:
        if isinstance(arg, str):
            target, _, attribute = str(arg).partition(".")
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            target = str(arg[0])
            attr_node = self.evaluate(arg[1], span, path)
            attribute = attr_node.value if isinstance(attr_node, Node) else ""
            attribute = attribute if isinstance(attribute, str) else "?"
        else:
            self.evaluate(arg, span, path)
            return Node(Unknown("Fn::GetAtt with a computed resource name"), span)
        if target in self.resource_ids:
            self.reference(target, path, span)
            return Node(Unknown(f"attribute {attribute} of resource {target}"), span)
        return Node(Unknown(f"Fn::GetAtt of {target}, which is not a resource of the template"),
                    span)

    def _sub(self, arg: Any, span: Span, path: str) -> Node:
        local: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, local = arg[0], {str(k): v for k, v in arg[1].items()}
        else:
            template = arg
        if not isinstance(template, str):
            self.evaluate(arg, span, path)
            return Node(Unknown("Fn::Sub of a computed string"), span)
        provenance: list[Span] = []
        unknown: Unknown | None = None
        parts: list[str] = []
        last = 0
        for match in _SUB_VARIABLE.finditer(template):
            parts.append(template[last:match.start()])
            last = match.end()
            name = match.group(1).strip()
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
                continue
            value = self._sub_variable(name, local, span, path)
            if isinstance(value, Node):
                provenance.extend(value.provenance)
                text = value.value if not isinstance(value.value, (list, dict)) else None
                text = to_str(text) if text is not None else Unknown(f"${{{name}}} is not a string")
            else:
                text = value
            if isinstance(text, Unknown):
                unknown = unknown or text
            else:
                parts.append(text)
        parts.append(template[last:])
        if unknown is not None:
            return Node(unknown, span, tuple(provenance))
        return _scalar("".join(parts), span, tuple(provenance))

    def _sub_variable(
        self, name: str, local: dict[str, Any], span: Span, path: str
    ) -> Node | Unknown:
        if name in local:
            node = self.evaluate(local[name], span, path)
            return node if isinstance(node, Node) else Unknown(f"${{{name}}} is AWS::NoValue")
        if name in self.parameters:
            return self._parameter_value(self.parameters[name], span)
        target = name.split(".", 1)[0]
        if target in self.resource_ids:
            self.reference(target, path, span)
            return Unknown(f"${{{name}}} names resource {target}")
        if name.startswith("AWS::"):
            return Unknown(f"pseudo parameter {name} is known only at deployment")
        return Unknown(f"${{{name}}} is not defined in the template")

    def _join(self, arg: Any, span: Span, path: str) -> Node:
        if not (isinstance(arg, list) and len(arg) == 2):
            self.evaluate(arg, span, path)
            return Node(Unknown("malformed Fn::Join"), span)
        delimiter = self.evaluate(arg[0], span, path)
        items = self.evaluate(arg[1], span, path)
        if not isinstance(delimiter, Node) or not isinstance(delimiter.value, str):
            return Node(Unknown("Fn::Join with an unknown delimiter"), span)
        if not isinstance(items, Node) or not isinstance(items.value, list):
            return Node(Unknown("Fn::Join of an unknown list"), span)
        texts: list[str] = []
        provenance: list[Span] = []
        for item in items.value:
            provenance.extend(item.provenance)
            if isinstance(item.value, Unknown):
                return Node(item.value, span)
            text = to_str(item.value) if not isinstance(item.value, (list, dict)) else None
            if not isinstance(text, str):
                return Node(Unknown("Fn::Join of a value that is not a string"), span)
            texts.append(text)
        return Node(delimiter.value.join(texts), span, tuple(provenance))

    def _select(self, arg: Any, span: Span, path: str) -> Node:
        if not (isinstance(arg, list) and len(arg) == 2):
            self.evaluate(arg, span, path)
            return Node(Unknown("malformed Fn::Select"), span)
        index = self.evaluate(arg[0], span, path)
        items = self.evaluate(arg[1], span, path)
        position = to_int(index.value) if isinstance(index, Node) else Unknown("no index")
        if isinstance(position, Unknown):
            return Node(position, span)
        if not isinstance(items, Node) or not isinstance(items.value, list):
            reason = items.value if isinstance(items, Node) and items.unknown else None
            return Node(reason or Unknown("Fn::Select from an unknown list"), span)
        if not 0 <= position < len(items.value):
            return Node(Unknown(f"Fn::Select index {position} is out of range"), span)
        chosen = items.value[position]
        return Node(chosen.value, span, chosen.provenance)

    def _split(self, arg: Any, span: Span, path: str) -> Node:
        if not (isinstance(arg, list) and len(arg) == 2):
            self.evaluate(arg, span, path)
            return Node(Unknown("malformed Fn::Split"), span)
        delimiter = self.evaluate(arg[0], span, path)
        source = self.evaluate(arg[1], span, path)
        if (
            isinstance(delimiter, Node) and isinstance(delimiter.value, str) and delimiter.value
            and isinstance(source, Node) and isinstance(source.value, str)
        ):
            parts = source.value.split(delimiter.value)
            return Node([Node(p, span, source.provenance) for p in parts], span, source.provenance)
        return Node(Unknown("Fn::Split of an unknown string"), span)

    def _find_in_map(self, arg: Any, span: Span, path: str) -> Node | None:
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            self.evaluate(arg, span, path)
            return Node(Unknown("malformed Fn::FindInMap"), span)
        keys: list[str | Unknown] = []
        for raw_key in arg[:3]:
            node = self.evaluate(raw_key, span, path)
            value = node.value if isinstance(node, Node) else Unknown("AWS::NoValue as a key")
            keys.append(to_str(value) if not isinstance(value, (list, dict)) else Unknown("key"))
        default = None
        if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            default = self.evaluate(arg[3]["DefaultValue"], span, path)
        unknown = next((k for k in keys if isinstance(k, Unknown)), None)
        if unknown is not None:
            return Node(Unknown(f"Fn::FindInMap key is not known: {unknown.reason}"), span)
        found = self._lookup_mapping([k for k in keys if isinstance(k, str)], span)
        if found is not None:
            return found
        if default is not None:
            return default
        return Node(Unknown(f"mapping {keys[0]} has no entry {keys[1]}.{keys[2]}"), span)

    def _lookup_mapping(self, keys: list[str], span: Span) -> Node | None:
        level: Any = self.mappings
        parent: Any = None
        key_obj: Any = None
        for key in keys:
            if not isinstance(level, dict):
                return None
            key_obj = next((k for k in level if str(k) == key), None)
            if key_obj is None:
                return None
            parent, level = level, level[key_obj]
        if parent is None:
            return None
        value_span = self.loc.entry_span(key_obj, parent[key_obj], span)
        return node_from_plain(plain(level), span, (value_span,))


def _scalar(value: Any, span: Span, provenance: tuple[Span, ...] = ()) -> Node:
    """A scalar node; a string holding a dynamic reference is not known before deployment."""
    if isinstance(value, str) and _DYNAMIC_REFERENCE in value:
        return Node(Unknown("a dynamic reference ({{resolve:...}}) is resolved at deployment"),
                    span, provenance)
    return Node(value, span, provenance)


_HANDLERS = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::Select": Evaluator._select,
    "Fn::Split": Evaluator._split,
    "Fn::FindInMap": Evaluator._find_in_map,
}
