"""AccessPolicies of AWS::OpenSearchService::Domain and AWS::Elasticsearch::Domain into
MessagingPolicy views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources
from scanner.adapters.domain_access import fine_grained, in_vpc
from scanner.adapters.service_policy import policy_view, written
from scanner.graph import ResourceGraph
from scanner.views import ViewSet
from scanner.views.resource_policies import MessagingPolicy

DOMAINS = {"AWS::OpenSearchService::Domain": "opensearch", "AWS::Elasticsearch::Domain": "elasticsearch"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, service in DOMAINS.items():
        for res in resources(graph, kind):
            policy = prop(res, "AccessPolicies")
            if not written(policy):
                continue
            view = policy_view(MessagingPolicy, res, policy, res.address, service=service)
            view.in_vpc = in_vpc(prop(res, "VPCOptions"), prop(res, "VPCOptions", "SubnetIds"), res.span)
            view.fine_grained = fine_grained(
                prop(res, "AdvancedSecurityOptions"),
                prop(res, "AdvancedSecurityOptions", "Enabled"),
                prop(res, "AdvancedSecurityOptions", "AnonymousAuthEnabled"),
                res.span,
            )
            views.add(view)
