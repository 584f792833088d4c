from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.datastores import Queue


def check(queue: Queue) -> Outcome:
    key = queue.kms_master_key_id
    if isinstance(key.value, Unknown):
        if key.names_something:
            return PASS  # a key (or its alias) of this configuration
        return Undecided("the queue's KMS key is not known", key.span)
    if isinstance(key.value, str) and key.value.strip():
        return PASS  # SSE-KMS
    managed = queue.sqs_managed_sse_enabled
    if managed.unknown:
        return Undecided("whether SQS-managed encryption is on is not known", managed.span)
    if managed.value is True:
        return PASS  # SSE-SQS, written or by default
    return Fail(f"SQS queue {queue.address} turns server-side encryption off and names no KMS key",
                managed, attribute="sqs_managed_sse_enabled")


RULE = Rule(
    id="DAT007",
    name="SqsQueueEncryptionDisabled",
    title="SQS queue has server-side encryption turned off",
    severity=Severity.MEDIUM,
    severity_reason="Queued messages are stored unencrypted until consumed or expired; only a "
                    "deliberate setting does this today.",
    domain=Domain.DATA_PROTECTION,
    view=Queue,
    check=check,
    resource_types=("aws_sqs_queue", "AWS::SQS::Queue"),
    rationale=(
        "Encrypting data at rest is the customer's duty. Since October 2022 Amazon SQS encrypts "
        "every new queue with SQS-owned keys (SSE-SQS) unless told otherwise, so a queue that "
        "leaves both settings out is encrypted and passes; older scanners that ask for "
        "kms_master_key_id on every queue predate that default. This rule flags only a queue "
        "that sets sqs_managed_sse_enabled (SqsManagedSseEnabled) to false without naming a KMS "
        "key: its messages are stored in plain text. The customer must keep SSE-SQS on, or set "
        "kms_master_key_id (KmsMasterKeyId) to use SSE-KMS with a key it controls."
    ),
    remediation="Remove sqs_managed_sse_enabled = false (SqsManagedSseEnabled: false), or set a KMS key.",
    terraform_fix="""\
resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = true
}""",
    cloudformation_fix="""\
JobsQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: jobs
    SqsManagedSseEnabled: true""",
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html",
    ),
    security_severity=4.0,
    tags=("sqs", "encryption"),
)
