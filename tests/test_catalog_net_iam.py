"""Network exposure and identity: views read from source text, for the tricky cases."""

from __future__ import annotations

from views_from_source import cfn, cfn_views, tf

from scanner.views.ec2 import DefaultSecurityGroup, SecurityGroup

# -- NET003: default security groups --------------------------------------------------

def test_terraform_default_groups() -> None:
    src = """
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_default_security_group" "a" {
  vpc_id = aws_vpc.a.id
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.a.id
}
resource "aws_vpc_security_group_egress_rule" "b" {
  security_group_id = aws_vpc.b.default_security_group_id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
"""
    groups = tf(SecurityGroup, src)
    assert groups["aws_default_security_group.a"].is_default
    assert not groups["aws_security_group.app"].is_default
    # The VPC with a rule on its default group gets a view; the other VPC does not.
    assert groups["aws_vpc.b"].is_default and "aws_vpc.a" not in groups
    (rule,) = groups["aws_vpc.b"].rules
    assert rule.direction == "egress" and rule.defined_in == "aws_vpc_security_group_egress_rule.b"
    defaults = tf(DefaultSecurityGroup, src)
    assert set(defaults) == {"aws_default_security_group.a", "aws_vpc.b"}
    assert defaults["aws_default_security_group.a"].group.rules == []


def test_cloudformation_default_group_rules() -> None:
    text = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
  Quiet:
    Type: AWS::EC2::VPC
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      VpcId: !Ref Quiet
  In:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Vpc.DefaultSecurityGroup
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: 0.0.0.0/0
  Out:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt G.GroupId
      IpProtocol: "-1"
      CidrIp: 0.0.0.0/0
"""
    groups = cfn(SecurityGroup, text)
    assert groups["Vpc"].is_default and not groups["G"].is_default and "Quiet" not in groups
    (rule,) = groups["Vpc"].rules
    assert (rule.direction, rule.from_port.value, rule.defined_in) == ("ingress", 5432, "In")
    assert [r.defined_in for r in groups["G"].rules] == ["Out"]
    assert set(cfn(DefaultSecurityGroup, text)) == {"Vpc"}


# -- NET004: the sensitive ports option ------------------------------------------------

def test_sensitive_ports_option_and_no_double_report() -> None:
    from checks.network import security_group_open_sensitive_ports as net004
    from scanner.rules import Fail, Passed

    src = """
resource "aws_security_group" "g" {
  ingress {
    from_port   = 8100
    to_port     = 8200
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 20
    to_port     = 25
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    group = tf(SecurityGroup, src)["aws_security_group.g"]
    assert isinstance(net004.RULE.outcomes(group)[0], Passed)  # 20-25 includes SSH: NET001's
    (fail,) = net004.RULE.outcomes(group, {"ports": [8180]})
    assert isinstance(fail, Fail) and "8180" in fail.message and fail.span.start_line == 7


# -- NET005: EKS endpoints -------------------------------------------------------------

def test_eks_defaults_and_unknowns() -> None:
    from scanner.views.eks import EksCluster

    src = """
variable "cidrs" {
  type = list(string)
}
resource "aws_eks_cluster" "d" {
  vpc_config {
    subnet_ids = ["s"]
  }
}
resource "aws_eks_cluster" "u" {
  vpc_config {
    endpoint_public_access = "false"
    public_access_cidrs    = var.cidrs
  }
}
"""
    clusters = tf(EksCluster, src)
    d, u = clusters["aws_eks_cluster.d"], clusters["aws_eks_cluster.u"]
    assert d.endpoint_public_access.value is True and not d.endpoint_public_access.explicit
    assert [(c.value, c.explicit) for c in d.public_access_cidrs] == [("0.0.0.0/0", False)]
    assert u.endpoint_public_access.value is False
    assert len(u.public_access_cidrs) == 1 and u.public_access_cidrs[0].unknown

    text = """\
Resources:
  C:
    Type: AWS::EKS::Cluster
    Properties:
      ResourcesVpcConfig:
        EndpointPublicAccess: "true"
        PublicAccessCidrs: []
"""
    c = cfn(EksCluster, text)["C"]
    assert c.endpoint_public_access.value is True and c.endpoint_public_access.explicit
    assert [(x.value, x.explicit) for x in c.public_access_cidrs] == [("0.0.0.0/0", False)]


# -- NET006: public addresses ----------------------------------------------------------

def test_public_ip_settings() -> None:
    from scanner.views.instances import InstanceAddressing

    src = """
variable "p" {
  type = bool
}
resource "aws_instance" "unset" {
  ami = "ami-1"
}
resource "aws_instance" "unknown" {
  associate_public_ip_address = var.p
}
resource "aws_launch_template" "lt" {
  network_interfaces {
    associate_public_ip_address = "true"
  }
  network_interfaces {
    device_index = 1
  }
}
"""
    views = tf(InstanceAddressing, src)
    assert views["aws_instance.unset"].associate_public_ip == []
    (unknown,) = views["aws_instance.unknown"].associate_public_ip
    assert unknown.unknown
    (lt,) = views["aws_launch_template.lt"].associate_public_ip
    assert lt.value is True and views["aws_launch_template.lt"].kind == "launch template"

    text = """\
Conditions:
  C: !Equals [a, b]
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      NetworkInterfaces:
        - !If [C, {DeviceIndex: "0"}, {DeviceIndex: "0", AssociatePublicIpAddress: true}]
  L:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      AssociatePublicIpAddress: "false"
"""
    cfn_views_ = cfn(InstanceAddressing, text)
    assert [f.value for f in cfn_views_["L"].associate_public_ip] == [False]
    # Condition scenarios decide the Fn::If: one copy of I per scenario, none unknown.
    assert {tuple(f.value for f in v.associate_public_ip)
            for v in cfn_views(text).of(InstanceAddressing) if v.address == "I"} <= {(), (True,)}


# -- IAM002: policies given to users -------------------------------------------------------

def test_user_grants() -> None:
    from scanner.views.identity import UserPolicyGrant

    src = """
variable "users" {
  type = list(string)
}
resource "aws_iam_user" "a" {
  name = "alice"
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = aws_iam_user.a.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_policy_attachment" "unknown" {
  name       = "x"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  users      = var.users
}
resource "aws_iam_policy_attachment" "roles_only" {
  name       = "y"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  roles      = ["r"]
}
"""
    grants = tf(UserPolicyGrant, src)
    # A user named by reference: its configured name is known.
    assert grants["aws_iam_user_policy_attachment.a"].users.value == ("alice",)
    assert grants["aws_iam_policy_attachment.unknown"].users.unknown
    assert "aws_iam_policy_attachment.roles_only" not in grants

    text = """\
Resources:
  U:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: []
      Policies:
        - PolicyName: p
          PolicyDocument: {Version: "2012-10-17", Statement: []}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Version: "2012-10-17", Statement: []}
      Users: [!Ref U, bob]
"""
    grants = cfn(UserPolicyGrant, text)
    assert grants["U#ManagedPolicyArns"].users.value == ()
    assert (grants["U#Policies"].kind, grants["U#Policies"].users.value) == ("inline", ("U",))
    assert grants["P#Users"].users.value == ("?", "bob")


# -- IAM003: password policy --------------------------------------------------------------

def test_password_policy_defaults() -> None:
    from scanner.views.identity import PasswordPolicy

    src = """
resource "aws_iam_account_password_policy" "p" {
  minimum_password_length = "16"
}
"""
    policy = tf(PasswordPolicy, src)["aws_iam_account_password_policy.p"]
    assert policy.minimum_password_length.value == 16 and policy.minimum_password_length.explicit
    assert policy.password_reuse_prevention.value == 0
    assert not policy.password_reuse_prevention.explicit


# -- IAM004: trust policies ---------------------------------------------------------------

def test_trust_principals() -> None:
    from scanner.views.identity import TrustPolicy

    src = """
variable "doc" {
  type = string
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = ["arn:aws:iam::111122223333:root", "*"], Service = "ec2.amazonaws.com" }
    }]
  })
}
resource "aws_iam_role" "u" {
  assume_role_policy = var.doc
}
"""
    trusts = tf(TrustPolicy, src)
    (st,) = trusts["aws_iam_role.r"].statements
    assert [(k, f.value) for k, f in st.principals] == [
        ("AWS", "arn:aws:iam::111122223333:root"), ("AWS", "*"), ("Service", "ec2.amazonaws.com")]
    assert trusts["aws_iam_role.u"].unknown is not None

    text = """\
Conditions:
  C: !Equals [a, b]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: "*"
          - !If [C, {Effect: Deny, Action: "*", Principal: "*"}, !Ref AWS::NoValue]
"""
    for trust in cfn_views(text).of(TrustPolicy):
        assert [(k, f.value) for k, f in trust.statements[0].principals] == [("*", "*")]


# -- IAM006: principals partly known ------------------------------------------------------

def test_arn_principal_with_unknown_account_is_decided() -> None:
    from checks.identity import kms_key_policy_public as iam006
    from scanner.rules import Passed, Undecided
    from scanner.views.resource_policies import KeyPolicy

    src = """
variable "account" {
  type = string
}
resource "aws_kms_key" "arn" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Action = "kms:Decrypt", Resource = "*"
      Principal = { AWS = "arn:aws:iam::${var.account}:root" }
    }]
  })
}
resource "aws_kms_key" "bare" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow", Action = "kms:Decrypt", Resource = "*"
      Principal = { AWS = var.account }
    }]
  })
}
"""
    views = tf(KeyPolicy, src)
    assert isinstance(iam006.RULE.outcomes(views["aws_kms_key.arn"])[0], Passed)
    assert isinstance(iam006.RULE.outcomes(views["aws_kms_key.bare"])[0], Undecided)
