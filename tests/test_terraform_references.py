"""References to another resource's configured arguments: `aws_vpc.main.cidr_block` is the
value the configuration gives it, known at plan time; what the provider computes or defaults
(`id`, `arn`, an argument left unset), a data source's attributes and anything along a
reference cycle stay Unknown."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from checks.registry import BY_ID
from scanner.engine import ScanResult, scan
from scanner.terraform.evaluate import Partial
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.values import Node, Unknown

PRELUDE = """\
variable "cidr" {
  default = "10.1.0.0/16"
}

variable "unknown" {}

locals {
  base = "10.2.0.0/16"
}

resource "aws_vpc" "from_var" {
  cidr_block = var.cidr
}

resource "aws_vpc" "from_local" {
  cidr_block = local.base
  tags       = { Name = "main" }
}

resource "aws_subnet" "counted" {
  count      = 2
  vpc_id     = aws_vpc.from_var.id
  cidr_block = cidrsubnet(aws_vpc.from_var.cidr_block, 8, count.index)
}

resource "aws_subnet" "keyed" {
  for_each   = { a = "10.3.0.0/24", b = "10.4.0.0/24" }
  cidr_block = each.value
}

resource "aws_vpc" "unknown_count" {
  count      = length(var.unknown)
  cidr_block = "10.5.0.0/16"
}

resource "aws_vpc" "nulled" {
  cidr_block = null
}

resource "aws_instance" "web" {
  user_data = "#!/bin/sh"
}

resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    cidr_blocks = ["192.0.2.0/24"]
  }
  dynamic "egress" {
    for_each = var.unknown
    content {
      from_port = 443
    }
  }
}

data "aws_vpc" "read" {
  cidr_block = "10.9.0.0/16"
}
"""


def load(src: str, files: dict[str, str] | None = None) -> tuple[dict[str, Node], list[str]]:
    """The `v` argument of every resource that has one, and the diagnostics' messages."""
    parsed = [(name, parse_hcl(text, name)) for name, text in {"main.tf": src, **(files or {})}.items()]
    resources, diagnostics = load_module(ModuleSource(".", parsed))
    values = {r.address: r.body.value["v"] for r in resources if "v" in r.body.value}
    return values, [d.message for d in diagnostics]


def probe(expr: str, prelude: str = PRELUDE) -> Node:
    values, _ = load(f'{prelude}\nresource "null_resource" "probe" {{\n  v = {expr}\n}}\n')
    return values["null_resource.probe"]


@pytest.mark.parametrize(("expr", "expected"), [
    ("aws_vpc.from_var.cidr_block", "10.1.0.0/16"),
    ("aws_vpc.from_local.cidr_block", "10.2.0.0/16"),
    ('aws_vpc.from_local.tags["Name"]', "main"),
    ('aws_vpc.from_var["cidr_block"]', "10.1.0.0/16"),
    ("aws_subnet.counted[1].cidr_block", "10.1.1.0/24"),
    ("aws_subnet.counted[*].cidr_block", ["10.1.0.0/24", "10.1.1.0/24"]),
    ('aws_subnet.keyed["b"].cidr_block', "10.4.0.0/24"),
    ("[for s in aws_subnet.keyed : s.cidr_block]", ["10.3.0.0/24", "10.4.0.0/24"]),
    ("aws_vpc.from_var[*].cidr_block", ["10.1.0.0/16"]),  # a splat on one instance
    ("aws_security_group.sg.ingress[0].cidr_blocks", ["192.0.2.0/24"]),
    ("aws_security_group.sg.ingress[*].from_port", [22]),
    ('"${aws_vpc.from_var.cidr_block}"', "10.1.0.0/16"),
])
def test_a_configured_argument_is_known(expr: str, expected: Any) -> None:
    assert probe(expr).plain() == expected


@pytest.mark.parametrize(("expr", "reason"), [
    ("aws_vpc.from_var.id", "aws_vpc.from_var.id is known only after apply"),
    ("aws_vpc.from_var.enable_dns_support", "is known only after apply"),  # not set: defaulted
    ("aws_vpc.from_var.tags_all", "is known only after apply"),
    ("aws_vpc.nulled.cidr_block", "is known only after apply"),  # null is not set
    ("aws_security_group.sg.ingress[0].to_port", "ingress[0].to_port is known only after apply"),
    ("aws_security_group.sg.egress[0].from_port", "how many aws_security_group.sg.egress blocks"),
    ("aws_subnet.counted.cidr_block", "a list index must be a number"),  # Terraform refuses it
    ("aws_vpc.unknown_count[0].cidr_block", "known only after apply"),
    ("data.aws_vpc.read.cidr_block", "data.aws_vpc.read.cidr_block is known only after apply"),
    ("aws_instance.web.user_data", "user_data is known only after apply"),  # kept as a hash
    ("aws_vpc.from_var", "aws_vpc.from_var attributes are known only after apply"),
    ("jsonencode(aws_vpc.from_var)", ""),
])
def test_what_the_provider_decides_stays_unknown(expr: str, reason: str) -> None:
    node = probe(expr)
    assert isinstance(node.value, Unknown), node.value
    assert reason in node.value.reason


def test_an_unknown_attribute_still_names_its_resource() -> None:
    assert probe("aws_vpc.from_var.id").value.refs == (".::aws_vpc.from_var",)
    assert probe("aws_subnet.counted[1].id").value.refs == ('.::aws_subnet.counted[1]',)


def test_an_arn_is_known_to_be_an_arn() -> None:
    arn = "arn:" + Unknown.PIECE
    assert probe("aws_vpc.from_var.arn").value.known == arn
    assert probe("data.aws_vpc.read.arn").value.known == arn
    assert probe('"${aws_vpc.from_var.arn}/*"').value.known == arn + "/*"
    assert probe("null_resource.other.arn", 'resource "null_resource" "other" {}').value.known is None


def test_a_data_source_looked_up_by_arn_has_that_arn() -> None:
    """`data.aws_iam_policy.x.arn` is the ARN it was asked for (the read fails otherwise);
    its other attributes, and the ARN of one looked up by name, are read from AWS."""
    prelude = ('data "aws_iam_policy" "admin" {\n  arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
               'data "aws_iam_policy" "named" {\n  name = "ReadOnlyAccess"\n}\n')
    assert probe("data.aws_iam_policy.admin.arn", prelude).plain() == \
        "arn:aws:iam::aws:policy/AdministratorAccess"
    assert isinstance(probe("data.aws_iam_policy.admin.name", prelude).value, Unknown)
    assert probe("data.aws_iam_policy.named.arn", prelude).value.known == "arn:" + Unknown.PIECE


def test_the_value_comes_from_the_referenced_argument() -> None:
    node = probe("aws_vpc.from_var.cidr_block")
    assert node.span.start_line == PRELUDE.count("\n") + 3  # placed where the reference is
    assert [(p.file, p.start_line) for p in node.provenance] == [("main.tf", 12), ("main.tf", 2)]


def test_references_reach_resources_declared_later_and_in_other_files() -> None:
    values, _ = load('resource "null_resource" "a" {\n  v = aws_vpc.later.cidr_block\n}\n'
                     'resource "null_resource" "b" {\n  v = aws_vpc.elsewhere.cidr_block\n}\n'
                     'resource "aws_vpc" "later" {\n  cidr_block = "10.0.0.0/16"\n}\n',
                     {"network.tf": 'resource "aws_vpc" "elsewhere" {\n  cidr_block = "10.7.0.0/16"\n}\n'})
    assert values["null_resource.a"].plain() == "10.0.0.0/16"
    assert values["null_resource.b"].plain() == "10.7.0.0/16"


def test_a_reference_cycle_stays_unknown_and_is_reported_once() -> None:
    values, messages = load(
        'resource "aws_vpc" "a" {\n  cidr_block = aws_vpc.b.cidr_block\n}\n'
        'resource "aws_vpc" "b" {\n  cidr_block = aws_vpc.a.cidr_block\n}\n'
        'resource "null_resource" "c" {\n  v = aws_vpc.a.cidr_block\n}\n'
        'resource "aws_vpc" "self" {\n  cidr_block = "10.0.0.0/16"\n'
        '  tags       = { Name = aws_vpc.self.cidr_block }\n}\n')
    assert isinstance(values["null_resource.c"].value, Unknown)
    assert [m for m in messages if "cycle" in m] == [
        "aws_vpc.a is part of a reference cycle (Terraform refuses it: Cycle); the values along "
        "it are not known",
        "aws_vpc.self is part of a reference cycle (Terraform refuses it: Cycle); the values "
        "along it are not known"]


def test_a_module_call_argument_is_not_a_cycle(tmp_path: Path) -> None:
    """Terraform evaluates each argument of a module call on its own; remit evaluates them
    all when the module is first used, which may pass through a body being evaluated."""
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "cidr" {}\nvariable "name" {}\noutput "name" {\n  value = var.name\n}\n')
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source = "./mod"\n  cidr   = aws_vpc.a.cidr_block\n  name = "n"\n}\n'
        'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n  tags = { Name = module.m.name }\n}\n')
    result = scan([tmp_path], workers=1)
    assert not [d for d in result.diagnostics if d.code == "reference-cycle"]


def test_a_partial_object_pickles_as_the_unknown_it_stands_for() -> None:
    node = probe("aws_vpc.from_var")
    assert isinstance(node.value, Partial)
    copy = pickle.loads(pickle.dumps(node))
    assert type(copy.value) is Unknown
    assert copy.value.refs == node.value.refs


# -- rule outcomes, from source text ---------------------------------------------------------

SG = """\
resource "aws_security_group" "db" {{
  vpc_id = aws_vpc.main.id
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [{source}]
  }}
}}
"""


def net001(tmp_path: Path, files: dict[str, str]) -> ScanResult:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return scan([tmp_path], rules=[BY_ID["NET001"]], workers=1)


def test_net001_passes_through_a_vpc_cidr(tmp_path: Path) -> None:
    result = net001(tmp_path, {
        "vpc.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
        "sg.tf": SG.format(source="aws_vpc.main.cidr_block")})
    assert not result.findings and not result.undetermined
    assert [p.address for p in result.passed] == ["aws_security_group.db"]


def test_net001_fails_through_a_subnet_cidr_from_a_variable(tmp_path: Path) -> None:
    result = net001(tmp_path, {
        "main.tf": 'variable "open" {\n  default = "0.0.0.0/0"\n}\n'
                   'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
                   'resource "aws_subnet" "public" {\n  cidr_block = var.open\n}\n',
        "sg.tf": SG.format(source="aws_subnet.public.cidr_block")})
    [finding] = result.findings
    assert (finding.span.file, finding.span.start_line) == ("sg.tf", 7)
    assert [(p.file, p.start_line) for p in finding.provenance] == [("main.tf", 8), ("main.tf", 2)]


def test_net001_undecided_through_an_argument_left_to_the_provider(tmp_path: Path) -> None:
    result = net001(tmp_path, {
        "main.tf": 'resource "aws_vpc" "main" {\n  ipv4_ipam_pool_id = "ipam-pool-1"\n}\n',
        "sg.tf": SG.format(source="aws_vpc.main.cidr_block")})
    assert not result.findings
    [undecided] = result.undetermined
    assert "aws_vpc.main.cidr_block is known only after apply" in undecided.reason


def test_net001_through_a_module_output_and_a_resource_passed_whole(tmp_path: Path) -> None:
    result = net001(tmp_path, {
        "modules/net/main.tf": 'variable "cidr" {}\nresource "aws_vpc" "this" {\n'
                               '  cidr_block = var.cidr\n}\noutput "cidr" {\n'
                               '  value = aws_vpc.this.cidr_block\n}\n',
        "modules/sg/main.tf": 'variable "vpc" {}\n' + SG.format(source="var.vpc.cidr_block"),
        "main.tf": 'module "open" {\n  source = "./modules/net"\n  count  = 2\n'
                   '  cidr   = count.index == 0 ? "10.0.0.0/16" : "0.0.0.0/0"\n}\n'
                   'resource "aws_vpc" "main" {\n  cidr_block = "0.0.0.0/0"\n}\n'
                   'module "sg" {\n  source = "./modules/sg"\n  vpc    = aws_vpc.main\n}\n',
        "sg.tf": SG.format(source="module.open[1].cidr").replace('"db"', '"root"'),
        "ok.tf": SG.format(source="module.open[0].cidr").replace('"db"', '"ok"')})
    got = sorted((f.address, f.span.file, f.span.start_line) for f in result.findings)
    assert got == [("aws_security_group.root", "sg.tf", 7),
                   ("module.sg.aws_security_group.db", "modules/sg/main.tf", 8)]
    assert not result.undetermined
