"""Cases a rule must decide although a value is not known: a KMS key named by reference to a
key of the same configuration is set (a key from a variable without value is not known at
all); an Aurora instance's storage is its cluster's."""

from __future__ import annotations

from views_from_source import cfn, outcome, tf

from scanner.rules import Fail, Passed, Undecided
from scanner.views.datastores import Queue, Topic
from scanner.views.rds import DatabaseStorage


def test_terraform_topic_and_queue_with_key_of_the_configuration() -> None:
    src = """
variable "key_arn" {
  type = string
}
resource "aws_kms_key" "messages" {
  enable_key_rotation = true
}
resource "aws_sns_topic" "alerts" {
  kms_master_key_id = aws_kms_key.messages.arn
}
resource "aws_sqs_queue" "jobs" {
  kms_master_key_id = aws_kms_key.messages.key_id
}
resource "aws_sns_topic" "elsewhere" {
  kms_master_key_id = var.key_arn
}
"""
    topics, queues = tf(Topic, src), tf(Queue, src)
    assert outcome("DAT006", topics["aws_sns_topic.alerts"]) is Passed
    assert outcome("DAT007", queues["aws_sqs_queue.jobs"]) is Passed
    assert outcome("DAT006", topics["aws_sns_topic.elsewhere"]) is Undecided


def test_cloudformation_topic_and_queue_with_key_of_the_template() -> None:
    src = """
Parameters:
  KeyArn:
    Type: String
Resources:
  MessagesKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !GetAtt MessagesKey.Arn
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref MessagesKey
  Elsewhere:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref KeyArn
"""
    topics, queues = cfn(Topic, src), cfn(Queue, src)
    assert outcome("DAT006", topics["Alerts"]) is Passed
    assert outcome("DAT007", queues["Jobs"]) is Passed
    assert outcome("DAT006", topics["Elsewhere"]) is Undecided


def test_aurora_instance_storage_is_the_clusters() -> None:
    src = """
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-postgresql
      DBClusterIdentifier: !Ref Cluster
      DBInstanceClass: db.r6g.large
  Plain:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
"""
    storage = cfn(DatabaseStorage, src)
    assert outcome("DAT004", storage["Writer"]) is Passed
    assert outcome("DAT004", storage["Cluster"]) is Passed
    assert outcome("DAT004", storage["Plain"]) is Fail


def test_unknown_managed_policy_arn_is_undecided_on_its_line() -> None:
    from checks.registry import BY_ID
    from scanner.views.managed_policies import ManagedPolicyAttachment

    src = """
variable "policy_arn" {
  type = string
}
resource "aws_iam_role_policy_attachment" "extra" {
  role       = "deploy"
  policy_arn = var.policy_arn
}
"""
    (attachment,) = tf(ManagedPolicyAttachment, src).values()
    (result,) = BY_ID["IAM007"].outcomes(attachment)
    assert isinstance(result, Undecided) and result.at.start_line == 7
    assert "var.policy_arn" in result.reason


def test_keys_kms_cannot_rotate_pass_and_an_unknown_key_store_is_undecided() -> None:
    from scanner.views.kms import Key

    keys = cfn(Key, """
Resources:
  Imported:
    Type: AWS::KMS::Key
    Properties:
      Origin: EXTERNAL
  Plain:
    Type: AWS::KMS::Key
""")
    assert outcome("DAT005", keys["Imported"]) is Passed
    assert outcome("DAT005", keys["Plain"]) is Fail
    tf_keys = tf(Key, """
variable "store" {
  type = string
}
resource "aws_kms_key" "hsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
}
resource "aws_kms_key" "maybe" {
  custom_key_store_id = var.store
}
""")
    assert outcome("DAT005", tf_keys["aws_kms_key.hsm"]) is Passed
    assert outcome("DAT005", tf_keys["aws_kms_key.maybe"]) is Undecided


def test_a_key_arn_written_around_unknown_pieces_is_set_in_both_formats() -> None:
    topics = tf(Topic, """
variable "region" {
  type = string
}
data "aws_caller_identity" "me" {}
resource "aws_sns_topic" "alerts" {
  kms_master_key_id = "arn:aws:kms:${var.region}:${data.aws_caller_identity.me.account_id}:alias/alerts"
}
resource "aws_sns_topic" "bare" {
  kms_master_key_id = var.region
}
""")
    assert outcome("DAT006", topics["aws_sns_topic.alerts"]) is Passed
    assert outcome("DAT006", topics["aws_sns_topic.bare"]) is Undecided
    cfn_topics = cfn(Topic, """
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/alerts
""")
    assert outcome("DAT006", cfn_topics["Alerts"]) is Passed
