"""Terraform resources into views: one module per service."""

from __future__ import annotations

from scanner.adapters.terraform import (
    account_settings,
    audit_logs,
    brokers,
    cluster_storage,
    datastores,
    domain_policies,
    ec2,
    eks,
    iam,
    identity,
    instance_volumes,
    instances,
    kms,
    lifecycle,
    logging,
    managed_policies,
    messaging,
    monitoring,
    rds,
    residency,
    s3,
    s3_transport,
    secrets,
    streams,
    tracing,
    vpc,
    web,
)
from scanner.graph import ResourceGraph
from scanner.views import ViewSet

SERVICES = (
    s3,
    ec2,
    rds,
    residency,
    iam,
    logging,
    kms,
    lifecycle,
    datastores,
    web,
    monitoring,
    eks,
    instances,
    identity,
    vpc,
    managed_policies,
    messaging,
    s3_transport,
    streams,
    secrets,
    brokers,
    account_settings,
    audit_logs,
    instance_volumes,
    cluster_storage,
    domain_policies,
    tracing,
)


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    """Views of this format's resources only (the engine guards each service separately)."""
    for service in SERVICES:
        service.adapt(graph, views)
