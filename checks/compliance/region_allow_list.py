from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.values import Unknown
from scanner.views.lifecycle import wildcard_match
from scanner.views.residency import DataResidency


def _allowed(region: str, patterns: list[str]) -> bool:
    name = region.strip().lower()
    return any(wildcard_match(p, name) for p in patterns)


def check(view: DataResidency, settings: Mapping[str, Any]) -> Iterator[Outcome]:
    patterns = sorted({p.strip().lower() for p in settings["allowed_regions"] if p.strip()})
    if not patterns:  # not configured: the engine does not run the rule at all
        return
    listed = ", ".join(patterns)
    clean = True
    for use in view.regions:
        region = use.region
        if isinstance(region.value, Unknown):
            clean = False
            yield Undecided(f"region not known ({use.how}): {region.value.reason}", region.span)
            continue
        if _allowed(str(region.value), patterns):
            continue
        verb = "replicates its data to" if use.how == "a replica" else "is deployed to"
        yield Fail(f"{view.service} {view.address} {verb} {region.value} ({use.how}), outside the "
                   f"allowed regions ({listed})", region, attribute=use.attribute)
        clean = False
    if clean:
        yield PASS


RULE = Rule(
    id="CMP004",
    name="ResourceOutsideAllowedRegions",
    title="Resource keeps or processes data in a region outside the allowed regions",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Data stored or processed in a region the organisation has not approved can breach "
        "data-residency laws and contracts, and moving it later means migrating the data store."
    ),
    domain=Domain.COMPLIANCE,
    view=DataResidency,
    check=check,
    resource_types=(
        "aws_s3_bucket", "aws_s3_directory_bucket", "aws_ebs_volume", "aws_efs_file_system",
        "aws_fsx_lustre_file_system", "aws_fsx_windows_file_system", "aws_fsx_ontap_file_system",
        "aws_fsx_openzfs_file_system", "aws_backup_vault", "aws_db_instance", "aws_rds_cluster",
        "aws_docdb_cluster", "aws_neptune_cluster", "aws_redshift_cluster",
        "aws_redshiftserverless_namespace", "aws_dynamodb_table", "aws_dynamodb_table_replica",
        "aws_elasticache_cluster", "aws_elasticache_replication_group",
        "aws_elasticache_serverless_cache", "aws_memorydb_cluster", "aws_opensearch_domain",
        "aws_elasticsearch_domain", "aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream",
        "aws_kinesis_firehose_delivery_stream", "aws_msk_cluster", "aws_mq_broker",
        "aws_cloudwatch_log_group", "aws_secretsmanager_secret", "aws_instance",
        "aws_lambda_function", "aws_eks_cluster", "aws_ecs_cluster",
        "AWS::S3::Bucket", "AWS::S3Express::DirectoryBucket", "AWS::EC2::Volume",
        "AWS::EFS::FileSystem", "AWS::FSx::FileSystem", "AWS::Backup::BackupVault",
        "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster", "AWS::Redshift::Cluster", "AWS::RedshiftServerless::Namespace",
        "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::ServerlessCache",
        "AWS::MemoryDB::Cluster", "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain",
        "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Kinesis::Stream",
        "AWS::KinesisFirehose::DeliveryStream", "AWS::MSK::Cluster", "AWS::AmazonMQ::Broker",
        "AWS::Logs::LogGroup", "AWS::SecretsManager::Secret", "AWS::EC2::Instance",
        "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::EKS::Cluster",
        "AWS::ECS::Cluster",
    ),
    rationale=(
        "AWS keeps a resource's data in the region the customer deploys it to; choosing that "
        "region, and meeting data-residency laws and contracts with it, is the customer's duty. "
        "The rule judges regional resources that store or process data: object, block and file "
        "storage, backup vaults, databases, caches, search domains, queues, topics and streams, "
        "log groups, secrets, and compute (instances, functions, clusters). Global services "
        "(IAM, CloudFront, Route 53, Organizations) are not judged: they keep no data in a "
        "region of the customer's choice. A Terraform resource is deployed to the region of "
        "the provider configuration it uses: its `provider` argument (`aws.west`), else the "
        "default `aws` configuration, which modules inherit or receive through `providers = "
        "{ ... }`; with AWS provider 6 a resource's own `region` argument wins. A "
        "CloudFormation stack's region is known only when given with `--region`. Replicas a "
        "resource creates itself are judged as well: DynamoDB `replica { region_name }` and "
        "global table `Replicas`, Secrets Manager `replica` and `ReplicaRegions`. An S3 "
        "replication destination bucket declared in the same scan is judged as a bucket; one "
        "declared elsewhere, and StackSet instances, are not. A region that is not known (no "
        "region in the provider configuration, so AWS_REGION or the profile decides; no "
        "`--region`) leaves the rule undecided. The allowed regions are the `allowed_regions` "
        "option (`*` matches any characters: `eu-*`); while it is empty, the default, the rule "
        "has nothing to judge and does not run."
    ),
    remediation=(
        "Deploy the resource to an allowed region: set the provider configuration's region (or "
        "the resource's `region` argument, AWS provider 6) to one, or deploy the stack there, "
        "and remove replicas in other regions. As a second line, deny the other regions in a "
        "service control policy (`aws:RequestedRegion`)."
    ),
    terraform_fix="""\
provider "aws" {
  region = "eu-central-1" # an allowed region
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "eu-west-1" # replicas in allowed regions only
  }
}""",
    cloudformation_fix="""\
# aws cloudformation deploy --region eu-central-1 ... (remit scan --region eu-central-1)
Orders:
  Type: AWS::DynamoDB::GlobalTable
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH
    Replicas:
      - Region: eu-central-1
      - Region: eu-west-1""",
    references=(
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html",
        "https://docs.aws.amazon.com/controltower/latest/userguide/region-deny.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/enhanced-region-support",
        "https://developer.hashicorp.com/terraform/language/providers/configuration",
    ),
    security_severity=5.0,
    tags=("data-residency", "region"),
    options=(
        RuleOption("allowed_regions", [],
                   "Regions resources may be deployed to, e.g. [\"eu-central-1\", \"eu-west-1\"] "
                   "(`*` matches any characters: \"eu-*\")", required=True),
    ),
)
