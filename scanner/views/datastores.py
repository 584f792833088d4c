"""Data stores beyond S3, EBS and RDS: topics, queues, tables, caches, file systems,
warehouses and search domains, and the resource policies that open them to others."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field, Unknown
from scanner.views.base import View


@dataclass
class Topic(View):
    """An SNS topic. An empty key means the topic is not encrypted at rest."""

    kms_master_key_id: Field[str]


@dataclass
class Queue(View):
    """An SQS queue and its two server-side encryption settings (one at most applies)."""

    kms_master_key_id: Field[str]  # SSE-KMS when set
    sqs_managed_sse_enabled: Field[bool]  # SSE-SQS; on by default for new queues


@dataclass
class Table(View):
    """A DynamoDB table."""

    point_in_time_recovery: Field[bool]


@dataclass
class CacheReplicationGroup(View):
    """An ElastiCache (Valkey or Redis OSS) replication group."""

    engine: Field[str]
    # Its default depends on the engine (true for Valkey, false for Redis OSS): the
    # adapter fills it in, Unknown when the engine is not known.
    at_rest_encryption_enabled: Field[bool]
    transit_encryption_enabled: Field[bool]
    # A secondary member of a Global Datastore takes both settings from the primary.
    global_datastore: Field[str]


@dataclass
class FileSystem(View):
    """An EFS file system."""

    encrypted: Field[bool]


@dataclass
class Warehouse(View):
    """A Redshift provisioned cluster."""

    encrypted: Field[bool]
    # Restored from a snapshot: encryption comes from the snapshot unless set.
    snapshot: Field[str]


@dataclass
class SearchDomain(View):
    """An OpenSearch Service (or legacy Elasticsearch Service) domain."""

    encrypt_at_rest: Field[bool]
    node_to_node_encryption: Field[bool]
    # The domain endpoint: is plain HTTP refused, which TLS security policy answers HTTPS.
    enforce_https: Field[bool] | None = None
    tls_security_policy: Field[str] | None = None
    # Audit logs published to CloudWatch Logs (log type AUDIT_LOGS, enabled). None: not read.
    audit_logs: Field[bool] | None = None


@dataclass
class ConditionTest:
    """One `operator: {key: values}` entry of a statement's Condition."""

    operator: str
    key: str
    values: list[Field[str]]
    span: Span


@dataclass
class ResourceStatement:
    """A statement of a resource-based policy, as far as who it lets in and when."""

    effect: Field[str]
    # Every value of Principal (or NotPrincipal), whatever its kind (AWS, Service...):
    # "*" is anyone.
    principals: list[Field[str]]
    not_principal: bool
    conditions: list[ConditionTest]
    span: Span
    sid: str = ""
    # Set when the Condition block cannot be read (built from unknown inputs).
    conditions_unknown: Unknown | None = None
    # Every value of Action (or NotAction, with `not_action` set).
    actions: list[Field[str]] = field(default_factory=list)
    not_action: bool = False


@dataclass
class BucketPolicy(View):
    """An S3 bucket policy (aws_s3_bucket_policy, AWS::S3::BucketPolicy, or a bucket's inline policy)."""

    bucket: str  # the governed bucket's address or name, "" when not known
    span_of_document: Span
    statements: list[ResourceStatement] = field(default_factory=list)
    unknown: Unknown | None = None  # the document could not be read
