from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.logging import Network


def check(vpc: Network) -> Outcome:
    flow = vpc.flow_logs
    if flow.unknown:
        return Undecided("a flow log in this configuration targets a VPC that is not known", vpc.span)
    if flow.value is True:
        return PASS
    return Fail(f"VPC {vpc.address} has no flow log", vpc.span)


RULE = Rule(
    id="LOG004",
    name="VpcFlowLogsDisabled",
    title="VPC does not record flow logs",
    severity=Severity.MEDIUM,
    severity_reason="Without flow logs, traffic to and from compromised hosts cannot be traced.",
    domain=Domain.LOGGING,
    view=Network,
    check=check,
    resource_types=("aws_vpc", "aws_flow_log", "AWS::EC2::VPC", "AWS::EC2::FlowLog"),
    rationale=(
        "Monitoring the customer's own network is the customer's duty. VPC flow logs record "
        "the accepted and rejected connections of every interface in the VPC, the evidence "
        "needed to investigate an intrusion or data exfiltration."
    ),
    remediation="Add a flow log for the VPC, delivered to CloudWatch Logs or S3.",
    terraform_fix="""\
resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow_logs.arn
}""",
    cloudformation_fix="""\
FlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Vpc
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: s3
    LogDestination: !GetAtt FlowLogBucket.Arn""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.7",
    ),
    security_severity=4.0,
    tags=("vpc", "audit"),
)
