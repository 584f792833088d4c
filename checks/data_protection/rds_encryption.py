from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.rds import DatabaseStorage


def check(db: DatabaseStorage) -> Outcome:
    what = f"{db.service} instance" if db.kind == "instance" else f"{db.service} cluster"
    encrypted = db.storage_encrypted
    if not encrypted.unknown and encrypted.value is True:
        return PASS
    always = db.always_encrypted
    if not always.unknown and always.value is True:
        return PASS  # Aurora: encrypted by AWS whatever the setting says
    if encrypted.unknown:
        return Undecided("storage encryption setting is not known", encrypted.span)
    if db.encryption_inherited:
        return Undecided("encryption is inherited from the cluster, replica source or snapshot", db.span)
    if always.unknown:
        return Undecided(always.value.reason, always.span)
    if encrypted.explicit:
        return Fail(f"{what} {db.address} explicitly disables storage encryption", encrypted,
                    attribute="storage_encrypted")
    return Fail(f"{what} {db.address} does not encrypt its storage (off by default)", encrypted.span)


RULE = Rule(
    id="DAT004",
    name="DatabaseStorageNotEncrypted",
    title="RDS, Neptune or DocumentDB database storage is not encrypted",
    severity=Severity.HIGH,
    severity_reason="Database storage, automated backups, replicas and snapshots are all left unencrypted.",
    domain=Domain.DATA_PROTECTION,
    view=DatabaseStorage,
    check=check,
    resource_types=(
        "aws_db_instance", "aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster",
        "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Neptune::DBCluster", "AWS::DocDB::DBCluster",
    ),
    rationale=(
        "Encrypting data at rest is the customer's duty. RDS DB instances, and Multi-AZ DB "
        "clusters of the MySQL and PostgreSQL engines, are not encrypted unless asked for "
        "(storage_encrypted, StorageEncrypted), and encryption cannot be turned on later "
        "without a snapshot copy and restore. Aurora is different today: every Aurora cluster "
        "created since 18 February 2026 is encrypted at rest, with an AWS owned key unless a "
        "KMS key is named, whatever StorageEncrypted says (Aurora Serverless v1 always was), so "
        "Aurora clusters pass and older scanners that flag them predate the change; name a "
        "customer managed key where you need control over access to the data. Instances in an "
        "Aurora cluster use the cluster's storage, judged on the cluster; read replicas, and "
        "instances or clusters restored from a snapshot or a point in time, take their "
        "encryption from their source, which is not in the code: they are left undecided "
        "(silent). "
        "Amazon Neptune and Amazon DocumentDB clusters keep their data the same way and have "
        "the same switch, off unless set in the API, CloudFormation and the Terraform provider "
        "(their consoles turn it on): a cluster without it stores its data, backups and "
        "snapshots unencrypted, and Neptune and DocumentDB have had no change like Aurora's."
    ),
    remediation=(
        "Set storage_encrypted (StorageEncrypted) to true when the DB instance or the RDS, "
        "Neptune or DocumentDB cluster is created."
    ),
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
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
        "https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html",
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.3.1",
    ),
    security_severity=7.0,
    tags=("rds", "neptune", "documentdb", "encryption"),
)
