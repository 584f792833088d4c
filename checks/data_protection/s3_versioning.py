from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.s3 import Bucket


def check(bucket: Bucket) -> Outcome:
    versioning = bucket.versioning_enabled
    if versioning.unknown:
        return Undecided("versioning status is not known", versioning.span)
    if versioning.value is True:
        return PASS
    if versioning.explicit:
        return Fail(f"S3 bucket {bucket.address} has versioning suspended or disabled",
                    versioning, attribute="versioning")
    return Fail(f"S3 bucket {bucket.address} does not enable versioning", versioning.span)


RULE = Rule(
    id="DAT002",
    name="S3BucketVersioningDisabled",
    title="S3 bucket does not keep object versions",
    severity=Severity.MEDIUM,
    severity_reason="Without versions an overwrite or delete, by mistake or by ransomware, cannot be undone.",
    domain=Domain.DATA_PROTECTION,
    view=Bucket,
    check=check,
    resource_types=("aws_s3_bucket", "aws_s3_bucket_versioning", "AWS::S3::Bucket"),
    rationale=(
        "AWS keeps S3 durable against hardware loss; protecting data against deletion and "
        "overwriting by the customer's own users and software is the customer's duty. "
        "Versioning keeps every version of every object so that it can be restored."
    ),
    remediation="Enable versioning on the bucket (and consider lifecycle rules to expire old versions).",
    terraform_fix="""\
resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}""",
    cloudformation_fix="""\
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled""",
    references=("https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",),
    security_severity=4.0,
    tags=("s3", "backup"),
)
