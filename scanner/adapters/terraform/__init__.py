"""Terraform resources into views."""

from __future__ import annotations

from scanner.adapters.terraform import ec2, iam, kms, logging, rds, s3
from scanner.graph import ResourceGraph
from scanner.views import ViewSet


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for module in (s3, ec2, rds, iam, logging, kms):
        module.adapt(graph, views)
