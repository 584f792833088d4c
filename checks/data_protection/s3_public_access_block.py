from __future__ import annotations

from collections.abc import Iterator

from scanner.resources import Format
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.s3 import Bucket, DetachedAccessBlock, PublicAccessBlock

# Each setting's name in a CloudFormation PublicAccessBlockConfiguration, so that a message
# names the property the user has to change in the format they wrote.
CLOUDFORMATION_NAMES = {
    "block_public_acls": "BlockPublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "ignore_public_acls": "IgnorePublicAcls",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


def check(view: Bucket | DetachedAccessBlock) -> Iterator[Outcome]:
    if isinstance(view, DetachedAccessBlock):
        yield from _settings(view.block, f"Public access block {view.address}", view.format)
        return
    bucket = view
    account = bucket.account_public_access_block
    if account is not None and all(f.value is True for f in account.settings().values()):
        yield PASS
        return
    block = bucket.public_access_block
    if block is None:
        yield Fail(
            f"S3 bucket {bucket.address} declares no public access block: its settings are left "
            "to S3's default and to whoever changes them outside this code",
            bucket.span,
        )
        return
    yield from _settings(block, f"S3 bucket {bucket.address}: public access block", bucket.format)


def _settings(block: PublicAccessBlock, subject: str, fmt: Format) -> Iterator[Outcome]:
    failed = False
    for key, setting in block.settings().items():
        if setting.unknown:
            continue
        if setting.value is not True:
            failed = True
            how = "is false" if setting.explicit else "is not set (defaults to false)"
            # The attribute stays the format-independent key: it is part of the finding's
            # fingerprint, which must not change with the wording.
            yield Fail(f"{subject} setting {_name(key, fmt)} {how}", setting, attribute=key)
    if not failed:
        unknown = [_name(n, fmt) for n, f in block.settings().items() if f.unknown]
        if unknown:
            yield Undecided(f"public access block settings not known: {', '.join(unknown)}", block.span)
        else:
            yield PASS


def _name(key: str, fmt: Format) -> str:
    return CLOUDFORMATION_NAMES[key] if fmt is Format.CLOUDFORMATION else key


RULE = Rule(
    id="DAT001",
    name="S3BucketPublicAccessNotBlocked",
    title="S3 bucket does not block public access with all four settings",
    severity=Severity.HIGH,
    severity_reason="A single public ACL or policy exposes every object in the bucket to the internet.",
    domain=Domain.DATA_PROTECTION,
    view=(Bucket, DetachedAccessBlock),
    check=check,
    resource_types=("aws_s3_bucket", "aws_s3_bucket_public_access_block",
                    "aws_s3_account_public_access_block", "AWS::S3::Bucket"),
    rationale=(
        "Keeping stored data private is the customer's duty. An S3 public access block "
        "overrides ACLs and bucket policies that would grant public access; all four "
        "settings are needed, since each closes a different path (new public ACLs, existing "
        "public ACLs, new public policies, cross-account access through a public policy). "
        "A block at account level (aws_s3_account_public_access_block) with all four settings "
        "satisfies this rule for every bucket; an account-level block that leaves a setting "
        "off is itself reported. Since April 2023 S3 turns all four settings on "
        "for new buckets, but a bucket whose code declares no block is still reported: the "
        "settings of a bucket created earlier (or imported) are unknown, and settings nobody "
        "declared can be switched off in the console or by a script without a review and "
        "without the code ever restoring them."
    ),
    remediation="Add a public access block to the bucket with all four settings true.",
    terraform_fix="""\
resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}""",
    cloudformation_fix="""\
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.1.4",
    ),
    security_severity=7.5,
    tags=("s3", "public-access"),
)
