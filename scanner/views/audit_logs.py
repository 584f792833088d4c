"""Audit logs that databases and warehouses record about what happens inside them.

Distinct from CloudTrail, which records the AWS API calls made on these resources: these
logs record connections, authentication and the statements users run.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View

# The Redshift log types that answer "who connected, and who changed which user": the
# connection log and the user log. The user activity log (each query) is for troubleshooting.
REDSHIFT_SECURITY_LOGS = ("connectionlog", "userlog")


@dataclass
class WarehouseAuditLogging(View):
    """A Redshift provisioned cluster's audit logging, or a Redshift Serverless namespace's log exports."""

    service: str  # for messages: "Redshift cluster", "Redshift Serverless namespace"
    attribute: str  # the setting's name in this format, for messages and finding identity
    enabled: Field[bool]  # audit logging is turned on at all
    # The log types exported, when the destination chooses them (CloudWatch Logs, Serverless);
    # None when every log type goes (an S3 destination) or the list is not given.
    log_types: Field[list[str]] | None = None
    log_types_attribute: str = "log_exports"
    off_reason: str = ""  # why logging is off when that is not plain from the setting


@dataclass
class DocumentDbAuditLogs(View):
    """A DocumentDB cluster's audit logs: both the export and the parameter must be on."""

    # "audit" is among the log types the cluster exports to CloudWatch Logs.
    exported: Field[bool]
    # The audit_logs parameter of the cluster's parameter group turns auditing on. None when
    # that parameter group is not in the scanned code (nothing can be said about it).
    parameter: Field[bool] | None
    parameter_group: str  # for messages: the group's address or name, "the default group"
    parameter_attribute: str  # where the cluster names its parameter group, in this format


# DocumentDB's audit_logs cluster parameter: "disabled" (the default) and "none" record nothing;
# "enabled", "all", "ddl", "dml_read" and "dml_write" (alone or comma-separated) record events.
AUDIT_LOGS_OFF = ("disabled", "none", "")


def audit_logs_parameter_on(value: str) -> bool:
    return any(part.strip().lower() not in AUDIT_LOGS_OFF for part in value.split(","))
