"""CMP004: the region a resource is deployed to, from Terraform provider configurations
(aliases, modules, AWS provider 6's own `region`) and CloudFormation's `--region`."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.compliance.region_allow_list import RULE
from checks.registry import RULES
from scanner.adapters.cloudformation import residency as cfn_residency
from scanner.adapters.terraform import residency as tf_residency
from scanner.cloudformation.options import CfnOptions
from scanner.config import Config, ConfigError, parse_config
from scanner.engine import ScanResult, scan
from scanner.rules import Domain

ALLOWED = Config(settings={"CMP004": {"allowed_regions": ["eu-central-1", "eu-west-1"]}})


def _scan(tmp_path: Path, files: dict[str, str], config: Config = ALLOWED,
          region: str | None = None) -> ScanResult:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return scan([tmp_path], rules=[RULE], workers=1, config=config,
                cfn=CfnOptions(region=region) if region else None)


def _found(result: ScanResult) -> set[tuple[str, str, int]]:
    return {(f.address, f.span.file, f.span.start_line) for f in result.active}


BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


def test_provider_region_literal_points_at_the_resource_with_the_provider_line(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n' + BUCKET})
    [finding] = result.active
    assert (finding.span.file, finding.span.start_line) == ("main.tf", 4)
    assert [(p.file, p.start_line) for p in finding.provenance] == [("main.tf", 2)]
    assert finding.attribute == "region"
    assert "us-east-1" in finding.message and 'provider "aws"' in finding.message


def test_region_from_variable_default_and_tfvars(tmp_path: Path) -> None:
    src = ('variable "region" {\n  default = "eu-west-1"\n}\n'
           'provider "aws" {\n  region = var.region\n}\n' + BUCKET)
    assert not _scan(tmp_path, {"main.tf": src}).active
    result = _scan(tmp_path, {"terraform.tfvars": 'region = "us-west-2"\n'})
    [finding] = result.active
    assert "us-west-2" in finding.message
    assert ("terraform.tfvars", 1) in [(p.file, p.start_line) for p in finding.provenance]


def test_alias_through_the_provider_meta_argument(tmp_path: Path) -> None:
    src = ('provider "aws" {\n  region = "eu-west-1"\n}\n'
           'provider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'
           'resource "aws_sqs_queue" "eu" {}\n'
           'resource "aws_sqs_queue" "us" {\n  provider = aws.us\n}\n')
    result = _scan(tmp_path, {"main.tf": src})
    assert _found(result) == {("aws_sqs_queue.us", "main.tf", 9)}
    assert 'provider "aws.us"' in result.active[0].message


def test_json_syntax_provider_reference(tmp_path: Path) -> None:
    src = ('{"provider": {"aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]},'
           ' "resource": {"aws_sqs_queue": {"q": {"provider": "aws.us"}}}}')
    result = _scan(tmp_path, {"main.tf.json": src})
    assert [f.address for f in result.active] == ["aws_sqs_queue.q"]


def test_module_inherits_the_default_provider_but_not_aliases(tmp_path: Path) -> None:
    result = _scan(tmp_path, {
        "main.tf": ('provider "aws" {\n  region = "us-east-1"\n}\n'
                    'provider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n'
                    'module "m" {\n  source = "./m"\n}\n'),
        "m/main.tf": BUCKET + 'module "inner" {\n  source = "../n"\n}\n',
        "n/main.tf": 'resource "aws_sns_topic" "t" {}\n',
    })
    assert _found(result) == {("module.m.aws_s3_bucket.b", "m/main.tf", 1),
                              ("module.m.module.inner.aws_sns_topic.t", "n/main.tf", 1)}
    assert all(f.provenance[0].start_line == 2 for f in result.active)  # the root's provider


def test_module_with_a_providers_map(tmp_path: Path) -> None:
    result = _scan(tmp_path, {
        "main.tf": ('provider "aws" {\n  region = "eu-west-1"\n}\n'
                    'provider "aws" {\n  alias  = "us"\n  region = "us-east-2"\n}\n'
                    'module "m" {\n  source = "./m"\n  providers = {\n    aws = aws.us\n'
                    '    aws.copy = aws\n  }\n}\n'),
        "m/main.tf": BUCKET + 'resource "aws_s3_bucket" "copy" {\n  provider = aws.copy\n}\n',
    })
    assert _found(result) == {("module.m.aws_s3_bucket.b", "m/main.tf", 1)}
    assert "us-east-2" in result.active[0].message


def test_a_module_own_provider_block_wins(tmp_path: Path) -> None:
    result = _scan(tmp_path, {
        "main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nmodule "m" {\n  source = "./m"\n}\n',
        "m/main.tf": 'provider "aws" {\n  region = "ca-central-1"\n}\n' + BUCKET,
    })
    assert [f.address for f in result.active] == ["module.m.aws_s3_bucket.b"]


def test_modelled_registry_module_uses_the_providers_it_is_given(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"main.tf": (
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'provider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'
        'module "bucket" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "4.1.0"\n'
        '  bucket  = "x"\n  providers = {\n    aws = aws.us\n  }\n}\n')})
    assert [f.address for f in result.active] == ["module.bucket.aws_s3_bucket.this[0]"]


def test_provider_6_resource_region_overrides_the_provider(tmp_path: Path) -> None:
    src = ('provider "aws" {\n  region = "us-east-1"\n}\n'
           'resource "aws_sqs_queue" "eu" {\n  region = "eu-central-1"\n}\n'
           'resource "aws_sqs_queue" "ap" {\n  region = "ap-south-1"\n}\n')
    result = _scan(tmp_path, {"main.tf": src})
    [finding] = result.active  # the provider's us-east-1 is overridden by both queues
    assert (finding.address, finding.span.start_line) == ("aws_sqs_queue.ap", 8)
    assert not finding.provenance
    assert "its own region argument" in finding.message


def test_replicas_are_judged_on_their_own_lines(tmp_path: Path) -> None:
    src = ('provider "aws" {\n  region = "eu-west-1"\n}\n'
           'resource "aws_dynamodb_table" "t" {\n  replica {\n    region_name = "eu-central-1"\n  }\n'
           '  replica {\n    region_name = "us-east-1"\n  }\n}\n')
    result = _scan(tmp_path, {"main.tf": src})
    assert _found(result) == {("aws_dynamodb_table.t", "main.tf", 9)}
    assert result.active[0].attribute == "replica[1].region_name"


@pytest.mark.parametrize("src", [
    BUCKET,  # no provider block at all
    'provider "aws" {}\n' + BUCKET,  # no region in it
    'variable "r" {}\nprovider "aws" {\n  region = var.r\n}\n' + BUCKET,  # no value given
    'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_s3_bucket" "b" {\n  provider = aws.nope\n}\n',
])
def test_unknown_region_is_undecided_and_silent(tmp_path: Path, src: str) -> None:
    result = _scan(tmp_path, {"main.tf": src})
    assert not result.active
    assert [u.rule.id for u in result.undetermined] == ["CMP004"]
    assert "region not known" in result.undetermined[0].reason


def test_wildcards_and_case(tmp_path: Path) -> None:
    config = Config(settings={"CMP004": {"allowed_regions": ["EU-*"]}})
    src = 'provider "aws" {\n  region = "eu-north-1"\n}\n' + BUCKET
    assert not _scan(tmp_path, {"main.tf": src}, config).active
    src = 'provider "aws" {\n  region = "us-east-1"\n}\n' + BUCKET
    assert len(_scan(tmp_path, {"main.tf": src}, config).active) == 1


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Table:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: !Ref AWS::Region
        - Region: eu-west-1
  Role:
    Type: AWS::IAM::Role
"""


def test_cloudformation_without_region_is_undecided(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"t.yaml": CFN})
    assert not result.active
    assert {u.address for u in result.undetermined} == {"Bucket", "Table"}


def test_cloudformation_with_region(tmp_path: Path) -> None:
    assert not _scan(tmp_path, {"t.yaml": CFN}, region="eu-central-1").active
    result = _scan(tmp_path, {"t.yaml": CFN}, region="us-west-2")
    # The bucket on its first line; the global table on its replica that follows the stack.
    assert _found(result) == {("Bucket", "t.yaml", 3), ("Table", "t.yaml", 9)}
    assert not result.undetermined


def test_option_unset_the_rule_does_not_run_and_counts_nowhere(tmp_path: Path) -> None:
    src = 'provider "aws" {\n  region = "us-east-1"\n}\n' + BUCKET
    for config in (Config(), Config(settings={"CMP004": {"allowed_regions": []}})):
        result = _scan(tmp_path, {"main.tf": src}, config)
        assert not result.active and not result.undetermined
        assert result.rules == ()
        assert not result.scores[Domain.COMPLIANCE].resources


def test_option_is_type_checked() -> None:
    with pytest.raises(ConfigError, match="allowed_regions must be a list"):
        parse_config({"rules": {"CMP004": {"allowed_regions": "eu-west-1"}}}, "x.toml", RULES)
    with pytest.raises(ConfigError, match="allowed_regions must be a list"):
        parse_config({"rules": {"CMP004": {"allowed_regions": [1]}}}, "x.toml", RULES)


def test_rule_lists_exactly_the_adapted_types() -> None:
    assert set(RULE.resource_types) == set(tf_residency.SERVICES) | set(cfn_residency.SERVICES)
