"""What faces the web: load balancers and their listeners, API Gateway stages and custom
domain names, CloudFront distributions and Lambda function URLs."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


@dataclass
class LoadBalancer(View):
    """An Elastic Load Balancing load balancer of any kind.

    `kind` is "application", "network", "gateway" or "classic". `listener_protocols`
    holds the protocols of its listeners: inline for a Classic Load Balancer, from the
    listener resources that point at it for the others.
    """

    kind: Field[str]
    internal: Field[bool]
    access_logs: Field[bool]
    listener_protocols: list[Field[str]] = field(default_factory=list)


@dataclass
class ListenerAction:
    """One default action of a listener: its type and, for a redirect, the target protocol."""

    type: Field[str]
    redirect_protocol: Field[str]
    span: Span


@dataclass
class Listener(View):
    """An Application or Network Load Balancer listener.

    `load_balancer` is the address of the load balancer it belongs to when that is in the
    scanned configuration (None otherwise); `load_balancer_kind` and
    `load_balancer_internal` then describe it.
    """

    protocol: Field[str]
    ssl_policy: Field[str]
    default_actions: list[ListenerAction]
    load_balancer: str | None = None
    load_balancer_kind: Field[str] | None = None
    load_balancer_internal: Field[bool] | None = None


@dataclass
class ClassicListener(View):
    """One listener of a Classic Load Balancer, and the SSL negotiation policy it uses.

    `policy` is the name of the SSLNegotiationPolicyType policy attached to the listener, ""
    when none is (AWS then applies its default), Unknown when an attachment may or may not
    be for it. `policy_declared` is True when that policy is declared in the scanned
    configuration: its own NegotiationPolicy view says what it allows.
    """

    port: str
    protocol: Field[str]  # upper-cased: "HTTPS", "SSL", "HTTP", "TCP"
    policy: Field[str]
    listener_span: Span
    policy_declared: bool = False

    @property
    def key(self) -> str:
        return self.port


@dataclass
class NegotiationPolicy(View):
    """An SSLNegotiationPolicyType policy of a Classic Load Balancer, judged where it is
    declared (an aws_load_balancer_policy, an aws_lb_ssl_negotiation_policy, or one entry of
    a CloudFormation load balancer's Policies).

    `reference` is its Reference-Security-Policy (a predefined ELBSecurityPolicy it copies),
    None when it has none. `protocols` holds its Protocol-* attributes as written (name, value).
    `prefix` goes before attribute names in finding identities ("" when the view's resource
    is the policy itself, `Policies[NAME].` inside a CloudFormation load balancer).
    """

    name: str
    reference: Field[str] | None
    protocols: list[tuple[str, Field[str]]]
    policy_span: Span
    prefix: str = ""
    # Set when the attributes cannot be read (a whole list from an unknown value).
    unknown: Field[str] | None = None

    @property
    def key(self) -> str:
        return self.name


@dataclass
class ApiDomain(View):
    """An API Gateway custom domain name: REST (v1) or HTTP/WebSocket (v2), and the TLS
    security policy each of its endpoint configurations answers with."""

    api_kind: str  # "rest" or "v2"
    security_policies: list[Field[str]]


@dataclass
class ApiStage(View):
    """An API Gateway stage (REST, or HTTP/WebSocket for v2): is access logging configured, is
    a web ACL attached."""

    api_kind: str  # "rest" or "v2"
    access_log_destination: Field[str]
    # REST stages: True when an AWS WAF web ACL association points at the stage (its span),
    # Unknown when an association may or may not; None where WAF does not apply (v2 APIs).
    web_acl: Field[bool] | None = None



@dataclass
class CacheBehavior:
    """One cache behavior of a CloudFront distribution: the default one (`path_pattern` "")
    or an ordered one, and what it does with plain-HTTP viewer requests."""

    path_pattern: str
    viewer_protocol_policy: Field[str]  # "allow-all", "https-only" or "redirect-to-https"
    span: Span


@dataclass
class Distribution(View):
    """A CloudFront distribution, as far as what its viewers connect with.

    `custom_certificate` is True when the viewer certificate is an ACM or IAM certificate
    (the distribution then answers with `minimum_protocol_version`), False when it uses the
    default *.cloudfront.net certificate, for which CloudFront always allows TLSv1.
    `default_certificate` is where the default certificate is chosen (or the block or the
    resource when nothing says so). `web_acl_id` is "" when no AWS WAF web ACL is attached.
    """

    custom_certificate: Field[bool]
    default_certificate: Field[bool]
    minimum_protocol_version: Field[str]
    behaviors: list[CacheBehavior]
    web_acl_id: Field[str]
    # Standard (access) logging: the legacy logging configuration to S3, or a CloudWatch Logs
    # delivery source of type ACCESS_LOGS that a delivery takes somewhere. None: not read.
    access_logging: Field[bool] | None = None


@dataclass
class FunctionUrl(View):
    """A Lambda function URL: how callers are authenticated ("NONE" or "AWS_IAM")."""

    auth_type: Field[str]
