from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.instances import InstanceAddressing


def check(view: InstanceAddressing) -> Iterator[Outcome]:
    failed = undecided = False
    for index, setting in enumerate(view.associate_public_ip):
        if setting.unknown:
            undecided = True
        elif setting.value is True:
            failed = True
            yield Fail(
                f"EC2 {view.kind} {view.address} asks for a public IPv4 address",
                setting,
                attribute=f"associate_public_ip_address[{index}]",
            )
    if failed:
        return
    if undecided:
        yield Undecided("whether a public IPv4 address is asked for is not known", view.span)
    else:
        yield PASS


RULE = Rule(
    id="NET006",
    name="InstancePublicIpAddress",
    title="EC2 instance or launch template assigns a public IPv4 address",
    severity=Severity.MEDIUM,
    severity_reason=(
        "A public address makes the instance reachable from the internet, with only its "
        "security group in the way; the exposure depends on that group."
    ),
    domain=Domain.NETWORK,
    view=InstanceAddressing,
    check=check,
    resource_types=(
        "aws_instance",
        "aws_spot_instance_request",
        "aws_launch_template",
        "aws_launch_configuration",
        "AWS::EC2::Instance",
        "AWS::EC2::LaunchTemplate",
        "AWS::AutoScaling::LaunchConfiguration",
    ),
    rationale=(
        "Which workloads face the internet is the customer's network design. An instance with "
        "a public IPv4 address can be reached directly from anywhere its security group allows, "
        "and one wrong rule (or a default group) exposes it; traffic from the internet is "
        "better received by a load balancer, CloudFront or API Gateway, and outbound traffic "
        "sent through a NAT gateway, with the instances in private subnets. Even a server "
        "meant to be public (a bastion, a VPN endpoint) is better given an Elastic IP on "
        "purpose, so that its exposure is a visible decision. The rule flags only an explicit "
        "request for a public address (associate_public_ip_address / AssociatePublicIpAddress "
        "true) on an instance, a launch template's network interface or a launch "
        "configuration; when nothing is said the subnet's auto-assign setting decides, which "
        "this rule does not judge. Since February 2024 AWS also charges for every public IPv4 "
        "address."
    ),
    remediation=(
        "Launch the instance in a private subnet without a public address and reach it through "
        "a load balancer, AWS Systems Manager Session Manager or a VPN; where a public address "
        "is required, suppress the finding with the reason."
    ),
    terraform_fix="""\
resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = data.aws_ami.app.id
  instance_type = "t3.small"

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.app.id]
  }
}""",
    cloudformation_fix="""\
AppInstance:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref AmiId
    InstanceType: t3.small
    NetworkInterfaces:
      - DeviceIndex: "0"
        SubnetId: !Ref PrivateSubnet
        AssociatePublicIpAddress: false""",
    references=(
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-9",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-25",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-5",
    ),
    security_severity=5.0,
    tags=("ec2", "internet-exposure", "public-ip"),
)
