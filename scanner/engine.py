"""The pipeline, end to end: discover, parse, load, graph, adapt, check."""

from __future__ import annotations

import gc
import os
import pickle
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.cloudformation.options import CfnOptions
from scanner.config import Config
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.discover import Kind, SourceFile, discover, scan_root
from scanner.findings import DomainScore, Finding, PassedCheck, Undetermined
from scanner.parsing import ParsedFile, cached, parse_file
from scanner.resources import Resource
from scanner.rules import Domain, Fail, Rule, Undecided
from scanner.scenarios import describe_scenarios
from scanner.source import Span
from scanner.suppressions import apply_suppressions
from scanner.views import ViewSet

if TYPE_CHECKING:
    from scanner.terraform.inputs import TerraformInputs

PARALLEL_THRESHOLD = 24  # below this many files, worker start-up costs more than it saves


@dataclass
class ScanResult:
    root: Path
    rules: tuple[Rule, ...]
    files: list[SourceFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    undetermined: list[Undetermined] = field(default_factory=list)
    passed: list[PassedCheck] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    scores: dict[Domain, DomainScore] = field(default_factory=dict)
    resource_count: int = 0

    @property
    def active(self) -> list[Finding]:
        """Findings not waived by a `remit:ignore` comment: these count."""
        return [f for f in self.findings if f.suppressed is None]

    @property
    def failed_files(self) -> list[str]:
        return sorted({d.file for d in self.diagnostics if d.level is DiagnosticLevel.ERROR})


def scan(paths: list[Path], rules: Iterable[Rule] | None = None, workers: int | None = None,
         cfn: CfnOptions | None = None, tf_inputs: TerraformInputs | None = None,
         config: Config | None = None) -> ScanResult:
    """Scan the paths. The cyclic garbage collector is paused meanwhile: a scan allocates
    millions of small, long-lived objects and almost no cycles, and repeated full
    collections over them cost more than half of a warm scan.

    `tf_inputs`: values for Terraform root module variables (--var-file, --var, --env-vars).
    `config`: rules disabled and rule options (`[tool.remit]`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(paths, rules, workers, cfn, tf_inputs, config or Config())
    finally:
        if enabled:
            gc.enable()


def _scan(paths: list[Path], rules: Iterable[Rule] | None, workers: int | None,
          cfn: CfnOptions | None = None, tf_inputs: TerraformInputs | None = None,
          config: Config | None = None) -> ScanResult:
    config = config or Config()
    if rules is None:
        from checks.registry import RULES

        rules = RULES
    # A rule whose required options are not set has nothing to judge: it does not run, and so
    # counts nowhere (scorecard, SARIF rules), like a disabled one.
    rules = [r for r in rules if r.id not in config.disabled and r.configured(config.settings.get(r.id))]
    root = scan_root(paths)
    result = ScanResult(root=root, rules=tuple(rules))
    files, result.diagnostics = discover(paths, root)
    if any(p.is_file() for p in paths):
        files = _with_module_context(files, root)
    focus = {f.rel for f in files if f.focus}
    parsed = _parse_all(files, workers, cfn)
    result.files = [p.source for p in parsed if p.ours and p.source.focus]
    resources: list[Resource] = []
    for p in parsed:
        result.diagnostics.extend(p.diagnostics if p.source.focus else _context_only(p.diagnostics))
        resources.extend(p.resources)
    from scanner.cloudformation.nested import expand_nested_stacks

    resources, nested_diags = expand_nested_stacks(resources, root, cfn)
    result.diagnostics.extend(nested_diags)
    tf_resources, tf_diags, more = _load_terraform(parsed, root, tf_inputs)
    resources.extend(tf_resources)
    result.diagnostics.extend(tf_diags)
    _add_module_files(result, more, focus, any(p.is_file() for p in paths))
    # CloudFormation resources come once per condition scenario: count each one once.
    result.resource_count = len({(r.scope, r.address) for r in resources})

    views, problems = _build_views(resources)
    result.diagnostics.extend(problems)
    _check(result, views, focus, config)
    apply_suppressions(result.findings, result.root)
    result.diagnostics = sorted(set(result.diagnostics))
    return result


def _with_module_context(files: list[SourceFile], root: Path) -> list[SourceFile]:
    """A named `.tf` or `.tfvars` file is read with the rest of its module, whose findings stay
    hidden unless the named file causes them."""
    from scanner.discover import classify, relative

    have = {f.rel for f in files}
    extra: list[SourceFile] = []
    for f in files:
        if f.kind not in (Kind.TERRAFORM, Kind.TFVARS):
            continue
        for sibling in sorted(f.path.parent.iterdir()):
            kind = classify(sibling)
            rel = relative(sibling, root)
            if kind in (Kind.TERRAFORM, Kind.TFVARS) and rel not in have and sibling.is_file():
                have.add(rel)
                extra.append(SourceFile(rel, sibling.resolve(), kind, focus=False))
    return sorted(files + extra)


def _context_only(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Problems of a file read only as context for a named file (an unstaged sibling in a
    pre-commit run) do not fail the scan: they are warnings that say what was left out."""
    return [replace(d, level=DiagnosticLevel.WARNING,
                    message=f"{d.message} (read only as context for the named files: findings that "
                            "depend on it may be missing)")
            if d.level is DiagnosticLevel.ERROR else d for d in diagnostics]


def _parse_all(files: list[SourceFile], workers: int | None, cfn: CfnOptions | None = None
               ) -> list[ParsedFile]:
    """Cached files come from the cache; the rest are parsed, in worker processes when many."""
    done: dict[str, ParsedFile] = {}
    todo: list[SourceFile] = []
    for f in files:
        hit = cached(f, cfn)
        if hit is None:
            todo.append(f)
        else:
            done[f.rel] = hit
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if count <= 1 or len(todo) < PARALLEL_THRESHOLD:
        parsed = [parse_file(f, cfn) for f in todo]
    else:
        chunk = max(1, len(todo) // (count * 4))
        with ProcessPoolExecutor(max_workers=count, initializer=gc.disable) as pool:
            pickled = list(pool.map(partial(_parse_pickled, cfn=cfn), todo, chunksize=chunk))
        parsed = [parse_file(f, cfn) if data is None else pickle.loads(data)
                  for f, data in zip(todo, pickled, strict=True)]
    done.update((p.source.rel, p) for p in parsed)
    return [done[f.rel] for f in files]


def _parse_pickled(source: SourceFile, cfn: CfnOptions | None) -> bytes | None:
    """In a worker: the parsed file, pickled here so that a result that does not pickle (a
    value nested deeper than pickle's recursion allows, an object that cannot be pickled)
    cannot break the pool; None then, and the parent parses that file itself, so the result
    does not depend on the number of workers."""
    parsed = parse_file(source, cfn)
    try:
        return pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
        return None


def _load_terraform(parsed: list[ParsedFile], root: Path, tf_inputs: TerraformInputs | None,
                    ) -> tuple[list[Resource], list[Diagnostic], list[ParsedFile]]:
    """Terraform root modules with the modules they call (scanner.terraform.modules), and
    plan JSON resources placed in their sources; also the files read beyond those
    discovered (called module directories, --var-file files)."""
    from scanner.resources import Format
    from scanner.terraform.modules import load_configurations

    terraform = [p for p in parsed if p.body is not None and p.source.kind in (Kind.TERRAFORM, Kind.TFVARS)]
    plans = [r for p in parsed for r in p.resources if r.format is Format.TERRAFORM]  # plan JSON
    return load_configurations(terraform, root, tf_inputs, plans)


def _add_module_files(result: ScanResult, more: list[ParsedFile], focus: set[str],
                      named_files: bool) -> None:
    """Files read for module calls are scanned files: their problems are reported, and their
    findings too unless the scan named single files (then they are context, like siblings)."""
    have = {f.rel for f in result.files}
    for p in more:
        result.diagnostics.extend(p.diagnostics)
        if p.source.rel in have:
            continue
        have.add(p.source.rel)
        result.files.append(p.source)
        if not named_files and p.source.kind is Kind.TERRAFORM:
            focus.add(p.source.rel)
    result.files.sort()


def _build_views(resources: list[Resource]) -> tuple[ViewSet, list[Diagnostic]]:
    """Views of every resource. A Terraform configuration with conditions that are not known
    statically is adapted once per scenario of them (scanner.terraform.scenarios)."""
    from scanner.adapters import build_views
    from scanner.graph import ResourceGraph
    from scanner.terraform.scenarios import split

    plain, variants = split(resources)
    views, problems = build_views(ResourceGraph(plain))
    for group in variants:
        more, also = build_views(ResourceGraph(group))
        views.extend(more)  # gathered into one set for the checks
        problems.extend(also)
    return views, problems


# An instance key in an address: `["eu"]`, `[0]`.
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')
MAX_LISTED_INSTANCES = 5


def _merge_instances(findings: list[Finding]) -> list[Finding]:
    """The same finding in several instances of one resource or module call (count, for_each)
    is one finding that lists the instances. Findings that differ in anything but the
    instance key stay apart."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        general = _INSTANCE_KEY.sub("", f.address)
        key = (f.rule.id, f.span, _INSTANCE_KEY.sub("", f.attribute), general,
               _INSTANCE_KEY.sub("", f.message.replace(f.address, general)), f.call_chain)
        groups.setdefault(key, []).append(f)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort(key=lambda f: _address_order(f.address))
        first = group[0]
        names = [f.address for f in group]
        listed = ", ".join(names[:MAX_LISTED_INSTANCES])
        if len(names) > MAX_LISTED_INSTANCES:
            listed += f" and {len(names) - MAX_LISTED_INSTANCES} more"
        lines: dict[tuple[str, int], Span] = {}  # each origin line once
        for f in group:
            for p in f.provenance:
                lines.setdefault((p.file, p.start_line), p)
        provenance = tuple(lines.values())
        out.append(replace(first, message=f"{first.message} (the same in {len(names)} instances: "
                                          f"{listed})", provenance=provenance))
    return out


def _address_order(address: str) -> tuple[tuple[int, int, str], ...]:
    """Addresses in a natural order: `x[2]` before `x[10]`."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", address))


def _check(result: ScanResult, views: ViewSet, focus: set[str], config: Config) -> None:
    # The same failure in several condition scenarios of a template is one finding.
    failing: dict[tuple[object, ...], list[tuple[Finding, tuple[tuple[str, bool], ...], int]]] = {}
    undetermined: set[Undetermined] = set()
    worst: dict[tuple[str, str, str], int] = {}  # (rule, scope, address) -> 0 pass, 1 unknown, 2 fail
    first_seen: dict[tuple[str, str, str], PassedCheck] = {}
    for rule in result.rules:
        for view in (v for kind in rule.view_types for v in views.of(kind)):
            res = view.resource
            # When files are named (pre-commit), what they cause counts too: a resource of a
            # module they call, or a value they supply (a named tfvars file).
            near = view.span.file in focus or any(c.file in focus for c in res.call_chain)
            try:
                outcomes = rule.outcomes(view, config.settings.get(rule.id))
            except Exception as err:  # reported; the scan goes on
                result.diagnostics.append(Diagnostic(
                    view.span.file, view.span.start_line, view.span.start_column,
                    DiagnosticLevel.ERROR, "internal-error",
                    f"rule {rule.id} failed on {view.address} ({type(err).__name__}: {err}); "
                    "please report it"))
                continue
            fails = [o for o in outcomes if isinstance(o, Fail)
                     and (near or any(p.file in focus for p in o.provenance))]
            if not near and not fails:
                continue
            undecided = [o for o in outcomes if isinstance(o, Undecided)] if near else []
            state = 2 if fails else 1 if undecided else 0
            key = (rule.id, res.scope, f"{view.address}#{view.key}")
            worst[key] = max(worst.get(key, 0), state)
            if key not in first_seen:
                first_seen[key] = PassedCheck(rule, view.span, view.address)
            model = getattr(res, "model", "")  # a resource of a modelled registry module
            for o in fails:
                message = f"{o.message} ({model})" if model else o.message
                f = Finding(rule, message, o.span, view.address, view.span.file, o.attribute,
                            o.provenance, res.call_chain, o.related, resource_line=view.span.start_line)
                failing.setdefault((rule.id, f.identity, o.span), []).append(
                    (f, res.scenario, res.scenario_total))
            for o in undecided:
                undetermined.add(Undetermined(rule, o.reason, o.at, view.address))
    findings = []
    for group in failing.values():
        first, _, total = group[0]
        scenarios = {sc for _, sc, _ in group}
        if scenarios == {()} or len(scenarios) >= total:
            findings.append(first)
        else:
            findings.append(replace(first, message=f"{first.message} ({describe_scenarios(scenarios)})"))
    result.findings = sorted(_merge_instances(findings), key=Finding.sort_key)
    result.undetermined = sorted(undetermined, key=Undetermined.sort_key)
    scores: dict[Domain, DomainScore] = {d: DomainScore(set()) for d in Domain}
    by_id = {r.id: r for r in result.rules}
    for (rule_id, scope, address), state in worst.items():
        score = scores[by_id[rule_id].domain]
        score.resources.add(f"{scope}::{address.split('#', 1)[0]}")
        if state == 2:
            score.failed += 1
        elif state == 1:
            score.undecided += 1
        else:
            score.passed += 1
    result.scores = scores
    result.passed = sorted((first_seen[k] for k, state in worst.items() if state == 0), key=PassedCheck.sort_key)
