"""SQS queue policies and SNS topic policies (inline or separate) into MessagingPolicy views."""

from __future__ import annotations

from scanner.adapters.service_policy import policy_view, written
from scanner.adapters.terraform.common import terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.views import ViewSet
from scanner.views.resource_policies import MessagingPolicy

# service -> (the resource that may carry an inline `policy`, the separate policy resource,
# the attribute of the separate resource that names its target)
SERVICES = {
    "sqs": ("aws_sqs_queue", "aws_sqs_queue_policy", "queue_url"),
    "sns": ("aws_sns_topic", "aws_sns_topic_policy", "arn"),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for service, (owner, separate, link) in SERVICES.items():
        for res in terraform_resources(graph, owner):
            policy = res.body.get("policy")
            if written(policy):
                views.add(policy_view(MessagingPolicy, res, policy, res.address, service=service))
        for res in terraform_resources(graph, separate):
            policy = res.body.get("policy")
            if written(policy):
                views.add(policy_view(MessagingPolicy, res, policy, _target(graph, res, owner, link),
                                      service=service))


def _target(graph: ResourceGraph, res: Resource, owner: str, link: str) -> str:
    found = [t for t in graph.targets(res, link) if t.type == owner]
    if found:
        return found[0].address
    node = res.body.get(link)
    return node.value if node is not None and isinstance(node.value, str) else ""
