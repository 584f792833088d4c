"""Terraform resources into lifecycle views: automatic upgrades, runtimes, versions, scanning."""

from __future__ import annotations

from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown, to_bool, to_int, to_str
from scanner.views import ViewSet
from scanner.views.lifecycle import (
    AutomaticUpgrades,
    BackupRetention,
    DeletionProtection,
    FunctionRuntime,
    ImageRepository,
    KubernetesCluster,
    LogGroupRetention,
    mq_patches_managed,
    wildcard_match,
)

ATTR = "auto_minor_version_upgrade"
# type -> (what it is, default of auto_minor_version_upgrade)
MINOR_UPGRADE_TYPES = {
    "aws_db_instance": ("RDS DB instance", True),
    "aws_rds_cluster_instance": ("RDS cluster instance", True),
    "aws_rds_cluster": ("RDS DB cluster", True),
    "aws_elasticache_replication_group": ("ElastiCache replication group", True),
    "aws_elasticache_cluster": ("ElastiCache cluster", True),
    "aws_memorydb_cluster": ("MemoryDB cluster", True),
    "aws_neptune_cluster_instance": ("Neptune instance", True),
    "aws_mq_broker": ("Amazon MQ broker", False),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    _automatic_upgrades(graph, views)
    _functions(graph, views)
    _clusters(graph, views)
    _repositories(graph, views)
    _backups(graph, views)
    _log_groups(graph, views)
    _deletion_protection(graph, views)


def _literal(res: Resource, key: str) -> str | None:
    node = res.body.get(key)
    if node is None or node.value is None:
        return ""
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return str(node.value)
    return node.value if isinstance(node.value, str) else None  # None: not known


def _automatic_upgrades(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *MINOR_UPGRADE_TYPES):
        service, default = MINOR_UPGRADE_TYPES[res.type]
        enabled: Field[bool] = field(res, ATTR, default, res.span, to_bool)
        if res.type == "aws_mq_broker" and enabled.value is not True and (
                _literal(res, "engine_type") is None or _literal(res, "engine_version") is None):
            # Whether AWS manages this broker's patches depends on the engine version.
            node = res.body.get("engine_version") or res.body.get("engine_type")
            enabled = Field(Unknown("the broker's engine version is not known"),
                            node.span if node is not None else res.span.head(), Origin.EXPLICIT)
        views.add(AutomaticUpgrades(resource=res, service=service, attribute=ATTR,
                                    enabled=enabled, not_applicable=_not_applicable(res)))
    for res in terraform_resources(graph, "aws_opensearch_domain"):
        options = block(res.body, "software_update_options")
        views.add(AutomaticUpgrades(
            resource=res, service="OpenSearch domain",
            attribute="software_update_options.auto_software_update_enabled",
            enabled=field(options, "auto_software_update_enabled", False, res.span, to_bool),
        ))


def _not_applicable(res: Resource) -> str:
    engine = (_literal(res, "engine") or "").lower()
    if res.type == "aws_db_instance" and engine.startswith("custom-"):
        return "RDS Custom instances must turn automatic minor version upgrades off"
    if res.type == "aws_elasticache_cluster":
        if engine == "memcached":
            return "Memcached clusters do not take automatic minor version upgrades"
        member_of = res.body.get("replication_group_id")
        if member_of is not None and member_of.value is not None:
            return "a member of a replication group follows the group's setting"
    if res.type == "aws_mq_broker":
        engine_type, version = _literal(res, "engine_type"), _literal(res, "engine_version")
        if engine_type is not None and version is not None and mq_patches_managed(engine_type, version):
            return f"Amazon MQ manages patch upgrades of {engine_type} {version or '(latest)'} brokers"
    return ""


def _functions(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_lambda_function"):
        package = field(res, "package_type", "Zip", res.span, to_str)
        if package.value == "Image":  # a container image brings its own runtime
            runtime: Field[str] = Field.default("", res.span)
        else:
            runtime = field(res, "runtime", "", res.span, to_str)
        views.add(FunctionRuntime(resource=res, runtime=runtime))


def _clusters(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_eks_cluster"):
        views.add(KubernetesCluster(resource=res, version=field(res, "version", "", res.span, to_str)))


SCANNING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")
# A repository's image tags can be overwritten unless it says otherwise.
DEFAULT_TAG_MUTABILITY = "MUTABLE"


def _repositories(graph: ResourceGraph, views: ViewSet) -> None:
    registries = terraform_resources(graph, "aws_ecr_registry_scanning_configuration")
    for res in terraform_resources(graph, "aws_ecr_repository"):
        config = block(res.body, "image_scanning_configuration")
        same = [r for r in registries if r.scope == res.scope]
        views.add(ImageRepository(
            resource=res,
            scan_on_push=field(config, "scan_on_push", False, res.span, to_bool),
            registry_scanning=_registry_covers(same[0], _literal(res, "name")) if same else None,
            tag_mutability=field(res, "image_tag_mutability", DEFAULT_TAG_MUTABILITY, res.span,
                                 to_str),
        ))


def _registry_covers(registry: Resource, name: str | None) -> Field[bool]:
    """Whether the registry's scanning rules scan this repository on push (or continuously)."""
    rules = registry.body.get("rule")
    unknown: Field[bool] | None = None
    for rule in rules.elements() if rules is not None else []:
        if isinstance(rule.value, Unknown):
            unknown = Field(Unknown("a registry scanning rule is not known"), rule.span, Origin.EXPLICIT)
            continue
        frequency = rule.get("scan_frequency")
        if frequency is None or isinstance(frequency.value, Unknown):
            unknown = Field(Unknown("a scan frequency is not known"), rule.span, Origin.EXPLICIT)
            continue
        if frequency.value not in SCANNING_FREQUENCIES:
            continue
        filters = rule.get("repository_filter")
        for item in filters.elements() if filters is not None else []:
            pattern = item.get("filter") if isinstance(item.value, dict) else None
            if pattern is None or not isinstance(pattern.value, str):
                unknown = Field(Unknown("a repository filter is not known"), item.span, Origin.EXPLICIT)
            elif pattern.value == "*" or (name and wildcard_match(pattern.value, name)):
                return Field(True, frequency.span, Origin.EXPLICIT, frequency.provenance)
            elif name is None or name == "":
                unknown = Field(Unknown("the repository's name is not known"), item.span, Origin.EXPLICIT)
    return unknown or Field(False, registry.span.head(), Origin.EXPLICIT)


# type -> (what it is, retention attribute, default days when the attribute is omitted)
BACKUP_TYPES = {
    "aws_db_instance": ("RDS DB instance", "backup_retention_period", 1),
    "aws_rds_cluster": ("RDS DB cluster", "backup_retention_period", 1),
    "aws_docdb_cluster": ("DocumentDB cluster", "backup_retention_period", 1),
    "aws_neptune_cluster": ("Neptune cluster", "backup_retention_period", 1),
    "aws_elasticache_replication_group": ("ElastiCache replication group", "snapshot_retention_limit", 0),
    "aws_elasticache_cluster": ("ElastiCache cluster", "snapshot_retention_limit", 0),
}


def _backups(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *BACKUP_TYPES):
        service, attribute, default = BACKUP_TYPES[res.type]
        views.add(BackupRetention(
            resource=res, service=service, attribute=attribute,
            days=field(res, attribute, default, res.span, to_int),
            not_applicable=_backup_elsewhere(res),
        ))


def _set(res: Resource, key: str) -> bool:
    node = res.body.get(key)
    return node is not None and node.value not in (None, "")


def _backup_elsewhere(res: Resource) -> str:
    engine = (_literal(res, "engine") or "").lower()
    if res.type == "aws_db_instance":
        if engine.startswith("aurora"):
            return "an Aurora instance's backups are its cluster's"
        if _set(res, "replicate_source_db") and not _set(res, "backup_retention_period"):
            return "a read replica without its own retention setting is judged through its source"
    if res.type == "aws_elasticache_cluster":
        if engine == "memcached":
            return "Memcached clusters have no backups"
        if _set(res, "replication_group_id"):
            return "a member of a replication group follows the group's setting"
    return ""


def _log_groups(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_cloudwatch_log_group"):
        views.add(LogGroupRetention(resource=res,
                                    days=field(res, "retention_in_days", 0, res.span, to_int)))


# type -> (what it is, attribute); every one defaults to off
DELETION_PROTECTION_TYPES = {
    "aws_db_instance": ("RDS DB instance", "deletion_protection"),
    "aws_rds_cluster": ("RDS DB cluster", "deletion_protection"),
    "aws_docdb_cluster": ("DocumentDB cluster", "deletion_protection"),
    "aws_neptune_cluster": ("Neptune cluster", "deletion_protection"),
    "aws_dynamodb_table": ("DynamoDB table", "deletion_protection_enabled"),
}


def _deletion_protection(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *DELETION_PROTECTION_TYPES):
        service, attribute = DELETION_PROTECTION_TYPES[res.type]
        engine = (_literal(res, "engine") or "").lower()
        views.add(DeletionProtection(
            resource=res, service=service, attribute=attribute,
            enabled=field(res, attribute, False, res.span, to_bool),
            not_applicable="an Aurora instance is protected through its cluster"
            if res.type == "aws_db_instance" and engine.startswith("aurora") else "",
        ))
