from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.web import LoadBalancer


def check(lb: LoadBalancer) -> Outcome:
    kind = lb.kind
    if kind.unknown:
        return Undecided("the load balancer type is not known", kind.span)
    if kind.value == "gateway":
        return PASS  # Gateway Load Balancers have no access logs
    if kind.value == "network":
        # A Network Load Balancer logs only TLS requests: judged when it has a TLS listener.
        if any(p.unknown for p in lb.listener_protocols):
            return Undecided("a listener's protocol is not known", lb.span)
        if not any(p.value == "TLS" for p in lb.listener_protocols):
            return PASS
    logs = lb.access_logs
    if logs.unknown:
        return Undecided("the access log setting is not known", logs.span)
    if logs.value is True:
        return PASS
    what = {"application": "Application", "network": "Network", "classic": "Classic"}.get(
        str(kind.value), str(kind.value))
    if logs.explicit:
        return Fail(f"{what} Load Balancer {lb.address} has access logs turned off", logs,
                    attribute="access_logs.enabled")
    return Fail(f"{what} Load Balancer {lb.address} does not record access logs (off by default)",
                logs.span)


RULE = Rule(
    id="LOG007",
    name="LoadBalancerAccessLogsDisabled",
    title="Load balancer does not record access logs",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Without access logs, the requests that reached an application, and where they came "
        "from, cannot be reconstructed after an incident."
    ),
    domain=Domain.LOGGING,
    view=LoadBalancer,
    check=check,
    resource_types=(
        "aws_lb",
        "aws_alb",
        "aws_elb",
        "aws_lb_listener",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener",
    ),
    rationale=(
        "Recording the traffic that reaches a workload is the customer's duty: Elastic Load "
        "Balancing writes access logs (client address, request, latency, TLS protocol and "
        "cipher) to an S3 bucket only when the customer turns them on, and they are off by "
        "default. In Terraform an aws_lb access_logs block is off unless it says enabled = true, "
        "even with a bucket; a classic aws_elb access_logs block is on unless it says enabled = "
        "false. Application and Classic Load Balancers are always judged. A Network Load "
        "Balancer writes access logs only for its TLS listeners, so it is judged only when one "
        "of its listeners uses TLS; Gateway Load Balancers have no access logs and are not judged."
    ),
    remediation=(
        "Turn on access logs and send them to an S3 bucket whose policy lets Elastic Load "
        "Balancing write to it."
    ),
    terraform_fix="""\
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    prefix  = "web"
    enabled = true
  }
}""",
    cloudformation_fix="""\
WebLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: !Ref PublicSubnets
    LoadBalancerAttributes:
      - Key: access_logs.s3.enabled
        Value: "true"
      - Key: access_logs.s3.bucket
        Value: !Ref LogBucket""",
    references=(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html",
    ),
    security_severity=4.5,
    tags=("elb", "access-logs"),
)
