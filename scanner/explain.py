"""One rule's documentation, from its metadata: `remit explain`, SARIF help and docs pages."""

from __future__ import annotations

import textwrap

from scanner.rules import Rule, RuleOption


def _refs(rule: Rule) -> list[str]:
    return [r for r in rule.references]


def _options_text(rule: Rule) -> list[str]:
    if not rule.options:
        return []
    lines = ["", f"Options ([tool.remit.rules.{rule.id}] in pyproject.toml, or [rules.{rule.id}] in .remit.toml)"]
    lines += [f"  {o.name} = {_toml_value(o.default)}: {o.help}{_required(o)}" for o in rule.options]
    return lines


def _options_markdown(rule: Rule) -> list[str]:
    if not rule.options:
        return []
    lines = ["", "## Options", "", f"Set in `[tool.remit.rules.{rule.id}]` of `pyproject.toml`, or "
             f"`[rules.{rule.id}]` of `.remit.toml`:", "", "| option | default | meaning |", "|---|---|---|"]
    lines += [f"| `{o.name}` | `{_toml_value(o.default)}` | {o.help}{_required(o)} |" for o in rule.options]
    return lines


def _required(option: RuleOption) -> str:
    return " (required: the rule does not run until it is set)" if option.required else ""


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


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
        *_options_text(rule),
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
        *_options_markdown(rule),
    ]
    return "\n".join(parts) + "\n"


def docs_pages(rules: tuple[Rule, ...]) -> dict[str, str]:
    """The `docs/rules/` folder: one page per rule and an index by duty, file name to text."""
    from scanner.rules import Domain

    pages = {f"{rule.id}.md": rule_markdown(rule) for rule in rules}
    index = ["# remit rules", "", "Generated from the rules' metadata by `python -m scanner.explain`; "
             "do not edit by hand.", ""]
    for domain in Domain:
        mine = [r for r in rules if r.domain is domain]
        index += [f"## {domain.label.capitalize()} ({domain.prefix})", ""]
        if not mine:
            index += ["No rules yet.", ""]
            continue
        index += ["| id | severity | title |", "|---|---|---|"]
        index += [f"| [{r.id}]({r.id}.md) | {r.severity.label} | {r.title} |" for r in mine]
        index.append("")
    pages["README.md"] = "\n".join(index)
    return pages


def main() -> None:
    """Write `docs/rules/` beside the package (run from a checkout)."""
    from pathlib import Path

    from checks.registry import RULES

    folder = Path(__file__).resolve().parents[1] / "docs" / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    pages = docs_pages(RULES)
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {folder}")


if __name__ == "__main__":
    main()
