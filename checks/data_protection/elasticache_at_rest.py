from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import CacheReplicationGroup


def check(group: CacheReplicationGroup) -> Outcome:
    encrypted = group.at_rest_encryption_enabled
    if not encrypted.unknown and encrypted.value is True:
        return PASS
    member = group.global_datastore
    if member.unknown or member.value:
        return Undecided("a Global Datastore secondary takes its encryption from the primary", member.span)
    if encrypted.unknown:
        return Undecided(f"encryption at rest is not known: {encrypted.value.reason}", encrypted.span)
    if encrypted.explicit:
        return Fail(f"ElastiCache replication group {group.address} turns encryption at rest off",
                    encrypted, attribute="at_rest_encryption_enabled")
    return Fail(f"ElastiCache replication group {group.address} is not encrypted at rest "
                "(off by default for Redis OSS)", encrypted.span)


RULE = Rule(
    id="DAT009",
    name="ElastiCacheNotEncryptedAtRest",
    title="ElastiCache replication group is not encrypted at rest",
    severity=Severity.HIGH,
    severity_reason="Backups in S3, swap and synchronisation data on disk hold the cached data unencrypted, "
                    "and the setting cannot be changed without replacing the group.",
    domain=Domain.DATA_PROTECTION,
    view=CacheReplicationGroup,
    check=check,
    resource_types=("aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup"),
    rationale=(
        "Encrypting data at rest is the customer's duty. ElastiCache encrypts the disks used "
        "for synchronisation, swap and backups (and the backups kept in S3) only when the "
        "replication group asks for it at creation. Today's default depends on the engine: "
        "on for Valkey, off for Redis OSS (the engine Terraform and CloudFormation pick when "
        "none is given), so a Redis OSS group that leaves at_rest_encryption_enabled "
        "(AtRestEncryptionEnabled) out is flagged and a Valkey group is not. A secondary group "
        "of a Global Datastore takes the setting from the primary and is not judged. The "
        "customer must set it to true when creating the group."
    ),
    remediation="Set at_rest_encryption_enabled (AtRestEncryptionEnabled) to true, optionally with a KMS key.",
    terraform_fix="""\
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
}""",
    cloudformation_fix="""\
SessionStore:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: session store
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2
    AtRestEncryptionEnabled: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    ),
    security_severity=7.0,
    tags=("elasticache", "encryption"),
)
