"""Load balancers and their listeners, API Gateway stages and custom domain names, CloudFront
distributions and Lambda function URLs, from Terraform resources."""

from __future__ import annotations

import re

from scanner.adapters.references import with_refs
from scanner.adapters.terraform import classic_tls
from scanner.adapters.terraform.cloudfront_logs import access_logging
from scanner.adapters.terraform.common import Attachments, block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.web import (
    ApiDomain,
    ApiStage,
    CacheBehavior,
    Distribution,
    FunctionUrl,
    Listener,
    ListenerAction,
    LoadBalancer,
)

ELBV2 = ("aws_lb", "aws_alb")
LISTENERS = ("aws_lb_listener", "aws_alb_listener")
# A REST API stage's ARN, as written literally in a web ACL association.
_STAGE_ARN = re.compile(r"arn:[\w-]+:apigateway:[\w-]*::/restapis/([^/]+)/stages/([^/]+)")
# What attaches an AWS WAF web ACL to a regional resource such as a REST API stage.
WEB_ACL_ASSOCIATIONS = ("aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association")
# The API's default security policy for HTTPS and TLS listeners created outside the console.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"
# API Gateway's security policy for a custom domain name created without one.
DEFAULT_DOMAIN_POLICY = "TLS_1_2"


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
    classic_tls.adapt(graph, views)
    for res in terraform_resources(graph, "aws_api_gateway_domain_name"):
        views.add(ApiDomain(resource=res, api_kind="rest", security_policies=[
            field(res, "security_policy", DEFAULT_DOMAIN_POLICY, res.span, to_str)]))
    for res in terraform_resources(graph, "aws_apigatewayv2_domain_name"):
        configs = res.body.get("domain_name_configuration")
        views.add(ApiDomain(resource=res, api_kind="v2", security_policies=[
            field(c, "security_policy", DEFAULT_DOMAIN_POLICY, c.span, to_str)
            if isinstance(c.value, dict) else Field(c.value if c.unknown else Unknown(
                "the domain name configuration is not a block"), c.span, Origin.EXPLICIT)
            for c in (configs.elements() if configs is not None else [])]))
    associations = Attachments(graph, WEB_ACL_ASSOCIATIONS, "resource_arn")
    for res in terraform_resources(graph, "aws_api_gateway_stage", "aws_apigatewayv2_stage"):
        settings = block(res.body, "access_log_settings")
        destination = (Field.default("", res.span) if settings is None else with_refs(
            graph, res, "access_log_settings.destination_arn",
            field(settings, "destination_arn", "", settings.span, to_str)))
        rest = res.type == "aws_api_gateway_stage"
        views.add(ApiStage(resource=res, api_kind="rest" if rest else "v2",
                           access_log_destination=destination,
                           web_acl=_stage_web_acl(graph, res, associations) if rest else None))
    for res in terraform_resources(graph, "aws_cloudfront_distribution"):
        views.add(_distribution(graph, res))
    for res in terraform_resources(graph, "aws_lambda_function_url"):
        # Required by the provider: left out, the rule cannot tell.
        views.add(FunctionUrl(resource=res,
                              auth_type=field(res, "authorization_type", "", res.span, _upper)))


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


# CloudFront's minimum protocol version when the viewer certificate does not name one.
DEFAULT_MINIMUM_PROTOCOL = "TLSv1"


def _distribution(graph: ResourceGraph, res: Resource) -> Distribution:
    whole = res.body.get("viewer_certificate")
    cert = block(res.body, "viewer_certificate")
    if whole is not None and whole.unknown:
        custom: Field[bool] = Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
        default_cert: Field[bool] = custom
        minimum: Field[str] = Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
    elif cert is None or not isinstance(cert.value, dict):
        custom = Field.default(False, res.span)
        default_cert = Field.default(True, res.span)
        minimum = Field.default(DEFAULT_MINIMUM_PROTOCOL, res.span)
    else:
        custom = _custom_certificate(cert)
        default_cert = field(cert, "cloudfront_default_certificate", False, cert.span, to_bool)
        minimum = field(cert, "minimum_protocol_version", DEFAULT_MINIMUM_PROTOCOL, cert.span, to_str)
    behaviors: list[CacheBehavior] = []
    default = block(res.body, "default_cache_behavior")
    if default is not None:
        behaviors.append(_behavior(default, ""))
    ordered = res.body.get("ordered_cache_behavior")
    for node in ordered.elements() if ordered is not None else []:
        behaviors.append(_behavior(node, None))
    return Distribution(
        resource=res,
        custom_certificate=custom,
        default_certificate=default_cert,
        minimum_protocol_version=minimum,
        behaviors=behaviors,
        web_acl_id=with_refs(graph, res, "web_acl_id", field(res, "web_acl_id", "", res.span, to_str)),
        access_logging=access_logging(graph, res),
    )


def _custom_certificate(cert: Node) -> Field[bool]:
    """An ACM or IAM certificate is named: a literal or a reference to a resource's attribute.

    A value that is not known and comes from no resource (a variable without a value) may be
    null, so the answer is Unknown.
    """
    undecided: Node | None = None
    for key in ("acm_certificate_arn", "iam_certificate_id"):
        node = cert.get(key)
        if node is None or node.value is None or node.value == "":
            continue
        if isinstance(node.value, Unknown) and not node.value.refs:
            undecided = node
            continue
        return Field(True, node.span, Origin.EXPLICIT, node.provenance)
    if undecided is not None:
        return Field(undecided.value, undecided.span, Origin.EXPLICIT, undecided.provenance)
    return Field.default(False, cert.span)


def _behavior(node: Node, pattern: str | None) -> CacheBehavior:
    if node.unknown or not isinstance(node.value, dict):
        reason = node.value if node.unknown else Unknown("the cache behavior is not a block")
        return CacheBehavior(path_pattern=pattern or "",
                             viewer_protocol_policy=Field(reason, node.span, Origin.EXPLICIT,
                                                          node.provenance),
                             span=node.span)
    if pattern is None:
        path = node.get("path_pattern")
        pattern = path.value if path is not None and isinstance(path.value, str) else "?"
    return CacheBehavior(
        path_pattern=pattern,
        viewer_protocol_policy=field(node, "viewer_protocol_policy", "", node.span, _lower),
        span=node.span,
    )


def _stage_web_acl(graph: ResourceGraph, stage: Resource, associations: Attachments) -> Field[bool]:
    """An association whose resource_arn is the stage's; Unknown when one may be for it (its
    ARN is built from the stage's REST API, or cannot be read)."""
    found, unresolved = associations.of(stage, None)
    if found:
        node = found[0].body.get("resource_arn")
        span = node.span if node is not None else found[0].span
        return Field(True, span, Origin.EXPLICIT)
    literal = _literal_stage_match(stage, graph)
    if literal is not None:
        return literal
    apis = {t.id for t in graph.targets(stage, "rest_api_id")}
    for assoc in terraform_resources(graph, *WEB_ACL_ASSOCIATIONS):
        named = graph.targets(assoc, "resource_arn")
        # One that names a stage is for that stage only.
        if apis & {t.id for t in named} and not any(t.type == stage.type for t in named):
            return Field(Unknown("a web ACL association names the stage's API"), assoc.span)
    if unresolved:
        return Field(Unknown("a web ACL association's resource is not known"), stage.span.head())
    return Field.default(False, stage.span)


def _literal_stage_match(stage: Resource, graph: ResourceGraph) -> Field[bool] | None:
    """An association whose resource ARN is written out and names a stage of this name: the
    stage's when the REST API ids can be compared and agree, maybe (Unknown) when they cannot."""
    name, api = stage.body.get("stage_name"), stage.body.get("rest_api_id")
    if name is None or not isinstance(name.value, str):
        return None
    for assoc in terraform_resources(graph, *WEB_ACL_ASSOCIATIONS):
        arn = assoc.body.get("resource_arn")
        if arn is None or not isinstance(arn.value, str):
            continue
        match = _STAGE_ARN.fullmatch(arn.value)
        if match is None or match.group(2) != name.value:
            continue
        if api is not None and isinstance(api.value, str):
            if api.value == match.group(1):
                return Field(True, arn.span, Origin.EXPLICIT)
            continue
        return Field(Unknown("a web ACL association names a stage of this name in an API whose "
                             "id is not known"), arn.span)
    return None
