"""LOG016, LOG017 and DAT020: from source text to the views they read, and their outcomes."""

from __future__ import annotations

from views_from_source import cfn, outcome, tf

from scanner.rules import Fail, Passed, Undecided
from scanner.values import Origin
from scanner.views.account_settings import EbsEncryptionByDefault
from scanner.views.audit_logs import DocumentDbAuditLogs, WarehouseAuditLogging, audit_logs_parameter_on

# -- LOG016: Redshift -----------------------------------------------------------------------


def test_redshift_logging_resource_by_reference_by_name_and_the_block() -> None:
    views = tf(WarehouseAuditLogging, """
resource "aws_redshift_cluster" "ref" { cluster_identifier = "a" }
resource "aws_redshift_logging" "ref" {
  cluster_identifier   = aws_redshift_cluster.ref.id
  log_destination_type = "cloudwatch"
  log_exports          = ["userlog", "connectionlog"]
}
resource "aws_redshift_cluster" "named" { cluster_identifier = "b" }
resource "aws_redshift_logging" "named" {
  cluster_identifier = "b"
  bucket_name        = "logs"
}
resource "aws_redshift_cluster" "block" {
  cluster_identifier = "c"
  logging {
    enable               = true
    log_destination_type = "cloudwatch"
    log_exports          = ["useractivitylog"]
  }
}
resource "aws_redshift_cluster" "none" { cluster_identifier = "d" }
""")
    ref = views["aws_redshift_cluster.ref"]
    assert ref.enabled.value is True and ref.log_types is not None
    assert ref.log_types.value == ["userlog", "connectionlog"]
    assert outcome("LOG016", ref) is Passed
    named = views["aws_redshift_cluster.named"]
    assert named.enabled.value is True and named.log_types is None  # S3: every log type
    block = views["aws_redshift_cluster.block"]
    assert outcome("LOG016", block) is Fail  # neither the connection nor the user log
    none = views["aws_redshift_cluster.none"]
    assert none.enabled.value is False and none.enabled.origin is Origin.DEFAULT
    assert outcome("LOG016", none) is Fail


def test_redshift_logging_for_an_unknown_cluster_is_undecided() -> None:
    views = tf(WarehouseAuditLogging, """
variable "cluster" { type = string }
resource "aws_redshift_cluster" "a" { cluster_identifier = "a" }
resource "aws_redshift_logging" "x" {
  cluster_identifier = var.cluster
  bucket_name        = "logs"
}
""")
    assert outcome("LOG016", views["aws_redshift_cluster.a"]) is Undecided


def test_redshift_cloudformation_destinations() -> None:
    views = cfn(WarehouseAuditLogging, """
Resources:
  S3:
    Type: AWS::Redshift::Cluster
    Properties:
      LoggingProperties: {BucketName: logs}
  Cw:
    Type: AWS::Redshift::Cluster
    Properties:
      LoggingProperties: {LogDestinationType: CloudWatch}
  NoBucket:
    Type: AWS::Redshift::Cluster
    Properties:
      LoggingProperties: {S3KeyPrefix: x/}
  Namespace:
    Type: AWS::RedshiftServerless::Namespace
    Properties:
      LogExports: [userlog]
""")
    assert outcome("LOG016", views["S3"]) is Passed
    assert outcome("LOG016", views["Cw"]) is Passed  # log types not listed: not judged
    assert outcome("LOG016", views["NoBucket"]) is Fail
    namespace = views["Namespace"]
    assert namespace.enabled.value is True and outcome("LOG016", namespace) is Fail


# -- LOG017: DocumentDB ---------------------------------------------------------------------


def test_audit_logs_parameter_values() -> None:
    assert audit_logs_parameter_on("enabled") and audit_logs_parameter_on("ddl,dml_read")
    assert audit_logs_parameter_on("ALL")
    assert not audit_logs_parameter_on("disabled") and not audit_logs_parameter_on("none")


def test_docdb_parameter_group_by_reference_name_default_and_elsewhere() -> None:
    views = tf(DocumentDbAuditLogs, """
resource "aws_docdb_cluster_parameter_group" "on" {
  name   = "on"
  family = "docdb5.0"
  parameter {
    name  = "audit_logs"
    value = "enabled"
  }
}
resource "aws_docdb_cluster" "ref" {
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.on.name
  enabled_cloudwatch_logs_exports = ["audit"]
}
resource "aws_docdb_cluster" "named" {
  db_cluster_parameter_group_name = "on"
  enabled_cloudwatch_logs_exports = ["profiler", "audit"]
}
resource "aws_docdb_cluster" "default" {
  enabled_cloudwatch_logs_exports = ["audit"]
}
resource "aws_docdb_cluster" "elsewhere" {
  db_cluster_parameter_group_name = "shared"
}
""")
    for name in ("ref", "named"):
        view = views[f"aws_docdb_cluster.{name}"]
        assert view.parameter is not None and view.parameter.value is True
        assert outcome("LOG017", view) is Passed
    default = views["aws_docdb_cluster.default"]
    assert default.parameter is not None and default.parameter.value is False
    assert outcome("LOG017", default) is Fail
    elsewhere = views["aws_docdb_cluster.elsewhere"]
    assert elsewhere.parameter is None and elsewhere.exported.value is False


def test_docdb_cloudformation_parameter_group() -> None:
    views = cfn(DocumentDbAuditLogs, """
Parameters:
  Setting:
    Type: String
Resources:
  Group:
    Type: AWS::DocDB::DBClusterParameterGroup
    Properties:
      Family: docdb5.0
      Description: x
      Parameters: {audit_logs: !Ref Setting}
  Cluster:
    Type: AWS::DocDB::DBCluster
    Properties:
      DBClusterParameterGroupName: !Ref Group
      EnableCloudwatchLogsExports: [audit]
""")
    cluster = views["Cluster"]
    assert cluster.exported.value is True
    assert cluster.parameter is not None and cluster.parameter.unknown
    assert outcome("LOG017", cluster) is Undecided


# -- DAT020: EBS encryption by default ------------------------------------------------------


def test_ebs_encryption_by_default_defaults_to_on() -> None:
    views = tf(EbsEncryptionByDefault, """
resource "aws_ebs_encryption_by_default" "on" {}
resource "aws_ebs_encryption_by_default" "off" { enabled = false }
""")
    assert outcome("DAT020", views["aws_ebs_encryption_by_default.on"]) is Passed
    assert outcome("DAT020", views["aws_ebs_encryption_by_default.off"]) is Fail
