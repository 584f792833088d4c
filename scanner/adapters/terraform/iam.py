"""Policy documents: JSON policies on IAM resources, and aws_iam_policy_document data sources."""

from __future__ import annotations

from scanner.adapters.policy import document_node, statements
from scanner.adapters.terraform.common import terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Node, Unknown
from scanner.views import ViewSet
from scanner.views.iam import PolicyDocument

POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    # Statements already checked through a policy that uses them (`policy =
    # data.aws_iam_policy_document.x.json`): the data source itself is not checked again;
    # nor is a document merged into another (source_policy_documents, override_...).
    used: set[Span] = set()
    for res in terraform_resources(graph, *POLICY_TYPES):
        policy = res.body.get("policy")
        if policy is not None:
            views.add(_document(res, "", policy))
            used |= _statement_places(policy)
    for res in terraform_resources(graph, "aws_iam_role"):
        inline = res.body.get("inline_policy")
        for item in inline.elements() if inline is not None else []:
            policy = item.get("policy")
            name = item.get("name")
            if policy is not None:
                label = name.value if name is not None and isinstance(name.value, str) else ""
                views.add(_document(res, label or f"inline_policy[{item.span.start_line}]", policy))
                used |= _statement_places(policy)
    for res in terraform_resources(graph, "aws_iam_policy_document"):
        document = res.body.get("json")
        if not res.data or document is None:
            continue
        if graph.referrers(res, ["aws_iam_policy_document"]):
            continue  # merged into another document, which is checked where it is used
        places = _statement_places(document)
        if places and places <= used:
            continue
        views.add(_document(res, "", document))


def _statement_places(policy: Node) -> set[Span]:
    """Where the statements of a policy were written (their spans and origins)."""
    try:
        doc = document_node(policy)
    except RecursionError:
        return set()
    if isinstance(doc, Unknown):
        return set()
    raw = doc.get("Statement")
    places: set[Span] = set()
    for st in raw.elements() if raw is not None else []:
        places.add(st.span)
        places.update(st.provenance)
    return places


def _document(res: Resource, name: str, policy: Node) -> PolicyDocument:
    try:
        doc = document_node(policy)
    except RecursionError:  # JSON text nested deeper than the decoder goes
        doc = Unknown("the policy is nested too deeply to read")
    if isinstance(doc, Unknown):
        return PolicyDocument(res, name, policy.span, unknown=doc)
    return PolicyDocument(res, name, policy.span, statements(doc, res.span))
