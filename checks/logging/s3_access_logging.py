from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.s3 import Bucket


def check(bucket: Bucket) -> Outcome:
    if bucket.is_log_target:
        return PASS  # the bucket receiving access logs would log into itself or a chain
    logging = bucket.logging_enabled
    if logging.unknown:
        return Undecided("access logging configuration is not known", logging.span)
    if logging.value is True:
        return PASS
    return Fail(f"S3 bucket {bucket.address} does not log server access requests", bucket.span)


RULE = Rule(
    id="LOG001",
    name="S3BucketAccessLoggingDisabled",
    title="S3 bucket does not record server access logs",
    severity=Severity.MEDIUM,
    severity_reason="Without access logs, who read or changed data cannot be established after an incident.",
    domain=Domain.LOGGING,
    view=Bucket,
    check=check,
    resource_types=("aws_s3_bucket", "aws_s3_bucket_logging", "AWS::S3::Bucket"),
    rationale=(
        "Keeping an audit trail of access to data is the customer's duty. Server access logs "
        "record each request to the bucket. A bucket that itself receives other buckets' "
        "access logs is not flagged: logging it into itself would loop."
    ),
    remediation="Send the bucket's access logs to a dedicated logging bucket.",
    terraform_fix="""\
resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}""",
    cloudformation_fix="""\
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    LoggingConfiguration:
      DestinationBucketName: !Ref LogBucket
      LogFilePrefix: data/""",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.4",
    ),
    security_severity=4.0,
    tags=("s3", "audit"),
)
