"""IAM policies (standalone, managed, and inline in roles, users and groups) -> PolicyDocument."""

from __future__ import annotations

import json

from scanner.adapters.cloudformation.common import dig, prop, resources, str_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown, node_from_plain, to_str_list
from scanner.views import ViewSet
from scanner.views.iam import PolicyDocument, Statement

STANDALONE = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
WITH_INLINE_POLICIES = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *STANDALONE):
        document = prop(res, "PolicyDocument")
        if document is not None:
            views.add(_document(res, "", document))
    for res in resources(graph, *WITH_INLINE_POLICIES):
        policies = prop(res, "Policies")
        if policies is None or policies.value is None:
            continue
        if policies.unknown:
            views.add(_document(res, "Policies", policies))
            continue
        seen: set[str] = set()
        for index, entry in enumerate(policies.elements()):
            name = _policy_name(entry, index, seen)
            document = dig(entry, "PolicyDocument")
            if entry.unknown:
                document = entry
            if document is not None:
                views.add(_document(res, name, document))


def _policy_name(entry: Node, index: int, seen: set[str]) -> str:
    """PolicyName when known and unique on the resource, else the entry's position."""
    node = dig(entry, "PolicyName")
    name = node.value if node is not None and isinstance(node.value, str) else ""
    if not name or name in seen:
        name = f"Policies[{index}]"
    seen.add(name)
    return name


def _document(res: Resource, name: str, node: Node) -> PolicyDocument:
    node = _parse_json_string(node)
    doc = PolicyDocument(resource=res, name=name, span_of_document=node.span)
    if node.unknown:
        doc.unknown = node.value
        return doc
    if not isinstance(node.value, dict):
        doc.unknown = Unknown("the policy document is not a mapping")
        return doc
    statements = node.get("Statement")
    if statements is not None and statements.unknown:
        doc.unknown = statements.value
        return doc
    if statements is not None:
        doc.statements = [_statement(s) for s in statements.elements()]
    return doc


def _parse_json_string(node: Node) -> Node:
    """A policy given as a JSON string (allowed by IAM) becomes nodes at the string's span."""
    if not isinstance(node.value, str):
        return node
    try:
        value = json.loads(node.value)
    except ValueError:
        return Node(Unknown("the policy document is a string that is not JSON"), node.span,
                    node.provenance)
    return node_from_plain(value, node.span, node.provenance)


def _statement(node: Node) -> Statement:
    if not isinstance(node.value, dict):
        reason = node.value if node.unknown else Unknown("the statement is not a mapping")
        unknown: Field[str] = Field(reason, node.span, Origin.EXPLICIT, node.provenance)
        return Statement(effect=unknown, actions=[unknown], not_actions=[], resources=[unknown],
                         not_resources=[], has_condition=False, span=node.span)
    sid = node.get("Sid")
    condition = node.get("Condition")
    return Statement(
        effect=str_field(node.get("Effect"), "", node.span),
        actions=to_str_list(node.get("Action")),
        not_actions=to_str_list(node.get("NotAction")),
        resources=to_str_list(node.get("Resource")),
        not_resources=to_str_list(node.get("NotResource")),
        has_condition=condition is not None and condition.value is not None,
        span=node.span,
        sid=sid.value if sid is not None and isinstance(sid.value, str) else "",
    )
