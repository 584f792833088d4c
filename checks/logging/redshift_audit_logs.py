from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.audit_logs import REDSHIFT_SECURITY_LOGS, WarehouseAuditLogging


def check(view: WarehouseAuditLogging) -> Iterator[Outcome]:
    enabled = view.enabled
    if enabled.unknown:
        yield Undecided(f"whether {view.service} {view.address} records audit logs is not known",
                        enabled.span)
        return
    if enabled.value is not True:
        how = view.off_reason or ("turns audit logging off" if enabled.explicit
                                  else "does not record audit logs")
        yield Fail(f"{view.service} {view.address} {how}", enabled, attribute=view.attribute)
        return
    types = view.log_types
    if types is None:
        yield PASS
        return
    if types.unknown:
        yield Undecided("the exported log types are not known", types.span)
        return
    missing = [t for t in REDSHIFT_SECURITY_LOGS if t not in (types.value or [])]
    if missing:
        kinds = " and ".join(missing) + (" log types" if len(missing) > 1 else " log type")
        yield Fail(f"{view.service} {view.address} does not export the {kinds}", types,
                   attribute=view.log_types_attribute)
    else:
        yield PASS


RULE = Rule(
    id="LOG016",
    name="RedshiftAuditLoggingDisabled",
    title="Redshift cluster does not record audit logs",
    severity=Severity.MEDIUM,
    severity_reason="Connections, failed logins and changes to database users leave no record "
                    "outside the warehouse to investigate an incident with.",
    domain=Domain.LOGGING,
    view=WarehouseAuditLogging,
    check=check,
    resource_types=(
        "aws_redshift_cluster",
        "aws_redshiftserverless_namespace",
        "AWS::Redshift::Cluster",
        "AWS::RedshiftServerless::Namespace",
    ),
    rationale=(
        "Keeping the logs of the databases it runs is the customer's duty. Redshift audit logging "
        "records the connection log (authentication attempts, connections, disconnections), the "
        "user log (changes to database users) and the user activity log (each query); CloudTrail "
        "records only the AWS API calls made on the cluster. A provisioned cluster logs nothing "
        "until audit logging is turned on, to an S3 bucket or to CloudWatch Logs. In Terraform "
        "the `logging` block of aws_redshift_cluster did this up to AWS provider 5; provider 6 "
        "removed it in favour of the aws_redshift_logging resource, and either is honoured (the "
        "resource counts when its cluster_identifier refers to the cluster or names the same "
        "identifier). In CloudFormation, LoggingProperties turns it on with a BucketName or "
        "LogDestinationType cloudwatch. A Redshift Serverless namespace sends audit logs only to "
        "CloudWatch Logs, and only the log types listed in log_exports (LogExports), none by "
        "default. Where the log types are listed (CloudWatch Logs, Serverless), the connection "
        "log and the user log must be among them; the user activity log is left to the owner "
        "(it also needs the enable_user_activity_logging parameter and can be large)."
    ),
    remediation=(
        "Turn on audit logging: an aws_redshift_logging resource for the cluster (AWS provider 6; "
        "logging { enable = true } before), LoggingProperties in CloudFormation, or log_exports "
        "(LogExports) with connectionlog and userlog for a Serverless namespace."
    ),
    terraform_fix="""\
resource "aws_redshift_logging" "warehouse" {
  cluster_identifier   = aws_redshift_cluster.warehouse.id
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "userlog", "useractivitylog"]
}

resource "aws_redshiftserverless_namespace" "analytics" {
  namespace_name = "analytics"
  log_exports    = ["connectionlog", "userlog"]
}""",
    cloudformation_fix="""\
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    # ...
    LoggingProperties:
      LogDestinationType: cloudwatch
      LogExports: [connectionlog, userlog, useractivitylog]
AnalyticsNamespace:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    LogExports: [connectionlog, userlog]""",
    references=(
        "https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-redshift-cluster-loggingproperties.html",
        "https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-publish-logs-to-cloudwatch.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html",
    ),
    security_severity=4.0,
    tags=("redshift", "logging", "audit"),
)
