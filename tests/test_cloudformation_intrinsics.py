"""CloudFormation intrinsic functions, Fn::ForEach and multi-document files."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from conftest import FIXTURES

from checks.registry import BY_ID
from scanner.adapters.cloudformation import adapt
from scanner.cloudformation import read_template
from scanner.cloudformation.options import CfnOptions
from scanner.diagnostics import DiagnosticLevel
from scanner.engine import scan
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Node
from scanner.views import ViewSet
from scanner.views.iam import PolicyDocument

F = "t.yaml"
CFN = FIXTURES / "cloudformation"


def load(text: str, options: CfnOptions | None = None) -> dict[str, Resource]:
    loaded = read_template(text, F, options)
    assert loaded.diagnostics == [], loaded.diagnostics
    return {r.address: r for r in loaded.resources}


def props(lines: str, options: CfnOptions | None = None) -> Node:
    text = (
        "Parameters:\n"
        "  Subnets: {Type: CommaDelimitedList, Default: 'a,b,c'}\n"
        "  Name: {Type: String, Default: app}\n"
        "Resources:\n"
        "  Other:\n"
        "    Type: AWS::S3::Bucket\n"
        "  R:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties:\n" + lines
    )
    return load(text, options)["R"].body


def test_get_azs_is_unknown_with_the_reason() -> None:
    node = props("      A: !GetAZs ''\n      B: !Select [1, !GetAZs eu-west-1]\n")
    assert node.at("A").unknown
    assert node.at("A").value.reason == (
        "Fn::GetAZs: the Availability Zones of the stack's region are known only at deployment")
    assert node.at("B").unknown
    assert "region eu-west-1" in node.at("B").value.reason


def test_import_value_names_the_export() -> None:
    node = props("      A: !ImportValue shared-vpc-id\n"
                 "      B: {'Fn::ImportValue': !Sub '${Name}-subnet'}\n"
                 "      C: {'Fn::ImportValue': !GetAtt Other.Arn}\n")
    assert node.at("A").value.reason == ("Fn::ImportValue of the export shared-vpc-id: "
                                         "known only at deployment")
    assert "the export app-subnet" in node.at("B").value.reason
    assert "an export whose name is not known" in node.at("C").value.reason


def test_length() -> None:
    node = props("      A: {'Fn::Length': [x, y]}\n"
                 "      B: {'Fn::Length': !Ref Subnets}\n"
                 "      C: {'Fn::Length': !GetAZs ''}\n"
                 "      D: {'Fn::Length': [a, !Ref AWS::NoValue]}\n")
    assert node.at("A").value == 2
    assert node.at("B").value == 3
    assert node.at("B").provenance[0].start_line == 2
    assert node.at("C").unknown
    assert node.at("D").value == 1


def test_base64() -> None:
    node = props("      A: !Base64 'echo hello'\n"
                 "      B: !Base64 {'Fn::Sub': 'name=${Name}'}\n"
                 "      C: !Base64 {'Fn::Sub': '${AWS::AccountId}'}\n")
    assert node.at("A").value == base64.b64encode(b"echo hello").decode()
    assert base64.b64decode(node.at("B").value) == b"name=app"
    assert node.at("C").unknown and "AWS::AccountId" in node.at("C").value.reason


def test_to_json_string_keeps_the_structure_and_its_lines() -> None:
    node = props("      A:\n"
                 "        Fn::ToJsonString:\n"
                 "          Name: !Ref Name\n"
                 "          List: [1, true]\n"
                 "      B: {'Fn::ToJsonString': {Arn: !GetAtt Other.Arn}}\n")
    a = node.at("A")
    assert json.loads(a.value) == {"Name": "app", "List": [1, True]}
    assert a.encoded is not None and a.encoded.at("Name").span.start_line == 12
    assert node.at("B").unknown


def test_policy_written_with_to_json_string_is_read() -> None:
    text = (
        "Transform: AWS::LanguageExtensions\n"
        "Resources:\n"
        "  Role:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument: {}\n"
        "      Policies:\n"
        "        - PolicyName: all\n"
        "          PolicyDocument:\n"
        "            Fn::ToJsonString:\n"
        "              Version: '2012-10-17'\n"
        "              Statement:\n"
        "                - Effect: Allow\n"
        "                  Action: '*'\n"
        "                  Resource: '*'\n"
    )
    views = ViewSet()
    adapt(ResourceGraph(list(load(text).values())), views)
    (doc,) = views.of(PolicyDocument)
    (statement,) = doc.statements
    assert statement.span.start_line == 13
    assert [a.value for a in statement.actions] == ["*"]


def test_sub_with_pseudo_parameters_and_region() -> None:
    lines = "      A: !Sub 'arn:${AWS::Partition}:s3:::${Name}-${AWS::Region}'\n"
    assert props(lines).at("A").unknown
    node = props(lines, CfnOptions(region="us-gov-west-1"))
    assert node.at("A").value == "arn:aws-us-gov:s3:::app-us-gov-west-1"


def test_join_keeps_its_known_pieces() -> None:
    lines = ("      A: !Join ['', ['arn:', !Ref 'AWS::Partition', ':iam::aws:policy/AdministratorAccess']]\n"
             "      B: !Join [',', [a, !Ref 'AWS::AccountId', c]]\n")
    node = props(lines)
    assert node.at("A").value.known == "arn:\x00:iam::aws:policy/AdministratorAccess"
    assert node.at("B").value.known == "a,\x00,c"
    assert props(lines, CfnOptions(region="eu-west-1")).at("A").value == (
        "arn:aws:iam::aws:policy/AdministratorAccess")


# -- Fn::ForEach -------------------------------------------------------------------------

FOR_EACH = """\
Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: "logs,data-lake"
Resources:
  Fn::ForEach::Buckets:
    - Name
    - !Ref Names
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub "${Name}-bucket"
          Tag: !Ref Name
          Fn::ForEach::Flags:
            - Flag
            - [A, B]
            - Flag&{Flag}: !Sub "${Name}/${Flag}"
      Policy&{Name}:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref
            Fn::Sub: "${Name}Bucket"
          PolicyDocument: {}
"""


def test_for_each_expands_resources_with_their_lines() -> None:
    found = load(FOR_EACH)
    assert sorted(found) == ["Policydatalake", "Policylogs", "data-lakeBucket", "logsBucket"]
    logs = found["logsBucket"]
    assert logs.id == "t.yaml::logsBucket"
    assert logs.span.start_line == 10  # the output key in the loop
    assert logs.body.get("BucketName").value == "logs-bucket"
    assert logs.body.get("BucketName").span.start_line == 13
    assert logs.body.get("Tag").value == "logs"
    assert logs.body.get("FlagA").value == "logs/A"
    assert logs.body.get("FlagB").value == "logs/B"
    assert found["data-lakeBucket"].body.get("BucketName").value == "data-lake-bucket"


def test_for_each_with_a_given_collection() -> None:
    found = load(FOR_EACH, CfnOptions(parameters=(("Names", "one"),)))
    assert sorted(found) == ["Policyone", "oneBucket"]


def test_for_each_with_an_unknown_collection_is_a_warning() -> None:
    text = FOR_EACH.replace('    Default: "logs,data-lake"\n', "")
    loaded = read_template(text, F)
    assert loaded.resources == []
    (diag,) = loaded.diagnostics
    assert (diag.line, diag.level, diag.code) == (6, DiagnosticLevel.WARNING, "not-resolved")
    assert "Fn::ForEach::Buckets" in diag.message and "Names has no default" in diag.message


def test_for_each_fixture_lines() -> None:
    result = scan([CFN / "NET001" / "fail.foreach.yaml"], rules=[BY_ID["NET001"]], workers=1)
    assert [(f.span.start_line, f.address) for f in result.findings] == [
        (21, "AdminGroup22"), (21, "AdminGroup3389"), (41, "BlueGroup"), (41, "RedGroup")]


# -- several documents --------------------------------------------------------------------


def test_documents_are_templates_of_their_own_with_the_files_lines() -> None:
    result = scan([CFN / "NET001" / "fail.documents.yaml"], rules=[BY_ID["NET001"]], workers=1)
    assert not result.failed_files
    assert [(f.span.start_line, f.message) for f in result.findings] == [
        (14, "Security group SshGroup allows ingress from 0.0.0.0/0 to SSH (22)"),
        (32, "Security group SshGroup allows ingress from 0.0.0.0/0 to RDP (3389)"),
    ]
    assert result.findings[1].provenance[0].start_line == 22
    (diag,) = result.diagnostics
    assert (diag.line, diag.level, diag.code) == (15, DiagnosticLevel.WARNING, "multiple-documents")


def test_document_markers_and_directives() -> None:
    text = (
        "%YAML 1.2\n"
        "---\n"
        "Resources:\n"
        "  A: {Type: AWS::S3::Bucket}\n"
        "...\n"
        "# nothing but a comment\n"
        "--- # a marker with a comment\n"
        "Resources:\n"
        "  B:\n"
        "    Type: AWS::S3::Bucket\n"
        "---\n"
        "\n"
    )
    loaded = read_template(text, F)
    assert [(r.id, r.span.start_line) for r in loaded.resources] == [
        ("t.yaml#1::A", 4), ("t.yaml#2::B", 9)]
    assert [(d.line, d.code) for d in loaded.diagnostics] == [(7, "multiple-documents")]


def test_a_broken_document_does_not_hide_the_others() -> None:
    text = "Resources:\n  A: {Type: AWS::S3::Bucket}\n---\nResources: [\n---\nResources:\n  C: {Type: AWS::S3::Bucket}\n"
    loaded = read_template(text, F)
    assert [r.id for r in loaded.resources] == ["t.yaml#1::A", "t.yaml#3::C"]
    codes = [(d.level, d.code) for d in loaded.diagnostics]
    assert (DiagnosticLevel.WARNING, "multiple-documents") in codes
    assert (DiagnosticLevel.ERROR, "parse-error") in codes
    assert all(d.line in (3, 4, 5) for d in loaded.diagnostics)


def test_span_of_resource_in_second_document() -> None:
    text = "Resources:\n  A: {Type: AWS::S3::Bucket}\n---\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
    b = next(r for r in read_template(text, F).resources if r.address == "B")
    assert b.span == Span(F, 5, 3, 6, 26)


def test_get_att_of_a_property_the_template_sets_is_known(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Parameters:
  Wide:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Open:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Wide
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt Vpc.CidrBlock}
        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !GetAtt Open.CidrBlock}
""")
    result = scan([tmp_path], rules=[BY_ID["NET001"]], workers=1)
    assert [(f.span.start_line, f.rule.id) for f in result.findings] == [(20, "NET001")]
    assert "RDP" in result.findings[0].message and result.undetermined == []
