"""Terraform resources into data residency views: the provider's region, or the resource's own.

A resource is deployed to the region of the provider configuration it uses (its `provider`
argument, else the default `aws` configuration, passed down to modules); AWS provider 6 lets
a resource name its own `region`, which wins. Replicas a resource creates itself in other
regions (`replica { region_name }`) are judged too.
"""

from __future__ import annotations

from scanner.adapters.terraform.common import terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown, to_str
from scanner.views import ViewSet
from scanner.views.residency import DataResidency, RegionUse

# Regional resources that store or process customer data. Global services (IAM, CloudFront,
# Route 53, Organizations) keep no customer data in a region of the user's choice.
SERVICES = {
    "aws_s3_bucket": "S3 bucket",
    "aws_s3_directory_bucket": "S3 directory bucket",
    "aws_ebs_volume": "EBS volume",
    "aws_efs_file_system": "EFS file system",
    "aws_fsx_lustre_file_system": "FSx for Lustre file system",
    "aws_fsx_windows_file_system": "FSx for Windows file system",
    "aws_fsx_ontap_file_system": "FSx for ONTAP file system",
    "aws_fsx_openzfs_file_system": "FSx for OpenZFS file system",
    "aws_backup_vault": "Backup vault",
    "aws_db_instance": "RDS DB instance",
    "aws_rds_cluster": "RDS DB cluster",
    "aws_docdb_cluster": "DocumentDB cluster",
    "aws_neptune_cluster": "Neptune cluster",
    "aws_redshift_cluster": "Redshift cluster",
    "aws_redshiftserverless_namespace": "Redshift Serverless namespace",
    "aws_dynamodb_table": "DynamoDB table",
    "aws_dynamodb_table_replica": "DynamoDB table replica",
    "aws_elasticache_cluster": "ElastiCache cluster",
    "aws_elasticache_replication_group": "ElastiCache replication group",
    "aws_elasticache_serverless_cache": "ElastiCache serverless cache",
    "aws_memorydb_cluster": "MemoryDB cluster",
    "aws_opensearch_domain": "OpenSearch domain",
    "aws_elasticsearch_domain": "Elasticsearch domain",
    "aws_sqs_queue": "SQS queue",
    "aws_sns_topic": "SNS topic",
    "aws_kinesis_stream": "Kinesis data stream",
    "aws_kinesis_firehose_delivery_stream": "Firehose delivery stream",
    "aws_msk_cluster": "MSK cluster",
    "aws_mq_broker": "Amazon MQ broker",
    "aws_cloudwatch_log_group": "CloudWatch Logs log group",
    "aws_secretsmanager_secret": "Secrets Manager secret",
    "aws_instance": "EC2 instance",
    "aws_lambda_function": "Lambda function",
    "aws_eks_cluster": "EKS cluster",
    "aws_ecs_cluster": "ECS cluster",
}
# Replicas a resource creates in other regions itself: type -> (block, region attribute).
REPLICAS = {
    "aws_dynamodb_table": ("replica", "region_name"),
    "aws_secretsmanager_secret": ("replica", "region"),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, *SERVICES):
        if res.data:
            continue
        views.add(DataResidency(resource=res, service=SERVICES[res.type],
                                regions=[_deployed(res), *_replicas(res)]))


def _deployed(res: Resource) -> RegionUse:
    own = res.body.get("region")
    if own is not None and own.value not in (None, ""):  # AWS provider 6: the resource's own
        return RegionUse(Field.from_node(own, "", res.span, to_str), "its own region argument", "region")
    how = f'the region of provider "{res.provider}"'
    if res.region is None:  # a plan that does not say
        return RegionUse(Field(Unknown("the region is not known from this input"), res.span.head(),
                               Origin.DEFAULT), how, "region")
    region = res.region
    # Not written on the resource: its provider configuration's region applies, and the
    # finding points at the resource with that region line as where the value comes from.
    provenance = () if region.unknown else (region.span, *region.provenance)
    value = region.value if isinstance(region.value, (str, Unknown)) else to_str(region.value)
    return RegionUse(Field(value, res.span.head(), Origin.DEFAULT, provenance), how, "region")


def _replicas(res: Resource) -> list[RegionUse]:
    if res.type not in REPLICAS:
        return []
    block_name, attribute = REPLICAS[res.type]
    found = res.body.get(block_name)
    out: list[RegionUse] = []
    for index, replica in enumerate(found.elements() if found is not None else []):
        path = f"{block_name}[{index}].{attribute}"
        node = replica.get(attribute) if isinstance(replica.value, dict) else replica
        if node is None or node.value is None:
            continue
        out.append(RegionUse(Field.from_node(node, "", replica.span, to_str), "a replica", path))
    return out
