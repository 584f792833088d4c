from __future__ import annotations

import re

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import SearchDomain
from scanner.views.web import Distribution, Listener

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
# OpenSearch Service domain endpoint policies.
_SEARCH_OLD = frozenset({"Policy-Min-TLS-1-0-2019-07"})
_SEARCH_CURRENT = re.compile(r"Policy-Min-TLS-1-[23]-[A-Za-z0-9-]+")


def check(view: Listener | Distribution | SearchDomain) -> Outcome:
    if isinstance(view, Distribution):
        return _distribution(view)
    if isinstance(view, SearchDomain):
        return _search_domain(view)
    return _listener(view)


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
    title="Load balancer, CloudFront or OpenSearch endpoint accepts TLS versions older than 1.2",
    severity=Severity.MEDIUM,
    severity_reason=(
        "TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996): a client that can "
        "be pushed down to them gets weaker protection of data in transit."
    ),
    domain=Domain.APPLICATION,
    view=(Listener, Distribution, SearchDomain),
    check=check,
    resource_types=(
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_cloudfront_distribution",
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "AWS::ElasticLoadBalancingV2::Listener",
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
        "Load balancers, CloudFront and search domains are one control (the minimum TLS "
        "version offered to clients), so one rule covers them. Classic Load Balancer policies "
        "are not judged."
    ),
    remediation=(
        "Give HTTPS and TLS listeners a TLS 1.2 or later policy such as "
        "ELBSecurityPolicy-TLS13-1-2-2021-06; give CloudFront distributions an ACM certificate "
        "and minimum_protocol_version TLSv1.2_2021 or later; give search domains the TLS "
        "security policy Policy-Min-TLS-1-2-PFS-2023-10."
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
      TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10""",
    references=(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17",
    ),
    security_severity=5.3,
    tags=("tls", "elb", "cloudfront", "opensearch", "encryption-in-transit"),
)
