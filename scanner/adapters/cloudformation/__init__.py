"""CloudFormation adapters: resources of templates -> format-independent views.

One module per service; each reads only CloudFormation resources of the graph
(`Format.CLOUDFORMATION`), so Terraform adapters can fill the same `ViewSet`.
"""

from __future__ import annotations

from scanner.adapters.cloudformation import ec2, iam, kms, logging, rds, s3
from scanner.graph import ResourceGraph
from scanner.views import ViewSet

_SERVICES = (s3, ec2, rds, iam, logging, kms)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    """Add a view for every CloudFormation resource of a kind some rule reads."""
    for service in _SERVICES:
        service.adapt(graph, views)
