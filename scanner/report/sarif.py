"""SARIF 2.1.0, built with sarif-om's classes and serialized by a small walker.

sarif-om's own serializer drops fields equal to their defaults (`level`
included), is slow, and names `Suppression.status` wrongly; walking the attrs
fields ourselves avoids all three (see LIBRARIES.md).
"""

from __future__ import annotations

import json
from typing import Any

from scanner import __version__
from scanner.diagnostics import DiagnosticLevel
from scanner.engine import ScanResult
from scanner.explain import rule_markdown, rule_text
from scanner.findings import Finding
from scanner.rules import Rule, Severity
from scanner.source import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/remit-scanner/remit"
ROOT = "%SRCROOT%"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note"}


def render(result: ScanResult) -> str:
    return json.dumps(to_plain(build(result)), indent=2, ensure_ascii=False) + "\n"


def build(result: ScanResult) -> Any:
    import sarif_om as so

    index = {rule.id: i for i, rule in enumerate(result.rules)}
    run = so.Run(
        tool=so.Tool(driver=so.ToolComponent(
            name="remit",
            full_name=f"remit {__version__}",
            version=__version__,
            semantic_version=__version__,
            information_uri=INFORMATION_URI,
            rules=[_descriptor(rule) for rule in result.rules],
        )),
        original_uri_base_ids={ROOT: so.ArtifactLocation(uri=result.root.as_uri().rstrip("/") + "/")},
        column_kind="unicodeCodePoints",
        results=[_result(f, index[f.rule.id]) for f in result.findings],
        invocations=[_invocation(result)],
    )
    run.properties = {"scorecard": {
        d.label: {"resources": len(s.resources), "passed": s.passed, "failed": s.failed,
                  "unknown": s.undecided}
        for d, s in result.scores.items()
    }}
    return so.SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[run])


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _descriptor(rule: Rule) -> Any:
    import sarif_om as so

    return so.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=so.MultiformatMessageString(text=_sentence(rule.title)),
        full_description=so.MultiformatMessageString(text=_sentence(rule.rationale)),
        help=so.MultiformatMessageString(text=rule_text(rule), markdown=rule_markdown(rule)),
        help_uri=rule.help_uri,
        default_configuration=so.ReportingConfiguration(level=LEVELS[rule.severity]),
        properties={
            "security-severity": f"{rule.security_severity:.1f}",
            "precision": rule.precision,
            "problem.severity": "error" if rule.severity >= Severity.HIGH else "warning",
            "tags": list(dict.fromkeys(["security", rule.domain.label, *rule.tags])),
        },
    )


def _location(span: Span, message: str | None = None, ident: int | None = None) -> Any:
    import sarif_om as so

    region = so.Region(start_line=span.start_line, start_column=span.start_column,
                       end_line=span.end_line, end_column=max(span.end_column, span.start_column))
    return so.Location(
        id=ident,
        physical_location=so.PhysicalLocation(
            artifact_location=so.ArtifactLocation(uri=span.file, uri_base_id=ROOT),
            region=region,
        ),
        message=so.Message(text=message) if message else None,
    )


MAX_RELATED = 100


def _result(f: Finding, rule_index: int) -> Any:
    import sarif_om as so

    related = []
    for p in f.provenance:
        related.append((p, "The value comes from here."))
    for call in f.call_chain:
        related.append((call, "Instantiated by this module call."))
    related.extend(f.related)
    # GitHub code scanning keeps at most 100 locations of a result and warns past that.
    locations = [_location(span, msg, i + 1) for i, (span, msg) in enumerate(related[:MAX_RELATED])]
    return so.Result(
        rule_id=f.rule.id,
        rule_index=rule_index,
        level=LEVELS[f.rule.severity],
        kind="fail",
        message=so.Message(text=_sentence(f.message)),
        locations=[_location(f.span)],
        related_locations=locations or None,
        partial_fingerprints={
            "primaryLocationLineHash": f"{f.fingerprint[:32]}:1",
            "remitFindingIdentity/v1": f.fingerprint,
        },
        properties={"resource": f.address, "domain": f.rule.domain.label},
        suppressions=[so.Suppression(kind="inSource", justification=f.suppressed)]
        if f.suppressed is not None else None,
    )


def _invocation(result: ScanResult) -> Any:
    import sarif_om as so

    notes = []
    for d in result.diagnostics:
        location = None
        if d.file:
            region = so.Region(start_line=d.line, start_column=max(d.column, 1)) if d.line > 0 else None
            location = so.Location(physical_location=so.PhysicalLocation(
                artifact_location=so.ArtifactLocation(uri=d.file, uri_base_id=ROOT), region=region))
        notes.append(so.Notification(
            level=d.level.value,
            message=so.Message(text=_sentence(d.message)),
            locations=[location] if location else None,
            descriptor=so.ReportingDescriptorReference(id=d.code),
        ))
    return so.Invocation(
        execution_successful=not any(d.level is DiagnosticLevel.ERROR for d in result.diagnostics),
        tool_execution_notifications=notes or None,
    )


def to_plain(obj: Any) -> Any:
    """sarif-om objects to JSON-ready values: SARIF names, None and unset defaults left out."""
    import attr

    if attr.has(type(obj)):
        out: dict[str, Any] = {}
        for fld in attr.fields(type(obj)):
            value = getattr(obj, fld.name)
            if value is None:
                continue
            default = fld.default
            if fld.name != "level" and default is not attr.NOTHING and value == default:
                continue
            name = fld.metadata.get("schema_property_name", fld.name)
            if name == "state" and type(obj).__name__ == "Suppression":  # sarif-om misnames status
                name = "status"
            out[name] = to_plain(value)
        return out
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    return obj
