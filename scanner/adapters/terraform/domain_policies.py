"""OpenSearch and Elasticsearch domain access policies (inline `access_policies`, or a separate
aws_opensearch_domain_policy / aws_elasticsearch_domain_policy) into MessagingPolicy views."""

from __future__ import annotations

from scanner.adapters.domain_access import fine_grained, in_vpc, not_in_code
from scanner.adapters.service_policy import policy_view, written
from scanner.adapters.terraform.common import block, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Node
from scanner.views import ViewSet
from scanner.views.resource_policies import MessagingPolicy

# the domain type -> (service, its separate policy resource)
DOMAINS = {
    "aws_opensearch_domain": ("opensearch", "aws_opensearch_domain_policy"),
    "aws_elasticsearch_domain": ("elasticsearch", "aws_elasticsearch_domain_policy"),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, (service, separate) in DOMAINS.items():
        for res in terraform_resources(graph, kind):
            if res.data:
                continue
            policy = res.body.get("access_policies")
            if written(policy):
                views.add(_view(res, policy, res.address, service, res))
        for res in terraform_resources(graph, separate):
            policy = res.body.get("access_policies")
            if not written(policy):
                continue
            domains = [t for t in graph.targets(res, "domain_name") if t.type == kind and not t.data]
            if domains:
                views.add(_view(res, policy, domains[0].address, service, domains[0]))
                continue
            node = res.body.get("domain_name")
            name = node.value if node is not None and isinstance(node.value, str) else ""
            views.add(_view(res, policy, name, service, None))


def _view(res: Resource, policy: Node, target: str, service: str, domain: Resource | None) -> MessagingPolicy:
    view = policy_view(MessagingPolicy, res, policy, target, service=service)
    if domain is None:
        view.in_vpc = view.fine_grained = not_in_code(res.span)
        return view
    vpc = block(domain.body, "vpc_options")
    security = block(domain.body, "advanced_security_options")
    view.in_vpc = in_vpc(vpc, vpc.get("subnet_ids") if vpc is not None else None, domain.span)
    view.fine_grained = fine_grained(
        security,
        security.get("enabled") if security is not None else None,
        security.get("anonymous_auth_enabled") if security is not None else None,
        domain.span,
    )
    return view
