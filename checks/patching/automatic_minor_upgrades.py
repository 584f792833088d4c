from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.lifecycle import AutomaticUpgrades


def check(view: AutomaticUpgrades) -> Outcome:
    if view.not_applicable:
        return PASS
    enabled = view.enabled
    if enabled.unknown:
        return Undecided(f"whether {view.attribute} is on is not known", enabled.span)
    if enabled.value is True:
        return PASS
    if enabled.explicit:
        return Fail(f"{view.service} {view.address} turns automatic minor version upgrades off "
                    f"({view.attribute} is false)", enabled, attribute=view.attribute)
    return Fail(f"{view.service} {view.address} does not take automatic minor version upgrades "
                f"({view.attribute} is off by default)", view.span, attribute=view.attribute)


RULE = Rule(
    id="PAT001",
    name="AutomaticMinorVersionUpgradesOff",
    title="Managed database, cache, search or broker engine does not apply minor version upgrades automatically",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Minor versions carry the engine's security fixes; without automatic upgrades a known "
        "vulnerability stays until someone upgrades by hand."
    ),
    domain=Domain.PATCHING,
    view=AutomaticUpgrades,
    check=check,
    resource_types=(
        "aws_db_instance",
        "aws_rds_cluster_instance",
        "aws_rds_cluster",
        "aws_elasticache_replication_group",
        "aws_elasticache_cluster",
        "aws_memorydb_cluster",
        "aws_neptune_cluster_instance",
        "aws_opensearch_domain",
        "aws_mq_broker",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::CacheCluster",
        "AWS::MemoryDB::Cluster",
        "AWS::Neptune::DBInstance",
        "AWS::OpenSearchService::Domain",
        "AWS::AmazonMQ::Broker",
    ),
    rationale=(
        "AWS builds and publishes patched engine versions; choosing to apply them is the "
        "customer's duty. With automatic minor version upgrades on, AWS applies new minor "
        "(patch) versions in the maintenance window. RDS, Aurora, ElastiCache (Redis OSS 6 and "
        "later, Valkey), MemoryDB and Neptune turn this on by default, so only an explicit false "
        "is reported. OpenSearch Service domains (automatic service software updates) and Amazon "
        "MQ brokers leave it off by default, so a missing setting is reported too: OpenSearch "
        "still forces its required updates after a deadline, but optional updates with fixes wait. "
        "Not judged: RDS Custom instances (AWS requires the setting off), Memcached clusters and "
        "ElastiCache clusters inside a replication group (the group decides), MQ brokers on "
        "ActiveMQ 5.18 or RabbitMQ 3.13 and later (Amazon MQ manages their patch versions), and "
        "DocumentDB, whose instances ignore the setting (AWS documents that DocumentDB does not "
        "perform minor version upgrades automatically)."
    ),
    remediation=(
        "Set auto_minor_version_upgrade (AutoMinorVersionUpgrade) to true, or for OpenSearch "
        "turn on auto_software_update_enabled (SoftwareUpdateOptions.AutoSoftwareUpdateEnabled); "
        "schedule the maintenance window at a quiet time."
    ),
    terraform_fix="""\
resource "aws_db_instance" "app" {
  engine                     = "postgres"
  instance_class             = "db.t4g.medium"
  allocated_storage          = 20
  auto_minor_version_upgrade = true
  maintenance_window         = "sun:03:00-sun:04:00"
}

resource "aws_opensearch_domain" "search" {
  domain_name = "search"
  software_update_options {
    auto_software_update_enabled = true
  }
}""",
    cloudformation_fix="""\
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: "20"
    AutoMinorVersionUpgrade: true
    PreferredMaintenanceWindow: sun:03:00-sun:04:00
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    SoftwareUpdateOptions:
      AutoSoftwareUpdateEnabled: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/service-software.html",
        "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-brokers.html",
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/db-instance-maintain.html",
    ),
    security_severity=5.0,
    tags=("rds", "elasticache", "opensearch", "mq", "patching"),
)
