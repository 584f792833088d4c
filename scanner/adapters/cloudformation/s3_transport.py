"""AWS::S3::Bucket with the AWS::S3::BucketPolicy resources that govern it into
BucketTransport views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources
from scanner.adapters.resource_policy import bucket_policy
from scanner.adapters.service_policy import written
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Unknown
from scanner.views import ViewSet
from scanner.views.s3_transport import BucketTransport

BUCKET = "AWS::S3::Bucket"
POLICY = "AWS::S3::BucketPolicy"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    policies = resources(graph, POLICY)
    by_name: dict[tuple[str, str], list[Resource]] = {}
    unresolved_scopes: set[str] = set()
    for policy in policies:
        node = prop(policy, "Bucket")
        if node is None:
            continue
        if isinstance(node.value, str):
            by_name.setdefault((policy.scope, node.value), []).append(policy)
        elif node.unknown and not graph.targets(policy, "Bucket"):
            unresolved_scopes.add(policy.scope)
    for bucket in resources(graph, BUCKET):
        found = {p.id: p for p in graph.referrers(bucket, [POLICY], "Bucket")}
        name = prop(bucket, "BucketName")
        if name is not None and isinstance(name.value, str):
            found.update((p.id, p) for p in by_name.get((bucket.scope, name.value), ()))
        view = BucketTransport(bucket)
        for key in sorted(found):
            document = prop(found[key], "PolicyDocument")
            if written(document):
                view.policies.append(bucket_policy(found[key], document, bucket.address))
        if bucket.scope in unresolved_scopes:
            view.unresolved = Unknown("a bucket policy in this template names a bucket that is not known")
        views.add(view)
