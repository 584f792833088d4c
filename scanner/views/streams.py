"""Kinesis data streams."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class DataStream(View):
    """A Kinesis data stream and its server-side encryption."""

    encryption_type: Field[str]  # "KMS" or "NONE"; NONE when left out (no default encryption)
    kms_key_id: Field[str]  # "" when no key is named



@dataclass
class KafkaCluster(View):
    """An Amazon MSK provisioned cluster.

    `broker_logs` is True when a broker log destination (CloudWatch Logs, Data Firehose or S3)
    is enabled, at that destination's switch; False at the first switch turned off, or at the
    resource when no broker logging is configured.
    """

    broker_logs: Field[bool]
