from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.iam import PolicyDocument, Statement

# IAM actions that, allowed on every resource, let a principal give itself (or a principal it
# controls) more permissions than it has: each is a documented way to become administrator.
ESCALATION_ACTIONS = (
    "iam:CreatePolicyVersion",  # rewrite any customer managed policy and make it the default
    "iam:SetDefaultPolicyVersion",  # switch a policy back to an older, broader version
    "iam:AttachUserPolicy",  # attach AdministratorAccess to a user, group or role
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",  # write an inline policy that allows everything
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",  # join an administrators group
    "iam:CreateAccessKey",  # make access keys for any user, an administrator included
    "iam:CreateLoginProfile",  # give any user a console password, or change it
    "iam:UpdateLoginProfile",
    "iam:UpdateAssumeRolePolicy",  # trust oneself in any role
    "iam:DeleteUserPermissionsBoundary",  # lift the boundary that limits a user or role
    "iam:DeleteRolePermissionsBoundary",
    "iam:PassRole",  # hand any role to a service one controls (EC2, Lambda, CloudFormation...)
)
_LOWER = tuple(a.lower() for a in ESCALATION_ACTIONS)


def _covered(patterns: list[Field[str]]) -> list[str]:
    """The escalation actions the patterns match ("*" alone is IAM001's when on "*")."""
    found = []
    for action, low in zip(ESCALATION_ACTIONS, _LOWER, strict=True):
        for p in patterns:
            value = p.value
            if isinstance(value, str) and value.strip() != "*" and fnmatchcase(low, value.strip().lower()):
                found.append(action)
                break
    return found


def _judge(st: Statement) -> tuple[list[str], Field[str] | None, bool]:
    """(escalation actions allowed on "*", the field to point at, whether it is undecided)."""
    if st.effect.unknown:
        return [], None, True
    if st.effect.value != "Allow" or st.has_condition:
        return [], None, False
    every = next((r for r in st.resources if not r.unknown and r.value == "*"), None)
    if every is None:
        return [], None, any(r.unknown for r in st.resources)
    if st.actions:
        found = _covered(st.actions)
        if found:
            at = next(a for a in st.actions if _covered([a]))
            return found, at, False
        return [], None, any(a.unknown for a in st.actions)
    if st.not_actions:  # Allow + NotAction: everything except the listed actions
        if any(a.unknown for a in st.not_actions):
            return [], None, True
        excluded = set(_covered(st.not_actions))
        if any(a.value == "*" for a in st.not_actions):
            return [], None, False
        found = [a for a in ESCALATION_ACTIONS if a not in excluded]
        return found, (st.not_actions[0] if found else None), False
    return [], None, False


def check(doc: PolicyDocument) -> Iterator[Outcome]:
    if doc.kind != "identity":  # resource policies do not grant IAM actions to principals
        yield PASS
        return
    if doc.unknown is not None:
        yield Undecided(f"policy document not known: {doc.unknown.reason}", doc.span_of_document)
        return
    failed = undecided = False
    for st in doc.statements:
        found, at, unsure = _judge(st)
        undecided = undecided or unsure
        if not found or at is None:
            continue
        failed = True
        shown = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
        where = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"Policy {doc.address}{f' {doc.name}' if doc.name else ''} allows {shown} on every "
            f"resource{where}: a way to escalate privileges",
            at,
            attribute=f"{doc.name}:{st.sid or st.span.start_line}",
        )
    if failed:
        return
    yield Undecided("some statements are not known", doc.span_of_document) if undecided else PASS


RULE = Rule(
    id="IAM005",
    name="IAMPolicyAllowsPrivilegeEscalation",
    title='IAM policy allows privilege-escalation actions on "*" resources',
    severity=Severity.HIGH,
    severity_reason=(
        "A principal that can rewrite policies, pass any role or make credentials for other "
        "users can make itself administrator."
    ),
    domain=Domain.IDENTITY,
    view=PolicyDocument,
    check=check,
    resource_types=(
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_role",
        "aws_iam_policy_document",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Role",
        "AWS::IAM::User",
        "AWS::IAM::Group",
    ),
    rationale=(
        "Least privilege is the customer's duty, and some IAM permissions are worth all the "
        "others: allowed on every resource, they let the principal give itself or a principal "
        "it controls any permission. The rule flags identity policies that allow, on the "
        "resource \"*\", one of: iam:CreatePolicyVersion and iam:SetDefaultPolicyVersion "
        "(rewrite a managed policy), iam:Attach{User,Group,Role}Policy and "
        "iam:Put{User,Group,Role}Policy (attach or write an administrator policy), "
        "iam:AddUserToGroup, iam:CreateAccessKey, iam:CreateLoginProfile and "
        "iam:UpdateLoginProfile (take over another user), iam:UpdateAssumeRolePolicy (trust "
        "oneself in a role), iam:Delete{User,Role}PermissionsBoundary (lift one's limits) and "
        "iam:PassRole (give any role to an EC2 instance, Lambda function or stack one "
        "controls). Wildcards that include them (iam:*, iam:Put*) count, and so does Allow "
        "with NotAction. A statement with a Condition is not flagged, since conditions such "
        "as iam:PermissionsBoundary or iam:PassedToService are the documented way to delegate "
        "these actions safely; the condition itself is not judged. The action \"*\" on \"*\" "
        "is IAM001's finding and is not reported again."
    ),
    remediation=(
        "Scope the actions to the resources they are meant for (iam:PassRole to the ARNs of "
        "the roles a service needs, policy changes to a path), or require a permissions "
        "boundary with a condition."
    ),
    terraform_fix="""\
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.app.arn] # not "*"
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}""",
    cloudformation_fix="""\
DeployerPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: !GetAtt AppRole.Arn
          Condition:
            StringEquals:
              iam:PassedToService: ecs-tasks.amazonaws.com""",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    ),
    security_severity=7.5,
    tags=("iam", "least-privilege", "privilege-escalation"),
)
