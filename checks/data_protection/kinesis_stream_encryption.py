from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Origin
from scanner.views.streams import DataStream


def check(stream: DataStream) -> Outcome:
    kind = stream.encryption_type
    if kind.unknown:
        return Undecided("the stream's encryption type is not known", kind.span)
    value = str(kind.value).strip().upper()
    if value != "KMS":
        if not kind.value:
            shown = "no encryption type is given"
        elif kind.origin is Origin.DEFAULT:
            shown = "no encryption is configured"
        else:
            shown = f'encryption type "{kind.value}"'
        return Fail(f"Kinesis stream {stream.address} is not encrypted at rest ({shown})",
                    kind, attribute="encryption_type")
    key = stream.kms_key_id
    if key.unknown or (isinstance(key.value, str) and key.value.strip()):
        return PASS  # a key is named (alias/aws/kinesis or a customer managed key), perhaps known at apply
    return Fail(f"Kinesis stream {stream.address} asks for KMS encryption but names no KMS key, "
                "which encryption requires", key, attribute="kms_key_id")


RULE = Rule(
    id="DAT018",
    name="KinesisStreamNotEncrypted",
    title="Kinesis data stream is not encrypted at rest",
    severity=Severity.MEDIUM,
    severity_reason="Records stay readable in the service's storage for the whole retention "
                    "period (24 hours up to a year) to anyone who reaches them outside the API.",
    domain=Domain.DATA_PROTECTION,
    view=DataStream,
    check=check,
    resource_types=("aws_kinesis_stream", "AWS::Kinesis::Stream"),
    rationale=(
        "Encrypting data at rest is the customer's duty. Unlike S3 or SQS, Amazon Kinesis Data "
        "Streams still creates streams without server-side encryption unless asked (the AWS "
        "Config rule kinesis-stream-encrypted and Security Hub control Kinesis.1 check for it): "
        "encryption_type defaults to NONE in Terraform, and an AWS::Kinesis::Stream without "
        "StreamEncryption is not encrypted. A stream passes when its encryption type is KMS and "
        "it names a key: the AWS managed key alias/aws/kinesis or a customer managed key. KMS "
        "without a key (KeyId and EncryptionType are both required in StreamEncryption) does "
        "not encrypt the stream and is reported too."
    ),
    remediation='Set encryption_type = "KMS" and kms_key_id (StreamEncryption with EncryptionType KMS '
                "and KeyId), using alias/aws/kinesis or a customer managed key.",
    terraform_fix="""\
resource "aws_kinesis_stream" "events" {
  name            = "events"
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }
}""",
    cloudformation_fix="""\
EventsStream:
  Type: AWS::Kinesis::Stream
  Properties:
    StreamModeDetails:
      StreamMode: ON_DEMAND
    StreamEncryption:
      EncryptionType: KMS
      KeyId: alias/aws/kinesis""",
    references=(
        "https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html",
        "https://docs.aws.amazon.com/config/latest/developerguide/kinesis-stream-encrypted.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-kinesis-stream-streamencryption.html",
    ),
    security_severity=5.0,
    tags=("kinesis", "encryption"),
)
