from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.lifecycle import BackupRetention


def check(view: BackupRetention, settings: Mapping[str, Any]) -> Outcome:
    if view.not_applicable:
        return PASS
    minimum = int(settings["min_days"])
    days = view.days
    if days.unknown:
        return Undecided(f"the backup retention ({view.attribute}) is not known", days.span)
    if not isinstance(days.value, int) or days.value >= minimum:
        return PASS
    wanted = f"at least {minimum} days are required"
    if days.value == 0 and days.explicit and view.service.endswith(" cluster"):
        # RDS, Aurora, DocumentDB and Neptune clusters always keep backups: AWS accepts 1 to
        # 35 days and rejects 0, so "backups are off" would be a wrong fact.
        return Fail(f"{view.service} {view.address}: {view.attribute} = 0 is not accepted by AWS "
                    f"(a cluster keeps backups 1 to 35 days); {wanted}", days, attribute=view.attribute)
    kept = "automated backups are off" if days.value == 0 else f"backups are kept {days.value} day" + (
        "s" if days.value != 1 else "")
    if days.explicit:
        return Fail(f"{view.service} {view.address}: {kept} ({view.attribute} = {days.value}); {wanted}",
                    days, attribute=view.attribute)
    return Fail(f"{view.service} {view.address}: {kept} ({view.attribute} is not set and defaults "
                f"to {days.value}); {wanted}", view.span, attribute=view.attribute)


RULE = Rule(
    id="CMP001",
    name="BackupRetentionTooShort",
    title="Database or cache keeps automated backups for fewer days than required",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Without enough automated backups, data lost to a mistake, corruption or ransomware "
        "cannot be restored to a point before the damage."
    ),
    domain=Domain.COMPLIANCE,
    view=BackupRetention,
    check=check,
    resource_types=(
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_elasticache_replication_group",
        "aws_elasticache_cluster",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::CacheCluster",
    ),
    rationale=(
        "AWS takes the automated backups it is asked to take; deciding how long they are kept, "
        "to meet recovery and retention requirements, is the customer's duty. RDS, Aurora, "
        "DocumentDB and Neptune keep automated backups for 1 day when the template does not say "
        "(the API and CloudFormation default); 0 turns them off for a DB instance, and a "
        "cluster accepts only 1 to 35 days. ElastiCache (Redis OSS, "
        "Valkey) takes no automatic snapshots unless snapshot_retention_limit "
        "(SnapshotRetentionLimit) is set. The minimum is the `min_days` option (default 7). Not "
        "judged: Aurora instances (the cluster keeps the backups) and read replicas that do not "
        "set their own retention, "
        "Memcached clusters and caches inside a replication group."
    ),
    remediation=(
        "Set backup_retention_period (BackupRetentionPeriod), or snapshot_retention_limit "
        "(SnapshotRetentionLimit) for ElastiCache, to at least the required number of days "
        "(at most 35)."
    ),
    terraform_fix="""\
resource "aws_db_instance" "app" {
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  backup_retention_period = 14
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id     = "sessions"
  description              = "sessions"
  node_type                = "cache.t4g.small"
  snapshot_retention_limit = 7
}""",
    cloudformation_fix="""\
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: "20"
    BackupRetentionPeriod: 14""",
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/backup_restore.html",
    ),
    security_severity=5.0,
    tags=("rds", "elasticache", "backup", "retention"),
    options=(RuleOption("min_days", 7, "the fewest days of automated backups to keep"),),
)
