"""Data-store rules (DAT004 clusters, DAT006-DAT015): from source text to the views they read,
for the cases where defaults, engines, string booleans and policy shapes decide."""

from __future__ import annotations

from typing import TypeVar

from checks.data_protection import (
    elasticache_at_rest,
    rds_encryption,
    redshift_encryption,
    s3_bucket_policy_public,
    sqs_encryption,
)
from scanner.adapters import cloudformation as cfn_adapters
from scanner.adapters import terraform as tf_adapters
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.datastores import (
    BucketPolicy,
    CacheReplicationGroup,
    Queue,
    SearchDomain,
    Table,
    Warehouse,
)
from scanner.views.rds import DatabaseStorage

V = TypeVar("V", bound=View)


def tf(cls: type[V], src: str) -> dict[str, V]:
    resources, _ = load_module(ModuleSource(".", [("main.tf", parse_hcl(src, "main.tf"))]), {})
    views = ViewSet()
    tf_adapters.adapt(ResourceGraph(resources), views)
    return {v.address: v for v in views.of(cls)}


def cfn(cls: type[V], text: str) -> dict[str, V]:
    resources, diagnostics = load_template(text, "t.yaml")
    assert diagnostics == []
    views = ViewSet()
    cfn_adapters.adapt(ResourceGraph(resources), views)
    return {v.address: v for v in views.of(cls)}


def outcome(rule, view):  # one outcome per view for these rules
    (result,) = rule.RULE.outcomes(view)
    return result


# -- SQS: today's default is encrypted ------------------------------------------------------

def test_sqs_default_is_sse_sqs_and_only_explicit_off_without_key_fails() -> None:
    queues = tf(Queue, """
resource "aws_sqs_queue" "plain" {}
resource "aws_sqs_queue" "off" { sqs_managed_sse_enabled = "false" }
resource "aws_sqs_queue" "kms" {
  kms_master_key_id       = "alias/aws/sqs"
  sqs_managed_sse_enabled = false
}
""")
    plain = queues["aws_sqs_queue.plain"]
    assert plain.sqs_managed_sse_enabled.value is True and not plain.sqs_managed_sse_enabled.explicit
    assert isinstance(outcome(sqs_encryption, plain), Passed)
    assert queues["aws_sqs_queue.off"].sqs_managed_sse_enabled.value is False
    assert isinstance(outcome(sqs_encryption, queues["aws_sqs_queue.off"]), Fail)
    assert isinstance(outcome(sqs_encryption, queues["aws_sqs_queue.kms"]), Passed)


# -- DynamoDB -------------------------------------------------------------------------------

def test_dynamodb_pitr_block_without_flag_points_at_the_block() -> None:
    tables = cfn(Table, """
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        RecoveryPeriodInDays: 7
""")
    pitr = tables["T"].point_in_time_recovery
    assert pitr.value is False and not pitr.explicit and pitr.span.start_line == 6


# -- ElastiCache: the at-rest default follows the engine ---------------------------------------

def test_elasticache_at_rest_default_depends_on_engine() -> None:
    groups = tf(CacheReplicationGroup, """
variable "engine" { type = string }
resource "aws_elasticache_replication_group" "redis" { description = "r" }
resource "aws_elasticache_replication_group" "valkey" {
  description = "v"
  engine      = "VALKEY"
}
resource "aws_elasticache_replication_group" "unknown" {
  description = "u"
  engine      = var.engine
}
""")
    assert groups["aws_elasticache_replication_group.redis"].at_rest_encryption_enabled.value is False
    assert groups["aws_elasticache_replication_group.valkey"].at_rest_encryption_enabled.value is True
    unknown = groups["aws_elasticache_replication_group.unknown"]
    assert unknown.at_rest_encryption_enabled.unknown
    assert isinstance(outcome(elasticache_at_rest, unknown), Undecided)
    # Transit encryption is off by default for both engines.
    assert groups["aws_elasticache_replication_group.valkey"].transit_encryption_enabled.value is False


def test_elasticache_cfn_engine_case_and_global_datastore() -> None:
    groups = cfn(CacheReplicationGroup, """
Resources:
  Valkey:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: v
      Engine: Valkey
  Member:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: m
      GlobalReplicationGroupId: ldgnf-x
""")
    assert groups["Valkey"].at_rest_encryption_enabled.value is True
    assert isinstance(outcome(elasticache_at_rest, groups["Member"]), Undecided)


# -- Redshift: encrypted by default today ---------------------------------------------------

def test_redshift_default_encrypted_and_snapshot_restore_not_judged() -> None:
    clusters = tf(Warehouse, """
resource "aws_redshift_cluster" "plain" { cluster_identifier = "a" }
resource "aws_redshift_cluster" "restored" {
  cluster_identifier = "b"
  snapshot_arn       = "arn:aws:redshift:eu-west-1:123456789012:snapshot:a/s"
  encrypted          = false
}
""")
    plain = clusters["aws_redshift_cluster.plain"]
    assert plain.encrypted.value is True and not plain.encrypted.explicit
    assert isinstance(outcome(redshift_encryption, plain), Passed)
    assert isinstance(outcome(redshift_encryption, clusters["aws_redshift_cluster.restored"]), Undecided)


# -- OpenSearch: a dynamic or unknown block is not a failure ----------------------------------

def test_search_domain_unknown_block_is_unknown() -> None:
    domains = tf(SearchDomain, """
variable "encrypt" { type = list(bool) }
resource "aws_opensearch_domain" "d" {
  domain_name = "d"
  dynamic "encrypt_at_rest" {
    for_each = var.encrypt
    content { enabled = encrypt_at_rest.value }
  }
}
""")
    assert domains["aws_opensearch_domain.d"].encrypt_at_rest.unknown


# -- RDS clusters (DAT004) --------------------------------------------------------------------

def test_aurora_clusters_are_always_encrypted_multi_az_clusters_are_not() -> None:
    stores = cfn(DatabaseStorage, """
Resources:
  Aurora:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      StorageEncrypted: false
  MultiAz:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: postgres
  Instance:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
""")
    assert stores["Aurora"].kind == "cluster" and stores["Aurora"].always_encrypted.value is True
    assert isinstance(outcome(rds_encryption, stores["Aurora"]), Passed)
    assert isinstance(outcome(rds_encryption, stores["MultiAz"]), Fail)
    assert stores["Instance"].kind == "instance"
    assert isinstance(outcome(rds_encryption, stores["Instance"]), Fail)


# -- Bucket policies (DAT015) -----------------------------------------------------------------

def test_bucket_policy_links_the_bucket_and_reads_principals_and_conditions() -> None:
    policies = tf(BucketPolicy, """
resource "aws_s3_bucket" "b" { bucket = "remit-b" }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::123456789012:root", "*"] }
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = { "ForAnyValue:StringLike" = { "aws:SourceVpce" = ["vpce-1", "vpce-*"] } }
    }]
  })
}
""")
    policy = policies["aws_s3_bucket_policy.p"]
    assert policy.bucket == "aws_s3_bucket.b"
    (st,) = policy.statements
    assert [p.value for p in st.principals] == ["arn:aws:iam::123456789012:root", "*"]
    (test,) = st.conditions
    assert (test.operator, test.key, [v.value for v in test.values]) == (
        "ForAnyValue:StringLike", "aws:SourceVpce", ["vpce-1", "vpce-*"])
    # One wildcard value means the condition does not pin the grant down.
    assert isinstance(outcome(s3_bucket_policy_public, policy), Fail)


def test_bucket_policy_unknown_condition_value_is_undecided() -> None:
    policies = cfn(BucketPolicy, """
Parameters:
  Vpce:
    Type: String
Resources:
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: remit
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: "*"
            Condition:
              StringLike:
                aws:SourceVpce: !Ref Vpce
""")
    assert policies["P"].bucket == "remit"
    assert isinstance(outcome(s3_bucket_policy_public, policies["P"]), Undecided)
