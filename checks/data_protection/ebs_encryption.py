from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.ec2 import Volume


def check(volume: Volume) -> Outcome:
    default = volume.default_encryption
    if default is not None and default.value is True:
        return PASS
    encrypted = volume.encrypted
    if encrypted.unknown:
        return Undecided(f"encryption setting is not known: {encrypted.value.reason}", encrypted.span)
    if encrypted.value is True:
        return PASS
    if not encrypted.explicit and not volume.snapshot_id.unknown and volume.snapshot_id.value:
        return Undecided("a volume made from a snapshot inherits the snapshot's encryption",
                         volume.snapshot_id.span)
    if not encrypted.explicit and volume.from_image:
        return Undecided("the root volume (or a device the AMI maps) is restored from the AMI's "
                         "snapshot: unless encrypted is set, it is encrypted only if that snapshot "
                         "is or EBS encryption by default is on", encrypted.span)
    what = f"EBS volume {volume.device} of {volume.address}" if volume.device else f"EBS volume {volume.address}"
    if encrypted.explicit:
        return Fail(f"{what} is explicitly not encrypted", encrypted,
                    attribute=f"{volume.device}.encrypted" if volume.device else "encrypted")
    return Fail(f"{what} is not encrypted (encryption is off by default)", encrypted.span,
                attribute=volume.device)


RULE = Rule(
    id="DAT003",
    name="EbsVolumeNotEncrypted",
    title="EBS volume is not encrypted at rest",
    severity=Severity.HIGH,
    severity_reason="Unencrypted volumes and their snapshots expose data to anyone who can copy or share them.",
    domain=Domain.DATA_PROTECTION,
    view=Volume,
    check=check,
    resource_types=(
        "aws_ebs_volume", "aws_instance", "aws_launch_template", "aws_launch_configuration",
        "AWS::EC2::Volume", "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate",
        "AWS::AutoScaling::LaunchConfiguration",
    ),
    rationale=(
        "Encrypting data at rest is the customer's duty. EBS volumes are not encrypted unless "
        "the volume asks for it or the account turns on encryption by default "
        "(aws_ebs_encryption_by_default), which this rule honours when it is in the scanned code. "
        "Encryption also covers the volume's snapshots and the data moving to the instance. "
        "The same holds for the volumes EC2 creates at launch from the block device mappings "
        "of an instance, a launch template or a launch configuration (root_block_device, "
        "ebs_block_device, block_device_mappings, BlockDeviceMappings): an EBS mapping set to "
        "encrypted = false is reported on that line, and a mapping without the setting that "
        "creates a new, blank volume (no snapshot, not the root device) is reported on the "
        "mapping. A volume made from a snapshot takes the snapshot's encryption, and the root "
        "volume is restored from the AMI's snapshot: unless the mapping sets encrypted, it is "
        "encrypted only if that snapshot is or encryption by default is on, which the code does "
        "not show, so an instance without a root block device (or one that leaves encrypted "
        "out) is undecided, not reported. Launch templates and CloudFormation mappings do not "
        "say which device is the root: a mapping of a usual root device name (/dev/xvda, "
        "/dev/sda1) or of a name not known is treated as possibly the root."
    ),
    remediation=(
        "Set encrypted to true (optionally with a customer-managed KMS key) on the volume and on "
        "every EBS block device mapping, the root device included, or turn on EBS encryption by "
        "default for the account and region."
    ),
    terraform_fix="""\
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
}

resource "aws_instance" "web" {
  ami           = data.aws_ami.base.id
  instance_type = "t3.micro"

  root_block_device {
    encrypted = true
  }
}""",
    cloudformation_fix="""\
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: true

WebServer:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref ImageId
    InstanceType: t3.micro
    BlockDeviceMappings:
      - DeviceName: /dev/xvda
        Ebs:
          Encrypted: true""",
    references=(
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AMIEncryption.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.2.1",
    ),
    security_severity=7.0,
    tags=("ebs", "ec2", "encryption"),
)
