"""Resource-based policies of services other than S3: KMS key policies, SQS queue policies,
SNS topic policies, OpenSearch domain access policies. Each statement keeps its principals
and condition tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field, Unknown
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
    """An SQS queue policy, an SNS topic policy, or the access policy of an OpenSearch
    (Elasticsearch) domain; `service` is "sqs", "sns", "opensearch" or "elasticsearch".

    For a domain: `in_vpc` says whether it is reachable only from inside a VPC, and
    `fine_grained` whether fine-grained access control authenticates every request (enabled,
    anonymous access off); None for queues and topics, Unknown when not known.
    """

    service: str = ""
    in_vpc: Field[bool] | None = None
    fine_grained: Field[bool] | None = None
