"""Markdown for a GitHub job summary: the scorecard, then findings by severity."""

from __future__ import annotations

from scanner.engine import ScanResult
from scanner.rules import Severity

ICONS = {Severity.CRITICAL: "🟣", Severity.HIGH: "🔴", Severity.MEDIUM: "🟠", Severity.LOW: "🔵"}
MAX_ROWS = 200


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(result: ScanResult) -> str:
    out = ["## remit: the customer's side of the shared-responsibility model", ""]
    out.append("| duty | resources | passed | failed | unknown |")
    out.append("|---|---:|---:|---:|---:|")
    for domain, score in result.scores.items():
        if score.resources:
            out.append(f"| {domain.label} | {len(score.resources)} | {score.passed} | "
                       f"{score.failed} | {score.undecided} |")
    out.append("")
    out.append(f"**{len(result.active)} findings** in {len(result.files)} files "
               f"({result.resource_count} resources).")
    if result.failed_files:
        out.append("")
        out.append(f"⚠️ {len(result.failed_files)} files could not be scanned: "
                   + ", ".join(f"`{f}`" for f in result.failed_files[:20]))
    if result.active:
        out += ["", "| severity | rule | location | finding |", "|---|---|---|---|"]
        ordered = sorted(result.active, key=lambda f: (-f.rule.severity, f.sort_key()))
        for f in ordered[:MAX_ROWS]:
            sev = f.rule.severity
            out.append(f"| {ICONS[sev]} {sev.label} | {f.rule.id} | `{f.span.file}:{f.span.start_line}` "
                       f"| {_cell(f.message)} |")
        if len(ordered) > MAX_ROWS:
            out.append(f"\n… and {len(ordered) - MAX_ROWS} more; see the code scanning alerts.")
    return "\n".join(out) + "\n"
