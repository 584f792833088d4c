"""The pipeline, end to end: discover, parse, load, graph, adapt, check."""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.discover import Kind, SourceFile, discover, scan_root
from scanner.findings import DomainScore, Finding, Undetermined
from scanner.parsing import ParsedFile, cached, parse_file
from scanner.resources import Resource
from scanner.rules import Domain, Fail, Rule, Undecided
from scanner.scenarios import describe_scenarios
from scanner.suppressions import apply_suppressions
from scanner.values import Node
from scanner.views import ViewSet

PARALLEL_THRESHOLD = 24  # below this many files, worker start-up costs more than it saves


@dataclass
class ScanResult:
    root: Path
    rules: tuple[Rule, ...]
    files: list[SourceFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    undetermined: list[Undetermined] = field(default_factory=list)
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


def scan(paths: list[Path], rules: Iterable[Rule] | None = None, workers: int | None = None) -> ScanResult:
    """Scan the paths. The cyclic garbage collector is paused meanwhile: a scan allocates
    millions of small, long-lived objects and almost no cycles, and repeated full
    collections over them cost more than half of a warm scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(paths, rules, workers)
    finally:
        if enabled:
            gc.enable()


def _scan(paths: list[Path], rules: Iterable[Rule] | None, workers: int | None) -> ScanResult:
    if rules is None:
        from checks.registry import RULES

        rules = RULES
    root = scan_root(paths)
    result = ScanResult(root=root, rules=tuple(rules))
    files, result.diagnostics = discover(paths, root)
    if any(p.is_file() for p in paths):
        files = _with_module_context(files, root)
    focus = {f.rel for f in files if f.focus}
    parsed = _parse_all(files, workers)
    result.files = [p.source for p in parsed if p.ours and p.source.focus]
    resources: list[Resource] = []
    for p in parsed:
        result.diagnostics.extend(p.diagnostics)
        resources.extend(p.resources)
    tf_resources, tf_diags = _load_terraform([p for p in parsed if p.body is not None], root)
    resources.extend(tf_resources)
    result.diagnostics.extend(tf_diags)
    result.resource_count = len(resources)

    from scanner.adapters import build_views
    from scanner.graph import ResourceGraph

    views, problems = build_views(ResourceGraph(resources))
    result.diagnostics.extend(problems)
    _check(result, views, focus)
    apply_suppressions(result.findings, result.root)
    result.diagnostics = sorted(set(result.diagnostics))
    return result


def _with_module_context(files: list[SourceFile], root: Path) -> list[SourceFile]:
    """A named `.tf` file is read with the rest of its module, whose findings stay hidden."""
    from scanner.discover import classify, relative

    have = {f.rel for f in files}
    extra: list[SourceFile] = []
    for f in files:
        if f.kind is not Kind.TERRAFORM:
            continue
        for sibling in sorted(f.path.parent.iterdir()):
            kind = classify(sibling)
            rel = relative(sibling, root)
            if kind in (Kind.TERRAFORM, Kind.TFVARS) and rel not in have and sibling.is_file():
                have.add(rel)
                extra.append(SourceFile(rel, sibling.resolve(), kind, focus=False))
    return sorted(files + extra)


def _parse_all(files: list[SourceFile], workers: int | None) -> list[ParsedFile]:
    """Cached files come from the cache; the rest are parsed, in worker processes when many."""
    done: dict[str, ParsedFile] = {}
    todo: list[SourceFile] = []
    for f in files:
        hit = cached(f)
        if hit is None:
            todo.append(f)
        else:
            done[f.rel] = hit
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if count <= 1 or len(todo) < PARALLEL_THRESHOLD:
        parsed = [parse_file(f) for f in todo]
    else:
        chunk = max(1, len(todo) // (count * 4))
        with ProcessPoolExecutor(max_workers=count, initializer=gc.disable) as pool:
            parsed = list(pool.map(parse_file, todo, chunksize=chunk))
    done.update((p.source.rel, p) for p in parsed)
    return [done[f.rel] for f in files]


def _load_terraform(parsed: list[ParsedFile], root: Path) -> tuple[list[Resource], list[Diagnostic]]:
    from scanner.terraform.evaluate import Context, Evaluator
    from scanner.terraform.loader import ModuleSource, load_module

    modules: dict[str, ModuleSource] = {}
    tfvars: dict[str, list[ParsedFile]] = defaultdict(list)
    diags: list[Diagnostic] = []
    for p in parsed:
        folder = str(PurePosixPath(p.source.rel).parent)
        if p.source.kind is Kind.TFVARS:
            tfvars[folder].append(p)
        else:
            modules.setdefault(folder, ModuleSource(folder)).files.append((p.source.rel, p.body))
    resources: list[Resource] = []
    for folder in sorted(modules):
        given: dict[str, Node] = {}
        for p in sorted(tfvars.get(folder, []), key=_tfvars_order):
            if not _auto_loaded(p.source.rel):
                continue
            for name, attr in p.body.attributes.items():
                given[name] = Evaluator(Context()).safe(attr.expr)
        found, problems = load_module(modules[folder], given, _file_reader(root, folder))
        resources.extend(found)
        diags.extend(problems)
    for folder, files in tfvars.items():
        for p in files:
            if not _auto_loaded(p.source.rel):
                diags.append(Diagnostic(p.source.rel, 0, 0, DiagnosticLevel.NOTE, "not-loaded",
                                        "variable file is not loaded automatically by Terraform; "
                                        "its values were not used"))
            elif folder not in modules:
                diags.append(Diagnostic(p.source.rel, 0, 0, DiagnosticLevel.NOTE, "not-loaded",
                                        "variable file without Terraform files beside it"))
    return resources, diags


def _auto_loaded(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json"))


def _tfvars_order(p: ParsedFile) -> tuple[int, str]:
    """Terraform's order: terraform.tfvars, then its JSON, then *.auto.tfvars in name order."""
    name = PurePosixPath(p.source.rel).name
    rank = {"terraform.tfvars": 0, "terraform.tfvars.json": 1}.get(name, 2)
    return rank, name


def _file_reader(root: Path, folder: str):
    base = (root / folder).resolve()
    top = root.resolve()

    def read(path: str) -> str | None:
        target = (base / path).resolve()
        if top not in target.parents or not target.is_file() or target.stat().st_size > 1_000_000:
            return None
        try:
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read


def _check(result: ScanResult, views: ViewSet, focus: set[str]) -> None:
    # The same failure in several condition scenarios of a template is one finding.
    failing: dict[tuple[object, ...], list[tuple[Finding, tuple[tuple[str, bool], ...], int]]] = {}
    undetermined: set[Undetermined] = set()
    worst: dict[tuple[str, str, str], int] = {}  # (rule, scope, address) -> 0 pass, 1 unknown, 2 fail
    for rule in result.rules:
        for view in views.of(rule.view):
            if view.span.file not in focus:
                continue
            res = view.resource
            try:
                outcomes = rule.outcomes(view)
            except Exception as err:  # reported; the scan goes on
                result.diagnostics.append(Diagnostic(
                    view.span.file, view.span.start_line, view.span.start_column,
                    DiagnosticLevel.ERROR, "internal-error",
                    f"rule {rule.id} failed on {view.address} ({type(err).__name__}: {err}); "
                    "please report it"))
                continue
            fails = [o for o in outcomes if isinstance(o, Fail)]
            undecided = [o for o in outcomes if isinstance(o, Undecided)]
            state = 2 if fails else 1 if undecided else 0
            key = (rule.id, res.scope, f"{view.address}#{view.key}")
            worst[key] = max(worst.get(key, 0), state)
            for o in fails:
                f = Finding(rule, o.message, o.span, view.address, view.span.file, o.attribute,
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
    result.findings = sorted(findings, key=Finding.sort_key)
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
