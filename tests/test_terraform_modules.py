"""Terraform configurations with local modules: inputs from the call, outputs back to the
caller, addresses and call chains, instances merged into one finding, and the calls that
are refused (a cycle, a source outside the scan, a remote source) or read from
`.terraform/modules`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from scanner.diagnostics import DiagnosticLevel
from scanner.engine import ScanResult, scan
from scanner.findings import Finding
from scanner.source import Span

SSH_MODULE = """\
variable "name" {
  type = string
}

variable "cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

resource "aws_security_group" "this" {
  name = var.name

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}

output "group_id" {
  value = aws_security_group.this.id
}

output "name" {
  value = "sg-${var.name}"
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run(root: Path, rule: str | None = None) -> ScanResult:
    result = scan([root], workers=1)
    if rule is not None:
        result.findings = [f for f in result.findings if f.rule.id == rule]
    return result


def where(f: Finding) -> tuple[str, int]:
    return f.span.file, f.span.start_line


def chain(spans: tuple[Span, ...]) -> list[tuple[str, int]]:
    return [(s.file, s.start_line) for s in spans]


def resources_of(root: Path) -> dict[str, object]:
    from scanner.discover import discover, scan_root
    from scanner.engine import _load_terraform, _parse_all

    top = scan_root([root])
    files, _ = discover([root], top)
    parsed = _parse_all(files, 1)
    resources, _diags, _more = _load_terraform([p for p in parsed if p.body is not None], top, None)
    return {r.address: r for r in resources}


def test_an_open_ssh_rule_in_a_module_called_twice(tmp_path: Path) -> None:
    """Evidence: one finding per call that opens SSH, on the module's line, with the call."""
    write(tmp_path, {
        "main.tf": """\
module "bastion" {
  source = "./modules/ssh"
  name   = "bastion"
  cidrs  = ["0.0.0.0/0"]
}

module "office" {
  source = "./modules/ssh"
  name   = "office"
  cidrs  = ["10.20.0.0/16"]
}

module "public" {
  source = "./modules/ssh"
  name   = "public"
}
""",
        "modules/ssh/main.tf": SSH_MODULE,
    })
    result = run(tmp_path, "NET001")
    got = [(f.address, where(f), chain(f.call_chain), chain(f.provenance)) for f in result.findings]
    assert got == [
        ("module.bastion.aws_security_group.this", ("modules/ssh/main.tf", 17), [("main.tf", 1)],
         [("main.tf", 4)]),  # the value comes from the call's argument
        ("module.public.aws_security_group.this", ("modules/ssh/main.tf", 17), [("main.tf", 13)],
         [("modules/ssh/main.tf", 7)]),  # not given: the module's default
    ]
    # the module directory is not also scanned as a root module with its defaults
    assert result.resource_count == 3


def test_instances_of_one_call_make_one_finding_that_lists_them(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": """\
module "edge" {
  source   = "./modules/ssh"
  for_each = { eu = "0.0.0.0/0", us = "0.0.0.0/0", ap = "10.0.0.0/8" }
  name     = each.key
  cidrs    = [each.value]
}

module "counted" {
  source = "./modules/ssh"
  count  = 12
  name   = "n${count.index}"
}
""",
        "modules/ssh/main.tf": SSH_MODULE,
    })
    result = run(tmp_path, "NET001")
    assert [(f.address, where(f)) for f in result.findings] == [
        ("module.counted[0].aws_security_group.this", ("modules/ssh/main.tf", 17)),
        ('module.edge["eu"].aws_security_group.this', ("modules/ssh/main.tf", 17)),
    ]
    counted, edge = result.findings
    assert edge.message.endswith(
        '(the same in 2 instances: module.edge["eu"].aws_security_group.this, '
        'module.edge["us"].aws_security_group.this)')
    assert counted.message.endswith(
        "(the same in 12 instances: module.counted[0].aws_security_group.this, "
        "module.counted[1].aws_security_group.this, module.counted[2].aws_security_group.this, "
        "module.counted[3].aws_security_group.this, module.counted[4].aws_security_group.this "
        "and 7 more)")
    assert chain(edge.call_chain) == [("main.tf", 1)]


def test_outputs_flow_back_and_references_cross_the_module_boundary(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": """\
module "office" {
  source = "./modules/ssh"
  name   = "office"
  cidrs  = ["10.0.0.0/8"]
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = module.office.group_id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}

resource "aws_s3_bucket" "named" {
  bucket = module.office.name
}
""",
        "modules/ssh/main.tf": SSH_MODULE,
    })
    resources = resources_of(tmp_path)
    rule = resources["aws_vpc_security_group_ingress_rule.rdp"]
    assert [(r.target, r.attribute) for r in rule.references] == [
        (".::module.office.aws_security_group.this", "security_group_id")]
    named = resources["aws_s3_bucket.named"].body.get("bucket")
    assert named.value == "sg-office"  # a known output value
    assert chain(named.provenance) == [("modules/ssh/main.tf", 26), ("main.tf", 3)]
    [finding] = run(tmp_path, "NET001").findings
    assert (finding.address, where(finding)) == ("module.office.aws_security_group.this", ("main.tf", 9))


def test_nested_modules_and_parent_directories(tmp_path: Path) -> None:
    write(tmp_path, {
        "envs/prod/main.tf": """\
module "network" {
  source = "../../modules/network"
  zones  = { eu = "0.0.0.0/0" }
}

output "groups" {
  value = module.network.groups
}
""",
        "modules/network/main.tf": """\
variable "zones" {
  type = map(string)
}

module "zone" {
  source   = "../ssh"
  for_each = var.zones
  name     = each.key
  cidrs    = [each.value]
}

output "groups" {
  value = { for k, m in module.zone : k => m.group_id }
}
""",
        "modules/ssh/main.tf": SSH_MODULE,
    })
    [finding] = run(tmp_path, "NET001").findings
    assert finding.address == 'module.network.module.zone["eu"].aws_security_group.this'
    assert where(finding) == ("modules/ssh/main.tf", 17)
    assert chain(finding.call_chain) == [("envs/prod/main.tf", 1), ("modules/network/main.tf", 5)]
    resources = resources_of(tmp_path)
    sg = resources['module.network.module.zone["eu"].aws_security_group.this']
    assert sg.id == 'envs/prod::module.network.module.zone["eu"].aws_security_group.this'
    assert sg.scope == "envs/prod"


def test_a_module_never_called_is_a_root_module(tmp_path: Path) -> None:
    write(tmp_path, {"modules/ssh/main.tf": SSH_MODULE})
    [finding] = run(tmp_path, "NET001").findings
    assert (finding.address, finding.call_chain) == ("aws_security_group.this", ())


def test_tfvars_beside_a_called_module_are_not_used(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": 'module "m" {\n  source = "./modules/ssh"\n  name = "m"\n  cidrs = ["10.0.0.0/8"]\n}\n',
        "modules/ssh/main.tf": SSH_MODULE,
        "modules/ssh/terraform.tfvars": 'cidrs = ["0.0.0.0/0"]\n',
    })
    result = run(tmp_path, "NET001")
    assert result.findings == []
    notes = [(d.file, d.code) for d in result.diagnostics]
    assert ("modules/ssh/terraform.tfvars", "not-loaded") in notes


def test_a_cycle_of_module_calls_is_a_diagnostic_not_a_hang(tmp_path: Path) -> None:
    write(tmp_path, {
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_ebs_volume" "a" {\n'
                     '  availability_zone = "x"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        "c/main.tf": 'module "self" {\n  source = "./"\n}\n',
    })
    start = time.monotonic()
    result = run(tmp_path)
    assert time.monotonic() - start < 10
    cycles = sorted((d.file, d.line, d.message) for d in result.diagnostics if d.code == "module-cycle")
    assert cycles == [
        ("b/main.tf", 1, "module 'a': the module calls form a cycle (a -> b -> a); not followed"),
        ("c/main.tf", 1, "module 'self': the module calls form a cycle (c -> c); not followed"),
    ]
    # a was scanned (once), as the root of the cycle
    assert [(f.rule.id, f.address) for f in result.findings] == [("DAT003", "aws_ebs_volume.a")]


def test_a_source_outside_the_scanned_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {
        "outside/main.tf": SSH_MODULE,
        "scanned/main.tf": 'module "x" {\n  source = "../outside"\n  name = "x"\n}\n',
    })
    result = scan([tmp_path / "scanned"], workers=1)
    assert result.findings == []
    [diag] = [d for d in result.diagnostics if d.code == "module-outside-root"]
    assert (diag.file, diag.line, diag.level) == ("main.tf", 2, DiagnosticLevel.WARNING)
    assert "outside the scanned folder" in diag.message


def test_remote_modules_are_reported_once_and_not_fetched(tmp_path: Path) -> None:
    write(tmp_path, {
        # (a registry module remit has no built-in model of; see test_terraform_registry_models)
        "main.tf": 'module "vpc" {\n  source = "acme/vpc/aws"\n}\n'
                   'module "a" {\n  source = "./modules/wrap"\n}\n'
                   'module "b" {\n  source = "./modules/wrap"\n}\n'
                   'resource "aws_flow_log" "f" {\n  vpc_id = module.vpc.vpc_id\n}\n',
        "modules/wrap/main.tf": 'module "inner" {\n  source = "git::https://example.com/x.git"\n}\n',
    })
    result = run(tmp_path)
    notes = sorted((d.file, d.line) for d in result.diagnostics if d.code == "module-not-resolved")
    assert notes == [("main.tf", 1), ("modules/wrap/main.tf", 1)]


def test_copies_from_terraform_init_are_used(tmp_path: Path) -> None:
    manifest = {"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "ssh", "Source": "registry.terraform.io/acme/ssh/aws", "Dir": ".terraform/modules/ssh"},
        {"Key": "wrap", "Source": "git::https://example.com/wrap.git", "Dir": ".terraform/modules/wrap"},
        {"Key": "wrap.inner", "Source": "registry.terraform.io/acme/ssh/aws",
         "Dir": ".terraform/modules/wrap.inner"},
    ]}
    write(tmp_path, {
        "main.tf": 'module "ssh" {\n  source  = "acme/ssh/aws"\n  version = "1.0.0"\n'
                   '  name    = "from-registry"\n}\n'
                   'module "wrap" {\n  source = "git::https://example.com/wrap.git"\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
        ".terraform/modules/ssh/main.tf": SSH_MODULE,
        ".terraform/modules/wrap/main.tf": 'module "inner" {\n  source = "acme/ssh/aws"\n'
                                           '  name   = "inner"\n  cidrs  = ["10.0.0.0/8"]\n}\n',
        ".terraform/modules/wrap.inner/main.tf": SSH_MODULE,
    })
    result = run(tmp_path, "NET001")
    [finding] = result.findings
    assert finding.address == "module.ssh.aws_security_group.this"
    # The copy under .terraform is not in the repository: the finding is on the call, whose
    # module's default let the internet in.
    assert where(finding) == ("main.tf", 1)
    assert chain(finding.call_chain) == [("main.tf", 1)]
    assert not [d for d in result.diagnostics if d.code == "module-not-resolved"]
    resources = resources_of(tmp_path)
    assert sorted(resources) == ["module.ssh.aws_security_group.this",
                                 "module.wrap.module.inner.aws_security_group.this"]


def test_a_finding_in_a_fetched_copy_lands_on_the_argument_that_gave_the_value(
        tmp_path: Path) -> None:
    manifest = {"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "wrap", "Source": "git::https://example.com/wrap.git", "Dir": ".terraform/modules/wrap"},
        {"Key": "wrap.inner", "Source": "registry.terraform.io/acme/ssh/aws",
         "Dir": ".terraform/modules/wrap.inner"},
    ]}
    write(tmp_path, {
        "main.tf": 'module "wrap" {\n  source = "git::https://example.com/wrap.git"\n'
                   '  cidrs  = ["0.0.0.0/0"]\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
        ".terraform/modules/wrap/main.tf": 'variable "cidrs" {}\nmodule "inner" {\n'
                                           '  source = "acme/ssh/aws"\n  name   = "inner"\n'
                                           '  cidrs  = var.cidrs\n}\n',
        ".terraform/modules/wrap.inner/main.tf": SSH_MODULE,
    })
    for result in (run(tmp_path, "NET001"), scan([tmp_path / "main.tf"], workers=1)):
        [finding] = [f for f in result.findings if f.rule.id == "NET001"]
        assert finding.address == "module.wrap.module.inner.aws_security_group.this"
        assert where(finding) == ("main.tf", 3)
        assert chain(finding.call_chain) == [("main.tf", 1)]
        assert not [p for p in finding.provenance if ".terraform" in p.file]


def test_module_count_zero_and_unknown_count(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": """\
variable "n" {
  type = number
}

module "none" {
  source = "./modules/ssh"
  count  = 0
  name   = "none"
}

module "some" {
  source = "./modules/ssh"
  count  = var.n
  name   = "some"
}

resource "aws_s3_bucket" "b" {
  bucket = length(module.none) == 0 ? "empty" : "full"
}
""",
        "modules/ssh/main.tf": SSH_MODULE,
    })
    resources = resources_of(tmp_path)
    assert sorted(resources) == ["aws_s3_bucket.b", "module.some.aws_security_group.this"]
    assert resources["aws_s3_bucket.b"].body.get("bucket").value == "empty"


def test_path_module_and_file_read_from_the_module(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": 'module "iam" {\n  source = "./modules/iam"\n}\n',
        "modules/iam/main.tf": 'resource "aws_iam_policy" "p" {\n'
                               '  policy = file("${path.module}/policy.json")\n}\n',
        "modules/iam/policy.json": '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    })
    [finding] = run(tmp_path, "IAM001").findings
    assert (finding.address, where(finding)) == ("module.iam.aws_iam_policy.p", ("modules/iam/main.tf", 2))


def test_module_outputs_that_refer_to_each_other_through_calls_do_not_hang(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./m"\n  x = module.b.out\n}\n'
                   'module "b" {\n  source = "./m"\n  x = module.a.out\n}\n',
        "m/main.tf": 'variable "x" {}\noutput "out" {\n  value = var.x\n}\n'
                     'resource "aws_s3_bucket" "b" {\n  bucket = var.x\n}\n',
    })
    resources = resources_of(tmp_path)
    assert sorted(resources) == ["module.a.aws_s3_bucket.b", "module.b.aws_s3_bucket.b"]
    assert resources["module.a.aws_s3_bucket.b"].body.get("bucket").unknown


def test_a_module_called_by_a_named_file_is_reported_through_the_call(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": 'module "m" {\n  source = "./modules/ssh"\n  name = "m"\n}\n'
                   'resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n}\n',
        "other.tf": 'module "o" {\n  source = "./modules/ssh"\n  name = "o"\n}\n',
        "modules/ssh/main.tf": SSH_MODULE,
    })
    result = scan([tmp_path / "main.tf"], workers=1)
    # The named file's own finding, and the module instance it calls; not the other file's call.
    assert sorted((f.rule.id, f.address) for f in result.findings) == [
        ("DAT003", "aws_ebs_volume.v"), ("NET001", "module.m.aws_security_group.this")]


def test_modules_in_sarif_are_related_locations(tmp_path: Path) -> None:
    from scanner.report.sarif import render

    write(tmp_path, {
        "main.tf": 'module "m" {\n  source = "./modules/ssh"\n  name = "m"\n}\n',
        "modules/ssh/main.tf": SSH_MODULE,
    })
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        log = json.loads(render(scan([Path(".")], workers=1)))
    finally:
        os.chdir(cwd)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "NET001"]
    related = [(loc["physicalLocation"]["artifactLocation"]["uri"],
                loc["physicalLocation"]["region"]["startLine"], loc["message"]["text"])
               for loc in result["relatedLocations"]]
    assert ("main.tf", 1, "Instantiated by this module call.") in related
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "modules/ssh/main.tf"


@pytest.mark.parametrize("count", [2000])
def test_many_module_instances_stay_fast(tmp_path: Path, count: int) -> None:
    write(tmp_path, {
        "main.tf": f'module "m" {{\n  source = "./modules/ssh"\n  count = {count}\n  name = "x"\n}}\n',
        "modules/ssh/main.tf": SSH_MODULE,
    })
    start = time.monotonic()
    result = run(tmp_path, "NET001")
    assert len(result.findings) == 1
    assert f"the same in {count} instances" in result.findings[0].message
    assert time.monotonic() - start < 30
