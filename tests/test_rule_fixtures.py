"""Every rule over its fixtures, in every format: exactly the marked (rule, line) findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, expected_marks

from checks.registry import BY_ID, RULES
from scanner.config import Config, find_config
from scanner.engine import scan

CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def _cases() -> list[tuple[str, str, Path]]:
    cases = []
    for rule_dir in sorted((FIXTURES / "terraform").glob("*")):
        # `fail/` and `pass/`, and more cases in `fail-<what>/` and `pass-<what>/`
        for folder in sorted(p for p in rule_dir.iterdir() if p.is_dir()):
            case = folder.name.split("-", 1)[0]
            if case in ("fail", "pass"):
                cases.append((rule_dir.name, case, folder))
    for rule_dir in sorted((FIXTURES / "cloudformation").glob("*")):
        for path in sorted(rule_dir.iterdir()):
            if path.suffix in CFN_SUFFIXES:
                cases.append((rule_dir.name, path.stem.split(".")[0], path))
    return cases


CASES = _cases()


def _config(target: Path) -> Config:
    """Rule options for a fixture: a `.remit.toml` in its folder, else in its rule's folder."""
    folder = target if target.is_dir() else target.parent
    for candidate in (folder, folder.parent):
        if (candidate / ".remit.toml").is_file():
            return find_config(candidate, None, RULES)
    return Config()


def _files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*") if p.is_file() and not p.name.endswith(".expected"))


@pytest.mark.parametrize(("rule_id", "case", "target"), CASES,
                         ids=[f"{r}-{c}-{t.name}" for r, c, t in CASES])
def test_rule_fixture(rule_id: str, case: str, target: Path) -> None:
    rule = BY_ID[rule_id]
    result = scan([target], rules=[rule], workers=1, config=_config(target))
    assert not result.failed_files, result.diagnostics
    found = {(f.rule.id, (result.root / f.span.file).resolve(), f.span.start_line)
             for f in result.findings}
    expected = set().union(*(expected_marks(p) for p in _files(target)))
    expected = {m for m in expected if m[0] == rule_id}
    if case == "pass":
        assert not expected, "a passing fixture must not mark findings"
        assert found == set(), [f.message for f in result.findings]
    else:
        assert expected, "a failing fixture must mark at least one finding"
        assert found == expected, [f"{f.span}: {f.message}" for f in result.findings]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_failing_and_passing_fixtures_in_each_format(rule) -> None:
    have = {(r, c, "terraform" if t.is_dir() else "cloudformation") for r, c, t in CASES}
    for fmt in rule.formats:
        for case in ("fail", "pass"):
            assert (rule.id, case, fmt) in have, f"{rule.id} has no {case} fixture for {fmt}"
