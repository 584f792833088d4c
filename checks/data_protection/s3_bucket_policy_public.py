from __future__ import annotations

from collections.abc import Iterator

from checks.policy_conditions import RESTRICTING_KEYS, open_to_anyone
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import BucketPolicy

# The keys every resource policy rule accepts, plus S3's own that tie a grant to something the
# bucket owner can name (S3 Block Public Access counts them too).
S3_RESTRICTING_KEYS = RESTRICTING_KEYS | frozenset(k.lower() for k in (
    "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
))


def check(policy: BucketPolicy) -> Iterator[Outcome]:
    if policy.unknown is not None:
        yield Undecided(f"bucket policy not known: {policy.unknown.reason}", policy.span_of_document)
        return
    failed = undecided = False
    on = f" on bucket {policy.bucket}" if policy.bucket else ""
    for st in policy.statements:
        verdict, where = open_to_anyone(st, S3_RESTRICTING_KEYS)
        if verdict is None:
            undecided = True
        if not verdict:
            continue
        failed = True
        who = "everyone outside its NotPrincipal" if st.not_principal else 'any principal ("*")'
        named = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"Bucket policy {policy.address}{on} allows {who} without a condition that limits "
            f"who can use it{named}",
            where if where is not None else st.span,
            attribute=st.sid or f"statement@{st.span.start_line}",
        )
    if failed:
        return
    yield Undecided("some statements are not known", policy.span_of_document) if undecided else PASS


RULE = Rule(
    id="DAT015",
    name="S3BucketPolicyAllowsAnyPrincipal",
    title='S3 bucket policy allows any principal ("*") without a restricting condition',
    severity=Severity.HIGH,
    severity_reason="Whatever the statement allows (reading, listing, writing, deleting objects) is "
                    "offered to every AWS account and anonymous caller on the internet.",
    domain=Domain.DATA_PROTECTION,
    view=BucketPolicy,
    check=check,
    resource_types=("aws_s3_bucket_policy", "aws_s3_bucket", "AWS::S3::BucketPolicy"),
    rationale=(
        "Deciding who may read and change its data is the customer's duty. An Allow statement "
        'whose Principal is "*" (or {"AWS": "*"}), or an Allow with NotPrincipal, grants its '
        "actions to anyone, signed in or anonymous, unless a condition pins it to something the "
        "owner controls: a fixed aws:SourceVpc, aws:SourceVpce, aws:SourceIp range, "
        "aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:PrincipalAccount or similar "
        "key with a matching operator (S3 Block Public Access uses the same test to call a "
        "policy public). Conditions such as aws:SecureTransport restrict how, not who, and do "
        "not count. S3 Block Public Access, on by default for new buckets since April 2023, "
        "rejects or neutralises such a policy while it stays on; this rule judges the policy "
        "itself, so the grant does not become real the day the block is lifted. The customer "
        "must name the principals (accounts, roles, service principals) or add a restricting "
        "condition; for public websites, serve the bucket through CloudFront with origin access "
        "control instead. "
        "A condition value known only at deployment (the stack's own account id from "
        "AWS::AccountId or aws_caller_identity) still names one value under StringEquals "
        "and StringEqualsIgnoreCase, which compare literally, and counts; under StringLike, "
        "ArnLike, ArnEquals and IpAddress, which take wildcards and ranges, it counts only "
        "when its written part already pins it, and is undecided otherwise."
    ),
    remediation='Replace "*" with the principals that need access, or add a condition on aws:SourceVpce, '
                "aws:SourceArn, aws:PrincipalOrgID or a similar key.",
    terraform_fix="""\
resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.assets.arn}/*"
      Condition = {
        StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.site.arn }
      }
    }]
  })
}""",
    cloudformation_fix="""\
AssetsBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref AssetsBucket
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal:
            Service: cloudfront.amazonaws.com
          Action: s3:GetObject
          Resource: !Sub "${AssetsBucket.Arn}/*"
          Condition:
            StringEquals:
              AWS:SourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${Distribution}\"""",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
    ),
    security_severity=8.5,
    tags=("s3", "policy", "public"),
)
