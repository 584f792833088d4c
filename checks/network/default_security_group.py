from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.ec2 import DefaultSecurityGroup


def check(default: DefaultSecurityGroup) -> Iterator[Outcome]:
    group = default.group
    counts: dict[tuple[str, str], int] = {}
    failed = False
    for rule in group.rules:
        key = (rule.defined_in, rule.direction)
        index = counts.get(key, 0)
        counts[key] = index + 1
        if rule.protocol.unknown and all(c.unknown for c in rule.cidrs) and rule.defined_in == group.address:
            # An inline list that cannot be read (e.g. a dynamic block over unknown values):
            # it may hold no rule at all.
            continue
        failed = True
        where = f" (rule in {rule.defined_in})" if rule.defined_in != group.address else ""
        subject = ("The default security group" if group.type == "aws_default_security_group"
                   else "The default security group of")
        yield Fail(
            f"{subject} {group.address} has an {rule.direction} rule{where}: the default group "
            "must not allow any traffic",
            rule.span.head(),
            attribute=f"{rule.defined_in}:{rule.direction}[{index}]",
        )
    if failed:
        return
    unreadable = any(r.protocol.unknown and r.defined_in == group.address for r in group.rules)
    if unreadable or group.unresolved_rules:
        yield Undecided("some rules of the default security group are not known statically", group.span)
    else:
        yield PASS


RULE = Rule(
    id="NET003",
    name="DefaultSecurityGroupAllowsTraffic",
    title="Default security group of a VPC has ingress or egress rules",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Resources launched without a chosen group land in the default group, where any rule "
        "opens traffic nobody designed for them."
    ),
    domain=Domain.NETWORK,
    view=DefaultSecurityGroup,
    check=check,
    resource_types=(
        "aws_default_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::VPC",
    ),
    rationale=(
        "Every VPC has a default security group, and an instance, interface or endpoint "
        "created without a group is placed in it. AWS creates that group with a rule that "
        "allows all traffic between its members and a rule that allows all outbound traffic; "
        "removing them, so that the group allows nothing and every workload gets a group made "
        "for it, is the customer's duty (CIS 5.4). In Terraform, aws_default_security_group "
        "takes the group over and removes every rule it does not declare: declared with no "
        "ingress or egress block it closes the group, and each rule it declares (inline, or "
        "in an aws_security_group_rule / aws_vpc_security_group_*_rule attached to it or to "
        "an aws_vpc's default_security_group_id) is flagged. CloudFormation cannot manage the "
        "default group itself (it has no resource for it); the rule flags "
        "AWS::EC2::SecurityGroupIngress and SecurityGroupEgress resources whose GroupId is "
        "`!GetAtt <Vpc>.DefaultSecurityGroup`, which add traffic to it. A VPC whose default "
        "group the template never mentions is not flagged: its default rules must still be "
        "removed, by aws_default_security_group in Terraform or outside CloudFormation (for "
        "example the AWS Config rule vpc-default-security-group-closed with remediation)."
    ),
    remediation=(
        "Remove every rule from the default security group and give each workload a security "
        "group of its own with only the traffic it needs."
    ),
    terraform_fix="""\
# Takes over the VPC's default group and removes all its rules.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}""",
    cloudformation_fix="""\
# Attach rules to a group of your own, never to !GetAtt Vpc.DefaultSecurityGroup.
AppSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc
AppIngress:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !GetAtt AppSecurityGroup.GroupId
    IpProtocol: tcp
    FromPort: 443
    ToPort: 443
    CidrIp: 10.0.0.0/16""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2",
        "CIS AWS Foundations Benchmark v3.0.0, 5.4",
    ),
    security_severity=5.5,
    tags=("ec2", "security-group", "vpc", "cis"),
)
