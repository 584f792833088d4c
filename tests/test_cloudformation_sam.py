"""SAM templates: translated offline by aws-sam-translator, then read as any template.

Generated resources take the lines of the SAM resource (or function event) that
produced them, values copied from the SAM template keep their own lines, and the
address names both (`FnRole (from Fn)`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT

from checks.registry import BY_ID
from scanner.cloudformation.loader import load_template, read_template
from scanner.cloudformation.options import CfnOptions
from scanner.diagnostics import DiagnosticLevel
from scanner.engine import scan
from scanner.resources import Resource
from scanner.values import Node, Unknown

F = "template.yaml"

APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Alias:
    Type: String
    Default: live
  Runtime:
    Type: String
    Default: python3.8
Conditions:
  InEurope: !Equals [!Ref AWS::Region, eu-west-1]
Globals:
  Function:
    Handler: app.handler
    CodeUri: src/
    Timeout: 30
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Condition: InEurope
    Properties:
      Runtime: !Ref Runtime
      AutoPublishAlias: !Ref Alias
      Policies:
        - AmazonS3ReadOnlyAccess
        - AWSLambdaBasicExecutionRole
        - NoSuchPolicy
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "*"
      Events:
        Get:
          Type: Api
          Properties:
            Path: /
            Method: get
  Logs:
    Type: AWS::S3::Bucket
"""


def by_address(resources: list[Resource]) -> dict[str, Resource]:
    return {r.address: r for r in resources}


def only_rule(target: Path, rule: str, **kwargs: object) -> list[tuple[int, str]]:
    result = scan([target], rules=[BY_ID[rule]], workers=1, **kwargs)  # type: ignore[arg-type]
    return sorted((f.span.start_line, f.message) for f in result.findings)


# -- translation and locations ----------------------------------------------------------


def test_generated_resources_point_at_the_sam_resource_and_name_it() -> None:
    resources, diagnostics = load_template(APP, F)
    assert diagnostics == []
    found = {r.address: (r.type, r.span.start_line) for r in resources}
    assert found == {
        "Fn": ("AWS::Lambda::Function", 18),
        "FnRole (from Fn)": ("AWS::IAM::Role", 18),
        "FnAliaslive (from Fn)": ("AWS::Lambda::Alias", 18),
        next(a for a in found if a.startswith("FnVersion")): ("AWS::Lambda::Version", 18),
        "FnGetPermissionProd (from Fn)": ("AWS::Lambda::Permission", 18),
        # The implicit API of a function event: at the event that asked for it.
        "ServerlessRestApi (from Fn)": ("AWS::ApiGateway::RestApi", 34),
        next(a for a in found if a.startswith("ServerlessRestApiDeployment")):
            ("AWS::ApiGateway::Deployment", 34),
        "ServerlessRestApiProdStage (from Fn)": ("AWS::ApiGateway::Stage", 34),
        # Not a SAM resource: as written.
        "Logs": ("AWS::S3::Bucket", 39),
    }
    # Ids are the generated logical ids; the resource block is the SAM resource's.
    role = by_address(resources)["FnRole (from Fn)"]
    assert role.id == f"{F}::FnRole"
    assert (role.span.start_line, role.span.end_line) == (18, 38)


def test_values_copied_from_the_template_keep_their_lines() -> None:
    resources, _ = load_template(APP, F)
    found = by_address(resources)
    function = found["Fn"].body
    assert function.get("Runtime").span.start_line == 22
    assert function.get("Handler").span.start_line == 14  # from Globals
    # Numbers and booleans carry no line of their own (the decoder marks none): the SAM resource's.
    assert (function.get("Timeout").value, function.get("Timeout").span.start_line) == (30, 18)
    statement = found["FnRole (from Fn)"].body.get("Policies").value[0].get("PolicyDocument")
    assert statement.span.start_line == 29  # the `- Statement:` entry of Policies
    assert statement.get("Statement").value[0].get("Action").span.start_line == 31
    # Made up by the translator: the SAM resource's lines.
    trust = found["FnRole (from Fn)"].body.get("AssumeRolePolicyDocument")
    assert trust.span.start_line == 18


def test_conditions_of_sam_resources_pass_to_what_they_generate() -> None:
    loaded = read_template(APP, F)
    conditions = {r.address: loaded.conditions.get(r.id) for r in loaded.resources}
    assert conditions["FnRole (from Fn)"] == "InEurope"
    assert conditions["Fn"] == "InEurope"
    assert conditions["Logs"] is None


def test_parameters_are_evaluated_after_the_transform() -> None:
    resources, _ = load_template(APP, F)
    runtime = by_address(resources)["Fn"].body.get("Runtime")
    assert runtime.value == "python3.8"
    assert runtime.provenance[0].start_line == 9  # the Default
    given = CfnOptions(parameters=(("Runtime", "python3.13"), ("Alias", "staging")))
    resources, _ = load_template(APP, F, given)
    found = by_address(resources)
    assert found["Fn"].body.get("Runtime").value == "python3.13"
    # AutoPublishAlias is resolved by the translator itself, with the value given.
    assert "FnAliasstaging (from Fn)" in found


def test_managed_policy_names_become_arns_offline() -> None:
    text = APP.replace("    Condition: InEurope\n", "")

    def arns(options: CfnOptions | None = None) -> list[object]:
        resources, _ = load_template(text, F, options)
        role = by_address(resources)["FnRole (from Fn)"]
        return [item.value for item in role.body.get("ManagedPolicyArns").value]

    unknown = arns()
    # The one the translator adds itself is written for the partition of its region
    # (us-east-1 when none is given); names given in Policies keep ${AWS::Partition}.
    assert unknown[0] == "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert all(isinstance(v, Unknown) for v in unknown[1:4])
    assert unknown[4] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    resources, _ = load_template(text, F)
    items = by_address(resources)["FnRole (from Fn)"].body.get("ManagedPolicyArns").value
    # Each on the line of its name in Policies; the one the translator adds, on the resource.
    assert [item.span.start_line for item in items] == [18, 24, 25, 26, 27]
    assert arns(CfnOptions(region="cn-north-1")) == [
        "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-cn:iam::aws:policy/NoSuchPolicy",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]


def test_region_pseudo_parameters_stay_for_the_evaluator() -> None:
    """Without --region the translator keeps `AWS::Region`, so conditions on it vary."""
    resources, _ = load_template(APP, F)
    assert [r.scenario for r in resources if r.address == "Fn"] == [()]
    assert by_address(resources)["Fn"].scenario_total == 1
    resources, _ = load_template(APP, F, CfnOptions(region="us-east-1"))
    assert "Fn" not in by_address(resources)  # InEurope is false: never created
    resources, _ = load_template(APP, F, CfnOptions(region="eu-west-1"))
    assert "Fn" in by_address(resources)


def test_json_templates() -> None:
    text = json.dumps({
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "a.b", "InlineCode": "x",
            "Policies": [{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
        }}},
    }, indent=1)
    resources, diagnostics = load_template(text, "template.json")
    assert diagnostics == []
    role = by_address(resources)["FnRole (from Fn)"]
    statement = role.body.get("Policies").value[0].get("PolicyDocument").get("Statement")
    action_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"Action"' in line)
    assert statement.value[0].get("Action").span.start_line == action_line


def test_each_document_of_a_multi_document_file_is_translated() -> None:
    one = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
           "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.7\n"
           "      Handler: a.b\n      InlineCode: x\n")
    resources, diagnostics = load_template(one + "---\n" + one, F)
    assert [d.code for d in diagnostics] == ["multiple-documents"]
    roles = [(r.scope, r.span.start_line) for r in resources if r.type == "AWS::IAM::Role"]
    assert roles == [(f"{F}#1", 3), (f"{F}#2", 12)]


def test_language_extension_loops_are_expanded_before_the_transform() -> None:
    text = """\
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Fn::ForEach::Workers:
    - Name
    - [Orders, Invoices]
    - ${Name}Worker:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: !Sub "${Name}.handler"
          InlineCode: x
"""
    resources, diagnostics = load_template(text, F)
    assert diagnostics == []
    found = {r.address: r for r in resources if r.type == "AWS::Lambda::Function"}
    assert sorted(found) == ["InvoicesWorker", "OrdersWorker"]
    assert found["OrdersWorker"].body.get("Handler").value == "Orders.handler"
    assert found["OrdersWorker"].span.start_line == 6


# -- rules on generated resources ---------------------------------------------------------


def test_iam001_fixture_points_at_the_statement_in_the_sam_resource() -> None:
    assert only_rule(FIXTURES / "cloudformation/IAM001/fail.sam.yaml", "IAM001") == [
        (28, "Policy AdminFunctionRole (from AdminFunction) AdminFunctionRolePolicy1 allows "
             "every action on every resource"),
        (41, "Policy MaybeAdminFunctionRole (from MaybeAdminFunction) "
             "MaybeAdminFunctionRolePolicy0 allows every action on every resource "
             "(when FullAccess is true)"),
        (58, "Policy AdminStateMachineRole (from AdminStateMachine) "
             "AdminStateMachineRolePolicy0 allows every action on every resource"),
    ]


def test_log008_fixture_points_at_the_api_or_the_event() -> None:
    assert only_rule(FIXTURES / "cloudformation/LOG008/fail.sam.yaml", "LOG008") == [
        (14, "API Gateway REST API stage OrdersApiprodStage (from OrdersApi) does not record "
             "access logs"),
        (20, "API Gateway HTTP or WebSocket API stage EventsApiApiGatewayDefaultStage "
             "(from EventsApi) does not record access logs"),
        (29, "API Gateway REST API stage ServerlessRestApiProdStage (from Orders) does not "
             "record access logs"),
    ]


def test_runtime_from_parameters_and_options(tmp_path: Path) -> None:
    path = tmp_path / F
    path.write_text(APP)
    assert [line for line, _ in only_rule(path, "PAT002",
                                          cfn=CfnOptions(region="eu-west-1"))] == [22]
    assert only_rule(path, "PAT002", cfn=CfnOptions(
        region="eu-west-1", parameters=(("Runtime", "python3.13"),))) == []


# -- templates the translator refuses ------------------------------------------------------

REFUSED = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Good:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.7
      Handler: a.b
      CodeUri: src/
  BadEvent:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      CodeUri: src/
      Events:
        Nightly:
          Type: Bogus
  BadProperty:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      CodeUri: src/
      Policies: 12
  Uses:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref BadEvent
"""


def test_refused_resources_are_reported_at_their_line_and_the_rest_is_scanned() -> None:
    resources, diagnostics = load_template(REFUSED, F)
    assert [(d.line, d.column, d.level, d.code) for d in diagnostics] == [
        (16, 9, DiagnosticLevel.ERROR, "sam-transform"),
        (24, 7, DiagnosticLevel.ERROR, "sam-transform"),
    ]
    # The reasons are the translator's own words.
    assert diagnostics[0].message.startswith("the SAM transform refuses event Nightly of BadEvent: ")
    assert "Bogus" in diagnostics[0].message
    assert diagnostics[0].message.endswith(
        "; BadEvent and the resources it would create were not scanned")
    assert diagnostics[1].message.startswith("the SAM transform refuses BadProperty: ")
    assert "'Policies'" in diagnostics[1].message
    found = {r.address: r.type for r in resources}
    assert found == {"Good": "AWS::Lambda::Function", "GoodRole (from Good)": "AWS::IAM::Role",
                     "Uses": "AWS::SNS::Topic"}
    # A reference to a refused resource is not known.
    assert by_address(resources)["Uses"].body.get("DisplayName").unknown


def test_a_generated_id_that_is_taken_is_reported_at_the_sam_resource() -> None:
    text = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
            "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n"
            "      Handler: a.b\n      InlineCode: x\n  FnRole:\n    Type: AWS::S3::Bucket\n")
    resources, diagnostics = load_template(text, F)
    assert [r.address for r in resources] == ["FnRole"]
    assert [(d.line, d.code) for d in diagnostics] == [(3, "sam-transform")]
    assert diagnostics[0].message.startswith("the SAM transform refuses Fn: ")


def test_a_refused_template_still_scans_its_other_resources() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 3
    NotAGlobal: 1
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
  Bucket:
    Type: AWS::S3::Bucket
"""
    resources, diagnostics = load_template(text, F)
    assert [r.address for r in resources] == ["Bucket"]
    (diag,) = diagnostics
    assert (diag.line, diag.column, diag.level, diag.code) == (
        5, 5, DiagnosticLevel.ERROR, "sam-transform")
    assert diag.message.startswith("the SAM transform was not applied ('Globals' section is "
                                   "invalid. 'NotAGlobal' is not a supported property")
    assert diag.message.endswith("its AWS::Serverless resources were not scanned, the other "
                                 "resources were scanned as written")


def test_a_failing_translator_is_a_diagnostic_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from samtranslator.translator.translator import Translator

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(Translator, "translate", broken)
    resources, diagnostics = load_template(APP, F)
    assert [r.address for r in resources] == ["Logs"]
    (diag,) = diagnostics
    assert (diag.line, diag.level, diag.code) == (2, DiagnosticLevel.ERROR, "sam-transform")
    assert "the translator failed: KeyError: 'boom'" in diag.message


def test_sam_resources_without_the_transform_are_read_as_written() -> None:
    text = ("AWSTemplateFormatVersion: '2010-09-09'\n"
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
            "  Api:\n    Type: AWS::Serverless::Api\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    resources, diagnostics = load_template(text, F)
    assert [r.address for r in resources] == ["Fn", "Api", "Bucket"]
    (diag,) = diagnostics
    assert (diag.line, diag.level, diag.code) == (1, DiagnosticLevel.WARNING, "not-resolved")
    assert "AWS::Serverless::Api, AWS::Serverless::Function resources but not" in diag.message


def test_resources_the_translator_requires_are_reported() -> None:
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
            "  Api:\n    Type: AWS::Serverless::Api\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    resources, diagnostics = load_template(text, F)
    assert [r.address for r in resources] == ["Bucket"]
    assert [(d.line, d.level, d.code) for d in diagnostics] == [
        (4, DiagnosticLevel.ERROR, "sam-transform"), (6, DiagnosticLevel.ERROR, "sam-transform")]
    assert diagnostics[0].message.startswith("the SAM transform refuses Fn: ")
    assert "Runtime" in diagnostics[0].message
    assert diagnostics[1].message == (
        "the SAM transform refuses Api: Missing required property 'StageName'; Api and the "
        "resources it would create were not scanned")


# -- offline, applications, cost, cache ------------------------------------------------------

APPLICATIONS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  FromRepository:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/tool
        SemanticVersion: 1.2.3
  Local:
    Type: AWS::Serverless::Application
    Properties:
      Location: stacks/worker.yaml
"""

WORKER = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs12.x
      Handler: index.handler
      CodeUri: ./worker
"""


def test_applications_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import boto3

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the SAM transform must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(boto3.session.Session, "__init__", no_network)
    monkeypatch.setattr(boto3, "client", no_network)
    resources, diagnostics = load_template(APP, F)
    assert len(resources) == 9
    assert diagnostics == []
    (tmp_path / "stacks").mkdir()
    (tmp_path / "app.yaml").write_text(APPLICATIONS)
    (tmp_path / "stacks" / "worker.yaml").write_text(WORKER)
    result = scan([tmp_path], rules=[BY_ID["PAT002"]], workers=1)
    (finding,) = result.findings
    assert (finding.span.file, finding.span.start_line) == ("stacks/worker.yaml", 6)
    assert [(s.file, s.start_line) for s in finding.call_chain] == [("app.yaml", 9)]
    assert [(d.file, d.line, d.level, d.message) for d in result.diagnostics] == [
        ("app.yaml", 3, DiagnosticLevel.NOTE,
         "the template of nested stack FromRepository is remote (arn:aws:serverlessrepo:"
         "us-east-1:123456789012:applications/tool@1.2.3); remit does not fetch it"),
    ]


def test_the_translator_is_imported_only_for_sam_templates() -> None:
    code = (
        "import sys\n"
        "from scanner.cloudformation.loader import load_template\n"
        "load_template('Resources:\\n  B:\\n    Type: AWS::S3::Bucket\\n', 'a.yaml')\n"
        "print('samtranslator' in sys.modules)\n"
        "load_template(sys.argv[1], 'b.yaml')\n"
        "print('samtranslator' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, APP], capture_output=True, text=True,
                         cwd=PROJECT, check=True)
    assert out.stdout.split() == ["False", "True"]


def _plain(node: Node) -> bool:
    """Only plain Python values (no decoder classes) in a node tree: they pickle anywhere."""
    value = node.value
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, Unknown) or type(value) in (str, int, float, bool)


def test_the_parse_cache_keeps_translated_templates(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.discover import Kind, SourceFile
    from scanner.parsing import cached, parse_file

    monkeypatch.setenv("REMIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / F
    path.write_text(APP)
    source = SourceFile(F, path, Kind.CLOUDFORMATION)
    assert cached(source) is None
    fresh = parse_file(source)
    assert all(_plain(r.body) for r in fresh.resources)
    hit = cached(source)
    assert hit is not None
    assert hit.resources == fresh.resources
    assert hit.diagnostics == fresh.diagnostics
    assert {"Fn", "FnRole (from Fn)", "Logs"} <= {r.address for r in hit.resources}
    # Options are part of the key: a region gives another translation.
    assert cached(source, CfnOptions(region="eu-west-1")) is None


def test_translation_is_deterministic() -> None:
    first, _ = load_template(APP, F)
    second, _ = load_template(APP, F)
    assert first == second
