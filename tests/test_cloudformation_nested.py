"""Nested stacks with a local TemplateURL: loaded with the parent's parameters and location."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.registry import BY_ID
from scanner.cloudformation.options import CfnOptions
from scanner.diagnostics import DiagnosticLevel
from scanner.engine import scan
from scanner.source import Span

PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AdminCidr:
    Type: String
    Default: 0.0.0.0/0
Conditions:
  InEurope: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Admin:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/network.yaml
      Parameters:
        Cidr: !Ref AdminCidr
        VpcId: !ImportValue shared-vpc
  Private:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./stacks/network.yaml
      Parameters:
        Cidr: 10.0.0.0/8
  Regional:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/network.yaml
      Parameters:
        Cidr: !If [InEurope, 0.0.0.0/0, 10.1.0.0/16]
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/network.yaml
  Missing:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/missing.yaml
"""

CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr:
    Type: String
  VpcId:
    Type: String
    Default: vpc-0123
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref Cidr
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "parent.yaml").write_text(PARENT)
    (tmp_path / "stacks" / "network.yaml").write_text(CHILD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nested_stack_findings_carry_the_parent_stack(project: Path) -> None:
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1)
    # Admin opens the group always, Regional only in eu-west-1: one finding (the same rule
    # on the same line of the same template), through the first stack that opens it.
    assert [(f.span.file, f.span.start_line, f.message) for f in result.findings] == [
        ("stacks/network.yaml", 18, "Security group Group allows ingress from 0.0.0.0/0 to SSH (22)"),
    ]
    (admin,) = result.findings
    # Where the stack was used from, and where the value came from: the parent's
    # Parameters entry, then the parent parameter's default.
    assert admin.call_chain == (Span("parent.yaml", 9, 3, 15, 39),)
    assert [(p.file, p.start_line) for p in admin.provenance] == [("parent.yaml", 14), ("parent.yaml", 5)]


def test_text_report_names_the_nested_stack(project: Path) -> None:
    from scanner.report.text import render

    text = render(scan([Path(".")], rules=[BY_ID["NET001"]], workers=1), colour=False)
    assert "via nested stack at parent.yaml:9" in text and "module call" not in text


def test_the_parents_scenario_names_the_finding(project: Path) -> None:
    (project / "parent.yaml").write_text(PARENT.replace("Cidr: !Ref AdminCidr", "Cidr: 10.2.0.0/16"))
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1)
    (regional,) = result.findings
    assert regional.message == ("Security group Group allows ingress from 0.0.0.0/0 to SSH (22) "
                                "(when InEurope is true)")
    assert regional.call_chain == (Span("parent.yaml", 22, 3, 27, 53),)


def test_nested_stack_notes(project: Path) -> None:
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1)
    assert [(d.file, d.line, d.level, d.code) for d in result.diagnostics] == [
        ("parent.yaml", 28, DiagnosticLevel.NOTE, "not-resolved"),
        ("parent.yaml", 32, DiagnosticLevel.WARNING, "not-resolved"),
    ]
    remote, missing = result.diagnostics
    assert "remote (https://s3.amazonaws.com/bucket/network.yaml); remit does not fetch it" in remote.message
    assert "stacks/missing.yaml" in missing.message


def test_a_template_used_as_a_nested_stack_is_not_scanned_on_its_own(project: Path) -> None:
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1)
    # Five stacks, and the child's group once per use: Admin, Private, and Regional once
    # per scenario of its condition. The standalone copy (Cidr without a value) is gone.
    assert result.resource_count == 5 + 4
    alone = scan([Path("stacks")], rules=[BY_ID["NET001"]], workers=1)
    assert alone.findings == []  # without its parent, Cidr is not known
    assert [u.reason for u in alone.undetermined] != []


def test_unknown_parameters_passed_by_the_parent(project: Path) -> None:
    (project / "parent.yaml").write_text(PARENT.replace("Cidr: !Ref AdminCidr", "Cidr: !GetAtt Vpc.Cidr"))
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1)
    reasons = {u.reason for u in result.undetermined}
    assert reasons  # the group's rule depends on a value the parent does not know
    assert [f.message for f in result.findings] == [
        "Security group Group allows ingress from 0.0.0.0/0 to SSH (22) (when InEurope is true)"]


def test_command_line_parameters_reach_root_templates_only(project: Path) -> None:
    given = CfnOptions(parameters=(("AdminCidr", "10.9.0.0/16"), ("Cidr", "0.0.0.0/0")),
                       region="us-east-1")
    result = scan([Path(".")], rules=[BY_ID["NET001"]], workers=1, cfn=given)
    assert result.findings == []


def test_a_stack_that_includes_itself_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loop = ("Resources:\n  Self:\n    Type: AWS::CloudFormation::Stack\n"
            "    Properties:\n      TemplateURL: b.yaml\n")
    (tmp_path / "a.yaml").write_text(loop)
    (tmp_path / "b.yaml").write_text(loop.replace("b.yaml", "a.yaml"))
    (tmp_path / "root.yaml").write_text(loop.replace("b.yaml", "a.yaml"))
    monkeypatch.chdir(tmp_path)
    result = scan([Path(".")], workers=1)
    codes = [(d.file, d.level, d.code) for d in result.diagnostics]
    assert ("b.yaml", DiagnosticLevel.WARNING, "not-resolved") in codes
    assert any("already includes it" in d.message for d in result.diagnostics)


def test_template_url_outside_the_scanned_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "outside.yaml").write_text(CHILD)
    (tmp_path / "inner" / "parent.yaml").write_text(
        "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n      TemplateURL: ../outside.yaml\n")
    monkeypatch.chdir(tmp_path / "inner")
    result = scan([Path(".")], workers=1)
    (diag,) = result.diagnostics
    assert (diag.file, diag.level) == ("parent.yaml", DiagnosticLevel.WARNING)
    assert "not a readable file inside the scanned folder" in diag.message
