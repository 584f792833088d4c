"""Lifecycle duties: patching managed engines and runtimes, retention, deletion protection.

One view per concern, so that a resource (an RDS instance, say) can have several:
its automatic minor upgrades, its backups, its deletion protection.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class AutomaticUpgrades(View):
    """Whether a managed engine (RDS, ElastiCache, OpenSearch, MQ...) takes minor/patch updates itself."""

    service: str  # for messages: "RDS DB instance", "OpenSearch domain"
    attribute: str  # the setting's name in this format, for messages and finding identity
    enabled: Field[bool]
    # Why the setting does not matter for this resource ("" when it does): e.g. an RDS Custom
    # instance, a Memcached cluster, an MQ broker whose patch versions AWS manages.
    not_applicable: str = ""


@dataclass
class FunctionRuntime(View):
    """A Lambda function's managed runtime identifier (`python3.12`)."""

    runtime: Field[str]  # "" when not set: a container image function, or (SAM) from Globals
    # SAM functions may take their Runtime from the template's Globals section, which no
    # resource carries: a missing Runtime there is not known.
    runtime_may_be_global: bool = False


@dataclass
class KubernetesCluster(View):
    """An EKS cluster's Kubernetes minor version ("" when omitted: the current default)."""

    version: Field[str]


@dataclass
class ImageRepository(View):
    """An ECR repository's scan-on-push setting, registry-level scanning when declared, and
    whether pushed tags may be overwritten."""

    scan_on_push: Field[bool]
    # An aws_ecr_registry_scanning_configuration in the same configuration that scans every
    # repository on push (or continuously): None when there is none.
    registry_scanning: Field[bool] | None = None
    # "MUTABLE" (the default), "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION" or
    # "MUTABLE_WITH_EXCLUSION". None: not read.
    tag_mutability: Field[str] | None = None


# Amazon MQ manages patch upgrades itself from these engine versions on, and requires
# automatic minor version upgrades to be on for them (Amazon MQ Developer Guide,
# "Upgrading an Amazon MQ broker engine version").
MQ_MANAGED_FROM = {"activemq": (5, 18), "rabbitmq": (3, 13)}


def mq_patches_managed(engine_type: str, version: str) -> bool:
    """True when Amazon MQ keeps a broker of this engine and version patched by itself.

    An empty version means the latest one, which AWS manages.
    """
    if not version.strip():
        return True
    threshold = MQ_MANAGED_FROM.get(engine_type.strip().lower())
    if threshold is None:
        return False
    parts = version.strip().split(".")
    try:
        numbers = tuple(int(p) for p in parts[:2])
    except ValueError:
        return False
    if len(numbers) == 1:
        numbers = (numbers[0], 0)
    return numbers >= threshold


def wildcard_match(pattern: str, name: str) -> bool:
    """ECR repository filters: `*` stands for any characters, nothing else is special."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == name
    if not name.startswith(parts[0]) or not name.endswith(parts[-1]):
        return False
    pos, end = len(parts[0]), len(name) - len(parts[-1])
    for middle in parts[1:-1]:
        found = name.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return pos <= end


@dataclass
class BackupRetention(View):
    """How many days of automated backups (snapshots) a database or cache keeps."""

    service: str  # for messages: "RDS DB instance"
    attribute: str  # the setting's name in this format
    days: Field[int]  # 0: automated backups off
    # Why retention is decided elsewhere ("" when it is not): an Aurora instance (its cluster),
    # a read replica, a cache inside a replication group, Memcached (no backups).
    not_applicable: str = ""


@dataclass
class LogGroupRetention(View):
    """How long a CloudWatch Logs log group keeps its events (0: never expire)."""

    days: Field[int]


@dataclass
class DeletionProtection(View):
    """Whether a database refuses to be deleted until its deletion protection is turned off."""

    service: str
    attribute: str
    enabled: Field[bool]
    not_applicable: str = ""  # e.g. an Aurora instance: its cluster carries the setting
