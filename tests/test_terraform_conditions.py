"""Conditions that are not known statically: both options are checked, a possible failure is
a finding named with its condition, and a plain unknown value is still not a failure.
Also: settings in separate resources made with for_each attach to the right bucket."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scanner.engine import ScanResult, scan
from scanner.terraform.evaluate import Choice
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl


def run(root: Path) -> ScanResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return scan([Path(".")], workers=1)
    finally:
        os.chdir(cwd)


def findings(result: ScanResult, rule: str) -> list[tuple[str, int, str]]:
    return [(f.address, f.span.start_line, f.message) for f in result.findings if f.rule.id == rule]


def test_an_unknown_condition_keeps_both_options() -> None:
    body = parse_hcl('variable "on" {\n  type = bool\n}\n'
                     'resource "x" "y" {\n  v = var.on ? "a" : "b"\n  w = var.on ? "same" : "same"\n'
                     '  z = (var.on ? { k = 1 } : { k = 2 }).k\n}\n', "main.tf")
    [res], _ = load_module(ModuleSource(".", [("main.tf", body)]))
    v = res.body.get("v").value
    assert isinstance(v, Choice) and v.condition == "var.on"
    assert [o.value for o in v.options] == ["a", "b"]
    assert v.reason.startswith("condition not known")
    assert res.body.get("w").value == "same"  # equal options: no choice
    z = res.body.get("z").value
    assert isinstance(z, Choice) and [o.value for o in z.options] == [1, 2]


def test_a_possible_failure_is_a_finding_that_names_its_condition(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
variable "env" {
  type = string
}

variable "open" {
  type = bool
}

resource "aws_db_instance" "db" {
  engine              = "postgres"
  storage_encrypted   = var.env == "prod" ? true : false
  publicly_accessible = var.open
}

resource "aws_security_group" "g" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.env == "prod" ? "10.0.0.0/8" : "0.0.0.0/0"]
  }
}

resource "aws_ebs_volume" "v" {
  availability_zone = "eu-west-1a"
  encrypted         = false
}
""")
    result = run(tmp_path)
    assert findings(result, "DAT004") == [
        ("aws_db_instance.db", 11, 'RDS instance aws_db_instance.db explicitly disables storage '
                                   'encryption (when var.env == "prod" is false)')]
    assert findings(result, "NET001") == [
        ("aws_security_group.g", 20, "Security group aws_security_group.g allows ingress from "
                                     '0.0.0.0/0 to SSH (22) (when var.env == "prod" is false)')]
    # a plain unknown value is not a failure: undecided
    assert findings(result, "NET002") == []
    assert [(u.rule.id, u.address) for u in result.undetermined if u.rule.id == "NET002"] == [
        ("NET002", "aws_db_instance.db")]
    # a finding that does not depend on the condition has no condition in its message
    assert findings(result, "DAT003") == [
        ("aws_ebs_volume.v", 26, "EBS volume aws_ebs_volume.v is explicitly not encrypted")]
    assert result.resource_count == 3


def test_conditions_are_visible_in_json_and_sarif(tmp_path: Path) -> None:
    from scanner.report.json_report import render as json_render
    from scanner.report.sarif import render as sarif_render

    (tmp_path / "main.tf").write_text(
        'variable "public" {\n  type = bool\n}\n'
        'resource "aws_db_instance" "db" {\n  engine = "mysql"\n  storage_encrypted = true\n'
        '  publicly_accessible = var.public ? true : false\n}\n')
    result = run(tmp_path)
    doc = json.loads(json_render(result))
    [finding] = [f for f in doc["findings"] if f["rule"] == "NET002"]
    assert finding["message"].endswith("(when var.public is true)")
    sarif = json.loads(sarif_render(result))
    [result_] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "NET002"]
    assert result_["message"]["text"].endswith("(when var.public is true).")


def test_conditions_inside_module_instances_are_named_with_the_instance(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'variable "public" {\n  type = bool\n}\n'
        'resource "aws_db_instance" "db" {\n  engine = "mysql"\n  storage_encrypted = true\n'
        '  publicly_accessible = var.public == true ? true : false\n}\n')
    (tmp_path / "main.tf").write_text(
        'variable "public" {\n  type = bool\n}\n'
        'module "a" {\n  source = "./m"\n  public = var.public\n}\n'
        'module "b" {\n  source = "./m"\n  public = false\n}\n')
    result = run(tmp_path)
    assert [(a, line, m.split(" (", 1)[1]) for a, line, m in findings(result, "NET002")] == [
        ("module.a.aws_db_instance.db", 7, "when var.public == true in module.a is true)")]


def test_choices_passed_through_variables_and_locals_keep_their_options(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
variable "expose" {
  type = bool
}

locals {
  cidr = var.expose ? "0.0.0.0/0" : "10.0.0.0/8"
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.g.id
  cidr_ipv4         = local.cidr
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
}

resource "aws_security_group" "g" {
  name = "g"
}
""")
    result = run(tmp_path)
    [finding] = result.findings
    assert (finding.rule.id, finding.span.start_line) == ("NET001", 11)
    assert finding.message.endswith("(when var.expose is true)")
    # the option chosen, the local's expression, and the input the condition depends on
    assert [(p.file, p.start_line, p.start_column) for p in finding.provenance] == [
        ("main.tf", 6, 23), ("main.tf", 6, 10), ("main.tf", 1, 1)]


def test_public_access_block_and_encryption_in_for_each_resources(tmp_path: Path) -> None:
    """Evidence: the settings live in separate resources made with for_each."""
    from scanner.adapters import build_views
    from scanner.discover import discover, scan_root
    from scanner.engine import _load_terraform, _parse_all
    from scanner.graph import ResourceGraph
    from scanner.views.s3 import Bucket

    (tmp_path / "main.tf").write_text("""\
locals {
  buckets = {
    logs    = { algorithm = "aws:kms", block = true }
    reports = { algorithm = "AES256", block = false }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "b" {
  for_each                = aws_s3_bucket.b
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = local.buckets[each.key].block
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.b[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = each.value.algorithm
    }
  }
}
""")
    root = scan_root([tmp_path])
    files, _ = discover([tmp_path], root)
    resources, _, _ = _load_terraform(_parse_all(files, 1), root, None)
    views, _ = build_views(ResourceGraph(resources))
    got = {}
    for bucket in views.of(Bucket):
        pab = bucket.public_access_block
        assert pab is not None and pab.owner.startswith("aws_s3_bucket_public_access_block.b[")
        got[bucket.address] = (pab.owner, pab.restrict_public_buckets.value,
                               bucket.encryption_algorithm.value,
                               bucket.encryption_algorithm.span.start_line)
    assert got == {
        'aws_s3_bucket.b["logs"]': ('aws_s3_bucket_public_access_block.b["logs"]', True, "aws:kms", 28),
        'aws_s3_bucket.b["reports"]': ('aws_s3_bucket_public_access_block.b["reports"]', False,
                                       "AES256", 28),
    }
    result = run(tmp_path)
    assert findings(result, "DAT001") == [
        ('aws_s3_bucket.b["reports"]', 19, 'S3 bucket aws_s3_bucket.b["reports"]: public access '
                                           'block setting restrict_public_buckets is false')]
