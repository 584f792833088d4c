"""Amazon MQ message brokers."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class MessageBroker(View):
    """An Amazon MQ broker and the logs it publishes to CloudWatch Logs (both off by default)."""

    engine_type: Field[str]  # "ActiveMQ" or "RabbitMQ"
    general_logs: Field[bool]
    audit_logs: Field[bool]  # ActiveMQ only
