"""Policy rules decide ordinary policies: values known only at deployment leave a rule
undecided only when they could change its verdict (IAM001, IAM005, IAM006, DAT015, DAT019)."""

from __future__ import annotations

from views_from_source import cfn, outcome, tf

from scanner.rules import Fail, Passed, Undecided
from scanner.views.datastores import BucketPolicy
from scanner.views.iam import PolicyDocument
from scanner.views.resource_policies import KeyPolicy, MessagingPolicy

# -- IAM001 / IAM005: identity policies ---------------------------------------------------

LAMBDA_ROLE_CFN = """
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  BucketName:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: worker
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub arn:${AWS::Partition}:s3:::${BucketName}/*
              - Effect: Allow
                Action: [sqs:ReceiveMessage, sqs:DeleteMessage]
                Resource: !GetAtt Queue.Arn
"""

LAMBDA_ROLE_TF = """
variable "bucket" {
  type = string
}
data "aws_partition" "current" {}
resource "aws_sqs_queue" "jobs" {}
resource "aws_iam_role_policy" "worker" {
  role = "worker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"],
        Resource = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*" },
      { Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
        Resource = aws_sqs_queue.jobs.arn },
    ]
  })
}
"""


def test_lambda_execution_role_passes_in_both_formats() -> None:
    cfn_doc = cfn(PolicyDocument, LAMBDA_ROLE_CFN)["WorkerRole#worker"]
    tf_doc = tf(PolicyDocument, LAMBDA_ROLE_TF)["aws_iam_role_policy.worker"]
    for doc in (cfn_doc, tf_doc):
        assert outcome("IAM001", doc) is Passed
        assert outcome("IAM005", doc) is Passed


def _tf_statements(statements: str) -> PolicyDocument:
    src = f"""
variable "x" {{
  type = string
}}
variable "account" {{
  type = string
}}
data "aws_iam_policy_document" "p" {{
{statements}
}}
"""
    return tf(PolicyDocument, src)["data.aws_iam_policy_document.p"]


def _cfn_statements(statements: str) -> PolicyDocument:
    text = f"""
Parameters:
  X:
    Type: String
  Account:
    Type: String
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
{statements}
"""
    return cfn(PolicyDocument, text)["P"]


def test_iam001_judges_actions_before_resources() -> None:
    cases = [
        # (Terraform statement, CloudFormation statement, IAM001 outcome)
        ('statement {\n actions = ["*:*"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: '*:*', Resource: '*'}", Fail),
        ('statement {\n actions = ["s3:${var.x}"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: !Sub 's3:${X}', Resource: '*'}", Passed),
        ('statement {\n actions = [var.x]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: !Ref X, Resource: '*'}", Undecided),
        ('statement {\n actions = ["*"]\n resources = [var.x]\n}',
         "          - {Effect: Allow, Action: '*', Resource: !Ref X}", Undecided),
        ('statement {\n actions = ["*"]\n resources = ["arn:aws:s3:::${var.x}/*"]\n}',
         "          - {Effect: Allow, Action: '*', Resource: !Sub 'arn:aws:s3:::${X}/*'}", Passed),
        ('statement {\n actions = ["s3:GetObject"]\n resources = [var.x]\n}',
         "          - {Effect: Allow, Action: s3:GetObject, Resource: !Ref X}", Passed),
        ('statement {\n not_actions = ["iam:*"]\n resources = [var.x]\n}',
         "          - {Effect: Allow, NotAction: 'iam:*', Resource: !Ref X}", Passed),
    ]
    for tf_st, cfn_st, expected in cases:
        assert outcome("IAM001", _tf_statements(tf_st)) is expected, tf_st
        assert outcome("IAM001", _cfn_statements(cfn_st)) is expected, cfn_st


def test_iam005_judges_actions_before_resources() -> None:
    cases = [
        ('statement {\n actions = ["iam:PassRole"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: iam:PassRole, Resource: '*'}", Fail),
        # An escalation action on a resource whose written part is not "*": passes.
        ('statement {\n actions = ["iam:PassRole"]\n'
         ' resources = ["arn:aws:iam::${var.account}:role/app"]\n}',
         "          - {Effect: Allow, Action: iam:PassRole,"
         " Resource: !Sub 'arn:aws:iam::${Account}:role/app'}", Passed),
        ('statement {\n actions = ["iam:PassRole"]\n resources = [var.x]\n}',
         "          - {Effect: Allow, Action: iam:PassRole, Resource: !Ref X}", Undecided),
        ('statement {\n actions = ["s3:GetObject", "sqs:SendMessage"]\n resources = [var.x]\n}',
         "          - {Effect: Allow, Action: [s3:GetObject, sqs:SendMessage], Resource: !Ref X}",
         Passed),
        ('statement {\n actions = ["s3:${var.x}"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: !Sub 's3:${X}', Resource: '*'}", Passed),
        ('statement {\n actions = ["iam:${var.x}"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: !Sub 'iam:${X}', Resource: '*'}", Undecided),
        # "*:*" on "*" is IAM001's.
        ('statement {\n actions = ["*:*"]\n resources = ["*"]\n}',
         "          - {Effect: Allow, Action: '*:*', Resource: '*'}", Passed),
    ]
    for tf_st, cfn_st, expected in cases:
        assert outcome("IAM005", _tf_statements(tf_st)) is expected, tf_st
        assert outcome("IAM005", _cfn_statements(cfn_st)) is expected, cfn_st


def test_unknown_effect_matters_only_when_the_statement_could_fail() -> None:
    text = """
Parameters:
  Effect:
    Type: String
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: !Ref Effect, Action: s3:GetObject, Resource: '*'}
  Q:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: !Ref Effect, Action: '*', Resource: '*'}
"""
    docs = cfn(PolicyDocument, text)
    assert outcome("IAM001", docs["P"]) is Passed
    assert outcome("IAM005", docs["P"]) is Passed
    assert outcome("IAM001", docs["Q"]) is Undecided


# -- IAM006 / DAT015 / DAT019: conditions with values known only at deployment -------------

KMS_CFN = """
Parameters:
  Topic:
    Type: String
Resources:
  ViaAccount:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: [kms:Decrypt, kms:GenerateDataKey]
            Resource: '*'
            Condition:
              StringEquals:
                kms:CallerAccount: !Ref AWS::AccountId
  LikeAccount:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
            Condition:
              StringLike:
                kms:CallerAccount: !Ref AWS::AccountId
  ArnPinned:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
            Condition:
              ArnLike:
                aws:SourceArn: !Sub 'arn:aws:sns:us-east-1:111122223333:${Topic}'
  ArnOpen:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
            Condition:
              ArnLike:
                aws:SourceArn: !Sub 'arn:aws:sns:us-east-1:${AWS::AccountId}:topic'
"""

KMS_TF = """
variable "topic" {
  type = string
}
data "aws_caller_identity" "current" {}
locals {
  account = data.aws_caller_identity.current.account_id
}
resource "aws_kms_key" "via_account" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*"
      Condition = { StringEquals = { "kms:CallerAccount" = local.account } }
    }]
  })
}
resource "aws_kms_key" "like_account" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*"
      Condition = { StringLike = { "kms:CallerAccount" = local.account } }
    }]
  })
}
resource "aws_kms_key" "arn_pinned" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:sns:us-east-1:111122223333:${var.topic}" } }
    }]
  })
}
resource "aws_kms_key" "arn_open" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:sns:us-east-1:${local.account}:topic" } }
    }]
  })
}
"""


def test_kms_conditions_with_the_stack_account() -> None:
    cviews = cfn(KeyPolicy, KMS_CFN)
    tviews = tf(KeyPolicy, KMS_TF)
    for cfn_name, tf_name, expected in (
        ("ViaAccount", "via_account", Passed),
        ("LikeAccount", "like_account", Undecided),
        ("ArnPinned", "arn_pinned", Passed),
        ("ArnOpen", "arn_open", Undecided),
    ):
        assert outcome("IAM006", cviews[cfn_name]) is expected, cfn_name
        assert outcome("IAM006", tviews[f"aws_kms_key.{tf_name}"]) is expected, tf_name


def test_bucket_policy_reader_account_from_a_parameter_passes() -> None:
    cviews = cfn(BucketPolicy, """
Parameters:
  ReadAccount:
    Type: String
Resources:
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: data
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub 'arn:aws:iam::${ReadAccount}:root'}
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
            Condition:
              StringEquals: {aws:SourceVpce: !Ref ReadAccount}
""")
    tviews = tf(BucketPolicy, """
variable "read_account" {
  type = string
}
variable "vpce" {
  type = string
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "data"
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::${var.read_account}:root" },
        Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*" },
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject",
        Resource = "arn:aws:s3:::data/*",
        Condition = { StringEquals = { "aws:SourceVpce" = var.vpce } } },
    ]
  })
}
""")
    assert outcome("DAT015", cviews["P"]) is Passed
    assert outcome("DAT015", tviews["aws_s3_bucket_policy.p"]) is Passed


def test_queue_policy_source_account_of_the_stack_passes() -> None:
    cviews = cfn(MessagingPolicy, """
Resources:
  Q:
    Type: AWS::SQS::Queue
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: s3.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt Q.Arn
          - Effect: Allow
            Principal: '*'
            Action: sqs:SendMessage
            Resource: !GetAtt Q.Arn
            Condition:
              StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}
""")
    tviews = tf(MessagingPolicy, """
data "aws_caller_identity" "current" {}
resource "aws_sqs_queue" "q" {}
resource "aws_sqs_queue_policy" "p" {
  queue_url = aws_sqs_queue.q.id
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}
""")
    assert [outcome("DAT019", v) for v in cviews.values()] == [Passed]
    assert [outcome("DAT019", v) for v in tviews.values()] == [Passed]


def test_source_arn_of_a_resource_of_the_configuration_restricts() -> None:
    cviews = cfn(MessagingPolicy, """
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Bucket:
    Type: AWS::S3::Bucket
  Q:
    Type: AWS::SQS::Queue
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: sqs:SendMessage
            Resource: '*'
            Condition:
              ArnEquals: {aws:SourceArn: !Ref Topic}
          - Effect: Allow
            Principal: '*'
            Action: sqs:SendMessage
            Resource: '*'
            Condition:
              ArnLike: {aws:SourceArn: !GetAtt Bucket.Arn}
""")
    tviews = tf(MessagingPolicy, """
resource "aws_sns_topic" "t" {}
resource "aws_sqs_queue" "q" {}
resource "aws_sqs_queue_policy" "p" {
  queue_url = aws_sqs_queue.q.id
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.t.arn } }
    }]
  })
}
""")
    assert [outcome("DAT019", v) for v in cviews.values()] == [Passed]
    assert [outcome("DAT019", v) for v in tviews.values()] == [Passed]
