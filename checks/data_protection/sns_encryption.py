from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.datastores import Topic


def check(topic: Topic) -> Outcome:
    key = topic.kms_master_key_id
    if isinstance(key.value, Unknown):
        if key.names_something:
            return PASS  # a key (or its alias) of this configuration
        return Undecided("the topic's KMS key is not known", key.span)
    if isinstance(key.value, str) and key.value.strip():
        return PASS
    if key.explicit:
        return Fail(f"SNS topic {topic.address} sets an empty KMS key: messages are stored unencrypted",
                    key, attribute="kms_master_key_id")
    return Fail(f"SNS topic {topic.address} is not encrypted at rest (SNS has no default encryption)",
                key.span)


RULE = Rule(
    id="DAT006",
    name="SnsTopicNotEncrypted",
    title="SNS topic is not encrypted at rest",
    severity=Severity.MEDIUM,
    severity_reason="Messages waiting for delivery are stored unencrypted; they are short-lived, "
                    "but often carry the same data as the systems that publish them.",
    domain=Domain.DATA_PROTECTION,
    view=Topic,
    check=check,
    resource_types=("aws_sns_topic", "AWS::SNS::Topic"),
    rationale=(
        "Encrypting data at rest is the customer's duty. Amazon SNS stores messages until they "
        "are delivered and encrypts them only when the topic names a KMS key: there is no "
        "default server-side encryption for topics. The customer must set kms_master_key_id "
        "(KmsMasterKeyId) to the AWS managed key alias/aws/sns or to a customer managed key; "
        "a customer managed key is needed when other AWS services (CloudWatch alarms, EventBridge, "
        "S3 events) publish to the topic, since they cannot use the AWS managed key."
    ),
    remediation="Set kms_master_key_id (KmsMasterKeyId) to alias/aws/sns or to a customer managed KMS key.",
    terraform_fix="""\
resource "aws_sns_topic" "events" {
  name              = "events"
  kms_master_key_id = aws_kms_key.sns.arn
}""",
    cloudformation_fix="""\
EventsTopic:
  Type: AWS::SNS::Topic
  Properties:
    TopicName: events
    KmsMasterKeyId: !Ref SnsKey""",
    references=(
        "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
    ),
    security_severity=5.0,
    tags=("sns", "encryption"),
)
