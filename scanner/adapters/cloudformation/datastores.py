"""SNS, SQS, DynamoDB, ElastiCache, EFS, Redshift, OpenSearch and S3 bucket policies into views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import (
    bool_field,
    key_field,
    prop,
    resources,
    str_field,
    unknown_field,
)
from scanner.adapters.cloudformation.search_logs import audit_logs
from scanner.adapters.resource_policy import bucket_policy
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Unknown
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

SEARCH_DOMAINS = ("AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, "AWS::SNS::Topic"):
        views.add(Topic(res, kms_master_key_id=key_field(graph, res, "KmsMasterKeyId", res.span)))
    for res in resources(graph, "AWS::SQS::Queue"):
        views.add(Queue(
            res,
            kms_master_key_id=key_field(graph, res, "KmsMasterKeyId", res.span),
            # Left out, SQS's own default applies: SSE-SQS for every new queue.
            sqs_managed_sse_enabled=bool_field(prop(res, "SqsManagedSseEnabled"), True, res.span),
        ))
    for res in resources(graph, "AWS::DynamoDB::Table"):
        views.add(Table(res, point_in_time_recovery=_flag(
            res, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled", False)))
    for res in resources(graph, "AWS::ElastiCache::ReplicationGroup"):
        views.add(_replication_group(res))
    for res in resources(graph, "AWS::EFS::FileSystem"):
        views.add(FileSystem(res, encrypted=bool_field(prop(res, "Encrypted"), False, res.span)))
    for res in resources(graph, "AWS::Redshift::Cluster"):
        snapshot = prop(res, "SnapshotIdentifier") or prop(res, "SnapshotArn")
        views.add(Warehouse(
            res,
            # Redshift encrypts new provisioned clusters by default.
            encrypted=bool_field(prop(res, "Encrypted"), True, res.span),
            snapshot=str_field(snapshot, "", res.span),
        ))
    for res in resources(graph, *SEARCH_DOMAINS):
        views.add(SearchDomain(
            res,
            encrypt_at_rest=_flag(res, "EncryptionAtRestOptions", "Enabled", False),
            node_to_node_encryption=_flag(res, "NodeToNodeEncryptionOptions", "Enabled", False),
            # Left out, the service allows HTTP and answers HTTPS with its oldest policy.
            enforce_https=_flag(res, "DomainEndpointOptions", "EnforceHTTPS", False),
            tls_security_policy=_endpoint_policy(res),
            audit_logs=audit_logs(res),
        ))
    for res in resources(graph, "AWS::S3::BucketPolicy"):
        document = prop(res, "PolicyDocument")
        if document is not None and document.value is not None:
            views.add(bucket_policy(res, document, _bucket_of(graph, res)))


def _flag(res: Resource, name: str, key: str, default: bool) -> Field[bool]:
    """`name.key`; the default at the block (or resource) when absent."""
    options = prop(res, name)
    if options is None or options.value is None:
        return Field.default(default, res.span)
    if options.unknown or not isinstance(options.value, dict):
        return unknown_field(options.value if options.unknown else f"{name} is not a mapping", options)
    return bool_field(options.get(key), default, options.span)


# The service's TLS security policy for a domain created without one.
DEFAULT_SEARCH_TLS_POLICY = "Policy-Min-TLS-1-0-2019-07"


def _endpoint_policy(res: Resource) -> Field[str]:
    options = prop(res, "DomainEndpointOptions")
    if options is None or options.value is None:
        return Field.default(DEFAULT_SEARCH_TLS_POLICY, res.span)
    if options.unknown or not isinstance(options.value, dict):
        return unknown_field(options.value if options.unknown
                             else "DomainEndpointOptions is not a mapping", options)
    return str_field(options.get("TLSSecurityPolicy"), DEFAULT_SEARCH_TLS_POLICY, options.span)


def _replication_group(res: Resource) -> CacheReplicationGroup:
    engine = str_field(prop(res, "Engine"), "redis", res.span)
    at_rest = prop(res, "AtRestEncryptionEnabled")
    if at_rest is not None and at_rest.value is not None:
        at_rest_field = bool_field(at_rest, False, res.span)
    else:
        at_rest_field = Field.default(_engine_default(engine), res.span)
    return CacheReplicationGroup(
        res,
        engine=engine,
        at_rest_encryption_enabled=at_rest_field,
        transit_encryption_enabled=bool_field(prop(res, "TransitEncryptionEnabled"), False, res.span),
        global_datastore=str_field(prop(res, "GlobalReplicationGroupId"), "", res.span),
    )


def _engine_default(engine: Field[str]) -> bool | Unknown:
    """ElastiCache's at-rest default: on for Valkey, off for Redis OSS."""
    if engine.unknown or not isinstance(engine.value, str):
        return Unknown("encryption at rest is left to the engine's default, and the engine is not known")
    return engine.value.strip().lower() == "valkey"


def _bucket_of(graph: ResourceGraph, policy: Resource) -> str:
    targets = [t for t in graph.targets(policy, "Bucket") if t.type == "AWS::S3::Bucket"]
    if targets:
        return targets[0].address
    node = prop(policy, "Bucket")
    return node.value if node is not None and isinstance(node.value, str) else ""
