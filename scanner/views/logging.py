"""Audit trails and network flow logs."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class Trail(View):
    multi_region: Field[bool]
    log_file_validation: Field[bool]
    kms_key_id: Field[str]
    logging_enabled: Field[bool]


@dataclass
class Network(View):
    """A VPC. `flow_logs` is True, False, or Unknown when some flow log's target is unknown."""

    flow_logs: Field[bool]
