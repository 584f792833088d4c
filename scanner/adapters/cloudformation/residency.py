"""CloudFormation resources into data residency views: the stack's region, and replicas.

A stack deploys every resource to its own region, which the template does not say: it is
known only when given with `--region` (which also sets `AWS::Region`). Replica regions a
resource names itself (DynamoDB global tables, Secrets Manager secrets) are judged too.
"""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources, str_field
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.residency import DataResidency, RegionUse

GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"
# Regional resources that store or process customer data (see the Terraform adapter).
SERVICES = {
    "AWS::S3::Bucket": "S3 bucket",
    "AWS::S3Express::DirectoryBucket": "S3 directory bucket",
    "AWS::EC2::Volume": "EBS volume",
    "AWS::EFS::FileSystem": "EFS file system",
    "AWS::FSx::FileSystem": "FSx file system",
    "AWS::Backup::BackupVault": "Backup vault",
    "AWS::RDS::DBInstance": "RDS DB instance",
    "AWS::RDS::DBCluster": "RDS DB cluster",
    "AWS::DocDB::DBCluster": "DocumentDB cluster",
    "AWS::Neptune::DBCluster": "Neptune cluster",
    "AWS::Redshift::Cluster": "Redshift cluster",
    "AWS::RedshiftServerless::Namespace": "Redshift Serverless namespace",
    "AWS::DynamoDB::Table": "DynamoDB table",
    GLOBAL_TABLE: "DynamoDB global table",
    "AWS::ElastiCache::CacheCluster": "ElastiCache cluster",
    "AWS::ElastiCache::ReplicationGroup": "ElastiCache replication group",
    "AWS::ElastiCache::ServerlessCache": "ElastiCache serverless cache",
    "AWS::MemoryDB::Cluster": "MemoryDB cluster",
    "AWS::OpenSearchService::Domain": "OpenSearch domain",
    "AWS::Elasticsearch::Domain": "Elasticsearch domain",
    "AWS::SQS::Queue": "SQS queue",
    "AWS::SNS::Topic": "SNS topic",
    "AWS::Kinesis::Stream": "Kinesis data stream",
    "AWS::KinesisFirehose::DeliveryStream": "Firehose delivery stream",
    "AWS::MSK::Cluster": "MSK cluster",
    "AWS::AmazonMQ::Broker": "Amazon MQ broker",
    "AWS::Logs::LogGroup": "CloudWatch Logs log group",
    "AWS::SecretsManager::Secret": "Secrets Manager secret",
    "AWS::EC2::Instance": "EC2 instance",
    "AWS::Lambda::Function": "Lambda function",
    "AWS::Serverless::Function": "Lambda function",
    "AWS::EKS::Cluster": "EKS cluster",
    "AWS::ECS::Cluster": "ECS cluster",
}
# Replicas a resource creates itself: type -> (list property, region property of an item).
REPLICAS = {
    GLOBAL_TABLE: ("Replicas", "Region"),
    "AWS::SecretsManager::Secret": ("ReplicaRegions", "Region"),
}


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in resources(graph, *SERVICES):
        # A global table lists every region it lives in, the stack's own included.
        deployed = [] if res.type == GLOBAL_TABLE else [_deployed(res)]
        views.add(DataResidency(resource=res, service=SERVICES[res.type],
                                regions=[*deployed, *_replicas(res)]))


def _deployed(res: Resource) -> RegionUse:
    region = res.region
    value = region.value if region is not None else Unknown("the stack's region is not known")
    if not isinstance(value, (str, Unknown)):
        value = Unknown(f"not a region: {value!r}")
    return RegionUse(Field(value, res.span.head(), Origin.DEFAULT), "the stack's region, from --region",
                     "region")


def _replicas(res: Resource) -> list[RegionUse]:
    if res.type not in REPLICAS:
        return []
    key, attribute = REPLICAS[res.type]
    found = prop(res, key)
    if found is not None and found.unknown:
        return [RegionUse(Field(found.value, found.span, Origin.EXPLICIT, found.provenance),
                          "a replica", key)]
    out: list[RegionUse] = []
    for index, item in enumerate(found.elements() if found is not None else []):
        node = item.get(attribute) if isinstance(item.value, dict) else item
        if node is None or node.value is None:
            continue
        out.append(RegionUse(str_field(node, "", item.span), "a replica", f"{key}[{index}].{attribute}"))
    return out
