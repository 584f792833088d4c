from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.lifecycle import KubernetesCluster

# Amazon EKS Kubernetes release calendar: version -> (end of standard support, end of extended
# support). Source: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
# remit never fetches it: the table is data in the package, complete up to TABLE_AS_OF
# (versions released later are not listed and not judged). Update both together.
TABLE_SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html"
TABLE_AS_OF = "2026-11-29"
SUPPORT_ENDS: dict[str, tuple[str, str]] = {
    "1.10": ("2019-07-22", ""),
    "1.11": ("2019-11-04", ""),
    "1.12": ("2020-05-11", ""),
    "1.13": ("2020-06-30", ""),
    "1.14": ("2020-12-08", ""),
    "1.15": ("2021-05-03", ""),
    "1.16": ("2021-09-27", ""),
    "1.17": ("2021-11-02", ""),
    "1.18": ("2022-03-31", ""),
    "1.19": ("2022-08-01", ""),
    "1.20": ("2022-11-01", ""),
    "1.21": ("2023-02-16", ""),
    "1.22": ("2023-06-04", ""),
    "1.23": ("2023-10-11", "2024-10-11"),
    "1.24": ("2024-01-31", "2025-01-31"),
    "1.25": ("2024-05-01", "2025-05-01"),
    "1.26": ("2024-06-11", "2025-06-11"),
    "1.27": ("2024-07-24", "2025-07-24"),
    "1.28": ("2024-11-26", "2025-11-26"),
    "1.29": ("2025-03-23", "2026-03-23"),
    "1.30": ("2025-07-23", "2026-07-23"),
    "1.31": ("2025-11-26", "2026-11-26"),
    "1.32": ("2026-03-23", "2027-03-23"),
    "1.33": ("2026-07-29", "2027-07-29"),
    "1.34": ("2026-12-02", "2027-12-02"),
    "1.35": ("2027-03-27", "2028-03-27"),
}
# The version the remediation snippets name: the newest in the table, so that the snippet
# never names a version this rule reports once the table moves on.
NEWEST = max(SUPPORT_ENDS, key=lambda v: tuple(int(p) for p in v.split(".")))


def _as_of(settings: Mapping[str, Any]) -> dt.date:
    text = str(settings.get("as_of") or TABLE_AS_OF)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"PAT003 option as_of must be a date like 2026-01-31, not {text!r}") from None


def check(cluster: KubernetesCluster, settings: Mapping[str, Any]) -> Outcome:
    version = cluster.version
    if version.unknown:
        return Undecided("the cluster's Kubernetes version is not known", version.span)
    if not version.value:
        return PASS  # EKS creates the cluster on its current default version
    minor = ".".join(str(version.value).strip().split(".")[:2])
    ends = SUPPORT_ENDS.get(minor)
    if ends is None:
        return PASS
    standard, extended = ends
    as_of = _as_of(settings)
    if dt.date.fromisoformat(standard) > as_of:
        return PASS
    after = (f"extended support, at extra cost, lasts until {extended}" if extended
             and dt.date.fromisoformat(extended) > as_of else "it is out of support")
    return Fail(f"EKS cluster {cluster.address} runs Kubernetes {minor}, whose standard support "
                f"ended on {standard}: {after}", version, attribute="version")


RULE = Rule(
    id="PAT003",
    name="EksVersionOutOfStandardSupport",
    title="EKS cluster runs a Kubernetes version past the end of standard support",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Upstream Kubernetes no longer fixes the version; EKS keeps patching it only under paid "
        "extended support, and then upgrades the cluster itself."
    ),
    domain=Domain.PATCHING,
    view=KubernetesCluster,
    check=check,
    resource_types=("aws_eks_cluster", "AWS::EKS::Cluster"),
    rationale=(
        "AWS runs and patches the EKS control plane, but choosing the Kubernetes version, and "
        "upgrading the cluster, its add-ons and its nodes, is the customer's duty. A minor "
        "version gets 14 months of standard support, then 12 months of extended support at an "
        "additional cost per cluster hour (on by default), after which EKS upgrades the cluster "
        "automatically. The rule compares the declared version with the EKS release calendar, "
        f"kept in remit and dated {TABLE_AS_OF}, and judges as of that date so that results do "
        "not change by themselves; the `as_of` option moves the date forward. A cluster without "
        "a version gets the current default version and is not flagged."
    ),
    remediation=(
        "Upgrade the cluster one minor version at a time to a version in standard support "
        "(then its managed node groups and add-ons), and keep the version in the template."
    ),
    terraform_fix=f"""\
resource "aws_eks_cluster" "main" {{
  name     = "main"
  role_arn = aws_iam_role.cluster.arn
  version  = "{NEWEST}"
  vpc_config {{
    subnet_ids = var.private_subnet_ids
  }}
}}""",
    cloudformation_fix=f"""\
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    Name: main
    RoleArn: !GetAtt ClusterRole.Arn
    Version: "{NEWEST}"
    ResourcesVpcConfig:
      SubnetIds: !Ref PrivateSubnetIds""",
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
        "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html",
    ),
    security_severity=4.5,
    tags=("eks", "kubernetes", "patching"),
    options=(
        RuleOption("as_of", "", "judge support as of this date (YYYY-MM-DD); empty means the "
                   f"date of remit's EKS calendar ({TABLE_AS_OF})"),
    ),
)
