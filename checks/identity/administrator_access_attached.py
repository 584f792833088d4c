from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field, Unknown
from scanner.views.managed_policies import ManagedPolicyAttachment

# In every partition: aws, aws-cn, aws-us-gov, aws-iso...
ADMINISTRATOR_ACCESS = re.compile(r"arn:aws(?:-[a-z]+)*:iam::aws:policy/AdministratorAccess")


def check(attachment: ManagedPolicyAttachment) -> Iterator[Outcome]:
    unknown: Field[str] | None = None
    failed = False
    for arn in attachment.policy_arns:
        text = _text(arn.value)
        if text is None:
            unknown = unknown or arn
            continue
        if ADMINISTRATOR_ACCESS.fullmatch(text.strip()):
            failed = True
            yield Fail(
                _message(attachment),
                arn,
                attribute="AdministratorAccess",
            )
    if failed:
        return
    if unknown is not None:
        reason = unknown.value.reason if isinstance(unknown.value, Unknown) else "not a string"
        yield Undecided(f"a managed policy ARN is not known statically ({reason})", unknown.span)
    else:
        yield PASS


# Resources that are themselves the principal (a managed-policy list on the role, user or group).
PRINCIPALS = {"aws_iam_role", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}


def _message(attachment: ManagedPolicyAttachment) -> str:
    policy = "the AWS managed AdministratorAccess policy"
    kind = attachment.principal_kind
    if attachment.type in PRINCIPALS:
        return f"IAM {kind} {attachment.address} has {policy} attached"
    if kind in ("role", "user", "group"):
        return f"{attachment.address} attaches {policy} to an IAM {kind}"
    return f"{attachment.address} attaches {policy} to the IAM {kind} it lists"


def _text(value: object) -> str | None:
    """The ARN, or None when not known. An ARN whose only unknown piece is its partition
    (`arn:${AWS::Partition}:...`) names the same policy in every partition: read it as `aws`."""
    if not isinstance(value, Unknown):
        return str(value)
    known = value.known
    if known is None or known.count(Unknown.PIECE) != 1 or not known.startswith("arn:" + Unknown.PIECE + ":"):
        return None
    return known.replace(Unknown.PIECE, "aws")


RULE = Rule(
    id="IAM007",
    name="AdministratorAccessPolicyAttached",
    title="The AWS managed AdministratorAccess policy is attached to a user, group or role",
    severity=Severity.HIGH,
    severity_reason=(
        "Whoever holds the credentials can do anything in the account, including changing IAM, "
        "deleting audit trails and reading every piece of data."
    ),
    domain=Domain.IDENTITY,
    view=ManagedPolicyAttachment,
    check=check,
    resource_types=(
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_role_policy_attachments_exclusive",
        "aws_iam_user_policy_attachments_exclusive",
        "aws_iam_group_policy_attachments_exclusive",
        "aws_iam_role",
        "AWS::IAM::Role",
        "AWS::IAM::User",
        "AWS::IAM::Group",
    ),
    rationale=(
        "AWS maintains the AdministratorAccess managed policy; granting it is the customer's "
        "decision. It allows every action on every resource (\"Action\": \"*\", \"Resource\": \"*\"), "
        "the full administrative privileges that the CIS AWS Foundations Benchmark (1.16) asks "
        "to keep off IAM principals: least privilege means a role, user or group gets the "
        "actions its job needs, and the few people who administer the account get them "
        "through a guarded role (with MFA, short sessions, or IAM Identity Center), not a "
        "standing attachment in infrastructure code. The rule matches "
        "arn:PARTITION:iam::aws:policy/AdministratorAccess in every partition, in attachment "
        "resources and in the managed policy lists of roles, users and groups; an ARN whose "
        "only unknown part is the partition (from a partition data source, or AWS::Partition "
        "without --region) names the same policy in every partition and is judged as such, "
        "while one built from other values not known before deployment is reported as "
        "undecided. The customer must attach a policy scoped "
        "to the job instead, or keep an administrator role deliberately and waive the finding "
        "with a reason."
    ),
    remediation=(
        "Replace AdministratorAccess with a job-function managed policy (for example "
        "ReadOnlyAccess or PowerUserAccess) or a customer managed policy that lists the actions "
        "and resources the principal needs."
    ),
    terraform_fix="""\
resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.deploy_least_privilege.arn # not AdministratorAccess
}""",
    cloudformation_fix="""\
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: ...
    ManagedPolicyArns:
      - !Ref DeployLeastPrivilegePolicy # not arn:aws:iam::aws:policy/AdministratorAccess""",
    references=(
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "CIS AWS Foundations Benchmark v3.0.0, 1.16",
    ),
    security_severity=7.6,
    tags=("iam", "least-privilege", "administrator"),
)
