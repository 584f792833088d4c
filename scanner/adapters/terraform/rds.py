"""aws_db_instance into DatabaseInstance views."""

from __future__ import annotations

from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import to_bool, to_str
from scanner.views import ViewSet
from scanner.views.rds import DatabaseInstance


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_db_instance"):
        engine = field(res, "engine", "", res.span, to_str)
        inherited = any(res.body.get(k) is not None and res.body.get(k).value is not None
                        for k in ("replicate_source_db", "snapshot_identifier",
                                  "restore_to_point_in_time"))
        is_aurora = isinstance(engine.value, str) and engine.value.startswith("aurora")
        views.add(DatabaseInstance(
            resource=res,
            engine=engine,
            storage_encrypted=field(res, "storage_encrypted", False, res.span, to_bool),
            publicly_accessible=field(res, "publicly_accessible", False, res.span, to_bool),
            encryption_inherited=inherited or is_aurora,
        ))
