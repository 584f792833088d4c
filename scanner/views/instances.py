"""EC2 instances and the templates that launch them: whether they get a public IPv4 address."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.values import Field
from scanner.views.base import View


@dataclass
class InstanceAddressing(View):
    kind: str  # "instance", "launch template", "launch configuration", "spot request"
    # Every place that asks for (or refuses) a public IPv4 address: the instance's own
    # setting, or one per network interface. Empty when nothing is said: the subnet's
    # "auto-assign public IPv4" setting decides.
    associate_public_ip: list[Field[bool]] = field(default_factory=list)
