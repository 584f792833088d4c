"""Regressions from reviewing what the catalog reports on real code (TerraGoat, CfnGoat, the
bundled examples) and what its documentation tells users to write."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checks.registry import BY_ID, RULES
from scanner.engine import scan
from scanner.rules import Rule


def _messages(tmp_path: Path, name: str, text: str, rule_id: str) -> list[tuple[int, str, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = scan([tmp_path], rules=[BY_ID[rule_id]], workers=1)
    assert not result.failed_files, result.diagnostics
    return sorted((f.span.start_line, f.message, f.attribute) for f in result.findings)


def test_public_access_block_names_the_cloudformation_property(tmp_path: Path) -> None:
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
"""
    # The message names what the user wrote; the attribute (part of the fingerprint) stays.
    assert _messages(tmp_path, "template.yaml", template, "DAT001") == [
        (6, "S3 bucket DataBucket: public access block setting RestrictPublicBuckets is not set "
            "(defaults to false)", "restrict_public_buckets"),
        (8, "S3 bucket DataBucket: public access block setting BlockPublicPolicy is false",
         "block_public_policy"),
    ]


def test_public_access_block_keeps_terraform_names(tmp_path: Path) -> None:
    source = """\
resource "aws_s3_bucket" "data" {
  bucket = "data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""
    assert _messages(tmp_path, "main.tf", source, "DAT001") == [
        (8, "S3 bucket aws_s3_bucket.data: public access block setting block_public_policy is false",
         "block_public_policy"),
    ]


def test_scan_on_push_names_the_cloudformation_property(tmp_path: Path) -> None:
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: false
"""
    assert _messages(tmp_path, "template.yaml", template, "PAT004") == [
        (7, "ECR repository Repo does not scan images on push "
            "(ImageScanningConfiguration.ScanOnPush is false)", "scan_on_push"),
    ]


def test_administrator_access_message_says_who_gets_it(tmp_path: Path) -> None:
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""
    assert [m for _, m, _ in _messages(tmp_path, "template.yaml", template, "IAM007")] == [
        "IAM role CiRole has the AWS managed AdministratorAccess policy attached",
    ]


def test_administrator_access_through_an_attachment_resource(tmp_path: Path) -> None:
    source = """\
resource "aws_iam_role_policy_attachment" "ci" {
  role       = "ci"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = ["a", "b"]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
    assert [m for _, m, _ in _messages(tmp_path, "main.tf", source, "IAM007")] == [
        "aws_iam_role_policy_attachment.ci attaches the AWS managed AdministratorAccess policy "
        "to an IAM role",
        "aws_iam_policy_attachment.shared attaches the AWS managed AdministratorAccess policy "
        "to the IAM roles it lists",
    ]


def test_zero_day_retention_on_a_cluster_is_not_called_backups_off(tmp_path: Path) -> None:
    # TerraGoat's aws_rds_cluster.app1-rds-cluster: a cluster cannot turn backups off, AWS
    # rejects 0; a DB instance with 0 has them off.
    source = """\
resource "aws_rds_cluster" "app" {
  cluster_identifier      = "app"
  engine                  = "aurora-postgresql"
  backup_retention_period = 0
}

resource "aws_db_instance" "app" {
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  allocated_storage       = 20
  backup_retention_period = 0
}
"""
    assert [(line, m) for line, m, _ in _messages(tmp_path, "main.tf", source, "CMP001")] == [
        (4, "RDS DB cluster aws_rds_cluster.app: backup_retention_period = 0 is not accepted by "
            "AWS (a cluster keeps backups 1 to 35 days); at least 7 days are required"),
        (11, "RDS DB instance aws_db_instance.app: automated backups are off "
             "(backup_retention_period = 0); at least 7 days are required"),
    ]


def _snippets(rule: Rule) -> list[tuple[str, str]]:
    out = [("main.tf", rule.terraform_fix + "\n")]
    if "Type: AWS::" in rule.cloudformation_fix:
        body = textwrap.indent(rule.cloudformation_fix, "  ")
        out.append(("template.yaml", f'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n{body}\n'))
    return out


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_remediation_snippets_do_not_fail_their_own_rule(rule: Rule, tmp_path: Path) -> None:
    # PAT003's snippet once named a Kubernetes version past its own end of standard support.
    for name, text in _snippets(rule):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = scan([tmp_path], rules=[rule], workers=1)
    assert not result.failed_files, result.diagnostics
    assert [f.message for f in result.findings] == []
