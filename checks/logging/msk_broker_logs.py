from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.streams import KafkaCluster


def check(cluster: KafkaCluster) -> Outcome:
    logs = cluster.broker_logs
    if logs.unknown:
        return Undecided("whether broker logs are delivered is not known", logs.span)
    if logs.value is True:
        return PASS
    if logs.explicit:
        return Fail(f"MSK cluster {cluster.address} turns off every broker log destination it names",
                    logs, attribute="logging_info.broker_logs")
    return Fail(f"MSK cluster {cluster.address} does not deliver its broker logs anywhere", logs.span,
                attribute="logging_info.broker_logs")


RULE = Rule(
    id="LOG014",
    name="MskBrokerLogsDisabled",
    title="MSK cluster does not deliver broker logs",
    severity=Severity.MEDIUM,
    severity_reason="Failed client authentications, authorization denials and broker errors leave "
                    "no record to investigate an incident with.",
    domain=Domain.LOGGING,
    view=KafkaCluster,
    check=check,
    resource_types=("aws_msk_cluster", "AWS::MSK::Cluster"),
    rationale=(
        "Keeping the logs of the services it runs is the customer's duty. Amazon MSK writes the "
        "Apache Kafka broker logs (which, with the authorizer's logging, include denied "
        "requests) only to the destinations the cluster names: CloudWatch Logs, Data Firehose "
        "or S3, each with its own enabled switch (logging_info.broker_logs, "
        "LoggingInfo.BrokerLogs). Nothing is delivered by default. A cluster passes when at "
        "least one destination is enabled; one that names destinations but enables none is "
        "reported at the first switch that is off. MSK Serverless clusters have no broker logs "
        "and are not judged."
    ),
    remediation="Enable at least one broker log destination, for example CloudWatch Logs with a "
                "log group that keeps the logs as long as your retention policy asks.",
    terraform_fix="""\
resource "aws_msk_cluster" "events" {
  # ...
  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }
}""",
    cloudformation_fix="""\
EventsCluster:
  Type: AWS::MSK::Cluster
  Properties:
    # ...
    LoggingInfo:
      BrokerLogs:
        CloudWatchLogs:
          Enabled: true
          LogGroup: !Ref MskLogGroup""",
    references=(
        "https://docs.aws.amazon.com/msk/latest/developerguide/msk-logging.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-msk-cluster-brokerlogs.html",
    ),
    security_severity=4.0,
    tags=("msk", "kafka", "logging"),
)
