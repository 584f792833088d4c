"""Classic Load Balancer listeners and their SSL negotiation policies, from Terraform.

A policy is declared by `aws_load_balancer_policy` (policy_type_name SSLNegotiationPolicyType)
and attached to a listener by `aws_load_balancer_listener_policy` (load_balancer_name,
load_balancer_port, policy_names); `aws_lb_ssl_negotiation_policy` does both at once.
"""

from __future__ import annotations

from scanner.adapters.terraform.common import (
    Attachments,
    field,
    module_path,
    name_of,
    terraform_resources,
)
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown, to_str
from scanner.views import ViewSet
from scanner.views.web import ClassicListener, NegotiationPolicy

SSL_NEGOTIATION = "SSLNegotiationPolicyType"
POLICY = "aws_load_balancer_policy"
LISTENER_POLICY = "aws_load_balancer_listener_policy"
NEGOTIATION_POLICY = "aws_lb_ssl_negotiation_policy"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    policies: dict[str, Resource] = {}  # SSL negotiation policies (or maybe), by resource id
    for res in terraform_resources(graph, POLICY):
        kind = field(res, "policy_type_name", "", res.span, to_str)
        if kind.unknown or kind.value == SSL_NEGOTIATION:
            policies[res.id] = res
            views.add(_policy(res, "policy_attribute", name_of(res, "policy_name"),
                              kind if kind.unknown else None))
    for res in terraform_resources(graph, NEGOTIATION_POLICY):
        views.add(_policy(res, "attribute", name_of(res, "name"), None))
    by_listener = Attachments(graph, [LISTENER_POLICY], "load_balancer_name")
    combined = Attachments(graph, [NEGOTIATION_POLICY], "load_balancer")
    dangling = _dangling(graph)
    for elb in terraform_resources(graph, "aws_elb"):
        name = name_of(elb, "name")
        listed, maybe_listed = by_listener.of(elb, name)
        own, maybe_own = combined.of(elb, name)
        maybe_listed = maybe_listed or (elb.scope, module_path(elb.address)) in dangling
        listeners = elb.body.get("listener")
        for node in listeners.elements() if listeners is not None else []:
            if not isinstance(node.value, dict):
                continue
            views.add(_listener(graph, elb, node, policies, listed, own, maybe_listed or maybe_own))


def _dangling(graph: ResourceGraph) -> set[tuple[str, str]]:
    """Module instances holding an attachment whose load balancer is a reference to nothing
    declared (the load balancer it means is not known)."""
    found = set()
    for kind, key in ((LISTENER_POLICY, "load_balancer_name"), (NEGOTIATION_POLICY, "load_balancer")):
        for res in terraform_resources(graph, kind):
            node = res.body.get(key)
            if (node is not None and isinstance(node.value, Unknown) and node.value.refs
                    and all(graph.get(i) is None for i in node.value.refs)):
                found.add((res.scope, module_path(res.address)))
    return found


def _policy(res: Resource, block_name: str, name: str | None,
            unknown_kind: Field[str] | None) -> NegotiationPolicy:
    reference: Field[str] | None = None
    protocols: list[tuple[str, Field[str]]] = []
    unknown = unknown_kind
    attributes = res.body.get(block_name)
    for item in attributes.elements() if attributes is not None else []:
        key = item.get("name") if isinstance(item.value, dict) else None
        if key is None or not isinstance(key.value, str):
            unknown = Field(Unknown("a policy attribute is not known"), item.span, Origin.EXPLICIT,
                            item.provenance)
            continue
        value = field(item, "value", "", item.span, to_str)
        if key.value == "Reference-Security-Policy":
            reference = value
        elif key.value.startswith("Protocol-"):
            protocols.append((key.value, value))
    return NegotiationPolicy(resource=res, name=name or res.address, reference=reference,
                             protocols=protocols, policy_span=res.span, unknown=unknown)


def _listener(graph: ResourceGraph, elb: Resource, node: Node, policies: dict[str, Resource],
              listed: list[Resource], own: list[Resource], maybe: bool) -> ClassicListener:
    protocol = field(node, "lb_protocol", "", node.span, _upper)
    port = _port(node.get("lb_port"))
    if port is None:
        unknown: Field[str] = Field(Unknown("the listener's port is not known"), node.span.head())
        return ClassicListener(resource=elb, port="?", protocol=protocol, policy=unknown,
                               listener_span=node.span)
    attached = _attached(graph, port, policies, listed, own)
    if attached is not None:
        policy, declared = attached
    elif maybe:
        policy = Field(Unknown("a listener policy in this configuration names a load balancer "
                               "that is not known"), node.span.head())
        declared = False
    else:
        policy, declared = Field.default("", node.span), False
    return ClassicListener(resource=elb, port=port, protocol=protocol, policy=policy,
                           policy_declared=declared, listener_span=node.span)


Attached = tuple[Field[str], bool]


def _attached(graph: ResourceGraph, port: str, policies: dict[str, Resource],
              listed: list[Resource], own: list[Resource]) -> Attached | None:
    """The SSL negotiation policy attached to the listener on `port`, and whether it is
    declared in the configuration: its name; "" when the attachments on this port name no SSL
    negotiation policy; Unknown when one may. None: no attachment is for this port."""
    for res in own:
        same = _same_port(res, "lb_port", port)
        if same is not None:
            return (Field(name_of(res, "name") or res.address, res.span.head(), Origin.EXPLICIT),
                    True) if same is True else (same, False)
    found: Attached | None = None
    for res in listed:
        same = _same_port(res, "load_balancer_port", port)
        if same is None:
            continue
        if same is not True:
            return same, False
        names = res.body.get("policy_names")
        if names is None or names.unknown:
            return Field(Unknown("the listener policy's names are not known"), res.span.head()), False
        found = Field("", res.span.head(), Origin.EXPLICIT), False
        for item in names.elements():
            named = _named_policy(graph, res, item, policies)
            if named is not None:
                return named
    return found


def _same_port(res: Resource, key: str, port: str) -> bool | Field[str] | None:
    """True when the attachment is for `port`, None when for another, Unknown when it may be."""
    other = _port(res.body.get(key))
    if other is None:
        return Field(Unknown("an attachment's port is not known"), res.span.head())
    return True if other == port else None


def _named_policy(graph: ResourceGraph, attachment: Resource, item: Node,
                  policies: dict[str, Resource]) -> Attached | None:
    """One of policy_names, when it is an SSL negotiation policy (or may be one)."""
    if isinstance(item.value, Unknown):
        ids = [i for i in item.value.refs if i in policies]
        if ids:
            res = policies[ids[0]]
            return Field(name_of(res, "policy_name") or res.address, item.span, Origin.EXPLICIT), True
        if any(graph.get(i) is not None for i in item.value.refs):
            return None  # a policy of another kind
        return Field(Unknown("a policy the listener uses is not known"), item.span, Origin.EXPLICIT), False
    if not isinstance(item.value, str):
        return None
    for res in policies.values():
        if res.scope == attachment.scope and name_of(res, "policy_name") == item.value:
            return Field(item.value, item.span, Origin.EXPLICIT), True
    if any(name_of(r, "policy_name") == item.value for r in terraform_resources(graph, POLICY)
           if r.scope == attachment.scope):
        return None  # declared here, and of another kind
    # Not declared here: a predefined policy by its name, or one made elsewhere.
    return Field(item.value, item.span, Origin.EXPLICIT), False


def _port(node: Node | None) -> str | None:
    if node is None or isinstance(node.value, Unknown) or node.value is None:
        return None
    return str(node.value).strip()


def _upper(value: object) -> object:
    text = to_str(value)
    return text.upper() if isinstance(text, str) else text
