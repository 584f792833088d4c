from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.iam import Statement
from scanner.views.identity import TrustPolicy

# The actions that hand out the role's credentials.
ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml")


def _assumes(action: Field[str]) -> bool:
    value = action.value
    return isinstance(value, str) and any(fnmatchcase(a, value.strip().lower()) for a in ASSUME_ACTIONS)


def _everyone(st: Statement) -> Field[str] | None:
    """The principal that names everyone: `"*"` or `{"AWS": "*"}`."""
    for kind, value in st.principals:
        if kind in ("*", "AWS") and not value.unknown and value.value == "*":
            return value
    return None


def check(policy: TrustPolicy) -> Iterator[Outcome]:
    if policy.unknown is not None:
        yield Undecided(f"trust policy not known: {policy.unknown.reason}", policy.span_of_document)
        return
    failed = undecided = False
    for st in policy.statements:
        if st.effect.unknown:
            undecided = True
            continue
        if st.effect.value != "Allow" or st.has_condition:
            continue
        everyone = _everyone(st)
        if everyone is None:
            if any(v.unknown for _, v in st.principals):
                undecided = True
            continue
        if not any(_assumes(a) for a in st.actions):
            if any(a.unknown for a in st.actions):
                undecided = True
            continue
        failed = True
        where = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"Role {policy.address} can be assumed by any AWS principal, in any account, "
            f"without a condition{where}",
            everyone,
            attribute=f"trust:{st.sid or st.span.start_line}",
        )
    if failed:
        return
    yield Undecided("some trust statements are not known", policy.span_of_document) if undecided else PASS


RULE = Rule(
    id="IAM004",
    name="IAMRoleTrustsAnyPrincipal",
    title="IAM role trust policy lets any principal assume the role",
    severity=Severity.HIGH,
    severity_reason=(
        "Anyone with an AWS account, anywhere, can take the role's credentials and use every "
        "permission it has."
    ),
    domain=Domain.IDENTITY,
    view=TrustPolicy,
    check=check,
    resource_types=("aws_iam_role", "AWS::IAM::Role"),
    rationale=(
        "Who may assume a role is the customer's duty: the trust policy decides it. A "
        "statement that allows sts:AssumeRole (or the web-identity and SAML variants) to the "
        "principal \"*\" or {\"AWS\": \"*\"} trusts every IAM user and role of every AWS "
        "account; without a Condition (aws:PrincipalOrgID, aws:PrincipalAccount, sts:ExternalId, "
        "aws:SourceArn...) nothing narrows it. The rule flags such statements and stays silent "
        "when a condition is present, since a narrowing condition is the documented way to "
        "share a role safely; the condition itself is not judged. Naming the accounts, roles or "
        "services that need the role is the fix."
    ),
    remediation=(
        "Name the trusted principals (an account's root ARN, a role ARN, a service), or add a "
        "condition such as aws:PrincipalOrgID or sts:ExternalId that limits who can assume the "
        "role."
    ),
    terraform_fix="""\
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/deployer"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}""",
    cloudformation_fix="""\
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: arn:aws:iam::111122223333:role/deployer""",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
    ),
    security_severity=8.8,
    tags=("iam", "trust-policy", "cross-account"),
)
