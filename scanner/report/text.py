"""Coloured text for a person at a terminal: findings grouped by file, then the scorecard."""

from __future__ import annotations

from collections import defaultdict

from scanner.diagnostics import DiagnosticLevel
from scanner.engine import ScanResult
from scanner.rules import Severity

COLOURS = {
    Severity.CRITICAL: "\033[1;35m",
    Severity.HIGH: "\033[1;31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
}
LEVEL_COLOURS = {DiagnosticLevel.ERROR: "\033[31m", DiagnosticLevel.WARNING: "\033[33m",
                 DiagnosticLevel.NOTE: "\033[2m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def render(result: ScanResult, colour: bool, verbose: bool = False) -> str:
    def c(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    out: list[str] = []
    by_file = defaultdict(list)
    for f in result.active:
        by_file[f.span.file].append(f)
    for file in sorted(by_file):
        out.append(c(BOLD, file))
        for f in by_file[file]:
            sev = f.rule.severity
            out.append(f"  {f.span.start_line:>4}:{f.span.start_column:<3} "
                       f"{c(COLOURS[sev], f'{sev.label:<8}')} {c(BOLD, f.rule.id)} {f.message}")
            for p in f.provenance[:3]:
                out.append(c(DIM, f"             value from {p.file}:{p.start_line}"))
            for call in f.call_chain:
                what = "module call" if call.file.endswith((".tf", ".tf.json")) else "nested stack"
                out.append(c(DIM, f"             via {what} at {call.file}:{call.start_line}"))
        out.append("")
    if verbose and result.undetermined:
        out.append(c(BOLD, "Could not decide (inputs not known statically):"))
        for u in result.undetermined:
            out.append(f"  {u.span.file}:{u.span.start_line} {u.rule.id} {u.address}: {u.reason}")
        out.append("")
    shown = [d for d in result.diagnostics if verbose or d.level is not DiagnosticLevel.NOTE]
    if shown:
        out.append(c(BOLD, "Problems with the input:"))
        for d in shown:
            out.append(f"  {d.where}: {c(LEVEL_COLOURS[d.level], d.level.value)}: {d.message}")
        hidden = len(result.diagnostics) - len(shown)
        if hidden:
            out.append(c(DIM, f"  ({hidden} notes not shown; use --verbose)"))
        out.append("")
    out.append(_scorecard(result, c))
    return "\n".join(out) + "\n"


def _scorecard(result: ScanResult, c) -> str:
    lines = [c(BOLD, "Your side of the shared-responsibility model:")]
    lines.append(f"  {'duty':<22}{'resources':>10}{'passed':>8}{'failed':>8}{'unknown':>9}")
    for domain, score in result.scores.items():
        if not score.resources:
            continue
        failed = c(COLOURS[Severity.HIGH], f"{score.failed:>8}") if score.failed else f"{score.failed:>8}"
        lines.append(f"  {domain.label:<22}{len(score.resources):>10}{score.passed:>8}{failed}"
                     f"{score.undecided:>9}")
    counts = defaultdict(int)
    for f in result.active:
        counts[f.rule.severity] += 1
    summary = ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)) or "none"
    errors = len(result.failed_files)
    lines.append("")
    waived = len(result.findings) - len(result.active)
    lines.append(f"{_count(len(result.files), 'file')}, {_count(result.resource_count, 'resource')} "
                 f"scanned; {_count(len(result.active), 'finding')} ({summary})"
                 + (f", {waived} waived in source" if waived else "")
                 + (f"; {_count(errors, 'file')} could not be scanned" if errors else ""))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
