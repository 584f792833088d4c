from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.values import Field
from scanner.views.identity import PasswordPolicy


def _judge(setting: Field[int], minimum: int, name: str, what: str,
           address: str) -> Fail | Undecided | None:
    if setting.unknown:
        return Undecided(f"{name} is not known", setting.span)
    value = setting.value
    if isinstance(value, int) and value >= minimum:
        return None
    given = f"is {value}" if setting.explicit else f"is not set ({value})"
    return Fail(f"Password policy {address}: {name} {given}; {what} {minimum}", setting,
                attribute=name)


def check(policy: PasswordPolicy, settings: Mapping[str, Any]) -> Iterator[Outcome]:
    outcomes = [
        _judge(policy.minimum_password_length, int(settings["minimum_length"]),
               "minimum_password_length", "passwords should be at least", policy.address),
        _judge(policy.password_reuse_prevention, int(settings["reuse_prevention"]),
               "password_reuse_prevention", "it should remember at least", policy.address),
    ]
    found = [o for o in outcomes if o is not None]
    yield from found
    if not found:
        yield PASS


RULE = Rule(
    id="IAM003",
    name="IAMPasswordPolicyTooWeak",
    title="IAM account password policy allows short or reused passwords",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Short and reused console passwords are the ones guessed and replayed from other "
        "breaches; the policy applies to every IAM user of the account."
    ),
    domain=Domain.IDENTITY,
    view=PasswordPolicy,
    check=check,
    resource_types=("aws_iam_account_password_policy",),
    rationale=(
        "How IAM users authenticate is the customer's duty. The CIS benchmark asks for a "
        "password policy that requires at least 14 characters (CIS 1.8) and prevents the "
        "reuse of the last 24 passwords (CIS 1.9); both numbers are the options "
        "`minimum_length` and `reuse_prevention`. A setting left out of "
        "aws_iam_account_password_policy takes AWS's value when the policy is set: a minimum "
        "length of 6 and no reuse prevention. CloudFormation has no resource type for the "
        "account password policy (it is set once per account through the IAM API, the "
        "console or Terraform), so this rule covers Terraform only; an account that defines "
        "no policy at all is not visible in a template and is not judged. Multi-factor "
        "authentication, or federation instead of IAM users, protects far better than any "
        "password rule."
    ),
    remediation=(
        "Set minimum_password_length to 14 or more and password_reuse_prevention to 24 in "
        "aws_iam_account_password_policy; where CloudFormation manages the account, set the "
        "policy once with `aws iam update-account-password-policy`."
    ),
    terraform_fix="""\
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 14
  password_reuse_prevention      = 24
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
}""",
    cloudformation_fix="""\
# CloudFormation has no resource for the account password policy; set it once per
# account with the AWS CLI (or a Terraform configuration):
#   aws iam update-account-password-policy \\
#     --minimum-password-length 14 --password-reuse-prevention 24 \\
#     --require-lowercase-characters --require-uppercase-characters \\
#     --require-numbers --require-symbols --allow-users-to-change-password""",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-15",
        "CIS AWS Foundations Benchmark v3.0.0, 1.8 and 1.9",
    ),
    security_severity=5.0,
    tags=("iam", "passwords", "cis"),
    options=(
        RuleOption("minimum_length", 14, "the shortest password length the policy may allow"),
        RuleOption("reuse_prevention", 24, "how many previous passwords the policy must remember"),
    ),
)
