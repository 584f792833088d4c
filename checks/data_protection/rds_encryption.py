from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.rds import DatabaseInstance


def check(db: DatabaseInstance) -> Outcome:
    encrypted = db.storage_encrypted
    if encrypted.unknown:
        return Undecided("storage encryption setting is not known", encrypted.span)
    if encrypted.value is True:
        return PASS
    if db.encryption_inherited:
        return Undecided("encryption is inherited from the cluster, replica source or snapshot", db.span)
    if encrypted.explicit:
        return Fail(f"RDS instance {db.address} explicitly disables storage encryption", encrypted,
                    attribute="storage_encrypted")
    return Fail(f"RDS instance {db.address} does not encrypt its storage (off by default)", db.span)


RULE = Rule(
    id="DAT004",
    name="RdsStorageNotEncrypted",
    title="RDS database instance storage is not encrypted",
    severity=Severity.HIGH,
    severity_reason="Database storage, automated backups, replicas and snapshots are all left unencrypted.",
    domain=Domain.DATA_PROTECTION,
    view=DatabaseInstance,
    check=check,
    resource_types=("aws_db_instance", "AWS::RDS::DBInstance"),
    rationale=(
        "Encrypting data at rest is the customer's duty. RDS instances are not encrypted unless "
        "asked for, and encryption cannot be turned on later without a snapshot copy and "
        "restore. Instances in an Aurora cluster, read replicas and snapshot restores take "
        "their encryption from elsewhere and are not judged here."
    ),
    remediation="Set storage_encrypted (StorageEncrypted) to true when the instance is created.",
    terraform_fix="""\
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  storage_encrypted = true
}""",
    cloudformation_fix="""\
Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.micro
    AllocatedStorage: "20"
    StorageEncrypted: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.3.1",
    ),
    security_severity=7.0,
    tags=("rds", "encryption"),
)
