"""Nested stacks: an `AWS::CloudFormation::Stack` whose template is a local file.

`TemplateURL` may name a file beside the parent template (the form that
`aws cloudformation package` uploads). When that file is inside the scanned
folder, it is loaded once for each Stack resource that uses it, with the
`Parameters` that resource passes (a value not known statically stays Unknown,
with the reason; a value passed keeps the span where the parent wrote it). The
command line's `--cfn-param` values apply to root templates only: a nested
stack gets its parameters from its parent.

Resources of a nested stack carry the parent's Stack resource in `call_chain`
(outermost first), so a finding inside says where the stack was used from. A
template used as a nested stack is not also scanned on its own (its values come
from its parent). Remote templates (`https://`, `s3://`) are not fetched: a
note says so. Loops (a stack that includes itself) and nesting deeper than
`MAX_DEPTH` are reported and not followed.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

from scanner.cloudformation.evaluate import text_of
from scanner.cloudformation.loader import read_template
from scanner.cloudformation.options import CfnOptions, Given
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Resource
from scanner.values import Node, Unknown

STACK = "AWS::CloudFormation::Stack"
MAX_DEPTH = 8
MAX_BYTES = 10 * 1024 * 1024
_REMOTE = ("https://", "http://", "s3://", "arn:")  # arn: a SAM application of the Serverless Application Repository


def expand_nested_stacks(resources: list[Resource], root: Path, options: CfnOptions | None = None
                         ) -> tuple[list[Resource], list[Diagnostic]]:
    """The resources with nested stacks' templates loaded under their parents."""
    stacks = [r for r in resources if r.format is Format.CLOUDFORMATION and r.type == STACK]
    if not stacks:
        return resources, []
    expander = _Expander(root, options or CfnOptions())
    targets = {id(s): expander.target(s) for s in stacks}
    children = {t for t in targets.values() if t is not None}
    roots = [s for s in stacks if s.span.file not in children]
    added: list[Resource] = []
    for stack in roots:
        added.extend(expander.expand(stack, (stack.span.file,)))
    used = expander.loaded_files
    kept = [r for r in resources if not (r.span.file in used and not r.call_chain)]
    return kept + added, sorted(set(expander.diagnostics))


class _Expander:
    def __init__(self, root: Path, options: CfnOptions) -> None:
        self.root = root.resolve()
        self.options = options
        self.diagnostics: list[Diagnostic] = []
        self.loaded_files: set[str] = set()

    def note(self, stack: Resource, code: str, message: str,
             level: DiagnosticLevel = DiagnosticLevel.NOTE) -> None:
        span = stack.span
        self.diagnostics.append(Diagnostic(span.file, span.start_line, span.start_column, level,
                                           code, message))

    def target(self, stack: Resource) -> str | None:
        """The scan-relative path of the stack's local template, or None."""
        node = stack.body.get("TemplateURL")
        if node is None or not isinstance(node.value, str) or node.value.startswith(_REMOTE):
            return None
        url = node.value.removeprefix("file://")
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(stack.span.file), url))
        return None if rel.startswith("../") or rel == ".." or rel.startswith("/") else rel

    def _read(self, rel: str) -> str | None:
        path = (self.root / rel).resolve()
        if self.root not in path.parents or not path.is_file():
            return None
        try:
            if path.stat().st_size > MAX_BYTES:
                return None
            return path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def expand(self, stack: Resource, files: tuple[str, ...]) -> list[Resource]:
        node = stack.body.get("TemplateURL")
        if node is None or node.value is None:
            self.note(stack, "not-resolved", f"nested stack {stack.address} has no TemplateURL; "
                      "its template was not scanned")
            return []
        if isinstance(node.value, Unknown):
            self.note(stack, "not-resolved", f"the template of nested stack {stack.address} is not "
                      f"known ({node.value.reason}); it was not scanned")
            return []
        if not isinstance(node.value, str):
            return []
        if node.value.startswith(_REMOTE):
            self.note(stack, "not-resolved", f"the template of nested stack {stack.address} is "
                      f"remote ({node.value}); remit does not fetch it")
            return []
        rel = self.target(stack)
        text = self._read(rel) if rel is not None else None
        if rel is None or text is None:
            self.note(stack, "not-resolved", f"the template of nested stack {stack.address} "
                      f"({node.value}) is not a readable file inside the scanned folder; "
                      "it was not scanned", DiagnosticLevel.WARNING)
            return []
        if rel in files:
            self.note(stack, "not-resolved", f"nested stack {stack.address} includes {rel}, which "
                      "already includes it; the loop was not followed", DiagnosticLevel.WARNING)
            return []
        if len(files) > MAX_DEPTH:
            self.note(stack, "not-resolved", f"nested stacks deeper than {MAX_DEPTH} levels were "
                      "not followed", DiagnosticLevel.WARNING)
            return []
        self.loaded_files.add(rel)
        options = CfnOptions(region=self.options.region, stack_inputs=self._inputs(stack))
        loaded = read_template(text, rel, options, scope=f"{stack.id}>{rel}",
                               call_chain=(*stack.call_chain, stack.span))
        self.diagnostics.extend(loaded.diagnostics)
        out: list[Resource] = []
        for res in loaded.resources:
            if stack.scenario:
                res = replace(res, scenario=stack.scenario + res.scenario,
                              scenario_total=stack.scenario_total * res.scenario_total)
            out.append(res)
        for res in list(out):
            if res.type == STACK:
                out.extend(self.expand(res, (*files, rel)))
        return out

    def _inputs(self, stack: Resource) -> tuple[tuple[str, Given], ...]:
        node = stack.body.get("Parameters")
        if node is None or not isinstance(node.value, dict):
            return ()
        inputs: list[tuple[str, Given]] = []
        for name, value in node.items():
            inputs.append((name, _given(stack, name, value)))
        return tuple(inputs)


def _given(stack: Resource, name: str, node: Node) -> Given:
    value = node.value
    origins = (node.span, *node.provenance)
    if isinstance(value, list) and not node.contains_unknown():
        texts = [text_of(item.value) for item in value]
        if all(t is not None for t in texts):
            return Given(",".join(t for t in texts if t is not None), origins=origins)
    text = text_of(value)
    if text is not None:
        return Given(text, origins=origins)
    reason = value.reason if isinstance(value, Unknown) else "not a single value"
    return Given(None, f"parameter {name} is passed by stack {stack.address}: {reason}", origins)
