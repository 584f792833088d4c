"""Resource-based policies of services other than S3: KMS key policies, SQS queue policies,
SNS topic policies. Each statement keeps its principals and condition tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Unknown
from scanner.views.base import View
from scanner.views.datastores import ResourceStatement


@dataclass
class ServicePolicy(View):
    """A resource policy document, written on the resource or in a separate policy resource.

    `target` names what it governs (the resource's address, a literal name or ARN, "" when
    not known); `unknown` is set when the document cannot be read statically.
    """

    target: str
    span_of_document: Span
    statements: list[ResourceStatement] = field(default_factory=list)
    unknown: Unknown | None = None


@dataclass
class KeyPolicy(ServicePolicy):
    """A KMS key policy (aws_kms_key policy, aws_kms_key_policy, AWS::KMS::Key KeyPolicy)."""


@dataclass
class MessagingPolicy(ServicePolicy):
    """An SQS queue policy or an SNS topic policy; `service` is "sqs" or "sns"."""

    service: str = ""
