from __future__ import annotations

from collections.abc import Callable, Iterator

from checks.policy_patterns import every_action, is_star
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.iam import PolicyDocument, Statement


def _verdict(fields: list[Field[str]], judge: Callable[[Field[str]], bool | None]
             ) -> tuple[bool | None, Field[str] | None]:
    """(True and the field that is the wildcard | None when one may be | False, None)."""
    verdicts = [(judge(f), f) for f in fields]
    found = next((f for v, f in verdicts if v is True), None)
    if found is not None:
        return True, found
    return (None if any(v is None for v, _ in verdicts) else False), None


def _judge(st: Statement) -> tuple[bool | None, Field[str] | None]:
    """Whether the statement allows every action on every resource, and the action to point at.

    Actions first: a statement whose actions cannot be "*" passes whatever its resources and
    effect are. Allow with NotAction grants "all but" the listed actions and is not judged here.
    """
    actions, at = _verdict(st.actions, every_action)
    if actions is False:
        return False, None
    resources, _ = _verdict(st.resources, is_star)
    if resources is False:
        return False, None
    if st.effect.unknown:
        return None, None
    if st.effect.value != "Allow":
        return False, None
    if actions and resources:
        return True, at
    return None, None


def check(doc: PolicyDocument) -> Iterator[Outcome]:
    if doc.unknown is not None:
        yield Undecided(f"policy document not known: {doc.unknown.reason}", doc.span_of_document)
        return
    failed = undecided = False
    for st in doc.statements:
        verdict, action = _judge(st)
        if verdict is None:
            undecided = True
        if not verdict or action is None:
            continue
        failed = True
        where = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"Policy {doc.address}{f' {doc.name}' if doc.name else ''} allows every action "
            f"on every resource{where}",
            action,
            attribute=f"{doc.name}:{st.sid or st.span.start_line}",
        )
    if failed:
        return
    yield Undecided("some statements are not known", doc.span_of_document) if undecided else PASS


RULE = Rule(
    id="IAM001",
    name="IamPolicyAllowsAllActionsOnAllResources",
    title='IAM policy allows "*" actions on "*" resources',
    severity=Severity.HIGH,
    severity_reason="Full administrator rights turn any compromise of the principal into a compromise of the account.",
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
        "Who may do what in the account is the customer's duty. A statement that allows the "
        "action \"*\" on the resource \"*\" grants full administrator rights; least privilege "
        "asks for the actions and resources the principal really needs. An action pattern that "
        "matches every action (\"*:*\") counts as \"*\". The statement is flagged even with a "
        "Condition, which narrows when it applies, not what it grants. A statement whose "
        "actions are known and cannot match every action passes whatever its resources are, "
        "even when they are known only at deployment; so does Allow with NotAction, which "
        "grants all but the listed actions (IAM005 judges what such a statement lets a "
        "principal do to IAM)."
    ),
    remediation="List the actions and resources the principal needs; use AWS managed job-function policies as a start.",
    terraform_fix="""\
data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}""",
    cloudformation_fix="""\
ReaderPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: !Sub "${DataBucket.Arn}/*\"""",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "CIS AWS Foundations Benchmark v3.0.0, 1.16",
    ),
    security_severity=8.0,
    tags=("iam", "least-privilege"),
)
