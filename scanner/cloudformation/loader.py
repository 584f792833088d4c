"""Load one CloudFormation template (YAML or JSON) into `Resource`s.

Decoding is cfn-lint's (`decode_str`), imported only here and only when a
template is read: importing it costs about a second. No input makes this module
raise: an unreadable file, section or resource becomes a `Diagnostic` and the
rest of the template is still read.

Conditions: a resource is emitted once per scenario that can change it (see
`conditions.py`): the scenarios of its own `Condition`, of the `Fn::If` it holds,
of the conditions on the parameters it reads, the same for the resources that
name it, and the `Condition` of the resources it names. (A view reads the
resources that name it, such as a group's rule resources, and only the existence
of the resources it names; so a view built from a resource and its neighbours
sees one consistent scenario.) A resource whose `Condition` is false in a
scenario does not exist there; one that exists in no scenario is not emitted (a
note says so). A resource with one scenario keeps its plain id
(`<file>::<LogicalId>`) and no scenario; copies are `<file>::<LogicalId>@<n>`,
each with the conditions that tell its copies apart, and references link copies
of the same scenario.

A YAML file holding several documents is read as that many templates (scope
`<file>#<n>`), with a warning: CloudFormation itself refuses such a file.

A template with the SAM transform is translated first (`sam.py`), then read as
any template; generated resources take the lines of the SAM resource they come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scanner.cloudformation.attachments import link_by_name, name_links
from scanner.cloudformation.conditions import ConditionSpace
from scanner.cloudformation.documents import split_documents
from scanner.cloudformation.evaluate import FOR_EACH, Evaluator, is_intrinsic, text_of
from scanner.cloudformation.options import CfnOptions
from scanner.cloudformation.sam import expand as expand_sam
from scanner.cloudformation.sam import name_generated
from scanner.cloudformation.sections import section_problems
from scanner.cloudformation.spans import Locator
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.values import Node, Unknown

_MAX_PARSE_DIAGNOSTICS = 10
_YAML_PLACE = re.compile(r'\s*in "<[^>]*>", (?:line \d+, column \d+|position \d+)')
_DUPLICATE_KEY = re.compile(r"Duplicate found '(.*)' \(line \d+\)")
_SECOND_DOCUMENT = re.compile(r'found another document\s+in "<[^>]*>", line (\d+), column (\d+)')


@dataclass
class LoadedTemplate:
    """What one template file yields."""

    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Resource id -> name of the resource-level `Condition` that guards it.
    conditions: dict[str, str] = field(default_factory=dict)


def load_template(text: str, rel_path: str, options: CfnOptions | None = None
                  ) -> tuple[list[Resource], list[Diagnostic]]:
    """The resources of the template `text` (the file `rel_path`) and the problems met."""
    loaded = read_template(text, rel_path, options)
    return loaded.resources, loaded.diagnostics


def read_template(text: str, rel_path: str, options: CfnOptions | None = None,
                  scope: str | None = None, call_chain: tuple[Span, ...] = ()) -> LoadedTemplate:
    """Like `load_template`, with what else the template says about its resources.

    `scope` (default: `rel_path`) prefixes resource ids; `call_chain` says where a
    nested stack's template was used from (its parents' Stack resources, outermost first).
    """
    try:
        loaded = _read(text, rel_path, options or CfnOptions(), scope or rel_path)
        for resource in loaded.resources:
            resource.call_chain = call_chain
        return loaded
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


def _read(text: str, rel_path: str, options: CfnOptions, scope: str) -> LoadedTemplate:
    documents = split_documents(text)
    if len(documents) == 1:
        return _read_document(documents[0].text, rel_path, scope, options)
    loaded = LoadedTemplate()
    loaded.diagnostics.append(_diag(
        rel_path, documents[1].first_line, 1, DiagnosticLevel.WARNING, "multiple-documents",
        f"the file holds {len(documents)} YAML documents (separated by ---); CloudFormation "
        "refuses such a file. Each document was scanned as its own template",
    ))
    for number, document in enumerate(documents, start=1):
        part = _read_document(document.text, rel_path, f"{scope}#{number}", options,
                              f"document {number}")
        loaded.resources.extend(part.resources)
        loaded.diagnostics.extend(part.diagnostics)
        loaded.conditions.update(part.conditions)
    return loaded


def _read_document(text: str, rel_path: str, scope: str, options: CfnOptions,
                   what: str = "the file") -> LoadedTemplate:
    from cfnlint.decode import decode_str

    template, matches = decode_str(text)
    if template is None:
        return LoadedTemplate(diagnostics=_parse_errors(matches, rel_path, what, text))
    loaded = LoadedTemplate()
    if not isinstance(template, dict):
        loaded.diagnostics.append(_diag(
            rel_path, 1, 1, DiagnosticLevel.ERROR, "invalid-template",
            f"the template is {_kind(template)}, not a mapping of sections; {what} was skipped",
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
            f"{what} was skipped",
        ))
        return loaded
    sam = expand_sam(template, raw_resources, loc, options)
    if sam is not None:  # translated first, then read as any template (see sam.py)
        template, raw_resources = sam.template, sam.resources
        loaded.diagnostics.extend(sam.diagnostics)
    ev = Evaluator(loc, template, scope, options)
    for problem in section_problems(template, loc):
        span = problem.span
        loaded.diagnostics.append(_diag(rel_path, span.start_line, span.start_column,
                                        DiagnosticLevel.WARNING, "invalid-template",
                                        problem.message))
    _check_given_values(ev, loaded)
    _Template(ev, ConditionSpace(template.get("Conditions"), ev), loaded).read(raw_resources)
    if sam is not None:
        name_generated(loaded.resources, sam.origins)
    return loaded


@dataclass
class _Declaration:
    """One resource as written (a loop's iterations are one declaration each)."""

    logical_id: str
    definition: dict[Any, Any]
    type: str
    span: Span
    loop: dict[str, str]
    condition: str | None = None


@dataclass
class _Probe:
    body: Node
    references: list[Reference]
    own: set[str]  # conditions that can change this resource itself


class _Template:
    """Reads the resources of one template, scenario by scenario."""

    def __init__(self, ev: Evaluator, space: ConditionSpace, loaded: LoadedTemplate) -> None:
        self.ev = ev
        self.space = space
        self.loaded = loaded
        self.file = ev.loc.file

    def warn(self, span: Span, code: str, message: str,
             level: DiagnosticLevel = DiagnosticLevel.WARNING) -> None:
        diag = _diag(self.file, span.start_line, span.start_column, level, code, message)
        if diag not in self.loaded.diagnostics:
            self.loaded.diagnostics.append(diag)

    def read(self, raw_resources: dict[Any, Any]) -> None:
        declarations = self._declarations(raw_resources)
        self.ev.resource_ids = {d.logical_id for d in declarations}
        probes: dict[str, _Probe] = {}
        for decl in declarations:
            probe = self._probe(decl)
            if probe is not None:
                probes[decl.logical_id] = probe
        declarations = [d for d in declarations if d.logical_id in probes]
        conditions = {d.logical_id: d.condition for d in declarations}
        relevant: dict[str, set[str]] = {lid: set(probe.own) for lid, probe in probes.items()}
        order = [d.logical_id for d in declarations]
        for link in name_links([({}, d.type, probes[d.logical_id].body) for d in declarations]):
            probes[order[link.source]].references.append(
                Reference(order[link.target], link.attribute, link.span))
        for lid, probe in probes.items():
            for ref in probe.references:
                # DependsOn only orders creation: no view reads through it.
                if ref.target not in relevant or ref.target == lid or ref.attribute == "DependsOn":
                    continue
                # A view reads the resources that name it (a rule resource, a flow log) and
                # only the existence of the resources it names.
                relevant[ref.target] |= probe.own
                target_condition = conditions[ref.target]
                if target_condition is not None:
                    relevant[lid].add(target_condition)
        copies: dict[str, list[tuple[dict[str, bool], Resource]]] = {}
        for decl in declarations:
            lid = decl.logical_id
            copies[lid] = self._copies(decl, probes[lid], relevant[lid])
        self._link(copies)
        link_by_name([entry for entries in copies.values() for entry in entries])
        for decl in declarations:
            for _, resource in copies[decl.logical_id]:
                self.loaded.resources.append(resource)
                if decl.condition is not None:
                    self.loaded.conditions[resource.id] = decl.condition
        self.loaded.diagnostics.sort()

    # -- declarations ---------------------------------------------------------------

    def _declarations(self, raw_resources: dict[Any, Any]) -> list[_Declaration]:
        out: list[_Declaration] = []
        seen: set[str] = set()
        whole = Span(self.file, 1)
        for key, definition in raw_resources.items():
            lid = str(key)
            span = self.ev.loc.entry_span(key, definition, whole)
            if lid.startswith(FOR_EACH):
                iterations, problem = self.ev.for_each(lid, definition, span)
                if problem is not None:
                    self.warn(span, "not-resolved",
                              f"resource loop {lid} {problem}; its resources were not scanned")
                for scope, out_key, out_value in iterations:
                    self.ev.loop = scope
                    name = self.ev.substitute(str(out_key))
                    self.ev.loop = {}
                    item_span = self.ev.loc.entry_span(out_key, out_value, span)
                    decl = self._declaration(name, out_value, item_span, scope, seen)
                    if decl is not None:
                        out.append(decl)
                continue
            decl = self._declaration(lid, definition, span, {}, seen)
            if decl is not None:
                out.append(decl)
        return out

    def _declaration(self, lid: str, definition: Any, span: Span, loop: dict[str, str],
                     seen: set[str]) -> _Declaration | None:
        def warn(code: str, reason: str) -> None:
            self.warn(span, code, f"resource {lid} {reason}; it was not scanned")

        if lid in seen:
            warn("invalid-resource", "is declared twice")
            return None
        if not isinstance(definition, dict):
            warn("invalid-resource", f"is {_kind(definition)}, not a mapping")
            return None
        rtype = definition.get("Type")
        if not isinstance(rtype, str):
            reason = "has no Type" if rtype is None else "has a Type that is not a string"
            warn("invalid-resource", reason)
            return None
        seen.add(lid)
        condition = definition.get("Condition")
        name: str | None = None
        if isinstance(condition, str):
            name = str(condition)
            if name not in self.space.names:
                self.warn(span, "not-resolved",
                          f"resource {lid} names condition {name}, which is not defined; "
                          "it was scanned as if it were created")
                name = None
        return _Declaration(lid, definition, str(rtype), span, loop, name)

    # -- evaluation -----------------------------------------------------------------

    def _evaluate(self, decl: _Declaration) -> tuple[Node | None, list[Reference]]:
        ev = self.ev
        ev.loop = decl.loop
        ev.references, ev.conditions_used, ev.params_used = [], set(), set()
        try:
            body = _properties(ev, decl.definition, decl.span)
            references = ev.references + _depends_on(ev, decl.definition, decl.span)
        finally:
            ev.loop = {}
        return body, references

    def _probe(self, decl: _Declaration) -> _Probe | None:
        self.ev.truth, self.ev.values = None, {}
        body, references = self._evaluate(decl)
        if body is None:
            self.warn(decl.span, "invalid-resource",
                      f"resource {decl.logical_id} has Properties that are not a mapping; "
                      "it was not scanned")
            return None
        own = set(self.ev.conditions_used) | self.space.linked(self.ev.params_used)
        if decl.condition is not None:
            own.add(decl.condition)
        return _Probe(body, references, own)

    def _copies(self, decl: _Declaration, probe: _Probe, relevant: set[str]
                ) -> list[tuple[dict[str, bool], Resource]]:
        lid = decl.logical_id
        base = f"{self.ev.scope}::{lid}"
        if not relevant:
            return [({}, self._resource(decl, base, probe.body, probe.references))]
        enumeration = self.space.enumerate(relevant)
        if enumeration.truncated:
            self.warn(decl.span, "scenario-limit",
                      f"resource {lid}: {enumeration.truncated}; only the first "
                      f"{len(enumeration.scenarios)} scenarios were scanned")
        existing = [s for s in enumeration.scenarios
                    if decl.condition is None or s.truth.get(decl.condition, True)]
        if not existing:
            which = "every scenario examined" if enumeration.truncated else "every scenario"
            self.warn(decl.span, "never-created",
                      f"resource {lid} is never created: its condition {decl.condition} is "
                      f"false in {which}", DiagnosticLevel.NOTE)
            return []
        varying = sorted(name for name in existing[0].truth
                         if len({s.truth[name] for s in existing}) > 1)
        # Past the bound there are more scenarios than were examined: a finding in all of
        # those examined must not read as if it held whatever the conditions are.
        total = len(existing) + 1 if enumeration.truncated else len(existing)
        out: list[tuple[dict[str, bool], Resource]] = []
        for number, scenario in enumerate(existing, start=1):
            self.ev.truth, self.ev.values = scenario.truth, scenario.values
            try:
                body, references = self._evaluate(decl)
            finally:
                self.ev.truth, self.ev.values = None, {}
            if body is None:
                continue
            rid = base if len(existing) == 1 else f"{base}@{number}"
            resource = self._resource(decl, rid, body, references)
            resource.scenario = tuple((name, scenario.truth[name]) for name in varying)
            resource.scenario_total = total if varying or enumeration.truncated else 1
            out.append((scenario.truth, resource))
        return out

    def _resource(self, decl: _Declaration, rid: str, body: Node,
                  references: list[Reference]) -> Resource:
        return Resource(
            id=rid,
            address=decl.logical_id,
            type=decl.type,
            format=Format.CLOUDFORMATION,
            span=decl.span,
            body=body,
            scope=self.ev.scope,
            references=references,  # logical ids until `_link`
            region=Node(self.ev.options.region or Unknown(
                "the stack's region is chosen when it is deployed (give --region)"), decl.span.head()),
        )

    def _link(self, copies: dict[str, list[tuple[dict[str, bool], Resource]]]) -> None:
        """Point each copy's references at the copies of their targets in the same scenario."""
        for entries in copies.values():
            for truth, resource in entries:
                linked: list[Reference] = []
                for ref in resource.references:
                    for other_truth, target in copies.get(ref.target, ()):
                        if all(other_truth[k] == truth[k] for k in other_truth.keys() & truth.keys()):
                            linked.append(Reference(target.id, ref.attribute, ref.span))
                resource.references = linked


def _check_given_values(ev: Evaluator, loaded: LoadedTemplate) -> None:
    """A value given on the command line that the template's AllowedValues refuse."""
    for param in ev.parameters.values():
        given = ev.options.parameter(param.name)
        if given is None or param.allowed is None:
            continue
        allowed = [text_of(v) for v in param.allowed]
        if given in allowed:
            continue
        span = param.decl_span or Span(ev.loc.file, 1)
        shown = ", ".join(a for a in allowed if a is not None)
        loaded.diagnostics.append(_diag(
            ev.loc.file, span.start_line, span.start_column, DiagnosticLevel.WARNING,
            "invalid-parameter",
            f"the value given for parameter {param.name} ({given}) is not one of its "
            f"AllowedValues ({shown}); CloudFormation would refuse it",
        ))


def _properties(ev: Evaluator, definition: dict[Any, Any], span: Span) -> Node | None:
    """The evaluated Properties: a dict node, an Unknown node, or None if invalid."""
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
    if is_intrinsic(raw) and isinstance(node.value, dict):
        return Node(node.value, props_span, node.provenance)
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
        if not isinstance(name, str):
            continue
        target = ev.substitute(str(name))
        if target in ev.resource_ids:
            where = ev.loc.span_of(name) or entry
            out.append(Reference(target, "DependsOn", where))
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


def _parse_errors(matches: list[Any], file: str, what: str = "the file", text: str = ""
                  ) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for match in matches:
        raw = str(getattr(match, "message", "") or match)
        line = _as_int(getattr(match, "linenumber", 0))
        column = _as_int(getattr(match, "columnnumber", 0))
        second = _SECOND_DOCUMENT.search(raw)
        duplicate = _DUPLICATE_KEY.search(raw)
        if "maximum recursion depth" in raw:  # the decoder's own RecursionError
            reason = "values are nested too deeply to analyse"
        elif second is not None:
            line, column = int(second.group(1)), int(second.group(2))
            reason = ("the file holds several YAML documents (separated by ---), and a "
                      "CloudFormation template is a single document")
        elif duplicate is not None:
            reason = (f"the key {duplicate.group(1)!r} appears more than once in the same "
                      "mapping (only one can be meant: keep one)")
        elif "cannot start any token" in raw and _tab_at(text, line, column):
            reason = "a tab character where YAML allows only spaces (indent with spaces)"
        else:
            reason = _clean(raw)
        diag = _diag(file, line, column, DiagnosticLevel.ERROR, "parse-error",
                     f"could not parse the template: {reason}; {what} was skipped")
        if diag not in out:
            out.append(diag)
        if len(out) >= _MAX_PARSE_DIAGNOSTICS:
            break
    if not out:
        out.append(_diag(file, 0, 0, DiagnosticLevel.ERROR, "parse-error",
                         f"could not parse the template; {what} was skipped"))
    return out


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the 1-based `line`, `column` of `text` holds a tab (YAML refuses tabs there)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    row = lines[line - 1]
    return 0 < column <= len(row) and row[column - 1] == "\t"


def _clean(message: str) -> str:
    message = _YAML_PLACE.sub("", message)
    message = message.replace("Template could not be parsed: ", "")
    return " ".join(message.split()) or "unknown parse error"


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
