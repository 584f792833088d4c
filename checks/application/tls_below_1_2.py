from __future__ import annotations

import re

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.datastores import SearchDomain
from scanner.views.web import (
    ApiDomain,
    ClassicListener,
    Distribution,
    Listener,
    NegotiationPolicy,
)

# Elastic Load Balancing security policies for HTTPS (ALB) and TLS (NLB) listeners, by the
# oldest protocol they accept (AWS's "Security policies for your Application Load Balancer"
# and "... Network Load Balancer" tables). Custom policies cannot be made for either.
_ELB_OLD = re.compile(
    r"ELBSecurityPolicy-(?:2015-05|2016-08|TLS-1-0-2015-04|TLS-1-1-2017-01|FS-2018-06"
    r"|FS-1-1-2019-08|TLS13-1-[01]-[A-Za-z0-9-]+)"
)
_ELB_CURRENT = re.compile(
    r"ELBSecurityPolicy-(?:TLS-1-2-[A-Za-z0-9-]+|FS-1-2-[A-Za-z0-9-]+|TLS13-1-[23]-[A-Za-z0-9-]+)"
)
# CloudFront viewer security policies that accept a protocol older than TLS 1.2.
_CLOUDFRONT_OLD = frozenset({"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"})
_CLOUDFRONT_CURRENT = re.compile(r"TLSv1\.[23]_\d{4}")
# Classic Load Balancer predefined policies ("Predefined SSL security policies for Classic Load
# Balancers"): only ELBSecurityPolicy-TLS-1-2-2017-01 refuses TLS 1.0 and 1.1; the others, and
# the older ELBSample-* policies, accept TLS 1.0 (and some SSLv3).
_CLASSIC_OLD = re.compile(
    r"ELBSecurityPolicy-(?:TLS-1-1-2017-01|2016-08|2015-0[235]|2014-(?:01|10)|2011-08)"
    r"|ELBSample-(?:ELBDefault|OpenSSLDefault)CipherPolicy"
)
_CLASSIC_CURRENT = frozenset({"ELBSecurityPolicy-TLS-1-2-2017-01"})
# What AWS attaches to an HTTPS/SSL listener created without a negotiation policy.
_CLASSIC_DEFAULT = "ELBSecurityPolicy-2016-08"
# Protocol-* attributes of a custom negotiation policy that enable something older than TLS 1.2.
_CLASSIC_OLD_PROTOCOLS = frozenset({"Protocol-SSLv2", "Protocol-SSLv3", "Protocol-TLSv1",
                                    "Protocol-TLSv1.1"})
# API Gateway custom domain security policies: the legacy TLS_1_0 accepts TLS 1.0 and 1.1;
# TLS_1_2 and the enhanced SecurityPolicy_TLS13_* / SecurityPolicy_TLS12_* policies accept
# TLS 1.2 or 1.3 only ("Supported security policies", API Gateway developer guide).
_API_OLD = frozenset({"TLS_1_0"})
_API_CURRENT = re.compile(r"TLS_1_2|SecurityPolicy_TLS1[23]_[A-Za-z0-9_]+")
# OpenSearch Service domain endpoint policies.
_SEARCH_OLD = frozenset({"Policy-Min-TLS-1-0-2019-07"})
_SEARCH_CURRENT = re.compile(r"Policy-Min-TLS-1-[23]-[A-Za-z0-9-]+")


View = Listener | Distribution | SearchDomain | ApiDomain | ClassicListener | NegotiationPolicy


def check(view: View) -> Outcome | list[Outcome]:
    if isinstance(view, Distribution):
        return _distribution(view)
    if isinstance(view, SearchDomain):
        return _search_domain(view)
    if isinstance(view, ApiDomain):
        return [_api_policy(view, policy) for policy in view.security_policies]
    if isinstance(view, ClassicListener):
        return _classic_listener(view)
    if isinstance(view, NegotiationPolicy):
        return _negotiation_policy(view)
    return _listener(view)


def _api_policy(domain: ApiDomain, policy: Field[str]) -> Outcome:
    if policy.unknown:
        return Undecided("the domain name's security policy is not known", policy.span)
    name = str(policy.value)
    if _API_CURRENT.fullmatch(name):
        return PASS
    if name not in _API_OLD:
        return Undecided(f"{name} is not a known API Gateway security policy", policy.span)
    return Fail(f"API Gateway domain name {domain.address} uses security policy {name}, which "
                "accepts TLS 1.0 and 1.1", policy, attribute="security_policy")


def _classic_listener(listener: ClassicListener) -> Outcome:
    protocol = listener.protocol
    if protocol.unknown:
        return Undecided("the listener's protocol is not known", protocol.span)
    if protocol.value not in ("HTTPS", "SSL"):
        return PASS
    policy = listener.policy
    where = f"{protocol.value} listener on port {listener.port} of {listener.address}"
    attribute = f"listener.{listener.port}.ssl_negotiation_policy"
    if policy.unknown:
        return Undecided("the listener's SSL negotiation policy is not known", policy.span)
    if policy.value == "":
        return Fail(f"{where} has no SSL negotiation policy: AWS applies {_CLASSIC_DEFAULT}, "
                    "which accepts TLS 1.0 and 1.1", listener.listener_span.head(),
                    attribute=attribute)
    if listener.policy_declared:
        return PASS  # the policy is judged where it is declared
    name = str(policy.value)
    if name in _CLASSIC_CURRENT:
        return PASS
    if _CLASSIC_OLD.fullmatch(name):
        return Fail(f"{where} uses the predefined policy {name}, which accepts TLS versions "
                    "older than 1.2", policy, attribute=attribute)
    return Undecided(f"{name} is not a predefined policy, nor declared in the configuration",
                     policy.span)


def _negotiation_policy(policy: NegotiationPolicy) -> list[Outcome]:
    if policy.unknown is not None:
        return [Undecided("the SSL negotiation policy's attributes are not known",
                          policy.unknown.span)]
    outcomes: list[Outcome] = []
    for name, value in policy.protocols:
        if name not in _CLASSIC_OLD_PROTOCOLS:
            continue
        if value.unknown:
            outcomes.append(Undecided(f"whether {name} is enabled is not known", value.span))
            continue
        text = str(value.value).strip().lower()
        if text == "true":
            outcomes.append(Fail(f"SSL negotiation policy {policy.name} of {policy.address} "
                                 f"enables {name.removeprefix('Protocol-')}, older than TLS 1.2",
                                 value, attribute=policy.prefix + name))
        elif text != "false":
            outcomes.append(Undecided(f"{name} is {value.value!r}, neither true nor false",
                                      value.span))
    reference = policy.reference
    if reference is not None:
        outcomes.append(_reference(policy, reference))
    return outcomes or [PASS]


def _reference(policy: NegotiationPolicy, reference: Field[str]) -> Outcome:
    if reference.unknown:
        return Undecided("the predefined policy it copies is not known", reference.span)
    name = str(reference.value)
    if name in _CLASSIC_CURRENT:
        return PASS
    if not _CLASSIC_OLD.fullmatch(name):
        return Undecided(f"{name} is not a known Classic Load Balancer security policy",
                         reference.span)
    return Fail(f"SSL negotiation policy {policy.name} of {policy.address} copies {name}, which "
                "accepts TLS versions older than 1.2", reference,
                attribute=policy.prefix + "Reference-Security-Policy")


def _search_domain(domain: SearchDomain) -> Outcome:
    policy = domain.tls_security_policy
    if policy is None:
        return PASS
    if policy.unknown:
        return Undecided("the domain's TLS security policy is not known", policy.span)
    name = str(policy.value)
    if _SEARCH_CURRENT.fullmatch(name):
        return PASS
    if name not in _SEARCH_OLD:
        return Undecided(f"{name} is not a known OpenSearch TLS security policy", policy.span)
    if policy.explicit:
        return Fail(f"Search domain {domain.address} uses TLS security policy {name}, which "
                    "accepts TLS 1.0 and 1.1", policy,
                    attribute="domain_endpoint_options.tls_security_policy")
    return Fail(f"Search domain {domain.address} names no TLS security policy: the default, "
                f"{name}, accepts TLS 1.0 and 1.1", policy.span,
                attribute="domain_endpoint_options.tls_security_policy")


def _listener(listener: Listener) -> Outcome:
    protocol = listener.protocol
    if protocol.unknown:
        return Undecided("the listener's protocol is not known", protocol.span)
    if protocol.value not in ("HTTPS", "TLS"):
        return PASS
    policy = listener.ssl_policy
    if policy.unknown:
        return Undecided("the listener's security policy is not known", policy.span)
    name = str(policy.value)
    if _ELB_CURRENT.fullmatch(name):
        return PASS
    if not _ELB_OLD.fullmatch(name):
        return Undecided(f"{name} is not a known Elastic Load Balancing security policy",
                         policy.span)
    if policy.explicit:
        return Fail(f"{protocol.value} listener {listener.address} uses security policy {name}, "
                    "which accepts TLS versions older than 1.2", policy, attribute="ssl_policy")
    return Fail(f"{protocol.value} listener {listener.address} names no security policy: the "
                f"default, {name}, accepts TLS 1.0 and 1.1", listener.span, attribute="ssl_policy")


def _distribution(dist: Distribution) -> Outcome:
    minimum = dist.minimum_protocol_version
    custom = dist.custom_certificate
    weak = not minimum.unknown and minimum.value in _CLOUDFRONT_OLD
    if weak and minimum.explicit:
        # Old whichever certificate is used: the default certificate only allows TLSv1.
        return Fail(f"CloudFront distribution {dist.address} sets minimum protocol version "
                    f"{minimum.value}, older than TLS 1.2", minimum,
                    attribute="viewer_certificate.minimum_protocol_version")
    chosen = dist.default_certificate
    # Turning the default certificate off explicitly says a certificate of one's own is meant.
    declined = chosen.explicit and not chosen.unknown and chosen.value is False
    if custom.unknown and not declined:
        return Undecided("whether the distribution uses its own certificate is not known",
                         custom.span)
    if custom.value is not True and not declined:
        # On the setting that picks the default certificate, else on the viewer certificate
        # block (where the minimum version's default lives), else on the distribution.
        at = chosen if chosen.explicit and chosen.value is True else minimum.span
        return Fail(f"CloudFront distribution {dist.address} uses the default *.cloudfront.net "
                    "certificate, for which CloudFront always accepts TLSv1", at,
                    attribute="viewer_certificate.cloudfront_default_certificate")
    if minimum.unknown:
        return Undecided("the minimum protocol version is not known", minimum.span)
    if weak:
        return Fail(f"CloudFront distribution {dist.address} names no minimum protocol version: "
                    f"the default, {minimum.value}, accepts TLS 1.0 and 1.1", minimum.span,
                    attribute="viewer_certificate.minimum_protocol_version")
    if _CLOUDFRONT_CURRENT.fullmatch(str(minimum.value)):
        return PASS
    return Undecided(f"{minimum.value} is not a known CloudFront security policy", minimum.span)


RULE = Rule(
    id="APP002",
    name="TlsOlderThan12Accepted",
    title=("Load balancer, CloudFront, API Gateway or OpenSearch endpoint accepts TLS versions "
           "older than 1.2"),
    severity=Severity.MEDIUM,
    severity_reason=(
        "TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996): a client that can "
        "be pushed down to them gets weaker protection of data in transit."
    ),
    domain=Domain.APPLICATION,
    view=(Listener, Distribution, SearchDomain, ApiDomain, ClassicListener, NegotiationPolicy),
    check=check,
    resource_types=(
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_elb",
        "aws_load_balancer_policy",
        "aws_load_balancer_listener_policy",
        "aws_lb_ssl_negotiation_policy",
        "aws_api_gateway_domain_name",
        "aws_apigatewayv2_domain_name",
        "aws_cloudfront_distribution",
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::ApiGateway::DomainName",
        "AWS::ApiGatewayV2::DomainName",
        "AWS::CloudFront::Distribution",
        "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ),
    rationale=(
        "Choosing which protocol versions an endpoint accepts from clients is the customer's "
        "duty: AWS offers the policies, the customer picks one. An HTTPS (Application Load "
        "Balancer) or TLS (Network Load Balancer) listener accepts what its security policy "
        "allows, and a listener made outside the console without ssl_policy / SslPolicy gets "
        "ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; the policies whose names "
        "carry TLS-1-2, FS-1-2, TLS13-1-2 or TLS13-1-3 do not. A CloudFront distribution with "
        "its own certificate accepts what minimum_protocol_version / MinimumProtocolVersion "
        "allows (TLSv1 when left out; TLSv1.2_2018 or later is TLS 1.2); one that uses the "
        "default *.cloudfront.net certificate always accepts TLSv1, whatever it asks for, so "
        "it is reported too: serving it under an alias with an ACM certificate is the fix (a "
        "viewer certificate that turns cloudfront_default_certificate off is judged by its "
        "minimum version). "
        "An OpenSearch Service (or Elasticsearch Service) domain answers HTTPS with its "
        "tls_security_policy / TLSSecurityPolicy: the service's default, "
        "Policy-Min-TLS-1-0-2019-07, accepts TLS 1.0 and 1.1; the Policy-Min-TLS-1-2 policies "
        "do not (whether plain HTTP is refused at all is APP006's business). "
        "A Classic Load Balancer HTTPS or SSL listener negotiates with the SSLNegotiationPolicyType "
        "policy attached to it (aws_load_balancer_listener_policy or "
        "aws_lb_ssl_negotiation_policy; a listener's PolicyNames or a policy's "
        "LoadBalancerPorts in CloudFormation); with none, AWS attaches ELBSecurityPolicy-2016-08 "
        "(Classic Load Balancer guide, \"Update the SSL negotiation configuration\"), which "
        "accepts TLS 1.0 and 1.1, so such a listener is reported. A policy is judged where it "
        "is declared: one whose Reference-Security-Policy names a predefined policy other than "
        "ELBSecurityPolicy-TLS-1-2-2017-01 (the only Classic one without TLS 1.0 and 1.1), or "
        "that sets Protocol-SSLv3, Protocol-TLSv1 or Protocol-TLSv1.1 to true, is reported; a "
        "custom policy enables the protocols it sets to true. "
        "An API Gateway custom domain name answers with its security_policy / SecurityPolicy: "
        "the legacy TLS_1_0 accepts TLS 1.0 and 1.1; TLS_1_2 and the enhanced "
        "SecurityPolicy_TLS13_* and SecurityPolicy_TLS12_* policies do not. AWS's documentation "
        "(\"Supported security policies\") gives TLS_1_2 as the default for custom domain names, "
        "so a domain name without one passes; HTTP and WebSocket APIs support TLS_1_2 only. The "
        "default execute-api endpoint of a Regional or edge-optimized REST API still answers "
        "with TLS_1_0; it is not judged here (disabling it in favour of a custom domain name is "
        "the usual fix). "
        "Load balancers, CloudFront, API Gateway and search domains are one control (the "
        "minimum TLS version offered to clients), so one rule covers them."
    ),
    remediation=(
        "Give HTTPS and TLS listeners a TLS 1.2 or later policy such as "
        "ELBSecurityPolicy-TLS13-1-2-2021-06; give CloudFront distributions an ACM certificate "
        "and minimum_protocol_version TLSv1.2_2021 or later; give search domains the TLS "
        "security policy Policy-Min-TLS-1-2-PFS-2023-10; attach to every Classic Load Balancer "
        "HTTPS/SSL listener a negotiation policy that copies ELBSecurityPolicy-TLS-1-2-2017-01 "
        "(or move to an Application Load Balancer); give API Gateway custom domain names "
        "TLS_1_2 or an enhanced SecurityPolicy_TLS13_* policy."
    ),
    terraform_fix="""\
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.web.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_cloudfront_distribution" "site" {
  # ...
  aliases = ["www.example.com"]

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_opensearch_domain" "search" {
  # ...
  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}

resource "aws_load_balancer_policy" "tls12" {
  load_balancer_name = aws_elb.classic.name
  policy_name        = "tls12"
  policy_type_name   = "SSLNegotiationPolicyType"

  policy_attribute {
    name  = "Reference-Security-Policy"
    value = "ELBSecurityPolicy-TLS-1-2-2017-01"
  }
}

resource "aws_load_balancer_listener_policy" "https" {
  load_balancer_name = aws_elb.classic.name
  load_balancer_port = 443
  policy_names       = [aws_load_balancer_policy.tls12.policy_name]
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = aws_acm_certificate.api.arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}""",
    cloudformation_fix="""\
HttpsListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref WebLoadBalancer
    Port: 443
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    Certificates:
      - CertificateArn: !Ref WebCertificate
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref WebTargetGroup

SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      # ...
      Aliases: [www.example.com]
      ViewerCertificate:
        AcmCertificateArn: !Ref SiteCertificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1.2_2021

SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    # ...
    DomainEndpointOptions:
      EnforceHTTPS: true
      TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10

ClassicLoadBalancer:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    # ...
    Listeners:
      - LoadBalancerPort: "443"
        Protocol: HTTPS
        InstancePort: "80"
        InstanceProtocol: HTTP
        SSLCertificateId: !Ref WebCertificate
        PolicyNames: [Tls12Negotiation]
    Policies:
      - PolicyName: Tls12Negotiation
        PolicyType: SSLNegotiationPolicyType
        Attributes:
          - Name: Reference-Security-Policy
            Value: ELBSecurityPolicy-TLS-1-2-2017-01

ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref ApiCertificate
    SecurityPolicy: TLS_1_2
    EndpointConfiguration:
      Types: [REGIONAL]""",
    references=(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/ssl-config-update.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17",
    ),
    security_severity=5.3,
    tags=("tls", "elb", "cloudfront", "api-gateway", "opensearch", "encryption-in-transit"),
)
