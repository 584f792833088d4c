"""Network ACLs, subnets, resource policies and more: views read from source text."""

from __future__ import annotations

from views_from_source import cfn, outcome, tf

from scanner.rules import Fail, Passed, Undecided
from scanner.values import Origin
from scanner.views.vpc import NetworkAcl

# -- NET007: network ACLs ---------------------------------------------------------------

def test_terraform_acl_entries_inline_and_attached() -> None:
    views = tf(NetworkAcl, """
resource "aws_network_acl" "a" {
  vpc_id = "vpc-1"
  ingress = [{
    protocol = "6", rule_no = 100, action = "ALLOW", cidr_block = "0.0.0.0/0",
    from_port = 22, to_port = 22
  }]
}
resource "aws_network_acl_rule" "r" {
  network_acl_id = aws_network_acl.a.id
  rule_number    = "90"
  egress         = "true"
  protocol       = "all"
  rule_action    = "deny"
  ipv6_cidr_block = "::/0"
}
""")
    acl = views["aws_network_acl.a"]
    inline, attached = acl.entries
    assert (inline.protocol.value, inline.action.value, inline.rule_number.value) == ("tcp", "allow", 100)
    assert inline.egress.value is False and inline.egress.origin is Origin.EXPLICIT
    assert attached.egress.value is True and attached.rule_number.value == 90
    assert (attached.protocol.value, attached.cidr.value) == ("-1", "::/0")
    assert outcome("NET007", acl) is Fail


def test_terraform_acl_rule_with_unknown_acl_may_shadow() -> None:
    views = tf(NetworkAcl, """
variable "acl_id" {
  type = string
}
resource "aws_network_acl" "a" {
  vpc_id = "vpc-1"
  ingress {
    protocol = "tcp"
    rule_no = 100
    action = "allow"
    cidr_block = "0.0.0.0/0"
    from_port = 22
    to_port = 22
  }
}
resource "aws_network_acl_rule" "deny" {
  network_acl_id = var.acl_id
  rule_number    = 10
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
}
""")
    acl = views["aws_network_acl.a"]
    assert len(acl.maybe_entries) == 1
    assert outcome("NET007", acl) is Undecided
    # The detached deny is judged alone: a deny opens nothing.
    assert outcome("NET007", views["aws_network_acl_rule.deny"]) is Passed


def test_cloudformation_acl_entry_defaults_and_outside_acl() -> None:
    views = cfn(NetworkAcl, """
Resources:
  A:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: acl-0123
      RuleNumber: 100
      Protocol: "6"
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 3389, To: 3389}
  B:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: acl-0123
      RuleNumber: 50
      Protocol: 6
      RuleAction: deny
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 3000, To: 4000}
""")
    assert list(views) == ["A"]  # one view per outside ACL, named after its first entry
    acl = views["A"]
    assert len(acl.entries) == 2
    assert acl.entries[0].egress.origin is Origin.DEFAULT and acl.entries[0].egress.value is False
    assert outcome("NET007", acl) is Passed  # the lower-numbered deny shadows the allow


# -- NET008: subnets ------------------------------------------------------------------------

def test_subnet_public_ip_defaults_and_strings() -> None:
    from scanner.views.vpc import Subnet

    views = tf(Subnet, """
resource "aws_subnet" "a" {
  vpc_id = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
resource "aws_subnet" "b" {
  vpc_id = "vpc-1"
  cidr_block = "10.0.1.0/24"
  map_public_ip_on_launch = "true"
}
""")
    assert views["aws_subnet.a"].map_public_ip_on_launch.value is False
    assert views["aws_subnet.a"].map_public_ip_on_launch.origin is Origin.DEFAULT
    assert views["aws_subnet.b"].map_public_ip_on_launch.value is True
    cviews = cfn(Subnet, """
Resources:
  S:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-1
      CidrBlock: 10.0.0.0/24
      MapPublicIpOnLaunch: "false"
""")
    assert cviews["S"].map_public_ip_on_launch.value is False


# -- IAM006: KMS key policies ---------------------------------------------------------------

def test_key_policies_inline_separate_and_string() -> None:
    from scanner.views.resource_policies import KeyPolicy

    views = tf(KeyPolicy, """
resource "aws_kms_key" "k" {
  description = "k"
}
resource "aws_kms_key_policy" "p" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*",
      Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } } }]
  })
}
resource "aws_kms_key" "empty" {
  policy = ""
}
""")
    assert list(views) == ["aws_kms_key_policy.p"]
    policy = views["aws_kms_key_policy.p"]
    assert policy.target == "aws_kms_key.k"
    (st,) = policy.statements
    assert [p.value for p in st.principals] == ["*"]
    assert [(c.key, [v.value for v in c.values]) for c in st.conditions] == [
        ("kms:CallerAccount", ["111122223333"])]
    assert outcome("IAM006", policy) is Passed

    cviews = cfn(KeyPolicy, """
Parameters:
  Doc:
    Type: String
Resources:
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}'
  U:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: !Ref Doc
""")
    assert outcome("IAM006", cviews["K"]) is Fail
    assert outcome("IAM006", cviews["U"]) is Undecided


def test_wildcard_account_in_arn_condition_does_not_restrict() -> None:
    from checks.policy_conditions import restricts
    from scanner.source import Span
    from scanner.values import Field
    from scanner.views.datastores import ConditionTest

    span = Span("t", 1, 1, 1, 1)

    def test(key: str, value: str) -> bool | None:
        return restricts(ConditionTest("ArnLike", key, [Field(value, span)], span))

    assert test("aws:SourceArn", "arn:aws:s3:::my-bucket") is True
    assert test("aws:SourceArn", "arn:aws:sns:*:111122223333:topic") is True
    assert test("aws:SourceArn", "arn:aws:sns:us-east-1:*:topic") is False
    assert test("aws:PrincipalArn", "*") is False


# -- IAM007: AdministratorAccess ------------------------------------------------------------

def test_managed_policy_attachments_in_both_formats() -> None:
    from scanner.views.managed_policies import ManagedPolicyAttachment

    views = tf(ManagedPolicyAttachment, """
data "aws_partition" "p" {}
resource "aws_iam_policy_attachment" "a" {
  name = "a"
  users = ["u"]
  groups = ["g"]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role_policy_attachment" "b" {
  role = "r"
  policy_arn = "arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role" "none" {
  name = "none"
  assume_role_policy = "{}"
}
""")
    assert sorted(views) == ["aws_iam_policy_attachment.a", "aws_iam_role_policy_attachment.b"]
    assert views["aws_iam_policy_attachment.a"].principal_kind == "users, groups"
    assert outcome("IAM007", views["aws_iam_policy_attachment.a"]) is Fail
    # the partition is unknown, but the policy it names is AdministratorAccess in every partition
    assert outcome("IAM007", views["aws_iam_role_policy_attachment.b"]) is Fail
    cviews = cfn(ManagedPolicyAttachment, """
Resources:
  G:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
""")
    assert [a.value for a in cviews["G"].policy_arns] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert outcome("IAM007", cviews["G"]) is Passed
