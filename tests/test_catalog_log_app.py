"""Logging/audit and application rules: from source text to the views they read, and the
options they take."""

from __future__ import annotations

from typing import TypeVar

from scanner.adapters import cloudformation as cfn_adapters
from scanner.adapters import terraform as tf_adapters
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.values import Unknown
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.logging import Trail
from scanner.views.monitoring import ConfigRecorder, EksCluster, LogGroup
from scanner.views.web import ApiStage, Listener, LoadBalancer

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


# -- CloudTrail (LOG005, LOG006) ----------------------------------------------------------

def test_trail_key_by_reference_names_the_key() -> None:
    trails = tf(Trail, """
resource "aws_kms_key" "k" {}
variable "key" { type = string }
resource "aws_cloudtrail" "ref" {
  name       = "a"
  kms_key_id = aws_kms_key.k.arn
}
resource "aws_cloudtrail" "var" {
  name       = "b"
  kms_key_id = var.key
}
resource "aws_cloudtrail" "none" {
  name = "c"
}
""")
    ref = trails["aws_cloudtrail.ref"].kms_key_id.value
    assert isinstance(ref, Unknown) and ref.refs == (".::aws_kms_key.k",)
    var = trails["aws_cloudtrail.var"].kms_key_id.value
    assert isinstance(var, Unknown) and var.refs == ()
    none = trails["aws_cloudtrail.none"]
    assert none.kms_key_id.value == "" and not none.kms_key_id.explicit
    assert none.logging_enabled.value is True and not none.logging_enabled.explicit


def test_cloudformation_trail_key_by_getatt_and_missing_is_logging() -> None:
    trails = cfn(Trail, """
Resources:
  Key:
    Type: AWS::KMS::Key
  WithKey:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: "false"
      S3BucketName: b
      KMSKeyId: !GetAtt Key.Arn
  NoIsLogging:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: b
""")
    key = trails["WithKey"].kms_key_id.value
    assert isinstance(key, Unknown) and key.refs == ("t.yaml::Key",)
    assert trails["WithKey"].logging_enabled.value is False
    missing = trails["NoIsLogging"].logging_enabled
    assert missing.value is False and not missing.explicit and missing.span.start_line == 11


# -- Load balancers (LOG007) --------------------------------------------------------------

def test_terraform_access_log_defaults_differ_between_lb_and_classic_elb() -> None:
    lbs = tf(LoadBalancer, """
resource "aws_lb" "bucket_only" {
  access_logs {
    bucket = "logs"
  }
}
resource "aws_elb" "bucket_only" {
  access_logs {
    bucket = "logs"
  }
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 443
    lb_protocol       = "https"
  }
}
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = "true"
}
resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.nlb.arn
  protocol          = "tls"
}
""")
    alb = lbs["aws_lb.bucket_only"]
    assert alb.kind.value == "application" and alb.internal.value is False
    assert alb.access_logs.value is False and not alb.access_logs.explicit
    assert alb.access_logs.span.start_line == 3  # the access_logs block
    classic = lbs["aws_elb.bucket_only"]
    assert classic.kind.value == "classic" and classic.access_logs.value is True
    assert [p.value for p in classic.listener_protocols] == ["HTTPS"]
    nlb = lbs["aws_lb.nlb"]
    assert nlb.kind.value == "network" and nlb.internal.value is True
    assert [p.value for p in nlb.listener_protocols] == ["TLS"]


def test_cloudformation_access_log_attributes() -> None:
    lbs = cfn(LoadBalancer, """
Resources:
  Logged:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
      LoadBalancerAttributes:
        - Key: access_logs.s3.enabled
          Value: "true"
  Other:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      LoadBalancerAttributes:
        - Key: deletion_protection.enabled
          Value: "true"
  ClassicList:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      AccessLoggingPolicy:
        - Enabled: true
          S3BucketName: logs
""")
    assert lbs["Logged"].access_logs.value is True and lbs["Logged"].internal.value is True
    assert lbs["Other"].access_logs.value is False and not lbs["Other"].access_logs.explicit
    assert lbs["Other"].kind.value == "network" and lbs["Other"].internal.value is False
    # A list where an object belongs is not guessed at.
    assert lbs["ClassicList"].access_logs.unknown


# -- Listeners (APP001) -------------------------------------------------------------------

LISTENERS_TF = """
resource "aws_lb" "internal" {
  internal = true
}
resource "aws_lb_listener" "internal_http" {
  load_balancer_arn = aws_lb.internal.arn
  default_action {
    type             = "forward"
    target_group_arn = "tg"
  }
}
resource "aws_lb_listener" "keep_protocol" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/x/1"
  protocol          = "http"
  default_action {
    type = "redirect"
    redirect {
      port        = "8080"
      status_code = "HTTP_301"
    }
  }
}
"""


def test_terraform_listener_is_linked_to_its_load_balancer() -> None:
    listeners = tf(Listener, LISTENERS_TF)
    internal = listeners["aws_lb_listener.internal_http"]
    assert internal.load_balancer == "aws_lb.internal"
    assert internal.load_balancer_internal is not None and internal.load_balancer_internal.value is True
    assert internal.protocol.value == "HTTP" and not internal.protocol.explicit
    assert internal.ssl_policy.value == "ELBSecurityPolicy-2016-08" and not internal.ssl_policy.explicit
    keep = listeners["aws_lb_listener.keep_protocol"]
    assert keep.load_balancer is None and keep.protocol.value == "HTTP"
    assert keep.default_actions[0].type.value == "redirect"
    assert keep.default_actions[0].redirect_protocol.value == "#{protocol}"


def test_http_listener_rule_honours_include_internal() -> None:
    from checks.registry import BY_ID

    rule = BY_ID["APP001"]
    listeners = tf(Listener, LISTENERS_TF)
    internal = listeners["aws_lb_listener.internal_http"]
    assert rule.outcomes(internal) == [Passed()]
    judged = rule.outcomes(internal, {"include_internal": True})
    assert len(judged) == 1 and isinstance(judged[0], Fail)
    keep = rule.outcomes(listeners["aws_lb_listener.keep_protocol"])
    assert len(keep) == 1 and isinstance(keep[0], Fail) and "instead of HTTPS" in keep[0].message


def test_cloudformation_listener_protocol_and_redirect() -> None:
    listeners = cfn(Listener, """
Resources:
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Protocol: http
      DefaultActions:
        - Type: Redirect
          RedirectConfig:
            Protocol: HTTPS
""")
    http = listeners["Http"]
    assert http.load_balancer == "Lb" and http.load_balancer_kind is not None
    assert http.load_balancer_kind.value == "application"
    assert http.protocol.value == "HTTP"
    assert http.default_actions[0].type.value == "redirect"
    assert http.default_actions[0].redirect_protocol.value == "HTTPS"


# -- API Gateway stages (LOG008) ----------------------------------------------------------

def test_api_stage_destinations() -> None:
    stages = tf(ApiStage, """
resource "aws_cloudwatch_log_group" "g" {}
resource "aws_api_gateway_stage" "ref" {
  stage_name = "a"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.g.arn
    format          = "x"
  }
}
resource "aws_apigatewayv2_stage" "none" {
  name = "b"
}
""")
    ref = stages["aws_api_gateway_stage.ref"]
    assert ref.api_kind == "rest"
    assert isinstance(ref.access_log_destination.value, Unknown)
    assert ref.access_log_destination.value.refs
    none = stages["aws_apigatewayv2_stage.none"]
    assert none.api_kind == "v2" and none.access_log_destination.value == ""
    assert not none.access_log_destination.explicit


def test_cloudformation_api_stage_destination_by_getatt() -> None:
    stages = cfn(ApiStage, """
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: a
      StageName: s
      AccessLogSettings:
        DestinationArn: !GetAtt Logs.Arn
        Format: x
""")
    value = stages["Stage"].access_log_destination.value
    assert isinstance(value, Unknown) and value.refs == ("t.yaml::Logs",)


# -- Log groups, EKS, Config (LOG009, LOG010, LOG011) -------------------------------------

def test_log_group_key() -> None:
    groups = cfn(LogGroup, """
Resources:
  Bare:
    Type: AWS::Logs::LogGroup
  Keyed:
    Type: AWS::Logs::LogGroup
    Properties:
      KmsKeyId: arn:aws:kms:eu-west-1:111122223333:key/abc
""")
    assert groups["Bare"].kms_key_id.value == "" and not groups["Bare"].kms_key_id.explicit
    assert groups["Keyed"].kms_key_id.value.startswith("arn:aws:kms:")


def test_eks_log_types_and_option() -> None:
    from checks.registry import BY_ID

    clusters = tf(EksCluster, """
variable "types" { type = list(string) }
resource "aws_eks_cluster" "api_only" {
  enabled_cluster_log_types = ["api"]
}
resource "aws_eks_cluster" "unknown" {
  enabled_cluster_log_types = var.types
}
resource "aws_eks_cluster" "none" {}
""")
    api_only = clusters["aws_eks_cluster.api_only"]
    assert [t.value for t in api_only.log_types] == ["api"] and api_only.log_types_set.value is True
    assert clusters["aws_eks_cluster.unknown"].log_types_set.unknown
    assert clusters["aws_eks_cluster.none"].log_types_set.value is False
    rule = BY_ID["LOG010"]
    assert isinstance(rule.outcomes(api_only)[0], Fail)
    assert rule.outcomes(api_only, {"required_log_types": ["api"]}) == [Passed()]
    assert isinstance(rule.outcomes(clusters["aws_eks_cluster.unknown"])[0], Undecided)

    cfn_clusters = cfn(EksCluster, """
Resources:
  C:
    Type: AWS::EKS::Cluster
    Properties:
      Logging:
        ClusterLogging:
          EnabledTypes:
            - Type: audit
            - Type: api
""")
    assert [t.value for t in cfn_clusters["C"].log_types] == ["audit", "api"]


def test_config_recorder_defaults_differ_between_formats() -> None:
    tf_recorders = tf(ConfigRecorder, """
resource "aws_config_configuration_recorder" "group" {
  recording_group {
    include_global_resource_types = true
  }
}
""")
    # The Terraform provider defaults all_supported to true.
    assert tf_recorders["aws_config_configuration_recorder.group"].all_supported.value is True
    recorders = cfn(ConfigRecorder, """
Resources:
  NoGroup:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: r
  Listed:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: r
      RecordingGroup:
        ResourceTypes: [AWS::S3::Bucket]
""")
    assert recorders["NoGroup"].all_supported.value is True
    listed = recorders["Listed"].all_supported
    assert listed.value is False and not listed.explicit and listed.span.start_line == 11
