"""Load one CloudFormation template (YAML or JSON) into `Resource`s.

Decoding is cfn-lint's (`decode_str`), imported only here and only when a
template is read: importing it costs about a second. No input makes this module
raise: an unreadable file, section or resource becomes a `Diagnostic` and the
rest of the template is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scanner.cloudformation.evaluate import Evaluator, is_intrinsic
from scanner.cloudformation.spans import Locator
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.values import Node, Unknown

_MAX_PARSE_DIAGNOSTICS = 10
_YAML_PLACE = re.compile(r'\s*in "<[^>]*>", (?:line \d+, column \d+|position \d+)')
_SECOND_DOCUMENT = re.compile(r'found another document\s+in "<[^>]*>", line (\d+), column (\d+)')


@dataclass
class LoadedTemplate:
    """What one template file yields."""

    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Resource id -> name of the resource-level `Condition` that guards it. Conditions
    # are not evaluated yet; a guarded resource is scanned as if it were created.
    conditions: dict[str, str] = field(default_factory=dict)


def load_template(text: str, rel_path: str) -> tuple[list[Resource], list[Diagnostic]]:
    """The resources of the template `text` (the file `rel_path`) and the problems met."""
    loaded = read_template(text, rel_path)
    return loaded.resources, loaded.diagnostics


def read_template(text: str, rel_path: str) -> LoadedTemplate:
    """Like `load_template`, with what else the template says about its resources."""
    try:
        return _read(text, rel_path)
    except RecursionError:
        message = "nesting is too deep to analyse; the file was skipped"
        return LoadedTemplate(
            diagnostics=[_diag(rel_path, 0, 0, DiagnosticLevel.ERROR, "too-deep", message)]
        )
    except Exception as exc:  # one broken file must never stop the scan
        message = (
            f"internal error while reading the CloudFormation template {rel_path} "
            f"({type(exc).__name__}: {exc}); the file was skipped"
        )
        return LoadedTemplate(
            diagnostics=[_diag(rel_path, 0, 0, DiagnosticLevel.ERROR, "internal-error", message)]
        )


def _diag(file: str, line: int, column: int, level: DiagnosticLevel, code: str, message: str
          ) -> Diagnostic:
    return Diagnostic(file=file, line=line, column=column, level=level, code=code, message=message)


def _read(text: str, rel_path: str) -> LoadedTemplate:
    from cfnlint.decode import decode_str

    template, matches = decode_str(text)
    if template is None:
        return LoadedTemplate(diagnostics=_parse_errors(matches, rel_path))
    loaded = LoadedTemplate()
    if not isinstance(template, dict):
        loaded.diagnostics.append(_diag(
            rel_path, 1, 1, DiagnosticLevel.ERROR, "invalid-template",
            f"the template is {_kind(template)}, not a mapping of sections; the file was skipped",
        ))
        return loaded
    loc = Locator(rel_path, text)
    section = next((k for k in template if k == "Resources"), None)
    if section is None:
        loaded.diagnostics.append(_diag(
            rel_path, 1, 1, DiagnosticLevel.WARNING, "invalid-template",
            "the template has no Resources section: there is nothing to scan",
        ))
        return loaded
    raw_resources = template[section]
    if not isinstance(raw_resources, dict):
        span = loc.entry_span(section, raw_resources, Span(rel_path, 1))
        loaded.diagnostics.append(_diag(
            rel_path, span.start_line, span.start_column, DiagnosticLevel.ERROR,
            "invalid-template",
            f"Resources must be a mapping of logical ids to resources, not {_kind(raw_resources)}; "
            "the file was skipped",
        ))
        return loaded
    evaluator = Evaluator(loc, template, rel_path)
    for key, definition in raw_resources.items():
        _read_resource(evaluator, key, definition, loaded)
    return loaded


def _read_resource(ev: Evaluator, key: Any, definition: Any, loaded: LoadedTemplate) -> None:
    file = ev.loc.file
    logical_id = str(key)
    span = ev.loc.entry_span(key, definition, Span(file, 1))

    def warn(code: str, reason: str) -> None:
        loaded.diagnostics.append(_diag(
            file, span.start_line, span.start_column, DiagnosticLevel.WARNING, code,
            f"resource {logical_id} {reason}; it was not scanned",
        ))

    if logical_id.startswith("Fn::ForEach::"):
        warn("not-resolved", "is an Fn::ForEach loop, which is not expanded yet")
        return
    if not isinstance(definition, dict):
        warn("invalid-resource", f"is {_kind(definition)}, not a mapping")
        return
    rtype = definition.get("Type")
    if not isinstance(rtype, str):
        reason = "has no Type" if rtype is None else "has a Type that is not a string"
        warn("invalid-resource", reason)
        return
    ev.references = []
    body = _properties(ev, definition, span)
    if body is None:
        warn("invalid-resource", "has Properties that are not a mapping")
        return
    references = ev.references + _depends_on(ev, definition, span)
    resource = Resource(
        id=f"{file}::{logical_id}",
        address=logical_id,
        type=str(rtype),
        format=Format.CLOUDFORMATION,
        span=span,
        body=body,
        scope=file,
        references=references,
    )
    loaded.resources.append(resource)
    condition = definition.get("Condition")
    if isinstance(condition, str):
        loaded.conditions[resource.id] = str(condition)


def _properties(ev: Evaluator, definition: dict[Any, Any], span: Span) -> Node | None:
    """The evaluated Properties: a dict node, an Unknown node (`Fn::If`), or None if invalid."""
    key = next((k for k in definition if k == "Properties"), None)
    if key is None:
        return Node({}, span)
    raw = definition[key]
    props_span = ev.loc.entry_span(key, raw, span)
    if raw is None:
        return Node({}, props_span)
    if not isinstance(raw, dict):
        return None
    node = ev.evaluate(raw, props_span, "")
    if node is None:  # `Properties: !Ref AWS::NoValue`
        return Node({}, props_span)
    if is_intrinsic(raw) and not node.unknown and not isinstance(node.value, dict):
        return Node(Unknown("Properties do not evaluate to a mapping"), props_span)
    return node


def _depends_on(ev: Evaluator, definition: dict[Any, Any], span: Span) -> list[Reference]:
    key = next((k for k in definition if k == "DependsOn"), None)
    if key is None:
        return []
    raw = definition[key]
    entry = ev.loc.entry_span(key, raw, span)
    names = raw if isinstance(raw, list) else [raw]
    out: list[Reference] = []
    for name in names:
        if isinstance(name, str) and str(name) in ev.resource_ids:
            where = ev.loc.span_of(name) or entry
            out.append(Reference(f"{ev.scope}::{name}", "DependsOn", where))
    return out


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _parse_errors(matches: list[Any], file: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for match in matches:
        raw = str(getattr(match, "message", "") or match)
        line = _as_int(getattr(match, "linenumber", 0))
        column = _as_int(getattr(match, "columnnumber", 0))
        second = _SECOND_DOCUMENT.search(raw)
        if second is not None:
            line, column = int(second.group(1)), int(second.group(2))
            reason = ("the file holds several YAML documents (separated by ---), and a "
                      "CloudFormation template is a single document")
        else:
            reason = _clean(raw)
        diag = _diag(file, line, column, DiagnosticLevel.ERROR, "parse-error",
                     f"could not parse the template: {reason}; the file was skipped")
        if diag not in out:
            out.append(diag)
        if len(out) >= _MAX_PARSE_DIAGNOSTICS:
            break
    if not out:
        out.append(_diag(file, 0, 0, DiagnosticLevel.ERROR, "parse-error",
                         "could not parse the template; the file was skipped"))
    return out


def _clean(message: str) -> str:
    message = _YAML_PLACE.sub("", message)
    message = message.replace("Template could not be parsed: ", "")
    return " ".join(message.split()) or "unknown parse error"


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
