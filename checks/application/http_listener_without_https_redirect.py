from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.web import Listener


def check(listener: Listener, settings: Mapping[str, Any]) -> Outcome:
    protocol = listener.protocol
    if protocol.unknown:
        return Undecided("the listener's protocol is not known", protocol.span)
    if protocol.value != "HTTP":
        return PASS
    kind = listener.load_balancer_kind
    if kind is not None and not kind.unknown and kind.value != "application":
        return PASS
    internal = listener.load_balancer_internal
    if internal is not None and not settings["include_internal"]:
        if internal.unknown:
            return Undecided("whether the load balancer is internal is not known", internal.span)
        if internal.value is True:
            return PASS
    actions = listener.default_actions
    if not actions:
        return Undecided("the listener's default action is not known", listener.span)
    redirect_to_http = None
    for action in actions:
        if action.type.unknown:
            return Undecided("the default action's type is not known", action.type.span)
        if action.type.value != "redirect":
            continue
        target = action.redirect_protocol
        if target.unknown:
            return Undecided("the redirect's protocol is not known", target.span)
        if str(target.value).upper() == "HTTPS":
            return PASS
        redirect_to_http = target
    where = ("internet-facing load balancer " + listener.load_balancer
             if listener.load_balancer else "load balancer")
    if redirect_to_http is not None:
        return Fail(f"HTTP listener {listener.address} of {where} redirects to "
                    f"{redirect_to_http.value} instead of HTTPS", redirect_to_http,
                    attribute="default_action.redirect")
    at = protocol if protocol.explicit else listener.span
    return Fail(f"HTTP listener {listener.address} of {where} serves plain HTTP instead of "
                "redirecting to HTTPS", at, attribute="protocol")


RULE = Rule(
    id="APP001",
    name="HttpListenerWithoutHttpsRedirect",
    title="Application Load Balancer HTTP listener does not redirect to HTTPS",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Requests and responses on a plain HTTP listener, cookies and credentials included, can "
        "be read and changed by anyone on the network path."
    ),
    domain=Domain.APPLICATION,
    view=Listener,
    check=check,
    resource_types=(
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_lb",
        "aws_alb",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
    ),
    rationale=(
        "Encrypting data in transit to the application is the customer's duty: an Application "
        "Load Balancer serves whatever protocol its listeners are given. An HTTP listener should "
        "only answer with a redirect to HTTPS (a redirect default action whose protocol is HTTPS; "
        "the redirect's own default, #{protocol}, keeps HTTP). The listener is linked to its load "
        "balancer through the configuration: listeners of internal (scheme internal) load "
        "balancers are not judged unless the include_internal option is true, and listeners of "
        "Network or Gateway Load Balancers are out of scope. A listener whose load balancer is "
        "not in the scanned configuration is judged on its own. Rules added to the listener "
        "(listener rules) are not considered: only its default action."
    ),
    remediation=(
        "Make the HTTP listener's default action a redirect to HTTPS (port 443, status "
        "HTTP_301), and serve the application from an HTTPS listener."
    ),
    terraform_fix="""\
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}""",
    cloudformation_fix="""\
HttpListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref WebLoadBalancer
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: redirect
        RedirectConfig:
          Protocol: HTTPS
          Port: "443"
          StatusCode: HTTP_301""",
    references=(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1",
    ),
    security_severity=5.5,
    tags=("elb", "tls", "encryption-in-transit"),
    options=(RuleOption("include_internal", False,
                        "also judge listeners of internal load balancers"),),
)
