"""AWS::Neptune::DBCluster and AWS::DocDB::DBCluster into DatabaseStorage views (DAT004)."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources
from scanner.graph import ResourceGraph
from scanner.values import Field
from scanner.views import ViewSet
from scanner.views.rds import DatabaseStorage

# type -> (service, engine, the properties that make the cluster take its encryption from a
# source: a snapshot, a point-in-time restore of another cluster, a global cluster)
CLUSTERS = {
    "AWS::Neptune::DBCluster": ("Neptune", "neptune", ("SnapshotIdentifier", "SourceDBClusterIdentifier")),
    "AWS::DocDB::DBCluster": ("DocumentDB", "docdb", (
        "SnapshotIdentifier", "SourceDBClusterIdentifier", "GlobalClusterIdentifier")),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, (service, engine, sources) in CLUSTERS.items():
        for res in resources(graph, kind):
            inherited = any((node := prop(res, k)) is not None and node.value not in (None, "")
                            for k in sources)
            views.add(DatabaseStorage(
                resource=res, kind="cluster", service=service,
                engine=Field.default(engine, res.span),
                storage_encrypted=bool_field(prop(res, "StorageEncrypted"), False, res.span),
                encryption_inherited=inherited,
                always_encrypted=Field.default(False, res.span),
            ))
