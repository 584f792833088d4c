"""Monitoring and configuration history: CloudWatch log groups, EKS control-plane logging,
the AWS Config recorder."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class LogGroup(View):
    """A CloudWatch Logs log group: the KMS key that encrypts it ("" when none)."""

    kms_key_id: Field[str]


@dataclass
class EksCluster(View):
    """An EKS cluster: the control-plane log types it sends to CloudWatch Logs.

    `log_types_set` is True where the list is written, False (at the resource) when it is
    not, Unknown when the list itself is not known statically.
    """

    log_types: list[Field[str]]
    log_types_set: Field[bool]


@dataclass
class ConfigRecorder(View):
    """An AWS Config configuration recorder and what it records."""

    all_supported: Field[bool]
    recording_strategy: Field[str]  # "" when not set
