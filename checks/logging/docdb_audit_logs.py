from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.audit_logs import DocumentDbAuditLogs


def check(view: DocumentDbAuditLogs) -> Iterator[Outcome]:
    outcomes: list[Outcome] = []
    exported = view.exported
    if exported.unknown:
        outcomes.append(Undecided("whether audit logs are exported is not known", exported.span))
    elif exported.value is not True:
        outcomes.append(Fail(f"DocumentDB cluster {view.address} does not export audit logs to "
                             "CloudWatch Logs (\"audit\" is not among its exported log types)",
                             exported, attribute="audit_export"))
    parameter = view.parameter
    if parameter is not None:
        if parameter.unknown:
            outcomes.append(Undecided(f"audit_logs in {view.parameter_group} is not known",
                                      parameter.span))
        elif parameter.value is not True:
            how = "turned off" if parameter.explicit else "disabled (its default)"
            outcomes.append(Fail(f"DocumentDB cluster {view.address} records no audit events: "
                                 f"audit_logs is {how} in {view.parameter_group}", parameter,
                                 attribute="audit_logs"))
    yield from outcomes or [PASS]


RULE = Rule(
    id="LOG017",
    name="DocumentDbAuditLogsDisabled",
    title="DocumentDB cluster does not export audit logs to CloudWatch Logs",
    severity=Severity.MEDIUM,
    severity_reason="Authentication failures, user and permission changes and dropped collections "
                    "inside the cluster leave no record to investigate an incident with.",
    domain=Domain.LOGGING,
    view=DocumentDbAuditLogs,
    check=check,
    resource_types=(
        "aws_docdb_cluster",
        "aws_docdb_cluster_parameter_group",
        "AWS::DocDB::DBCluster",
        "AWS::DocDB::DBClusterParameterGroup",
    ),
    rationale=(
        "Keeping the logs of the databases it runs is the customer's duty. Amazon DocumentDB "
        "auditing records authentication attempts, user and role management, and DDL events "
        "(and optionally DML reads and writes) inside the cluster; CloudTrail records only the AWS "
        "API calls made on it. Auditing is off by default and needs two settings: the cluster "
        "exports the \"audit\" log type to CloudWatch Logs (enabled_cloudwatch_logs_exports, "
        "EnableCloudwatchLogsExports), and its cluster parameter group sets audit_logs to a value "
        "that records events (enabled, all, ddl, dml_read or dml_write); without the parameter "
        "the export stays empty. Each missing half is reported on its own. A cluster without a "
        "parameter group of its own uses the default group (default.docdb5.0 and the like), "
        "where audit_logs is disabled and cannot be changed, so that is reported too; a "
        "parameter group that is not in the scanned code is not judged."
    ),
    remediation=(
        "Add \"audit\" to the cluster's exported log types and give it a cluster parameter group "
        "that sets audit_logs to enabled (or to the event categories you need)."
    ),
    terraform_fix="""\
resource "aws_docdb_cluster_parameter_group" "audited" {
  name   = "audited-docdb5"
  family = "docdb5.0"

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }
}

resource "aws_docdb_cluster" "orders" {
  # ...
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.audited.name
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
}""",
    cloudformation_fix="""\
AuditedParameters:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Description: DocumentDB with auditing
    Family: docdb5.0
    Parameters:
      audit_logs: enabled
OrdersCluster:
  Type: AWS::DocDB::DBCluster
  Properties:
    # ...
    DBClusterParameterGroupName: !Ref AuditedParameters
    EnableCloudwatchLogsExports: [audit, profiler]""",
    references=(
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html",
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/db-cluster-parameter-group-parameters.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/documentdb-controls.html",
    ),
    security_severity=4.0,
    tags=("documentdb", "logging", "audit"),
)
