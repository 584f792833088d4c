"""Security group rule resources for groups declared elsewhere, and where Undecided points."""

from __future__ import annotations

from views_from_source import cfn, tf

from checks.registry import BY_ID
from scanner.rules import Fail, Undecided
from scanner.views.ec2 import DefaultSecurityGroup, SecurityGroup

TF_RULES = """
variable "sg_id" {
  type = string
}
variable "admin_cidr" {
  type = string
}
data "aws_security_group" "shared" {
  name = "shared"
}
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_security_group_rule" "mine" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
resource "aws_security_group_rule" "by_variable" {
  type              = "ingress"
  security_group_id = var.sg_id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.admin_cidr]
}
resource "aws_vpc_security_group_ingress_rule" "by_data_source" {
  security_group_id = data.aws_security_group.shared.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
resource "aws_vpc_security_group_egress_rule" "out" {
  security_group_id = "sg-0123456789abcdef0"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
"""

CFN_RULES = """\
Parameters:
  ExistingSg:
    Type: AWS::EC2::SecurityGroup::Id
  AdminCidr:
    Type: String
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web
  ByName:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: web
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
  OtherName:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: some-other-group
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
  ByParameter:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref ExistingSg
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: !Ref AdminCidr
  Out:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: "-1"
      CidrIp: 0.0.0.0/0
"""


def line_of(src: str, text: str, after: str = "") -> int:
    """The 1-based line of the first `text` after `after` in `src`."""
    start = src.index(after)
    return src.count("\n", 0, src.index(text, start)) + 1


def test_terraform_rules_for_outside_groups_get_views_of_their_own() -> None:
    groups = tf(SecurityGroup, TF_RULES)
    # A data source is a group declared elsewhere: no group view; egress rules get none.
    assert set(groups) == {"aws_security_group.web", "aws_security_group_rule.by_variable",
                           "aws_vpc_security_group_ingress_rule.by_data_source"}
    assert not groups["aws_security_group.web"].external
    assert [r.defined_in for r in groups["aws_security_group.web"].rules] == ["aws_security_group_rule.mine"]
    outside = groups["aws_vpc_security_group_ingress_rule.by_data_source"]
    assert outside.external and not outside.is_default
    (rule,) = outside.rules
    assert rule.direction == "ingress" and [c.value for c in rule.cidrs] == ["0.0.0.0/0"]
    assert tf(DefaultSecurityGroup, TF_RULES) == {}


def test_cloudformation_rules_for_outside_groups_get_views_of_their_own() -> None:
    groups = cfn(SecurityGroup, CFN_RULES)
    assert set(groups) == {"Web", "OtherName", "ByParameter"}
    assert [r.defined_in for r in groups["Web"].rules] == ["ByName"]
    assert groups["OtherName"].external and groups["ByParameter"].external
    assert cfn(DefaultSecurityGroup, CFN_RULES) == {}


def test_outside_group_finding_is_on_the_cidr_and_says_so() -> None:
    view = tf(SecurityGroup, TF_RULES)["aws_vpc_security_group_ingress_rule.by_data_source"]
    (fail,) = BY_ID["NET001"].outcomes(view)
    assert isinstance(fail, Fail)
    assert fail.message == (
        "Security group rule aws_vpc_security_group_ingress_rule.by_data_source "
        "(for a group not declared here) allows ingress from 0.0.0.0/0 to all ports")
    assert fail.span.start_line == line_of(TF_RULES, "cidr_ipv4", "by_data_source")


def test_group_declared_here_keeps_its_message() -> None:
    (fail,) = BY_ID["NET001"].outcomes(cfn(SecurityGroup, CFN_RULES)["Web"])
    assert isinstance(fail, Fail)
    assert fail.message == "Security group Web allows ingress from 0.0.0.0/0 to SSH (22) (rule in ByName)"


def test_undecided_points_at_the_unknown_cidr_and_names_it() -> None:
    view = tf(SecurityGroup, TF_RULES)["aws_security_group_rule.by_variable"]
    (undecided,) = BY_ID["NET001"].outcomes(view)
    assert isinstance(undecided, Undecided)
    assert undecided.at.start_line == line_of(TF_RULES, "[var.admin_cidr]")
    assert undecided.reason == ("the source CIDR of the rule is not known statically: "
                                "var.admin_cidr has no default and no value was given")
    (undecided,) = BY_ID["NET001"].outcomes(cfn(SecurityGroup, CFN_RULES)["ByParameter"])
    assert isinstance(undecided, Undecided)
    assert undecided.at.start_line == line_of(CFN_RULES, "CidrIp: !Ref AdminCidr")
    assert "parameter AdminCidr has no default" in undecided.reason


def test_undecided_points_at_an_unknown_port() -> None:
    src = """
variable "port" {
  type = number
}
resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    view = tf(SecurityGroup, src)["aws_security_group.db"]
    for rule_id in ("NET001", "NET004"):
        (undecided,) = BY_ID[rule_id].outcomes(view)
        assert isinstance(undecided, Undecided)
        assert undecided.at.start_line == line_of(src, "from_port")
        assert undecided.reason.startswith("the from port of the rule is not known statically: var.port")


def test_a_rule_with_an_unknown_group_no_longer_makes_other_groups_undecided() -> None:
    src = """
variable "sg_id" {
  type = string
}
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = var.sg_id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
"""
    groups = tf(SecurityGroup, src)
    # The rule is judged on its own: the group it might belong to is not left undecided.
    assert [type(o).__name__ for o in BY_ID["NET001"].outcomes(groups["aws_security_group.web"])] == ["Passed"]
    assert isinstance(next(iter(BY_ID["NET001"].outcomes(groups["aws_security_group_rule.ssh"]))), Fail)
