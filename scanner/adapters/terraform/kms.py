"""aws_kms_key into Key views; key policies (inline or aws_kms_key_policy) into KeyPolicy views."""

from __future__ import annotations

from scanner.adapters.service_policy import policy_view, written
from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.kms import Key
from scanner.views.resource_policies import KeyPolicy


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_kms_key"):
        spec_key = "key_spec" if res.body.get("key_spec") is not None else "customer_master_key_spec"
        views.add(Key(
            resource=res,
            rotation_enabled=field(res, "enable_key_rotation", False, res.span, to_bool),
            key_spec=field(res, spec_key, "SYMMETRIC_DEFAULT", res.span, to_str),
            key_usage=field(res, "key_usage", "ENCRYPT_DECRYPT", res.span, to_str),
            origin=_origin(res),
        ))
        policy = res.body.get("policy")
        if written(policy):
            views.add(policy_view(KeyPolicy, res, policy, res.address))
    for res in terraform_resources(graph, "aws_kms_key_policy"):
        policy = res.body.get("policy")
        if written(policy):
            keys = [t for t in graph.targets(res, "key_id") if t.type == "aws_kms_key"]
            node = res.body.get("key_id")
            target = keys[0].address if keys else node.value if node is not None and isinstance(
                node.value, str) else ""
            views.add(policy_view(KeyPolicy, res, policy, target))


def _origin(res: Resource) -> Field[str]:
    """aws_kms_key has no origin argument: a key in a custom key store (CloudHSM or external)
    is the one kind that cannot rotate; imported keys are aws_kms_external_key."""
    store = res.body.get("custom_key_store_id")
    if store is None or store.value is None:
        return Field.default("AWS_KMS", res.span)
    if isinstance(store.value, Unknown):
        return Field(store.value, store.span)
    return Field("AWS_CLOUDHSM", store.span)
