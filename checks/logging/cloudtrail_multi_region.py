from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.logging import Trail


def check(trail: Trail) -> Outcome:
    multi = trail.multi_region
    if multi.unknown:
        return Undecided("multi-region setting is not known", multi.span)
    if multi.value is True:
        return PASS
    if multi.explicit:
        return Fail(f"CloudTrail trail {trail.address} records only its own region", multi,
                    attribute="is_multi_region_trail")
    return Fail(f"CloudTrail trail {trail.address} is single-region (the default)", multi.span)


RULE = Rule(
    id="LOG002",
    name="CloudTrailNotMultiRegion",
    title="CloudTrail trail does not record all regions",
    severity=Severity.MEDIUM,
    severity_reason="Activity in an unused region, a favourite of attackers, goes unrecorded.",
    domain=Domain.LOGGING,
    view=Trail,
    check=check,
    resource_types=("aws_cloudtrail", "AWS::CloudTrail::Trail"),
    rationale=(
        "Keeping an audit trail of API activity is the customer's duty. A single-region trail "
        "misses calls made in every other region, including global service events where "
        "they land elsewhere."
    ),
    remediation="Make the trail multi-region.",
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
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.1",
    ),
    security_severity=5.0,
    tags=("cloudtrail", "audit"),
)
