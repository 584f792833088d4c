"""CloudFormation adapters: from template text to the views rules read."""

from __future__ import annotations

from typing import TypeVar

from scanner.adapters.cloudformation import adapt
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.resources import Format, Resource
from scanner.source import Span
from scanner.values import Node, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.ec2 import SecurityGroup, SecurityGroupRule, Volume
from scanner.views.iam import PolicyDocument
from scanner.views.kms import Key
from scanner.views.logging import Network, Trail
from scanner.views.rds import DatabaseInstance
from scanner.views.s3 import Bucket

F = "t.yaml"
V = TypeVar("V", bound=View)


def views_of(*templates: str) -> ViewSet:
    resources: list[Resource] = []
    for index, text in enumerate(templates):
        loaded, diagnostics = load_template(text, F if index == 0 else f"t{index}.yaml")
        assert diagnostics == []
        resources.extend(loaded)
    views = ViewSet()
    adapt(ResourceGraph(resources), views)
    return views


def by_address(cls: type[V], *templates: str) -> dict[str, V]:
    return {v.address: v for v in views_of(*templates).of(cls)}


# -- S3 ------------------------------------------------------------------------------

S3 = """\
Resources:
  Plain:
    Type: AWS::S3::Bucket
  Configured:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: configured-bucket
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: "false"
        IgnorePublicAcls: true
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
      VersioningConfiguration:
        Status: Suspended
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
  NamedLogs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: named-logs
  ToNamed:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration:
        DestinationBucketName: named-logs
"""


def test_bucket_defaults() -> None:
    plain = by_address(Bucket, S3)["Plain"]
    assert plain.public_access_block is None
    assert plain.account_public_access_block is None
    assert plain.logging_enabled.value is False and not plain.logging_enabled.explicit
    assert plain.logging_enabled.span == Span(F, 2, 3)
    assert plain.versioning_enabled.value is False and not plain.versioning_enabled.explicit
    assert plain.encryption_algorithm.value == "AES256"
    assert plain.name.unknown
    assert plain.is_log_target is False


def test_bucket_settings() -> None:
    bucket = by_address(Bucket, S3)["Configured"]
    assert bucket.name.value == "configured-bucket"
    block = bucket.public_access_block
    assert block is not None
    assert block.span.start_line == 8 and block.owner == "Configured"
    assert block.block_public_acls.value is True and block.block_public_acls.span.start_line == 9
    assert block.block_public_policy.value is False and block.block_public_policy.explicit
    assert block.block_public_policy.span.start_line == 10
    # Missing from the block: false by default, pointing at the block.
    assert block.restrict_public_buckets.value is False
    assert block.restrict_public_buckets.origin is Origin.DEFAULT
    assert block.restrict_public_buckets.span == Span(F, 8, 7)
    assert bucket.logging_enabled.value is True and bucket.logging_enabled.span.start_line == 12
    assert bucket.versioning_enabled.value is False and bucket.versioning_enabled.explicit
    assert bucket.versioning_enabled.span.start_line == 15
    assert bucket.encryption_algorithm.value == "aws:kms"


def test_log_targets_by_reference_and_by_name() -> None:
    buckets = by_address(Bucket, S3)
    assert buckets["Logs"].is_log_target is True
    assert buckets["Logs"].versioning_enabled.value is True
    assert buckets["NamedLogs"].is_log_target is True
    assert buckets["ToNamed"].is_log_target is False


def test_unknown_bucket_settings() -> None:
    text = """\
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: !If [C, {BlockPublicAcls: true}, !Ref AWS::NoValue]
      VersioningConfiguration:
        Status: !If [C, Enabled, Suspended]
      LoggingConfiguration: !If [C, {}, !Ref AWS::NoValue]
"""
    bucket = by_address(Bucket, text)["B"]
    block = bucket.public_access_block
    assert block is not None
    assert all(f.unknown for f in block.settings().values())
    assert bucket.versioning_enabled.unknown
    assert bucket.logging_enabled.unknown


# -- EC2 -----------------------------------------------------------------------------

def test_volume() -> None:
    text = """\
Resources:
  Default:
    Type: AWS::EC2::Volume
    Properties:
      Size: 10
  Explicit:
    Type: AWS::EC2::Volume
    Properties:
      Encrypted: "true"
      KmsKeyId: alias/ebs
      SnapshotId: snap-1
"""
    volumes = by_address(Volume, text)
    default = volumes["Default"]
    assert default.encrypted.value is False and default.encrypted.span == Span(F, 2, 3)
    assert not default.encrypted.explicit
    assert default.kms_key_id.value == "" and default.snapshot_id.value == ""
    assert default.default_encryption is None
    explicit = volumes["Explicit"]
    assert explicit.encrypted.value is True and explicit.encrypted.span.start_line == 9
    assert explicit.kms_key_id.value == "alias/ebs"
    assert explicit.snapshot_id.value == "snap-1"


GROUPS = """\
Parameters:
  ExternalGroup:
    Type: String
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: "6"
          FromPort: "22"
          ToPort: 22
          CidrIp: 0.0.0.0/0
          CidrIpv6: ::/0
        - IpProtocol: -1
          SourceSecurityGroupId: !Ref Db
      SecurityGroupEgress:
        - IpProtocol: UDP
          FromPort: 53
          ToPort: 53
          CidrIp: 10.0.0.0/8
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
  DbIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Db.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: 10.0.0.0/16
  DbEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref Db
      IpProtocol: "17"
      FromPort: 0
      ToPort: 65535
      CidrIp: 0.0.0.0/0
  ExternalIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
"""


def rule_summary(rule: SecurityGroupRule) -> tuple[object, ...]:
    return (
        rule.direction,
        rule.protocol.value,
        rule.from_port.value,
        rule.to_port.value,
        [c.value for c in rule.cidrs],
        rule.span.start_line,
        rule.defined_in,
    )


def test_inline_security_group_rules() -> None:
    web = by_address(SecurityGroup, GROUPS)["Web"]
    assert [rule_summary(r) for r in web.rules] == [
        ("ingress", "tcp", 22, 22, ["0.0.0.0/0", "::/0"], 10, "Web"),
        ("ingress", "-1", -1, -1, [], 15, "Web"),
        ("egress", "udp", 53, 53, ["10.0.0.0/8"], 18, "Web"),
    ]
    cidr = web.rules[0].cidrs[0]
    assert cidr.span.start_line == 13
    assert web.unresolved_rules == 0


def test_separate_rules_attach_to_their_group_only() -> None:
    groups = by_address(SecurityGroup, GROUPS)
    assert [rule_summary(r) for r in groups["Db"].rules] == [
        ("ingress", "tcp", 5432, 5432, ["10.0.0.0/16"], 26, "DbIngress"),
        ("egress", "udp", 0, 65535, ["0.0.0.0/0"], 34, "DbEgress"),
    ]
    assert all(r.defined_in == "Web" for r in groups["Web"].rules)
    # A literal group id is a group outside the template: not unresolved.
    assert groups["Db"].unresolved_rules == 0


def test_rules_for_unknown_groups_count_in_their_template_only() -> None:
    unknown_target = GROUPS + """\
  ParamIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref ExternalGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
"""
    other = "Resources:\n  Other:\n    Type: AWS::EC2::SecurityGroup\n"
    groups = by_address(SecurityGroup, unknown_target, other)
    assert groups["Web"].unresolved_rules == 1
    assert groups["Db"].unresolved_rules == 1
    assert groups["Other"].unresolved_rules == 0


def test_rules_for_a_vpc_default_group_are_not_unresolved() -> None:
    text = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
  G:
    Type: AWS::EC2::SecurityGroup
  DefaultGroupIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Vpc.DefaultSecurityGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
"""
    group = by_address(SecurityGroup, text)["G"]
    assert group.rules == [] and group.unresolved_rules == 0


def test_unknown_inline_rules() -> None:
    text = """\
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress: !If [C, [], [{IpProtocol: tcp, FromPort: 22, ToPort: 22}]]
"""
    (rule,) = by_address(SecurityGroup, text)["G"].rules
    assert rule.protocol.unknown and rule.cidrs and rule.cidrs[0].unknown


# -- RDS -----------------------------------------------------------------------------

def test_database_instances() -> None:
    text = """\
Resources:
  Default:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
  Explicit:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      StorageEncrypted: "true"
      PubliclyAccessible: true
  Aurora:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-mysql
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: !Ref Default
  Restored:
    Type: AWS::RDS::DBInstance
    Properties:
      DBSnapshotIdentifier: snap
"""
    dbs = by_address(DatabaseInstance, text)
    default = dbs["Default"]
    assert default.engine.value == "postgres"
    assert default.storage_encrypted.value is False and not default.storage_encrypted.explicit
    assert default.publicly_accessible.value is False and not default.publicly_accessible.explicit
    assert default.encryption_inherited is False
    explicit = dbs["Explicit"]
    assert explicit.storage_encrypted.value is True
    assert explicit.publicly_accessible.value is True
    assert explicit.publicly_accessible.span.start_line == 11
    assert [dbs[n].encryption_inherited for n in ("Aurora", "Replica", "Restored")] == [True] * 3


# -- IAM -----------------------------------------------------------------------------

IAM = """\
Resources:
  Standalone:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      PolicyDocument:
        Statement:
          Sid: One
          Effect: Allow
          Action: "*"
          NotResource: [a, b]
          Condition: {Bool: {aws:MultiFactorAuthPresent: "true"}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: first
          PolicyDocument:
            Statement:
              - Effect: Deny
                NotAction: [s3:*, ec2:*]
                Resource: "*"
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "arn:aws:s3:::${AWS::AccountId}/*"
        - PolicyName: first
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !If [C, {Statement: []}, {Statement: []}]
  User:
    Type: AWS::IAM::User
  Group:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: g
          PolicyDocument: not json
"""


def docs() -> dict[tuple[str, str], PolicyDocument]:
    return {(d.address, d.name): d for d in views_of(IAM).of(PolicyDocument)}


def test_policy_documents_found() -> None:
    assert set(docs()) == {
        ("Standalone", ""),
        ("Role", "first"),
        ("Role", "Policies[1]"),  # a repeated name is told apart by position
        ("Managed", ""),
        ("Group", "g"),
    }


def test_statement_as_a_mapping() -> None:
    doc = docs()[("Standalone", "")]
    assert doc.unknown is None and doc.span_of_document.start_line == 6
    (st,) = doc.statements
    assert st.sid == "One"
    assert st.effect.value == "Allow"
    assert [a.value for a in st.actions] == ["*"] and st.actions[0].span.start_line == 10
    assert st.resources == []
    assert [r.value for r in st.not_resources] == ["a", "b"]
    assert st.has_condition is True
    assert st.span.start_line == 7  # a single statement: the `Statement:` entry


def test_inline_role_policies() -> None:
    deny, allow = docs()[("Role", "first")].statements
    assert deny.effect.value == "Deny" and deny.actions == []
    assert [a.value for a in deny.not_actions] == ["s3:*", "ec2:*"]
    assert deny.has_condition is False and deny.sid == ""
    assert allow.resources[0].unknown


def test_policy_document_as_json_string() -> None:
    doc = docs()[("Role", "Policies[1]")]
    (st,) = doc.statements
    assert st.actions[0].value == "*" and st.resources[0].value == "*"
    assert st.actions[0].span.start_line == 28


def test_unknown_policy_documents() -> None:
    assert isinstance(docs()[("Managed", "")].unknown, Unknown)
    assert isinstance(docs()[("Group", "g")].unknown, Unknown)


# -- logging -------------------------------------------------------------------------

def test_trails() -> None:
    text = """\
Resources:
  Default:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: b
  Full:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: "false"
      S3BucketName: b
      IsMultiRegionTrail: true
      EnableLogFileValidation: "true"
      KMSKeyId: alias/trail
"""
    trails = by_address(Trail, text)
    default = trails["Default"]
    assert default.multi_region.value is False and default.multi_region.span == Span(F, 2, 3)
    assert default.log_file_validation.value is False
    assert default.kms_key_id.value == ""
    assert default.logging_enabled.value is True
    full = trails["Full"]
    assert full.multi_region.value is True and full.multi_region.span.start_line == 12
    assert full.log_file_validation.value is True
    assert full.kms_key_id.value == "alias/trail"
    assert full.logging_enabled.value is False


VPCS = """\
Parameters:
  SomeVpc:
    Type: AWS::EC2::VPC::Id
Resources:
  ByRef:
    Type: AWS::EC2::VPC
  ByAttribute:
    Type: AWS::EC2::VPC
  Bare:
    Type: AWS::EC2::VPC
  Subnet:
    Type: AWS::EC2::Subnet
  RefLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref ByRef
      ResourceType: VPC
  AttributeLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !GetAtt ByAttribute.VpcId
      ResourceType: VPC
  SubnetLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Subnet
      ResourceType: Subnet
"""


def test_flow_logs() -> None:
    vpcs = by_address(Network, VPCS)
    assert vpcs["ByRef"].flow_logs.value is True
    assert vpcs["ByRef"].flow_logs.span.start_line == 16
    assert vpcs["ByAttribute"].flow_logs.value is True
    bare = vpcs["Bare"].flow_logs
    assert bare.value is False and bare.origin is Origin.DEFAULT and bare.span == Span(F, 9, 3)


def test_flow_log_to_an_unknown_vpc_makes_others_unknown_in_its_template() -> None:
    unknown = VPCS + """\
  ParamLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref SomeVpc
      ResourceType: VPC
"""
    other = "Resources:\n  Elsewhere:\n    Type: AWS::EC2::VPC\n"
    vpcs = by_address(Network, unknown, other)
    assert vpcs["Bare"].flow_logs.unknown
    assert vpcs["ByRef"].flow_logs.value is True
    assert vpcs["Elsewhere"].flow_logs.value is False


# -- KMS -----------------------------------------------------------------------------

def test_keys() -> None:
    text = """\
Resources:
  Default:
    Type: AWS::KMS::Key
  Signing:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: ECC_NIST_P256
      KeyUsage: SIGN_VERIFY
      EnableKeyRotation: "false"
"""
    keys = by_address(Key, text)
    default = keys["Default"]
    assert default.rotation_enabled.value is False and not default.rotation_enabled.explicit
    assert default.key_spec.value == "SYMMETRIC_DEFAULT"
    assert default.key_usage.value == "ENCRYPT_DECRYPT"
    signing = keys["Signing"]
    assert signing.key_spec.value == "ECC_NIST_P256" and signing.key_usage.value == "SIGN_VERIFY"
    assert signing.rotation_enabled.value is False and signing.rotation_enabled.explicit


# -- scope of the adapter -------------------------------------------------------------

def test_only_cloudformation_resources_are_adapted() -> None:
    span = Span("main.tf", 1)
    foreign = Resource(
        id="main.tf::x", address="x", type="AWS::S3::Bucket", format=Format.TERRAFORM,
        span=span, body=Node({}, span), scope=".",
    )
    views = ViewSet()
    adapt(ResourceGraph([foreign]), views)
    assert views.count() == 0


def test_unknown_properties_give_unknown_fields() -> None:
    text = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: !If [C, {}, {}]\n"
    volume = by_address(Volume, text)["V"]
    assert volume.encrypted.unknown
    assert volume.kms_key_id.unknown
