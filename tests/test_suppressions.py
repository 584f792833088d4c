"""`remit:ignore` comments waive findings: they stay visible as suppressed, and stop failing the scan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT
from test_sarif import validate

from scanner.engine import scan

SOURCE = """\
# remit:ignore DAT003 -- scratch volume, wiped nightly
resource "aws_ebs_volume" "scratch" {
  size = 1
}

resource "aws_ebs_volume" "data" {
  size = 1
}

resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # remit:ignore NET001 -- behind the office NAT
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    # remit:ignore DAT001 (the wrong rule: does not waive NET001)
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


def test_waivers_apply_to_the_named_rule_at_their_place(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SOURCE)
    result = scan([tmp_path], workers=1)
    waived = {(f.rule.id, f.span.start_line): f.suppressed for f in result.findings if f.suppressed}
    assert waived == {("DAT003", 2): "scratch volume, wiped nightly",
                      ("NET001", 15): "behind the office NAT"}
    assert sorted((f.rule.id, f.span.start_line) for f in result.active) == [("DAT003", 6), ("NET001", 22)]


def test_waived_findings_are_suppressed_results_in_sarif_and_do_not_fail(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_ebs_volume" "v" { # remit:ignore\n  size = 1\n}\n')
    out = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path), "-f", "sarif"],
                         capture_output=True, text=True, cwd=PROJECT)
    assert out.returncode == 0, out.stderr
    log = json.loads(out.stdout)
    validate(log)
    [result] = log["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "waived in source"}]
    text = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path)],
                          capture_output=True, text=True, cwd=PROJECT).stdout
    assert "0 findings (none), 1 waived in source" in text
