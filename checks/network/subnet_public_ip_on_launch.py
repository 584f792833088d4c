from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.vpc import Subnet


def check(subnet: Subnet) -> Outcome:
    setting = subnet.map_public_ip_on_launch
    if setting.unknown:
        return Undecided("map_public_ip_on_launch is not known statically", setting.span)
    if setting.value is True:
        return Fail(
            f"Subnet {subnet.address} gives every instance launched in it a public IPv4 address",
            setting,
            attribute="map_public_ip_on_launch",
        )
    return PASS


RULE = Rule(
    id="NET008",
    name="SubnetAssignsPublicIpOnLaunch",
    title="Subnet assigns a public IPv4 address to every instance launched in it",
    severity=Severity.LOW,
    severity_reason=(
        "A public address alone opens nothing, but every instance in the subnet becomes reachable "
        "from the internet as far as its security group allows, whether it needs to be or not."
    ),
    domain=Domain.NETWORK,
    view=Subnet,
    check=check,
    resource_types=("aws_subnet", "AWS::EC2::Subnet"),
    rationale=(
        "Which workloads face the internet is the customer's decision. A subnet with \"auto-assign "
        "public IPv4 address\" on (map_public_ip_on_launch / MapPublicIpOnLaunch true) gives an "
        "address to every instance launched in it that does not refuse one, including instances, "
        "containers and managed nodes that were never meant to be reachable, and a security group "
        "opened by mistake then exposes them at once. Even in a public subnet the address should "
        "be asked for deliberately, per instance or launch template (associate_public_ip_address / "
        "AssociatePublicIpAddress), or given through a load balancer or an Elastic IP; since "
        "February 2024 AWS also charges for every public IPv4 address. Subnets are created without "
        "the setting unless the template turns it on (default subnets of a default VPC have it on "
        "and are not managed here). The customer must leave the setting off and assign public "
        "addresses only to the instances that need them."
    ),
    remediation=(
        "Set map_public_ip_on_launch (MapPublicIpOnLaunch) to false, and request a public address "
        "only in the launch settings of the instances that must be reachable."
    ),
    terraform_fix="""\
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = false
}""",
    cloudformation_fix="""\
PublicSubnet:
  Type: AWS::EC2::Subnet
  Properties:
    VpcId: !Ref Vpc
    CidrBlock: 10.0.1.0/24
    MapPublicIpOnLaunch: false""",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-15",
    ),
    security_severity=3.5,
    tags=("vpc", "subnet", "internet-exposure"),
)
