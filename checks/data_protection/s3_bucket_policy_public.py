from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import BucketPolicy, ConditionTest, ResourceStatement

# Condition keys that tie a grant to something the bucket owner can name and trust (S3
# Block Public Access's own list, plus the organisation and account keys IAM Access
# Analyzer also accepts): a fixed value for one of them makes a grant to "*" non-public.
RESTRICTING_KEYS = frozenset(k.lower() for k in (
    "aws:SourceIp", "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOwner",
    "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
))
# Operators that hold only when the request carries one of the listed values.
MATCHING_OPERATORS = frozenset(o.lower() for o in (
    "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress",
))
ANY_NETWORK = ("0.0.0.0/0", "::/0")


def _restricts(test: ConditionTest) -> bool | None:
    """True when the test pins the grant to fixed values; None when its values are unknown."""
    operator = test.operator.lower()
    if operator.startswith("foranyvalue:"):
        operator = operator.split(":", 1)[1]
    if operator not in MATCHING_OPERATORS or test.key.lower() not in RESTRICTING_KEYS:
        return False
    if not test.values:
        return False
    if any(v.unknown for v in test.values):
        return None
    for v in test.values:
        text = str(v.value)
        if not text or "${" in text or text in ANY_NETWORK:
            return False
        if test.key.lower() != "aws:sourceip" and ("*" in text or "?" in text):
            return False
    return True


def _anyone(st: ResourceStatement) -> tuple[bool | None, object]:
    """Whether the statement applies to any principal, and where to point."""
    if st.not_principal:
        return True, st.span  # Allow + NotPrincipal: everyone but those listed
    star = next((p for p in st.principals if not p.unknown and p.value == "*"), None)
    if star is not None:
        return True, star
    if any(p.unknown for p in st.principals):
        return None, st.span
    return False, st.span


def check(policy: BucketPolicy) -> Iterator[Outcome]:
    if policy.unknown is not None:
        yield Undecided(f"bucket policy not known: {policy.unknown.reason}", policy.span_of_document)
        return
    failed = undecided = False
    on = f" on bucket {policy.bucket}" if policy.bucket else ""
    for st in policy.statements:
        if st.effect.unknown:
            undecided = True
            continue
        if str(st.effect.value) != "Allow":
            continue
        anyone, where = _anyone(st)
        if anyone is None:
            undecided = True
            continue
        if not anyone:
            continue
        if st.conditions_unknown is not None:
            undecided = True
            continue
        verdicts = [_restricts(t) for t in st.conditions]
        if any(v is True for v in verdicts):
            continue
        if any(v is None for v in verdicts):
            undecided = True
            continue
        failed = True
        who = "everyone outside its NotPrincipal" if st.not_principal else 'any principal ("*")'
        named = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"Bucket policy {policy.address}{on} allows {who} without a condition that limits "
            f"who can use it{named}",
            where,  # type: ignore[arg-type]
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
        "control instead."
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
