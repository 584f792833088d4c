"""Terraform plan JSON (`terraform show -json plan.out`): resources from planned_values,
unknowns from after_unknown, references from the configuration; findings on the plan's
lines, or on the source lines when the configuration is in the scan."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scanner.engine import ScanResult, scan
from scanner.terraform.plan import load_plan, looks_like_plan

CONFIG = {
    "main.tf": """\
variable "cidr" {
  default = "10.0.0.0/8"
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["a", "b"])
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "b" {
  for_each                = aws_s3_bucket.b
  bucket                  = aws_s3_bucket.b[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = each.key == "a"
}

module "vol" {
  source = "./modules/vol"
}
""",
    "modules/vol/main.tf": """\
resource "aws_ebs_volume" "v" {
  availability_zone = "eu-west-1a"
  size              = 8
}
""",
}


def _bucket(key: str) -> dict:
    return {"address": f'aws_s3_bucket.b["{key}"]', "mode": "managed", "type": "aws_s3_bucket",
            "name": "b", "index": key, "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0, "values": {"bucket": f"acme-{key}", "force_destroy": False,
                                            "tags": None}, "sensitive_values": {}}


def _pab(key: str) -> dict:
    return {"address": f'aws_s3_bucket_public_access_block.b["{key}"]', "mode": "managed",
            "type": "aws_s3_bucket_public_access_block", "name": "b", "index": key,
            "schema_version": 0, "values": {"block_public_acls": True, "block_public_policy": True,
                                            "ignore_public_acls": True,
                                            "restrict_public_buckets": key == "a"}}


PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.6.0",
    "variables": {"cidr": {"value": "0.0.0.0/0"}},
    "planned_values": {"root_module": {
        "resources": [
            {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group",
             "name": "web", "schema_version": 1, "values": {
                 "name": "web", "description": "Managed by Terraform", "revoke_rules_on_delete": False,
                 "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp",
                              "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [],
                              "description": "", "self": False}]}},
            _bucket("a"), _bucket("b"), _pab("a"), _pab("b"),
        ],
        "child_modules": [{"address": "module.vol", "resources": [
            {"address": "module.vol.aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume",
             "name": "v", "schema_version": 0,
             "values": {"availability_zone": "eu-west-1a", "size": 8, "encrypted": False}}]}],
    }},
    "resource_changes": [
        {"address": 'aws_s3_bucket_public_access_block.b["a"]', "change": {
            "actions": ["create"], "before": None, "after_unknown": {"bucket": True, "id": True}}},
        {"address": 'aws_s3_bucket_public_access_block.b["b"]', "change": {
            "actions": ["create"], "before": None, "after_unknown": {"bucket": True, "id": True}}},
        {"address": "aws_security_group.web", "change": {
            "actions": ["create"], "after_unknown": {"id": True, "ingress": [{"cidr_blocks": [False]}]}}},
    ],
    "configuration": {"root_module": {
        "resources": [
            {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group",
             "name": "web", "expressions": {"name": {"constant_value": "web"}, "ingress": [
                 {"cidr_blocks": {"references": ["var.cidr"]}, "from_port": {"constant_value": 22}}]}},
            {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
             "expressions": {"bucket": {"references": ["each.key"]}},
             "for_each_expression": {"references": []}},
            {"address": "aws_s3_bucket_public_access_block.b", "mode": "managed",
             "type": "aws_s3_bucket_public_access_block", "name": "b",
             "expressions": {"bucket": {"references": ["aws_s3_bucket.b", "each.key"]},
                             "block_public_acls": {"constant_value": True}},
             "for_each_expression": {"references": ["aws_s3_bucket.b"]}},
        ],
        "module_calls": {"vol": {"source": "./modules/vol", "module": {"resources": [
            {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
             "expressions": {"size": {"constant_value": 8}}}]}}},
    }},
}


def run(root: Path, *paths: str) -> ScanResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return scan([Path(p) for p in paths or (".",)], workers=1)
    finally:
        os.chdir(cwd)


def got(result: ScanResult) -> list[tuple[str, str, str, int]]:
    return [(f.rule.id, f.address, f.span.file, f.span.start_line) for f in result.findings
            if f.rule.id in ("NET001", "DAT001", "DAT003")]


def plan_text() -> str:
    return json.dumps(PLAN, indent=2)


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def test_a_plan_is_recognised_and_read() -> None:
    text = plan_text()
    assert looks_like_plan(text)
    assert not looks_like_plan('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')
    resources, diagnostics = load_plan(text, "plan.json")
    assert diagnostics == []
    by = {r.address: r for r in resources}
    assert sorted(by) == [
        'aws_s3_bucket.b["a"]', 'aws_s3_bucket.b["b"]', 'aws_s3_bucket_public_access_block.b["a"]',
        'aws_s3_bucket_public_access_block.b["b"]', "aws_security_group.web",
        "module.vol.aws_ebs_volume.v"]
    pab = by['aws_s3_bucket_public_access_block.b["b"]']
    assert pab.body.get("bucket").unknown  # after_unknown: inserted, not left out
    assert [(r.target, r.attribute) for r in pab.references] == [
        ('plan.json::aws_s3_bucket.b["b"]', "bucket")]  # the same key among the instances
    assert pab.body.get("bucket").value.refs == ('plan.json::aws_s3_bucket.b["b"]',)
    assert by["aws_security_group.web"].span.start_line == line_of(text, '"address": "aws_security_group.web"') - 1


def test_findings_on_a_plan_alone_point_at_the_plan(tmp_path: Path) -> None:
    text = plan_text()
    (tmp_path / "plan.json").write_text(text)
    result = run(tmp_path)
    assert result.diagnostics == []
    assert got(result) == [
        ("NET001", "aws_security_group.web", "plan.json", line_of(text, '"0.0.0.0/0"', '"cidr_blocks"')),
        ("DAT001", 'aws_s3_bucket.b["b"]', "plan.json",
         line_of(text, '"restrict_public_buckets": false')),
        ("DAT003", "module.vol.aws_ebs_volume.v", "plan.json", line_of(text, '"encrypted": false')),
    ]


def test_a_plan_beside_its_configuration_points_at_the_sources(tmp_path: Path) -> None:
    for rel, content in CONFIG.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content)
    (tmp_path / "plan.json").write_text(plan_text())
    result = run(tmp_path)
    # the plan's value (-var cidr=0.0.0.0/0) wins over the default the static evaluation sees
    assert got(result) == [
        ("NET001", "aws_security_group.web", "main.tf", 12),
        ("DAT001", 'aws_s3_bucket.b["b"]', "main.tf", 27),
        ("DAT003", "module.vol.aws_ebs_volume.v", "modules/vol/main.tf", 1),
    ]
    [volume] = [f for f in result.findings if f.rule.id == "DAT003"]
    assert [(s.file, s.start_line) for s in volume.call_chain] == [("main.tf", 30)]
    # without the plan, the static evaluation sees the narrow default
    (tmp_path / "plan.json").unlink()
    assert [f for f in got(run(tmp_path)) if f[0] == "NET001"] == []


def test_a_broken_plan_is_a_parse_error(tmp_path: Path) -> None:
    text = plan_text()
    (tmp_path / "plan.json").write_text(text[: len(text) // 2])
    result = run(tmp_path)
    assert result.failed_files == [] or result.failed_files == ["plan.json"]
    broken = '{"format_version": "1.2", "terraform_version": "1.6", "planned_values": {,}}'
    (tmp_path / "plan.json").write_text(broken)
    result = run(tmp_path)
    assert result.failed_files == ["plan.json"]
