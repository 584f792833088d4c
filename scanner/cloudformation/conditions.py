"""The scenarios of a template's Conditions: which truth values can occur together.

A *scenario* gives a truth value to each condition of a set. It can occur when
some choice of parameter values makes every condition of the set take its value.
The values a parameter can take are:

- the value given with `--cfn-param`/`--cfn-params`: that value only (pinned);
- its `AllowedValues`, when it has them (the Default is one of them);
- otherwise any string: its Default, each value the conditions compare with,
  and "another value". A Default is *not* forced: whoever deploys the template
  can pass another value, so `IsProd: !Equals [!Ref Env, prod]` is two-valued
  even when Env defaults to `prod`. Pin the value with `--cfn-param Env=prod`.
- a parameter read from SSM Parameter Store: not known.

Values that no condition tells apart are one choice ("another allowed value").
An `Fn::Equals` whose operands are not known (a pseudo parameter without
`--region`, an SSM parameter, an import) is a free atom: it may be true or
false, and the same comparison written twice is the same atom.

Bounds: at most `MAX_SCENARIOS` (64) scenarios for a resource and at most
`MAX_ASSIGNMENTS` (4096) combinations of parameter values are examined; past
either the enumeration stops, keeps what it found, and says so (a warning
diagnostic from the loader).

Within a scenario, a parameter read by a resource takes the value given on the
command line; else its Default when the Default fits the scenario; else the
one value the scenario leaves it; else it is Unknown ("one of ...").
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from scanner.cloudformation.evaluate import (
    Evaluator,
    OtherValue,
    Parameter,
    is_intrinsic,
    plain,
    text_of,
)
from scanner.source import Span
from scanner.values import Node, Unknown

MAX_SCENARIOS = 64
MAX_ASSIGNMENTS = 4096
_OTHER = "\x00other"  # a parameter's choice "a value no condition names"
_FREE = "\x00free"  # a parameter whose value is not known at all (SSM)


class _Need(Exception):
    """Evaluation met a free atom that the current branch has not decided yet."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Scenario:
    """One combination of condition values, and the parameter values it pins."""

    truth: dict[str, bool]
    values: dict[str, tuple[Any, tuple[Span, ...]]] = field(default_factory=dict)


@dataclass
class Enumeration:
    scenarios: list[Scenario]
    truncated: str | None = None  # why the enumeration stopped early


class ConditionSpace:
    """The Conditions of one template, evaluated over the values parameters can take."""

    def __init__(self, raw: Any, ev: Evaluator) -> None:
        self.ev = ev
        self.raw: dict[str, Any] = (
            {str(k): v for k, v in raw.items()} if isinstance(raw, dict) else {}
        )
        self.names = set(self.raw)
        self._params_of: dict[str, frozenset[str]] = {}
        self._literals: set[str] = set()
        for name in sorted(self.raw):
            self._params_of[name] = frozenset(self._closure_params(name, set()))
        for value in self.raw.values():
            self._collect_literals(value)
        self._cache: dict[frozenset[str], Enumeration] = {}

    # -- structure ----------------------------------------------------------------

    def linked(self, params: set[str]) -> set[str]:
        """The conditions whose value depends on one of `params`."""
        return {name for name, used in self._params_of.items() if used & params}

    def _closure_params(self, name: str, seen: set[str]) -> set[str]:
        if name in seen or name not in self.raw:
            return set()
        seen.add(name)
        out: set[str] = set()
        self._walk_params(self.raw[name], out, seen)
        return out

    def _walk_params(self, raw: Any, out: set[str], seen: set[str]) -> None:
        if isinstance(raw, dict):
            for key, value in raw.items():
                if key == "Ref" and isinstance(value, str) and str(value) in self.ev.parameters:
                    out.add(str(value))
                elif key == "Condition" and isinstance(value, str):
                    out |= self._closure_params(str(value), seen)
                elif key == "Fn::Sub":
                    text = value[0] if isinstance(value, list) and value else value
                    if isinstance(text, str):
                        for name in _sub_names(str(text)):
                            if name in self.ev.parameters:
                                out.add(name)
                    self._walk_params(value, out, seen)
                else:
                    self._walk_params(value, out, seen)
        elif isinstance(raw, list):
            for item in raw:
                self._walk_params(item, out, seen)

    def _collect_literals(self, raw: Any) -> None:
        if isinstance(raw, dict):
            for key, value in raw.items():
                if key == "Fn::Equals" and isinstance(value, list):
                    for operand in value:
                        text = text_of(plain(operand)) if not isinstance(operand, (dict, list)) \
                            else None
                        if text is not None:
                            self._literals.add(text)
                self._collect_literals(value)
        elif isinstance(raw, list):
            for item in raw:
                self._collect_literals(item)

    # -- parameter domains ------------------------------------------------------------

    def _domain(self, param: Parameter) -> tuple[list[str], tuple[str, ...] | None]:
        """The distinct choices for a parameter, and the members of its "other" choice."""
        given = self.ev.options.given(param.name)
        if param.from_ssm or (given is not None and given.value is None):
            return [_FREE], None
        if given is not None and given.value is not None:
            return [given.value], None
        default = param.default_text
        if param.allowed is not None:
            allowed = _unique(t for t in (text_of(v) for v in param.allowed) if t is not None)
            named = [v for v in allowed if v in self._literals or v == default]
            rest = tuple(v for v in allowed if v not in named)
            if len(rest) == 1:
                return [*named, rest[0]], None
            return ([*named, _OTHER] if rest else named), rest or None
        choices = _unique([*([default] if default is not None else []), *sorted(self._literals)])
        return [*choices, _OTHER], None

    # -- enumeration ------------------------------------------------------------------

    def enumerate(self, conditions: set[str]) -> Enumeration:
        """Every scenario of `conditions` (names defined in the template) that can occur."""
        key = frozenset(c for c in conditions if c in self.raw)
        if key not in self._cache:
            self._cache[key] = self._enumerate(sorted(key))
        return self._cache[key]

    def _enumerate(self, names: list[str]) -> Enumeration:
        if not names:
            return Enumeration([Scenario({})])
        params = sorted(set().union(*(self._params_of[n] for n in names)))
        domains: list[list[str]] = []
        members: dict[str, tuple[str, ...] | None] = {}
        for name in params:
            choices, rest = self._domain(self.ev.parameters[name])
            domains.append(choices)
            members[name] = rest
        truncated: str | None = None
        seen: dict[tuple[bool, ...], dict[str, set[str]]] = {}
        for count, combo in enumerate(itertools.product(*domains), start=1):
            if count > MAX_ASSIGNMENTS:
                truncated = (f"more than {MAX_ASSIGNMENTS} combinations of the parameters "
                             f"{', '.join(params)}")
                break
            assignment = dict(zip(params, combo, strict=True))
            for vector in self._vectors(names, assignment, members):
                chosen = seen.setdefault(vector, {p: set() for p in params})
                for p, v in assignment.items():
                    chosen[p].add(v)
            if len(seen) > MAX_SCENARIOS:
                truncated = f"more than {MAX_SCENARIOS} scenarios of the conditions {', '.join(names)}"
                break
        ordered = sorted(seen)[:MAX_SCENARIOS]
        scenarios = [
            Scenario(dict(zip(names, vector, strict=True)),
                     self._representatives(seen[vector], members))
            for vector in ordered
        ]
        return Enumeration(scenarios, truncated)

    def _vectors(self, names: list[str], assignment: dict[str, str],
                 members: dict[str, tuple[str, ...] | None]) -> list[tuple[bool, ...]]:
        """The truth vectors of `names` under one assignment (free atoms take both values)."""
        values = {p: self._choice_value(p, v, members[p]) for p, v in assignment.items()}
        equals_cache: dict[int, bool | None] = {}
        out: list[tuple[bool, ...]] = []
        pending: list[dict[str, bool]] = [{}]
        while pending:
            atoms = pending.pop()
            try:
                vector = tuple(self._named(n, atoms, values, equals_cache, set()) for n in names)
            except _Need as need:
                pending.append({**atoms, need.key: True})
                pending.append({**atoms, need.key: False})
                continue
            if vector not in out:
                out.append(vector)
            if len(out) > MAX_SCENARIOS:
                break
        return out

    def _choice_value(self, param: str, choice: str, rest: tuple[str, ...] | None
                      ) -> tuple[Any, tuple[Span, ...]]:
        p = self.ev.parameters[param]
        declared = (p.decl_span,) if p.decl_span is not None else ()
        if choice == _FREE:
            given = self.ev.options.given(param)
            if given is not None and given.value is None:
                return Unknown(given.reason or f"parameter {param} is not known"), declared
            return Unknown(f"parameter {param} is read from SSM Parameter Store at deployment"), declared
        if choice == _OTHER:
            return OtherValue(param, rest, self._other_reason(param, rest)), declared
        return choice, declared

    def _other_reason(self, param: str, rest: tuple[str, ...] | None) -> str:
        if rest:
            return f"parameter {param} is one of {', '.join(rest)} in this scenario"
        named = sorted(self._literals)
        if named:
            return f"parameter {param} is a value other than {', '.join(named)} in this scenario"
        return f"parameter {param} has no default and no value was given"

    def _named(self, name: str, atoms: dict[str, bool], values: dict[str, Any],
               cache: dict[int, bool | None], visiting: set[str]) -> bool:
        if name not in self.raw:
            return self._atom(f"undefined:{name}", atoms)
        if name in visiting:
            return self._atom(f"cycle:{name}", atoms)
        visiting.add(name)
        try:
            return self._truth(self.raw[name], atoms, values, cache, visiting)
        finally:
            visiting.discard(name)

    def _truth(self, raw: Any, atoms: dict[str, bool], values: dict[str, Any],
               cache: dict[int, bool | None], visiting: set[str]) -> bool:
        if isinstance(raw, dict) and len(raw) == 1 and "Condition" in raw:
            name = raw["Condition"]
            if isinstance(name, str):
                return self._named(str(name), atoms, values, cache, visiting)
        if is_intrinsic(raw):
            (fn, arg), = raw.items()
            # Malformed functions (`!Not true`, `!And [x]`) fall through to a free atom,
            # as `sections.py` tells the user.
            args = arg if isinstance(arg, list) else []
            if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                if id(arg) not in cache:
                    cache[id(arg)] = self._equals(arg, values)
                result = cache[id(arg)]
                return result if result is not None else self._atom(_key(arg), atoms)
            if fn == "Fn::Not" and len(args) == 1:
                return not self._truth(args[0], atoms, values, cache, visiting)
            if fn == "Fn::And" and len(args) >= 2:
                return all([self._truth(a, atoms, values, cache, visiting) for a in args])
            if fn == "Fn::Or" and len(args) >= 2:
                return any([self._truth(a, atoms, values, cache, visiting) for a in args])
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and str(raw).lower() in ("true", "false"):
            return str(raw).lower() == "true"
        return self._atom(_key(raw), atoms)

    @staticmethod
    def _atom(key: str, atoms: dict[str, bool]) -> bool:
        if key not in atoms:
            raise _Need(key)
        return atoms[key]

    def _equals(self, arg: list[Any], values: dict[str, Any]) -> bool | None:
        """True or False when known under these parameter values, None for a free atom."""
        whole = Span(self.ev.loc.file, 1)
        with self.ev.isolated(values):
            left = self.ev.evaluate(arg[0], self.ev.loc.span_of(arg[0]) or whole, "")
            right = self.ev.evaluate(arg[1], self.ev.loc.span_of(arg[1]) or whole, "")
        if left is None or right is None:
            return None
        a, b = left.value, right.value
        if isinstance(a, OtherValue) or isinstance(b, OtherValue):
            return self._compare_other(a, b)
        if left.contains_unknown() or right.contains_unknown():
            return None
        return _canonical(left) == _canonical(right)

    def _compare_other(self, a: Any, b: Any) -> bool | None:
        if isinstance(a, OtherValue) and isinstance(b, OtherValue):
            return True if a.param == b.param else None
        other, known = (a, b) if isinstance(a, OtherValue) else (b, a)
        text = text_of(known)
        if text is None:
            return None
        if other.members is not None:
            return False if text not in other.members else None
        return False if text in self._literals else None

    def _representatives(self, chosen: dict[str, set[str]],
                         members: dict[str, tuple[str, ...] | None]
                         ) -> dict[str, tuple[Any, tuple[Span, ...]]]:
        """Each parameter's value in a scenario, from the choices that lead to it."""
        out: dict[str, tuple[Any, tuple[Span, ...]]] = {}
        for name, choices in chosen.items():
            p = self.ev.parameters[name]
            declared = (p.decl_span,) if p.decl_span is not None else ()
            default = p.default_text
            if p.from_ssm:
                continue  # the usual rule (Unknown, read from SSM) applies
            if self.ev.options.given(name) is not None:
                continue  # the given value applies
            if default is not None and default in choices:
                out[name] = (p.default, (p.default_span,) if p.default_span else declared)
            elif len(choices) == 1 and _OTHER not in choices:
                out[name] = (next(iter(choices)), declared)
            else:
                shown = [c for c in sorted(choices) if c != _OTHER]
                if _OTHER in choices:
                    rest = members.get(name)
                    if rest:
                        shown.extend(rest)
                    else:
                        shown.append("another value")
                out[name] = (Unknown(f"parameter {name} depends on the scenario: one of "
                                     f"{', '.join(shown)}"), declared)
        return out


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _sub_names(text: str) -> list[str]:
    import re

    return [m.strip() for m in re.findall(r"\$\{([^}!]*)\}", text)]


def _key(raw: Any) -> str:
    try:
        return json.dumps(plain(raw), sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(plain(raw))


def _canonical(node: Node) -> Any:
    value = node.value
    if isinstance(value, list):
        return [_canonical(n) for n in value]
    if isinstance(value, dict):
        return {k: _canonical(n) for k, n in value.items()}
    text = text_of(value)
    return text if text is not None else value
