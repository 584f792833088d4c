"""Load balancers and their listeners, and API Gateway stages, from CloudFormation resources."""

from __future__ import annotations

from collections.abc import Callable

from scanner.adapters.cloudformation.common import (
    bool_field,
    dig,
    prop,
    resources,
    str_field,
    unknown_field,
)
from scanner.adapters.references import with_refs
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node
from scanner.views import ViewSet
from scanner.views.web import ApiStage, Listener, ListenerAction, LoadBalancer

ELBV2 = "AWS::ElasticLoadBalancingV2::LoadBalancer"
CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
STAGES = {"AWS::ApiGateway::Stage": "AccessLogSetting", "AWS::ApiGatewayV2::Stage": "AccessLogSettings"}
# The default security policy for HTTPS and TLS listeners created by CloudFormation.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    kinds: dict[str, tuple[Field[str], Field[bool], str]] = {}
    for res in resources(graph, ELBV2):
        kind = _mapped(str_field(prop(res, "Type"), "application", res.span), str.lower)
        internal = _internal(res)
        kinds[res.id] = (kind, internal, res.address)
        protocols = [_mapped(str_field(prop(lst, "Protocol"), "", lst.span), str.upper)
                     for lst in graph.referrers(res, [LISTENER], "LoadBalancerArn")]
        views.add(LoadBalancer(resource=res, kind=kind, internal=internal,
                               access_logs=_elbv2_access_logs(res), listener_protocols=protocols))
    for res in resources(graph, CLASSIC):
        policy = prop(res, "AccessLoggingPolicy")
        if policy is None or policy.value is None:
            access = Field.default(False, res.span)
        elif policy.unknown:
            access = unknown_field("the access logging policy is not known", policy)
        elif not isinstance(policy.value, dict):
            access = unknown_field("AccessLoggingPolicy is not an object", policy)
        else:
            access = bool_field(dig(policy, "Enabled"), False, policy.span)
        listeners = prop(res, "Listeners")
        protocols = [_mapped(str_field(dig(lst, "Protocol"), "", lst.span), str.upper)
                     for lst in (listeners.elements() if listeners is not None and not listeners.unknown
                                 else [])]
        views.add(LoadBalancer(resource=res, kind=Field.default("classic", res.span),
                               internal=_internal(res), access_logs=access,
                               listener_protocols=protocols))
    for res in resources(graph, LISTENER):
        views.add(_listener(graph, res, kinds))
    for res in resources(graph, *STAGES):
        key = STAGES[res.type]
        settings = prop(res, key)
        if settings is None or settings.value is None:
            destination = Field.default("", res.span)
        elif settings.unknown or not isinstance(settings.value, dict):
            destination = unknown_field(f"{key} is not known", settings)
        else:
            destination = with_refs(graph, res, f"{key}.DestinationArn",
                                    str_field(dig(settings, "DestinationArn"), "", settings.span))
        views.add(ApiStage(resource=res,
                           api_kind="rest" if res.type == "AWS::ApiGateway::Stage" else "v2",
                           access_log_destination=destination))


def _internal(res: Resource) -> Field[bool]:
    scheme = str_field(prop(res, "Scheme"), "internet-facing", res.span)
    if scheme.unknown:
        return Field(scheme.value, scheme.span, scheme.origin, scheme.provenance)
    return Field(scheme.value == "internal", scheme.span, scheme.origin, scheme.provenance)


def _elbv2_access_logs(res: Resource) -> Field[bool]:
    """`access_logs.s3.enabled` among LoadBalancerAttributes; off when absent."""
    attributes = prop(res, "LoadBalancerAttributes")
    if attributes is None or attributes.value is None:
        return Field.default(False, res.span)
    if attributes.unknown:
        return unknown_field("the load balancer attributes are not known", attributes)
    found: Field[bool] | None = None
    for item in attributes.elements():
        key = dig(item, "Key")
        if key is not None and key.unknown:
            return unknown_field("a load balancer attribute's key is not known", key)
        if key is not None and key.value == "access_logs.s3.enabled":
            found = bool_field(dig(item, "Value"), False, item.span)
    return found if found is not None else Field.default(False, res.span)


def _listener(graph: ResourceGraph, res: Resource,
              kinds: dict[str, tuple[Field[str], Field[bool], str]]) -> Listener:
    targets = [t for t in graph.targets(res, "LoadBalancerArn") if t.id in kinds]
    kind = internal = None
    address = None
    if targets:
        kind, internal, address = kinds[targets[0].id]
    actions = prop(res, "DefaultActions")
    return Listener(
        resource=res,
        protocol=_mapped(str_field(prop(res, "Protocol"), "", res.span), str.upper),
        ssl_policy=str_field(prop(res, "SslPolicy"), DEFAULT_SSL_POLICY, res.span),
        default_actions=[_action(a) for a in (actions.elements() if actions is not None
                                              and not actions.unknown else [])],
        load_balancer=address,
        load_balancer_kind=kind,
        load_balancer_internal=internal,
    )


def _action(node: Node) -> ListenerAction:
    redirect = dig(node, "RedirectConfig")
    return ListenerAction(
        type=_mapped(str_field(dig(node, "Type"), "", node.span), str.lower),
        redirect_protocol=(str_field(dig(redirect, "Protocol"), "#{protocol}", redirect.span)
                           if redirect is not None else Field.default("#{protocol}", node.span)),
        span=node.span,
    )


def _mapped(fld: Field[str], convert: Callable[[str], str]) -> Field[str]:
    if fld.unknown or not isinstance(fld.value, str):
        return fld
    return Field(convert(fld.value), fld.span, fld.origin, fld.provenance)

