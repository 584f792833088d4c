"""Evaluate a CloudFormation template's values into `Node` trees.

What can be known before deployment is computed: `Ref` to a parameter (the
value given on the command line, else its Default), `Fn::Sub` and `Fn::Join`
of known strings, `Fn::FindInMap` with known keys, `Fn::Select`, `Fn::Split`,
`Fn::Base64`, `Fn::Length`, `Fn::ToJsonString`, `Fn::If` once the scenario
(the truth of each condition) is fixed, `Fn::ForEach` loops inside mappings,
pseudo parameters given by `CfnOptions`, and `Ref: AWS::NoValue`, which removes
the property. Everything else (attributes of resources, imports, Availability
Zones, the account id) becomes `Unknown`, with the reason.

`Ref`, `Fn::GetAtt` and `${X}` in `Fn::Sub` that name a resource of the template
also become `Reference`s to its logical id (the loader turns them into graph
ids), labelled with the dotted property path that holds them
(`SecurityGroupIngress[0].SourceSecurityGroupId`).

The evaluator works in one of two modes:

- a *probe* (`truth` is None): `Fn::If` evaluates both branches, to learn every
  resource a value may name, every condition it depends on and every parameter
  it reads, and its value is Unknown;
- a *scenario* (`truth` maps condition names to booleans, `values` gives the
  parameters that the scenario pins): `Fn::If` takes the branch the scenario
  chooses, and only that branch's references are recorded.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from scanner.cloudformation.options import CfnOptions
from scanner.cloudformation.spans import Locator
from scanner.resources import Reference
from scanner.source import Span
from scanner.values import Node, Unknown, node_from_plain, to_int, to_str

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LOOP_VARIABLE = re.compile(r"([$&])\{\s*([^}!\s]*)\s*\}")
_LIST_TYPES = ("CommaDelimitedList", "List<")
# A parameter of this type holds the *name* of an SSM parameter; its value is read at deployment.
_SSM_TYPE = "AWS::SSM::Parameter::Value<"
# `{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`: replaced at deployment.
_DYNAMIC_REFERENCE = "{{resolve:"
FOR_EACH = "Fn::ForEach::"
NO_VALUE = "AWS::NoValue"


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


def text_of(value: Any) -> str | None:
    """A scalar as CloudFormation compares it (parameters are strings); None for the rest."""
    if isinstance(value, (list, dict, Unknown)) or value is None:
        return None
    text = to_str(value)
    return text if isinstance(text, str) else None


# Fn::GetAtt attributes that return a property the template sets.
MIRRORED_ATTRIBUTES = {
    ("AWS::EC2::VPC", "CidrBlock"): "CidrBlock",
    ("AWS::EC2::Subnet", "CidrBlock"): "CidrBlock",
}

# Resource types whose `Ref` is their ARN (most give a name or an id): an ARN is never "*".
REF_IS_ARN = frozenset({
    "AWS::SNS::Topic", "AWS::IAM::ManagedPolicy", "AWS::SecretsManager::Secret",
    "AWS::CertificateManager::Certificate", "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::StepFunctions::StateMachine", "AWS::Batch::JobQueue", "AWS::Batch::JobDefinition",
})

class OtherValue(Unknown):
    """A parameter's value in a scenario where it differs from every value the conditions
    compare it with (`members`: the allowed values it may then be, when they are known)."""

    __slots__ = ("members", "param")

    def __init__(self, param: str, members: tuple[str, ...] | None, reason: str) -> None:
        super().__init__(reason)
        self.param = param
        self.members = members


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any  # plain value; meaningless when `has_default` is False
    has_default: bool
    default_span: Span | None
    is_list: bool
    from_ssm: bool = False
    allowed: tuple[Any, ...] | None = None  # AllowedValues, plain
    decl_span: Span | None = None  # the parameter's declaration

    @property
    def default_text(self) -> str | None:
        if not self.has_default:
            return None
        if isinstance(self.default, list):
            return ",".join(t for t in (text_of(v) for v in self.default) if t is not None)
        return text_of(self.default)


def _join_path(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else step


class Evaluator:
    """Evaluates values of one template; collects references per call of `evaluate`."""

    def __init__(self, locator: Locator, template: dict[Any, Any], scope: str,
                 options: CfnOptions | None = None) -> None:
        self.loc = locator
        self.scope = scope
        self.options = options or CfnOptions()
        resources = template.get("Resources")
        self.resource_ids: set[str] = (
            {str(k) for k in resources if not str(k).startswith(FOR_EACH)}
            if isinstance(resources, dict) else set()
        )
        self.resources: dict[str, Any] = (
            {str(k): v for k, v in resources.items()} if isinstance(resources, dict) else {})
        self.resource_types: dict[str, str] = {
            str(k): str(v.get("Type")) for k, v in resources.items()
            if isinstance(v, dict) and isinstance(v.get("Type"), str)
        } if isinstance(resources, dict) else {}
        mappings = template.get("Mappings")
        self.mappings: dict[Any, Any] = mappings if isinstance(mappings, dict) else {}
        conditions = template.get("Conditions")
        self.condition_names: set[str] = (
            {str(k) for k in conditions} if isinstance(conditions, dict) else set()
        )
        self.parameters = self._parameters(template.get("Parameters"))
        # Per evaluation: what was met.
        self.references: list[Reference] = []
        self.conditions_used: set[str] = set()
        self.params_used: set[str] = set()
        # The scenario (None: a probe) and the parameter values it pins.
        self.truth: dict[str, bool] | None = None
        self.values: dict[str, tuple[Any, tuple[Span, ...]]] = {}
        # Fn::ForEach identifiers in scope.
        self.loop: dict[str, str] = {}

    def _parameters(self, raw: Any) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        if not isinstance(raw, dict):
            return out
        whole = Span(self.loc.file, 1)
        for name, spec in raw.items():
            decl = self.loc.entry_span(name, spec, whole)
            if not isinstance(spec, dict):
                spec = {}
            ptype = spec.get("Type")
            is_list = isinstance(ptype, str) and ptype.startswith(_LIST_TYPES)
            from_ssm = isinstance(ptype, str) and ptype.startswith(_SSM_TYPE)
            allowed_raw = spec.get("AllowedValues")
            allowed = (
                tuple(plain(v) for v in allowed_raw)
                if isinstance(allowed_raw, list) and allowed_raw else None
            )
            default_key = next((k for k in spec if k == "Default"), None)
            if default_key is None:
                out[str(name)] = Parameter(str(name), None, False, None, is_list, from_ssm,
                                           allowed, decl)
                continue
            value = spec[default_key]
            span = self.loc.entry_span(default_key, value, self.loc.span_of(spec) or whole)
            out[str(name)] = Parameter(str(name), plain(value), True, span, is_list, from_ssm,
                                       allowed, decl)
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
                if isinstance(key, str) and key.startswith(FOR_EACH):
                    self._for_each_entries(key, value, span, path, entries)
                    continue
                child_span = self.loc.entry_span(key, value, span)
                name = self.substitute(str(key))
                node = self.evaluate(value, child_span, _join_path(path, name))
                if node is not None:
                    entries[name] = node
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
        """Record that the value at `path` names resource `target` (a logical id)."""
        self.references.append(Reference(target, path, span))

    @contextmanager
    def isolated(self, values: dict[str, tuple[Any, tuple[Span, ...]]] | None = None
                 ) -> Iterator[None]:
        """Evaluate with other parameter values and nothing recorded (for conditions)."""
        saved = (self.references, self.conditions_used, self.params_used, self.truth,
                 self.values)
        self.references, self.conditions_used, self.params_used = [], set(), set()
        self.truth = None
        self.values = values if values is not None else self.values
        try:
            yield
        finally:
            (self.references, self.conditions_used, self.params_used, self.truth,
             self.values) = saved

    def substitute(self, text: str) -> str:
        """`${Identifier}` and `&{Identifier}` of the Fn::ForEach loops in scope, replaced."""
        if not self.loop or ("{" not in text):
            return text

        def one(match: re.Match[str]) -> str:
            value = self.loop.get(match.group(2))
            if value is None:
                return match.group(0)
            return value if match.group(1) == "$" else re.sub(r"[^0-9A-Za-z]+", "", value)

        return _LOOP_VARIABLE.sub(one, text)

    # -- Fn::ForEach ------------------------------------------------------------------

    def for_each(self, key: str, arg: Any, span: Span
                 ) -> tuple[list[tuple[dict[str, str], Any, Any]], str | None]:
        """The iterations of a loop: (identifiers in scope, output key, output value).

        Nested loops in the output mapping are expanded too. The second item is why the
        loop could not be expanded (its collection is not known), or None.
        """
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)
                and isinstance(arg[2], dict)):
            return [], "is not a list of an identifier, a collection and an output mapping"
        identifier = str(arg[0])
        collection = self.evaluate(arg[1], self.loc.span_of(arg[1]) or span, "")
        if collection is None or not isinstance(collection.value, list):
            reason = (collection.value.reason if collection is not None and collection.unknown
                      else "it is not a list")
            return [], f"has a collection that is not known ({reason})"
        items: list[str] = []
        for element in collection.value:
            text = text_of(element.value)
            if text is None:
                return [], "has a collection whose items are not all known strings"
            items.append(text)
        out: list[tuple[dict[str, str], Any, Any]] = []
        outer = self.loop
        try:
            for item in items:
                self.loop = {**outer, identifier: item}
                for out_key, out_value in arg[2].items():
                    if isinstance(out_key, str) and out_key.startswith(FOR_EACH):
                        inner, problem = self.for_each(out_key, out_value, span)
                        if problem is not None:
                            return [], f"holds a loop that {problem}"
                        out.extend(inner)
                    else:
                        out.append((dict(self.loop), out_key, out_value))
        finally:
            self.loop = outer
        return out, None

    def _for_each_entries(self, key: str, arg: Any, span: Span, path: str,
                          entries: dict[str, Node]) -> None:
        """A loop inside a mapping (e.g. Properties): its output entries join the mapping."""
        loop_span = self.loc.entry_span(key, arg, span)
        iterations, problem = self.for_each(key, arg, loop_span)
        if problem is not None:
            entries[key] = Node(Unknown(f"the loop {key} {problem}"), loop_span)
            return
        outer = self.loop
        try:
            for scope, out_key, out_value in iterations:
                self.loop = scope
                name = self.substitute(str(out_key))
                child_span = self.loc.entry_span(out_key, out_value, loop_span)
                node = self.evaluate(out_value, child_span, _join_path(path, name))
                if node is not None:
                    entries[name] = node
        finally:
            self.loop = outer

    # -- functions --------------------------------------------------------------

    def _function(self, name: str, arg: Any, span: Span, path: str) -> Node | None:
        handler = _HANDLERS.get(name)
        if handler is not None:
            return handler(self, arg, span, path)
        # Evaluate the arguments anyway: the references they hold are real.
        self.evaluate(arg, span, path)
        return Node(Unknown(f"{name} is not evaluated statically"), span)

    def _ref(self, arg: Any, span: Span, path: str) -> Node | None:
        if not isinstance(arg, str):
            self.evaluate(arg, span, path)
            return Node(Unknown("Ref to a computed name"), span)
        name = self.substitute(str(arg))
        if name in self.loop:
            return Node(self.loop[name], span)
        if name == NO_VALUE:
            return None
        param = self.parameters.get(name)
        if param is not None:
            return self._parameter_value(param, span)
        if name in self.resource_ids:
            self.reference(name, path, span)
            known = "arn:" + Unknown.PIECE if self.resource_types.get(name) in REF_IS_ARN else None
            return Node(Unknown(f"Ref to resource {name}", known=known), span)
        if name.startswith("AWS::"):
            return self._pseudo(name, span)
        # CloudFormation refuses the template; the Ref names no resource of it, which is
        # known (the refs mark it), so an attachment holding it attaches to none here.
        return Node(Unknown(f"Ref to {name}, which is not defined in the template",
                            (f"undefined::{name}",)), span)

    def _pseudo(self, name: str, span: Span) -> Node:
        value = self.options.pseudo(name)
        if value is not None:
            return Node(value, span)
        if name in ("AWS::Region", "AWS::Partition", "AWS::URLSuffix"):
            return Node(Unknown(f"pseudo parameter {name} is known only at deployment "
                                "(give --region to set it)"), span)
        return Node(Unknown(f"pseudo parameter {name} is known only at deployment"), span)

    def _parameter_value(self, param: Parameter, span: Span) -> Node:
        self.params_used.add(param.name)
        declared = (param.decl_span,) if param.decl_span is not None else ()
        if param.name in self.values:
            value, provenance = self.values[param.name]
            if isinstance(value, Unknown):
                return Node(value, span, provenance)
            return node_from_plain(_as_list(value) if param.is_list else value, span, provenance)
        given = self.options.given(param.name)
        if given is not None:
            where = given.origins or declared
            if given.value is None:
                return Node(Unknown(given.reason or f"parameter {param.name} is not known"),
                            span, where)
            if param.from_ssm:
                reason = (f"parameter {param.name} names an SSM parameter ({given.value}); "
                          "its value is read at deployment")
                return Node(Unknown(reason), span, where)
            value = _as_list(given.value) if param.is_list else given.value
            return node_from_plain(value, span, where)
        if not param.has_default:
            reason = f"parameter {param.name} has no default and no value was given"
            if param.allowed is not None:
                shown = ", ".join(t for t in (text_of(v) for v in param.allowed) if t is not None)
                reason += f" (allowed values: {shown})"
            return Node(Unknown(reason), span, declared)
        prov = (param.default_span,) if param.default_span is not None else declared
        if param.from_ssm:
            reason = f"parameter {param.name} is read from SSM Parameter Store at deployment"
            return Node(Unknown(reason), span, prov)
        value = param.default
        if param.is_list and isinstance(value, str):
            value = _as_list(value)
        return node_from_plain(value, span, prov)

    def _get_att(self, arg: Any, span: Span, path: str) -> Node:
        if isinstance(arg, str):
            target, _, attribute = self.substitute(str(arg)).partition(".")
        elif isinstance(arg, list) and len(arg) == 2:
            if isinstance(arg[0], str):
                target = self.substitute(str(arg[0]))
            else:  # `!GetAtt [!Sub "${Name}Group", GroupId]` in a Fn::ForEach loop
                name = self.evaluate(arg[0], span, path)
                if name is None or not isinstance(name.value, str):
                    return Node(Unknown("Fn::GetAtt with a computed resource name"), span)
                target = name.value
            attr_node = self.evaluate(arg[1], span, path)
            attribute = attr_node.value if isinstance(attr_node, Node) else ""
            attribute = attribute if isinstance(attribute, str) else "?"
        else:
            self.evaluate(arg, span, path)
            return Node(Unknown("Fn::GetAtt with a computed resource name"), span)
        if target in self.resource_ids:
            self.reference(target, path, span)
            mirrored = self._mirrored_property(target, attribute, span)
            if mirrored is not None:
                return mirrored
            # An `...Arn` attribute is an ARN: not "*", not empty, whatever it turns out to be.
            known = "arn:" + Unknown.PIECE if attribute.endswith("Arn") else None
            return Node(Unknown(f"attribute {attribute} of resource {target}", known=known), span)
        return Node(Unknown(f"Fn::GetAtt of {target}, which is not a resource of the template"),
                    span)

    def _mirrored_property(self, target: str, attribute: str, span: Span) -> Node | None:
        """An attribute that returns what the resource's template sets (a VPC's CidrBlock), when
        that is a literal or a parameter: known before deployment."""
        prop = MIRRORED_ATTRIBUTES.get((self.resource_types.get(target, ""), attribute))
        definition = self.resources.get(target) if prop is not None else None
        props = definition.get("Properties") if isinstance(definition, dict) else None
        raw = props.get(prop) if isinstance(props, dict) else None
        if isinstance(raw, str):
            at = self.loc.span_of(raw) or span
            return Node(str(raw), span, (at,))  # a plain str: cfn-lint's marked one cannot pickle
        if is_intrinsic(raw) and isinstance(raw.get("Ref"), str) and raw["Ref"] in self.parameters:
            value = self._parameter_value(self.parameters[raw["Ref"]], span)
            return value if not value.unknown else None
        return None

    def _if(self, arg: Any, span: Span, path: str) -> Node | None:
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            self.evaluate(arg, span, path)
            return Node(Unknown("malformed Fn::If"), span)
        condition = str(arg[0])
        if condition not in self.condition_names:
            return Node(Unknown(f"Fn::If names condition {condition}, which is not defined"),
                        span)
        chosen = self.truth.get(condition) if self.truth is not None else None
        if chosen is None:
            self.conditions_used.add(condition)
            for branch in arg[1:]:
                self.evaluate(branch, self.loc.span_of(branch) or span, path)
            return Node(Unknown(f"depends on condition {condition}"), span)
        branch = arg[1] if chosen else arg[2]
        return self.evaluate(branch, self.loc.span_of(branch) or span, path)

    def _sub(self, arg: Any, span: Span, path: str) -> Node:
        local: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, local = arg[0], {str(k): v for k, v in arg[1].items()}
        else:
            template = arg
        if not isinstance(template, str):
            self.evaluate(arg, span, path)
            return Node(Unknown("Fn::Sub of a computed string"), span)
        template = str(template)
        if self.loop:
            template = re.sub(r"&\{\s*([^}!\s]*)\s*\}",
                              lambda m: self.substitute(m.group(0)), template)
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
                parts.append(Unknown.PIECE)
            else:
                parts.append(text)
        parts.append(template[last:])
        if unknown is not None:
            partial = Unknown(unknown.reason, unknown.refs, "".join(parts))
            return Node(partial, span, tuple(provenance))
        return _scalar("".join(parts), span, tuple(provenance))

    def _sub_variable(
        self, name: str, local: dict[str, Any], span: Span, path: str
    ) -> Node | Unknown:
        if name in local:
            node = self.evaluate(local[name], span, path)
            return node if isinstance(node, Node) else Unknown(f"${{{name}}} is AWS::NoValue")
        if name in self.loop:
            return Node(self.loop[name], span)
        if name in self.parameters:
            return self._parameter_value(self.parameters[name], span)
        target = name.split(".", 1)[0]
        if target in self.resource_ids:
            self.reference(target, path, span)
            return Unknown(f"${{{name}}} names resource {target}")
        if name.startswith("AWS::"):
            return self._pseudo(name, span)
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
            reason = items.value if isinstance(items, Node) and items.unknown else None
            return Node(reason or Unknown("Fn::Join of an unknown list"), span)
        texts: list[str] = []
        provenance: list[Span] = []
        unknown: Unknown | None = None
        for item in items.value:
            provenance.extend(item.provenance)
            if isinstance(item.value, Unknown):
                # Keep the known pieces ("arn:" + partition + ":iam::aws:policy/..."), as Fn::Sub does.
                unknown = unknown or item.value
                texts.append(item.value.known if item.value.known is not None else Unknown.PIECE)
                continue
            text = to_str(item.value) if not isinstance(item.value, (list, dict)) else None
            if not isinstance(text, str):
                return Node(Unknown("Fn::Join of a value that is not a string"), span)
            texts.append(text)
        if unknown is not None:
            return Node(Unknown(unknown.reason, unknown.refs, delimiter.value.join(texts)), span,
                        tuple(provenance))
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
        return Node(chosen.value, span, chosen.provenance, chosen.encoded)

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
        if isinstance(source, Node) and source.unknown:
            return Node(source.value, span, source.provenance)
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

    def _base64(self, arg: Any, span: Span, path: str) -> Node:
        node = self.evaluate(arg, span, path)
        if node is not None and isinstance(node.value, str):
            encoded = base64.b64encode(node.value.encode("utf-8")).decode("ascii")
            return Node(encoded, span, node.provenance)
        if node is not None and node.unknown:
            return Node(node.value, span, node.provenance)
        return Node(Unknown("Fn::Base64 of a value that is not a string"), span)

    def _get_azs(self, arg: Any, span: Span, path: str) -> Node:
        region = self.evaluate(arg, span, path)
        name = region.value if region is not None and isinstance(region.value, str) else ""
        where = f"region {name}" if name else "the stack's region"
        return Node(Unknown(f"Fn::GetAZs: the Availability Zones of {where} are known only "
                            "at deployment"), span)

    def _import_value(self, arg: Any, span: Span, path: str) -> Node:
        name = self.evaluate(arg, span, path)
        if name is not None and isinstance(name.value, str):
            export = f"the export {name.value}"
        else:
            export = "an export whose name is not known"
        return Node(Unknown(f"Fn::ImportValue of {export}: known only at deployment"), span)

    def _length(self, arg: Any, span: Span, path: str) -> Node:
        node = self.evaluate(arg, span, path)
        if node is not None and isinstance(node.value, list):
            return Node(len(node.value), span, node.provenance)
        if node is not None and node.unknown:
            return Node(node.value, span, node.provenance)
        return Node(Unknown("Fn::Length of a value that is not a list"), span)

    def _to_json_string(self, arg: Any, span: Span, path: str) -> Node:
        node = self.evaluate(arg, span, path)
        if node is None:
            return Node(Unknown("Fn::ToJsonString of AWS::NoValue"), span)
        if node.contains_unknown():
            return Node(Unknown("Fn::ToJsonString of a value that is not fully known"), span,
                        node.provenance)
        text = json.dumps(node.plain(), separators=(",", ":"))
        return Node(text, span, node.provenance, encoded=node)


def _as_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value


def _scalar(value: Any, span: Span, provenance: tuple[Span, ...] = ()) -> Node:
    """A scalar node; a string holding a dynamic reference is not known before deployment."""
    if isinstance(value, str) and _DYNAMIC_REFERENCE in value:
        return Node(Unknown("a dynamic reference ({{resolve:...}}) is resolved at deployment"),
                    span, provenance)
    return Node(value, span, provenance)


_HANDLERS = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::If": Evaluator._if,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::Select": Evaluator._select,
    "Fn::Split": Evaluator._split,
    "Fn::FindInMap": Evaluator._find_in_map,
    "Fn::Base64": Evaluator._base64,
    "Fn::GetAZs": Evaluator._get_azs,
    "Fn::ImportValue": Evaluator._import_value,
    "Fn::Length": Evaluator._length,
    "Fn::ToJsonString": Evaluator._to_json_string,
}
