"""CloudFormation resources into lifecycle views: automatic upgrades, runtimes, versions, scanning."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, int_field, prop, resources, str_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown
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

PROP = "AutoMinorVersionUpgrade"
# type -> (what it is, default of AutoMinorVersionUpgrade)
MINOR_UPGRADE_TYPES = {
    "AWS::RDS::DBInstance": ("RDS DB instance", True),
    "AWS::RDS::DBCluster": ("RDS DB cluster", True),
    "AWS::ElastiCache::ReplicationGroup": ("ElastiCache replication group", True),
    "AWS::ElastiCache::CacheCluster": ("ElastiCache cluster", True),
    "AWS::MemoryDB::Cluster": ("MemoryDB cluster", True),
    "AWS::Neptune::DBInstance": ("Neptune instance", True),
    "AWS::AmazonMQ::Broker": ("Amazon MQ broker", False),
}
OPENSEARCH = "AWS::OpenSearchService::Domain"


FUNCTION = "AWS::Lambda::Function"
SAM_FUNCTION = "AWS::Serverless::Function"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    _automatic_upgrades(graph, views)
    _functions(graph, views)
    _clusters(graph, views)
    _repositories(graph, views)
    _backups(graph, views)
    _log_groups(graph, views)
    _deletion_protection(graph, views)


def _literal(res: Resource, key: str) -> str | None:
    """A string property: "" when absent, None when not known statically."""
    node = prop(res, key)
    if node is None or node.value is None:
        return ""
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return str(node.value)
    return node.value if isinstance(node.value, str) else None


def _automatic_upgrades(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *MINOR_UPGRADE_TYPES):
        service, default = MINOR_UPGRADE_TYPES[res.type]
        enabled = bool_field(prop(res, PROP), default, res.span)
        if res.type == "AWS::AmazonMQ::Broker" and enabled.value is not True and (
                _literal(res, "EngineType") is None or _literal(res, "EngineVersion") is None):
            # Whether AWS manages this broker's patches depends on the engine version.
            node = prop(res, "EngineVersion") or prop(res, "EngineType")
            enabled = Field(Unknown("the broker's engine version is not known"),
                            node.span if node is not None else res.span.head(), Origin.EXPLICIT)
        views.add(AutomaticUpgrades(resource=res, service=service, attribute=PROP,
                                    enabled=enabled, not_applicable=_not_applicable(res)))
    for res in resources(graph, OPENSEARCH):
        views.add(AutomaticUpgrades(
            resource=res, service="OpenSearch domain",
            attribute="SoftwareUpdateOptions.AutoSoftwareUpdateEnabled",
            enabled=bool_field(prop(res, "SoftwareUpdateOptions", "AutoSoftwareUpdateEnabled"),
                               False, res.span),
        ))


def _not_applicable(res: Resource) -> str:
    engine = (_literal(res, "Engine") or "").lower()
    if res.type == "AWS::RDS::DBInstance" and engine.startswith("custom-"):
        return "RDS Custom instances must turn automatic minor version upgrades off"
    if res.type == "AWS::ElastiCache::CacheCluster" and engine == "memcached":
        return "Memcached clusters do not take automatic minor version upgrades"
    if res.type == "AWS::AmazonMQ::Broker":
        engine_type, version = _literal(res, "EngineType"), _literal(res, "EngineVersion")
        if engine_type is not None and version is not None and mq_patches_managed(engine_type, version):
            return f"Amazon MQ manages patch upgrades of {engine_type} {version or '(latest)'} brokers"
    return ""


def _functions(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, FUNCTION, SAM_FUNCTION):
        package = str_field(prop(res, "PackageType"), "Zip", res.span)
        if package.value == "Image":  # a container image brings its own runtime
            runtime: Field[str] = Field.default("", res.span)
        else:
            runtime = str_field(prop(res, "Runtime"), "", res.span)
        # A SAM function without Runtime may take it from the template's Globals.
        views.add(FunctionRuntime(resource=res, runtime=runtime,
                                  runtime_may_be_global=res.type == SAM_FUNCTION))


def _clusters(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::EKS::Cluster"):
        views.add(KubernetesCluster(resource=res, version=str_field(prop(res, "Version"), "", res.span)))


SCANNING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")
# A repository's image tags can be overwritten unless it says otherwise.
DEFAULT_TAG_MUTABILITY = "MUTABLE"


def _repositories(graph: ResourceGraph, views: ViewSet) -> None:
    registries = resources(graph, "AWS::ECR::RegistryScanningConfiguration")
    for res in resources(graph, "AWS::ECR::Repository"):
        same = [r for r in registries if r.scope == res.scope]
        views.add(ImageRepository(
            resource=res,
            scan_on_push=bool_field(prop(res, "ImageScanningConfiguration", "ScanOnPush"), False,
                                    res.span),
            registry_scanning=_registry_covers(same[0], _literal(res, "RepositoryName"))
            if same else None,
            tag_mutability=str_field(prop(res, "ImageTagMutability"), DEFAULT_TAG_MUTABILITY,
                                     res.span),
        ))


def _registry_covers(registry: Resource, name: str | None) -> Field[bool]:
    """Whether the registry's scanning rules scan this repository on push (or continuously)."""
    rules = prop(registry, "Rules")
    if rules is not None and rules.unknown:
        return Field(Unknown("the registry scanning rules are not known"), rules.span, Origin.EXPLICIT)
    unknown: Field[bool] | None = None
    for rule in rules.elements() if rules is not None else []:
        frequency = rule.get("ScanFrequency") if isinstance(rule.value, dict) else None
        if frequency is None or not isinstance(frequency.value, str):
            unknown = Field(Unknown("a scan frequency is not known"), rule.span, Origin.EXPLICIT)
            continue
        if frequency.value not in SCANNING_FREQUENCIES:
            continue
        filters = rule.get("RepositoryFilters")
        for item in filters.elements() if filters is not None else []:
            pattern = item.get("Filter") if isinstance(item.value, dict) else None
            if pattern is None or not isinstance(pattern.value, str):
                unknown = Field(Unknown("a repository filter is not known"), item.span, Origin.EXPLICIT)
            elif pattern.value == "*" or (name and wildcard_match(pattern.value, name)):
                return Field(True, frequency.span, Origin.EXPLICIT, frequency.provenance)
            elif not name:
                unknown = Field(Unknown("the repository's name is not known"), item.span, Origin.EXPLICIT)
    return unknown or Field(False, registry.span.head(), Origin.EXPLICIT)


# type -> (what it is, retention property, default days when the property is omitted)
BACKUP_TYPES = {
    "AWS::RDS::DBInstance": ("RDS DB instance", "BackupRetentionPeriod", 1),
    "AWS::RDS::DBCluster": ("RDS DB cluster", "BackupRetentionPeriod", 1),
    "AWS::DocDB::DBCluster": ("DocumentDB cluster", "BackupRetentionPeriod", 1),
    "AWS::Neptune::DBCluster": ("Neptune cluster", "BackupRetentionPeriod", 1),
    "AWS::ElastiCache::ReplicationGroup": ("ElastiCache replication group", "SnapshotRetentionLimit", 0),
    "AWS::ElastiCache::CacheCluster": ("ElastiCache cluster", "SnapshotRetentionLimit", 0),
}


def _backups(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *BACKUP_TYPES):
        service, attribute, default = BACKUP_TYPES[res.type]
        views.add(BackupRetention(
            resource=res, service=service, attribute=attribute,
            days=int_field(prop(res, attribute), default, res.span),
            not_applicable=_backup_elsewhere(res),
        ))


def _set(res: Resource, key: str) -> bool:
    node = prop(res, key)
    return node is not None and node.value not in (None, "")


def _backup_elsewhere(res: Resource) -> str:
    engine = (_literal(res, "Engine") or "").lower()
    if res.type == "AWS::RDS::DBInstance":
        if engine.startswith("aurora") or _set(res, "DBClusterIdentifier"):
            return "an Aurora instance's backups are its cluster's"
        if (_set(res, "SourceDBInstanceIdentifier") or _set(res, "SourceDBClusterIdentifier")) \
                and not _set(res, "BackupRetentionPeriod"):
            return "a read replica without its own retention setting is judged through its source"
    if res.type == "AWS::ElastiCache::CacheCluster" and engine == "memcached":
        return "Memcached clusters have no backups"
    return ""


def _log_groups(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::Logs::LogGroup"):
        views.add(LogGroupRetention(resource=res,
                                    days=int_field(prop(res, "RetentionInDays"), 0, res.span)))


# type -> (what it is, property); every one defaults to off
DELETION_PROTECTION_TYPES = {
    "AWS::RDS::DBInstance": ("RDS DB instance", "DeletionProtection"),
    "AWS::RDS::DBCluster": ("RDS DB cluster", "DeletionProtection"),
    "AWS::DocDB::DBCluster": ("DocumentDB cluster", "DeletionProtection"),
    "AWS::Neptune::DBCluster": ("Neptune cluster", "DeletionProtection"),
    "AWS::DynamoDB::Table": ("DynamoDB table", "DeletionProtectionEnabled"),
}


def _deletion_protection(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *DELETION_PROTECTION_TYPES):
        service, attribute = DELETION_PROTECTION_TYPES[res.type]
        engine = (_literal(res, "Engine") or "").lower()
        aurora = res.type == "AWS::RDS::DBInstance" and (
            engine.startswith("aurora") or _set(res, "DBClusterIdentifier"))
        views.add(DeletionProtection(
            resource=res, service=service, attribute=attribute,
            enabled=bool_field(prop(res, attribute), False, res.span),
            not_applicable="an Aurora instance is protected through its cluster" if aurora else "",
        ))
