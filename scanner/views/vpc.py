"""VPC pieces that are not security groups: network ACLs and their entries, subnets."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


@dataclass
class AclEntry:
    """One numbered rule of a network ACL, inline or in its own resource.

    `protocol` is normalised like a security group rule's ("tcp", "udp", "icmp", "-1" for
    all, or a number); `cidr` is the IPv4 or IPv6 range the rule matches.
    """

    egress: Field[bool]
    rule_number: Field[int]
    action: Field[str]  # "allow" or "deny", lower case
    protocol: Field[str]
    from_port: Field[int]
    to_port: Field[int]
    cidr: Field[str]
    span: Span
    defined_in: str  # address of the resource that declares the entry


@dataclass
class NetworkAcl(View):
    """A network ACL and the entries that belong to it.

    The view's resource is the ACL when it is in the scanned configuration; for entries
    whose ACL is not (a literal id, a VPC's default ACL), it is the first such entry.
    `maybe_entries` are entries whose ACL cannot be resolved: they may belong here too.
    """

    entries: list[AclEntry] = field(default_factory=list)
    maybe_entries: list[AclEntry] = field(default_factory=list)


@dataclass
class Subnet(View):
    """A VPC subnet: does it give every instance launched in it a public IPv4 address."""

    map_public_ip_on_launch: Field[bool]
