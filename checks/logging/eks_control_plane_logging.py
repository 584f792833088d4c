from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.monitoring import EksCluster

REQUIRED = ["api", "audit", "authenticator"]


def check(cluster: EksCluster, settings: Mapping[str, Any]) -> Outcome:
    required = [str(t) for t in settings["required_log_types"]]
    listed = cluster.log_types_set
    if listed.unknown:
        return Undecided("the enabled log types are not known", listed.span)
    if any(t.unknown for t in cluster.log_types):
        enabled_known = {t.value for t in cluster.log_types if not t.unknown}
        if all(r in enabled_known for r in required):
            return PASS
        return Undecided("some enabled log types are not known", listed.span)
    enabled = {t.value for t in cluster.log_types}
    missing = [r for r in required if r not in enabled]
    if not missing:
        return PASS
    names = ", ".join(missing)
    if listed.value is True:
        return Fail(f"EKS cluster {cluster.address} does not send the {names} control-plane "
                    "logs to CloudWatch Logs", listed, attribute="enabled_cluster_log_types")
    return Fail(f"EKS cluster {cluster.address} sends no control-plane logs to CloudWatch Logs "
                f"(off by default; needed: {', '.join(required)})", cluster.span)


RULE = Rule(
    id="LOG010",
    name="EksControlPlaneAuditLoggingDisabled",
    title="EKS cluster does not send the required control-plane logs (api, audit, authenticator) to CloudWatch Logs",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Without the API server, audit and authenticator logs, who did what in the cluster, "
        "and with which identity, cannot be established."
    ),
    domain=Domain.LOGGING,
    view=EksCluster,
    check=check,
    resource_types=("aws_eks_cluster", "AWS::EKS::Cluster"),
    rationale=(
        "AWS runs the Kubernetes control plane, but recording what happens in it is the "
        "customer's duty: control-plane logging is off for every log type until the customer "
        "turns it on. The api log records requests to the API server, audit records who changed "
        "what through the Kubernetes API, and authenticator records which IAM identity was "
        "mapped to which Kubernetes user. The log types required are an option "
        "(required_log_types, by default api, audit and authenticator); controllerManager and "
        "scheduler are useful for troubleshooting but are not required by default."
    ),
    remediation=(
        "List at least the api, audit and authenticator log types in the cluster's enabled "
        "control-plane log types (and give the /aws/eks/<cluster>/cluster log group a retention)."
    ),
    terraform_fix="""\
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids = var.private_subnet_ids
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator"]
}""",
    cloudformation_fix="""\
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: !Ref PrivateSubnets
    Logging:
      ClusterLogging:
        EnabledTypes:
          - Type: api
          - Type: audit
          - Type: authenticator""",
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
    ),
    security_severity=5.0,
    tags=("eks", "kubernetes", "audit"),
    options=(RuleOption("required_log_types", REQUIRED,
                        "control-plane log types that must be enabled (api, audit, authenticator, "
                        "controllerManager, scheduler)"),),
)
