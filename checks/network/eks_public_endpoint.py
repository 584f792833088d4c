from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.eks import EksCluster


def _whole_internet(cidr: Field[str]) -> bool:
    value = cidr.value
    if not isinstance(value, str):
        return False
    try:
        return ipaddress.ip_network(value.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def check(cluster: EksCluster) -> Iterator[Outcome]:
    public = cluster.endpoint_public_access
    if public.unknown:
        yield Undecided("whether the API endpoint is public is not known", public.span)
        return
    if public.value is not True:
        yield PASS
        return
    open_cidr = next((c for c in cluster.public_access_cidrs if _whole_internet(c)), None)
    if open_cidr is None:
        if any(c.unknown for c in cluster.public_access_cidrs):
            yield Undecided("the ranges allowed to reach the public endpoint are not known",
                            cluster.public_access_cidrs[0].span)
        else:
            yield PASS
        return
    # The range was written: point at it. Left to AWS's default: point at the setting that
    # made the endpoint public, or at the cluster when that is the default too.
    at: Field[object] = open_cidr if open_cidr.explicit else public
    how = "" if open_cidr.explicit else " (no allowed ranges are set, and AWS then allows 0.0.0.0/0)"
    yield Fail(
        f"EKS cluster {cluster.address} exposes its Kubernetes API endpoint to {open_cidr.value}{how}",
        at,
        attribute="public_access_cidrs" if open_cidr.explicit else "endpoint_public_access",
    )


RULE = Rule(
    id="NET005",
    name="EksEndpointOpenToInternet",
    title="EKS cluster API endpoint is public and reachable from any address",
    severity=Severity.MEDIUM,
    severity_reason=(
        "The Kubernetes API still asks for credentials, but an endpoint open to the whole "
        "internet lets anyone probe it, try stolen credentials and exploit API server flaws."
    ),
    domain=Domain.NETWORK,
    view=EksCluster,
    check=check,
    resource_types=("aws_eks_cluster", "AWS::EKS::Cluster"),
    rationale=(
        "AWS runs the EKS control plane; who can reach its Kubernetes API endpoint is the "
        "customer's choice. A new cluster's endpoint is public by default "
        "(endpoint_public_access / EndpointPublicAccess true) and open to 0.0.0.0/0 unless "
        "public_access_cidrs / PublicAccessCidrs lists narrower ranges. The rule flags a public "
        "endpoint whose allowed ranges include a /0 range, written or left to that default. "
        "Either turn the public endpoint off and use the private endpoint "
        "(endpoint_private_access) from inside the VPC, or list only the ranges of the "
        "administrators and CI systems that must reach it."
    ),
    remediation=(
        "Set endpoint_public_access / EndpointPublicAccess to false with the private endpoint "
        "enabled, or restrict public_access_cidrs / PublicAccessCidrs to known ranges."
    ),
    terraform_fix="""\
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}""",
    cloudformation_fix="""\
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: !Ref PrivateSubnetIds
      EndpointPrivateAccess: true
      EndpointPublicAccess: true
      PublicAccessCidrs:
        - 203.0.113.0/24 # the office or VPN range""",
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-1",
        "CIS Amazon EKS Benchmark, 5.4.1 (restrict access to the control plane endpoint) and 5.4.2",
    ),
    security_severity=6.5,
    tags=("eks", "kubernetes", "internet-exposure"),
)
