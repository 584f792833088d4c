"""AWS::RDS::DBInstance -> DatabaseInstance; instances and AWS::RDS::DBCluster -> DatabaseStorage."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field
from scanner.adapters.storage import aurora_always_encrypted, aurora_instance
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.views import ViewSet
from scanner.views.rds import DatabaseInstance, DatabaseStorage

DB_INSTANCE = "AWS::RDS::DBInstance"
DB_CLUSTER = "AWS::RDS::DBCluster"
# Set any of these and the instance's storage encryption comes from elsewhere: the
# Aurora cluster, or the source instance, snapshot or cluster it is created from.
_INHERITED_FROM = (
    "DBClusterIdentifier",
    "SourceDBInstanceIdentifier",
    "DBSnapshotIdentifier",
    "SourceDBClusterIdentifier",
)
# Likewise for a cluster: a snapshot, a point-in-time restore, a replica, a global database.
_CLUSTER_SOURCES = (
    "SnapshotIdentifier",
    "SourceDBClusterIdentifier",
    "ReplicationSourceIdentifier",
    "GlobalClusterIdentifier",
)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for db in resources(graph, DB_INSTANCE):
        engine = str_field(prop(db, "Engine"), "", db.span)
        inherited = any(
            (node := prop(db, key)) is not None and node.value not in (None, "")
            for key in _INHERITED_FROM
        ) or (isinstance(engine.value, str) and engine.value.lower().startswith("aurora"))
        encrypted = bool_field(prop(db, "StorageEncrypted"), False, db.span)
        views.add(DatabaseInstance(
            resource=db,
            engine=engine,
            storage_encrypted=encrypted,
            publicly_accessible=bool_field(prop(db, "PubliclyAccessible"), False, db.span),
            encryption_inherited=inherited,
        ))
        views.add(DatabaseStorage(
            resource=db, kind="instance", engine=engine, storage_encrypted=encrypted,
            encryption_inherited=inherited, always_encrypted=aurora_instance(engine),
        ))
    for cluster in resources(graph, DB_CLUSTER):
        views.add(_cluster(cluster))


def _cluster(res: Resource) -> DatabaseStorage:
    engine = str_field(prop(res, "Engine"), "", res.span)
    mode = str_field(prop(res, "EngineMode"), "provisioned", res.span)
    inherited = any(
        (node := prop(res, key)) is not None and node.value not in (None, "")
        for key in _CLUSTER_SOURCES
    )
    return DatabaseStorage(
        resource=res, kind="cluster", engine=engine,
        storage_encrypted=bool_field(prop(res, "StorageEncrypted"), False, res.span),
        encryption_inherited=inherited,
        always_encrypted=aurora_always_encrypted(engine, mode),
    )
