from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.web import ApiStage, Distribution


def check(view: Distribution | ApiStage) -> Outcome:
    if isinstance(view, ApiStage):
        return _stage(view)
    acl = view.web_acl_id
    if isinstance(acl.value, Unknown):
        if acl.names_something:
            return PASS  # a web ACL of the configuration
        return Undecided("the distribution's web ACL is not known", acl.span)
    if acl.value:
        return PASS
    # Left out, the default's place: the resource (Terraform) or DistributionConfig.
    return Fail(f"CloudFront distribution {view.address} has no AWS WAF web ACL", acl,
                attribute="web_acl_id")


def _stage(stage: ApiStage) -> Outcome:
    acl = stage.web_acl
    if acl is None:
        return PASS  # HTTP and WebSocket APIs cannot have a web ACL
    if acl.unknown:
        reason = acl.value.reason if isinstance(acl.value, Unknown) else "not known"
        return Undecided(f"whether a web ACL protects the stage is not known: {reason}", acl.span)
    if acl.value is True:
        return PASS
    return Fail(f"API Gateway REST API stage {stage.address} has no AWS WAF web ACL "
                "associated with it", stage.span, attribute="web_acl")


RULE = Rule(
    id="APP005",
    name="WebEntryPointWithoutWaf",
    title="CloudFront distribution or API Gateway stage has no AWS WAF web ACL",
    severity=Severity.LOW,
    severity_reason=(
        "A web ACL is a layer of defence in depth (rate limits, managed rules against common "
        "exploits and bad bots): without it the application alone must withstand such traffic."
    ),
    domain=Domain.APPLICATION,
    view=(Distribution, ApiStage),
    check=check,
    resource_types=(
        "aws_cloudfront_distribution",
        "aws_api_gateway_stage",
        "aws_wafv2_web_acl_association",
        "aws_wafregional_web_acl_association",
        "AWS::CloudFront::Distribution",
        "AWS::ApiGateway::Stage",
        "AWS::WAFv2::WebACLAssociation",
        "AWS::WAFRegional::WebACLAssociation",
    ),
    rationale=(
        "Filtering the requests that reach the application is the customer's duty: AWS runs "
        "AWS WAF, the customer decides whether a web ACL sits in front of each entry point "
        "and what it blocks. A CloudFront distribution takes its web ACL in web_acl_id / "
        "WebACLId; a REST API stage is protected by a separate web ACL association "
        "(aws_wafv2_web_acl_association / AWS::WAFv2::WebACLAssociation, or the WAF Classic "
        "regional one) whose resource is the stage. An association whose resource ARN is built "
        "from the stage's REST API but not from the stage itself, or cannot be read, leaves the "
        "answer unknown. HTTP and WebSocket APIs (API Gateway v2) cannot take a web ACL and are "
        "not judged; a web ACL attached outside the scanned code (for example by AWS Firewall "
        "Manager) is not seen, so suppress the finding there. One rule covers both kinds of "
        "entry point because the duty is the same."
    ),
    remediation=(
        "Attach an AWS WAF web ACL (for example with the AWS managed core rule set and a rate "
        "limit): web_acl_id on the distribution (a web ACL of scope CLOUDFRONT), a web ACL "
        "association for the REST API stage (scope REGIONAL)."
    ),
    terraform_fix="""\
resource "aws_cloudfront_distribution" "site" {
  # ...
  web_acl_id = aws_wafv2_web_acl.edge.arn
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.regional.arn
}""",
    cloudformation_fix="""\
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      # ...
      WebACLId: !GetAtt EdgeWebAcl.Arn

ApiWebAclAssociation:
  Type: AWS::WAFv2::WebACLAssociation
  Properties:
    ResourceArn: !Sub "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${ProdStage}"
    WebACLArn: !GetAtt RegionalWebAcl.Arn""",
    references=(
        "https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html",
        "https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html",
    ),
    security_severity=3.5,
    tags=("waf", "cloudfront", "api-gateway"),
)
