"""ManagedPolicyArns of AWS::IAM::Role, AWS::IAM::User and AWS::IAM::Group."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources
from scanner.graph import ResourceGraph
from scanner.values import to_str_list
from scanner.views import ViewSet
from scanner.views.managed_policies import ManagedPolicyAttachment

KINDS = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *KINDS):
        arns = prop(res, "ManagedPolicyArns")
        if arns is not None and arns.value is not None:
            views.add(ManagedPolicyAttachment(res, KINDS[res.type], to_str_list(arns)))
