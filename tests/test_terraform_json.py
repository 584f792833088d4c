"""Terraform's JSON syntax: `.tf.json` into the same syntax tree as HCL, with JSON positions;
templates in strings; `.tfvars.json` with lines; malformed JSON as a diagnostic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.engine import scan
from scanner.terraform import syntax as s
from scanner.terraform.json_syntax import JsonSyntaxError, config_body, decode, tfvars_body
from scanner.terraform.loader import ModuleSource, load_module

CONFIG = """\
{
  "variable": {
    "cidrs": {
      "type": "list(string)",
      "default": ["0.0.0.0/0"]
    }
  },
  "locals": {
    "port": 22,
    "name": "web-${local.port}",
    "literal": "cost $${not.a.reference}"
  },
  "resource": {
    "aws_security_group": {
      "web": {
        "count": "${1 + 1}",
        "name": "${local.name}-${count.index}",
        "ingress": [
          {
            "from_port": "${local.port}",
            "to_port": 22,
            "protocol": "tcp",
            "cidr_blocks": "${var.cidrs}"
          }
        ],
        "depends_on": ["aws_s3_bucket.logs"],
        "lifecycle": { "create_before_destroy": true }
      }
    },
    "aws_s3_bucket": {
      "logs": { "bucket": "%{ if local.port == 22 }ssh%{ else }other%{ endif }-logs" }
    }
  },
  "output": {
    "first": { "value": "${aws_security_group.web[0].id}" }
  }
}
"""


def test_json_values_keep_their_lines_and_columns() -> None:
    root = decode('{\n  "a": [1, {"b": "x"}],\n  "c": true\n}\n', "f.json")
    [(a, a_span, a_value), (c, _c_span, c_value)] = root.value
    assert (a, a_span.start_line, a_span.start_column) == ("a", 2, 3)
    assert (a_value.span.start_line, a_value.span.start_column, a_value.span.end_column) == (2, 8, 23)
    inner = a_value.value[1].value[0][2]
    assert (inner.value, inner.span.start_line, inner.span.start_column) == ("x", 2, 18)
    assert (c, c_value.value, c_value.span.start_line) == ("c", True, 3)


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ('{\n  "a": 1,\n}', 3, 1, "expected a property name in double quotes"),
    ('{"a": [1, 2}', 1, 12, "expected ',' or ']'"),
    ('{"a": "unterminated}', 1, 7, "invalid string: Unterminated string starting at"),
    ('{"a": 1} x', 1, 10, "extra data after the JSON value"),
    ("[" * 300 + "]" * 300, 1, 201, "nesting is too deep"),
])
def test_malformed_json_has_a_line_and_column(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(JsonSyntaxError) as err:
        decode(text, "f.json")
    assert (err.value.line, err.value.column) == (line, column)
    assert err.value.message.startswith(message)


def test_a_tf_json_file_is_the_same_tree_as_hcl() -> None:
    body = config_body(CONFIG, "main.tf.json")
    assert [(b.type, b.labels) for b in body.blocks] == [
        ("variable", ["cidrs"]), ("locals", []), ("resource", ["aws_security_group", "web"]),
        ("resource", ["aws_s3_bucket", "logs"]), ("output", ["first"])]
    variable = body.blocks[0].body.attributes
    assert isinstance(variable["type"].expr, s.Call) and variable["type"].expr.name == "list"
    assert isinstance(variable["default"].expr, s.TupleExpr)  # literal, not a template
    web = body.blocks[2]
    assert web.span.start_line == 15
    assert "lifecycle" not in web.body.attributes
    depends = web.body.attributes["depends_on"].expr
    assert isinstance(depends, s.TupleExpr) and isinstance(depends.items[0], s.GetAttr)
    name = web.body.attributes["name"]
    assert (name.span.start_line, name.span.start_column) == (17, 9)
    assert isinstance(name.expr, s.Template)


def test_a_tf_json_file_evaluates_like_hcl() -> None:
    body = config_body(CONFIG, "main.tf.json")
    resources, diagnostics = load_module(ModuleSource(".", [("main.tf.json", body)]))
    assert diagnostics == []
    by_address = {r.address: r for r in resources}
    assert sorted(by_address) == ["aws_s3_bucket.logs", "aws_security_group.web[0]",
                                  "aws_security_group.web[1]"]
    web = by_address["aws_security_group.web[1]"].body
    assert web.plain() == {"name": "web-22-1", "ingress": [{
        "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}
    assert by_address["aws_s3_bucket.logs"].body.plain() == {"bucket": "ssh-logs"}
    assert [r.target for r in by_address["aws_security_group.web[0]"].references] == [
        ".::aws_s3_bucket.logs"]
    literal = body.blocks[1].body.attributes["literal"].expr
    assert isinstance(literal, s.Literal) and literal.value == "cost ${not.a.reference}"


def test_tf_json_findings_point_at_json_lines(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(CONFIG)
    result = scan([tmp_path], workers=1)
    assert result.diagnostics == []
    [finding] = [f for f in result.findings if f.rule.id == "NET001"]
    assert (finding.address, finding.span.file, finding.span.start_line) == (
        "aws_security_group.web[0]", "main.tf.json", 23)
    assert finding.message.endswith("(the same in 2 instances: aws_security_group.web[0], "
                                    "aws_security_group.web[1])")
    assert [(p.file, p.start_line) for p in finding.provenance] == [("main.tf.json", 5)]


def test_bad_templates_and_json_are_parse_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.tf.json").write_text('{\n  "locals": {\n    "x": "${var.}"\n  }\n}\n')
    (tmp_path / "broken.tf.json").write_text('{"resource": ')
    (tmp_path / "good.tf.json").write_text('{"resource": {"aws_ebs_volume": {"v": {"size": 1}}}}')
    result = scan([tmp_path], workers=1)
    assert result.failed_files == ["bad.tf.json", "broken.tf.json"]
    bad = next(d for d in result.diagnostics if d.file == "bad.tf.json")
    assert (bad.line, bad.column, bad.code) == (3, 10, "parse-error")
    assert bad.message.startswith("invalid Terraform JSON: in a template string")
    assert [f.rule.id for f in result.findings] == ["DAT003"]


def test_tfvars_json_values_keep_their_lines(tmp_path: Path) -> None:
    body = tfvars_body('{\n  "a": "x",\n  "b": {\n    "c": [1, "${no.template}"]\n  }\n}\n',
                       "terraform.tfvars.json")
    assert [(a.name, a.span.start_line) for a in body.attributes.values()] == [("a", 2), ("b", 3)]
    b = body.attributes["b"].expr
    assert isinstance(b, s.ObjectExpr)
    assert isinstance(b.items[0][1], s.TupleExpr)
    assert b.items[0][1].items[1] == s.Literal("${no.template}", b.items[0][1].items[1].span)
    (tmp_path / "main.tf").write_text(
        'variable "encrypted" {\n  default = true\n}\n'
        'resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  encrypted = var.encrypted\n}\n')
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"x": 1, "encrypted": False}, indent=2))
    result = scan([tmp_path], workers=1)
    [finding] = result.findings
    assert [(p.file, p.start_line) for p in finding.provenance] == [("terraform.tfvars.json", 3)]


def test_many_templates_parse_in_one_batch_quickly(tmp_path: Path) -> None:
    import time

    resources = {f"b{i}": {"bucket": f"acme-${{local.p}}-{i}", "tags": {"n": f"${{{i} + 1}}"}}
                 for i in range(2000)}
    text = json.dumps({"locals": {"p": "x"}, "resource": {"aws_s3_bucket": resources}}, indent=1)
    start = time.monotonic()
    body = config_body(text, "big.tf.json")
    assert len(body.blocks) == 2001
    assert time.monotonic() - start < 20
    assert body.blocks[5].body.attributes["bucket"].span.start_line > 1
