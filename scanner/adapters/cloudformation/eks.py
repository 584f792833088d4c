"""AWS::EKS::Cluster -> EksCluster."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources
from scanner.graph import ResourceGraph
from scanner.values import Field, to_str_list
from scanner.views import ViewSet
from scanner.views.eks import EksCluster

OPEN = "0.0.0.0/0"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::EKS::Cluster"):
        cidrs = to_str_list(prop(res, "ResourcesVpcConfig", "PublicAccessCidrs"))
        views.add(EksCluster(
            resource=res,
            endpoint_public_access=bool_field(prop(res, "ResourcesVpcConfig", "EndpointPublicAccess"),
                                              True, res.span),
            endpoint_private_access=bool_field(prop(res, "ResourcesVpcConfig", "EndpointPrivateAccess"),
                                               False, res.span),
            public_access_cidrs=cidrs or [Field.default(OPEN, res.span)],
        ))
