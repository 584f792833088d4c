"""Which files are scanned, which are skipped and said so, and which are silently not ours."""

from __future__ import annotations

import os
from pathlib import Path

from scanner.diagnostics import DiagnosticLevel
from scanner.engine import scan

CFN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 1\n"
TF = 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n'


def test_classifies_and_skips(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / "stack.yaml").write_text(CFN)
    (tmp_path / "stack.template").write_text(CFN)
    (tmp_path / "workflow.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    (tmp_path / "README.md").write_text("# hi\n")
    for skipped in (".terraform/modules/m", ".git", "node_modules/pkg"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "x.tf").write_text(TF)
    result = scan([tmp_path], workers=1)
    assert sorted(f.rel for f in result.files) == ["main.tf", "stack.template", "stack.yaml"]
    assert {f.address for f in result.findings} == {"aws_ebs_volume.v", "V"}
    assert not result.diagnostics  # files that are not ours are not problems


def test_symlink_out_of_root_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text(TF)
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(TF)
    os.symlink(outside, root / "linked")
    os.symlink(outside / "secret.tf", root / "alias.tf")
    os.symlink(root, root / "loop")  # a cycle back into the root
    result = scan([root], workers=1)
    assert [f.rel for f in result.files] == ["main.tf"]
    notes = {(d.file, d.level) for d in result.diagnostics}
    assert ("linked", DiagnosticLevel.NOTE) in notes
    assert ("alias.tf", DiagnosticLevel.NOTE) in notes


def test_tf_json_is_scanned_and_unloaded_tfvars_are_reported_not_silent(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "x" {}\n' + TF)
    (tmp_path / "main.tf.json").write_text('{"resource": {}}')
    (tmp_path / "prod.tfvars").write_text('x = 1\n')
    result = scan([tmp_path], workers=1)
    by_file = {d.file: d for d in result.diagnostics}
    assert "main.tf.json" not in by_file
    assert "main.tf.json" in [f.rel for f in result.files]
    assert "prod.tfvars" in by_file and "not loaded" in by_file["prod.tfvars"].message
    assert not result.failed_files


def test_tfvars_override_defaults_in_terraform_order(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "enc" {\n  default = true\n}\n'
        'resource "aws_ebs_volume" "v" {\n  size = 1\n  encrypted = var.enc\n}\n')
    (tmp_path / "terraform.tfvars").write_text("enc = true\n")
    (tmp_path / "b.auto.tfvars").write_text("enc = false\n")  # loaded last: wins
    result = scan([tmp_path], workers=1)
    [finding] = result.findings
    assert (finding.rule.id, finding.span.start_line) == ("DAT003", 6)
    assert [(p.file, p.start_line) for p in finding.provenance] == [("b.auto.tfvars", 1)]


def test_unreadable_and_binary_files_are_errors_that_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text(TF)
    (tmp_path / "binary.tf").write_bytes(b"\x7fELF\x00\x00\x01garbage")
    (tmp_path / "latin1.tf").write_bytes('# caf\xe9\nresource "a" "b" {}\n'.encode("latin-1"))
    (tmp_path / "image.yaml").write_bytes(b"\x89PNG\x00\x00")  # a YAML name, not ours
    result = scan([tmp_path], workers=1)
    assert result.failed_files == ["binary.tf", "latin1.tf"]
    latin = next(d for d in result.diagnostics if d.file == "latin1.tf")
    assert latin.line == 1 and "UTF-8" in latin.message
    assert [f.rule.id for f in result.findings] == ["DAT003"]


def test_a_pipe_named_like_terraform_is_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.tf")  # reading it would block forever
    (tmp_path / "dir.tf").mkdir()
    (tmp_path / "dir.tf" / "main.tf").write_text(TF)
    result = scan([tmp_path], workers=1)
    assert [f.rel for f in result.files] == ["dir.tf/main.tf"]
    assert [(d.file, d.level) for d in result.diagnostics] == [("pipe.tf", DiagnosticLevel.NOTE)]
