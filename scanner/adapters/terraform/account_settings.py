"""Account- and region-wide settings into views: EBS encryption by default."""

from __future__ import annotations

from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import to_bool
from scanner.views import ViewSet
from scanner.views.account_settings import EbsEncryptionByDefault


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for res in terraform_resources(graph, "aws_ebs_encryption_by_default"):
        # `enabled` defaults to true: declaring the resource turns encryption by default on.
        views.add(EbsEncryptionByDefault(res, enabled=field(res, "enabled", True, res.span, to_bool)))
