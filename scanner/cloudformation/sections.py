"""Problems in a template's Parameters, Mappings and Conditions sections.

CloudFormation refuses a template whose sections are not mappings, whose
conditions are not built from condition functions, or whose conditions name
an undefined condition or depend on themselves. remit still scans such a
template (a malformed or cyclic condition is taken as possibly true and
possibly false, see `conditions.py`), and says what is wrong, where, so the
author can fix it before CloudFormation rejects the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.cloudformation.spans import Locator
from scanner.source import Span

_MAPPING_SECTIONS = ("Parameters", "Mappings", "Conditions")
_COMBINATORS = {"Fn::Not": (1, 1), "Fn::And": (2, 10), "Fn::Or": (2, 10)}


@dataclass(frozen=True)
class SectionProblem:
    span: Span
    message: str


def section_problems(template: dict[Any, Any], loc: Locator) -> list[SectionProblem]:
    """What CloudFormation would refuse in the sections that decide values."""
    whole = Span(loc.file, 1)
    out: list[SectionProblem] = []
    for name in _MAPPING_SECTIONS:
        key = next((k for k in template if k == name), None)
        if key is None or isinstance(template[key], dict) or template[key] is None:
            continue
        out.append(SectionProblem(
            loc.entry_span(key, template[key], whole),
            f"{name} must be a mapping, not {_kind(template[key])}; the section was ignored "
            "and CloudFormation would refuse the template",
        ))
    conditions = template.get("Conditions")
    if isinstance(conditions, dict):
        out.extend(_condition_problems(conditions, loc, whole))
    return out


def _condition_problems(conditions: dict[Any, Any], loc: Locator, whole: Span
                        ) -> list[SectionProblem]:
    names = {str(k) for k in conditions}
    spans = {str(k): loc.entry_span(k, v, whole) for k, v in conditions.items()}
    refers: dict[str, list[str]] = {}
    out: list[SectionProblem] = []
    for key, value in conditions.items():
        name = str(key)
        refers[name] = []
        problem = _shape(value, refers[name], top=True)
        if problem is not None:
            out.append(SectionProblem(
                spans[name],
                f"condition {name} is malformed ({problem}); CloudFormation would refuse the "
                "template",
            ))
        for target in refers[name]:
            if target not in names:
                out.append(SectionProblem(
                    spans[name],
                    f"condition {name} names condition {target}, which is not defined; "
                    "it was scanned as possibly true and possibly false",
                ))
    for name in sorted(names):
        cycle = _cycle_through(name, refers)
        if cycle is not None:
            out.append(SectionProblem(
                spans[name],
                f"condition {name} depends on itself ({' -> '.join(cycle)}); CloudFormation "
                "would refuse the template. It was scanned as possibly true and possibly false",
            ))
    return out


def _shape(raw: Any, refers: list[str], top: bool = False) -> str | None:
    """Why `raw` is not a condition function (None when it is); collects Condition names."""
    if isinstance(raw, dict) and len(raw) == 1:
        (fn, arg), = raw.items()
        fn = str(fn)
        if fn == "Condition":
            if not isinstance(arg, str):
                return "Condition must name a condition"
            refers.append(str(arg))
            return None
        if fn == "Fn::Equals":
            if not (isinstance(arg, list) and len(arg) == 2):
                return "Fn::Equals takes a list of two values"
            _collect_conditions(arg, refers)
            return None
        if fn in _COMBINATORS:
            low, high = _COMBINATORS[fn]
            if not isinstance(arg, list) or not low <= len(arg) <= high:
                count = "one condition" if high == 1 else f"{low} to {high} conditions"
                return f"{fn} takes a list of {count}"
            for item in arg:
                problem = _shape(item, refers)
                if problem is not None:
                    return problem
            return None
    what = "a condition" if top else "an operand of Fn::Not, Fn::And or Fn::Or"
    return f"{what} must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a Condition, not {_kind(raw)}"


def _collect_conditions(raw: Any, refers: list[str]) -> None:
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "Condition" and isinstance(value, str):
                refers.append(str(value))
            else:
                _collect_conditions(value, refers)
    elif isinstance(raw, list):
        for item in raw:
            _collect_conditions(item, refers)


def _cycle_through(start: str, refers: dict[str, list[str]]) -> list[str] | None:
    """The shortest path of Condition references from `start` back to itself, if any."""
    paths: list[list[str]] = [[start]]
    seen: set[str] = set()
    while paths:
        path = paths.pop(0)
        for target in refers.get(path[-1], ()):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        names = ", ".join(str(k) for k in list(value)[:3])
        return f"a mapping of {names}" if names else "an empty mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    return "empty" if value is None else f"a {type(value).__name__}"
