"""Classic Load Balancer listeners and their SSL negotiation policies, from CloudFormation.

A policy is one entry of the load balancer's `Policies` (PolicyType SSLNegotiationPolicyType);
a listener uses it when its `PolicyNames` name it, or when the policy's `LoadBalancerPorts`
list the listener's port.
"""

from __future__ import annotations

from scanner.adapters.cloudformation.common import dig, prop, resources, str_field, unknown_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.web import ClassicListener, NegotiationPolicy

CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer"
SSL_NEGOTIATION = "SSLNegotiationPolicyType"


class _Policies:
    """The load balancer's policies: SSL negotiation ones by name, the names of the others,
    the ports SSL negotiation policies are attached to, and what cannot be read."""

    def __init__(self, res: Resource) -> None:
        self.ssl: set[str] = set()
        self.others: set[str] = set()
        self.by_port: dict[str, str] = {}
        self.unknown: Field[str] | None = None
        self.views: list[NegotiationPolicy] = []
        node = prop(res, "Policies")
        if node is not None and node.unknown:
            self.unknown = unknown_field(node.value, node)
            return
        for item in node.elements() if node is not None else []:
            self._add(res, item)

    def _add(self, res: Resource, item: Node) -> None:
        name = dig(item, "PolicyName")
        if not isinstance(item.value, dict) or name is None or not isinstance(name.value, str):
            self.unknown = unknown_field("a policy's name is not known", item)
            return
        kind = str_field(dig(item, "PolicyType"), "", item.span)
        if not kind.unknown and kind.value != SSL_NEGOTIATION:
            self.others.add(name.value)
            return
        self.ssl.add(name.value)
        self.views.append(_policy(res, item, name.value, kind if kind.unknown else None))
        ports = dig(item, "LoadBalancerPorts")
        for port in ports.elements() if ports is not None and not ports.unknown else []:
            if not isinstance(port.value, (Unknown, list, dict)):
                self.by_port.setdefault(str(port.value).strip(), name.value)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, CLASSIC):
        policies = _Policies(res)
        for view in policies.views:
            views.add(view)
        listeners = prop(res, "Listeners")
        if listeners is None or listeners.unknown:
            continue
        for node in listeners.elements():
            if isinstance(node.value, dict):
                views.add(_listener(res, node, policies))


def _policy(res: Resource, item: Node, name: str, unknown_kind: Field[str] | None) -> NegotiationPolicy:
    reference: Field[str] | None = None
    protocols: list[tuple[str, Field[str]]] = []
    unknown = unknown_kind
    attributes = dig(item, "Attributes")
    if attributes is not None and attributes.unknown:
        unknown = unknown_field(attributes.value, attributes)
    for attr in attributes.elements() if attributes is not None and not attributes.unknown else []:
        key = dig(attr, "Name")
        if key is None or not isinstance(key.value, str):
            unknown = unknown_field("a policy attribute is not known", attr)
            continue
        value = str_field(dig(attr, "Value"), "", attr.span)
        if key.value == "Reference-Security-Policy":
            reference = value
        elif key.value.startswith("Protocol-"):
            protocols.append((key.value, value))
    return NegotiationPolicy(resource=res, name=name, reference=reference, protocols=protocols,
                             policy_span=item.span, prefix=f"Policies[{name}].", unknown=unknown)


def _listener(res: Resource, node: Node, policies: _Policies) -> ClassicListener:
    protocol = str_field(dig(node, "Protocol"), "", node.span)
    if not protocol.unknown:
        protocol = Field(str(protocol.value).upper(), protocol.span, protocol.origin,
                         protocol.provenance)
    port_node = dig(node, "LoadBalancerPort")
    if port_node is None or isinstance(port_node.value, (Unknown, list, dict)) or port_node.value is None:
        return ClassicListener(resource=res, port="?", protocol=protocol,
                               policy=unknown_field("the listener's port is not known", node),
                               listener_span=node.span)
    port = str(port_node.value).strip()
    policy, declared = _attached(node, port, policies)
    return ClassicListener(resource=res, port=port, protocol=protocol, policy=policy,
                           policy_declared=declared, listener_span=node.span)


def _attached(node: Node, port: str, policies: _Policies) -> tuple[Field[str], bool]:
    """The SSL negotiation policy the listener uses, and whether it is declared here."""
    names = dig(node, "PolicyNames")
    if names is not None and names.unknown:
        return unknown_field(names.value, names), False
    for item in names.elements() if names is not None else []:
        if isinstance(item.value, Unknown):
            return unknown_field(item.value, item), False
        if not isinstance(item.value, str) or item.value in policies.others:
            continue
        declared = item.value in policies.ssl
        if not declared and policies.unknown is not None:
            return policies.unknown, False
        # Not declared here: a predefined policy by its name, which the rule judges.
        return Field(item.value, item.span, Origin.EXPLICIT, item.provenance), declared
    if port in policies.by_port:
        return Field(policies.by_port[port], node.span.head(), Origin.EXPLICIT), True
    if policies.unknown is not None:
        return policies.unknown, False
    return Field.default("", node.span), False
