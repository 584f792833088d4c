"""Shared by the rules on resource policies: does a statement apply to anyone, and does a
condition pin it to callers the owner can name. Not a rule module."""

from __future__ import annotations

from collections.abc import Iterator

from checks.policy_patterns import is_star
from scanner.rules import PASS, Fail, Outcome, Undecided
from scanner.values import Field, Unknown
from scanner.views.datastores import ConditionTest, ResourceStatement
from scanner.views.resource_policies import KeyPolicy, MessagingPolicy

# Condition keys that tie a grant to principals, accounts, networks or resources the owner
# controls (the keys IAM Access Analyzer and S3 Block Public Access accept as restricting).
RESTRICTING_KEYS = frozenset(k.lower() for k in (
    "aws:SourceIp", "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOwner",
    "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid",
    "kms:CallerAccount",
))
# Operators that hold only when the request carries one of the listed values. The first two
# compare literally ("*" in a value is just a character); the others read "*" and "?" as
# wildcards (ArnEquals is ArnLike under another name) or take address ranges.
LITERAL_OPERATORS = frozenset(o.lower() for o in ("StringEquals", "StringEqualsIgnoreCase"))
MATCHING_OPERATORS = LITERAL_OPERATORS | frozenset(o.lower() for o in (
    "StringLike", "ArnEquals", "ArnLike", "IpAddress",
))
ANY_NETWORK = ("0.0.0.0/0", "::/0")
ANY_ARN = "arn:" + Unknown.PIECE  # the known text of a resource's ARN attribute


def restricts(test: ConditionTest, keys: frozenset[str] = RESTRICTING_KEYS) -> bool | None:
    """True when the test pins the grant to fixed values; None when that depends on values
    not known.

    An unknown value under a literal operator is still one fixed value (an account id from
    `AWS::AccountId` is one account); under a wildcard operator it could be "*", unless its
    known text shows it is pinned whatever the unknown pieces are.
    """
    operator = test.operator.lower()
    if operator.startswith("forallvalues:"):
        return False  # holds when the key is absent from the request: no restriction
    if operator.startswith("foranyvalue:"):  # a single-valued key: as the operator itself
        operator = operator.split(":", 1)[1]
    if operator not in MATCHING_OPERATORS or test.key.lower() not in keys or not test.values:
        return False
    verdicts = [_value_pins(test.key.lower(), operator, v) for v in test.values]
    if any(v is False for v in verdicts):
        return False
    return None if any(v is None for v in verdicts) else True


def _value_pins(key: str, operator: str, value: Field[str]) -> bool | None:
    """Whether one condition value names something fixed (None: it depends on unknown pieces)."""
    unknown = value.value if isinstance(value.value, Unknown) else None
    text = str(value.value) if unknown is None else unknown.known
    if text is not None and "${" in text:  # a policy variable: matches what the request says
        return None if unknown is not None else False
    if unknown is None and (not text or text in ANY_NETWORK):
        return False
    if operator in LITERAL_OPERATORS:
        return True  # one literal value, known or not: "*" too is only a character here
    if text is None or (operator == "ipaddress" and unknown is not None):
        return None  # a pattern or a range that may be "*" or 0.0.0.0/0
    if text == ANY_ARN and key in ("aws:sourcearn", "aws:principalarn"):
        return True  # the ARN of a resource (`!GetAtt Topic.Arn`, `aws_sns_topic.t.arn`): one resource
    if _pinned(key, text.replace(Unknown.PIECE, "*").strip()):
        return True
    return None if unknown is not None else False


def _pinned(key: str, text: str) -> bool:
    """A pattern that names something fixed: no wildcard where the account or the id goes."""
    if key == "aws:sourceip":
        return True
    if key in ("aws:sourcearn", "aws:principalarn"):
        parts = text.split(":", 5)
        if len(parts) < 6:
            return False
        # The account part; an ARN without one (an S3 bucket) is pinned by its name.
        fixed = parts[4] if parts[4] else parts[5]
        return bool(fixed) and "*" not in fixed and "?" not in fixed
    return "*" not in text and "?" not in text


def anyone(st: ResourceStatement) -> tuple[bool | None, Field[str] | None]:
    """Whether the statement applies to any principal, and the principal to point at."""
    if st.not_principal:
        return True, None  # Allow + NotPrincipal: everyone but those listed
    star = next((p for p in st.principals if not p.unknown and str(p.value).strip() == "*"), None)
    if star is not None:
        return True, star
    if any(p.unknown and is_star(p) is not False for p in st.principals):
        return None, None
    return False, None


def open_to_anyone(st: ResourceStatement, keys: frozenset[str] = RESTRICTING_KEYS
                   ) -> tuple[bool | None, Field[str] | None]:
    """An Allow statement for any principal without a condition on one of `keys` that pins it:
    (verdict, where). None as verdict when something it depends on is not known.
    """
    if not st.effect.unknown and str(st.effect.value) != "Allow":
        return False, None
    everyone, where = anyone(st)
    if everyone is False:
        return False, None
    verdicts = [restricts(t, keys) for t in st.conditions]
    if any(v is True for v in verdicts):
        return False, None
    if st.effect.unknown or everyone is None or st.conditions_unknown is not None:
        return None, None
    if any(v is None for v in verdicts):
        return None, None
    return True, where


def public_statements(policy: KeyPolicy | MessagingPolicy, kind: str, noun: str) -> Iterator[Outcome]:
    """Outcomes for a resource policy whose statements may open the resource to anyone."""
    if policy.unknown is not None:
        yield Undecided(f"{kind} not known: {policy.unknown.reason}", policy.span_of_document)
        return
    failed = undecided = False
    of = f" of {noun} {policy.target}" if policy.target and policy.target != policy.address else ""
    for st in policy.statements:
        verdict, where = open_to_anyone(st)
        if verdict is None:
            undecided = True
        if not verdict:
            continue
        failed = True
        who = "everyone outside its NotPrincipal" if st.not_principal else 'any principal ("*")'
        named = f" (statement {st.sid})" if st.sid else ""
        yield Fail(
            f"{kind} {policy.address}{of} allows {who} without a condition that limits who can "
            f"use the {noun}{named}",
            where if where is not None else st.span,
            attribute=st.sid or f"statement@{st.span.start_line}",
        )
    if failed:
        return
    yield Undecided("some statements are not known", policy.span_of_document) if undecided else PASS
