from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.ec2 import SecurityGroup, SecurityGroupRule

INTERNET = {"0.0.0.0/0", "::/0"}
ADMIN_PORTS = {22: "SSH", 3389: "RDP"}


def _exposure(rule: SecurityGroupRule) -> str | None:
    """What the rule opens: 'all ports', 'SSH (22)'..., None if nothing of concern, '?' if unknown."""
    protocol = rule.protocol.value
    if rule.protocol.unknown:
        return "?"
    if protocol in ("-1", "all"):
        return "all ports"
    if protocol not in ("tcp", "udp", "6", "17"):
        return None
    low, high = rule.from_port.value, rule.to_port.value
    if rule.from_port.unknown or rule.to_port.unknown:
        return "?"
    if not isinstance(low, int) or not isinstance(high, int):
        return None
    if (low <= 0 and high >= 65535) or low == -1:
        return "all ports"
    is_tcp = protocol in ("tcp", "6")
    opened = [
        f"{name} ({port})"
        for port, name in ADMIN_PORTS.items()
        if low <= port <= high and (is_tcp or port == 3389)
    ]
    return ", ".join(opened) or None


def message(group: SecurityGroup, rule: SecurityGroupRule, allows: str) -> str:
    """`allows` said of the group (and where its rule is), or of a rule for an outside group."""
    if group.external:
        return f"Security group rule {group.address} (for a group not declared here) {allows}"
    where = f" (rule in {rule.defined_in})" if rule.defined_in != group.address else ""
    return f"Security group {group.address} {allows}{where}"


def undecided(group: SecurityGroup, rule: SecurityGroupRule, ports_known: bool) -> Undecided:
    """Undecided at the rule's first unknown value that matters, saying which and why.

    `ports_known`: the protocol and ports are decided, so only a source range is to blame.
    """
    named: list[tuple[str, Field[object]]] = [("source CIDR", c) for c in rule.cidrs]
    if not ports_known:
        named += [("protocol", rule.protocol), ("from port", rule.from_port), ("to port", rule.to_port)]
    unknown = sorted((f.span, what, f) for what, f in named if f.unknown)
    if not unknown:  # not reached: a rule is undecided because of an unknown value
        return Undecided("an ingress rule depends on values not known statically", rule.span)
    span, what, value = unknown[0]
    whose = ("of the rule" if group.external or rule.defined_in == group.address
             else f"of the rule in {rule.defined_in}")
    return Undecided(f"the {what} {whose} is not known statically: {value.value.reason}", span)


def check(group: SecurityGroup) -> Iterator[Outcome]:
    pending: Undecided | None = None
    failed = False
    for rule in group.rules:
        if rule.direction != "ingress":
            continue
        open_cidrs = [c for c in rule.cidrs if not c.unknown and c.value in INTERNET]
        unknown_cidrs = [c for c in rule.cidrs if c.unknown]
        if not open_cidrs and not unknown_cidrs:
            continue
        exposure = _exposure(rule)
        if exposure is None:
            continue
        if exposure == "?" or not open_cidrs:
            pending = pending or undecided(group, rule, exposure != "?")
            continue
        failed = True
        cidr = open_cidrs[0]
        yield Fail(
            message(group, rule, f"allows ingress from {cidr.value} to {exposure}"),
            cidr,
            attribute=f"{rule.defined_in}:ingress:{cidr.value}",
        )
    if not failed:
        yield pending or PASS


RULE = Rule(
    id="NET001",
    name="SecurityGroupAdminPortsOpenToInternet",
    title="Security group allows ingress from the internet to SSH, RDP or all ports",
    severity=Severity.CRITICAL,
    severity_reason="Remote administration ports open to the internet are scanned and brute-forced within minutes.",
    domain=Domain.NETWORK,
    view=SecurityGroup,
    check=check,
    resource_types=(
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
    ),
    rationale=(
        "AWS provides the firewall; deciding what passes it is the customer's duty. An ingress "
        "rule from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389) or to every port exposes the "
        "instances behind the group to the whole internet. Rules written inline in the group "
        "and rules in separate resources are both considered; a rule resource for a group "
        "declared elsewhere (a literal id, a variable or parameter, a data source, an import) "
        "is judged on its own."
    ),
    remediation=(
        "Allow administration only from known ranges (a VPN or bastion), or use AWS Systems "
        "Manager Session Manager and close the port entirely."
    ),
    terraform_fix="""\
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.web.id
  cidr_ipv4         = "10.20.0.0/16" # the VPN range, not 0.0.0.0/0
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
}""",
    cloudformation_fix="""\
WebSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: web
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 22
        ToPort: 22
        CidrIp: 10.20.0.0/16""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "CIS AWS Foundations Benchmark v3.0.0, 5.2 and 5.3",
    ),
    security_severity=9.3,
    tags=("ec2", "security-group", "internet-exposure"),
)
