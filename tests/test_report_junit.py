"""JUnit XML: every judged resource is a test case, findings fail, the counts add up."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from test_cli import OPEN_SSH, remit

WAIVED_AND_UNKNOWN = """variable "cidr" {}

resource "aws_security_group" "unknown" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

resource "aws_security_group" "waived" {
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # remit:ignore NET001 -- lab network, torn down nightly
  }
}

resource "aws_security_group" "closed" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
"""


def _junit(tmp_path: Path) -> ET.Element:
    out = tmp_path / "report.xml"
    run = remit("scan", str(tmp_path), "-f", "junit", "-o", str(out), "--no-cache")
    assert run.returncode in (0, 1), run.stderr
    return ET.parse(out).getroot()


def _suite(root: ET.Element, rule_id: str) -> ET.Element:
    return next(s for s in root.iter("testsuite") if s.get("name", "").startswith(f"{rule_id} "))


def _cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {c.get("name", ""): c for c in suite.iter("testcase")}


def test_finding_is_a_failure_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(OPEN_SSH)
    suite = _suite(_junit(tmp_path), "NET001")
    case = _cases(suite)["aws_security_group.web"]
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "critical"
    assert case.get("file") == "main.tf" and case.get("line") == "6"
    assert "main.tf:6" in (failure.text or "") and "Remediation:" in (failure.text or "")


def test_unknown_and_waived_are_skipped_and_clean_resources_pass(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WAIVED_AND_UNKNOWN)
    root = _junit(tmp_path)
    cases = _cases(_suite(root, "NET001"))
    unknown = cases["aws_security_group.unknown"].find("skipped")
    assert unknown is not None and unknown.get("message", "").startswith("not decided:")
    waived = next(c for name, c in cases.items() if name.startswith("aws_security_group.waived"))
    skipped = waived.find("skipped")
    assert skipped is not None and "lab network" in skipped.get("message", "")
    assert list(cases["aws_security_group.closed"]) == []
    suite = _suite(root, "NET001")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "0", "2")


def test_totals_add_up_and_unreadable_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(OPEN_SSH)
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = \n')
    root = _junit(tmp_path)
    suites = list(root.iter("testsuite"))
    for name in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(name, "-1")) == sum(int(s.get(name, "0")) for s in suites)
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert [c.get("file") for c in errors] == ["broken.tf"]
    assert int(root.get("failures", "0")) >= 1


def test_control_characters_in_names_still_give_well_formed_xml(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(OPEN_SSH.replace('"web"', '"we\\u0001b"'))
    root = _junit(tmp_path)
    assert int(root.get("tests", "0")) >= 1
