"""CloudFormation values that are partly known still decide a rule, and unreadable YAML is
explained in words a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.registry import BY_ID
from scanner.cloudformation import read_template
from scanner.engine import scan

# Keys and destinations written the way real templates write them: an ARN built with `!Sub`
# around pseudo parameters, known only at deployment but certainly naming something.
NAMED_BY_SUB = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  KeyArn:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/app'
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/q'
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      KmsKeyId: !Join [':', [arn, !Ref AWS::Partition, kms, !Ref AWS::Region, !Ref AWS::AccountId, key/1]]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
      S3BucketName: trail-logs
      KMSKeyId: !Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/trail'
  ParamTopic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Sub '${KeyArn}'
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: api
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: abc123
      StageName: v1
      AccessLogSetting:
        DestinationArn: !Sub arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/api/v1
        Format: $context.requestId
"""


def _scan(tmp_path: Path, text: str, rule_ids: list[str]) -> tuple[set[tuple[str, str]],
                                                                      set[tuple[str, str]],
                                                                      set[tuple[str, str]]]:
    (tmp_path / "template.yaml").write_text(text, encoding="utf-8")
    result = scan([tmp_path], rules=[BY_ID[r] for r in rule_ids], workers=1)
    assert not result.failed_files, result.diagnostics
    return ({(f.rule.id, f.address) for f in result.findings},
            {(u.rule.id, u.address) for u in result.undetermined},
            {(p.rule.id, p.address) for p in result.passed})


def test_a_key_arn_built_around_deployment_values_names_a_key(tmp_path: Path) -> None:
    failed, undecided, passed = _scan(tmp_path, NAMED_BY_SUB,
                                      ["DAT006", "DAT007", "LOG009", "LOG005", "LOG008"])
    assert failed == set()
    assert {("DAT006", "Topic"), ("DAT007", "Queue"), ("LOG009", "Logs"), ("LOG005", "Trail"),
            ("LOG008", "Stage")} <= passed
    # Only the text of a parameter without value: it may be empty, so still not known.
    assert undecided == {("DAT006", "ParamTopic")}


CLOUDFRONT = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  CertificateArn:
    Type: String
Resources:
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        WebACLId: arn:aws:wafv2:us-east-1:111122223333:global/webacl/site/1
        Logging: {Bucket: logs.s3.amazonaws.com}
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
        Origins: [{Id: o, DomainName: example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}]
        ViewerCertificate:
          AcmCertificateArn: !Ref CertificateArn
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
  Unsure:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
        Origins: [{Id: o, DomainName: example.com}]
        ViewerCertificate:
          AcmCertificateArn: !Ref CertificateArn
          MinimumProtocolVersion: TLSv1.2_2021
"""


def test_ssl_support_method_says_the_certificate_is_the_distributions_own(tmp_path: Path) -> None:
    failed, undecided, passed = _scan(tmp_path, CLOUDFRONT, ["APP002"])
    assert failed == set()
    assert ("APP002", "Site") in passed
    # Without SslSupportMethod a certificate parameter left empty would mean the default one.
    assert undecided == {("APP002", "Unsure")}


@pytest.mark.parametrize(("text", "line", "words"), [
    ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n\tType: AWS::SQS::Queue\n",
     4, "a tab character where YAML allows only spaces"),
    ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
     "  Q:\n    Type: AWS::SNS::Topic\n", 5, "the key 'Q' appears more than once"),
    ('{"Resources": {\n "T": {"Type": "AWS::SNS::Topic"},\n "T": {"Type": "AWS::SQS::Queue"}}}\n',
     3, "the key 'T' appears more than once"),
])
def test_parse_errors_say_what_to_change(text: str, line: int, words: str) -> None:
    loaded = read_template(text, "t.yaml")
    assert not loaded.resources
    assert any(d.line == line and words in d.message for d in loaded.diagnostics), [
        (d.line, d.message) for d in loaded.diagnostics]
