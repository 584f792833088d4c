from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.account_settings import EbsEncryptionByDefault


def check(view: EbsEncryptionByDefault) -> Outcome:
    enabled = view.enabled
    if enabled.unknown:
        return Undecided("whether EBS encryption by default is on is not known", enabled.span)
    if enabled.value is True:
        return PASS
    return Fail(f"{view.address} turns EBS encryption by default off for the account and region",
                enabled, attribute="enabled")


RULE = Rule(
    id="DAT020",
    name="EBSEncryptionByDefaultOff",
    title="EBS encryption by default is turned off for the account and region",
    severity=Severity.HIGH,
    severity_reason=(
        "Every volume and snapshot copy created afterwards in that region is unencrypted unless "
        "its own template asks, including those made by other tools and by hand."
    ),
    domain=Domain.DATA_PROTECTION,
    view=EbsEncryptionByDefault,
    check=check,
    resource_types=("aws_ebs_encryption_by_default",),
    rationale=(
        "Encrypting data at rest is the customer's duty, and the CIS benchmark asks for EBS "
        "encryption by default in every region (CIS 2.2.1). The setting belongs to the account "
        "and region: once on, every new EBS volume and snapshot copy there is encrypted, with the "
        "default KMS key unless another is chosen. aws_ebs_encryption_by_default turns it on when "
        "declared (`enabled` defaults to true); `enabled = false` turns it off, which this rule "
        "reports. Removing the resource also turns it off, which no scan of the remaining code "
        "can see. CloudFormation has no resource type for the setting (it is changed through "
        "the EC2 API, the console or Terraform), so this rule covers Terraform only; volumes "
        "without encryption are reported on their own by DAT003."
    ),
    remediation=(
        "Set enabled = true (or leave it out) in aws_ebs_encryption_by_default, in every region "
        "the account uses; where CloudFormation manages the account, turn it on once per region "
        "with `aws ec2 enable-ebs-encryption-by-default`."
    ),
    terraform_fix="""\
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

# Optional: a customer managed key for the encrypted volumes.
resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn
}""",
    cloudformation_fix="""\
# CloudFormation has no resource for EBS encryption by default; turn it on once per
# account and region with the AWS CLI (or a Terraform configuration):
#   aws ec2 enable-ebs-encryption-by-default --region eu-west-1""",
    references=(
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-7",
        "CIS AWS Foundations Benchmark v3.0.0, 2.2.1",
    ),
    security_severity=7.0,
    tags=("ebs", "encryption", "cis"),
)
