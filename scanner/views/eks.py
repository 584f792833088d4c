"""EKS clusters: how their Kubernetes API endpoint is reached."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class EksCluster(View):
    # The API server endpoint: reachable from the internet (AWS default: true) and from
    # inside the VPC (default: false).
    endpoint_public_access: Field[bool]
    endpoint_private_access: Field[bool]
    # Who may reach the public endpoint. Not set (or empty): AWS's default, 0.0.0.0/0,
    # given as one default field at the resource; an unknown list: one unknown field.
    public_access_cidrs: list[Field[str]]
