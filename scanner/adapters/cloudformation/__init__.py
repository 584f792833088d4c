"""CloudFormation resources into views: one module per service.

Each reads only CloudFormation resources of the graph (`Format.CLOUDFORMATION`),
so the Terraform adapters can fill the same `ViewSet`.
"""

from __future__ import annotations

from scanner.adapters.cloudformation import ec2, iam, kms, logging, rds, s3
from scanner.graph import ResourceGraph
from scanner.views import ViewSet

SERVICES = (s3, ec2, rds, iam, logging, kms)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    """Views of this format's resources only (the engine guards each service separately)."""
    for service in SERVICES:
        service.adapt(graph, views)
