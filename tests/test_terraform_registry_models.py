"""Calls to terraform-aws-modules registry modules that remit models instead of fetching:
which sources and versions are modelled, the resources synthesized (addresses, spans at the
argument or at the module block), the defaults per release range, and the diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.diagnostics import DiagnosticLevel
from scanner.engine import ScanResult, scan
from scanner.terraform.registry_models import MODELS, allowed_range, choose_era, parse_source

S3 = "modelled from terraform-aws-modules/s3-bucket/aws"


def run(tmp_path: Path, text: str, rules: list[str] | None = None) -> ScanResult:
    (tmp_path / "main.tf").write_text(text)
    result = scan([tmp_path], workers=1)
    if rules is not None:
        result.findings = [f for f in result.findings if f.rule.id in rules]
    return result


def found(result: ScanResult) -> list[tuple[str, int, str, str]]:
    return [(f.rule.id, f.span.start_line, f.address, f.message) for f in result.findings]


# ----------------------------------------------------------------------------- sources


@pytest.mark.parametrize(("source", "expected"), [
    ("terraform-aws-modules/s3-bucket/aws", ("s3-bucket", None)),
    ("registry.terraform.io/terraform-aws-modules/vpc/aws", ("vpc", None)),
    ("github.com/terraform-aws-modules/terraform-aws-rds", ("rds", None)),
    ("git::https://github.com/terraform-aws-modules/terraform-aws-s3-bucket.git?ref=v3.7.0",
     ("s3-bucket", "v3.7.0")),
    ("git@github.com:terraform-aws-modules/terraform-aws-security-group.git",
     ("security-group", None)),
    ("terraform-aws-modules/security-group/aws//modules/http-80", None),  # a sub-module
    ("acme/s3-bucket/aws", None),
    ("git::https://example.com/terraform-aws-s3-bucket.git", None),
])
def test_sources_of_modelled_modules(source: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_source(source) == expected


@pytest.mark.parametrize(("constraint", "low", "high"), [
    ("3.7.0", (3, 7, 0), (3, 7, 1)),
    ("~> 3.0", (3, 0, 0), (4, 0, 0)),
    ("~> v2.0", (2, 0, 0), (3, 0, 0)),
    ("~> 3.7.0", (3, 7, 0), (3, 8, 0)),
    (">= 3.2, < 3.9", (3, 2, 0), (3, 9, 0)),
    ("!= 3.1.0, <= 4.1.0", (0, 0, 0), (4, 1, 1)),
])
def test_version_constraints(constraint: str, low: tuple, high: tuple) -> None:
    assert allowed_range(constraint) == (low, high)


@pytest.mark.parametrize(("constraint", "label", "remark"), [
    ("3.7.0", "< 3.9.0", ""),
    ("3.9.0", ">= 3.9.0", ""),
    # Terraform installs the newest release the constraint allows: 3.15.x
    ("~> 3.0", ">= 3.9.0", ""),
    (">= 3.2, < 3.9", "< 3.9.0", ""),
    (None, ">= 3.9.0", "no version constraint: Terraform installs the newest release; the model "
                       "of >= 3.9.0 is used"),
    ("latest please", ">= 3.9.0", "version 'latest please' is not understood; the newest model "
                                  "(>= 3.9.0) is used"),
    ("< 0.0.0", ">= 3.9.0", "version '< 0.0.0' matches no modelled release; the newest model "
                            "(>= 3.9.0) is used"),
])
def test_the_era_terraform_would_install(constraint: str | None, label: str, remark: str) -> None:
    era, said = choose_era(MODELS["s3-bucket"], constraint)
    assert (era.label, said) == (label, remark)


# ----------------------------------------------------------------------------- s3-bucket

S3_CALL = """\
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "3.7.0"

  bucket            = "logs"
  block_public_acls = false
  ignore_public_acls = true
  versioning = {
    enabled = false
  }
}
"""


def test_s3_bucket_findings_point_at_the_argument_or_the_module_block(tmp_path: Path) -> None:
    result = run(tmp_path, S3_CALL, ["DAT001", "DAT002", "LOG001"])
    bucket = "module.bucket.aws_s3_bucket.this[0]"
    note = f"({S3} < 3.9.0)"
    assert found(result) == [
        ("DAT001", 1, bucket,
         f"S3 bucket {bucket}: public access block setting block_public_policy is false {note}"),
        ("DAT001", 1, bucket,
         f"S3 bucket {bucket}: public access block setting restrict_public_buckets is false {note}"),
        ("LOG001", 1, bucket, f"S3 bucket {bucket} does not log server access requests {note}"),
        ("DAT001", 6, bucket,
         f"S3 bucket {bucket}: public access block setting block_public_acls is false {note}"),
        ("DAT002", 9, bucket, f"S3 bucket {bucket} has versioning suspended or disabled {note}"),
    ]
    assert all(f.call_chain == (f.call_chain[0],) and f.call_chain[0].start_line == 1
               for f in result.findings)


def test_a_modelled_call_is_noted_once_and_never_reported_unresolved(tmp_path: Path) -> None:
    result = run(tmp_path, S3_CALL)
    notes = [(d.file, d.line, d.level, d.code, d.message) for d in result.diagnostics
             if d.code.startswith("module-")]
    assert notes == [(
        "main.tf", 1, DiagnosticLevel.NOTE, "module-modelled",
        "module 'bucket': remote source 'terraform-aws-modules/s3-bucket/aws' is modelled, not "
        "fetched: remit's model of terraform-aws-modules/s3-bucket/aws < 3.9.0 gives the bucket, "
        "its public access block, versioning, logging, encryption and policy",
    )]


def test_defaults_follow_the_version(tmp_path: Path) -> None:
    # 3.9.0 made the four settings default to true, and without a constraint Terraform
    # takes the newest release.
    result = run(tmp_path, 'module "b" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n'
                           '  versioning = { enabled = true }\n}\n', ["DAT001", "DAT002"])
    assert found(result) == []
    [note] = [d for d in result.diagnostics if d.code == "module-modelled"]
    assert note.message.endswith("; no version constraint: Terraform installs the newest "
                                 "release; the model of >= 3.9.0 is used")


def test_unknown_inputs_stay_unknown(tmp_path: Path) -> None:
    result = run(tmp_path, 'variable "open" {\n  type = bool\n}\n'
                           'module "b" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n'
                           '  version = "~> 4.0"\n  block_public_acls = var.open\n}\n', ["DAT001"])
    assert found(result) == []
    assert [(u.rule.id, u.span.start_line, u.address) for u in result.undetermined
            if u.rule.id == "DAT001"] == [("DAT001", 4, "module.b.aws_s3_bucket.this[0]")]


def test_outputs_link_the_modelled_bucket(tmp_path: Path) -> None:
    # The module's own block is turned off; a block outside attaches to its bucket by output.
    text = """\
module "b" {
  source               = "terraform-aws-modules/s3-bucket/aws"
  version              = "3.7.0"
  attach_public_policy = false
}

resource "aws_s3_bucket_public_access_block" "outside" {
  bucket                  = module.b.s3_bucket_id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}
"""
    result = run(tmp_path, text, ["DAT001"])
    assert [(f.span.start_line, f.address, f.attribute) for f in result.findings] == [
        (12, "module.b.aws_s3_bucket.this[0]", "restrict_public_buckets")]


def test_instances_of_a_modelled_call(tmp_path: Path) -> None:
    text = """\
module "b" {
  source   = "terraform-aws-modules/s3-bucket/aws"
  version  = "3.7.0"
  for_each = toset(["a", "z"])
  bucket   = each.key
  versioning = { enabled = true }
  logging = { target_bucket = "logs" }
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = each.key == "a"
}
"""
    result = run(tmp_path, text, ["DAT001"])
    assert found(result) == [(
        "DAT001", 11, 'module.b["z"].aws_s3_bucket.this[0]',
        'S3 bucket module.b["z"].aws_s3_bucket.this[0]: public access block setting '
        f"restrict_public_buckets is false ({S3} < 3.9.0)")]


def test_a_block_in_the_call_is_read_as_the_argument_with_a_warning(tmp_path: Path) -> None:
    text = """\
module "b" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "3.7.0"
  logging {
    target_bucket = "logs"
  }
}
"""
    result = run(tmp_path, text, ["LOG001"])
    assert found(result) == []
    [warning] = [d for d in result.diagnostics if d.code == "module-block-argument"]
    assert (warning.line, warning.level, warning.message) == (
        4, DiagnosticLevel.WARNING,
        "module 'b': Terraform refuses a block ('logging') in a module call, which takes "
        "arguments only; remit reads it as the argument `logging`")


def test_a_policy_is_attached_only_with_attach_policy(tmp_path: Path) -> None:
    policy = ('jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", '
              'Principal = "*", Action = "s3:GetObject", Resource = "*" }] })')
    text = (f'module "kept" {{\n  source  = "terraform-aws-modules/s3-bucket/aws"\n'
            f'  version = "3.7.0"\n  policy  = {policy}\n}}\n'
            f'module "attached" {{\n  source  = "terraform-aws-modules/s3-bucket/aws"\n'
            f'  version = "3.7.0"\n  attach_policy = true\n  policy  = {policy}\n}}\n')
    result = run(tmp_path, text, ["DAT015"])
    assert [(f.address, f.span.start_line) for f in result.findings] == [
        ("module.attached.aws_s3_bucket_policy.this[0]", 10)]


# ----------------------------------------------------------------------------- other modules


def test_rds_instance(tmp_path: Path) -> None:
    text = """\
module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 3.0"

  identifier                 = "db"
  engine                     = "mysql"
  publicly_accessible        = true
  auto_minor_version_upgrade = false
}
"""
    result = run(tmp_path, text, ["DAT004", "NET002", "PAT001"])
    db = "module.db.module.db_instance.aws_db_instance.this[0]"
    assert [(f.rule.id, f.span.start_line, f.address) for f in result.findings] == [
        ("DAT004", 1, db), ("NET002", 7, db), ("PAT001", 8, db)]
    assert all(f.message.endswith("(modelled from terraform-aws-modules/rds/aws < 4.0.0)")
               for f in result.findings)


def test_vpc_flow_log(tmp_path: Path) -> None:
    text = ('module "on" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "3.7.0"\n'
            '  enable_flow_log = true\n}\n'
            'module "off" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "3.7.0"\n}\n')
    result = run(tmp_path, text, ["LOG004"])
    assert found(result) == [(
        "LOG004", 6, "module.off.aws_vpc.this[0]",
        "VPC module.off.aws_vpc.this[0] has no flow log "
        "(modelled from terraform-aws-modules/vpc/aws < 4.0.0)")]


def test_vpc_public_subnets(tmp_path: Path) -> None:
    # Before 4.0.0 the module's public subnets map public IPs by default; without public
    # subnets, map_public_ip_on_launch creates nothing.
    text = """\
module "old" {
  source         = "terraform-aws-modules/vpc/aws"
  version        = "3.7.0"
  public_subnets = ["10.0.101.0/24", "10.0.102.0/24"]
}
module "new" {
  source         = "terraform-aws-modules/vpc/aws"
  version        = "~> 5.0"
  public_subnets = ["10.1.101.0/24"]
}
module "none" {
  source                  = "terraform-aws-modules/vpc/aws"
  version                 = "3.7.0"
  private_subnets         = ["10.2.1.0/24"]
  map_public_ip_on_launch = true
}
"""
    result = run(tmp_path, text, ["NET008"])
    [finding] = result.findings
    assert (finding.span.start_line, finding.address) == (1, "module.old.aws_subnet.public[0]")
    assert finding.message.endswith(
        "(modelled from terraform-aws-modules/vpc/aws < 4.0.0) (the same in 2 instances: "
        "module.old.aws_subnet.public[0], module.old.aws_subnet.public[1])")


def test_security_group_named_rules(tmp_path: Path) -> None:
    text = """\
module "sg" {
  source              = "terraform-aws-modules/security-group/aws"
  version             = "4.3.0"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["rdp-tcp", "no-such-rule"]
  ingress_with_cidr_blocks = [
    { rule = "ssh-tcp", cidr_blocks = "10.0.0.0/8" },
    { from_port = 0, to_port = 65535, protocol = "tcp" },
  ]
}
"""
    result = run(tmp_path, text, ["NET001"])
    group = "module.sg.aws_security_group.this_name_prefix[0]"
    assert [(f.span.start_line, f.address) for f in result.findings] == [(4, group), (4, group)]
    assert sorted(f.message.split(" (rule in ")[1].split(")")[0] for f in result.findings) == [
        "module.sg.aws_security_group_rule.ingress_rules[0]",
        "module.sg.aws_security_group_rule.ingress_with_cidr_blocks[1]",
    ]


def test_modules_not_modelled_keep_the_unresolved_note(tmp_path: Path) -> None:
    result = run(tmp_path, 'module "k" {\n  source  = "terraform-aws-modules/eks/aws"\n'
                           '  version = "~> 20.0"\n}\n')
    assert [(d.line, d.code) for d in result.diagnostics if d.code.startswith("module-")] == [
        (1, "module-not-resolved")]


def test_the_deny_insecure_transport_switch_adds_the_deny_statement(tmp_path: Path) -> None:
    result = run(tmp_path, """\
module "logs" {
  source                                = "terraform-aws-modules/s3-bucket/aws"
  version                               = "~> 4.0"
  attach_deny_insecure_transport_policy = true
}

module "plain" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"
}
""", rules=["DAT016"])
    assert [(rule, line) for rule, line, *_ in found(result)] == [("DAT016", 7)]


# ----------------------------------------------------------------------------- autoscaling

ASG = "modelled from terraform-aws-modules/autoscaling/aws"


@pytest.mark.parametrize(("constraint", "label"), [
    ("1.0.4", "< 4.0.0"), ("~> 3.0", "< 4.0.0"), ("~> 4.0", "4.x"), ("~> 6.0", ">= 5.0.0"),
    (None, ">= 5.0.0"),
])
def test_autoscaling_eras(constraint: str | None, label: str) -> None:
    assert choose_era(MODELS["autoscaling"], constraint)[0].label == label


def test_autoscaling_launch_configuration_before_4(tmp_path: Path) -> None:
    # Lists of maps as in the module's 1.x-3.x README; the findings are on the items.
    text = """\
module "asg" {
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "1.0.4"

  lc_name       = "example-lc"
  image_id      = "ami-ebd02392"
  instance_type = "t2.micro"

  ebs_block_device = [
    {
      device_name = "/dev/xvdz"
      volume_size = "50"
    },
    { device_name = "/dev/xvdy", encrypted = "true" },
  ]
  root_block_device = [
    {
      volume_size = "50"
      encrypted   = false
    }
  ]
  associate_public_ip_address = true
}
"""
    result = run(tmp_path, text, ["DAT003", "NET006"])
    lc = "module.asg.aws_launch_configuration.this[0]"
    assert [(rule, line, address) for rule, line, address, _ in found(result)] == [
        ("DAT003", 10, lc), ("DAT003", 19, lc), ("NET006", 22, lc)]
    assert all(f.message.endswith(f"({ASG} < 4.0.0)") for f in result.findings)


def test_autoscaling_root_volume_without_encrypted_is_undecided(tmp_path: Path) -> None:
    text = ('module "asg" {\n  source  = "terraform-aws-modules/autoscaling/aws"\n'
            '  version = "~> 3.0"\n  root_block_device = [{ volume_size = "50" }]\n}\n')
    result = run(tmp_path, text, ["DAT003", "NET006"])
    assert found(result) == []
    assert [(u.rule.id, u.span.start_line) for u in result.undetermined
            if u.rule.id == "DAT003"] == [("DAT003", 4)]


def test_autoscaling_launch_template_from_5(tmp_path: Path) -> None:
    text = """\
module "asg" {
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "~> 6.0"

  name = "web"
  block_device_mappings = [
    {
      device_name = "/dev/xvda"
      ebs = { volume_size = 20, encrypted = true }
    },
    {
      device_name = "/dev/sdf"
      ebs = {
        volume_size = 100
      }
    },
  ]
  network_interfaces = [
    { device_index = 0, associate_public_ip_address = true },
  ]
  metadata_options = { http_tokens = "optional" }
}
"""
    result = run(tmp_path, text, ["DAT003", "NET006"])
    lt = "module.asg.aws_launch_template.this[0]"
    assert found(result) == [
        ("DAT003", 13, lt, f"EBS volume block_device_mappings[/dev/sdf] of {lt} is not encrypted "
                           f"(encryption is off by default) ({ASG} >= 5.0.0)"),
        ("NET006", 19, lt, f"EC2 launch template {lt} asks for a public IPv4 address ({ASG} >= 5.0.0)"),
    ]


def test_autoscaling_toggles(tmp_path: Path) -> None:
    volumes = 'ebs_block_device = [{ device_name = "/dev/sdf", encrypted = "false" }]'
    mappings = 'block_device_mappings = [{ device_name = "/dev/sdf", ebs = { encrypted = false } }]'
    text = f"""\
module "lc_off" {{
  source    = "terraform-aws-modules/autoscaling/aws"
  version   = "3.9.0"
  create_lc = false
  {volumes}
}}
module "v4_default" {{
  source  = "terraform-aws-modules/autoscaling/aws"
  version = "~> 4.0"
  {volumes}
  {mappings}
}}
module "lt_off" {{
  source                 = "terraform-aws-modules/autoscaling/aws"
  version                = "~> 6.0"
  create_launch_template = false
  {mappings}
}}
module "no_lc_after_5" {{
  source    = "terraform-aws-modules/autoscaling/aws"
  version   = "~> 6.0"
  create_launch_template = false
  create_lc = true
  {volumes}
}}
module "v4_lt" {{
  source    = "terraform-aws-modules/autoscaling/aws"
  version   = "~> 4.0"
  create_lt = true
  {volumes}
  {mappings}
}}
"""
    result = run(tmp_path, text, ["DAT003"])
    assert [(line, address) for _, line, address, _ in found(result)] == [
        (31, "module.v4_lt.aws_launch_template.this[0]")]
    assert not [u for u in result.undetermined if u.rule.id == "DAT003"]


def test_autoscaling_unknown_inputs_stay_silent(tmp_path: Path) -> None:
    text = """\
variable "wanted" {
  type = bool
}
variable "volumes" {
  type = any
}
module "maybe" {
  source                 = "terraform-aws-modules/autoscaling/aws"
  version                = "~> 6.0"
  create_launch_template = var.wanted
  block_device_mappings  = [{ device_name = "/dev/sdf", ebs = { encrypted = false } }]
  network_interfaces     = [{ associate_public_ip_address = true }]
}
module "given" {
  source           = "terraform-aws-modules/autoscaling/aws"
  version          = "~> 3.0"
  ebs_block_device = var.volumes
}
"""
    result = run(tmp_path, text, ["DAT003", "NET006"])
    assert found(result) == []
    assert sorted((u.rule.id, u.span.start_line, u.address) for u in result.undetermined
                  if u.rule.id in ("DAT003", "NET006")) == [
        ("DAT003", 7, "module.maybe.aws_launch_template.this[0]"),
        ("DAT003", 14, "module.given.aws_launch_configuration.this[0]"),  # the root volume
        ("DAT003", 17, "module.given.aws_launch_configuration.this[0]"),
        ("NET006", 7, "module.maybe.aws_launch_template.this[0]"),
    ]
