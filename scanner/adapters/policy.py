"""IAM policy documents (JSON structure) into statements, shared by every format.

A document arrives as a node tree (CloudFormation YAML, Terraform `jsonencode`)
or as a JSON string (a heredoc, a quoted string). Strings are decoded keeping
line numbers where the text is laid out in the file as it is in the string.
"""

from __future__ import annotations

import json
from typing import Any

from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, node_from_plain, to_str, to_str_list
from scanner.views.iam import Statement


def document_node(node: Node) -> Node | Unknown:
    """The policy as a node tree, or Unknown when it is not known or not valid JSON."""
    if node.encoded is not None:
        return node.encoded
    value = node.value
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return node
    if isinstance(value, str):
        return _decode(value, node)
    return Unknown("the policy is not a JSON document")


def _decode(text: str, node: Node) -> Node | Unknown:
    try:
        plain = json.loads(text)
    except RecursionError:
        return Unknown("the policy is nested too deeply to read")
    except ValueError as err:
        return Unknown(f"the policy is not valid JSON ({err})")
    if not isinstance(plain, dict):
        return Unknown("the policy is not a JSON object")
    lines = text.count("\n")
    span = node.span
    # A heredoc: the body starts on the line after `<<EOT` and fills the attribute's lines.
    try:
        if lines and span.end_line - span.start_line >= lines:
            placed = _with_lines(text, span.start_line + 1, span)
            if placed is not None:
                return placed
        return node_from_plain(plain, span, node.provenance)
    except RecursionError:
        return Unknown("the policy is nested too deeply to read")


def _with_lines(text: str, first_line: int, span: Span) -> Node | None:
    """Decode JSON text through YAML's composer, which records where each value starts."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None

    def convert(n: Any) -> Node:
        line = first_line + n.start_mark.line
        where = Span(span.file, line, n.start_mark.column + 1, first_line + n.end_mark.line,
                     n.end_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            return Node({str(k.value): convert(v) for k, v in n.value}, where)
        if isinstance(n, yaml.SequenceNode):
            return Node([convert(v) for v in n.value], where)
        return Node(yaml.safe_load(yaml.serialize(n)), where)

    return convert(root) if root is not None else None


def statements(doc: Node, block_span: Span) -> list[Statement]:
    """The statements of a policy node tree (`Statement` may be one object or a list)."""
    raw = doc.get("Statement")
    if raw is None:
        return []
    out = []
    for st in raw.elements():
        if not isinstance(st.value, dict):
            continue
        out.append(statement(st, block_span))
    return out


def statement(st: Node, block_span: Span) -> Statement:
    effect = st.get("Effect")
    sid = st.get("Sid")
    return Statement(
        effect=Field.from_node(effect, "Allow", st.span, to_str) if effect is not None
        else Field(Unknown("a statement without Effect"), st.span, Origin.DEFAULT),
        actions=to_str_list(st.get("Action")),
        not_actions=to_str_list(st.get("NotAction")),
        resources=to_str_list(st.get("Resource")),
        not_resources=to_str_list(st.get("NotResource")),
        has_condition=st.get("Condition") is not None,
        span=st.span,
        sid=str(sid.value) if sid is not None and isinstance(sid.value, str) else "",
        principals=principals(st.get("Principal")),
        not_principals=principals(st.get("NotPrincipal")),
    )


def principals(node: Node | None) -> list[tuple[str, Field[str]]]:
    """`"*"`, or `{"AWS": [...], "Service": ...}`, as (kind, value) pairs."""
    if node is None or node.value is None:
        return []
    if isinstance(node.value, dict):
        return [(kind, value) for kind, values in node.items() for value in to_str_list(values)]
    if isinstance(node.value, str):
        return [("*" if node.value.strip() == "*" else "?", Field(node.value, node.span,
                                                               Origin.EXPLICIT, node.provenance))]
    return [("?", value) for value in to_str_list(node)]
