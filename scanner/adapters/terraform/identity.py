"""Identity: policies given to IAM users directly -> UserPolicyGrant; the password policy; role trust."""

from __future__ import annotations

from scanner.adapters.policy import document_node, statements
from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Node, Unknown, to_int, to_str
from scanner.views import ViewSet
from scanner.views.identity import PasswordPolicy, TrustPolicy, UserPolicyGrant

USER_GRANTS = {"aws_iam_user_policy": "inline", "aws_iam_user_policy_attachment": "managed"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *USER_GRANTS):
        user = res.body.get("user")
        if user is None or user.value is None:
            continue  # invalid without a user: nothing is attached
        views.add(UserPolicyGrant(res, USER_GRANTS[res.type], user_names(user, single=True)))
    for res in terraform_resources(graph, "aws_iam_policy_attachment"):
        users = res.body.get("users")
        if users is not None and users.value is not None:
            views.add(UserPolicyGrant(res, "managed", user_names(users)))
    for res in terraform_resources(graph, "aws_iam_account_password_policy"):
        views.add(PasswordPolicy(
            resource=res,
            minimum_password_length=field(res, "minimum_password_length", 6, res.span, to_int),
            password_reuse_prevention=field(res, "password_reuse_prevention", 0, res.span, to_int),
        ))
    for res in terraform_resources(graph, "aws_iam_role"):
        policy = res.body.get("assume_role_policy")
        if policy is None or policy.value is None:
            continue
        try:
            doc = document_node(policy)
        except RecursionError:
            doc = Unknown("the policy is nested too deeply to read")
        if isinstance(doc, Unknown):
            views.add(TrustPolicy(res, policy.span, unknown=doc))
        else:
            views.add(TrustPolicy(res, policy.span, statements(doc, res.span)))


def user_names(node: Node, single: bool = False) -> Field[tuple[str, ...]]:
    """The users a node names: one (`user`) or a list (`users`), each "?" when not known."""
    if node.unknown and not single:
        return Field(node.value, node.span, provenance=node.provenance)
    items = [node] if single else node.elements()
    names = []
    for item in items:
        name = to_str(item.value) if not isinstance(item.value, (list, dict)) else Unknown()
        names.append(name if isinstance(name, str) else "?")
    return Field(tuple(names), node.span, provenance=node.provenance)

