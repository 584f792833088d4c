"""aws_db_instance and aws_rds_cluster_instance into DatabaseInstance views; instances and
aws_rds_cluster into DatabaseStorage views."""

from __future__ import annotations

from scanner.adapters.storage import aurora_always_encrypted, aurora_instance
from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.rds import DatabaseInstance, DatabaseStorage

# Set any of these and the cluster's storage encryption comes from its source.
_CLUSTER_SOURCES = ("snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time",
                    "global_cluster_identifier")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_db_instance"):
        engine = field(res, "engine", "", res.span, to_str)
        inherited = any(res.body.get(k) is not None and res.body.get(k).value is not None
                        for k in ("replicate_source_db", "snapshot_identifier",
                                  "restore_to_point_in_time"))
        is_aurora = isinstance(engine.value, str) and engine.value.startswith("aurora")
        encrypted = field(res, "storage_encrypted", False, res.span, to_bool)
        views.add(DatabaseInstance(
            resource=res,
            engine=engine,
            storage_encrypted=encrypted,
            publicly_accessible=field(res, "publicly_accessible", False, res.span, to_bool),
            encryption_inherited=inherited or is_aurora,
        ))
        views.add(DatabaseStorage(
            resource=res, kind="instance", engine=engine, storage_encrypted=encrypted,
            encryption_inherited=inherited or is_aurora, always_encrypted=aurora_instance(engine),
        ))
    for res in terraform_resources(graph, "aws_rds_cluster"):
        views.add(_cluster(res))
    # An Aurora instance is its own resource in Terraform (an AWS::RDS::DBInstance with an
    # Aurora engine in CloudFormation): it is what gets the public address. Its storage is
    # the cluster's, judged there.
    for res in terraform_resources(graph, "aws_rds_cluster_instance"):
        views.add(DatabaseInstance(
            resource=res,
            engine=field(res, "engine", "", res.span, to_str),
            storage_encrypted=Field.default(True, res.span),
            publicly_accessible=field(res, "publicly_accessible", False, res.span, to_bool),
            encryption_inherited=True,
        ))


def _cluster(res: Resource) -> DatabaseStorage:
    # Before provider 5 the engine defaulted to "aurora" (Aurora MySQL).
    engine = field(res, "engine", "aurora", res.span, to_str)
    mode = field(res, "engine_mode", "provisioned", res.span, to_str)
    inherited = any(res.body.get(k) is not None and res.body.get(k).value not in (None, "")
                    for k in _CLUSTER_SOURCES)
    return DatabaseStorage(
        resource=res, kind="cluster", engine=engine,
        storage_encrypted=field(res, "storage_encrypted", False, res.span, to_bool),
        encryption_inherited=inherited,
        always_encrypted=aurora_always_encrypted(engine, mode),
    )

