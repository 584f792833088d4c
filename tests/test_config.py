"""Settings from .remit.toml / [tool.remit]: disabling rules, rule options, and clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT

from checks.registry import RULES
from scanner.config import ConfigError, parse_config
from scanner.rules import Rule, RuleOption

TF = 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\nresource "aws_kms_key" "k" {}\n'


def remit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run([sys.executable, "-m", "scanner", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_disable_in_pyproject_and_dotfile(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF)
    out = remit("scan", "-f", "json", ".", cwd=tmp_path)
    assert '"rule": "DAT003"' in out.stdout and '"rule": "DAT005"' in out.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.remit]\ndisable = ["DAT003"]\n')
    out = remit("scan", "-f", "json", ".", cwd=tmp_path)
    assert '"rule": "DAT003"' not in out.stdout and '"rule": "DAT005"' in out.stdout
    (tmp_path / ".remit.toml").write_text('disable = ["DAT005"]\n')  # the dotfile wins
    out = remit("scan", "-f", "json", ".", cwd=tmp_path)
    assert '"rule": "DAT003"' in out.stdout and '"rule": "DAT005"' not in out.stdout


@pytest.mark.parametrize(("text", "message"), [
    ('disabel = ["DAT003"]\n', "unknown setting 'disabel'"),
    ('disable = "DAT003"\n', "'disable' must be a list"),
    ('disable = ["DAT999"]\n', "unknown rule 'DAT999'"),
    ('[rules.NET001]\nports = [22]\n', "[rules.NET001]: unknown option 'ports'"),
    ('[rules.NOPE1]\n', "no such rule"),
    ('disable = [\n', "not valid TOML"),
])
def test_bad_settings_are_usage_errors_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / ".remit.toml").write_text(text)
    out = remit("scan", ".", cwd=tmp_path)
    assert out.returncode == 2
    assert ".remit.toml" in out.stderr and message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_rule_options_are_type_checked_and_reach_the_check() -> None:
    seen = []

    def check(view, settings):
        seen.append(settings)
        return []

    rule = Rule(**{**RULES[0].__dict__, "check": check,
                   "options": (RuleOption("min_days", 90, "minimum days"),)})
    config = parse_config({"rules": {rule.id: {"min_days": 365}}}, "x.toml", (rule,))
    assert config.settings == {rule.id: {"min_days": 365}}
    rule.outcomes(object(), config.settings.get(rule.id))
    rule.outcomes(object())
    assert seen == [{"min_days": 365}, {"min_days": 90}]
    with pytest.raises(ConfigError, match="min_days must be a whole number, not '365'"):
        parse_config({"rules": {rule.id: {"min_days": "365"}}}, "x.toml", (rule,))
