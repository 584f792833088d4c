from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import Warehouse


def check(cluster: Warehouse) -> Outcome:
    encrypted = cluster.encrypted
    if encrypted.unknown:
        return Undecided("whether the cluster is encrypted is not known", encrypted.span)
    if encrypted.value is True:
        return PASS  # written, or today's default
    snapshot = cluster.snapshot
    if snapshot.unknown or snapshot.value:
        return Undecided("a cluster restored from a snapshot takes the snapshot's encryption", snapshot.span)
    return Fail(f"Redshift cluster {cluster.address} explicitly turns encryption at rest off", encrypted,
                attribute="encrypted")


RULE = Rule(
    id="DAT012",
    name="RedshiftClusterNotEncrypted",
    title="Redshift cluster turns encryption at rest off",
    severity=Severity.HIGH,
    severity_reason="The warehouse's tables, system metadata and snapshots are stored unencrypted.",
    domain=Domain.DATA_PROTECTION,
    view=Warehouse,
    check=check,
    resource_types=("aws_redshift_cluster", "AWS::Redshift::Cluster"),
    rationale=(
        "Encrypting data at rest is the customer's duty. Since January 2025 Amazon Redshift "
        "encrypts new provisioned clusters by default (with an AWS owned key when no KMS key "
        "is given), and version 6 of the Terraform AWS provider defaults encrypted to true, so "
        "a cluster that leaves encrypted (Encrypted) out passes: older scanners that require "
        "the attribute predate that change. This rule flags a cluster that sets it to false, "
        "which creates, or later migrates to, an unencrypted cluster. A cluster restored from "
        "a snapshot takes the snapshot's encryption and is not judged. The customer must keep "
        "encryption on, with a customer managed KMS key where it needs control over access "
        "to the data."
    ),
    remediation="Remove encrypted = false (Encrypted: false), or set it to true with a KMS key.",
    terraform_fix="""\
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  manage_master_password = true
  master_username        = "admin"
  encrypted              = true
  kms_key_id             = aws_kms_key.redshift.arn
}""",
    cloudformation_fix="""\
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    ClusterType: multi-node
    NodeType: ra3.xlplus
    NumberOfNodes: 2
    DBName: analytics
    MasterUsername: admin
    ManageMasterPassword: true
    Encrypted: true
    KmsKeyId: !Ref RedshiftKey""",
    references=(
        "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
        "https://docs.aws.amazon.com/redshift/latest/mgmt/changing-cluster-encryption.html",
    ),
    security_severity=7.0,
    tags=("redshift", "encryption"),
)
