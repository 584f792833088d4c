"""Resources as every format hands them to the graph: an address, a type, a body of nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from scanner.source import Span
from scanner.values import Node


class Format(str, Enum):
    TERRAFORM = "terraform"
    CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True)
class Reference:
    """`attribute` of the referring resource names `target` (a graph node id)."""

    target: str
    attribute: str
    span: Span


@dataclass
class Resource:
    """One resource (or data source) instance.

    `id` is unique across the scan (`<scope>::<address>`); `scope` is the
    configuration it belongs to: a Terraform root module directory, or a
    CloudFormation template file (and document). References name other ids.
    """

    id: str
    address: str
    type: str
    format: Format
    span: Span
    body: Node
    scope: str
    references: list[Reference] = field(default_factory=list)
    data: bool = False
    # Where a module instance was called from, outermost first (Terraform modules,
    # CloudFormation nested stacks).
    call_chain: tuple[Span, ...] = ()
    # CloudFormation condition scenarios: the truth value of each condition under which
    # this copy of the resource exists, and how many scenarios its template has. A
    # resource evaluated once has no scenario.
    scenario: tuple[tuple[str, bool], ...] = ()
    scenario_total: int = 1
    # The provider configuration that manages it (Terraform: "aws", "aws.west"; "" otherwise).
    provider: str = ""
    # The region that configuration deploys to: a Terraform provider's `region` (the node sits
    # on that attribute, with its provenance) or a CloudFormation stack's region (`--region`);
    # Unknown when nothing says; None when the input cannot tell (a plan). A Terraform
    # resource's own `region` argument (AWS provider 6) is in `body`, not here.
    region: Node | None = None
