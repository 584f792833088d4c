"""Policy documents: JSON policies on IAM resources, and aws_iam_policy_document data sources."""

from __future__ import annotations

from scanner.adapters.policy import document_node, statements
from scanner.adapters.terraform.common import terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown, to_str, to_str_list
from scanner.views import ViewSet
from scanner.views.iam import PolicyDocument, Statement

POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *POLICY_TYPES):
        policy = res.body.get("policy")
        if policy is not None:
            views.add(_document(res, "", policy))
    for res in terraform_resources(graph, "aws_iam_role"):
        inline = res.body.get("inline_policy")
        for item in inline.elements() if inline is not None else []:
            policy = item.get("policy")
            name = item.get("name")
            if policy is not None:
                label = name.value if name is not None and isinstance(name.value, str) else ""
                views.add(_document(res, label or f"inline_policy[{item.span.start_line}]", policy))
    for res in terraform_resources(graph, "aws_iam_policy_document"):
        if res.data:
            views.add(_policy_document_data(res))


def _document(res: Resource, name: str, policy: Node) -> PolicyDocument:
    try:
        doc = document_node(policy)
    except RecursionError:  # JSON text nested deeper than the decoder goes
        doc = Unknown("the policy is nested too deeply to read")
    if isinstance(doc, Unknown):
        return PolicyDocument(res, name, policy.span, unknown=doc)
    return PolicyDocument(res, name, policy.span, statements(doc, res.span))


def _policy_document_data(res: Resource) -> PolicyDocument:
    found = []
    node = res.body.get("statement")
    for st in node.elements() if node is not None else []:
        if not isinstance(st.value, dict):
            continue
        effect = st.get("effect")
        sid = st.get("sid")
        found.append(Statement(
            effect=Field.from_node(effect, "Allow", st.span, to_str) if effect is not None
            else Field("Allow", st.span, Origin.DEFAULT),
            actions=to_str_list(st.get("actions")),
            not_actions=to_str_list(st.get("not_actions")),
            resources=to_str_list(st.get("resources")),
            not_resources=to_str_list(st.get("not_resources")),
            has_condition=st.get("condition") is not None,
            span=st.span,
            sid=sid.value if sid is not None and isinstance(sid.value, str) else "",
        ))
    return PolicyDocument(res, "", res.span, found)
