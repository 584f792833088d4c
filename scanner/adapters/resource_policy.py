"""Resource-based policies (bucket policies and the like) into statements, for every format.

Like `scanner.adapters.policy`, but keeps what an identity policy has no use for: the
Principal (or NotPrincipal) and the Condition tests, so a rule can tell "anyone" from
"anyone, but only from this VPC".
"""

from __future__ import annotations

from scanner.adapters.policy import document_node
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_str, to_str_list
from scanner.views.datastores import BucketPolicy, ConditionTest, ResourceStatement


def bucket_policy(res: Resource, policy: Node, bucket: str) -> BucketPolicy:
    """The view of a bucket policy written at `policy` (a node tree or a JSON string)."""
    try:
        doc = document_node(policy)
    except RecursionError:
        doc = Unknown("the policy is nested too deeply to read")
    view = BucketPolicy(resource=res, bucket=bucket, span_of_document=policy.span)
    if isinstance(doc, Unknown):
        view.unknown = doc
        return view
    raw = doc.get("Statement")
    if raw is not None and raw.unknown:
        view.unknown = raw.value
        return view
    for st in raw.elements() if raw is not None else []:
        view.statements.append(statement(st))
    return view


def statement(st: Node) -> ResourceStatement:
    if not isinstance(st.value, dict):
        reason = st.value if st.unknown else Unknown("the statement is not a mapping")
        unknown: Field[str] = Field(reason, st.span, Origin.EXPLICIT, st.provenance)
        return ResourceStatement(effect=unknown, principals=[unknown], not_principal=False,
                                 conditions=[], span=st.span)
    effect = st.get("Effect")
    sid = st.get("Sid")
    principal = st.get("Principal")
    not_principal = st.get("NotPrincipal")
    out = ResourceStatement(
        effect=Field.from_node(effect, "Allow", st.span, to_str) if effect is not None
        else Field(Unknown("a statement without Effect"), st.span, Origin.DEFAULT),
        principals=_principals(not_principal if principal is None else principal),
        not_principal=principal is None and not_principal is not None,
        conditions=[],
        span=st.span,
        sid=str(sid.value) if sid is not None and isinstance(sid.value, str) else "",
    )
    action = st.get("Action")
    not_action = st.get("NotAction")
    out.actions = to_str_list(not_action if action is None else action)
    out.not_action = action is None and not_action is not None
    condition = st.get("Condition")
    if condition is not None and condition.value is not None:
        out.conditions, out.conditions_unknown = _conditions(condition)
    return out


def _principals(node: Node | None) -> list[Field[str]]:
    """`"*"`, `{"AWS": "*"}`, `{"AWS": [...], "Service": ...}`: every value as a field."""
    if node is None or node.value is None:
        return []
    if node.unknown or not isinstance(node.value, dict):
        return to_str_list(node)
    out: list[Field[str]] = []
    for _kind, values in node.items():
        out.extend(to_str_list(values))
    return out


def _conditions(node: Node) -> tuple[list[ConditionTest], Unknown | None]:
    if node.unknown:
        return [], node.value
    if not isinstance(node.value, dict):
        return [], Unknown("the condition is not a mapping")
    tests: list[ConditionTest] = []
    unknown: Unknown | None = None
    for operator, keys in node.items():
        if keys.unknown or not isinstance(keys.value, dict):
            unknown = keys.value if keys.unknown else Unknown(f"condition {operator} is not a mapping")
            continue
        for key, values in keys.items():
            tests.append(ConditionTest(operator, key, to_str_list(values), _span(values, keys.span)))
    return tests, unknown


def _span(node: Node | None, default: Span) -> Span:
    return node.span if node is not None else default
