"""CloudFormation conditions, parameters and pseudo parameters: findings name their scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from checks.registry import BY_ID
from scanner.cloudformation import read_template
from scanner.cloudformation.conditions import MAX_SCENARIOS
from scanner.cloudformation.options import CfnOptions, parse_parameter_option, read_parameters_file
from scanner.diagnostics import DiagnosticLevel
from scanner.engine import scan

CFN = FIXTURES / "cloudformation"


def findings(target: Path, rule_id: str, cfn: CfnOptions | None = None) -> list[tuple[int, str]]:
    result = scan([target], rules=[BY_ID[rule_id]], workers=1, cfn=cfn)
    assert not result.failed_files, result.diagnostics
    return [(f.span.start_line, f.message) for f in result.findings]


def test_security_group_open_only_when_a_condition_is_false() -> None:
    assert findings(CFN / "NET001" / "fail.conditions.yaml", "NET001") == [
        (25, "Security group AdminGroup allows ingress from 0.0.0.0/0 to SSH (22) "
             "(when IsProd is false)"),
        (42, "Security group AppGroup allows ingress from 0.0.0.0/0 to RDP (3389) "
             "(rule in DebugRdp) (when IsDev is true)"),
        (56, "Security group BranchGroup allows ingress from 0.0.0.0/0 to RDP (3389) "
             "(when IsProd is true)"),
        (60, "Security group BranchGroup allows ingress from 0.0.0.0/0 to SSH (22) "
             "(when IsProd is false)"),
    ]


def test_a_given_parameter_pins_the_scenario() -> None:
    prod = CfnOptions(parameters=(("Env", "prod"),))
    # Only the scenario with IsProd true remains: no "when" any more.
    assert findings(CFN / "NET001" / "fail.conditions.yaml", "NET001", prod) == [
        (56, "Security group BranchGroup allows ingress from 0.0.0.0/0 to RDP (3389)"),
    ]
    dev = CfnOptions(parameters=(("Env", "dev"),))
    assert [line for line, _ in findings(CFN / "NET001" / "fail.conditions.yaml", "NET001", dev)] == [
        25, 42, 60]


def test_bucket_versioned_and_blocked_through_if() -> None:
    assert findings(CFN / "DAT002" / "fail.conditions.yaml", "DAT002") == [
        (14, "S3 bucket DataBucket does not enable versioning (when IsProd is false)"),
        (27, "S3 bucket ReportsBucket has versioning suspended or disabled (when IsProd is true)"),
    ]
    assert findings(CFN / "DAT001" / "fail.conditions.yaml", "DAT001") == [
        (12, "S3 bucket SiteBucket declares no public access block: its settings are left to "
             "S3's default and to whoever changes them outside this code (when IsPublicSite is true)"),
        (29, "S3 bucket AssetsBucket: public access block setting BlockPublicPolicy is false "
             "(when IsPublicSite is true)"),
    ]


def test_storage_encryption_from_parameters() -> None:
    path = CFN / "DAT004" / "fail.conditions.yaml"
    result = scan([path], rules=[BY_ID["DAT004"]], workers=1)
    rel = result.findings[0].span.file
    assert [(f.span.start_line, f.message, [p.start_line for p in f.provenance])
            for f in result.findings] == [
        (32, "RDS instance ParameterDatabase explicitly disables storage encryption", [9]),
        (43, "RDS instance TieredDatabase explicitly disables storage encryption "
             "(when IsPremium is false)", []),
        # The scenario pins the parameter's value: its origin is the declaration.
        (54, "RDS instance SwitchDatabase explicitly disables storage encryption "
             "(when Encrypted is false)", [16]),
    ]
    assert all(p.file == rel for f in result.findings for p in f.provenance)


def test_a_parameter_given_on_the_command_line_wins_over_the_default() -> None:
    path = CFN / "DAT004" / "fail.conditions.yaml"
    given = CfnOptions(parameters=(("EncryptStorage", "true"), ("Tier", "premium"),
                                   ("EncryptionSwitch", "false")))
    result = scan([path], rules=[BY_ID["DAT004"]], workers=1, cfn=given)
    # The value has no place in a file: its origin is the parameter's declaration.
    assert [(f.span.start_line, f.message, [p.start_line for p in f.provenance])
            for f in result.findings] == [
        (54, "RDS instance SwitchDatabase explicitly disables storage encryption", [16]),
    ]


def test_never_created_resources_and_impossible_combinations() -> None:
    result = scan([CFN / "NET001" / "pass.conditions.yaml"], rules=[BY_ID["NET001"]], workers=1)
    assert result.findings == []
    notes = [(d.line, d.level, d.code, d.message) for d in result.diagnostics]
    assert notes == [
        (31, DiagnosticLevel.NOTE, "never-created",
         "resource NeverGroup is never created: its condition IsStaging is false in every scenario"),
        (45, DiagnosticLevel.NOTE, "never-created",
         "resource ImpossibleRule is never created: its condition ProdAndDev is false in every "
         "scenario"),
    ]


# -- the loader ------------------------------------------------------------------------

F = "t.yaml"


def resources(text: str, options: CfnOptions | None = None) -> dict[str, object]:
    loaded = read_template(text, F, options)
    return {r.id: r for r in loaded.resources}


REGION = """\
Conditions:
  InUsEast1: !Equals [!Ref AWS::Region, us-east-1]
  NotInUsEast1: !Not [!Condition InUsEast1]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !If [InUsEast1, true, false]
      Description: !If [NotInUsEast1, elsewhere, !Sub "in ${AWS::Region} of ${AWS::Partition}"]
"""


def test_pseudo_parameters_are_unknown_without_region_so_both_branches_occur() -> None:
    found = resources(REGION)
    assert sorted(found) == ["t.yaml::Key@1", "t.yaml::Key@2"]
    # The same comparison is one atom: InUsEast1 and NotInUsEast1 never agree.
    assert [r.scenario for r in found.values()] == [
        (("InUsEast1", False), ("NotInUsEast1", True)),
        (("InUsEast1", True), ("NotInUsEast1", False)),
    ]
    descriptions = [r.body.get("Description") for r in found.values()]
    assert descriptions[0].value == "elsewhere"
    assert descriptions[1].unknown and "--region" in descriptions[1].value.reason


@pytest.mark.parametrize(("region", "rotation", "description"), [
    ("us-east-1", True, "in us-east-1 of aws"),
    ("cn-north-1", False, "elsewhere"),
])
def test_region_option_decides_region_conditions(region: str, rotation: bool, description: str) -> None:
    (key,) = resources(REGION, CfnOptions(region=region)).values()
    assert key.id == "t.yaml::Key"
    assert key.scenario == ()
    assert key.body.get("EnableKeyRotation").value is rotation
    assert key.body.get("Description").value == description


def test_partition_and_url_suffix_follow_the_region() -> None:
    options = CfnOptions(region="cn-northwest-1")
    assert options.pseudo("AWS::Partition") == "aws-cn"
    assert options.pseudo("AWS::URLSuffix") == "amazonaws.com.cn"
    assert CfnOptions(region="us-gov-west-1").pseudo("AWS::Partition") == "aws-us-gov"
    assert CfnOptions(region="eu-west-1").pseudo("AWS::Partition") == "aws"
    assert options.pseudo("AWS::AccountId") is None
    assert CfnOptions().pseudo("AWS::Region") is None


def test_parameter_values_in_a_scenario() -> None:
    text = """\
Parameters:
  Env:
    Type: String
    Default: dev
  Size:
    Type: String
    AllowedValues: [small, medium, large]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsSmall: !Equals [!Ref Size, small]
Resources:
  R:
    Type: AWS::S3::Bucket
    Properties:
      Name: !If [IsProd, !Ref Env, !Ref Env]
      Size: !If [IsSmall, !Ref Size, !Ref Size]
"""
    found = list(resources(text).values())
    assert len(found) == 4
    by_scenario = {r.scenario: r.body for r in found}
    # The default when the scenario allows it, else the value the scenario forces.
    assert by_scenario[(("IsProd", False), ("IsSmall", True))].get("Name").value == "dev"
    assert by_scenario[(("IsProd", True), ("IsSmall", True))].get("Name").value == "prod"
    assert by_scenario[(("IsProd", True), ("IsSmall", True))].get("Size").value == "small"
    # No default and two values left: unknown, with the values it may be.
    size = by_scenario[(("IsProd", True), ("IsSmall", False))].get("Size")
    assert size.unknown
    assert size.value.reason == "parameter Size depends on the scenario: one of medium, large"


def test_condition_of_a_condition_and_or() -> None:
    text = """\
Parameters:
  A: {Type: String, AllowedValues: ["1", "2"]}
Conditions:
  One: !Equals [!Ref A, 1]
  Two: !Equals ["2", !Ref A]
  Either: !Or [!Condition One, !Condition Two]
Resources:
  R:
    Type: AWS::S3::Bucket
    Condition: Either
    Properties:
      V: !If [One, one, two]
"""
    found = resources(text)
    # Either is always true: R exists in both scenarios of One.
    assert sorted(r.body.get("V").value for r in found.values()) == ["one", "two"]
    assert [r.scenario for r in found.values()] == [(("One", False),), (("One", True),)]


def test_scenario_bound_is_reported() -> None:
    count = 7  # 2**7 scenarios > MAX_SCENARIOS
    assert 2 ** count > MAX_SCENARIOS
    params = "".join(f"  P{i}: {{Type: String}}\n" for i in range(count))
    conditions = "".join(f"  C{i}: !Equals [!Ref P{i}, x]\n" for i in range(count))
    tags = "".join(f"        - !If [C{i}, {{Key: k{i}, Value: v}}, !Ref AWS::NoValue]\n"
                   for i in range(count))
    text = (f"Parameters:\n{params}Conditions:\n{conditions}Resources:\n  R:\n"
            f"    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n{tags}")
    loaded = read_template(text, F)
    assert len(loaded.resources) == MAX_SCENARIOS
    (diag,) = loaded.diagnostics
    assert (diag.line, diag.level, diag.code) == (18, DiagnosticLevel.WARNING, "scenario-limit")
    assert f"more than {MAX_SCENARIOS} scenarios" in diag.message
    assert f"only the first {MAX_SCENARIOS} scenarios were scanned" in diag.message


def test_a_finding_in_every_examined_scenario_past_the_bound_is_not_unconditional(
        tmp_path: Path) -> None:
    # 8 conditions on one queue: more scenarios than are examined. The examined ones all
    # have the last condition true, so all fail; the finding must not read as certain.
    count = 8
    params = "".join(f"  P{i}: {{Type: String, AllowedValues: [a, b], Default: a}}\n"
                     for i in range(count))
    conditions = "".join(f"  C{i}: !Equals [!Ref P{i}, a]\n" for i in range(count))
    tags = "".join(f"        - {{Key: k{i}, Value: !If [C{i}, x, y]}}\n" for i in range(count))
    (tmp_path / "t.yaml").write_text(
        f"Parameters:\n{params}Conditions:\n{conditions}Resources:\n  Q:\n"
        f"    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n{tags}"
        "      SqsManagedSseEnabled: !If [C0, false, true]\n")
    ((line, message),) = findings(tmp_path, "DAT007")
    assert line == 32
    assert message.endswith(f"(in {MAX_SCENARIOS} of the template's condition scenarios)")


def test_templates_without_conditions_keep_plain_ids() -> None:
    text = "Parameters:\n  P: {Type: String, Default: x}\nResources:\n  R:\n    Type: AWS::S3::Bucket\n"
    (r,) = resources(text).values()
    assert (r.id, r.scenario, r.scenario_total) == ("t.yaml::R", (), 1)


def test_given_value_outside_allowed_values_is_a_warning() -> None:
    text = ("Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\n"
            "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      N: !Ref Env\n")
    loaded = read_template(text, F, CfnOptions(parameters=(("Env", "test"),)))
    (diag,) = loaded.diagnostics
    assert (diag.line, diag.level, diag.code) == (2, DiagnosticLevel.WARNING, "invalid-parameter")
    assert diag.message == ("the value given for parameter Env (test) is not one of its "
                            "AllowedValues (dev, prod); CloudFormation would refuse it")
    assert loaded.resources[0].body.get("N").value == "test"


# -- options -----------------------------------------------------------------------------


def test_parameter_option() -> None:
    assert parse_parameter_option("Env=prod") == ("Env", "prod")
    assert parse_parameter_option("Cidrs=10.0.0.0/8,a=b") == ("Cidrs", "10.0.0.0/8,a=b")
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_parameter_option("Env")


def test_parameters_files(tmp_path: Path) -> None:
    listed = tmp_path / "list.json"
    listed.write_text('[{"ParameterKey": "Env", "ParameterValue": "prod"},'
                      ' {"ParameterKey": "Old", "UsePreviousValue": true},'
                      ' {"ParameterKey": "Flag", "ParameterValue": true}]')
    assert read_parameters_file(listed) == [("Env", "prod"), ("Flag", "true")]
    config = tmp_path / "config.json"
    config.write_text('{"Parameters": {"Env": "dev", "Subnets": ["a", "b"]}, "Tags": {}}')
    assert read_parameters_file(config) == [("Env", "dev"), ("Subnets", "a,b")]
    bad = tmp_path / "bad.json"
    bad.write_text('{"Env": "prod"}')
    with pytest.raises(ValueError, match="neither"):
        read_parameters_file(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("[")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_parameters_file(broken)


def test_options_change_the_cache_key() -> None:
    assert CfnOptions().cache_tag() == ""
    assert CfnOptions(region="eu-west-1").cache_tag() != CfnOptions(region="us-east-1").cache_tag()


def test_cli_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scanner.cli import main

    target = CFN / "NET001" / "fail.conditions.yaml"
    params = tmp_path / "params.json"
    params.write_text('{"Parameters": {"Env": "dev"}}')
    with pytest.raises(SystemExit):
        main(["scan", str(target), "--format", "json", "--no-color", "--cfn-params", str(params),
              "--cfn-param", "Env=prod", "--region", "eu-west-1"])
    report = json.loads(capsys.readouterr().out)
    lines = sorted(f["location"]["start_line"] for f in report["findings"] if f["rule"] == "NET001")
    assert lines == [56]  # --cfn-param wins over the file
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(target), "--cfn-param", "Env"])
    assert exit_info.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err
