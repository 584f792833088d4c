from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.lifecycle import DeletionProtection


def check(view: DeletionProtection) -> Outcome:
    if view.not_applicable:
        return PASS
    enabled = view.enabled
    if enabled.unknown:
        return Undecided(f"whether {view.attribute} is on is not known", enabled.span)
    if enabled.value is True:
        return PASS
    if enabled.explicit:
        return Fail(f"{view.service} {view.address} can be deleted: {view.attribute} is false",
                    enabled, attribute=view.attribute)
    return Fail(f"{view.service} {view.address} can be deleted: {view.attribute} is off by default",
                view.span, attribute=view.attribute)


RULE = Rule(
    id="CMP003",
    name="DatabaseDeletionProtectionOff",
    title="Database can be deleted because deletion protection is off",
    severity=Severity.MEDIUM,
    severity_reason=(
        "One mistaken call, console click or template change deletes the database, and with it "
        "any data not kept in a final snapshot or backup."
    ),
    domain=Domain.COMPLIANCE,
    view=DeletionProtection,
    check=check,
    resource_types=(
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_dynamodb_table",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::DynamoDB::Table",
    ),
    rationale=(
        "AWS deletes a database when an authorised caller asks; guarding production data "
        "against accidental deletion is the customer's duty. With deletion protection on, RDS, "
        "Aurora, DocumentDB, Neptune and DynamoDB refuse any delete request, from the console, "
        "the API or a stack update, until the setting is turned off first. It is off by default "
        "for all of them. CloudFormation's DeletionPolicy (Snapshot or Retain) only covers "
        "deletions made by the stack itself and does not replace it. Aurora instances are not "
        "judged: their cluster carries the setting."
    ),
    remediation=(
        "Set deletion_protection (DeletionProtection), or deletion_protection_enabled "
        "(DeletionProtectionEnabled) for DynamoDB, to true on production databases."
    ),
    terraform_fix="""\
resource "aws_rds_cluster" "main" {
  cluster_identifier  = "main"
  engine              = "aurora-postgresql"
  deletion_protection = true
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  attribute {
    name = "id"
    type = "S"
  }
}""",
    cloudformation_fix="""\
MainCluster:
  Type: AWS::RDS::DBCluster
  DeletionPolicy: Snapshot
  Properties:
    Engine: aurora-postgresql
    DeletionProtection: true
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    DeletionProtectionEnabled: true
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH""",
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection",
    ),
    security_severity=4.0,
    tags=("rds", "dynamodb", "deletion-protection"),
)
