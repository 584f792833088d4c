"""The command line as a user meets it: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT
from test_sarif import validate

from checks.registry import RULES

OPEN_SSH = """resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
UNVERSIONED = """resource "aws_s3_account_public_access_block" "all" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket" "b" {
  bucket = "x"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = "x"
  versioning_configuration {
    status = "Suspended"
  }
}
"""


def remit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scanner", *args], capture_output=True, text=True,
                          cwd=cwd or PROJECT, timeout=120)


def test_version_is_fast_and_imports_nothing_heavy() -> None:
    code = ("import sys, scanner.cli as c\n"
            "try:\n    c.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('lark', 'hcl2', 'cfnlint', 'networkx', 'typer', 'yaml', 'rich')"
            " if m in sys.modules]\nprint(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines() == ["remit 0.1.0", "[]"]


def test_exit_codes_follow_the_threshold(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(OPEN_SSH)
    assert remit("scan", str(tmp_path)).returncode == 1
    assert remit("scan", "--fail-on", "critical", str(tmp_path)).returncode == 1
    (tmp_path / "main.tf").write_text(UNVERSIONED)
    assert remit("scan", "--fail-on", "high", str(tmp_path)).returncode == 0
    assert remit("scan", "--fail-on", "medium", str(tmp_path)).returncode == 1
    assert remit("scan", "--fail-on", "never", str(tmp_path)).returncode == 0


def test_clean_scan_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_ebs_volume" "v" {\n  encrypted = true\n}\n')
    out = remit("scan", str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 findings" in out.stdout


def test_unparsable_file_exits_one_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    out = remit("scan", "--fail-on", "never", str(tmp_path))
    assert out.returncode == 1
    assert "broken.tf:2:" in out.stdout and "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("args", [
    ["scan", "does/not/exist"],
    ["scan", "--format", "yaml", "."],
    ["scan", "--fail-on", "severe", "."],
    ["scan", "--bogus", "."],
    ["explain", "NOPE999"],
    ["frobnicate"],
])
def test_usage_errors_exit_two_with_one_line(args: list[str]) -> None:
    out = remit(*args)
    assert out.returncode == 2
    assert out.stderr.startswith("remit: error: ")
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2


def test_formats_and_output_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(OPEN_SSH)
    report = tmp_path / "out.sarif"
    out = remit("scan", str(tmp_path), "--format", "sarif", "--output", str(report))
    assert out.returncode == 1
    log = json.loads(report.read_text())
    validate(log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["NET001"]
    data = json.loads(remit("scan", str(tmp_path), "-f", "json").stdout)
    assert data["findings"][0]["rule"] == "NET001"
    assert data["findings"][0]["location"]["start_line"] == 6
    assert data["scorecard"]["network"]["failed"] == 1
    text = remit("scan", str(tmp_path), "--no-color").stdout
    assert "main.tf" in text and "6:" in text and "NET001" in text and "\033[" not in text


def test_rules_lists_the_catalog() -> None:
    out = remit("rules")
    assert out.returncode == 0
    ids = [line.split()[0] for line in out.stdout.splitlines()]
    assert ids == [r.id for r in RULES]


def test_explain_prints_fix_for_both_formats() -> None:
    out = remit("explain", "net001")
    assert out.returncode == 0
    assert "NET001" in out.stdout
    assert "Terraform:" in out.stdout and "CloudFormation:" in out.stdout
    assert "aws_vpc_security_group_ingress_rule" in out.stdout


def test_named_file_reports_only_its_findings_but_reads_its_module(tmp_path: Path) -> None:
    (tmp_path / "bucket.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    (tmp_path / "versioning.tf").write_text(
        'resource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n')
    (tmp_path / "sg.tf").write_text(OPEN_SSH)
    data = json.loads(remit("scan", "-f", "json", str(tmp_path / "bucket.tf")).stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert "DAT002" not in rules  # versioning lives in versioning.tf, which was read
    assert "NET001" not in rules  # sg.tf was not named
    assert {f["location"]["file"] for f in data["findings"]} == {"bucket.tf"}


DB_MODULE = """variable "public" {
  type    = bool
  default = false
}
resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  storage_encrypted   = true
  publicly_accessible = var.public
}
"""


def _environment(tmp_path: Path) -> Path:
    (tmp_path / "modules" / "db").mkdir(parents=True)
    (tmp_path / "modules" / "db" / "main.tf").write_text(DB_MODULE)
    env = tmp_path / "envs" / "dev"
    env.mkdir(parents=True)
    (env / "variables.tf").write_text('variable "public" {\n  type = bool\n}\n')
    (env / "main.tf").write_text('module "db" {\n  source = "../../modules/db"\n  public = var.public\n}\n')
    (env / "terraform.tfvars").write_text("public = true\n")
    return env


@pytest.mark.parametrize("named", ["terraform.tfvars", "main.tf"])
def test_named_file_reports_what_it_causes_in_a_called_module(tmp_path: Path, named: str) -> None:
    env = _environment(tmp_path)
    data = json.loads(remit("scan", "-f", "json", "--no-cache", str(env / named), cwd=tmp_path).stdout)
    found = {(f["rule"], f["location"]["file"], f["location"]["start_line"]) for f in data["findings"]}
    assert ("NET002", "modules/db/main.tf", 9) in found


def test_named_file_is_not_failed_by_a_broken_sibling(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text('resource "aws_s3_bucket_versioning" "v" {\n  bucket = "b"\n'
                                      '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n')
    (tmp_path / "wip.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = \n')
    run = remit("scan", "--no-cache", "--no-color", str(tmp_path / "good.tf"))
    assert run.returncode == 0, run.stdout
    assert "wip.tf:" in run.stdout and "warning" in run.stdout and "read only as context" in run.stdout
    whole = remit("scan", "--no-cache", "--no-color", str(tmp_path))
    assert whole.returncode == 1 and "wip.tf:" in whole.stdout


def test_fixtures_scan_has_no_traceback() -> None:
    out = remit("scan", str(FIXTURES), "--no-color")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr


def test_template_not_in_utf8_is_reported_other_yaml_is_not(tmp_path: Path) -> None:
    template = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n'
                '    Properties:\n      QueueName: "caf\xe9"\n')
    (tmp_path / "latin1.yaml").write_bytes(template.encode("latin-1"))
    (tmp_path / "notes.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    run = remit("scan", str(tmp_path), "--no-cache", "--no-color")
    assert run.returncode == 1
    assert "latin1.yaml:6:1: error: not UTF-8 text" in run.stdout
    assert "notes.yaml" not in run.stdout
