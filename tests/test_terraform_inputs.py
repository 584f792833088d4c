"""Values of root module variables: defaults, tfvars files, `--var-file`, `--var` and (only
when asked) `TF_VAR_*`, in Terraform's order of precedence, with the place each came from."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.engine import ScanResult, scan
from scanner.terraform.inputs import TerraformInputs, VarFile, VarValue

GROUP = """\
variable "cidr" {
  type    = string
  default = "%s"
}

variable "cidrs" {
  type    = list(string)
  default = ["10.9.0.0/16"]
}

resource "aws_security_group" "admin" {
  name = "admin"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.admin.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = concat([var.cidr], var.cidrs)
}
"""
OPEN, NARROW = "0.0.0.0/0", "10.0.0.0/8"


def net001(result: ScanResult) -> list[tuple[int, list[tuple[str, int]]]]:
    return [(f.span.start_line, [(p.file, p.start_line) for p in f.provenance])
            for f in result.findings if f.rule.id == "NET001"]


def chdir_scan(root: Path, inputs: TerraformInputs | None = None) -> ScanResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return scan([Path(".")], workers=1, tf_inputs=inputs)
    finally:
        os.chdir(cwd)


def test_open_default_narrowed_by_tfvars_gives_no_finding(tmp_path: Path) -> None:
    """Evidence: the default is open, terraform.tfvars narrows it."""
    (tmp_path / "main.tf").write_text(GROUP % OPEN)
    (tmp_path / "terraform.tfvars").write_text(f'cidr = "{NARROW}"\n')
    assert net001(chdir_scan(tmp_path)) == []


def test_narrow_default_opened_by_tfvars_gives_a_finding_with_provenance(tmp_path: Path) -> None:
    """Evidence, the reverse: the finding is on the rule's CIDR and names the tfvars line."""
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    (tmp_path / "terraform.tfvars").write_text(f'# open it\n\ncidr = "{OPEN}"\n')
    assert net001(chdir_scan(tmp_path)) == [(21, [("terraform.tfvars", 3)])]


def test_the_default_is_the_provenance_when_nothing_overrides_it(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP % OPEN)
    assert net001(chdir_scan(tmp_path)) == [(21, [("main.tf", 3)])]


def test_precedence_of_files_and_command_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    (tmp_path / "terraform.tfvars").write_text(f'cidr = "{OPEN}"\n')
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"cidr": NARROW}))
    assert net001(chdir_scan(tmp_path)) == []  # the JSON file comes after terraform.tfvars
    (tmp_path / "b.auto.tfvars").write_text(f'cidr = "{OPEN}"\n')
    (tmp_path / "a.auto.tfvars").write_text(f'cidr = "{NARROW}"\n')
    assert net001(chdir_scan(tmp_path)) == [(21, [("b.auto.tfvars", 1)])]  # name order: b last
    (tmp_path / "prod.tfvars").write_text(f'\ncidr = "{NARROW}"\n')
    given = TerraformInputs((VarFile(Path("prod.tfvars")),))
    result = chdir_scan(tmp_path, given)
    assert net001(result) == []  # --var-file after every automatic file
    assert not [d for d in result.diagnostics if d.file == "prod.tfvars"]  # it was loaded
    assert net001(chdir_scan(tmp_path, TerraformInputs((VarFile(Path("prod.tfvars")),
                                                        VarValue("cidr", OPEN))))) == [(21, [])]
    assert net001(chdir_scan(tmp_path, TerraformInputs((VarValue("cidr", OPEN),
                                                        VarFile(Path("prod.tfvars")))))) == []


def test_var_values_follow_the_variable_type(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    inputs = TerraformInputs((VarValue("cidrs", f'["{OPEN}"]'),))
    assert net001(chdir_scan(tmp_path, inputs)) == [(21, [])]
    # text that is not an expression stays a string (and does not match the list type)
    inputs = TerraformInputs((VarValue("cidrs", "0.0.0.0/0 oops"),))
    assert net001(chdir_scan(tmp_path, inputs)) == []


def test_environment_only_when_asked_and_below_tfvars(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    env = TerraformInputs.from_command_line([], [], [], {"TF_VAR_cidr": OPEN, "HOME": "/x"})
    assert env.environment == (("cidr", OPEN),)
    assert net001(chdir_scan(tmp_path, env)) == [(21, [])]
    (tmp_path / "terraform.tfvars").write_text(f'cidr = "{NARROW}"\n')
    assert net001(chdir_scan(tmp_path, env)) == []


def test_inputs_apply_to_root_modules_only(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./m"\n  cidr = "10.1.0.0/16"\n}\n')
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(GROUP % NARROW)
    assert net001(chdir_scan(tmp_path, TerraformInputs((VarValue("cidr", OPEN),)))) == []


def test_command_line_order_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    (tmp_path / "narrow.tfvars").write_text(f'cidr = "{NARROW}"\n')
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for args, found in (
            (["--var", f"cidr={OPEN}", "--var-file", "narrow.tfvars"], 0),
            (["--var-file=narrow.tfvars", f"--var=cidr={OPEN}"], 1),
        ):
            with pytest.raises(SystemExit):
                main(["scan", ".", "-f", "json", "--no-cache", *args])
            data = json.loads(capsys.readouterr().out)
            assert len([f for f in data["findings"] if f["rule"] == "NET001"]) == found, args
        with pytest.raises(SystemExit) as exit_info:
            main(["scan", ".", "--var", "no-equals-sign"])
        assert exit_info.value.code == 2
        assert "--var expects NAME=VALUE" in capsys.readouterr().err
        with pytest.raises(SystemExit) as exit_info:
            main(["scan", ".", "--var-file", "missing.tfvars"])
        assert exit_info.value.code == 2
    finally:
        os.chdir(cwd)


def test_env_vars_flag_reads_the_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text(GROUP % NARROW)
    monkeypatch.setenv("TF_VAR_cidr", OPEN)
    monkeypatch.chdir(tmp_path)
    for flags, found in (([], 0), (["--env-vars"], 1)):
        with pytest.raises(SystemExit):
            main(["scan", ".", "-f", "json", "--no-cache", *flags])
        data = json.loads(capsys.readouterr().out)
        assert len([f for f in data["findings"] if f["rule"] == "NET001"]) == found


def test_optional_attributes_take_their_defaults(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
variable "rules" {
  type = list(object({
    port = number
    cidr = optional(string, "0.0.0.0/0")
    note = optional(string)
  }))
  default = [{ port = "22" }, { port = 443, cidr = "10.0.0.0/8" }]
}

resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
      description = ingress.value.note
    }
  }
}
""")
    result = chdir_scan(tmp_path)
    # through the for_each (line 12), from the default written in the type (line 4)
    assert net001(result) == [(17, [("main.tf", 12), ("main.tf", 4)])]
