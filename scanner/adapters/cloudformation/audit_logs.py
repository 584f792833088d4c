"""Redshift clusters and Serverless namespaces, and DocumentDB clusters, into audit log views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources, str_field, unknown_field
from scanner.adapters.log_exports import exports, log_types
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.audit_logs import DocumentDbAuditLogs, WarehouseAuditLogging, audit_logs_parameter_on

DOCDB_GROUP = "AWS::DocDB::DBClusterParameterGroup"
GROUP_PROPERTY = "DBClusterParameterGroupName"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::Redshift::Cluster"):
        views.add(_cluster(res))
    for res in resources(graph, "AWS::RedshiftServerless::Namespace"):
        exported = log_types(prop(res, "LogExports"), res.span)
        views.add(WarehouseAuditLogging(
            res, service="Redshift Serverless namespace", attribute="LogExports",
            enabled=exported if exported.unknown else
            Field(bool(exported.value), exported.span, exported.origin, exported.provenance),
            log_types=exported, log_types_attribute="LogExports",
        ))
    groups = resources(graph, DOCDB_GROUP)
    for res in resources(graph, "AWS::DocDB::DBCluster"):
        parameter, group = _parameter(graph, res, groups)
        views.add(DocumentDbAuditLogs(
            res,
            exported=exports(prop(res, "EnableCloudwatchLogsExports"), "audit", res.span),
            parameter=parameter, parameter_group=group, parameter_attribute=GROUP_PROPERTY,
        ))


def _cluster(res: Resource) -> WarehouseAuditLogging:
    """LoggingProperties turns audit logging on with a bucket (S3) or LogDestinationType cloudwatch."""
    view = WarehouseAuditLogging(res, service="Redshift cluster", attribute="LoggingProperties",
                                 enabled=Field.default(False, res.span),
                                 log_types_attribute="LoggingProperties.LogExports")
    logging = prop(res, "LoggingProperties")
    if logging is None or logging.value is None:
        return view
    if logging.unknown or not isinstance(logging.value, dict):
        view.enabled = unknown_field(logging.value if logging.unknown else "LoggingProperties is not a mapping",
                                     logging)
        return view
    destination = str_field(logging.get("LogDestinationType"), "s3", logging.span)
    if destination.unknown:
        view.enabled = Field(destination.value, destination.span, Origin.EXPLICIT, destination.provenance)
    elif str(destination.value).lower() == "cloudwatch":
        view.enabled = Field(True, destination.span, Origin.EXPLICIT, destination.provenance)
        listed = logging.get("LogExports")
        if listed is not None and listed.value is not None:
            view.log_types = log_types(listed, logging.span)
    else:
        bucket = logging.get("BucketName")
        if bucket is not None and bucket.value not in (None, ""):
            view.enabled = Field(True, bucket.span, Origin.EXPLICIT, bucket.provenance)
        else:
            view.enabled = Field(False, logging.span.head(), Origin.EXPLICIT, logging.provenance)
            view.off_reason = "names no BucketName for its S3 destination, so nothing is logged"
    return view


def _parameter(graph: ResourceGraph, res: Resource,
               groups: list[Resource]) -> tuple[Field[bool] | None, str]:
    """Whether the cluster's parameter group turns audit_logs on, and which group that is."""
    node = prop(res, GROUP_PROPERTY)
    if node is None or node.value in (None, ""):
        return Field.default(False, res.span), "the default cluster parameter group"
    targets = [t for t in graph.targets(res, GROUP_PROPERTY) if t.type == DOCDB_GROUP]
    if not targets and isinstance(node.value, str):
        if node.value.startswith("default."):
            # A default group keeps audit_logs disabled: AWS does not let it be changed.
            return Field(False, node.span, Origin.DEFAULT, node.provenance), node.value
        targets = [g for g in groups if g.scope == res.scope and _name(g) == node.value]
    if len(targets) != 1:
        return None, ""  # not in the template (or not one group): not judged
    return _audit_logs(targets[0]), targets[0].address


def _name(group: Resource) -> str | None:
    node = prop(group, "Name")
    return node.value if node is not None and isinstance(node.value, str) else None


def _audit_logs(group: Resource) -> Field[bool]:
    params = prop(group, "Parameters")
    if params is None or params.value is None:
        return Field.default(False, group.span)
    if params.unknown or not isinstance(params.value, dict):
        return unknown_field(params.value if params.unknown else "Parameters is not a mapping", params)
    value = params.get("audit_logs")
    if value is None or value.value is None:
        return Field.default(False, group.span)
    if not isinstance(value.value, str):
        return unknown_field(value.value if value.unknown else Unknown("audit_logs is not a string"), value)
    return Field(audit_logs_parameter_on(value.value), value.span, Origin.EXPLICIT, value.provenance)
