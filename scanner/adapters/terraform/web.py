"""Load balancers and their listeners, and API Gateway stages, from Terraform resources."""

from __future__ import annotations

from scanner.adapters.references import with_refs
from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.web import ApiStage, Listener, ListenerAction, LoadBalancer

ELBV2 = ("aws_lb", "aws_alb")
LISTENERS = ("aws_lb_listener", "aws_alb_listener")
# The API's default security policy for HTTPS and TLS listeners created outside the console.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    kinds: dict[str, tuple[Field[str], Field[bool], str]] = {}
    for res in terraform_resources(graph, *ELBV2):
        kind = field(res, "load_balancer_type", "application", res.span, _lower)
        internal = field(res, "internal", False, res.span, to_bool)
        kinds[res.id] = (kind, internal, res.address)
        logs = block(res.body, "access_logs")
        # `enabled` defaults to false, even when a bucket is given.
        access = (Field.default(False, res.span) if logs is None
                  else field(logs, "enabled", False, logs.span, to_bool))
        protocols = [_listener_protocol(lst, kind)
                     for lst in graph.referrers(res, LISTENERS, "load_balancer_arn")]
        views.add(LoadBalancer(resource=res, kind=kind, internal=internal, access_logs=access,
                               listener_protocols=protocols))
    for res in terraform_resources(graph, "aws_elb"):
        logs = block(res.body, "access_logs")
        # On a Classic Load Balancer, an access_logs block is enabled unless it says otherwise.
        access = (Field.default(False, res.span) if logs is None
                  else field(logs, "enabled", True, logs.span, to_bool))
        listeners = res.body.get("listener")
        protocols = [field(lst, "lb_protocol", "", lst.span, _upper)
                     for lst in (listeners.elements() if listeners is not None else [])
                     if isinstance(lst.value, dict)]
        views.add(LoadBalancer(
            resource=res,
            kind=Field.default("classic", res.span),
            internal=field(res, "internal", False, res.span, to_bool),
            access_logs=access,
            listener_protocols=protocols,
        ))
    for res in terraform_resources(graph, *LISTENERS):
        views.add(_listener(graph, res, kinds))
    for res in terraform_resources(graph, "aws_api_gateway_stage", "aws_apigatewayv2_stage"):
        settings = block(res.body, "access_log_settings")
        destination = (Field.default("", res.span) if settings is None else with_refs(
            graph, res, "access_log_settings.destination_arn",
            field(settings, "destination_arn", "", settings.span, to_str)))
        views.add(ApiStage(resource=res,
                           api_kind="rest" if res.type == "aws_api_gateway_stage" else "v2",
                           access_log_destination=destination))


def _listener(graph: ResourceGraph, res: Resource,
              kinds: dict[str, tuple[Field[str], Field[bool], str]]) -> Listener:
    targets = [t for t in graph.targets(res, "load_balancer_arn") if t.id in kinds]
    kind = internal = None
    address = None
    if targets:
        kind, internal, address = kinds[targets[0].id]
    actions = res.body.get("default_action")
    return Listener(
        resource=res,
        protocol=_listener_protocol(res, kind),
        ssl_policy=field(res, "ssl_policy", DEFAULT_SSL_POLICY, res.span, to_str),
        default_actions=[_action(a) for a in (actions.elements() if actions is not None else [])
                         if isinstance(a.value, dict)],
        load_balancer=address,
        load_balancer_kind=kind,
        load_balancer_internal=internal,
    )


def _listener_protocol(res: Resource, kind: Field[str] | None) -> Field[str]:
    """The provider defaults an Application Load Balancer listener's protocol to HTTP."""
    application = kind is None or kind.unknown or kind.value == "application"
    return field(res, "protocol", "HTTP" if application else "", res.span, _upper)


def _action(node: Node) -> ListenerAction:
    redirect = block(node, "redirect")
    return ListenerAction(
        type=field(node, "type", "", node.span, _lower),
        redirect_protocol=(field(redirect, "protocol", "#{protocol}", redirect.span, to_str)
                           if redirect is not None else Field.default("#{protocol}", node.span)),
        span=node.span,
    )


def _lower(value: object) -> object:
    text = to_str(value)
    return text.lower() if isinstance(text, str) else text


def _upper(value: object) -> object:
    text = to_str(value)
    return text.upper() if isinstance(text, str) else text
