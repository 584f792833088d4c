"""AWS::SQS::QueuePolicy, AWS::SQS::QueueInlinePolicy, AWS::SNS::TopicPolicy and
AWS::SNS::TopicInlinePolicy into MessagingPolicy views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources
from scanner.adapters.service_policy import policy_view, written
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.views import ViewSet
from scanner.views.resource_policies import MessagingPolicy

# policy type -> (service, the property naming its targets, the target's type)
POLICIES = {
    "AWS::SQS::QueuePolicy": ("sqs", "Queues", "AWS::SQS::Queue"),
    "AWS::SQS::QueueInlinePolicy": ("sqs", "Queue", "AWS::SQS::Queue"),
    "AWS::SNS::TopicPolicy": ("sns", "Topics", "AWS::SNS::Topic"),
    "AWS::SNS::TopicInlinePolicy": ("sns", "TopicArn", "AWS::SNS::Topic"),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, (service, link, owner) in POLICIES.items():
        for res in resources(graph, kind):
            document = prop(res, "PolicyDocument")
            if written(document):
                views.add(policy_view(MessagingPolicy, res, document, _targets(graph, res, link, owner),
                                      service=service))


def _targets(graph: ResourceGraph, res: Resource, link: str, owner: str) -> str:
    """The governed queues or topics: their logical ids, or the literal URLs/ARNs written."""
    found = [t.address for t in graph.targets(res, link) if t.type == owner]
    if found:
        return ", ".join(found)
    node = prop(res, link)
    if node is None:
        return ""
    if isinstance(node.value, str):
        return node.value
    if isinstance(node.value, list):
        return ", ".join(e.value for e in node.elements() if isinstance(e.value, str))
    return ""
