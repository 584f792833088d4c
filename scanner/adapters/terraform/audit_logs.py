"""Redshift clusters and Serverless namespaces, and DocumentDB clusters, into audit log views."""

from __future__ import annotations

from scanner.adapters.log_exports import exports, log_types
from scanner.adapters.terraform.common import Attachments, block, field, name_of, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.audit_logs import DocumentDbAuditLogs, WarehouseAuditLogging, audit_logs_parameter_on

REDSHIFT_LOGGING = "aws_redshift_logging"
DOCDB_GROUP = "aws_docdb_cluster_parameter_group"
GROUP_ATTRIBUTE = "db_cluster_parameter_group_name"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    loggings = Attachments(graph, [REDSHIFT_LOGGING], "cluster_identifier")
    for res in terraform_resources(graph, "aws_redshift_cluster"):
        views.add(_cluster(res, loggings))
    for res in terraform_resources(graph, "aws_redshiftserverless_namespace"):
        exported = log_types(res.body.get("log_exports"), res.span)
        views.add(WarehouseAuditLogging(
            res, service="Redshift Serverless namespace", attribute="log_exports",
            enabled=exported if exported.unknown else
            Field(bool(exported.value), exported.span, exported.origin, exported.provenance),
            log_types=exported,
        ))
    groups = terraform_resources(graph, DOCDB_GROUP)
    for res in terraform_resources(graph, "aws_docdb_cluster"):
        parameter, group = _parameter(graph, res, groups)
        views.add(DocumentDbAuditLogs(
            res,
            exported=exports(res.body.get("enabled_cloudwatch_logs_exports"), "audit", res.span),
            parameter=parameter, parameter_group=group, parameter_attribute=GROUP_ATTRIBUTE,
        ))


def _cluster(res: Resource, loggings: Attachments) -> WarehouseAuditLogging:
    """Audit logging from an aws_redshift_logging resource (AWS provider 6) or the `logging` block."""
    found, unresolved = loggings.of(res, name_of(res, "cluster_identifier"))
    view = WarehouseAuditLogging(res, service="Redshift cluster", attribute="logging.enable",
                                 enabled=Field.default(False, res.span))
    if found:
        logging = found[0]
        view.enabled = Field(True, logging.span.head())
        view.log_types = _chosen_types(logging.body, logging.span)
        return view
    whole = res.body.get("logging")
    inner = block(res.body, "logging")
    if whole is not None and whole.unknown:
        view.enabled = Field(whole.value, whole.span, Origin.EXPLICIT, whole.provenance)
    elif inner is not None and inner.unknown:
        view.enabled = Field(inner.value, inner.span, Origin.EXPLICIT, inner.provenance)
    elif inner is not None and inner.value is not None:
        view.enabled = field(inner, "enable", False, inner.span, to_bool)
        if view.enabled.value is True:
            view.log_types = _chosen_types(inner, inner.span)
    if view.enabled.value is not True and unresolved:
        view.enabled = Field(Unknown("an aws_redshift_logging in this module names a cluster that is not known"),
                             res.span.head())
    return view


def _chosen_types(body: Node, span: Span) -> Field[list[str]] | None:
    """The exported log types when the destination is CloudWatch Logs and lists them."""
    destination = field(body, "log_destination_type", "s3", span, to_str)
    if destination.unknown:
        return Field(destination.value, destination.span, Origin.EXPLICIT, destination.provenance)
    exported = body.get("log_exports")
    if str(destination.value).lower() != "cloudwatch" or exported is None or exported.value is None:
        return None
    return log_types(exported, span)


def _parameter(graph: ResourceGraph, res: Resource,
               groups: list[Resource]) -> tuple[Field[bool] | None, str]:
    """Whether the cluster's parameter group turns audit_logs on, and which group that is."""
    node = res.body.get(GROUP_ATTRIBUTE)
    if node is None or node.value is None or node.value == "":
        return Field.default(False, res.span), "the default cluster parameter group"
    targets = [t for t in graph.targets(res, GROUP_ATTRIBUTE) if t.type == DOCDB_GROUP]
    if not targets and isinstance(node.value, str):
        if node.value.startswith("default."):
            # A default group keeps audit_logs disabled: AWS does not let it be changed.
            return Field(False, node.span, Origin.DEFAULT, node.provenance), node.value
        targets = [g for g in groups if g.scope == res.scope and name_of(g, "name") == node.value]
    if len(targets) != 1:
        return None, ""  # not in the scanned code (or not one group): not judged
    return _audit_logs(targets[0]), targets[0].address


def _audit_logs(group: Resource) -> Field[bool]:
    params = group.body.get("parameter")
    if params is not None and params.unknown:
        return Field(params.value, params.span, Origin.EXPLICIT, params.provenance)
    found: Field[bool] | None = None
    for item in params.elements() if params is not None else []:
        name = item.get("name") if isinstance(item.value, dict) else None
        if name is None or not isinstance(name.value, str):
            found = found or Field(Unknown("a parameter of the group is not known"), item.span)
            continue
        if name.value.strip().lower() != "audit_logs":
            continue
        value = Field.from_node(item.get("value"), "", item.span, to_str)
        if value.unknown:
            return Field(value.value, value.span, Origin.EXPLICIT, value.provenance)
        return Field(audit_logs_parameter_on(str(value.value)), value.span, value.origin, value.provenance)
    return found or Field.default(False, group.span)
