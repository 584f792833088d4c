"""Data residency: the regions in which a resource keeps or processes its data."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass(frozen=True)
class RegionUse:
    """One region the resource's data lives in, and how the configuration puts it there."""

    region: Field[str]
    how: str  # for messages: 'the region of provider "aws.eu"', "a replica"
    attribute: str  # part of the finding's identity: "region", "replica[1].region_name"


@dataclass
class DataResidency(View):
    """A regional resource that stores or processes data: where it is deployed, and the other
    regions it replicates to when the resource itself names them (DynamoDB and Secrets
    Manager replicas)."""

    service: str  # for messages: "S3 bucket"
    regions: list[RegionUse]
