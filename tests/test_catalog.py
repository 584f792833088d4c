"""The catalog's metadata is complete and consistent, and rules read views only."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import PROJECT

from checks.registry import BY_ID, RULES
from scanner.explain import rule_markdown, rule_text
from scanner.rules import Domain


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_metadata(rule) -> None:
    assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.id)
    assert rule.id.startswith(rule.domain.prefix)
    assert re.fullmatch(r"(?:[A-Z][a-z0-9]+|S3|IAM|RDS|EBS|KMS|VPC)+", rule.name), rule.name
    for text in (rule.title, rule.severity_reason, rule.rationale, rule.remediation):
        assert text.strip() and text == text.strip()
    assert not rule.title.endswith(".")
    assert 0.0 < rule.security_severity <= 10.0
    assert rule.precision in ("very-high", "high", "medium", "low")
    assert rule.terraform_fix.strip() and rule.cloudformation_fix.strip()
    assert any(r.startswith("https://docs.aws.amazon.com/") for r in rule.references)
    if rule.formats == ("terraform",):
        # Only for a control CloudFormation cannot express at all, and the rationale says so.
        assert "CloudFormation has no resource type" in rule.rationale, rule.id
    else:
        assert rule.formats == ("terraform", "cloudformation")
    assert rule.id in rule_text(rule) and rule.title in rule_markdown(rule)


def test_ids_and_names_are_unique_and_sorted() -> None:
    assert len(BY_ID) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    assert [r.id for r in RULES] == sorted(r.id for r in RULES)


def test_severity_scores_agree_with_severity() -> None:
    # GitHub maps security-severity to its levels: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium.
    bands = {"critical": (9.1, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
    for rule in RULES:
        low, high = bands[rule.severity.label]
        assert low <= rule.security_severity <= high, rule.id


def test_every_domain_prefix_is_distinct() -> None:
    assert len({d.prefix for d in Domain}) == len(Domain)


FORBIDDEN = ("scanner.terraform", "scanner.cloudformation", "scanner.parsing", "scanner.adapters",
             "hcl2", "lark", "cfnlint", "yaml")


def test_rules_import_no_parser_and_never_read_raw_bodies() -> None:
    for path in sorted((PROJECT / "checks").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(FORBIDDEN), f"{path}: imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith(FORBIDDEN), f"{path}: imports {alias.name}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("body", "references"), f"{path}:{node.lineno} reads .{node.attr}"


def test_registry_lists_every_rule_module() -> None:
    modules = {p.stem for p in (PROJECT / "checks").rglob("*.py")
               if p.parent != PROJECT / "checks" and p.stem != "__init__"}
    registered = {r.check.__module__.rsplit(".", 1)[1] for r in RULES}
    assert modules == registered


def test_readme_points_to_the_generated_catalog() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules/README.md" in readme


def test_docs_pages_are_current() -> None:
    from scanner.explain import docs_pages

    folder = PROJECT / "docs" / "rules"
    pages = docs_pages(RULES)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert on_disk == pages, "docs/rules is stale: run `python -m scanner.explain`"
    for rule in RULES:
        assert rule.help_uri.endswith(f"docs/rules/{rule.id}.md")
