"""Terraform evaluation, from source text to values: templates, heredocs, operators, `for`,
splats, functions, locals, variables and tfvars, count/for_each instances, references
between instances, and where each value came from."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from scanner.diagnostics import Diagnostic
from scanner.engine import scan
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.terraform import evaluate
from scanner.terraform import syntax as s
from scanner.terraform.evaluate import Context, Evaluator
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.values import Node, Unknown


def load(src: str, tfvars: str = "") -> tuple[dict[str, Resource], list[Diagnostic]]:
    """The resources of a one-file module `main.tf`, with `terraform.tfvars` if given."""
    given: dict[str, Node] = {}
    if tfvars:
        for name, attr in parse_hcl(tfvars, "terraform.tfvars").attributes.items():
            given[name] = Evaluator(Context()).safe(attr.expr)
    body = parse_hcl(src, "main.tf")
    resources, diagnostics = load_module(ModuleSource(".", [("main.tf", body)]), given)
    return {r.address: r for r in resources}, diagnostics


def probe(expr: str, prelude: str = "") -> Node:
    """The value of `v = <expr>` in a resource after `prelude` (locals, variables...)."""
    src = f'{prelude}\nresource "null_resource" "probe" {{\n  v = {expr}\n}}\n'
    resources, _ = load(src)
    node = resources["null_resource.probe"].body.get("v")
    assert node is not None
    return node


def value(expr: str, prelude: str = "") -> Any:
    return probe(expr, prelude).plain()


def unknown(expr: str, prelude: str = "") -> str:
    """The reason an expression is not known (fails the test if it is known)."""
    got = probe(expr, prelude).value
    assert isinstance(got, Unknown), f"{expr} evaluated to {got!r}"
    return got.reason


def lines(spans: tuple[Span, ...]) -> list[tuple[str, int]]:
    return [(sp.file, sp.start_line) for sp in spans]


# -- string templates ---------------------------------------------------------------

TEMPLATE_LOCALS = """\
locals {
  name  = "world"
  count = 2
}
"""


@pytest.mark.parametrize(("expr", "expected"), [
    ('"hello ${local.name}!"', "hello world!"),
    ('"%{ if local.count > 1 }many%{ else }one%{ endif }"', "many"),
    ('"%{ if local.count > 5 }many%{ else }one%{ endif }"', "one"),
    ('"%{ for i, x in ["a", "b"] }${i}:${x};%{ endfor }"', "0:a;1:b;"),
    ('"%{ for k, v in { b = 2, a = 1 } }${k}=${v} %{ endfor }"', "a=1 b=2 "),
    # strip markers remove the white space beside them
    ('"%{~ for x in ["a", "b"] ~} ${x} %{~ endfor ~}"', "ab"),
    ('"x  %{~ if true ~}  yes  %{~ else ~} no %{~ endif ~}  y"', "xyesy"),
    # escapes: $${ and %%{ are literal; backslash escapes
    ('"$${literal} %%{ not } \\"q\\" \\u00e9\\t."', '${literal} %{ not } "q" \u00e9\t.'),
    ('"n=${local.count + 1}"', "n=3"),
    ('"${true}/${1.5}/${10}"', "true/1.5/10"),
])
def test_string_templates(expr: str, expected: str) -> None:
    assert value(expr, TEMPLATE_LOCALS) == expected


def test_a_single_interpolation_keeps_the_type_of_its_value() -> None:
    assert value('"${[1, 2]}"') == [1, 2]
    assert value('"${local.count}"', TEMPLATE_LOCALS) == 2


def test_a_template_with_a_part_known_only_after_apply_is_unknown() -> None:
    prelude = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    assert unknown('"${aws_s3_bucket.b.arn}/*"', prelude) == "a template with unknown parts"


def test_a_template_value_remembers_the_local_it_used() -> None:
    node = probe('"hello ${local.name}"', TEMPLATE_LOCALS)
    assert node.value == "hello world"
    assert ("main.tf", 2) in lines(node.provenance)  # name = "world"


# -- heredocs -----------------------------------------------------------------------

HEREDOCS = """\
locals {
  plain = <<EOT
first ${var.x}
second
  third ${var.y} and ${
    var.z
  }
EOT
  trimmed = <<-EOT
    indented ${var.x}
      more ${ var.y }
    last
  EOT
  after = 1
}
"""


def _heredoc_parts(name: str) -> list[s.TemplatePart]:
    body = parse_hcl(HEREDOCS, "main.tf")
    expr = body.blocks[0].body.attributes[name].expr
    assert isinstance(expr, s.Template)
    return expr.parts


def _where(part: s.TemplatePart) -> tuple[str, int, int]:
    assert isinstance(part, s.GetAttr)
    return part.name, part.span.start_line, part.span.start_column


def test_heredoc_interpolations_are_placed_on_their_lines_and_columns() -> None:
    parts = _heredoc_parts("plain")
    assert [p for p in parts if isinstance(p, str)] == [
        "first ", "\nsecond\n  third ", " and ", "\n"]
    assert [_where(p) for p in parts if not isinstance(p, str)] == [
        ("x", 3, 9), ("y", 5, 11), ("z", 6, 5)]  # var.z: the line after "${"


def test_indented_heredoc_removes_the_common_indentation_but_keeps_columns() -> None:
    parts = _heredoc_parts("trimmed")
    assert [p for p in parts if isinstance(p, str)] == ["indented ", "\n  more ", "\nlast\n"]
    assert [_where(p) for p in parts if not isinstance(p, str)] == [("x", 10, 16), ("y", 11, 15)]


def test_heredoc_spans_end_on_the_closing_marker() -> None:
    attrs = parse_hcl(HEREDOCS, "main.tf").blocks[0].body.attributes
    plain, trimmed, after = attrs["plain"].span, attrs["trimmed"].span, attrs["after"].span
    assert (plain.start_line, plain.end_line, plain.end_column) == (2, 8, 4)
    assert (trimmed.start_line, trimmed.end_line, trimmed.end_column) == (9, 13, 6)
    assert (after.start_line, after.end_line) == (14, 14)


def test_heredoc_values() -> None:
    prelude = 'variable "who" {\n  default = "ops"\n}\n'
    assert value('<<EOT\nhello ${var.who}\n  bye\nEOT', prelude) == "hello ops\n  bye\n"
    assert value('<<-EOT\n    hello ${var.who}\n      bye\n  EOT', prelude) == "hello ops\n  bye\n"
    assert value('<<-EOT\n  %{~ if var.who == "ops" ~}\n  0.0.0.0/0\n  %{~ else ~}\n'
                 '  10.0.0.0/8\n  %{~ endif ~}\nEOT', prelude) == "0.0.0.0/0"
    assert value('<<EOT\n[%{ for x in ["a", "b"] ~}\n  "${x}",\n%{~ endfor ~}\n]\nEOT') \
        == '["a","b",]\n'


def test_a_heredoc_policy_finding_points_inside_the_heredoc(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
variable "action" {
  default = "*"
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<-EOT
    {
      "Statement": [{
        "Effect": "Allow",
        "Resource": "*",
        "Action": "${var.action}"
      }]
    }
  EOT
}
""")
    result = scan([tmp_path], workers=1)
    assert [(f.rule.id, f.span.start_line) for f in result.findings] == [("IAM001", 12)]


# -- operators and conditionals ---------------------------------------------------------

@pytest.mark.parametrize(("expr", "expected"), [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("7 / 2", 3.5),
    ("6 / 2", 3),
    ("7 % 3", 1),
    ("-5 + 2", -3),
    ("10 - 2 - 3", 5),
    ('"2" + 1', 3),  # numbers written as strings convert
    ("!true", False),
    ("!false && true", True),
    ("false || 3 > 2", True),
    ("3 >= 3 && 2 < 1", False),
    ("1 == 1.0", True),
    ('"1" == 1', False),  # no conversion for equality
    ('"a" != "b"', True),
    ("[1, 2] == [1, 2]", True),
    ("{ a = 1 } == { a = 1 }", True),
    ("null == null", True),
    ('1 < 2 ? "yes" : "no"', "yes"),
    ('false ? "yes" : (true ? "inner" : "no")', "inner"),
    ('"true" ? 1 : 2', 1),  # a "true" string is a boolean
])
def test_operators_and_conditionals(expr: str, expected: Any) -> None:
    got = value(expr)
    assert got == expected
    assert type(got) is type(expected)


def test_unknown_operands() -> None:
    prelude = 'resource "aws_instance" "x" {\n  ami = "a"\n}\n'
    assert unknown('aws_instance.x.id == "a"', prelude) == "an operand is not known"
    assert unknown('aws_instance.x.id == "a" ? 1 : 2', prelude).startswith("condition not known")
    # && and || decide without the unknown side when the known side is enough
    assert value('false && aws_instance.x.id == "a"', prelude) is False
    assert value('true || aws_instance.x.id == "a"', prelude) is True
    assert value('aws_instance.x.id == "a" || true', prelude) is True
    assert value('aws_instance.x.id == "a" && false', prelude) is False


def test_errors_terraform_would_report_are_unknown() -> None:
    assert unknown("1 / 0") == "division by zero"
    assert unknown('"a" + 1') == "a number is required, not 'a'"
    assert unknown("local.nope") == "local.nope is not declared"
    assert unknown("var.nope") == "var.nope is not declared"
    assert unknown("[1, 2][5]") == "index 5 out of range for a list of 2"


# -- for expressions and splats --------------------------------------------------------

@pytest.mark.parametrize(("expr", "expected"), [
    ("[for x in [1, 2, 3, 4] : x * 10 if x % 2 == 0]", [20, 40]),
    ('[for i, v in ["a", "b"] : "${i}=${v}"]', ["0=a", "1=b"]),
    ("[for k, v in { b = 2, a = 1 } : k]", ["a", "b"]),  # maps iterate in key order
    ("{ for k, v in { b = 2, a = 1 } : upper(k) => v + 1 }", {"A": 2, "B": 3}),
    ('{ for s in ["x", "y", "x"] : s => s... }', {"x": ["x", "x"], "y": ["y"]}),
    ('{ for p in [{ n = "a", port = 1 }, { n = "b", port = 2 }] : p.n => p.port if p.port > 1 }',
     {"b": 2}),
    ("[for x in [] : x]", []),
    ("[for x in [[1, 2], [3]] : [for y in x : y * 2]]", [[2, 4], [6]]),
])
def test_for_expressions(expr: str, expected: Any) -> None:
    assert value(expr) == expected


def test_for_expression_errors_and_unknowns() -> None:
    assert unknown('{ for s in ["x", "x"] : s => 1 }') == "duplicate key 'x' in for expression"
    prelude = 'variable "items" {}\n'
    assert unknown("[for x in var.items : x]", prelude).startswith(
        "for expression over a value not known")


SPLAT_LOCALS = """\
locals {
  objs    = [{ n = 1, tags = { a = "x" } }, { n = 2, tags = { a = "y" } }]
  one     = { n = 3 }
  nothing = null
}
"""


@pytest.mark.parametrize(("expr", "expected"), [
    ("local.objs[*].n", [1, 2]),
    ("local.objs.*.n", [1, 2]),
    ("local.objs[*].tags.a", ["x", "y"]),
    ("local.one[*].n", [3]),  # a single value splats as a one-element list
    ("local.nothing[*]", []),  # null splats as an empty list
    ("length(local.objs[*])", 2),
])
def test_splats(expr: str, expected: Any) -> None:
    assert value(expr, SPLAT_LOCALS) == expected


def test_splat_over_counted_instances_keeps_their_number() -> None:
    prelude = 'resource "aws_instance" "web" {\n  count = 3\n  ami = "a"\n}\n'
    assert value("length(aws_instance.web[*].id)", prelude) == 3
    assert value("length(aws_instance.web)", prelude) == 3
    assert unknown('join(",", aws_instance.web[*].id)', prelude) \
        == "an argument of join() is not known"


# -- functions ---------------------------------------------------------------------------

FUNCTION_LOCALS = """\
locals {
  m = { a = 1 }
}
"""


@pytest.mark.parametrize(("expr", "expected"), [
    # as Terraform writes it: keys sorted, whole numbers without ".0", <>& escaped
    ('jsonencode({ b = "x", a = [1.0, true, null] })', '{"a":[1,true,null],"b":"x"}'),
    ('jsonencode("<\u00e9>&")', '"\\u003c\u00e9\\u003e\\u0026"'),
    ('jsondecode("{\\"x\\": [1, 2.5]}").x[1]', 2.5),
    ('jsondecode(jsonencode({ a = [1, "b"] }))', {"a": [1, "b"]}),
    ("merge({ a = 1, b = 1 }, { b = 2 }, null)", {"a": 1, "b": 2}),
    ("concat([1], [], [2, 3])", [1, 2, 3]),
    ('lookup(local.m, "a")', 1),
    ('lookup(local.m, "b", "fallback")', "fallback"),
    ('try(local.m.missing, "fallback")', "fallback"),
    ('try(local.m.a, "fallback")', 1),
    ("can(local.m.missing)", False),
    ("can(local.m.a)", True),
    ('coalesce("", null, "c", "d")', "c"),
    ("coalescelist([], [1], [2])", [1]),
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('cidrsubnet("fd00::/56", 8, 1)', "fd00:0:0:1::/64"),
    ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
    ('format("%s-%03d", "web", 7)', "web-007"),
    ('format("%5s|%-4s|%x|%t|%.2f|%%|%q|%v", "ab", "c", 255, true, 3.14159, "q", [1, 2])',
     '   ab|c   |ff|true|3.14|%|"q"|[1,2]'),
    ('join(",", split("-", "a-b-c"))', "a,b,c"),
    ('join("", [])', ""),
    ("keys({ b = 1, a = 2 })", ["a", "b"]),
    ("values({ b = 1, a = 2 })", [2, 1]),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ("distinct([1, 2, 1, 3])", [1, 2, 3]),
    ("flatten([[1, [2]], 3])", [1, 2, 3]),
    ('length("h\u00e9llo")', 5),
    ('element(["a", "b"], 3)', "b"),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ("max([1, 5, 3]...)", 5),
    ('upper("x") == "X"', True),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('substr("hello", 1, 3)', "ell"),
    ("range(1, 7, 2)", [1, 3, 5]),
    ('yamldecode("a: [1, 2]")', {"a": [1, 2]}),
    ('tostring(5)', "5"),
    ('tonumber("1.5")', 1.5),
    # sets of numbers in numeric order; the set functions people build rule maps with
    ("toset([443, 80, 22, 80])", [22, 80, 443]),
    ('setproduct(["web", "db"], [80, 443])', [["web", 80], ["web", 443], ["db", 80], ["db", 443]]),
    ('setproduct(["a"], [])', []),
    ('setintersection(["a", "b", "c"], ["c", "a"])', ["a", "c"]),
    ('setsubtract(["a", "b"], ["b"])', ["a"]),
    ('replace("10.0.0.0/16", "/[./]/", "-")', "10-0-0-0-16"),
    ('replace("app-prod", "/^(\\w+)-(\\w+)$/", "$2-$1")', "prod-app"),
    ('regex("^arn:aws:iam::(\\d+):", "arn:aws:iam::123456789012:root")', ["123456789012"]),
    ('regex("(?P<env>prod|dev)", "app-prod")', {"env": "prod"}),
    ('regexall("[0-9]+", "a1b22")', ["1", "22"]),
    ('strcontains("0.0.0.0/0", "/0")', True),
    ('alltrue([true, "true"])', True),
    ("anytrue([false])", False),
    ("sum([1, 2.5])", 3.5),
    ('formatlist("%s:%d", ["a", "b"], 1)', ["a:1", "b:1"]),
    ('transpose({ a = ["x", "y"], b = ["x"] })', {"x": ["a", "b"], "y": ["a"]}),
    ("chunklist([1, 2, 3], 2)", [[1, 2], [3]]),
    ('base64decode(base64encode("h\u00e9"))', "h\u00e9"),
])
def test_functions(expr: str, expected: Any) -> None:
    assert value(expr, FUNCTION_LOCALS) == expected


def test_function_failures_and_unknowns() -> None:
    assert unknown('lookup(local.m, "b")', FUNCTION_LOCALS) == "lookup(): no key 'b'"
    assert unknown('try(local.m.x, local.m.y)', FUNCTION_LOCALS) \
        == "try(): no argument could be evaluated"
    assert unknown("uuid()") == "function uuid() is not evaluated"
    assert unknown('regex("z", "abc")') == "regex(): no match"
    assert unknown('format("%[1]s", "a")') == "format(): unsupported verb %["
    prelude = 'variable "x" {}\n'
    assert unknown("upper(var.x)", prelude) == "an argument of upper() is not known"
    assert unknown("can(var.x)", prelude) == "can() of a value not known"
    # not a guess: the unknown argument comes first and might be chosen
    assert unknown('coalesce(var.x, "b")', prelude) == "coalesce() over a value not known"


def test_functions_refuse_results_no_configuration_means_quickly() -> None:
    start = time.monotonic()
    assert unknown("pow(10, 100000000)") == "pow(10, 100000000): the result is too large"
    assert unknown('format("%01000000000d", 1)') == (
        "format(): the width or precision in %01000000000d is too large")
    assert probe("pow(2, 10)").value == 1024
    assert time.monotonic() - start < 5


def test_jsonencode_keeps_the_structure_and_its_lines() -> None:
    node = probe('jsonencode({\n    Action   = "*"\n    Resource = "*"\n  })')
    assert node.value == '{"Action":"*","Resource":"*"}'
    assert node.encoded is not None
    action = node.encoded.get("Action")
    assert action is not None and action.span.start_line == 4  # inside the object literal


# -- locals and variables -----------------------------------------------------------------

def test_locals_refer_to_locals_in_any_order() -> None:
    prelude = """\
locals {
  full   = "${local.prefix}-${local.suffix}"
  prefix = upper(local.base)
  base   = "app"
}
locals {
  suffix = "web"
}
"""
    node = probe("local.full", prelude)
    assert node.value == "APP-web"
    assert node.span.start_line == 11  # placed where it is used, in the probe resource
    assert ("main.tf", 2) in lines(node.provenance)  # defined in the first locals block


def test_cyclic_locals_are_unknown_and_do_not_hang() -> None:
    prelude = """\
locals {
  a = local.b
  b = local.a
  c = local.c + 1
  d = [local.d]
}
"""
    start = time.monotonic()
    assert unknown("local.a", prelude) == "local.a refers to itself"
    assert unknown("local.c", prelude) == "an operand is not known"
    assert value("local.d", prelude) == [Unknown()]
    assert time.monotonic() - start < 2


def test_variables_take_their_defaults_or_are_unknown() -> None:
    prelude = """\
variable "cfg" {
  type    = object({ port = number, cidrs = list(string) })
  default = { port = 22, cidrs = ["0.0.0.0/0"] }
}
variable "required" {
  type = string
}
"""
    assert value("var.cfg.port", prelude) == 22
    assert value("var.cfg.cidrs[0]", prelude) == "0.0.0.0/0"
    assert unknown("var.required", prelude) == "var.required has no default and no value was given"
    assert unknown('"x-${var.required}"', prelude) == "a template with unknown parts"


def test_a_value_from_a_variable_carries_the_span_of_its_default() -> None:
    resources, _ = load("""\
variable "public" {
  type    = bool
  default = true
}

resource "aws_db_instance" "db" {
  publicly_accessible = var.public
}
""")
    node = resources["aws_db_instance.db"].body.get("publicly_accessible")
    assert node is not None and node.value is True
    assert node.span.start_line == 7  # where the variable is used
    assert lines(node.provenance) == [("main.tf", 3)]  # default = true


def test_tfvars_override_defaults_and_become_the_provenance() -> None:
    resources, _ = load(
        'variable "public" {\n  default = false\n}\n'
        'variable "name" {\n  default = "a"\n}\n'
        'resource "aws_db_instance" "db" {\n'
        '  publicly_accessible = var.public\n'
        '  identifier          = var.name\n'
        '}\n',
        tfvars='# comment\npublic = true\n',
    )
    body = resources["aws_db_instance.db"].body
    public, name = body.get("publicly_accessible"), body.get("identifier")
    assert public is not None and name is not None
    assert (public.value, lines(public.provenance)) == (True, [("terraform.tfvars", 2)])
    assert (name.value, lines(name.provenance)) == ("a", [("main.tf", 5)])


def test_finding_provenance_names_the_tfvars_line(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "encrypted" {\n  default = true\n}\n')
    (tmp_path / "main.tf").write_text(
        'resource "aws_ebs_volume" "v" {\n'
        '  availability_zone = "eu-west-1a"\n'
        '  encrypted         = var.encrypted\n'
        '}\n')
    (tmp_path / "terraform.tfvars").write_text('\n\nencrypted = false\n')
    result = scan([tmp_path], workers=1)
    [finding] = [f for f in result.findings if f.rule.id == "DAT003"]
    assert (finding.span.file, finding.span.start_line) == ("main.tf", 3)
    assert lines(finding.provenance) == [("terraform.tfvars", 3)]


# -- count and for_each ---------------------------------------------------------------------

INSTANCES = """\
variable "unknown_count" {
  type = number
}

resource "aws_instance" "web" {
  count = 2
  ami   = "ami-${count.index}"
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["a", "b"])
  bucket   = "bucket-${each.key}"
}

resource "aws_s3_bucket" "by_map" {
  for_each = { logs = "eu-west-1", data = "us-east-1" }
  bucket   = "${each.key}-${each.value}"
}

resource "aws_eip" "none" {
  count = 0
}

resource "aws_eip" "maybe" {
  count = var.unknown_count
  tags  = { index = count.index }
}

resource "aws_eip" "from_unknown_set" {
  for_each = toset(var.unknown_list)
}

variable "unknown_list" {
  type = list(string)
}
"""


def test_count_and_for_each_give_terraform_addresses() -> None:
    resources, diagnostics = load(INSTANCES)
    assert diagnostics == []
    assert sorted(resources) == [
        'aws_eip.from_unknown_set',
        "aws_eip.maybe",
        "aws_instance.web[0]",
        "aws_instance.web[1]",
        'aws_s3_bucket.b["a"]',
        'aws_s3_bucket.b["b"]',
        'aws_s3_bucket.by_map["data"]',
        'aws_s3_bucket.by_map["logs"]',
    ]
    assert resources["aws_instance.web[1]"].body.plain() == {"ami": "ami-1"}
    assert resources['aws_s3_bucket.b["b"]'].body.plain() == {"bucket": "bucket-b"}
    assert resources['aws_s3_bucket.by_map["logs"]'].body.plain() == {"bucket": "logs-eu-west-1"}
    assert resources["aws_instance.web[0]"].id == ".::aws_instance.web[0]"
    # count = 0: no instance; unknown count: one instance whose index is unknown
    maybe = resources["aws_eip.maybe"].body.at("tags", "index")
    assert maybe is not None and maybe.unknown


def test_too_many_instances_are_cut_with_a_warning() -> None:
    resources, diagnostics = load('resource "aws_eip" "e" {\n  count = 10001\n}\n')
    assert len(resources) == 10_000
    assert [(d.line, d.code, d.message) for d in diagnostics] == [
        (2, "evaluation", "10001 instances: only the first 10000 are scanned")]


def _targets(resources: dict[str, Resource], address: str, attribute: str) -> list[str]:
    graph = ResourceGraph(resources.values())
    return [r.address for r in graph.targets(resources[address], attribute)]


def test_references_between_instances_reach_the_right_instance() -> None:
    resources, _ = load("""\
resource "aws_s3_bucket_public_access_block" "pab" {
  for_each = aws_s3_bucket.b
  bucket   = aws_s3_bucket.b[each.key].id
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["a", "b"])
}

resource "aws_instance" "web" {
  count = 3
}

resource "aws_eip" "each" {
  count    = length(aws_instance.web)
  instance = aws_instance.web[count.index].id
}

resource "aws_eip" "second" {
  instance = aws_instance.web[1].id
}

resource "aws_eip" "all" {
  tags = { ids = aws_instance.web[*].id }
}

resource "aws_s3_bucket_policy" "literal" {
  bucket = aws_s3_bucket.b["b"].id
}
""")
    # for_each over a resource declared further on: its keys are known
    assert sorted(a for a in resources if a.startswith("aws_s3_bucket_public")) == [
        'aws_s3_bucket_public_access_block.pab["a"]',
        'aws_s3_bucket_public_access_block.pab["b"]',
    ]
    assert _targets(resources, 'aws_s3_bucket_public_access_block.pab["b"]', "bucket") == [
        'aws_s3_bucket.b["b"]']
    assert _targets(resources, "aws_eip.each[2]", "instance") == ["aws_instance.web[2]"]
    assert _targets(resources, "aws_eip.second", "instance") == ["aws_instance.web[1]"]
    assert _targets(resources, "aws_eip.all", "tags") == [
        "aws_instance.web[0]", "aws_instance.web[1]", "aws_instance.web[2]"]
    assert _targets(resources, "aws_s3_bucket_policy.literal", "bucket") == [
        'aws_s3_bucket.b["b"]']


def test_cyclic_for_each_between_resources_is_unknown_not_a_hang() -> None:
    resources, _ = load("""\
resource "aws_eip" "a" {
  for_each = aws_eip.b
}

resource "aws_eip" "b" {
  for_each = aws_eip.a
}
""")
    assert sorted(resources) == ["aws_eip.a", "aws_eip.b"]  # one instance each, keys unknown


# -- dynamic blocks ------------------------------------------------------------------------

def test_dynamic_blocks_expand_into_nested_blocks() -> None:
    resources, _ = load("""\
locals {
  ports = { ssh = 22, https = 443 }
}

resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = local.ports
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
""")
    ingress = resources["aws_security_group.g"].body.get("ingress")
    assert ingress is not None
    assert ingress.plain() == [
        {"description": "https", "from_port": 443, "cidr_blocks": ["10.0.0.0/8"]},
        {"description": "ssh", "from_port": 22, "cidr_blocks": ["10.0.0.0/8"]},
    ]
    # Each generated block stands where a static one would: the `dynamic "ingress"` line.
    assert [item.span.start_line for item in ingress.value] == [6, 6]


def test_a_dynamic_block_over_a_set_takes_each_element_as_its_key() -> None:
    """Over a list the iterator key is the position; over a set it is the element itself,
    so `from_port = ingress.key` is a port, not 0 or 1 (which would open SSH's range)."""
    resources, _ = load("""\
variable "admin_ports" {
  type    = set(number)
  default = [3389]
}
locals {
  ports = toset([for p in [22, 80, 443] : p if p != 22])
}
resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port = ingress.key
      to_port   = ingress.value
    }
  }
  dynamic "egress" {
    for_each = var.admin_ports
    content {
      from_port = egress.key
    }
  }
  dynamic "tag" {
    for_each = ["a", "b"]
    content {
      key = tag.key
    }
  }
}
""")
    body = resources["aws_security_group.g"].body
    assert sorted(map(tuple, (i.values() for i in body.plain()["ingress"]))) == [(80, 80), (443, 443)]
    assert body.plain()["egress"] == [{"from_port": 3389}]
    assert body.plain()["tag"] == [{"key": 0}, {"key": 1}]


# -- spans ---------------------------------------------------------------------------------

def test_attribute_spans_end_on_their_own_line() -> None:
    body = parse_hcl("locals {\n  a = 1 + 2 # note\n  b = x == y\n  c = 3\n}\n", "main.tf")
    attrs = body.blocks[0].body.attributes
    assert [(a.span.start_line, a.span.end_line, a.span.end_column) for a in attrs.values()] \
        == [(2, 2, 12), (3, 3, 13), (4, 4, 8)]


def test_crlf_line_endings_keep_line_numbers() -> None:
    resources, _ = load('locals {\r\n  x = "a"\r\n}\r\n\r\nresource "aws_eip" "e" {\r\n'
                        '  tags = { x = local.x }\r\n}\r\n')
    res = resources["aws_eip.e"]
    assert res.span.start_line == 5
    assert res.body.at("tags", "x") is not None
    assert res.body.plain() == {"tags": {"x": "a"}}


# -- limits: never a hang --------------------------------------------------------------------

def test_values_that_double_at_each_step_are_refused_quickly() -> None:
    doubling = "".join(f"  l{i + 1} = concat(local.l{i}, local.l{i})\n" for i in range(40))
    strings = "".join(f'  s{i + 1} = "${{local.s{i}}}${{local.s{i}}}"\n' for i in range(40))
    prelude = f'locals {{\n  l0 = ["x"]\n  s0 = "xx"\n{doubling}{strings}}}\n'
    start = time.monotonic()
    assert unknown("length(local.l40)", prelude).startswith("concat() makes more than 10000")
    assert unknown("local.s40", prelude).startswith("a string longer than 1000000")
    assert value("length(local.l13)", prelude) == 8192
    assert time.monotonic() - start < 5


def test_nested_for_expressions_share_one_iteration_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "MAX_ITERATIONS", 1000)
    assert value("length([for i in range(30) : [for j in range(30) : j]])") == 30
    assert unknown("[for i in range(40) : [for j in range(40) : j]]").startswith(
        "more than 1000 iterations")


def test_a_value_used_many_times_does_not_repeat_its_provenance() -> None:
    prelude = 'locals {\n  a = ["x"]\n  b = concat(local.a, local.a)\n  c = concat(local.b, local.b)\n}\n'
    node = probe("local.c", prelude)
    assert node.plain() == ["x", "x", "x", "x"]
    assert len(node.provenance) == len(set(node.provenance))
    assert len(node.value[0].provenance) == len(set(node.value[0].provenance))


def test_templatefile_renders_a_file_inside_the_scan(tmp_path: Path) -> None:
    (tmp_path / "policy.tpl").write_text(
        '{"Statement": [%{ for a in actions ~}\n'
        '{"Effect": "Allow", "Action": "${a}", "Resource": "*"}%{ if a != actions[length(actions) - 1] },%{ endif }\n'
        '%{~ endfor }]}\n')
    (tmp_path / "plain.tpl").write_text("no $${interpolation} here\n")
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n'
        '  policy = templatefile("${path.module}/policy.tpl", { actions = ["s3:GetObject", "*"] })\n'
        '  description = templatefile("plain.tpl", {})\n'
        '}\n')
    result = scan([tmp_path], workers=1)
    assert [(f.rule.id, f.span.start_line) for f in result.findings] == [("IAM001", 2)]


# -- override files ------------------------------------------------------------------------

def _load_files(files: dict[str, str]) -> dict[str, Resource]:
    module = ModuleSource(".", [(name, parse_hcl(text, name)) for name, text in files.items()])
    resources, _ = load_module(module)
    return {r.address: r for r in resources}


def test_override_files_replace_arguments_and_nested_blocks() -> None:
    resources = _load_files({
        "main.tf": """\
locals {
  size = 10
  env  = "dev"
}
resource "aws_ebs_volume" "data" {
  size      = local.size
  encrypted = false
}
resource "aws_security_group" "g" {
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port = 443
  }
  egress {
    from_port = 0
  }
}
""",
        "z_override.tf": """\
locals {
  size = 20
}
resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = [8443]
    content {
      from_port = ingress.value
    }
  }
}
""",
        "override.tf": """\
resource "aws_ebs_volume" "data" {
  encrypted = true
}
""",
    })
    volume = resources["aws_ebs_volume.data"]
    assert volume.body.plain() == {"size": 20, "encrypted": True}
    assert volume.span.file == "main.tf" and volume.span.start_line == 5
    encrypted = volume.body.get("encrypted")
    assert encrypted is not None and (encrypted.span.file, encrypted.span.start_line) == ("override.tf", 2)
    assert resources["aws_security_group.g"].body.plain() == {
        "egress": [{"from_port": 0}], "ingress": [{"from_port": 8443}]}
    assert len(resources) == 2


def test_an_override_file_that_overrides_nothing_adds_its_blocks() -> None:
    resources = _load_files({
        "main.tf": 'resource "aws_eip" "a" {\n  domain = "vpc"\n}\n',
        "extra_override.tf": 'resource "aws_eip" "b" {\n  domain = "vpc"\n}\n',
    })
    assert sorted(resources) == ["aws_eip.a", "aws_eip.b"]


def test_a_heredoc_policy_with_unknown_resources_is_still_read(tmp_path: Path) -> None:
    """A JSON heredoc whose only unknown parts sit inside strings (an ARN known after apply)
    keeps its structure: the open principal is found on its own line."""
    (tmp_path / "main.tf").write_text("""\
resource "aws_sqs_queue" "q" {
  name = "q"
}
resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy    = <<EOT
{
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": "sqs:SendMessage",
    "Resource": "${aws_sqs_queue.q.arn}"
  }]
}
EOT
}
""")
    result = scan([tmp_path], workers=1)
    assert [(f.rule.id, f.span.start_line) for f in result.findings] == [("DAT019", 10)]
    node = probe('"{\\"Resource\\": \\"${var.x}/*\\", \\"Effect\\": \\"Allow\\"}"', 'variable "x" {}\n')
    assert node.encoded is not None and node.encoded.plain()["Effect"] == "Allow"
    assert isinstance(node.encoded.plain()["Resource"], Unknown)
    assert probe('"{${var.x}: 1}"', 'variable "x" {}\n').encoded is None  # an unknown key


def test_bad_count_and_for_each_values_are_reported() -> None:
    _, diagnostics = load("""\
resource "aws_eip" "a" {
  count = -3
}
resource "aws_eip" "b" {
  for_each = "not-a-map"
}
""")
    assert [(d.line, d.message) for d in diagnostics] == [
        (2, "count must not be negative: -3; no instances"),
        (5, "for_each must be a map or a set of strings, not 'not-a-map'"),
    ]


def test_instances_beyond_the_budget_are_not_expanded(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from scanner.terraform import loader, modules

    monkeypatch.setattr(modules, "MAX_INSTANCES", 50)
    expanded: list[int] = []
    real = loader.ModuleLoader._expand

    def counting(self: loader.ModuleLoader, block: s.Block) -> loader.Expansion:
        out = real(self, block)
        expanded.append(len(out))
        return out

    monkeypatch.setattr(loader.ModuleLoader, "_expand", counting)
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text('resource "aws_eip" "e" {\n  count = 10\n}\n')
    (tmp_path / "main.tf").write_text('module "m" {\n  count  = 100\n  source = "./mod"\n}\n')
    result = scan([tmp_path], workers=1)
    assert sum(expanded) <= 100 + 60  # the 100 module keys, not 100 modules x 10 instances
    assert any("more than 50 resource instances" in d.message for d in result.diagnostics)
