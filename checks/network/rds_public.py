from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.rds import DatabaseInstance


def check(db: DatabaseInstance) -> Outcome:
    public = db.publicly_accessible
    if public.unknown:
        return Undecided("publicly accessible setting is not known", public.span)
    if public.value is True:
        return Fail(f"RDS instance {db.address} is publicly accessible", public,
                    attribute="publicly_accessible")
    return PASS


RULE = Rule(
    id="NET002",
    name="RdsInstancePubliclyAccessible",
    title="RDS database instance is publicly accessible",
    severity=Severity.CRITICAL,
    severity_reason="A database reachable from the internet is exposed to credential attacks and engine exploits.",
    domain=Domain.NETWORK,
    view=DatabaseInstance,
    check=check,
    resource_types=("aws_db_instance", "aws_rds_cluster_instance", "AWS::RDS::DBInstance"),
    rationale=(
        "Network exposure is the customer's choice and duty. A publicly accessible instance "
        "gets a public DNS name and address; only security groups stand between it and the "
        "internet. Databases belong in private subnets, reached through the application or a "
        "bastion."
    ),
    remediation="Set publicly_accessible (PubliclyAccessible) to false and place the instance in private subnets.",
    terraform_fix="""\
resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = false
}""",
    cloudformation_fix="""\
Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.micro
    PubliclyAccessible: false""",
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        "CIS AWS Foundations Benchmark v3.0.0, 2.3.3",
    ),
    security_severity=9.1,
    tags=("rds", "internet-exposure"),
)
