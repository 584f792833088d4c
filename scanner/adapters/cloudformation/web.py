"""Load balancers and their listeners, API Gateway stages and custom domain names, CloudFront
distributions and Lambda function URLs, from CloudFormation resources."""

from __future__ import annotations

import re
from collections.abc import Callable

from scanner.adapters.cloudformation import classic_tls
from scanner.adapters.cloudformation.cloudfront_logs import access_logging
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
from scanner.values import Field, Node, Origin, Unknown
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

ELBV2 = "AWS::ElasticLoadBalancingV2::LoadBalancer"
CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
STAGES = {"AWS::ApiGateway::Stage": "AccessLogSetting", "AWS::ApiGatewayV2::Stage": "AccessLogSettings"}
# A REST API stage's ARN, as written literally in a web ACL association.
_STAGE_ARN = re.compile(r"arn:[\w-]+:apigateway:[\w-]*::/restapis/([^/]+)/stages/([^/]+)")
# What attaches an AWS WAF web ACL to a regional resource such as a REST API stage.
WEB_ACL_ASSOCIATIONS = ("AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation")
# The default security policy for HTTPS and TLS listeners created by CloudFormation.
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"
# API Gateway's security policy for a custom domain name created without one.
DEFAULT_DOMAIN_POLICY = "TLS_1_2"


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
    classic_tls.adapt(graph, views)
    for res in resources(graph, "AWS::ApiGateway::DomainName"):
        views.add(ApiDomain(resource=res, api_kind="rest", security_policies=[
            str_field(prop(res, "SecurityPolicy"), DEFAULT_DOMAIN_POLICY, res.span)]))
    for res in resources(graph, "AWS::ApiGatewayV2::DomainName"):
        views.add(ApiDomain(resource=res, api_kind="v2", security_policies=_v2_policies(res)))
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
        rest = res.type == "AWS::ApiGateway::Stage"
        views.add(ApiStage(resource=res, api_kind="rest" if rest else "v2",
                           access_log_destination=destination,
                           web_acl=_stage_web_acl(graph, res) if rest else None))
    for res in resources(graph, "AWS::CloudFront::Distribution"):
        views.add(_distribution(graph, res))
    for res in resources(graph, "AWS::Lambda::Url"):
        # Required by CloudFormation: left out, the rule cannot tell.
        views.add(FunctionUrl(resource=res, auth_type=_mapped(
            str_field(prop(res, "AuthType"), "", res.span), str.upper)))


def _v2_policies(res: Resource) -> list[Field[str]]:
    configs = prop(res, "DomainNameConfigurations")
    if configs is not None and configs.unknown:
        return [unknown_field(configs.value, configs)]
    return [str_field(dig(c, "SecurityPolicy"), DEFAULT_DOMAIN_POLICY, c.span)
            if isinstance(c.value, dict) or c.unknown else
            unknown_field("a domain name configuration is not a mapping", c)
            for c in (configs.elements() if configs is not None else [])]


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



# CloudFront's minimum protocol version when the viewer certificate does not name one.
DEFAULT_MINIMUM_PROTOCOL = "TLSv1"


def _distribution(graph: ResourceGraph, res: Resource) -> Distribution:
    config = prop(res, "DistributionConfig")
    if config is not None and (config.unknown or not isinstance(config.value, dict)):
        reason = config.value if config.unknown else Unknown("DistributionConfig is not a mapping")
        unknown = unknown_field(reason, config)
        return Distribution(resource=res, custom_certificate=unknown, default_certificate=unknown,
                            minimum_protocol_version=unknown, web_acl_id=unknown, access_logging=unknown,
                            behaviors=[CacheBehavior("", unknown, config.span)])
    block = config.span if config is not None else res.span
    cert = dig(config, "ViewerCertificate")
    if cert is not None and cert.unknown:
        custom: Field[bool] = unknown_field(cert.value, cert)
        default_cert: Field[bool] = custom
        minimum: Field[str] = unknown_field(cert.value, cert)
    elif cert is None or not isinstance(cert.value, dict):
        custom = Field.default(False, block)
        default_cert = Field.default(True, block)
        minimum = Field.default(DEFAULT_MINIMUM_PROTOCOL, block)
    else:
        custom = _custom_certificate(graph, res, cert)
        default_cert = bool_field(dig(cert, "CloudFrontDefaultCertificate"), False, cert.span)
        minimum = str_field(dig(cert, "MinimumProtocolVersion"), DEFAULT_MINIMUM_PROTOCOL, cert.span)
    behaviors: list[CacheBehavior] = []
    default = dig(config, "DefaultCacheBehavior")
    if default is not None and default.value is not None:
        behaviors.append(_behavior(default, ""))
    ordered = dig(config, "CacheBehaviors")
    if ordered is not None and ordered.unknown:
        behaviors.append(_behavior(ordered, "?"))
    else:
        for node in ordered.elements() if ordered is not None else []:
            behaviors.append(_behavior(node, None))
    return Distribution(
        resource=res,
        custom_certificate=custom,
        default_certificate=default_cert,
        minimum_protocol_version=minimum,
        behaviors=behaviors,
        web_acl_id=with_refs(graph, res, "DistributionConfig.WebACLId",
                             str_field(dig(config, "WebACLId"), "", block)),
        access_logging=access_logging(graph, res, config, block),
    )


def _custom_certificate(graph: ResourceGraph, res: Resource, cert: Node) -> Field[bool]:
    """An ACM or IAM certificate is named: a literal or a reference to a resource.

    A value that is not known and comes from no resource (a parameter without a value, an
    `Fn::If` that may give `AWS::NoValue`) may be absent, so the answer is Unknown; unless
    `SslSupportMethod` is set, which CloudFront takes only with a certificate of one's own.
    """
    undecided: Node | None = None
    for key in ("AcmCertificateArn", "IamCertificateId"):
        node = dig(cert, key)
        if node is None or node.value is None or node.value == "":
            continue
        if isinstance(node.value, Unknown) and not graph.targets(
                res, f"DistributionConfig.ViewerCertificate.{key}"):
            undecided = node
            continue
        return Field(True, node.span, Origin.EXPLICIT, node.provenance)
    if undecided is not None:
        method = dig(cert, "SslSupportMethod")
        if method is not None and isinstance(method.value, str) and method.value:
            return Field(True, undecided.span, Origin.EXPLICIT, undecided.provenance)
        return unknown_field(undecided.value, undecided)
    return Field.default(False, cert.span)


def _behavior(node: Node, pattern: str | None) -> CacheBehavior:
    if node.unknown or not isinstance(node.value, dict):
        reason = node.value if node.unknown else Unknown("the cache behavior is not a mapping")
        return CacheBehavior(path_pattern=pattern or "",
                             viewer_protocol_policy=unknown_field(reason, node), span=node.span)
    if pattern is None:
        path = dig(node, "PathPattern")
        pattern = path.value if path is not None and isinstance(path.value, str) else "?"
    return CacheBehavior(
        path_pattern=pattern,
        viewer_protocol_policy=_mapped(str_field(dig(node, "ViewerProtocolPolicy"), "", node.span),
                                       str.lower),
        span=node.span,
    )


def _stage_web_acl(graph: ResourceGraph, stage: Resource) -> Field[bool]:
    """An association whose ResourceArn names the stage; Unknown when one may be for it (its
    ARN is built from the stage's REST API only, or names no resource of the template)."""
    found = graph.referrers(stage, WEB_ACL_ASSOCIATIONS, "ResourceArn")
    if found:
        node = prop(found[0], "ResourceArn")
        return Field(True, node.span if node is not None else found[0].span, Origin.EXPLICIT)
    literal = _literal_stage_match(stage, graph)
    if literal is not None:
        return literal
    apis = {t.id for t in graph.targets(stage, "RestApiId")}
    for assoc in resources(graph, *WEB_ACL_ASSOCIATIONS):
        arn = prop(assoc, "ResourceArn")
        named = graph.targets(assoc, "ResourceArn")
        targets = {t.id for t in named}
        # One that names a stage is for that stage only.
        if apis & targets and not any(t.type == stage.type for t in named):
            return Field(Unknown("a web ACL association names the stage's API"), assoc.span)
        if arn is not None and arn.unknown and not targets:
            return Field(Unknown("a web ACL association's resource is not known"), assoc.span)
    return Field.default(False, stage.span)


def _literal_stage_match(stage: Resource, graph: ResourceGraph) -> Field[bool] | None:
    """An association whose resource ARN is written out and names a stage of this name: the
    stage's when the REST API ids can be compared and agree, maybe (Unknown) when they cannot."""
    name, api = prop(stage, "StageName"), prop(stage, "RestApiId")
    if name is None or not isinstance(name.value, str):
        return None
    for assoc in resources(graph, *WEB_ACL_ASSOCIATIONS):
        arn = prop(assoc, "ResourceArn")
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
