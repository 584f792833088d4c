from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.ec2 import Volume


def check(volume: Volume) -> Outcome:
    default = volume.default_encryption
    if default is not None and default.value is True:
        return PASS
    encrypted = volume.encrypted
    if encrypted.unknown:
        return Undecided("encryption setting is not known", encrypted.span)
    if encrypted.value is True:
        return PASS
    if not encrypted.explicit and not volume.snapshot_id.unknown and volume.snapshot_id.value:
        return Undecided("a volume made from a snapshot inherits the snapshot's encryption",
                         volume.snapshot_id.span)
    if encrypted.explicit:
        return Fail(f"EBS volume {volume.address} is explicitly not encrypted", encrypted,
                    attribute="encrypted")
    return Fail(f"EBS volume {volume.address} is not encrypted (encryption is off by default)",
                encrypted.span)


RULE = Rule(
    id="DAT003",
    name="EbsVolumeNotEncrypted",
    title="EBS volume is not encrypted at rest",
    severity=Severity.HIGH,
    severity_reason="Unencrypted volumes and their snapshots expose data to anyone who can copy or share them.",
    domain=Domain.DATA_PROTECTION,
    view=Volume,
    check=check,
    resource_types=("aws_ebs_volume", "AWS::EC2::Volume"),
    rationale=(
        "Encrypting data at rest is the customer's duty. EBS volumes are not encrypted unless "
        "the volume asks for it or the account turns on encryption by default "
        "(aws_ebs_encryption_by_default), which this rule honours when it is in the scanned code. "
        "Encryption also covers the volume's snapshots and the data moving to the instance."
    ),
    remediation="Set encrypted to true (optionally with a customer-managed KMS key).",
    terraform_fix="""\
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
}""",
    cloudformation_fix="""\
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: true""",
    references=(
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.2.1",
    ),
    security_severity=7.0,
    tags=("ebs", "encryption"),
)
