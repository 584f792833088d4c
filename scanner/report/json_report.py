"""JSON for machines: everything the text shows, plus undecided results and diagnostics."""

from __future__ import annotations

import json
from typing import Any

from scanner import __version__
from scanner.engine import ScanResult
from scanner.source import Span


def _span(s: Span) -> dict[str, Any]:
    return {"file": s.file, "start_line": s.start_line, "start_column": s.start_column,
            "end_line": s.end_line, "end_column": s.end_column}


def render(result: ScanResult) -> str:
    doc = {
        "tool": {"name": "remit", "version": __version__},
        "summary": {
            "files": len(result.files),
            "resources": result.resource_count,
            "findings": len(result.active),
            "waived": len(result.findings) - len(result.active),
            "files_not_scanned": result.failed_files,
        },
        "scorecard": {
            domain.label: {
                "prefix": domain.prefix,
                "resources": len(score.resources),
                "passed": score.passed,
                "failed": score.failed,
                "unknown": score.undecided,
            }
            for domain, score in result.scores.items()
        },
        "findings": [
            {
                "rule": f.rule.id,
                "title": f.rule.title,
                "severity": f.rule.severity.label,
                "domain": f.rule.domain.label,
                "message": f.message,
                "resource": f.address,
                "attribute": f.attribute,
                "location": _span(f.span),
                "value_from": [_span(p) for p in f.provenance],
                "module_calls": [_span(p) for p in f.call_chain],
                "fingerprint": f.fingerprint,
                "waived": f.suppressed,
            }
            for f in result.findings
        ],
        "undecided": [
            {"rule": u.rule.id, "resource": u.address, "reason": u.reason, "location": _span(u.span)}
            for u in result.undetermined
        ],
        "diagnostics": [
            {"file": d.file, "line": d.line, "column": d.column, "level": d.level.value,
             "code": d.code, "message": d.message}
            for d in result.diagnostics
        ],
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"
