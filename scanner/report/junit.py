"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines, CircleCI).

One test suite per rule, one test case per resource the rule judged: a finding is a
<failure>, a waived finding or an undecided check is <skipped> with the reason, a resource
that passed is an empty test case. Files that could not be scanned are <error> cases of a
last suite, so a report never looks green when part of the input was not read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass

from scanner import __version__
from scanner.engine import ScanResult
from scanner.rules import Rule
from scanner.source import Span

# XML 1.0 cannot carry most control characters, even escaped; file names and values can.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class _Case:
    order: tuple[object, ...]
    address: str
    span: Span
    outcome: str  # "passed", "failure" or "skipped"
    message: str = ""
    text: str = ""


def _case(suite: ET.Element, name: str, span: Span) -> ET.Element:
    return ET.SubElement(suite, "testcase", {
        "name": _xml(name), "classname": _xml(span.file), "file": _xml(span.file),
        "line": str(max(span.start_line, 1))})


def _where(span: Span) -> str:
    return f"{span.file}:{span.start_line}:{span.start_column}"


def render(result: ScanResult) -> str:
    cases: dict[str, list[_Case]] = defaultdict(list)
    for f in result.findings:
        text = f"{_where(f.span)}: {f.message}\n\nRemediation: {f.rule.remediation}"
        for p in f.provenance:
            text += f"\nValue from: {_where(p)}"
        for c in f.call_chain:
            text += f"\nModule call: {_where(c)}"
        if f.suppressed is None:
            cases[f.rule.id].append(_Case(f.sort_key(), f.address, f.span, "failure", f.message, text))
        else:
            cases[f.rule.id].append(_Case(f.sort_key(), f.address, f.span, "skipped", f"waived: {f.suppressed}"))
    for u in result.undetermined:
        cases[u.rule.id].append(_Case(u.sort_key(), u.address, u.span, "skipped", f"not decided: {u.reason}"))
    seen: set[tuple[str, str, str]] = set()
    for p in result.passed:
        if (p.rule.id, p.span.file, p.address) not in seen:
            seen.add((p.rule.id, p.span.file, p.address))
            cases[p.rule.id].append(_Case(p.sort_key(), p.address, p.span, "passed"))

    root = ET.Element("testsuites", {"name": f"remit {__version__}"})
    totals = defaultdict(int)
    rules: dict[str, Rule] = {r.id: r for r in result.rules}
    for rule_id in sorted(cases):
        rule = rules[rule_id]
        suite = ET.SubElement(root, "testsuite", {"name": f"{rule.id} {rule.title}"})
        counts = defaultdict(int)
        for c in sorted(cases[rule_id], key=lambda c: c.order):
            case = _case(suite, c.address, c.span)
            counts["tests"] += 1
            if c.outcome == "failure":
                counts["failures"] += 1
                element = ET.SubElement(case, "failure", {"message": _xml(c.message), "type": rule.severity.label})
                element.text = _xml(c.text)
            elif c.outcome == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", {"message": _xml(c.message)})
        _count(suite, counts, totals)
    if result.failed_files:
        suite = ET.SubElement(root, "testsuite", {"name": "files remit could not scan"})
        counts = defaultdict(int)
        for d in sorted((d for d in result.diagnostics if d.file in set(result.failed_files)),
                        key=lambda d: (d.file, d.line, d.column, d.code)):
            case = _case(suite, d.file, Span(d.file, d.line, d.column, d.line, d.column))
            element = ET.SubElement(case, "error", {"message": _xml(d.message), "type": d.code})
            element.text = _xml(str(d))
            counts["tests"] += 1
            counts["errors"] += 1
        _count(suite, counts, totals)
    _count(root, totals, defaultdict(int))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _count(element: ET.Element, counts: dict[str, int], totals: dict[str, int]) -> None:
    for name in ("tests", "failures", "errors", "skipped"):
        element.set(name, str(counts[name]))
        totals[name] += counts[name]
