"""aws_eks_cluster -> EksCluster."""

from __future__ import annotations

from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.source import Span
from scanner.values import Field, Node, to_bool, to_str_list
from scanner.views import ViewSet
from scanner.views.eks import EksCluster

OPEN = "0.0.0.0/0"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_eks_cluster"):
        config = block(res.body, "vpc_config")
        views.add(EksCluster(
            resource=res,
            endpoint_public_access=field(config, "endpoint_public_access", True, res.span, to_bool),
            endpoint_private_access=field(config, "endpoint_private_access", False, res.span, to_bool),
            public_access_cidrs=public_cidrs(config.get("public_access_cidrs") if config else None,
                                             res.span),
        ))


def public_cidrs(node: Node | None, block_span: Span) -> list[Field[str]]:
    """The listed ranges, or AWS's default (0.0.0.0/0) at the resource when none is given."""
    cidrs = to_str_list(node)
    return cidrs or [Field.default(OPEN, block_span)]
