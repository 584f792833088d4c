from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import ResourceStatement
from scanner.views.s3_transport import BucketTransport

ALL_ACTIONS = ("*", "s3:*")
BOOL_OPERATORS = ("bool", "boolifexists")


def denies_http(st: ResourceStatement) -> bool | None:
    """Does the statement deny every S3 action to everyone when aws:SecureTransport is false?

    None when a part it depends on is not known.
    """
    if st.effect.unknown:
        return None
    if str(st.effect.value).strip() != "Deny" or st.not_principal:
        return False
    if not any(not p.unknown and str(p.value).strip() == "*" for p in st.principals):
        return None if any(p.unknown for p in st.principals) else False
    if st.not_action:
        return False  # denies all but some actions: not the documented statement
    if not any(not a.unknown and str(a.value).strip().lower() in ALL_ACTIONS for a in st.actions):
        return None if any(a.unknown for a in st.actions) else False
    if st.conditions_unknown is not None:
        return None
    tests = [t for t in st.conditions
             if t.operator.lower() in BOOL_OPERATORS and t.key.lower() == "aws:securetransport"]
    if any(not v.unknown and str(v.value).strip().lower() == "false" for t in tests for v in t.values):
        # Other tests in the statement narrow the denial; the usual statement has none.
        others = [t for t in st.conditions if t not in tests]
        return not others
    if any(v.unknown for t in tests for v in t.values):
        return None
    return False


def check(bucket: BucketTransport) -> Outcome:
    unknown: str | None = None
    for policy in bucket.policies:
        if policy.unknown is not None:
            unknown = f"bucket policy {policy.address} is not known: {policy.unknown.reason}"
            continue
        for st in policy.statements:
            verdict = denies_http(st)
            if verdict is True:
                return PASS
            if verdict is None:
                unknown = f"a statement of bucket policy {policy.address} is not known"
    if unknown is not None:
        return Undecided(unknown, bucket.span.head())
    if bucket.unresolved is not None:
        return Undecided(bucket.unresolved.reason, bucket.span.head())
    if not bucket.policies:
        why = "has no bucket policy that denies requests over plain HTTP"
    else:
        names = ", ".join(sorted({"its inline policy" if p.address == bucket.address else p.address
                                  for p in bucket.policies}))
        why = f"has a bucket policy ({names}) without a statement that denies requests over plain HTTP"
    return Fail(f'S3 bucket {bucket.address} {why} (Deny "*" s3:* when aws:SecureTransport is "false")',
                bucket.span.head(), attribute="policy")


RULE = Rule(
    id="DAT016",
    name="S3BucketAllowsPlainHttp",
    title="S3 bucket does not deny requests over plain HTTP",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Objects and credentials-bearing requests can cross the network unencrypted when a client "
        "uses the HTTP endpoint; an attacker on the path still needs to be there to read them."
    ),
    domain=Domain.DATA_PROTECTION,
    view=BucketTransport,
    check=check,
    resource_types=("aws_s3_bucket", "aws_s3_bucket_policy", "AWS::S3::Bucket", "AWS::S3::BucketPolicy"),
    rationale=(
        "Encrypting data in transit is the customer's duty. Amazon S3 answers on HTTPS and, for "
        "backward compatibility, still on plain HTTP; AWS has not changed that default, and "
        "only a bucket policy makes the bucket refuse unencrypted requests. The documented "
        "statement (CIS AWS Foundations Benchmark 2.1.1, Security Hub control S3.5) is a Deny "
        'for Principal "*" and Action "s3:*" with the condition Bool aws:SecureTransport '
        '"false". This rule reports a bucket with no bucket policy, or whose policies have no '
        "such statement; a Deny that covers only some actions (s3:PutObject) leaves reads over "
        "HTTP open and does not count, nor does a Deny narrowed by further conditions. The "
        "statement's Resource is not judged: a bucket policy can only name its own bucket and "
        "objects. A policy that cannot be read statically, or a bucket policy whose bucket "
        "cannot be known, leaves the bucket undecided."
    ),
    remediation=(
        'Add a bucket policy statement that denies "s3:*" to Principal "*" on the bucket and its '
        'objects when aws:SecureTransport is "false".'
    ),
    terraform_fix="""\
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyPlainHttp"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}""",
    cloudformation_fix="""\
DataBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref DataBucket
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyPlainHttp
          Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource:
            - !GetAtt DataBucket.Arn
            - !Sub "${DataBucket.Arn}/*"
          Condition:
            Bool:
              aws:SecureTransport: "false\"""",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5",
        "CIS AWS Foundations Benchmark v3.0.0, 2.1.1",
    ),
    security_severity=5.3,
    tags=("s3", "policy", "encryption-in-transit", "cis"),
)
