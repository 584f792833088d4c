from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.vpc import AclEntry, NetworkAcl

INTERNET = {"0.0.0.0/0": 4, "::/0": 6}
# Remote administration ports, and the protocols they answer on.
ADMIN_PORTS = ((22, "tcp", "SSH"), (3389, "tcp", "RDP"), (3389, "udp", "RDP"))


def _matches(entry: AclEntry, port: int, protocol: str) -> bool | None:
    """Whether the entry matches packets to `port` over `protocol`; None when unknown."""
    if entry.protocol.unknown:
        return None
    if entry.protocol.value == "-1":
        return True
    if entry.protocol.value != protocol:
        return False
    if entry.from_port.unknown or entry.to_port.unknown:
        return None
    low, high = entry.from_port.value, entry.to_port.value
    return isinstance(low, int) and isinstance(high, int) and low <= port <= high


def _ingress(entry: AclEntry) -> bool | None:
    return None if entry.egress.unknown else not entry.egress.value


def _shadowed(allow: AclEntry, family: int, port: int, protocol: str,
              candidates: list[AclEntry], maybe: list[AclEntry]) -> bool | None:
    """Whether a deny evaluated before `allow` drops all of its traffic to `port`.

    Rules are evaluated from the lowest number up and the first match decides, so a deny
    with a lower number for the whole internet (same address family), this protocol and
    port wins. A deny for a narrower range leaves the rest of the internet allowed.
    """
    result: bool | None = False
    for deny in candidates + maybe:
        if deny is allow:
            continue
        facts = [_ingress(deny)]
        facts.append(None if deny.action.unknown else deny.action.value == "deny")
        facts.append(None if deny.cidr.unknown else INTERNET.get(str(deny.cidr.value)) == family)
        if deny.rule_number.unknown or allow.rule_number.unknown:
            facts.append(None)
        else:
            facts.append(deny.rule_number.value < allow.rule_number.value)  # type: ignore[operator]
        facts.append(_matches(deny, port, protocol))
        if any(f is False for f in facts):
            continue
        if all(f is True for f in facts) and not any(deny is m for m in maybe):
            return True
        result = None
    return result


def check(acl: NetworkAcl) -> Iterator[Outcome]:
    decided = True
    failed = False
    for entry in acl.entries:
        ingress = _ingress(entry)
        if ingress is False:
            continue
        if entry.action.unknown or entry.cidr.unknown or ingress is None:
            if entry.action.value != "deny":
                decided = False
            continue
        if entry.action.value != "allow":
            continue
        family = INTERNET.get(str(entry.cidr.value))
        if family is None:
            continue
        opened: list[str] = []
        for port, protocol, name in ADMIN_PORTS:
            matches = _matches(entry, port, protocol)
            if matches is None:
                decided = False
                continue
            if not matches:
                continue
            shadowed = _shadowed(entry, family, port, protocol, acl.entries, acl.maybe_entries)
            if shadowed is None:
                decided = False
            elif not shadowed and f"{name} ({port})" not in opened:
                opened.append(f"{name} ({port})")
        if not opened:
            continue
        failed = True
        what = "all traffic" if entry.protocol.value == "-1" else ", ".join(opened)
        number = entry.rule_number.value if not entry.rule_number.unknown else "?"
        where = f" (entry in {entry.defined_in})" if entry.defined_in != acl.address else ""
        yield Fail(
            f"Network ACL {acl.address} rule {number} allows ingress from {entry.cidr.value} "
            f"to {what}{where}",
            entry.cidr,
            attribute=f"{entry.defined_in}:ingress:{number}:{entry.cidr.value}",
        )
    if failed:
        return
    if not decided:
        yield Undecided("some network ACL entries depend on values not known statically", acl.span)
    else:
        yield PASS


RULE = Rule(
    id="NET007",
    name="NetworkAclAdminPortsOpenToInternet",
    title="Network ACL allows ingress from the internet to SSH or RDP",
    severity=Severity.HIGH,
    severity_reason=(
        "The subnet's stateless firewall lets the whole internet reach remote administration "
        "ports; only the security groups stand between those ports and brute-force attempts."
    ),
    domain=Domain.NETWORK,
    view=NetworkAcl,
    check=check,
    resource_types=(
        "aws_network_acl",
        "aws_default_network_acl",
        "aws_network_acl_rule",
        "AWS::EC2::NetworkAcl",
        "AWS::EC2::NetworkAclEntry",
    ),
    rationale=(
        "AWS runs the network ACL; which traffic it lets into a subnet is the customer's "
        "decision. An inbound allow entry from 0.0.0.0/0 or ::/0 that covers TCP port 22 (SSH) "
        "or TCP or UDP port 3389 (RDP; RDP also runs over UDP), directly or through a port range or the all-protocols entry (-1), "
        "opens remote administration to the whole internet at the subnet edge (CIS AWS "
        "Foundations Benchmark 5.1). Entries are evaluated from the lowest rule number up and "
        "the first match decides, so an allow is not reported when a deny with a lower number "
        "covers the same traffic (the whole internet of that address family, the same port); "
        "a deny for a narrower range leaves the rest of the internet allowed. Like the CIS audit, a "
        "range that includes 3389 counts, so the return-traffic range 1024-65535 from the "
        "internet needs a lower-numbered deny for 3389 (or a range above it). Inline entries "
        "and separate entry resources are both considered. The customer must allow "
        "administration only from known ranges, or close the ports and use AWS Systems "
        "Manager Session Manager."
    ),
    remediation=(
        "Replace 0.0.0.0/0 (or ::/0) with the address range of the VPN or bastion, or add a deny "
        "entry with a lower rule number for ports 22 and 3389 from the internet."
    ),
    terraform_fix="""\
resource "aws_network_acl_rule" "ssh_from_vpn" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.20.0.0/16" # the VPN range, not 0.0.0.0/0
  from_port      = 22
  to_port        = 22
}""",
    cloudformation_fix="""\
SshFromVpn:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref PublicNetworkAcl
    RuleNumber: 100
    Egress: false
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.20.0.0/16
    PortRange:
      From: 22
      To: 22""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
        "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
        "CIS AWS Foundations Benchmark v3.0.0, 5.1",
    ),
    security_severity=8.1,
    tags=("vpc", "network-acl", "internet-exposure"),
)
