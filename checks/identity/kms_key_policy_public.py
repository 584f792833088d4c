from __future__ import annotations

from collections.abc import Iterator

from checks.policy_conditions import public_statements
from scanner.rules import Domain, Outcome, Rule, Severity
from scanner.views.resource_policies import KeyPolicy


def check(policy: KeyPolicy) -> Iterator[Outcome]:
    yield from public_statements(policy, "Key policy", "key")


RULE = Rule(
    id="IAM006",
    name="KMSKeyPolicyAllowsAnyPrincipal",
    title='KMS key policy allows any principal ("*") without a restricting condition',
    severity=Severity.HIGH,
    severity_reason=(
        "Every AWS account can use or manage the key as far as the statement allows: decrypt the "
        "data it protects, create grants, or change the policy itself."
    ),
    domain=Domain.IDENTITY,
    view=KeyPolicy,
    check=check,
    resource_types=("aws_kms_key", "aws_kms_key_policy", "AWS::KMS::Key"),
    rationale=(
        "AWS KMS protects the key material; who may use a key is the customer's duty, and the "
        "key policy is the primary way to say it. An Allow statement whose Principal is \"*\" "
        "(or {\"AWS\": \"*\"}), or an Allow with NotPrincipal, applies to every principal of every "
        "AWS account, unless a condition pins it to callers the key owner controls: a fixed "
        "kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn, "
        "aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:SourceAccount or aws:SourceArn with a "
        "matching operator. kms:ViaService alone does not count: it limits the path, and a "
        "principal of another account can reach the key through the same service. The default "
        "key policy names the account root (arn:aws:iam::ACCOUNT:root), not \"*\", and is not "
        "reported. The customer must name the principals that use the key, or keep \"*\" only "
        "with a condition such as kms:CallerAccount. "
        "A condition value known only at deployment (the stack's own account id from "
        "AWS::AccountId or aws_caller_identity) still names one value under StringEquals "
        "and StringEqualsIgnoreCase, which compare literally, and counts; under StringLike, "
        "ArnLike, ArnEquals and IpAddress, which take wildcards and ranges, it counts only "
        "when its written part already pins it, and is undecided otherwise."
    ),
    remediation=(
        "Name the account, roles or services that need the key in Principal, or add a "
        "kms:CallerAccount (or aws:PrincipalOrgID) condition to the statement."
    ),
    terraform_fix="""\
resource "aws_kms_key" "data" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "KeyAdministration"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}""",
    cloudformation_fix="""\
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Sid: KeyAdministration
          Effect: Allow
          Principal:
            AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
          Action: kms:*
          Resource: "*\"""",
    references=(
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account",
    ),
    security_severity=8.2,
    tags=("kms", "policy", "public"),
)
