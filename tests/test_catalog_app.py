"""Application rules (APP002 onwards): from source text to the views they read, and the
outcomes of the tricky cases."""

from __future__ import annotations

from typing import TypeVar

from checks.registry import BY_ID
from scanner.adapters import cloudformation as cfn_adapters
from scanner.adapters import terraform as tf_adapters
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.datastores import SearchDomain
from scanner.views.web import ApiStage, Distribution, FunctionUrl, Listener

V = TypeVar("V", bound=View)


def tf(cls: type[V], src: str) -> dict[str, V]:
    resources, _diagnostics = load_module(ModuleSource(".", [("main.tf", parse_hcl(src, "main.tf"))]), {})
    views = ViewSet()
    tf_adapters.adapt(ResourceGraph(resources), views)
    return {v.address: v for v in views.of(cls)}


def cfn(cls: type[V], text: str) -> dict[str, V]:
    resources: list[Resource]
    resources, diagnostics = load_template(text, "t.yaml")
    assert diagnostics == []
    views = ViewSet()
    cfn_adapters.adapt(ResourceGraph(resources), views)
    return {v.address: v for v in views.of(cls)}


def outcome(rule_id: str, view: View) -> Fail | Undecided | Passed:
    results = BY_ID[rule_id].outcomes(view)
    assert len(results) == 1
    return results[0]


# -- CloudFront distributions (APP002, APP003) ---------------------------------------------

DISTRIBUTIONS_TF = """
variable "cert" { type = string }
resource "aws_acm_certificate" "c" {
  domain_name = "www.example.com"
}
resource "aws_cloudfront_distribution" "none" {
  default_cache_behavior {
    viewer_protocol_policy = "Allow-All"
  }
}
resource "aws_cloudfront_distribution" "ref" {
  web_acl_id = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/w/1"
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
  }
  ordered_cache_behavior {
    path_pattern           = "/api/*"
    viewer_protocol_policy = "allow-all"
  }
  ordered_cache_behavior {
    path_pattern           = "/img/*"
    viewer_protocol_policy = "https-only"
  }
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.c.arn
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
resource "aws_cloudfront_distribution" "input" {
  viewer_certificate {
    acm_certificate_arn      = var.cert
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
resource "aws_cloudfront_distribution" "declined" {
  viewer_certificate {
    cloudfront_default_certificate = "false"
  }
}
"""


def test_terraform_distribution_certificate_and_behaviors() -> None:
    dists = tf(Distribution, DISTRIBUTIONS_TF)
    none = dists["aws_cloudfront_distribution.none"]
    # No viewer_certificate: the default certificate, TLSv1, on the resource.
    assert none.custom_certificate.value is False and not none.custom_certificate.explicit
    assert none.minimum_protocol_version.value == "TLSv1"
    assert none.web_acl_id.value == "" and not none.web_acl_id.explicit
    assert [b.viewer_protocol_policy.value for b in none.behaviors] == ["allow-all"]
    ref = dists["aws_cloudfront_distribution.ref"]
    # A reference to a certificate resource is a certificate of one's own.
    assert ref.custom_certificate.value is True
    assert [(b.path_pattern, b.viewer_protocol_policy.value) for b in ref.behaviors] == [
        ("", "redirect-to-https"), ("/api/*", "allow-all"), ("/img/*", "https-only")]
    assert ref.web_acl_id.value.startswith("arn:aws:wafv2")
    # A variable without a value may be null: whether a certificate is named is unknown.
    assert dists["aws_cloudfront_distribution.input"].custom_certificate.unknown
    declined = dists["aws_cloudfront_distribution.declined"]
    assert declined.default_certificate.value is False and declined.default_certificate.explicit


def test_tls_rule_on_distributions() -> None:
    dists = tf(Distribution, DISTRIBUTIONS_TF)
    none = outcome("APP002", dists["aws_cloudfront_distribution.none"])
    assert isinstance(none, Fail) and "default *.cloudfront.net certificate" in none.message
    assert outcome("APP002", dists["aws_cloudfront_distribution.ref"]) == Passed()
    assert isinstance(outcome("APP002", dists["aws_cloudfront_distribution.input"]), Undecided)
    # Turning the default certificate off: judged by the minimum version (TLSv1 by default).
    declined = outcome("APP002", dists["aws_cloudfront_distribution.declined"])
    assert isinstance(declined, Fail) and "names no minimum protocol version" in declined.message


def test_cloudformation_distribution_certificate_by_ref_and_behaviors() -> None:
    dists = cfn(Distribution, """
Parameters:
  Cert:
    Type: String
Resources:
  C:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: www.example.com
  ByRef:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        WebACLId: !GetAtt Acl.Arn
        DefaultCacheBehavior:
          ViewerProtocolPolicy: redirect-to-https
        CacheBehaviors:
          - PathPattern: /api/*
            ViewerProtocolPolicy: allow-all
        ViewerCertificate:
          AcmCertificateArn: !Ref C
          MinimumProtocolVersion: TLSv1.2_2019
  ByParameter:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        ViewerCertificate:
          AcmCertificateArn: !Ref Cert
          MinimumProtocolVersion: TLSv1.2_2019
  Acl:
    Type: AWS::WAFv2::WebACL
""")
    by_ref = dists["ByRef"]
    assert by_ref.custom_certificate.value is True
    assert [(b.path_pattern, b.viewer_protocol_policy.value) for b in by_ref.behaviors] == [
        ("", "redirect-to-https"), ("/api/*", "allow-all")]
    assert by_ref.web_acl_id.unknown  # an attribute of a resource: set, value unknown
    assert outcome("APP002", by_ref) == Passed()
    assert dists["ByParameter"].custom_certificate.unknown
    assert isinstance(outcome("APP002", dists["ByParameter"]), Undecided)


# -- Listener TLS policies (APP002) --------------------------------------------------------

def test_tls_rule_on_listeners() -> None:
    listeners = tf(Listener, """
variable "policy" { type = string }
resource "aws_lb_listener" "unknown_policy" {
  protocol   = "HTTPS"
  ssl_policy = var.policy
}
resource "aws_lb_listener" "odd_name" {
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-Future-2030-01"
}
resource "aws_lb_listener" "pq" {
  protocol   = "TLS"
  ssl_policy = "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09"
}
resource "aws_lb_listener" "res" {
  protocol   = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-FS-1-2-Res-2020-10"
}
""")
    assert isinstance(outcome("APP002", listeners["aws_lb_listener.unknown_policy"]), Undecided)
    assert isinstance(outcome("APP002", listeners["aws_lb_listener.odd_name"]), Undecided)
    assert isinstance(outcome("APP002", listeners["aws_lb_listener.pq"]), Fail)
    assert outcome("APP002", listeners["aws_lb_listener.res"]) == Passed()


def test_viewer_protocol_rule_reports_each_behavior() -> None:
    dists = tf(Distribution, DISTRIBUTIONS_TF)
    results = BY_ID["APP003"].outcomes(dists["aws_cloudfront_distribution.ref"])
    assert len(results) == 1 and isinstance(results[0], Fail)
    assert results[0].attribute == "ordered_cache_behavior[/api/*].viewer_protocol_policy"
    # The policy's case does not matter to the rule.
    none = BY_ID["APP003"].outcomes(dists["aws_cloudfront_distribution.none"])
    assert len(none) == 1 and isinstance(none[0], Fail)


def test_cloudformation_unknown_distribution_config_is_undecided() -> None:
    dists = cfn(Distribution, """
Parameters:
  Config:
    Type: String
Resources:
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig: !Ref Config
""")
    dist = dists["Dist"]
    assert dist.custom_certificate.unknown and dist.web_acl_id.unknown
    assert isinstance(outcome("APP002", dist), Undecided)
    assert isinstance(outcome("APP003", dist), Undecided)


# -- Lambda function URLs (APP004) ---------------------------------------------------------

def test_function_url_auth_type_in_both_formats() -> None:
    tf_urls = tf(FunctionUrl, """
resource "aws_lambda_function_url" "lower" {
  function_name      = "f"
  authorization_type = "none"
}
resource "aws_lambda_function_url" "missing" {
  function_name = "f"
}
""")
    assert tf_urls["aws_lambda_function_url.lower"].auth_type.value == "NONE"
    assert isinstance(outcome("APP004", tf_urls["aws_lambda_function_url.lower"]), Fail)
    missing = tf_urls["aws_lambda_function_url.missing"]
    assert missing.auth_type.value == "" and not missing.auth_type.explicit
    assert isinstance(outcome("APP004", missing), Undecided)
    cfn_urls = cfn(FunctionUrl, """
Parameters:
  Auth:
    Type: String
Resources:
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:eu-west-1:111122223333:function:f
      AuthType: !Ref Auth
""")
    assert cfn_urls["Url"].auth_type.unknown
    assert isinstance(outcome("APP004", cfn_urls["Url"]), Undecided)


# -- Web ACLs on REST API stages (APP005) --------------------------------------------------

def test_terraform_stage_web_acl_attachments() -> None:
    stages = tf(ApiStage, """
variable "arn" { type = string }
resource "aws_api_gateway_rest_api" "a" { name = "a" }
resource "aws_api_gateway_rest_api" "b" { name = "b" }
resource "aws_api_gateway_stage" "by_ref" {
  rest_api_id = aws_api_gateway_rest_api.a.id
  stage_name  = "prod"
}
resource "aws_wafv2_web_acl_association" "by_ref" {
  resource_arn = aws_api_gateway_stage.by_ref.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/w/1"
}
resource "aws_api_gateway_stage" "via_api" {
  rest_api_id = aws_api_gateway_rest_api.b.id
  stage_name  = "prod"
}
resource "aws_wafv2_web_acl_association" "via_api" {
  resource_arn = "${aws_api_gateway_rest_api.b.arn}/stages/prod"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/w/1"
}
resource "aws_api_gateway_stage" "literal" {
  rest_api_id = "abc123"
  stage_name  = "live"
}
resource "aws_wafv2_web_acl_association" "literal" {
  resource_arn = "arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/live"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/w/1"
}
resource "aws_apigatewayv2_stage" "http" {
  api_id = "h"
  name   = "$default"
}
""")
    assert stages["aws_api_gateway_stage.by_ref"].web_acl.value is True  # type: ignore[union-attr]
    via_api = stages["aws_api_gateway_stage.via_api"].web_acl
    assert via_api is not None and via_api.unknown
    assert isinstance(outcome("APP005", stages["aws_api_gateway_stage.via_api"]), Undecided)
    assert stages["aws_api_gateway_stage.literal"].web_acl.value is True  # type: ignore[union-attr]
    assert stages["aws_apigatewayv2_stage.http"].web_acl is None
    assert outcome("APP005", stages["aws_apigatewayv2_stage.http"]) == Passed()


def test_cloudformation_stage_web_acl_by_sub_and_literal() -> None:
    stages = cfn(ApiStage, """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  BySub:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
  BySubAssociation:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub "arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${BySub}"
      WebACLArn: arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/w/1
  Other:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: other
  Literal:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: live
  LiteralAssociation:
    Type: AWS::WAFRegional::WebACLAssociation
    Properties:
      ResourceArn: arn:aws:apigateway:eu-west-1::/restapis/abc/stages/live
      WebACLId: w
""")
    assert stages["BySub"].web_acl is not None and stages["BySub"].web_acl.value is True
    # Another stage of the same API: the association names BySub, not this one.
    assert isinstance(outcome("APP005", stages["Other"]), Fail)
    # A written-out ARN naming a stage of this name in an API whose id is not known.
    assert isinstance(outcome("APP005", stages["Literal"]), Undecided)


# -- Search domain endpoints (APP006, APP002) ----------------------------------------------

def test_terraform_search_domain_endpoint_defaults() -> None:
    domains = tf(SearchDomain, """
resource "aws_opensearch_domain" "none" {
  domain_name = "none"
}
resource "aws_opensearch_domain" "block" {
  domain_name = "block"
  domain_endpoint_options {
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}
resource "aws_elasticsearch_domain" "strings" {
  domain_name = "strings"
  domain_endpoint_options {
    enforce_https = "false"
  }
}
""")
    none = domains["aws_opensearch_domain.none"]
    assert none.enforce_https is not None and none.enforce_https.value is False
    assert not none.enforce_https.explicit
    assert none.tls_security_policy is not None
    assert none.tls_security_policy.value == "Policy-Min-TLS-1-0-2019-07"
    block = domains["aws_opensearch_domain.block"]
    # Inside the block, the provider's default for enforce_https is true.
    assert block.enforce_https is not None and block.enforce_https.value is True
    assert outcome("APP006", block) == Passed() and outcome("APP002", block) == Passed()
    strings = domains["aws_elasticsearch_domain.strings"]
    assert strings.enforce_https is not None and strings.enforce_https.value is False
    assert strings.enforce_https.explicit
    old = outcome("APP002", strings)
    assert isinstance(old, Fail) and "names no TLS security policy" in old.message


def test_cloudformation_search_domain_endpoint_options() -> None:
    domains = cfn(SearchDomain, """
Parameters:
  Options:
    Type: String
Resources:
  Unknown:
    Type: AWS::OpenSearchService::Domain
    Properties:
      DomainEndpointOptions: !Ref Options
  PolicyOnly:
    Type: AWS::Elasticsearch::Domain
    Properties:
      DomainEndpointOptions:
        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07
""")
    unknown = domains["Unknown"]
    assert isinstance(outcome("APP006", unknown), Undecided)
    assert isinstance(outcome("APP002", unknown), Undecided)
    policy_only = domains["PolicyOnly"]
    # CloudFormation has no provider default: EnforceHTTPS left out is the service's, false.
    assert isinstance(outcome("APP006", policy_only), Fail)
    assert outcome("APP002", policy_only) == Passed()
