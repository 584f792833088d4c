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
from scanner.views.web import Distribution, FunctionUrl, Listener

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
