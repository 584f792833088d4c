"""`data "aws_iam_policy_document"`, evaluated as the AWS provider does during plan.

The result is the policy's JSON structure as nodes, each placed where it was
written (a statement's `actions = ["*"]` line), so a finding on a policy that
uses `data.aws_iam_policy_document.x.json` points into the data source. The
provider's merging is followed: statements of `source_policy_documents` first,
then this document's statements, then each of `override_policy_documents`; a
statement with a `sid` replaces an earlier one with the same `sid`.
"""

from __future__ import annotations

from scanner.source import Span
from scanner.values import Node, Unknown

VERSION = "2012-10-17"
LISTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
         ("not_resources", "NotResource"))


def policy_json(body: Node, span: Span, resource_id: str) -> Node:
    """The `json` attribute: the JSON text when every part is known (else Unknown), with
    the structure as `encoded`."""
    from scanner.terraform.functions import _jsonencode

    doc = document(body, span)
    if doc.contains_unknown():
        value: object = Unknown("the policy document depends on values not known statically",
                                (resource_id,))
    else:
        value = _jsonencode(doc.plain())
    return Node(value, span, (), doc)


def document(body: Node, span: Span) -> Node:
    merged: list[Node] = []
    for source in _documents(body.get("source_policy_documents")):
        _merge(merged, _statements(source))
    current = body.get("statement")
    _merge(merged, [_statement(st) for st in (current.elements() if current is not None else [])])
    for override in _documents(body.get("override_policy_documents")):
        _merge(merged, _statements(override))
    out: dict[str, Node] = {}
    version = body.get("version")
    out["Version"] = version if version is not None and version.value is not None \
        else Node(VERSION, span)
    policy_id = body.get("policy_id")
    if policy_id is not None and policy_id.value is not None:
        out["Id"] = policy_id
    out["Statement"] = Node(merged, span)
    return Node(out, span)


def _documents(node: Node | None) -> list[Node]:
    """The documents of a `*_policy_documents` list: structures, or Unknown placeholders."""
    if node is None or node.value is None:
        return []
    if isinstance(node.value, Unknown):
        return [Node(Unknown("a merged policy document is not known"), node.span)]
    out = []
    for el in node.elements():
        if el.encoded is not None:
            out.append(el.encoded)
        elif isinstance(el.value, str):
            from scanner.adapters.policy import document_node

            decoded = document_node(el)
            out.append(decoded if isinstance(decoded, Node) else Node(decoded, el.span))
        elif el.value is not None:
            out.append(Node(Unknown("a merged policy document is not known"), el.span))
    return out


def _statements(doc: Node) -> list[Node]:
    if isinstance(doc.value, Unknown):
        # Statements that are not known: one placeholder whose effect is unknown, so that a
        # rule cannot pass the whole document.
        return [Node({"Effect": Node(doc.value, doc.span)}, doc.span)]
    found = doc.get("Statement")
    if found is None:
        return []
    if isinstance(found.value, Unknown):
        return [Node({"Effect": Node(found.value, found.span)}, found.span)]
    out = []
    for st in found.elements():
        if isinstance(st.value, dict):
            out.append(st)
        elif isinstance(st.value, Unknown):
            out.append(Node({"Effect": Node(st.value, st.span)}, st.span))
    return out


def _merge(merged: list[Node], statements: list[Node]) -> None:
    for st in statements:
        sid = st.get("Sid")
        if sid is not None and isinstance(sid.value, str) and sid.value:
            for i, old in enumerate(merged):
                other = old.get("Sid")
                if other is not None and other.value == sid.value:
                    merged[i] = st
                    break
            else:
                merged.append(st)
        else:
            merged.append(st)


def _statement(st: Node) -> Node:
    if not isinstance(st.value, dict):  # a dynamic statement whose for_each is not known
        return Node({"Effect": Node(Unknown("a statement is not known"), st.span)}, st.span)
    out: dict[str, Node] = {}
    sid = st.get("sid")
    if sid is not None and sid.value not in (None, ""):
        out["Sid"] = sid
    effect = st.get("effect")
    out["Effect"] = effect if effect is not None and effect.value is not None else Node("Allow", st.span)
    for key, name in LISTS:
        value = st.get(key)
        if value is not None and value.value is not None:
            out[name] = value
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = st.get(key)
        if blocks is not None and blocks.value:
            out[name] = _principals(blocks)
    conditions = st.get("condition")
    if conditions is not None and conditions.value:
        out["Condition"] = _conditions(conditions)
    return Node(out, st.span, st.provenance)


def _principals(blocks: Node) -> Node:
    out: dict[str, Node] = {}
    for block in blocks.elements():
        kind, ids = block.get("type"), block.get("identifiers")
        if kind is None or ids is None:
            continue
        if isinstance(kind.value, Unknown):
            return Node(kind.value, blocks.span)
        name = str(kind.value)
        if name in out and isinstance(out[name].value, list) and isinstance(ids.value, list):
            out[name] = Node(out[name].value + ids.value, out[name].span)
        else:
            out[name] = ids
    if list(out) == ["*"]:  # `type = "*"`: the provider writes "Principal": "*"
        ids = out["*"]
        return Node("*", ids.span, ids.provenance)
    return Node(out, blocks.span)


def _conditions(blocks: Node) -> Node:
    out: dict[str, Node] = {}
    for block in blocks.elements():
        test, variable, values = block.get("test"), block.get("variable"), block.get("values")
        if test is None or variable is None or values is None:
            continue
        if isinstance(test.value, Unknown) or isinstance(variable.value, Unknown):
            out.setdefault("?", Node({}, block.span))
            continue
        group = out.setdefault(str(test.value), Node({}, block.span))
        group.value[str(variable.value)] = values
    return Node(out, blocks.span)
