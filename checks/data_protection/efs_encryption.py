from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import FileSystem


def check(fs: FileSystem) -> Outcome:
    encrypted = fs.encrypted
    if encrypted.unknown:
        return Undecided("whether the file system is encrypted is not known", encrypted.span)
    if encrypted.value is True:
        return PASS
    if encrypted.explicit:
        return Fail(f"EFS file system {fs.address} is explicitly not encrypted", encrypted,
                    attribute="encrypted")
    return Fail(f"EFS file system {fs.address} is not encrypted at rest (off by default outside the console)",
                encrypted.span)


RULE = Rule(
    id="DAT011",
    name="EfsFileSystemNotEncrypted",
    title="EFS file system is not encrypted at rest",
    severity=Severity.HIGH,
    severity_reason="File data and metadata are stored unencrypted, and encryption cannot be added "
                    "later without copying everything to a new file system.",
    domain=Domain.DATA_PROTECTION,
    view=FileSystem,
    check=check,
    resource_types=("aws_efs_file_system", "AWS::EFS::FileSystem"),
    rationale=(
        "Encrypting data at rest is the customer's duty. The EFS console encrypts new file "
        "systems by default, but the API, the AWS CLI, CloudFormation and Terraform do not: "
        "encrypted (Encrypted) defaults to false there, and it can only be chosen when the "
        "file system is created. The customer must set it to true, optionally with a customer "
        "managed KMS key."
    ),
    remediation="Set encrypted (Encrypted) to true when the file system is created.",
    terraform_fix="""\
resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
}""",
    cloudformation_fix="""\
SharedFileSystem:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true""",
    references=(
        "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.4.1",
    ),
    security_severity=7.0,
    tags=("efs", "encryption"),
)
