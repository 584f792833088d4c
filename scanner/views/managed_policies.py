"""Managed policies attached to IAM users, groups and roles, wherever the attachment is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.values import Field
from scanner.views.base import View


@dataclass
class ManagedPolicyAttachment(View):
    """The managed policy ARNs a resource attaches: an attachment resource, or the
    managed-policy list of a role, user or group. `principal_kind` says who gets them."""

    principal_kind: str  # "role", "user", "group", or e.g. "users, roles" (aws_iam_policy_attachment)
    policy_arns: list[Field[str]] = field(default_factory=list)
