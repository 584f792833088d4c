"""AWS::RDS::DBInstance -> DatabaseInstance."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field
from scanner.graph import ResourceGraph
from scanner.views import ViewSet
from scanner.views.rds import DatabaseInstance

DB_INSTANCE = "AWS::RDS::DBInstance"
# Set any of these and the instance's storage encryption comes from elsewhere: the
# Aurora cluster, or the source instance, snapshot or cluster it is created from.
_INHERITED_FROM = (
    "DBClusterIdentifier",
    "SourceDBInstanceIdentifier",
    "DBSnapshotIdentifier",
    "SourceDBClusterIdentifier",
)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for db in resources(graph, DB_INSTANCE):
        engine = str_field(prop(db, "Engine"), "", db.span)
        inherited = any(
            (node := prop(db, key)) is not None and node.value not in (None, "")
            for key in _INHERITED_FROM
        ) or (isinstance(engine.value, str) and engine.value.lower().startswith("aurora"))
        views.add(DatabaseInstance(
            resource=db,
            engine=engine,
            storage_encrypted=bool_field(prop(db, "StorageEncrypted"), False, db.span),
            publicly_accessible=bool_field(prop(db, "PubliclyAccessible"), False, db.span),
            encryption_inherited=inherited,
        ))
