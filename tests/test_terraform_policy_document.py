"""`data "aws_iam_policy_document"` evaluated into the policy it exports, with the provider's
merging, and policies that use it pointing into it; "*" policies built with jsonencode."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scanner.engine import ScanResult, scan
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl

DOCUMENTS = """\
data "aws_iam_policy_document" "source" {
  statement {
    sid       = "Shared"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Overridden"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  policy_id                 = "merged"
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "Replaced"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:q"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc"]
    }
  }

  statement {
    sid       = "Overridden"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }

  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
"""


def json_of(src: str, address: str) -> object:
    body = parse_hcl(src, "main.tf")
    resources, _ = load_module(ModuleSource(".", [("main.tf", body)]))
    node = {r.address: r for r in resources}[address].body.get("json")
    assert node is not None
    return node


def test_merging_follows_the_provider() -> None:
    node = json_of(DOCUMENTS, "data.aws_iam_policy_document.merged")
    assert json.loads(node.value) == {
        "Version": "2012-10-17",
        "Id": "merged",
        "Statement": [
            {"Sid": "Shared", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]},
            {"Sid": "Replaced", "Effect": "Allow", "Action": ["sqs:SendMessage"],
             "Resource": ["arn:aws:sqs:eu-west-1:123456789012:q"],
             "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-abc"]}}},
            {"Sid": "Overridden", "Effect": "Deny", "Action": ["iam:*"], "Resource": ["*"]},
            {"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": ["*"], "Principal": "*"},
        ],
    }
    statements = node.encoded.get("Statement").value
    # each statement is placed where it was written: in its own data source
    assert [st.span.start_line for st in statements] == [2, 28, 15, 51]


def test_a_document_with_unknown_parts_keeps_its_known_statements() -> None:
    node = json_of("""\
variable "bucket_arn" {}

data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/*"]
  }
}
""", "data.aws_iam_policy_document.d")
    assert node.unknown and node.value.refs == (".::data.aws_iam_policy_document.d",)
    [statement] = node.encoded.get("Statement").value
    assert statement.get("Action").plain() == ["s3:GetObject"]
    assert statement.get("Resource").value[0].unknown


def run(root: Path) -> ScanResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return scan([Path(".")], workers=1)
    finally:
        os.chdir(cwd)


def test_a_star_policy_from_a_policy_document_is_found_once_in_the_data_source(tmp_path: Path) -> None:
    """Evidence: `*` built by aws_iam_policy_document, used by a policy in a module."""
    (tmp_path / "modules" / "admin").mkdir(parents=True)
    (tmp_path / "modules" / "admin" / "main.tf").write_text("""\
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "All"
    actions   = ["*"]
    resources = ["*"]
  }
}

output "json" {
  value = data.aws_iam_policy_document.admin.json
}
""")
    (tmp_path / "main.tf").write_text("""\
module "admin" {
  source = "./modules/admin"
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = module.admin.json
}

data "aws_iam_policy_document" "local" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "local" {
  role   = "r"
  policy = data.aws_iam_policy_document.local.json
}

data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
""")
    result = run(tmp_path)
    got = [(f.address, f.span.file, f.span.start_line, [(p.file, p.start_line) for p in f.provenance])
           for f in result.findings if f.rule.id == "IAM001"]
    assert got == [
        # through the module's output: placed where the output is used, from the statement
        ("aws_iam_policy.admin", "main.tf", 7, [("modules/admin/main.tf", 4)]),
        # in the same module: on the statement itself, reported for the policy only
        ("aws_iam_role_policy.local", "main.tf", 12, []),
        # a document no policy uses is checked as itself
        ("data.aws_iam_policy_document.unused", "main.tf", 24, []),
    ]


def test_a_star_policy_from_jsonencode_of_a_local(tmp_path: Path) -> None:
    """Evidence: `*` built by jsonencode of a local."""
    (tmp_path / "main.tf").write_text("""\
locals {
  statements = [
    {
      Effect   = "Allow"
      Action   = ["*"]
      Resource = "*"
    },
  ]
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_iam_policy" "direct" {
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_iam_policy" "indirect" {
  policy = local.policy
}
""")
    result = run(tmp_path)
    got = [(f.address, f.span.start_line, [(p.file, p.start_line) for p in f.provenance])
           for f in result.findings if f.rule.id == "IAM001"]
    assert got == [
        ("aws_iam_policy.direct", 13, [("main.tf", 5)]),
        # the local that encoded it, and the statement's line
        ("aws_iam_policy.indirect", 17, [("main.tf", 9), ("main.tf", 5)]),
    ]


def test_jsonencode_with_an_unknown_part_still_finds_the_known_star(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.b.arn}/*" },
      { Effect = "Allow", Action = "*", Resource = "*" },
    ]
  })
}
""")
    result = run(tmp_path)
    assert [(f.rule.id, f.span.start_line) for f in result.findings if f.rule.id == "IAM001"] == [
        ("IAM001", 9)]
