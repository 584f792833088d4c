"""Queue and topic policies, bucket TLS policies, secrets, streams, CloudFront and search
domain logs: views read from source text."""

from __future__ import annotations

from views_from_source import cfn, outcome, tf

from scanner.rules import Fail, Passed, Undecided
from scanner.views.resource_policies import MessagingPolicy

# -- DAT019: SQS queue and SNS topic policies ---------------------------------------------------

def test_terraform_messaging_policies_inline_separate_and_targets() -> None:
    views = tf(MessagingPolicy, """
resource "aws_sqs_queue" "q" {
  name = "q"
}
resource "aws_sqs_queue_policy" "p" {
  queue_url = aws_sqs_queue.q.url
  policy    = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"sqs:*\\"}]}"
}
resource "aws_sns_topic" "t" {
  policy = ""
}
resource "aws_sns_topic_policy" "tp" {
  arn    = "arn:aws:sns:eu-west-1:111122223333:t"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sns:Publish",
    Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.me.account_id } } }] })
}
data "aws_caller_identity" "me" {}
""")
    assert sorted(views) == ["aws_sns_topic_policy.tp", "aws_sqs_queue_policy.p"]
    queue = views["aws_sqs_queue_policy.p"]
    assert (queue.service, queue.target) == ("sqs", "aws_sqs_queue.q")
    assert outcome("DAT019", queue) is Fail
    topic = views["aws_sns_topic_policy.tp"]
    assert (topic.service, topic.target) == ("sns", "arn:aws:sns:eu-west-1:111122223333:t")
    # The account is known only at apply, but StringEquals compares it literally: one account.
    assert outcome("DAT019", topic) is Passed


def test_cloudformation_messaging_policies_targets_and_unknowns() -> None:
    views = cfn(MessagingPolicy, """
Parameters:
  Doc:
    Type: String
Resources:
  Q1:
    Type: AWS::SQS::Queue
  Q2:
    Type: AWS::SQS::Queue
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q1, !Ref Q2]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sqs:SendMessage
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
  T:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [arn:aws:sns:eu-west-1:111122223333:t]
      PolicyDocument: !Ref Doc
  S:
    Type: AWS::SNS::TopicInlinePolicy
    Properties:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:t
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: events.amazonaws.com}
            Action: sns:Publish
""")
    assert views["P"].target == "Q1, Q2"
    assert outcome("DAT019", views["P"]) is Passed  # the stack's account, compared literally
    assert views["T"].unknown is not None
    assert outcome("DAT019", views["T"]) is Undecided
    assert views["S"].service == "sns"
    assert outcome("DAT019", views["S"]) is Passed


# -- DAT016: buckets that do not deny plain HTTP --------------------------------------------

def test_terraform_bucket_policies_gathered_per_bucket() -> None:
    from scanner.views.s3_transport import BucketTransport

    deny = """jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*",
      Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })"""
    views = tf(BucketTransport, f"""
resource "aws_s3_bucket" "ref" {{
  bucket = "ref"
}}
resource "aws_s3_bucket_policy" "ref" {{
  bucket = aws_s3_bucket.ref.id
  policy = {deny}
}}
resource "aws_s3_bucket" "named" {{
  bucket = "named"
  policy = jsonencode({{ Statement = [{{ Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::111122223333:root" }},
    Action = "s3:GetObject", Resource = "arn:aws:s3:::named/*" }}] }})
}}
resource "aws_s3_bucket_policy" "named" {{
  bucket = "named"
  policy = {deny}
}}
resource "aws_s3_bucket" "bare" {{
  bucket = "bare"
}}
""")
    assert [p.address for p in views["aws_s3_bucket.ref"].policies] == ["aws_s3_bucket_policy.ref"]
    assert [p.address for p in views["aws_s3_bucket.named"].policies] == [
        "aws_s3_bucket.named", "aws_s3_bucket_policy.named"]
    (st,) = views["aws_s3_bucket.ref"].policies[0].statements
    assert [a.value for a in st.actions] == ["s3:*"] and not st.not_action
    assert outcome("DAT016", views["aws_s3_bucket.ref"]) is Passed
    assert outcome("DAT016", views["aws_s3_bucket.named"]) is Passed
    assert views["aws_s3_bucket.bare"].policies == []
    assert outcome("DAT016", views["aws_s3_bucket.bare"]) is Fail


def test_terraform_policy_for_an_unknown_bucket_leaves_buckets_undecided() -> None:
    from scanner.views.s3_transport import BucketTransport

    views = tf(BucketTransport, """
variable "name" {
  type = string
}
resource "aws_s3_bucket" "a" {
  bucket = "a"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = var.name
  policy = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*",
    Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}
""")
    assert views["aws_s3_bucket.a"].unresolved is not None
    assert outcome("DAT016", views["aws_s3_bucket.a"]) is Undecided


def test_cloudformation_bucket_policies_by_ref_and_literal_name() -> None:
    from scanner.views.s3_transport import BucketTransport

    views = cfn(BucketTransport, """
Parameters:
  Flag:
    Type: String
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: bucket-a
  PA:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: bucket-a
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: {AWS: "*"}
            NotAction: s3:GetObject
            Resource: "*"
            Condition: {Bool: {aws:SecureTransport: false}}
  B:
    Type: AWS::S3::Bucket
  PB:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: [s3:GetObject, "*"]
            Resource: "*"
            Condition: {Bool: {aws:SecureTransport: !Ref Flag}}
""")
    (st,) = views["A"].policies[0].statements
    assert st.not_action
    assert outcome("DAT016", views["A"]) is Fail  # NotAction: not the documented statement
    assert [p.address for p in views["B"].policies] == ["PB"]
    assert outcome("DAT016", views["B"]) is Undecided  # the condition value is not known


# -- DAT018: Kinesis data streams ------------------------------------------------------------

def test_kinesis_stream_encryption_defaults_and_missing_parts() -> None:
    from scanner.values import Origin
    from scanner.views.streams import DataStream

    views = tf(DataStream, """
resource "aws_kinesis_stream" "a" {
  name = "a"
}
resource "aws_kinesis_stream" "b" {
  name            = "b"
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"
}
""")
    a = views["aws_kinesis_stream.a"]
    assert (a.encryption_type.value, a.encryption_type.origin) == ("NONE", Origin.DEFAULT)
    assert a.kms_key_id.span.start_line == a.span.start_line
    assert outcome("DAT018", a) is Fail
    assert outcome("DAT018", views["aws_kinesis_stream.b"]) is Passed
    cviews = cfn(DataStream, """
Parameters:
  Enc:
    Type: String
Resources:
  S:
    Type: AWS::Kinesis::Stream
    Properties:
      StreamEncryption: !Ref Enc
  T:
    Type: AWS::Kinesis::Stream
    Properties:
      StreamEncryption:
        KeyId: alias/aws/kinesis
""")
    assert cviews["S"].encryption_type.unknown
    assert outcome("DAT018", cviews["S"]) is Undecided
    assert cviews["T"].encryption_type.value == ""
    assert outcome("DAT018", cviews["T"]) is Fail


# -- DAT017: Secrets Manager rotation ------------------------------------------------------------

def test_secret_rotation_linked_by_reference_name_or_unknown() -> None:
    from scanner.views.secrets import Secret

    views = tf(Secret, """
variable "target" {
  type = string
}
resource "aws_secretsmanager_secret" "a" {
  name = "a"
}
resource "aws_secretsmanager_secret_rotation" "r" {
  secret_id = var.target
  rotation_rules {
    automatically_after_days = 30
  }
}
""")
    assert views["aws_secretsmanager_secret.a"].rotation.unknown
    assert outcome("DAT017", views["aws_secretsmanager_secret.a"]) is Undecided

    cviews = cfn(Secret, """
Resources:
  A:
    Type: AWS::SecretsManager::Secret
  B:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: b
  RA:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref A
      RotationRules: {AutomaticallyAfterDays: 7}
""")
    assert cviews["A"].rotation.value is True
    assert cviews["A"].rotation.span.start_line == 9  # the rotation schedule's first line
    assert outcome("DAT017", cviews["B"]) is Fail


# -- LOG012: CloudFront standard logs ----------------------------------------------------------

def test_cloudfront_access_logging_forms() -> None:
    from scanner.views.web import Distribution

    views = tf(Distribution, """
variable "bucket" {
  type = string
}
variable "source_name" {
  type = string
}
resource "aws_cloudfront_distribution" "regional" {
  logging_config {
    bucket = "logs.s3.eu-west-1.amazonaws.com"
  }
}
resource "aws_cloudfront_distribution" "unknown" {
  logging_config {
    bucket = var.bucket
  }
}
resource "aws_cloudfront_distribution" "v2" {
  enabled = true
}
resource "aws_cloudwatch_log_delivery_source" "s" {
  name         = "s"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.v2.arn
}
resource "aws_cloudwatch_log_delivery" "d" {
  delivery_source_name     = var.source_name
  delivery_destination_arn = "arn:aws:logs:us-east-1:111122223333:delivery-destination:x"
}
""")
    assert outcome("LOG012", views["aws_cloudfront_distribution.regional"]) is Passed
    assert outcome("LOG012", views["aws_cloudfront_distribution.unknown"]) is Passed  # known at apply
    v2 = views["aws_cloudfront_distribution.v2"]
    assert v2.access_logging is not None and v2.access_logging.unknown
    assert outcome("LOG012", v2) is Undecided

    cviews = cfn(Distribution, """
Parameters:
  Config:
    Type: String
Resources:
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig: !Ref Config
  E:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Logging:
          Prefix: p/
""")
    assert outcome("LOG012", cviews["D"]) is Undecided
    assert outcome("LOG012", cviews["E"]) is Fail  # Logging without its (required) Bucket


# -- LOG013: OpenSearch audit logs ---------------------------------------------------------------

def test_search_domain_audit_logs_defaults_differ_by_format() -> None:
    from scanner.views.datastores import SearchDomain

    views = tf(SearchDomain, """
variable "kind" {
  type = string
}
resource "aws_opensearch_domain" "a" {
  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:a"
  }
}
resource "aws_opensearch_domain" "b" {
  log_publishing_options {
    log_type                 = var.kind
    cloudwatch_log_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:b"
  }
}
""")
    a = views["aws_opensearch_domain.a"].audit_logs
    assert a is not None and a.value is True and not a.explicit  # the provider's default
    assert outcome("LOG013", views["aws_opensearch_domain.a"]) is Passed
    assert outcome("LOG013", views["aws_opensearch_domain.b"]) is Undecided

    cviews = cfn(SearchDomain, """
Resources:
  D:
    Type: AWS::OpenSearchService::Domain
    Properties:
      LogPublishingOptions:
        AUDIT_LOGS:
          CloudWatchLogsLogGroupArn: arn:aws:logs:eu-west-1:111122223333:log-group:d
          Enabled: "true"
  E:
    Type: AWS::OpenSearchService::Domain
    Properties:
      LogPublishingOptions:
        AUDIT_LOGS:
          CloudWatchLogsLogGroupArn: arn:aws:logs:eu-west-1:111122223333:log-group:e
""")
    assert outcome("LOG013", cviews["D"]) is Passed
    e = cviews["E"].audit_logs
    assert e is not None and e.value is False and not e.explicit  # CloudFormation's default
    assert outcome("LOG013", cviews["E"]) is Fail


# -- LOG014: MSK broker logs ---------------------------------------------------------------------

def test_msk_broker_logs_destinations() -> None:
    from scanner.views.streams import KafkaCluster

    views = tf(KafkaCluster, """
variable "on" {
  type = bool
}
resource "aws_msk_cluster" "a" {
  logging_info {
    broker_logs {
      firehose {
        delivery_stream = "s"
      }
    }
  }
}
resource "aws_msk_cluster" "b" {
  logging_info {
    broker_logs {
      s3 {
        enabled = var.on
        bucket  = "b"
      }
    }
  }
}
""")
    a = views["aws_msk_cluster.a"].broker_logs
    assert a.value is False and a.span.start_line == 8  # at the firehose block: `enabled` left out
    assert outcome("LOG014", views["aws_msk_cluster.a"]) is Fail
    assert outcome("LOG014", views["aws_msk_cluster.b"]) is Undecided

    cviews = cfn(KafkaCluster, """
Parameters:
  Logs:
    Type: String
Resources:
  C:
    Type: AWS::MSK::Cluster
    Properties:
      LoggingInfo: !Ref Logs
  D:
    Type: AWS::MSK::Cluster
    Properties:
      LoggingInfo:
        BrokerLogs:
          Firehose: {Enabled: false, DeliveryStream: s}
          S3: {Enabled: true, Bucket: b}
""")
    assert outcome("LOG014", cviews["C"]) is Undecided
    assert outcome("LOG014", cviews["D"]) is Passed


# -- LOG015: Amazon MQ broker logs ------------------------------------------------------------------

def test_mq_broker_logs_by_engine() -> None:
    from scanner.views.brokers import MessageBroker

    views = tf(MessageBroker, """
variable "engine" {
  type = string
}
resource "aws_mq_broker" "a" {
  engine_type = var.engine
  logs {
    general = "true"
  }
}
resource "aws_mq_broker" "r" {
  engine_type = "RabbitMQ"
  logs {
    general = true
  }
}
""")
    a = views["aws_mq_broker.a"]
    assert a.general_logs.value is True and a.audit_logs.value is False
    assert outcome("LOG015", a) is Undecided  # audit logs depend on the engine
    assert outcome("LOG015", views["aws_mq_broker.r"]) is Passed

    cviews = cfn(MessageBroker, """
Parameters:
  Logs:
    Type: String
Resources:
  B:
    Type: AWS::AmazonMQ::Broker
    Properties:
      EngineType: ActiveMQ
      Logs: !Ref Logs
""")
    assert cviews["B"].general_logs.unknown and cviews["B"].audit_logs.unknown
    assert outcome("LOG015", cviews["B"]) is Undecided
