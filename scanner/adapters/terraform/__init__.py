"""Terraform resources into views: one module per service."""

from __future__ import annotations

from scanner.adapters.terraform import ec2, iam, kms, logging, rds, s3
from scanner.graph import ResourceGraph
from scanner.views import ViewSet

SERVICES = (s3, ec2, rds, iam, logging, kms)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    """Views of this format's resources only (the engine guards each service separately)."""
    for service in SERVICES:
        service.adapt(graph, views)
