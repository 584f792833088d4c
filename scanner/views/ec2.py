"""EC2 pieces: EBS volumes and security groups with all their rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


@dataclass
class Volume(View):
    encrypted: Field[bool]
    kms_key_id: Field[str]
    snapshot_id: Field[str]
    # The account-level `encryption by default` switch, when the scanned code sets it.
    default_encryption: Field[bool] | None = None
    # A volume EC2 creates at launch from a block device mapping of an instance, launch
    # template or launch configuration: which one ("root_block_device",
    # "BlockDeviceMappings[/dev/sdf]"); "" for a volume resource of its own.
    device: str = ""
    # The volume is (or may be) restored from the AMI's snapshot, the root volume above all:
    # unless `encrypted` is set it keeps that snapshot's encryption, which the code does not show.
    from_image: bool = False

    @property
    def key(self) -> str:
        return self.device


@dataclass
class SecurityGroupRule:
    direction: str  # "ingress" or "egress"
    protocol: Field[str]  # normalised: "tcp", "udp", "icmp", "-1" (all), or a number
    from_port: Field[int]
    to_port: Field[int]
    cidrs: list[Field[str]]  # IPv4 and IPv6 ranges; other sources (groups, prefix lists) are not here
    span: Span  # the rule block or rule resource
    defined_in: str  # address of the resource that declares the rule


@dataclass
class SecurityGroup(View):
    rules: list[SecurityGroupRule] = field(default_factory=list)
    # Rule resources that target some group that cannot be resolved: this group might get them.
    unresolved_rules: int = 0
    # The VPC's default security group: Terraform's aws_default_security_group, or the
    # default group of a VPC of the template that rule resources are attached to
    # (`aws_vpc.main.default_security_group_id`, `!GetAtt Vpc.DefaultSecurityGroup`); the
    # view's resource is then the VPC.
    is_default: bool = False
    # A rule resource whose group is not declared in the scanned code (a literal id, a
    # variable or parameter, a data source, an import, a remote module's output): it is
    # judged on its own. The view's resource is then the rule resource and `rules` holds its
    # ingress rule alone. Rule resources attached to a declared group are only in that
    # group's view, never here.
    external: bool = False


@dataclass
class DefaultSecurityGroup(View):
    """A VPC's default security group, for the rules about default groups only.

    It holds the group's `SecurityGroup` view (which the rules about every group read),
    so that rules meant for default groups are not counted as passed on other groups.
    """

    group: SecurityGroup
