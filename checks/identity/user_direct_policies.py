from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.identity import UserPolicyGrant


def check(grant: UserPolicyGrant) -> Iterator[Outcome]:
    users = grant.users
    if users.unknown:
        yield Undecided("the users the policy is given to are not known", users.span)
        return
    if not users.value:
        yield PASS
        return
    known = [n for n in users.value if isinstance(n, str) and n != "?"]  # type: ignore[union-attr]
    if known:
        whom = f"IAM user{'s' if len(known) > 1 else ''} {', '.join(known)}"
        if len(known) < len(users.value):  # type: ignore[arg-type]
            whom += " and others"
    else:
        whom = "IAM users" if len(users.value) > 1 else "an IAM user"  # type: ignore[arg-type]
    what = "an inline policy" if grant.kind == "inline" else "a managed policy"
    yield Fail(
        f"{grant.address} gives {what} directly to {whom}: grant it through a group",
        users,
        attribute=grant.name,
    )


RULE = Rule(
    id="IAM002",
    name="IAMUserHasDirectPolicies",
    title="IAM policy is attached directly to a user instead of a group",
    severity=Severity.LOW,
    severity_reason=(
        "Not exploitable by itself, but permissions scattered over single users are hard to "
        "review and tend to outlive the job that needed them."
    ),
    domain=Domain.IDENTITY,
    view=UserPolicyGrant,
    check=check,
    resource_types=(
        "aws_iam_user_policy",
        "aws_iam_user_policy_attachment",
        "aws_iam_policy_attachment",
        "AWS::IAM::User",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
    ),
    rationale=(
        "Granting permissions is the customer's duty, and the CIS benchmark asks that IAM "
        "users receive them only through groups (CIS 1.15): a group per job function keeps "
        "permissions consistent, reviewable and easy to take away when a person changes "
        "role. The rule flags inline user policies (aws_iam_user_policy, an AWS::IAM::User's "
        "Policies, an AWS::IAM::Policy that lists Users) and managed policies attached to "
        "users (aws_iam_user_policy_attachment, aws_iam_policy_attachment with users, an "
        "AWS::IAM::User's ManagedPolicyArns, an AWS::IAM::ManagedPolicy that lists Users). "
        "Better still, people should sign in through IAM Identity Center or a federated "
        "identity provider and use roles rather than IAM users."
    ),
    remediation=(
        "Put the policy on a group for the job function and add the user to the group "
        "(aws_iam_group_policy_attachment and aws_iam_user_group_membership; "
        "AWS::IAM::Group and AWS::IAM::UserToGroupAddition)."
    ),
    terraform_fix="""\
resource "aws_iam_group" "deployers" {
  name = "deployers"
}

resource "aws_iam_group_policy_attachment" "deployers" {
  group      = aws_iam_group.deployers.name
  policy_arn = aws_iam_policy.deploy.arn
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.deployers.name]
}""",
    cloudformation_fix="""\
Deployers:
  Type: AWS::IAM::Group
  Properties:
    ManagedPolicyArns:
      - !Ref DeployPolicy
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups:
      - !Ref Deployers""",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2",
        "CIS AWS Foundations Benchmark v3.0.0, 1.15",
    ),
    security_severity=3.5,
    tags=("iam", "least-privilege", "cis"),
)
