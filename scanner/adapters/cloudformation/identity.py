"""Identity: policies given to IAM users directly -> UserPolicyGrant; role trust -> TrustPolicy."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources, unknown_field
from scanner.adapters.policy import document_node, statement
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Unknown, to_str
from scanner.views import ViewSet
from scanner.views.iam import Statement
from scanner.views.identity import TrustPolicy, UserPolicyGrant

# AWS::IAM::Policy is an inline policy embedded in each user, group and role it lists.
POLICY_USERS = {"AWS::IAM::Policy": "inline", "AWS::IAM::ManagedPolicy": "managed"}
USER_PROPERTIES = {"Policies": "inline", "ManagedPolicyArns": "managed"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::IAM::User"):
        for key, kind in USER_PROPERTIES.items():
            node = prop(res, key)
            if node is None or node.value is None:
                continue
            users: Field[tuple[str, ...]]
            if node.unknown:
                users = Field(node.value, node.span, provenance=node.provenance)
            elif node.elements():
                users = Field((res.address,), node.span, provenance=node.provenance)
            else:
                users = Field((), node.span, provenance=node.provenance)
            views.add(UserPolicyGrant(res, kind, users, name=key))
    for res in resources(graph, *POLICY_USERS):
        node = prop(res, "Users")
        if node is not None and node.value is not None:
            views.add(UserPolicyGrant(res, POLICY_USERS[res.type], _names(node), name="Users"))
    for res in resources(graph, "AWS::IAM::Role"):
        node = prop(res, "AssumeRolePolicyDocument")
        if node is not None and node.value is not None:
            views.add(_trust(res, node))


def _trust(res: Resource, node: Node) -> TrustPolicy:
    tree = document_node(node)  # also decodes a document given as a JSON string
    if isinstance(tree, Unknown):
        return TrustPolicy(res, node.span, unknown=tree)
    raw = tree.get("Statement")
    if raw is not None and raw.unknown:
        return TrustPolicy(res, node.span, unknown=raw.value)
    found = [_statement(s) for s in raw.elements()] if raw is not None else []
    return TrustPolicy(res, node.span, found)


def _statement(node: Node) -> Statement:
    """A statement; one that is not a mapping (e.g. chosen by `Fn::If`) is wholly unknown."""
    if isinstance(node.value, dict):
        return statement(node, node.span)
    reason = node.value if node.unknown else Unknown("the statement is not a mapping")
    unknown: Field[str] = unknown_field(reason, node)
    return Statement(effect=unknown, actions=[unknown], not_actions=[], resources=[],
                     not_resources=[], has_condition=False, span=node.span,
                     principals=[("?", unknown)])


def _names(node: Node) -> Field[tuple[str, ...]]:
    if node.unknown:
        return Field(node.value, node.span, provenance=node.provenance)
    names = []
    for item in node.elements():
        name = to_str(item.value) if not isinstance(item.value, (list, dict)) else Unknown()
        names.append(name if isinstance(name, str) else "?")
    return Field(tuple(names), node.span, provenance=node.provenance)
