"""One rule's documentation, from its metadata: `remit explain`, SARIF help and docs pages."""

from __future__ import annotations

import textwrap

from scanner.rules import Rule


def _refs(rule: Rule) -> list[str]:
    return [r for r in rule.references]


def rule_text(rule: Rule) -> str:
    wrap = lambda t: textwrap.fill(t, width=88)  # noqa: E731
    parts = [
        f"{rule.id} {rule.name}: {rule.title}",
        f"Severity: {rule.severity.label} ({rule.severity_reason})",
        f"Duty: {rule.domain.label} ({rule.domain.prefix}). Formats: {', '.join(rule.formats)}.",
        f"Resources: {', '.join(rule.resource_types)}",
        "",
        "Why it matters",
        wrap(rule.rationale),
        "",
        "How to fix",
        wrap(rule.remediation),
        "",
        "Terraform:",
        textwrap.indent(rule.terraform_fix, "    "),
        "",
        "CloudFormation:",
        textwrap.indent(rule.cloudformation_fix, "    "),
        "",
        "References",
        *[f"  - {r}" for r in _refs(rule)],
    ]
    return "\n".join(parts) + "\n"


def rule_markdown(rule: Rule) -> str:
    refs = [f"- <{r}>" if r.startswith("http") else f"- {r}" for r in _refs(rule)]
    parts = [
        f"# {rule.id}: {rule.title}",
        "",
        f"**Severity:** {rule.severity.label} ({rule.severity_reason})  ",
        f"**Duty:** {rule.domain.label} (`{rule.domain.prefix}`)  ",
        f"**Formats:** {', '.join(rule.formats)}  ",
        f"**Resources:** {', '.join(f'`{t}`' for t in rule.resource_types)}",
        "",
        "## Why it matters",
        "",
        rule.rationale,
        "",
        "## How to fix",
        "",
        rule.remediation,
        "",
        "### Terraform",
        "",
        "```hcl",
        rule.terraform_fix,
        "```",
        "",
        "### CloudFormation",
        "",
        "```yaml",
        rule.cloudformation_fix,
        "```",
        "",
        "## References",
        "",
        *refs,
    ]
    return "\n".join(parts) + "\n"
