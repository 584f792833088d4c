"""aws_s3_bucket with its bucket policies (aws_s3_bucket_policy or the inline `policy`)
into BucketTransport views."""

from __future__ import annotations

from scanner.adapters.resource_policy import bucket_policy
from scanner.adapters.service_policy import written
from scanner.adapters.terraform.common import Attachments, name_of, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Unknown
from scanner.views import ViewSet
from scanner.views.s3_transport import BucketTransport


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    attached = Attachments(graph, ["aws_s3_bucket_policy"], "bucket")
    for res in terraform_resources(graph, "aws_s3_bucket"):
        view = BucketTransport(res)
        inline = res.body.get("policy")  # the deprecated inline argument
        if written(inline):
            view.policies.append(bucket_policy(res, inline, res.address))
        found, unresolved = attached.of(res, name_of(res, "bucket"))
        for policy_res in found:
            policy = policy_res.body.get("policy")
            if written(policy):
                view.policies.append(bucket_policy(policy_res, policy, res.address))
        if unresolved:
            view.unresolved = Unknown("a bucket policy in this module names a bucket that is not known")
        views.add(view)
