"""aws_neptune_cluster and aws_docdb_cluster into DatabaseStorage views (DAT004)."""

from __future__ import annotations

from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.rds import DatabaseStorage

# type -> (service, engine default, the arguments that make the cluster take its encryption
# from a source: a snapshot, a point-in-time restore, a replica's source, a global cluster)
CLUSTERS = {
    "aws_neptune_cluster": ("Neptune", "neptune", (
        "snapshot_identifier", "replication_source_identifier", "global_cluster_identifier",
        "restore_to_point_in_time")),
    "aws_docdb_cluster": ("DocumentDB", "docdb", (
        "snapshot_identifier", "global_cluster_identifier", "restore_to_point_in_time")),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, (service, engine, sources) in CLUSTERS.items():
        for res in terraform_resources(graph, kind):
            inherited = any((node := res.body.get(k)) is not None and node.value not in (None, "")
                            for k in sources)
            views.add(DatabaseStorage(
                resource=res, kind="cluster", service=service,
                engine=field(res, "engine", engine, res.span, to_str),
                storage_encrypted=field(res, "storage_encrypted", False, res.span, to_bool),
                encryption_inherited=inherited,
                always_encrypted=Field.default(False, res.span),
            ))
