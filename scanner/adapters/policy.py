"""IAM policy documents (JSON structure) into statements, shared by every format.

A document arrives as a node tree (CloudFormation YAML, Terraform `jsonencode`)
or as a JSON string (a heredoc, a quoted string). Strings are decoded keeping
line numbers where the text is laid out in the file as it is in the string.
"""

from __future__ import annotations

import json

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
    """Decode JSON text with the position of every value, placed from `first_line` on."""
    from scanner.terraform.json_syntax import JsonSyntaxError, JValue, decode

    try:
        root = decode(text, span.file)
    except JsonSyntaxError:
        return None
    shift = first_line - 1

    def convert(v: JValue) -> Node:
        at = v.span
        where = Span(span.file, at.start_line + shift, at.start_column, at.end_line + shift, at.end_column)
        if v.kind == "object":
            return Node({key: convert(item) for key, _, item in v.value}, where)
        if v.kind == "array":
            return Node([convert(item) for item in v.value], where)
        return Node(v.value, where)

    return convert(root)


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
