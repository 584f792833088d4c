from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.logging import Trail


def check(trail: Trail) -> Outcome:
    key = trail.kms_key_id
    if isinstance(key.value, Unknown):
        if key.names_something:
            return PASS  # a key of this configuration, or an ARN written around unknown pieces
        return Undecided("the trail's KMS key is not known", key.span)
    if key.value.strip():
        return PASS
    if key.explicit:
        return Fail(f"CloudTrail trail {trail.address} sets an empty KMS key: its log files are "
                    "encrypted with SSE-S3 only", key, attribute="kms_key_id")
    return Fail(f"CloudTrail trail {trail.address} does not encrypt its log files with a KMS key "
                "(SSE-S3 only by default)", key.span)


RULE = Rule(
    id="LOG005",
    name="CloudTrailLogsNotEncryptedWithKMS",
    title="CloudTrail trail does not encrypt its log files with a KMS key",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Anyone who can read the log bucket can read the account's whole API history; a KMS key "
        "adds a second permission and an audit record of every decryption."
    ),
    domain=Domain.LOGGING,
    view=Trail,
    check=check,
    resource_types=("aws_cloudtrail", "AWS::CloudTrail::Trail"),
    rationale=(
        "Protecting the audit trail is the customer's duty. By default CloudTrail log files are "
        "encrypted with Amazon S3 managed keys (SSE-S3), so read access to the bucket is enough "
        "to read them. With SSE-KMS, a reader also needs kms:Decrypt on a key whose policy the "
        "customer controls, and every use of the key is itself logged. The key must be a "
        "symmetric customer managed key in the trail's home region whose policy allows "
        "CloudTrail to encrypt. A key given as a reference to a key of the configuration "
        "counts as set; a key that is not known before deployment leaves the rule undecided."
    ),
    remediation=(
        "Create a customer managed KMS key whose key policy lets cloudtrail.amazonaws.com "
        "generate data keys, and set it as the trail's KMS key."
    ),
    terraform_fix="""\
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.trail.arn
}""",
    cloudformation_fix="""\
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    IsMultiRegionTrail: true
    KMSKeyId: !GetAtt TrailKey.Arn""",
    references=(
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.5",
    ),
    security_severity=4.5,
    tags=("cloudtrail", "audit", "encryption", "kms"),
)
