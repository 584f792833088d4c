from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import CacheReplicationGroup


def check(group: CacheReplicationGroup) -> Outcome:
    tls = group.transit_encryption_enabled
    if not tls.unknown and tls.value is True:
        return PASS
    member = group.global_datastore
    if member.unknown or member.value:
        return Undecided("a Global Datastore secondary takes its encryption from the primary", member.span)
    if tls.unknown:
        return Undecided("encryption in transit is not known", tls.span)
    if tls.explicit:
        return Fail(f"ElastiCache replication group {group.address} turns encryption in transit off",
                    tls, attribute="transit_encryption_enabled")
    return Fail(f"ElastiCache replication group {group.address} does not encrypt connections "
                "(TLS is off by default)", tls.span)


RULE = Rule(
    id="DAT010",
    name="ElastiCacheNotEncryptedInTransit",
    title="ElastiCache replication group does not encrypt data in transit",
    severity=Severity.MEDIUM,
    severity_reason="Cached data, commands and AUTH tokens cross the network in plain text, "
                    "readable by anything that can observe the VPC traffic.",
    domain=Domain.DATA_PROTECTION,
    view=CacheReplicationGroup,
    check=check,
    resource_types=("aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup"),
    rationale=(
        "Encrypting data in transit is the customer's duty. ElastiCache turns TLS on between "
        "clients and nodes, and between nodes, only when the replication group asks for it; "
        "it is off by default for both Valkey and Redis OSS node-based clusters (the Terraform "
        "provider sends false when the argument is left out). An AUTH token is only accepted "
        "with TLS on. A secondary group of a Global Datastore takes the setting from the "
        "primary and is not judged. The customer must set transit_encryption_enabled "
        "(TransitEncryptionEnabled) to true, and should use transit_encryption_mode "
        "\"required\" once clients connect with TLS."
    ),
    remediation="Set transit_encryption_enabled (TransitEncryptionEnabled) to true and connect with TLS.",
    terraform_fix="""\
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
}""",
    cloudformation_fix="""\
SessionStore:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: session store
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2
    TransitEncryptionEnabled: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    ),
    security_severity=5.5,
    tags=("elasticache", "encryption", "tls"),
)
