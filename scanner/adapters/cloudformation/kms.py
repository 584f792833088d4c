"""AWS::KMS::Key -> Key, and its KeyPolicy -> KeyPolicy."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field
from scanner.adapters.service_policy import policy_view, written
from scanner.graph import ResourceGraph
from scanner.views import ViewSet
from scanner.views.kms import Key
from scanner.views.resource_policies import KeyPolicy

KEY = "AWS::KMS::Key"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for key in resources(graph, KEY):
        views.add(Key(
            resource=key,
            rotation_enabled=bool_field(prop(key, "EnableKeyRotation"), False, key.span),
            key_spec=str_field(prop(key, "KeySpec"), "SYMMETRIC_DEFAULT", key.span),
            key_usage=str_field(prop(key, "KeyUsage"), "ENCRYPT_DECRYPT", key.span),
            origin=str_field(prop(key, "Origin"), "AWS_KMS", key.span),
        ))
        policy = prop(key, "KeyPolicy")
        if written(policy):
            views.add(policy_view(KeyPolicy, key, policy, key.address))
