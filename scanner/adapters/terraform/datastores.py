"""SNS, SQS, DynamoDB, ElastiCache, EFS, Redshift, OpenSearch and S3 bucket policies into views."""

from __future__ import annotations

from typing import Any

from scanner.adapters.references import with_refs
from scanner.adapters.resource_policy import bucket_policy
from scanner.adapters.terraform.common import block, field, terraform_resources
from scanner.adapters.terraform.search_logs import audit_logs
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.datastores import (
    CacheReplicationGroup,
    FileSystem,
    Queue,
    SearchDomain,
    Table,
    Topic,
    Warehouse,
)

SEARCH_DOMAINS = ("aws_opensearch_domain", "aws_elasticsearch_domain")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_sns_topic"):
        views.add(Topic(res, kms_master_key_id=with_refs(
            graph, res, "kms_master_key_id", field(res, "kms_master_key_id", "", res.span, to_str))))
    for res in terraform_resources(graph, "aws_sqs_queue"):
        views.add(Queue(
            res,
            kms_master_key_id=with_refs(graph, res, "kms_master_key_id",
                                        field(res, "kms_master_key_id", "", res.span, to_str)),
            # Optional and computed in the provider: left out, SQS's own default (SSE-SQS) applies.
            sqs_managed_sse_enabled=field(res, "sqs_managed_sse_enabled", True, res.span, to_bool),
        ))
    for res in terraform_resources(graph, "aws_dynamodb_table"):
        views.add(Table(res, point_in_time_recovery=_flag(res, "point_in_time_recovery", "enabled", False)))
    for res in terraform_resources(graph, "aws_elasticache_replication_group"):
        views.add(_replication_group(res))
    for res in terraform_resources(graph, "aws_efs_file_system"):
        views.add(FileSystem(res, encrypted=field(res, "encrypted", False, res.span, to_bool)))
    for res in terraform_resources(graph, "aws_redshift_cluster"):
        snapshot = res.body.get("snapshot_identifier") or res.body.get("snapshot_arn")
        views.add(Warehouse(
            res,
            # Redshift encrypts new provisioned clusters by default (AWS provider 6 too).
            encrypted=field(res, "encrypted", True, res.span, to_bool),
            snapshot=Field.from_node(snapshot, "", res.span, to_str),
        ))
    for res in terraform_resources(graph, *SEARCH_DOMAINS):
        views.add(SearchDomain(
            res,
            encrypt_at_rest=_flag(res, "encrypt_at_rest", "enabled", False),
            node_to_node_encryption=_flag(res, "node_to_node_encryption", "enabled", False),
            audit_logs=audit_logs(res),
            **_endpoint_options(res),
        ))
    for res in terraform_resources(graph, "aws_s3_bucket_policy"):
        policy = res.body.get("policy")
        if policy is not None and policy.value is not None:
            views.add(bucket_policy(res, policy, _bucket_of(graph, res)))
    for res in terraform_resources(graph, "aws_s3_bucket"):
        policy = res.body.get("policy")  # the deprecated inline argument
        if policy is not None and policy.value not in (None, ""):
            views.add(bucket_policy(res, policy, res.address))


def _flag(res: Resource, name: str, key: str, default: bool) -> Field[bool]:
    """`key` inside the `name { ... }` block; the default at the block (or resource) when absent."""
    found = res.body.get(name)
    if found is not None and found.unknown:
        return Field(found.value, found.span, Origin.EXPLICIT, found.provenance)
    inner = block(res.body, name)
    if inner is None or inner.value is None:
        return Field.default(default, res.span)
    if inner.unknown:
        return Field(inner.value, inner.span, Origin.EXPLICIT, inner.provenance)
    return field(inner, key, default, inner.span, _bool)


# The service's TLS security policy for a domain created without one.
DEFAULT_SEARCH_TLS_POLICY = "Policy-Min-TLS-1-0-2019-07"


def _endpoint_options(res: Resource) -> dict[str, Any]:
    """enforce_https and tls_security_policy of `domain_endpoint_options`. Without the block the
    service's defaults apply (HTTP allowed); inside it the provider defaults enforce_https to true."""
    found = res.body.get("domain_endpoint_options")
    if found is not None and found.unknown:
        return {"enforce_https": Field(found.value, found.span, Origin.EXPLICIT, found.provenance),
                "tls_security_policy": Field(found.value, found.span, Origin.EXPLICIT, found.provenance)}
    inner = block(res.body, "domain_endpoint_options")
    if inner is None or inner.value is None:
        return {"enforce_https": Field.default(False, res.span),
                "tls_security_policy": Field.default(DEFAULT_SEARCH_TLS_POLICY, res.span)}
    if inner.unknown:
        return {"enforce_https": Field(inner.value, inner.span, Origin.EXPLICIT, inner.provenance),
                "tls_security_policy": Field(inner.value, inner.span, Origin.EXPLICIT, inner.provenance)}
    return {"enforce_https": field(inner, "enforce_https", True, inner.span, _bool),
            "tls_security_policy": field(inner, "tls_security_policy", DEFAULT_SEARCH_TLS_POLICY,
                                         inner.span, to_str)}


def _bool(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return Unknown("a block or list where a boolean was expected")
    return to_bool(value)


def _replication_group(res: Resource) -> CacheReplicationGroup:
    # The provider asks for Redis OSS when the engine is left out.
    engine = field(res, "engine", "redis", res.span, to_str)
    at_rest = res.body.get("at_rest_encryption_enabled")
    if at_rest is not None and at_rest.value is not None:
        at_rest_field = Field.from_node(at_rest, False, res.span, _bool)
    elif at_rest is not None:  # written as null: the engine's default, on the line to change
        at_rest_field = Field(_engine_default(engine), at_rest.span, Origin.DEFAULT, at_rest.provenance)
    else:
        at_rest_field = Field.default(_engine_default(engine), res.span)
    return CacheReplicationGroup(
        res,
        engine=engine,
        at_rest_encryption_enabled=at_rest_field,
        # The provider sends false when it is left out, for either engine.
        transit_encryption_enabled=field(res, "transit_encryption_enabled", False, res.span, _bool),
        global_datastore=field(res, "global_replication_group_id", "", res.span, to_str),
    )


def _engine_default(engine: Field[str]) -> bool | Unknown:
    """ElastiCache's at-rest default: on for Valkey, off for Redis OSS."""
    if engine.unknown or not isinstance(engine.value, str):
        return Unknown("encryption at rest is left to the engine's default, and the engine is not known")
    return engine.value.strip().lower() == "valkey"


def _bucket_of(graph: ResourceGraph, policy: Resource) -> str:
    targets = [t for t in graph.targets(policy, "bucket") if t.type == "aws_s3_bucket"]
    if targets:
        return targets[0].address
    node = policy.body.get("bucket")
    return node.value if node is not None and isinstance(node.value, str) else ""
