"""Patching and compliance: lifecycle views read from source text, for the tricky cases."""

from __future__ import annotations

from typing import TypeVar

import pytest

from checks.registry import BY_ID
from scanner.adapters.cloudformation import adapt as adapt_cfn
from scanner.adapters.terraform import adapt as adapt_tf
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.values import Origin
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.lifecycle import (
    AutomaticUpgrades,
    BackupRetention,
    DeletionProtection,
    FunctionRuntime,
    ImageRepository,
    KubernetesCluster,
    LogGroupRetention,
    mq_patches_managed,
    wildcard_match,
)

V = TypeVar("V", bound=View)


def tf_views(src: str) -> ViewSet:
    resources, diagnostics = load_module(ModuleSource(".", [("main.tf", parse_hcl(src, "main.tf"))]))
    assert not [d for d in diagnostics if d.level.name == "ERROR"], diagnostics
    views = ViewSet()
    adapt_tf(ResourceGraph(resources), views)
    return views


def cfn_views(text: str) -> ViewSet:
    resources: list[Resource]
    resources, diagnostics = load_template(text, "t.yaml")
    assert [d for d in diagnostics if d.level.name == "ERROR"] == []
    views = ViewSet()
    adapt_cfn(ResourceGraph(resources), views)
    return views


def tf(cls: type[V], src: str) -> dict[str, V]:
    return {v.address: v for v in tf_views(src).of(cls)}


def cfn(cls: type[V], text: str) -> dict[str, V]:
    return {v.address: v for v in cfn_views(text).of(cls)}


def outcome(rule_id: str, view: View, **settings: object):
    [result] = BY_ID[rule_id].outcomes(view, settings)
    return result


# -- PAT001: automatic minor version upgrades -----------------------------------------

def test_terraform_upgrade_defaults_differ_by_service() -> None:
    views = tf(AutomaticUpgrades, """
resource "aws_db_instance" "db" {
  engine = "postgres"
}
resource "aws_elasticache_cluster" "redis" {
  engine                     = "redis"
  auto_minor_version_upgrade = "false"
}
resource "aws_opensearch_domain" "search" {
  domain_name = "search"
}
resource "aws_mq_broker" "mq" {
  engine_type    = "ActiveMQ"
  engine_version = "5.17.6"
}
""")
    db, redis = views["aws_db_instance.db"], views["aws_elasticache_cluster.redis"]
    assert db.enabled.value is True and db.enabled.origin is Origin.DEFAULT
    assert redis.enabled.value is False and redis.enabled.explicit  # a string boolean
    search, mq = views["aws_opensearch_domain.search"], views["aws_mq_broker.mq"]
    assert search.enabled.value is False and not search.enabled.explicit
    assert mq.enabled.value is False and not mq.not_applicable
    assert isinstance(outcome("PAT001", search), Fail)
    assert isinstance(outcome("PAT001", db), Passed)


def test_terraform_upgrade_cases_not_judged() -> None:
    views = tf(AutomaticUpgrades, """
variable "mq_version" {
  type = string
}
resource "aws_db_instance" "custom" {
  engine                     = "custom-sqlserver-ee"
  auto_minor_version_upgrade = false
}
resource "aws_elasticache_cluster" "memcached" {
  engine                     = "memcached"
  auto_minor_version_upgrade = false
}
resource "aws_mq_broker" "rabbit" {
  engine_type    = "RabbitMQ"
  engine_version = "3.13"
}
resource "aws_mq_broker" "unknown" {
  engine_type    = "ActiveMQ"
  engine_version = var.mq_version
}
""")
    assert views["aws_db_instance.custom"].not_applicable
    assert views["aws_elasticache_cluster.memcached"].not_applicable
    assert views["aws_mq_broker.rabbit"].not_applicable
    unknown = views["aws_mq_broker.unknown"]
    assert unknown.enabled.unknown
    assert isinstance(outcome("PAT001", unknown), Undecided)


def test_cloudformation_upgrades() -> None:
    views = cfn(AutomaticUpgrades, """
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      AutoMinorVersionUpgrade: "false"
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      SoftwareUpdateOptions:
        AutoSoftwareUpdateEnabled: "true"
  Broker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      EngineType: ACTIVEMQ
""")
    assert views["Db"].enabled.value is False and views["Db"].enabled.explicit
    assert views["Search"].enabled.value is True
    # No EngineVersion: Amazon MQ picks the latest, whose patches it manages.
    assert views["Broker"].not_applicable


@pytest.mark.parametrize(("engine", "version", "managed"), [
    ("ActiveMQ", "5.18", True), ("ACTIVEMQ", "5.17.6", False), ("RabbitMQ", "3.13.7", True),
    ("RABBITMQ", "3.12", False), ("RabbitMQ", "4.2", True), ("ActiveMQ", "", True),
    ("ActiveMQ", "latest", False),
])
def test_mq_managed_versions(engine: str, version: str, managed: bool) -> None:
    assert mq_patches_managed(engine, version) is managed


# -- PAT002: deprecated Lambda runtimes -----------------------------------------------

def test_terraform_function_runtime() -> None:
    views = tf(FunctionRuntime, """
resource "aws_lambda_function" "zip" {
  runtime = "python3.8"
}
resource "aws_lambda_function" "image" {
  package_type = "Image"
  runtime      = "python3.8"
}
""")
    assert views["aws_lambda_function.zip"].runtime.value == "python3.8"
    assert views["aws_lambda_function.image"].runtime.value == ""
    assert isinstance(outcome("PAT002", views["aws_lambda_function.zip"]), Fail)
    assert isinstance(outcome("PAT002", views["aws_lambda_function.image"]), Passed)


def test_lambda_as_of_option() -> None:
    views = cfn(FunctionRuntime, """
Resources:
  Node22:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
""")
    node22 = views["Node22"]
    # Judged as of the table's date by default: deterministic, whatever today is.
    assert isinstance(outcome("PAT002", node22), Passed)
    assert isinstance(outcome("PAT002", node22, as_of="2027-04-29"), Passed)
    assert isinstance(outcome("PAT002", node22, as_of="2027-04-30"), Fail)
    assert isinstance(outcome("PAT002", views["Sam"]), Undecided)
    with pytest.raises(ValueError, match="as_of"):
        outcome("PAT002", node22, as_of="next week")


# -- PAT003: EKS versions out of standard support -------------------------------------

def test_eks_versions() -> None:
    views = tf(KubernetesCluster, """
variable "v" {
  type = string
}
resource "aws_eks_cluster" "old" {
  version = "1.28"
}
resource "aws_eks_cluster" "unset" {
  name = "unset"
}
resource "aws_eks_cluster" "unknown" {
  version = var.v
}
""")
    old = views["aws_eks_cluster.old"]
    result = outcome("PAT003", old)
    assert isinstance(result, Fail) and "2024-11-26" in result.message
    assert "out of support" in result.message  # extended support ended 2025-11-26 too
    assert isinstance(outcome("PAT003", old, as_of="2024-11-25"), Passed)
    assert isinstance(outcome("PAT003", views["aws_eks_cluster.unset"]), Passed)
    assert isinstance(outcome("PAT003", views["aws_eks_cluster.unknown"]), Undecided)
    cluster = cfn(KubernetesCluster, """
Resources:
  C:
    Type: AWS::EKS::Cluster
    Properties:
      Version: "1.32"
""")["C"]
    message = outcome("PAT003", cluster).message
    assert "extended support" in message and "2027-03-23" in message


# -- PAT004: ECR scan on push ---------------------------------------------------------

def test_terraform_registry_scanning_filters() -> None:
    views = tf(ImageRepository, """
variable "filter" {
  type = string
}
resource "aws_ecr_registry_scanning_configuration" "r" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "team-*-prod"
      filter_type = "WILDCARD"
    }
  }
}
resource "aws_ecr_repository" "match" {
  name = "team-a-prod"
}
resource "aws_ecr_repository" "miss" {
  name = "team-a-dev"
  image_scanning_configuration {
    scan_on_push = "false"
  }
}
""")
    match, miss = views["aws_ecr_repository.match"], views["aws_ecr_repository.miss"]
    assert match.registry_scanning is not None and match.registry_scanning.value is True
    assert match.scan_on_push.origin is Origin.DEFAULT
    assert miss.registry_scanning is not None and miss.registry_scanning.value is False
    assert miss.scan_on_push.value is False and miss.scan_on_push.explicit
    assert isinstance(outcome("PAT004", match), Passed)
    assert isinstance(outcome("PAT004", miss), Fail)


def test_cloudformation_registry_filter_unknown() -> None:
    views = cfn(ImageRepository, """
Parameters:
  Pattern:
    Type: String
Resources:
  Scanning:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: BASIC
      Rules:
        - ScanFrequency: SCAN_ON_PUSH
          RepositoryFilters:
            - Filter: !Ref Pattern
              FilterType: WILDCARD
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: app
""")
    repo = views["Repo"]
    assert repo.registry_scanning is not None and repo.registry_scanning.unknown
    assert isinstance(outcome("PAT004", repo), Undecided)


@pytest.mark.parametrize(("pattern", "name", "hit"), [
    ("*", "x", True), ("prod-*", "prod-api", True), ("prod-*", "dev-api", False),
    ("*-api", "prod-api", True), ("a*b*c", "abc", True), ("a*b*c", "acb", False), ("app", "app", True),
    ("ab*ba", "aba", False),
])
def test_wildcard(pattern: str, name: str, hit: bool) -> None:
    assert wildcard_match(pattern, name) is hit


# -- CMP001: backup retention ---------------------------------------------------------

def test_backup_retention_defaults_and_option() -> None:
    views = tf(BackupRetention, """
resource "aws_db_instance" "default" {
  engine = "postgres"
}
resource "aws_db_instance" "aurora" {
  engine = "aurora-mysql"
}
resource "aws_elasticache_replication_group" "rg" {
  snapshot_retention_limit = "10"
}
""")
    default, rg = views["aws_db_instance.default"], views["aws_elasticache_replication_group.rg"]
    assert default.days.value == 1 and default.days.origin is Origin.DEFAULT
    assert rg.days.value == 10 and rg.days.explicit  # a string number
    assert views["aws_db_instance.aurora"].not_applicable
    assert isinstance(outcome("CMP001", default), Fail)
    assert isinstance(outcome("CMP001", default, min_days=1), Passed)
    assert isinstance(outcome("CMP001", rg, min_days=14), Fail)
    cluster = cfn(BackupRetention, """
Parameters:
  Days:
    Type: Number
Resources:
  C:
    Type: AWS::RDS::DBCluster
    Properties:
      BackupRetentionPeriod: !Ref Days
""")["C"]
    assert isinstance(outcome("CMP001", cluster), Undecided)


# -- CMP002: log group retention ------------------------------------------------------

def test_log_group_retention() -> None:
    views = tf(LogGroupRetention, """
resource "aws_cloudwatch_log_group" "forever" {
  name = "forever"
}
resource "aws_cloudwatch_log_group" "short" {
  retention_in_days = 30
}
""")
    forever, short = views["aws_cloudwatch_log_group.forever"], views["aws_cloudwatch_log_group.short"]
    assert forever.days.value == 0 and forever.days.origin is Origin.DEFAULT
    assert isinstance(outcome("CMP002", forever), Passed)
    assert isinstance(outcome("CMP002", short), Fail)
    assert isinstance(outcome("CMP002", short, min_days=30), Passed)
    group = cfn(LogGroupRetention, """
Parameters:
  Days:
    Type: Number
Resources:
  G:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Days
""")["G"]
    assert isinstance(outcome("CMP002", group), Undecided)


# -- CMP003: deletion protection ------------------------------------------------------

def test_deletion_protection() -> None:
    views = tf(DeletionProtection, """
resource "aws_db_instance" "plain" {
  engine = "mysql"
}
resource "aws_db_instance" "aurora" {
  engine = "aurora-postgresql"
}
resource "aws_dynamodb_table" "t" {
  deletion_protection_enabled = "true"
}
""")
    plain = views["aws_db_instance.plain"]
    assert plain.enabled.value is False and plain.enabled.origin is Origin.DEFAULT
    result = outcome("CMP003", plain)
    assert isinstance(result, Fail) and result.span.start_line == plain.span.start_line
    assert isinstance(outcome("CMP003", views["aws_db_instance.aurora"]), Passed)
    assert isinstance(outcome("CMP003", views["aws_dynamodb_table.t"]), Passed)
    member = cfn(DeletionProtection, """
Resources:
  I:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: main
      DeletionProtection: false
""")["I"]
    assert member.not_applicable
