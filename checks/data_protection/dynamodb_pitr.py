from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import Table


def check(table: Table) -> Outcome:
    pitr = table.point_in_time_recovery
    if pitr.unknown:
        return Undecided("whether point-in-time recovery is on is not known", pitr.span)
    if pitr.value is True:
        return PASS
    if pitr.explicit:
        return Fail(f"DynamoDB table {table.address} turns point-in-time recovery off", pitr,
                    attribute="point_in_time_recovery.enabled")
    return Fail(f"DynamoDB table {table.address} has no point-in-time recovery (off by default)",
                pitr.span)


RULE = Rule(
    id="DAT008",
    name="DynamoDbTablePointInTimeRecoveryOff",
    title="DynamoDB table has point-in-time recovery turned off",
    severity=Severity.MEDIUM,
    severity_reason="A faulty deployment, a bad script or ransomware can overwrite or delete items "
                    "with no way back to the state before.",
    domain=Domain.DATA_PROTECTION,
    view=Table,
    check=check,
    resource_types=("aws_dynamodb_table", "AWS::DynamoDB::Table"),
    rationale=(
        "Backing up its data is the customer's duty: AWS keeps DynamoDB available and durable, "
        "but restores only what the customer asked it to keep. Point-in-time recovery keeps "
        "continuous backups for up to 35 days and is off unless the table turns it on "
        "(point_in_time_recovery { enabled = true }, PointInTimeRecoverySpecification). "
        "DynamoDB always encrypts tables at rest, so encryption is not judged here."
    ),
    remediation="Turn on point-in-time recovery for the table.",
    terraform_fix="""\
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}""",
    cloudformation_fix="""\
OrdersTable:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true""",
    references=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
    ),
    security_severity=4.0,
    tags=("dynamodb", "backup"),
)
