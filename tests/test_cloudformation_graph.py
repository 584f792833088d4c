"""CloudFormation references as graph edges, labelled with the property path that holds them."""

from __future__ import annotations

from scanner.cloudformation import read_template
from scanner.graph import ResourceGraph

F = "net.yaml"

TEMPLATE = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Gateway
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Routes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  DefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: Attachment
    Properties:
      RouteTableId: !Ref Routes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Gateway
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Subnet
      RouteTableId: !Ref Routes
  Interface:
    Type: AWS::EC2::NetworkInterface
    Properties:
      SubnetId: !Ref Subnet
  VpcFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Vpc
      TrafficType: ALL
  SubnetFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: Subnet
      ResourceId: !Ref Subnet
      TrafficType: ALL
  InterfaceFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: NetworkInterface
      ResourceId: !Ref Interface
      TrafficType: ALL
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web
      VpcId: !Ref Vpc
  IngressById:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Group.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      SourceSecurityGroupId: !Ref Group
  IngressByName:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: web
      IpProtocol: tcp
      FromPort: 80
      ToPort: 80
      CidrIp: 10.0.0.0/8
  Egress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref Group
      IpProtocol: -1
      CidrIp: 0.0.0.0/0
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: app-data
      LoggingConfiguration:
        DestinationBucketName: app-logs
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: app-logs
  PolicyByRef:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: !Sub "${Bucket.Arn}/*"
  PolicyByName:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: app-logs
      PolicyDocument: {}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      AssumeRolePolicyDocument: {}
  User:
    Type: AWS::IAM::User
    Properties:
      UserName: app-user
  Team:
    Type: AWS::IAM::Group
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: app
      PolicyDocument: {}
      Roles: [!Ref Role, app-role]
      Users: [app-user]
      Groups: [!Ref Team]
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [app-role]
"""


def edges() -> set[tuple[str, str, str]]:
    loaded = read_template(TEMPLATE, F)
    assert loaded.diagnostics == []
    graph = ResourceGraph(loaded.resources).graph
    prefix = f"{F}::"
    return {(a.removeprefix(prefix), b.removeprefix(prefix), attr)
            for a, b, attr in graph.edges(data="attribute")}


def test_network_edges() -> None:
    found = edges()
    assert {
        ("Attachment", "Vpc", "VpcId"),
        ("Attachment", "Gateway", "InternetGatewayId"),
        ("Subnet", "Vpc", "VpcId"),
        ("Routes", "Vpc", "VpcId"),
        ("DefaultRoute", "Routes", "RouteTableId"),
        ("DefaultRoute", "Gateway", "GatewayId"),
        ("DefaultRoute", "Attachment", "DependsOn"),
        ("Association", "Subnet", "SubnetId"),
        ("Association", "Routes", "RouteTableId"),
        ("Interface", "Subnet", "SubnetId"),
        ("VpcFlowLog", "Vpc", "ResourceId"),
        ("SubnetFlowLog", "Subnet", "ResourceId"),
        ("InterfaceFlowLog", "Interface", "ResourceId"),
    } <= found


def test_security_group_rule_edges() -> None:
    found = edges()
    assert {
        ("Group", "Vpc", "VpcId"),
        ("IngressById", "Group", "GroupId"),
        ("IngressById", "Group", "SourceSecurityGroupId"),
        ("IngressByName", "Group", "GroupName"),  # by the group's name
        ("Egress", "Group", "GroupId"),
    } <= found


def test_bucket_and_policy_edges() -> None:
    found = edges()
    assert {
        ("PolicyByRef", "Bucket", "Bucket"),
        ("PolicyByRef", "Bucket", "PolicyDocument.Statement[0].Resource"),  # ${Bucket.Arn}
        ("PolicyByName", "Logs", "Bucket"),
        ("Bucket", "Logs", "LoggingConfiguration.DestinationBucketName"),
    } <= found


def test_iam_attachment_edges() -> None:
    found = edges()
    assert {
        ("Policy", "Role", "Roles[0]"),
        ("Policy", "Role", "Roles[1]"),
        ("Policy", "User", "Users[0]"),
        ("Policy", "Team", "Groups[0]"),
        ("Profile", "Role", "Roles[0]"),
    } <= found


def test_graph_lookups_by_attribute() -> None:
    loaded = read_template(TEMPLATE, F)
    graph = ResourceGraph(loaded.resources)
    by_address = {r.address: r for r in loaded.resources}
    group = by_address["Group"]
    assert [r.address for r in graph.referrers(
        group, ["AWS::EC2::SecurityGroupIngress"], "GroupName")] == ["IngressByName"]
    role = by_address["Role"]
    assert [r.address for r in graph.referrers(role, ["AWS::IAM::Policy"], "Roles")] == ["Policy"]
    assert [r.address for r in graph.targets(by_address["PolicyByName"], "Bucket")] == ["Logs"]


def test_names_link_only_within_a_scenario() -> None:
    text = """\
Conditions:
  East: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [East, east-logs, west-logs]
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: east-logs
      PolicyDocument: {}
"""
    loaded = read_template(text, F)
    ids = {r.address + str(dict(r.scenario)): r.id for r in loaded.resources}
    policy = next(r for r in loaded.resources if r.address == "Policy")
    assert [ref.target for ref in policy.references] == [ids["Logs{'East': True}"]]


def test_a_conditional_attachment_by_name_splits_its_target() -> None:
    text = """\
Conditions:
  East: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web
  Open:
    Type: AWS::EC2::SecurityGroupIngress
    Condition: East
    Properties:
      GroupName: web
      IpProtocol: -1
      CidrIp: 0.0.0.0/0
"""
    loaded = read_template(text, F)
    graph = ResourceGraph(loaded.resources)
    groups = {r.scenario: r for r in loaded.resources if r.address == "Group"}
    assert set(groups) == {(("East", False),), (("East", True),)}
    rule_type = ["AWS::EC2::SecurityGroupIngress"]
    assert graph.referrers(groups[(("East", False),)], rule_type) == []
    assert [r.address for r in graph.referrers(groups[(("East", True),)], rule_type)] == ["Open"]
