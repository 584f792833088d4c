from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.monitoring import LogGroup


def check(group: LogGroup) -> Outcome:
    key = group.kms_key_id
    if isinstance(key.value, Unknown):
        if key.names_something:
            return PASS  # a key of this configuration, or an ARN written around unknown pieces
        return Undecided("the log group's KMS key is not known", key.span)
    if key.value.strip():
        return PASS
    if key.explicit:
        return Fail(f"CloudWatch log group {group.address} sets an empty KMS key", key,
                    attribute="kms_key_id")
    return Fail(f"CloudWatch log group {group.address} is not encrypted with a customer managed "
                "KMS key (only the service's own encryption)", key.span)


RULE = Rule(
    id="LOG009",
    name="LogGroupNotEncryptedWithKMS",
    title="CloudWatch log group is not encrypted with a customer managed KMS key",
    severity=Severity.LOW,
    severity_reason=(
        "Log data is always encrypted at rest by CloudWatch Logs; a customer managed key only "
        "adds control over who can decrypt it and the ability to revoke access."
    ),
    domain=Domain.LOGGING,
    view=LogGroup,
    check=check,
    resource_types=("aws_cloudwatch_log_group", "AWS::Logs::LogGroup"),
    rationale=(
        "CloudWatch Logs always encrypts log data at rest with keys the service manages, so the "
        "data is never stored in clear. Logs often hold sensitive data (request bodies, tokens, "
        "personal data), and deciding who may read them is the customer's duty: with a customer "
        "managed KMS key, reading the log events also requires kms:Decrypt under a key policy "
        "the customer writes, every use of the key is recorded in CloudTrail, and disabling the "
        "key cuts off access. The key's policy must allow the logs.<region>.amazonaws.com "
        "service principal to use it. A key given as a reference to a key of the configuration "
        "counts as set."
    ),
    remediation=(
        "Create a customer managed KMS key whose policy allows CloudWatch Logs in the region to "
        "use it, and set it as the log group's KMS key."
    ),
    terraform_fix="""\
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/web"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}""",
    cloudformation_fix="""\
AppLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /app/web
    RetentionInDays: 365
    KmsKeyId: !GetAtt LogsKey.Arn""",
    references=(
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    ),
    security_severity=3.0,
    tags=("cloudwatch-logs", "encryption", "kms"),
)
