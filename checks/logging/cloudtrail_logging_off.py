from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.logging import Trail


def check(trail: Trail) -> Outcome:
    logging = trail.logging_enabled
    if logging.unknown:
        return Undecided("whether the trail is logging is not known", logging.span)
    if logging.value is True:
        return PASS
    if logging.explicit:
        return Fail(f"CloudTrail trail {trail.address} has logging turned off: it records no events",
                    logging, attribute="enable_logging")
    # Only CloudFormation gets here: IsLogging is required there, and Terraform defaults to true.
    return Fail(f"CloudTrail trail {trail.address} does not set IsLogging, which is required: "
                "CloudFormation rejects the trail and no events are recorded", trail.span)


RULE = Rule(
    id="LOG006",
    name="CloudTrailLoggingTurnedOff",
    title="CloudTrail trail has logging turned off",
    severity=Severity.HIGH,
    severity_reason=(
        "A trail that is not logging records no API activity: changes, data access and "
        "attacks go unrecorded while the trail appears to exist."
    ),
    domain=Domain.LOGGING,
    view=Trail,
    check=check,
    resource_types=("aws_cloudtrail", "AWS::CloudTrail::Trail"),
    rationale=(
        "Recording who did what in the account is the customer's duty: AWS keeps only 90 days "
        "of management events in Event history, and a trail is how events are kept and "
        "delivered for analysis. A trail can exist while its logging is stopped. Terraform's "
        "enable_logging defaults to true; in CloudFormation IsLogging is required, so a trail "
        "without it is reported too (the stack cannot create it)."
    ),
    remediation="Turn logging on: enable_logging = true (Terraform) or IsLogging: true (CloudFormation).",
    terraform_fix="""\
resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = aws_s3_bucket.trail.id
  is_multi_region_trail = true
  enable_logging        = true
}""",
    cloudformation_fix="""\
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    IsMultiRegionTrail: true""",
    references=(
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.1",
    ),
    security_severity=7.5,
    tags=("cloudtrail", "audit"),
)
