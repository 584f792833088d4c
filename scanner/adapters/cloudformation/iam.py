"""IAM policies (standalone, managed, and inline in roles, users and groups) -> PolicyDocument."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import dig, prop, resources
from scanner.adapters.policy import document_node, statement
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown
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
    doc = PolicyDocument(resource=res, name=name, span_of_document=node.span)
    tree = document_node(node)  # also decodes a document given as a JSON string
    if isinstance(tree, Unknown):
        doc.unknown = tree
        return doc
    statements = tree.get("Statement")
    if statements is not None and statements.unknown:
        doc.unknown = statements.value
        return doc
    if statements is not None:
        doc.statements = [_statement(s) for s in statements.elements()]
    return doc


def _statement(node: Node) -> Statement:
    """A statement; one that is not a mapping (e.g. chosen by `Fn::If`) is wholly unknown."""
    if isinstance(node.value, dict):
        return statement(node, node.span)
    reason = node.value if node.unknown else Unknown("the statement is not a mapping")
    unknown: Field[str] = Field(reason, node.span, Origin.EXPLICIT, node.provenance)
    return Statement(effect=unknown, actions=[unknown], not_actions=[], resources=[unknown],
                     not_resources=[], has_condition=False, span=node.span)
