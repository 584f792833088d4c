from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.iam import PolicyDocument


def _star(fields: list[Field[str]]) -> Field[str] | None:
    return next((f for f in fields if not f.unknown and f.value == "*"), None)


def check(doc: PolicyDocument) -> Iterator[Outcome]:
    if doc.unknown is not None:
        yield Undecided(f"policy document not known: {doc.unknown.reason}", doc.span_of_document)
        return
    failed = undecided = False
    for st in doc.statements:
        if st.effect.unknown:
            undecided = True
            continue
        if st.effect.value != "Allow":
            continue
        action = _star(st.actions)
        resource = _star(st.resources)
        if action is not None and resource is not None:
            failed = True
            where = f" (statement {st.sid})" if st.sid else ""
            yield Fail(
                f"Policy {doc.address}{f' {doc.name}' if doc.name else ''} allows every action "
                f"on every resource{where}",
                action,
                attribute=f"{doc.name}:{st.sid or st.span.start_line}",
            )
        elif any(f.unknown for f in st.actions + st.resources):
            undecided = True
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
        "asks for the actions and resources the principal really needs. The statement is "
        "flagged even with a Condition, which narrows when it applies, not what it grants."
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
