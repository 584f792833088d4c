"""In-source waivers: `# remit:ignore NET001 -- reason` in a Terraform or YAML comment.

A waiver applies to the named rules (or every rule, with `remit:ignore` alone)
for findings on its own line, on the line below it, or anywhere in a resource
when it stands on the resource's first line or just above it. Waived findings
stay in the SARIF log as suppressed results and in JSON, and no longer fail
the scan.
"""

from __future__ import annotations

import re
from pathlib import Path

from scanner.findings import Finding

WAIVER = re.compile(r"(?:#|//)\s*remit:ignore(?P<rules>(?:[\s,]+[A-Z]{3}\d{3})*)(?:\s*--\s*(?P<reason>.*))?")


def _waivers(path: Path) -> dict[int, tuple[frozenset[str], str]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found: dict[int, tuple[frozenset[str], str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "remit:ignore" not in line:
            continue
        m = WAIVER.search(line)
        if m:
            rules = frozenset(r for r in re.split(r"[\s,]+", m.group("rules")) if r)
            found[number] = (rules, (m.group("reason") or "").strip() or "waived in source")
    return found


def apply_suppressions(findings: list[Finding], root: Path) -> None:
    cache: dict[str, dict[int, tuple[frozenset[str], str]]] = {}

    def waivers(file: str) -> dict[int, tuple[frozenset[str], str]]:
        if file not in cache:
            cache[file] = _waivers(root / file)
        return cache[file]

    for f in findings:
        places = [(f.span.file, f.span.start_line), (f.span.file, f.span.start_line - 1)]
        if f.resource_line:
            places += [(f.resource_file, f.resource_line), (f.resource_file, f.resource_line - 1)]
        for file, line in places:
            waiver = waivers(file).get(line)
            if waiver is not None and (not waiver[0] or f.rule.id in waiver[0]):
                f.suppressed = waiver[1]
                break
