"""Terraform input that cannot be read: each problem is a diagnostic with file, line and
column, the scan goes on, and no input (binary, wrongly encoded, absurdly nested) raises
or hangs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.discover import Kind, SourceFile
from scanner.engine import scan
from scanner.parsing import ParsedFile, parse_file
from scanner.resources import Resource
from scanner.terraform.loader import ModuleSource, load_module


def parse(tmp_path: Path, content: str | bytes, name: str = "main.tf",
          kind: Kind = Kind.TERRAFORM) -> ParsedFile:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return parse_file(SourceFile(name, path, kind))


def only(parsed: ParsedFile) -> Diagnostic:
    assert parsed.body is None
    assert len(parsed.diagnostics) == 1, parsed.diagnostics
    return parsed.diagnostics[0]


@pytest.mark.parametrize(("content", "line", "column", "message"), [
    pytest.param('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n', 2, 15,
                 "unexpected end of file (an unclosed block, string or bracket?)",
                 id="unclosed-brace"),
    pytest.param('resource "aws_s3_bucket" "b" {\n  bucket = "x" @ 3\n}\n', 2, 16,
                 "unexpected character '@'", id="bad-character"),
    pytest.param('locals {\n  a = [1, 2\n  b = 3\n}\n', 3, 3,
                 "unexpected 'b'; expected ',' or ']' or a new line", id="unclosed-bracket"),
    pytest.param('resource "aws_s3_bucket" "b" {\n  bucket = "x\n}\n', 2, 13,
                 "unexpected end of file", id="unclosed-string"),
    pytest.param('locals {\n  a = 1\n  = 2\n}\n', 3, 3, "unexpected '='", id="missing-name"),
    pytest.param('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n}\n', 4, 1,
                 "unexpected '}'", id="extra-brace"),
    pytest.param('locals {\n  a = <<EOT\n${var.x +}\nEOT\n}\n', 3, 10,
                 "in template interpolation: unexpected end of file", id="heredoc-interpolation"),
    pytest.param('locals {\n  a = "%{ if true }x"\n}\n', 2, 7,
                 "template directive without its %{endif} or %{endfor}", id="unclosed-directive"),
    pytest.param('locals {\n  a = "x%{ endif }"\n}\n', 2, 7,
                 "unbalanced template directive %{endif}", id="stray-endif"),
    pytest.param('locals {\n  a = <<EOT\nno closing marker\n}\n', 2, 7,
                 "heredoc <<EOT is not closed: end it with a line holding only EOT",
                 id="unclosed-heredoc"),
    pytest.param('locals {\n  a = 1\n  b = <<-POLICY\n  {}\n  POLICYX\n}\n', 3, 7,
                 "heredoc <<-POLICY is not closed", id="misspelt-heredoc-end"),
])
def test_malformed_hcl_is_a_diagnostic_with_line_and_column(
        tmp_path: Path, content: str, line: int, column: int, message: str) -> None:
    diag = only(parse(tmp_path, content))
    assert (diag.file, diag.line, diag.column) == ("main.tf", line, column)
    assert (diag.level, diag.code) == (DiagnosticLevel.ERROR, "parse-error")
    assert diag.message.startswith(f"HCL syntax error: {message}")
    assert diag.message.endswith("; the file was not scanned")


def test_an_unexpected_character_does_not_quote_the_rest_of_the_file(tmp_path: Path) -> None:
    rest = "\n".join(f'  tag{i} = "{i}"' for i in range(200))
    diag = only(parse(tmp_path, f'locals {{\n  a = $\n{rest}\n}}\n'))
    assert (diag.line, diag.column) == (2, 7)
    assert diag.message == ("HCL syntax error: unexpected character '$'; expected '\"' or "
                            "'(' or '[' or '{'; the file was not scanned")


def test_a_broken_tfvars_file_is_a_diagnostic(tmp_path: Path) -> None:
    diag = only(parse(tmp_path, "enabled = \n", name="terraform.tfvars", kind=Kind.TFVARS))
    assert (diag.file, diag.line, diag.code) == ("terraform.tfvars", 1, "parse-error")
    diag = only(parse(tmp_path, '{\n  "a": [1,\n}\n', name="terraform.tfvars.json",
                      kind=Kind.TFVARS))
    assert (diag.file, diag.line, diag.column, diag.code) == (
        "terraform.tfvars.json", 3, 1, "parse-error")


def test_a_binary_file_named_tf_is_reported_not_parsed(tmp_path: Path) -> None:
    diag = only(parse(tmp_path, b"\x7fELF\x02\x01\x01\x00\x00\x00binary\xff\xfe"))
    assert (diag.file, diag.line, diag.column) == ("main.tf", 0, 0)
    assert (diag.level, diag.code) == (DiagnosticLevel.ERROR, "not-text")
    assert diag.message == "binary file, not text; not scanned"


def test_a_file_that_is_not_utf8_is_reported_at_the_first_bad_line(tmp_path: Path) -> None:
    latin1 = 'locals {\n  a = "ok"\n  b = "caf\u00e9"\n}\n'.encode("latin-1")
    diag = only(parse(tmp_path, latin1))
    assert (diag.file, diag.line, diag.column, diag.code) == ("main.tf", 3, 1, "not-text")
    assert diag.message == "not UTF-8 text; not scanned (save the file as UTF-8)"


def test_a_utf8_byte_order_mark_and_an_empty_file_are_fine(tmp_path: Path) -> None:
    bom = parse(tmp_path, b'\xef\xbb\xbfvariable "x" {\n  default = 1\n}\n')
    assert bom.diagnostics == []
    assert bom.body is not None and [b.labels for b in bom.body.blocks] == [["x"]]
    empty = parse(tmp_path, "", name="empty.tf")
    assert empty.diagnostics == []
    assert empty.body is not None and empty.body.blocks == [] and empty.body.attributes == {}


NESTED = {
    "5000-nested-brackets": "locals {\n  a = " + "[" * 5000 + "1" + "]" * 5000 + "\n}\n",
    "5000-nested-parentheses": "locals {\n  a = " + "(" * 5000 + "1" + ")" * 5000 + "\n}\n",
    "5000-nested-objects": "locals {\n  a = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n}\n",
    "5000-nested-calls": "locals {\n  a = " + "abs(" * 5000 + "1" + ")" * 5000 + "\n}\n",
    "5000-nested-blocks": 'resource "aws_s3_bucket" "b" {\n' + "x {\n" * 5000 + "}\n" * 5000 + "}\n",
    "3000-nested-conditionals": "locals {\n  a = " + "true ? " * 3000 + "1" + " : 2" * 3000
                                + "\n}\n",
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    start = time.monotonic()
    diag = only(parse(tmp_path, NESTED[name]))
    assert time.monotonic() - start < 5
    # The line where the nesting runs away (brackets); 1 when no bracket shows it.
    line = {"5000-nested-blocks": 101, "3000-nested-conditionals": 1}.get(name, 2)
    assert (diag.file, diag.line, diag.column, diag.code) == ("main.tf", line, 1, "too-deep")
    assert diag.level is DiagnosticLevel.ERROR
    assert diag.message == "nesting is too deep to analyse; the file was not scanned"


CHAINS: dict[str, tuple[str, object]] = {
    # long but flat: `a + b + c ...` nests only to the left, and is read in a loop
    "3000-term-sum": (" + ".join(["1"] * 3000), 3000),
    "3000-term-and": (" && ".join(["true"] * 3000), True),
    "3000-term-mixed": (" + ".join(["2 * 3"] * 3000) + " - 1", 17999),
    "3000-term-sum-in-a-heredoc": ("<<EOT\n${" + " + ".join(["1"] * 3000) + "}\nEOT", "3000\n"),
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_long_operator_chains_are_evaluated(tmp_path: Path, name: str) -> None:
    expr, expected = CHAINS[name]
    (tmp_path / "main.tf").write_text(
        f'locals {{\n  a = {expr}\n}}\nresource "aws_db_instance" "db" {{\n'
        '  identifier = "${local.a}"\n}\n')
    start = time.monotonic()
    resources, diagnostics = _load(tmp_path / "main.tf")
    assert time.monotonic() - start < 5
    assert diagnostics == []
    identifier = resources[0].body.get("identifier")
    assert identifier is not None and identifier.value == expected


def _load(path: Path) -> tuple[list[Resource], list[Diagnostic]]:
    parsed = parse_file(SourceFile(path.name, path, Kind.TERRAFORM))
    assert parsed.diagnostics == [] and parsed.body is not None
    return load_module(ModuleSource(".", [(path.name, parsed.body)]))


def test_nesting_within_the_limit_parses_and_evaluates(tmp_path: Path) -> None:
    depth = 150
    (tmp_path / "main.tf").write_text(
        "locals {\n  deep = " + "[" * depth + '"0.0.0.0/0"' + "]" * depth + "\n"
        "  sum  = " + " + ".join(["1"] * 150) + "\n}\n"
        'resource "aws_security_group" "g" {\n'
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        "    cidr_blocks = flatten(local.deep)\n"
        "  }\n"
        "  tags = { sum = local.sum }\n"
        "}\n")
    result = scan([tmp_path], workers=1)
    assert result.diagnostics == []
    assert [(f.rule.id, f.span.start_line) for f in result.findings] == [("NET001", 10)]


@pytest.mark.parametrize("depth", [300, 20_000])
def test_deeply_nested_json_text_in_a_policy_is_undecided_not_a_crash(
        tmp_path: Path, depth: int) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "heredoc" {\n  policy = <<EOT\n{"Statement": '
        + "[" * depth + "]" * depth + "}\nEOT\n}\n"
        'resource "aws_iam_policy" "quoted" {\n  policy = "{\\"Statement\\": '
        + "[" * depth + "]" * depth + '}"\n}\n')
    result = scan([tmp_path], workers=1)
    assert result.diagnostics == [] and result.findings == []
    undecided = sorted((u.address, u.reason) for u in result.undetermined if u.rule.id == "IAM001")
    if depth > 1000:  # deeper than Python's JSON decoder goes
        assert undecided == [
            ("aws_iam_policy.heredoc", "policy document not known: the policy is nested too "
                                       "deeply to read"),
            ("aws_iam_policy.quoted", "policy document not known: the policy is nested too "
                                      "deeply to read"),
        ]
    else:  # read: the statements are lists, not objects, so there is nothing to flag
        assert undecided == []


def test_one_unreadable_file_does_not_stop_the_scan(tmp_path: Path) -> None:
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n')
    (tmp_path / "binary.tf").write_bytes(b"\x00\x01\x02")
    (tmp_path / "good.tf").write_text(
        'resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  encrypted = false\n}\n')
    (tmp_path / "terraform.tfvars").write_text("oops = = 1\n")
    result = scan([tmp_path], workers=1)
    assert [(f.rule.id, f.span.file, f.span.start_line) for f in result.findings] == [
        ("DAT003", "good.tf", 3)]
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("binary.tf", 0, 0, "not-text"),
        ("broken.tf", 1, 31, "parse-error"),
        ("terraform.tfvars", 1, 8, "parse-error"),
    ]
    assert result.failed_files == ["binary.tf", "broken.tf", "terraform.tfvars"]


def test_a_broken_tfvars_leaves_the_defaults_in_force(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "encrypted" {\n  default = false\n}\n'
        'resource "aws_ebs_volume" "v" {\n'
        '  availability_zone = "a"\n'
        "  encrypted         = var.encrypted\n}\n")
    (tmp_path / "terraform.tfvars").write_text("encrypted = true\n}\n")
    result = scan([tmp_path], workers=1)
    [finding] = result.findings
    assert (finding.rule.id, finding.span.start_line) == ("DAT003", 6)
    assert [(p.file, p.start_line) for p in finding.provenance] == [("main.tf", 2)]
    assert [(d.file, d.line, d.code) for d in result.diagnostics] == [
        ("terraform.tfvars", 2, "parse-error")]


def test_a_tree_too_deep_to_pickle_from_a_worker_is_parsed_in_the_parent(tmp_path: Path) -> None:
    from scanner.engine import scan
    from scanner.report.sarif import render

    # Nesting the parser accepts but pickle's recursion does not: worker results are pickled.
    deep = "[" * 200 + "1" + "]" * 200
    for i in range(30):  # enough files for the worker pool
        (tmp_path / f"f{i:02}.tf").write_text(f'resource "aws_ebs_volume" "v{i}" {{\n  size = 1\n}}\n')
    (tmp_path / "deep.tf").write_text(f'resource "aws_ebs_volume" "deep" {{\n  tags = {{ x = {deep} }}\n}}\n')
    pooled = scan([tmp_path], workers=2)
    alone = scan([tmp_path], workers=1)
    assert not pooled.failed_files
    assert render(pooled) == render(alone)
    assert "aws_ebs_volume.deep" in {f.address for f in pooled.findings}
