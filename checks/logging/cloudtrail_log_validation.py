from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.logging import Trail


def check(trail: Trail) -> Outcome:
    validation = trail.log_file_validation
    if validation.unknown:
        return Undecided("log file validation setting is not known", validation.span)
    if validation.value is True:
        return PASS
    if validation.explicit:
        return Fail(f"CloudTrail trail {trail.address} disables log file validation", validation,
                    attribute="enable_log_file_validation")
    return Fail(f"CloudTrail trail {trail.address} does not validate its log files (off by default)",
                validation.span)


RULE = Rule(
    id="LOG003",
    name="CloudTrailLogFileValidationDisabled",
    title="CloudTrail trail does not validate the integrity of its log files",
    severity=Severity.MEDIUM,
    severity_reason="Tampered or deleted audit logs cannot be detected.",
    domain=Domain.LOGGING,
    view=Trail,
    check=check,
    resource_types=("aws_cloudtrail", "AWS::CloudTrail::Trail"),
    rationale=(
        "An audit trail is only evidence if it cannot be altered unnoticed. Log file "
        "validation writes signed digest files that prove whether a log file was changed or "
        "deleted after delivery."
    ),
    remediation="Enable log file validation on the trail.",
    terraform_fix="""\
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
}""",
    cloudformation_fix="""\
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    IsMultiRegionTrail: true
    EnableLogFileValidation: true""",
    references=(
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.2",
    ),
    security_severity=5.0,
    tags=("cloudtrail", "audit", "integrity"),
)
