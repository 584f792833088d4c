"""Managed policy attachments: the *_policy_attachment resources and aws_iam_role's managed_policy_arns."""

from __future__ import annotations

from scanner.adapters.terraform.common import terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import to_str_list
from scanner.views import ViewSet
from scanner.views.managed_policies import ManagedPolicyAttachment

# Resource type -> (who gets the policies, attribute holding the ARN or ARNs).
SINGLE = {
    "aws_iam_role_policy_attachment": "role",
    "aws_iam_user_policy_attachment": "user",
    "aws_iam_group_policy_attachment": "group",
}
EXCLUSIVE = {
    "aws_iam_role_policy_attachments_exclusive": "role",
    "aws_iam_user_policy_attachments_exclusive": "user",
    "aws_iam_group_policy_attachments_exclusive": "group",
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *SINGLE):
        views.add(ManagedPolicyAttachment(res, SINGLE[res.type], to_str_list(res.body.get("policy_arn"))))
    for res in terraform_resources(graph, *EXCLUSIVE):
        views.add(ManagedPolicyAttachment(res, EXCLUSIVE[res.type], to_str_list(res.body.get("policy_arns"))))
    for res in terraform_resources(graph, "aws_iam_policy_attachment"):
        kinds = [k for k in ("users", "groups", "roles") if res.body.get(k) is not None]
        views.add(ManagedPolicyAttachment(res, ", ".join(kinds) or "users, groups or roles",
                                          to_str_list(res.body.get("policy_arn"))))
    for res in terraform_resources(graph, "aws_iam_role"):
        arns = res.body.get("managed_policy_arns")
        if arns is not None and arns.value is not None:
            views.add(ManagedPolicyAttachment(res, "role", to_str_list(arns)))
