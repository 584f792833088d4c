from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.web import Distribution

_HTTPS = frozenset({"https-only", "redirect-to-https"})


def check(dist: Distribution) -> Iterator[Outcome]:
    reported = False
    for behavior in dist.behaviors:
        policy = behavior.viewer_protocol_policy
        which = ("default cache behavior" if behavior.path_pattern == ""
                 else f"cache behavior {behavior.path_pattern}")
        if policy.unknown:
            reported = True
            yield Undecided(f"the viewer protocol policy of the {which} is not known", policy.span)
            continue
        if policy.value == "allow-all":
            reported = True
            attribute = ("default_cache_behavior.viewer_protocol_policy" if behavior.path_pattern == ""
                         else f"ordered_cache_behavior[{behavior.path_pattern}].viewer_protocol_policy")
            yield Fail(f"The {which} of CloudFront distribution {dist.address} serves viewers over "
                       "plain HTTP (viewer protocol policy allow-all)", policy, attribute=attribute)
        elif policy.value not in _HTTPS:
            reported = True
            yield Undecided(f"the {which} has no known viewer protocol policy (it is required)",
                            policy.span)
    if not reported:
        yield PASS


RULE = Rule(
    id="APP003",
    name="CloudFrontViewerHttpAllowed",
    title="CloudFront cache behavior serves viewers over plain HTTP",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Requests and responses between viewers and the edge, cookies and tokens included, can be "
        "read and changed by anyone on the network path."
    ),
    domain=Domain.APPLICATION,
    view=Distribution,
    check=check,
    resource_types=("aws_cloudfront_distribution", "AWS::CloudFront::Distribution"),
    rationale=(
        "Encrypting data in transit to the application's users is the customer's duty: "
        "CloudFront serves each path with the viewer protocol policy its cache behavior names. "
        "allow-all answers plain HTTP requests; redirect-to-https and https-only do not. The "
        "default cache behavior and every ordered cache behavior (CacheBehaviors) are judged, "
        "each reported on its own viewer_protocol_policy / ViewerProtocolPolicy."
    ),
    remediation=(
        "Set the viewer protocol policy of every cache behavior to redirect-to-https (or "
        "https-only for APIs whose clients never start on HTTP)."
    ),
    terraform_fix="""\
resource "aws_cloudfront_distribution" "site" {
  # ...
  default_cache_behavior {
    target_origin_id       = "web"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    viewer_protocol_policy = "redirect-to-https"
  }
}""",
    cloudformation_fix="""\
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      # ...
      DefaultCacheBehavior:
        TargetOriginId: web
        CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
        ViewerProtocolPolicy: redirect-to-https""",
    references=(
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-3",
    ),
    security_severity=5.5,
    tags=("cloudfront", "tls", "encryption-in-transit"),
)
