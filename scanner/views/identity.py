"""Identity: how IAM users get their permissions, the account's password policy, role trust."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field, Unknown
from scanner.views.base import View
from scanner.views.iam import Statement


@dataclass
class UserPolicyGrant(View):
    """A policy given to IAM users directly (not through a group).

    `users` names the users, at the place they are named; its value is Unknown when the
    list itself is not known (a user named by an unknown value is "?"). An empty tuple
    gives the policy to no user.
    """

    kind: str  # "inline" (the policy is embedded in the user) or "managed" (attached)
    users: Field[tuple[str, ...]]
    name: str = ""  # tells several grants of one resource apart (a user's two properties)

    @property
    def key(self) -> str:
        return self.name


@dataclass
class PasswordPolicy(View):
    """The account's password policy for IAM users (Terraform's aws_iam_account_password_policy).

    A setting left out takes AWS's value: a minimum length of 6 (AWS's minimum when the
    policy is set) and no reuse prevention (0).
    """

    minimum_password_length: Field[int]
    password_reuse_prevention: Field[int]


@dataclass
class TrustPolicy(View):
    """A role's trust policy: who may assume it (aws_iam_role.assume_role_policy,
    AWS::IAM::Role AssumeRolePolicyDocument)."""

    span_of_document: Span
    statements: list[Statement] = field(default_factory=list)
    # Set when the document could not be evaluated.
    unknown: Unknown | None = None
