from __future__ import annotations

from collections.abc import Iterator

from checks.policy_patterns import every_action, is_star, matches_action
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


def _escalations(fields: list[Field[str]]) -> tuple[list[str], Field[str] | None, bool]:
    """(escalation actions the patterns surely match, the first such pattern, whether one may
    match more). A pattern for every action ("*", "*:*") is IAM001's when on "*", not counted."""
    found: list[str] = []
    at: Field[str] | None = None
    maybe = False
    for p in fields:
        if every_action(p) is True:
            continue
        for action in ESCALATION_ACTIONS:
            verdict = matches_action(p, action)
            if verdict is None:
                maybe = True
            elif verdict and action not in found:
                found.append(action)
                at = at or p
    ordered = [a for a in ESCALATION_ACTIONS if a in found]
    return ordered, at, maybe


def _granted(st: Statement) -> tuple[list[str], Field[str] | None, bool]:
    """The escalation actions a statement grants, where to point, and whether it may grant more."""
    if st.actions:
        return _escalations(st.actions)
    if not st.not_actions:
        return [], None, False
    # NotAction: everything except the listed actions.
    if any(a.unknown for a in st.not_actions):
        return [], None, True
    if any(every_action(a) for a in st.not_actions):
        return [], None, False
    excluded, _, _ = _escalations(st.not_actions)
    found = [a for a in ESCALATION_ACTIONS if a not in excluded]
    return found, (st.not_actions[0] if found else None), False


def _judge(st: Statement) -> tuple[list[str], Field[str] | None, bool]:
    """(escalation actions allowed on "*", the field to point at, whether it is undecided).

    Actions first: a statement that cannot grant an escalation action passes whatever its
    resources are."""
    if not st.effect.unknown and (st.effect.value != "Allow" or st.has_condition):
        return [], None, False
    found, at, maybe = _granted(st)
    if not found and not maybe:
        return [], None, False
    verdicts = [is_star(r) for r in st.resources]
    if not any(v is not False for v in verdicts):
        return [], None, False
    if st.effect.unknown or not any(v is True for v in verdicts) or not found:
        return [], None, True
    return found, at, False


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
        "is IAM001's finding and is not reported again. A statement that cannot grant one "
        "of these actions passes whatever its resources are; a resource known only at "
        "deployment is not \"*\" when its written part rules it out (an ARN with a parameter "
        "in it), and is undecided otherwise."
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
