"""CloudFormation loading: from template text to resources, nodes, spans and references."""

from __future__ import annotations

import pickle

import pytest

from scanner.cloudformation import load_template, read_template
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Format, Reference, Resource
from scanner.source import Span
from scanner.values import Node, Unknown

F = "stacks/app.yaml"


def load(text: str, path: str = F) -> dict[str, Resource]:
    """Resources by logical id; the template must load without diagnostics."""
    resources, diagnostics = load_template(text, path)
    assert diagnostics == []
    return {r.address: r for r in resources}


def body(text: str, logical_id: str = "R") -> Node:
    return load(text)[logical_id].body


# -- resources and spans -------------------------------------------------------

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      Size: 100
      Encrypted: false  # trailing comment
      KmsKeyId: alias/ebs
      Tags:
        - Key: team
          Value: data

  # a comment between resources

  Empty:
    Type: AWS::S3::Bucket
"""


def test_resource_identity_and_span() -> None:
    resources, diagnostics = load_template(TEMPLATE, F)
    assert diagnostics == []
    data, empty = resources
    assert data.id == "stacks/app.yaml::Data"
    assert data.address == "Data"
    assert data.type == "AWS::EC2::Volume"
    assert data.format is Format.CLOUDFORMATION
    assert data.scope == F
    # From the logical id to the end of the last value; not the blank and comment lines.
    assert data.span == Span(F, 3, 3, 11, 22)
    assert empty.span == Span(F, 15, 3, 16, 26)


def test_property_spans() -> None:
    props = load(TEMPLATE)["Data"].body
    assert props.span.start_line == 5  # the Properties key
    # An int or bool has no mark of its own: the entry's span runs from the key.
    assert props.get("Size") == Node(100, Span(F, 6, 7, 6, 16))
    assert props.get("Encrypted") == Node(False, Span(F, 7, 7, 7, 23))
    assert props.get("KmsKeyId") == Node("alias/ebs", Span(F, 8, 7, 8, 26))
    # A block starts at its key's line.
    tags = props.get("Tags")
    assert tags is not None and tags.span == Span(F, 9, 7, 11, 22)
    first = tags.value[0]
    assert first.span == Span(F, 10, 11, 11, 22)  # the list item
    assert first.plain() == {"Key": "team", "Value": "data"}


def test_missing_or_empty_properties_give_an_empty_mapping() -> None:
    empty = load(TEMPLATE)["Empty"]
    assert empty.body == Node({}, empty.span)
    nulled = load("Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n")["R"]
    assert nulled.body.value == {}


def test_json_spans() -> None:
    text = """\
{
  "Resources": {
    "Vol": {
      "Type": "AWS::EC2::Volume",
      "Properties": {"Encrypted": true, "Size": 10}
    }
  }
}
"""
    vol = load(text, "t.json")["Vol"]
    assert vol.span == Span("t.json", 3, 5, 6, 6)
    assert vol.body.get("Encrypted") == Node(True, Span("t.json", 5, 22, 5, 39))
    assert vol.body.get("Size") == Node(10, Span("t.json", 5, 41, 5, 51))


def test_values_are_plain_python_and_pickle() -> None:
    text = "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: x\n      D: 2024-01-31\n"
    resource = load(text)["R"]
    a = resource.body.get("A")
    assert a is not None and type(a.value) is str
    d = resource.body.get("D")
    assert d is not None and d.value == "2024-01-31"
    assert type(next(iter(resource.body.value))) is str
    assert pickle.loads(pickle.dumps(resource)) == resource


# -- evaluation ------------------------------------------------------------------

PARAMETERS = """\
Parameters:
  Env:
    Type: String
    Default: prod
  Secret:
    Type: String
  Cidrs:
    Type: CommaDelimitedList
    Default: "10.0.0.0/8, 0.0.0.0/0"
  Flag:
    Type: String
    Default: true
Resources:
  Other:
    Type: AWS::S3::Bucket
  R:
    Type: AWS::S3::Bucket
    Properties:
"""


def prop_of(lines: str) -> Node:
    """The body of resource R whose properties are `lines` (indented by 6)."""
    return body(PARAMETERS + lines)


def test_ref_to_parameter_resolves_to_its_default_with_provenance() -> None:
    props = prop_of("      Name: !Ref Env\n")
    name = props.get("Name")
    assert name is not None
    assert name.value == "prod"
    assert name.span.start_line == 19  # where the Ref is written
    assert name.provenance == (Span(F, 4, 5, 4, 18),)  # the Default


def test_ref_to_parameter_without_default_is_unknown() -> None:
    node = prop_of("      Name: !Ref Secret\n").get("Name")
    assert node is not None and node.unknown
    assert "Secret" in node.value.reason


def test_values_resolved_at_deployment_are_unknown() -> None:
    text = (
        "Parameters:\n"
        "  Cidr:\n"
        "    Type: AWS::SSM::Parameter::Value<String>\n"
        "    Default: /network/admin-cidr\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::EC2::SecurityGroupIngress\n"
        "    Properties:\n"
        "      FromSsmParameter: !Ref Cidr\n"
        "      Dynamic: '{{resolve:ssm:/network/admin-cidr}}'\n"
        "      InSub: !Sub 'x-{{resolve:secretsmanager:db}}'\n"
    )
    props = body(text)
    assert props.at("FromSsmParameter").unknown
    assert "SSM" in props.at("FromSsmParameter").value.reason
    assert props.at("Dynamic").unknown
    assert props.at("InSub").unknown


def test_list_parameter_and_boolean_default() -> None:
    props = prop_of("      C: !Ref Cidrs\n      F: !Ref Flag\n")
    assert props.at("C") is not None and props.at("C").plain() == ["10.0.0.0/8", "0.0.0.0/0"]
    assert props.at("F").value is True


def test_ref_and_getatt_to_resources_become_references() -> None:
    text = PARAMETERS + (
        "      Rules:\n"
        "        - Source: !Ref Other\n"
        "        - Source: !GetAtt Other.Arn\n"
        "      Plain: {\"Fn::GetAtt\": \"Other.DomainName\"}\n"
    )
    resource = load(text)["R"]
    first = resource.body.at("Rules", 0, "Source")
    assert first is not None and first.value == Unknown() and "Other" in first.value.reason
    assert resource.references == [
        Reference("stacks/app.yaml::Other", "Rules[0].Source", Span(F, 20, 11, 20, 29)),
        Reference("stacks/app.yaml::Other", "Rules[1].Source", Span(F, 21, 11, 21, 36)),
        Reference("stacks/app.yaml::Other", "Plain", Span(F, 22, 7, 22, 48)),
    ]


def test_pseudo_parameters_and_undefined_names_are_unknown() -> None:
    props = prop_of("      A: !Ref AWS::Region\n      B: !Ref Nowhere\n      C: !GetAtt Nowhere.Arn\n")
    assert props.at("A").unknown and "AWS::Region" in props.at("A").value.reason
    assert props.at("B").unknown and props.at("C").unknown


def test_sub() -> None:
    text = PARAMETERS + (
        "      Known: !Sub \"${Env}-data-${!Literal}\"\n"
        "      Pseudo: !Sub \"${AWS::AccountId}-${Env}\"\n"
        "      WithVars: !Sub [\"${A}-${Env}\", {A: !Ref Env}]\n"
        "      Res: !Sub \"arn:${Other.Arn}/${Other}\"\n"
    )
    resource = load(text)["R"]
    props = resource.body
    assert props.at("Known").value == "prod-data-${Literal}"
    assert props.at("Known").provenance == (Span(F, 4, 5, 4, 18),)
    assert props.at("Pseudo").unknown
    assert props.at("WithVars").value == "prod-prod"
    assert props.at("Res").unknown
    assert [(r.target, r.attribute) for r in resource.references] == [
        ("stacks/app.yaml::Other", "Res"),
        ("stacks/app.yaml::Other", "Res"),
    ]


def test_join_select_split() -> None:
    props = prop_of(
        "      J: !Join [\"-\", [a, !Ref Env, 3]]\n"
        "      U: !Join [\"-\", [a, !Ref AWS::Region]]\n"
        "      S: !Select [1, !Ref Cidrs]\n"
        "      P: !Split [\",\", \"a,b\"]\n"
        "      Z: !Select [0, !GetAZs \"\"]\n"
    )
    assert props.at("J").value == "a-prod-3"
    assert props.at("U").unknown
    assert props.at("S").value == "0.0.0.0/0"
    assert props.at("P").plain() == ["a", "b"]
    assert props.at("Z").unknown


def test_find_in_map() -> None:
    text = (
        "Mappings:\n"
        "  Sizes:\n"
        "    prod:\n"
        "      Encrypted: true\n"
        "Parameters:\n"
        "  Env: {Type: String, Default: prod}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::EC2::Volume\n"
        "    Properties:\n"
        "      Literal: !FindInMap [Sizes, prod, Encrypted]\n"
        "      ViaParam: !FindInMap [Sizes, !Ref Env, Encrypted]\n"
        "      ByRegion: !FindInMap [Sizes, !Ref AWS::Region, Encrypted]\n"
        "      Missing: !FindInMap [Sizes, dev, Encrypted]\n"
    )
    props = body(text)
    literal = props.at("Literal")
    assert literal is not None and literal.value is True
    assert literal.span.start_line == 11
    assert literal.provenance == (Span(F, 4, 7, 4, 22),)
    assert props.at("ViaParam").value is True
    assert props.at("ByRegion").unknown
    assert props.at("Missing").unknown


def test_no_value_removes_the_property_or_item() -> None:
    props = prop_of("      A: !Ref AWS::NoValue\n      L: [a, !Ref AWS::NoValue, b]\n      K: 1\n")
    assert "A" not in props.value
    assert props.at("L").plain() == ["a", "b"]


def test_if_is_unknown_and_records_no_reference() -> None:
    resource = load(PARAMETERS + "      A: !If [IsProd, !Ref Other, x]\n")["R"]
    node = resource.body.at("A")
    assert node is not None and node.unknown and "condition" in node.value.reason
    assert resource.references == []


def test_unknown_functions_keep_their_references() -> None:
    resource = load(PARAMETERS + "      A: !Base64 {\"Fn::Sub\": \"${Other}\"}\n")["R"]
    assert resource.body.at("A").unknown
    assert [r.attribute for r in resource.references] == ["A"]


def test_depends_on_and_condition() -> None:
    text = (
        "Conditions:\n"
        "  IsProd: !Equals [!Ref AWS::Region, eu-west-1]\n"
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::S3::Bucket\n"
        "  B:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Condition: IsProd\n"
        "    DependsOn: A\n"
        "  C:\n"
        "    Type: AWS::S3::Bucket\n"
        "    DependsOn: [A, B]\n"
    )
    loaded = read_template(text, F)
    assert loaded.diagnostics == []
    by_id = {r.address: r for r in loaded.resources}
    # B exists only when IsProd is true: one copy, with its plain id. DependsOn only
    # orders creation, so it does not split A or C into scenarios.
    assert {r.id for r in loaded.resources} == {
        "stacks/app.yaml::A", "stacks/app.yaml::B", "stacks/app.yaml::C"}
    assert loaded.conditions == {"stacks/app.yaml::B": "IsProd"}
    assert by_id["B"].references == [Reference("stacks/app.yaml::A", "DependsOn", Span(F, 9, 16, 9, 17))]
    assert by_id["B"].scenario == ()
    assert [r.target for r in by_id["C"].references] == ["stacks/app.yaml::A", "stacks/app.yaml::B"]


def test_a_reference_splits_its_target_into_the_referrers_scenarios() -> None:
    text = (
        "Conditions:\n"
        "  IsProd: !Equals [!Ref AWS::Region, eu-west-1]\n"
        "Resources:\n"
        "  Group:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "  Rule:\n"
        "    Type: AWS::EC2::SecurityGroupIngress\n"
        "    Condition: IsProd\n"
        "    Properties:\n"
        "      GroupId: !Ref Group\n"
    )
    by_id = {r.id: r for r in read_template(text, F).resources}
    assert set(by_id) == {"stacks/app.yaml::Group@1", "stacks/app.yaml::Group@2",
                          "stacks/app.yaml::Rule"}
    g_false, g_true = by_id["stacks/app.yaml::Group@1"], by_id["stacks/app.yaml::Group@2"]
    assert (g_false.scenario, g_true.scenario) == ((("IsProd", False),), (("IsProd", True),))
    assert g_false.scenario_total == g_true.scenario_total == 2
    # The rule exists only when IsProd is true; it names that copy of the group only.
    assert [r.target for r in by_id["stacks/app.yaml::Rule"].references] == [
        "stacks/app.yaml::Group@2"]


def test_undefined_resource_condition_is_a_warning_and_the_resource_is_kept() -> None:
    text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
    resources, diagnostics = load_template(text, F)
    assert [r.id for r in resources] == ["stacks/app.yaml::B"]
    assert [(d.line, d.level, d.code) for d in diagnostics] == [
        (2, DiagnosticLevel.WARNING, "not-resolved")]
    assert "IsProd" in diagnostics[0].message


def test_properties_given_by_a_condition_are_unknown() -> None:
    text = "Resources:\n  R:\n    Type: AWS::EC2::Volume\n    Properties: !If [C, {Encrypted: true}, {}]\n"
    props = body(text)
    assert props.unknown
    assert props.span.start_line == 4


# -- hostile input -----------------------------------------------------------------


def only_diagnostics(text: str, path: str = F) -> list[Diagnostic]:
    resources, diagnostics = load_template(text, path)
    assert resources == []
    assert diagnostics
    return diagnostics


def test_malformed_yaml_gives_the_line() -> None:
    text = "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties: [a, b\n  S: 1\n"
    (diag,) = only_diagnostics(text)
    assert diag.file == F
    assert diag.level is DiagnosticLevel.ERROR
    assert diag.code == "parse-error"
    assert diag.line == 5
    assert "skipped" in diag.message and "<unicode string>" not in diag.message


def test_invalid_json_gives_the_line() -> None:
    text = '{\n  "Resources": {\n    "A": {"Type": "AWS::S3::Bucket"\n    "B": 1}\n  }\n}\n'
    (diag,) = only_diagnostics(text, "t.json")
    assert (diag.file, diag.line, diag.code) == ("t.json", 4, "parse-error")


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    text = "\n".join(lines) + "\nResources:\n  R:\n    Type: AWS::S3::Bucket\n"
    (diag,) = only_diagnostics(text)
    assert diag.code == "parse-error" and "alias" in diag.message


def test_binary_garbage() -> None:
    raw = bytes(range(256)) * 4
    diags = only_diagnostics(raw.decode("utf-8", errors="replace"))
    assert all(d.code == "parse-error" for d in diags)


def test_multi_document_yaml_is_scanned_document_by_document() -> None:
    text = ("Resources:\n  A:\n    Type: AWS::S3::Bucket\n---\nResources:\n  B:\n"
            "    Type: AWS::S3::Bucket\n")
    resources, diagnostics = load_template(text, F)
    (diag,) = diagnostics
    assert (diag.line, diag.level, diag.code) == (4, DiagnosticLevel.WARNING, "multiple-documents")
    assert "2 YAML documents" in diag.message and "CloudFormation refuses" in diag.message
    assert [(r.id, r.scope, r.span.start_line) for r in resources] == [
        ("stacks/app.yaml#1::A", "stacks/app.yaml#1", 2),
        ("stacks/app.yaml#2::B", "stacks/app.yaml#2", 6),
    ]


def test_duplicate_keys() -> None:
    text = "Resources:\n  A:\n    Type: AWS::S3::Bucket\n  A:\n    Type: AWS::S3::Bucket\n"
    diags = only_diagnostics(text)
    assert {d.line for d in diags} == {2, 4}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Resources:\n  - a\n  - b\n", 1, "a list"),
        ("Resources: hello\n", 1, "a string"),
        ("- a\n- b\n", 1, "a list"),
        ("just a string\n", 1, "a string"),
    ],
)
def test_wrong_shapes_are_errors(text: str, line: int, words: str) -> None:
    (diag,) = only_diagnostics(text)
    assert diag.level is DiagnosticLevel.ERROR
    assert diag.code == "invalid-template"
    assert diag.line == line and words in diag.message


@pytest.mark.parametrize("text", ["", "   \n", "AWSTemplateFormatVersion: '2010-09-09'\n"])
def test_no_resources_is_a_warning(text: str) -> None:
    (diag,) = only_diagnostics(text)
    assert diag.level is DiagnosticLevel.WARNING


def test_bad_resources_are_skipped_with_warnings_and_the_rest_is_read() -> None:
    text = (
        "Resources:\n"
        "  NotAMapping: [1, 2]\n"
        "  NoType:\n"
        "    Properties: {}\n"
        "  TypeNotString:\n"
        "    Type: [AWS::S3::Bucket]\n"
        "  PropertiesList:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties: [a]\n"
        "  Fn::ForEach::Buckets:\n"
        "    - Name\n"
        "    - !Ref Unknowable\n"
        "    - ${Name}Bucket: {Type: AWS::S3::Bucket}\n"
        "  Good:\n"
        "    Type: AWS::S3::Bucket\n"
    )
    resources, diagnostics = load_template(text, F)
    assert [r.address for r in resources] == ["Good"]
    assert [(d.line, d.level, d.code) for d in diagnostics] == [
        (2, DiagnosticLevel.WARNING, "invalid-resource"),
        (3, DiagnosticLevel.WARNING, "invalid-resource"),
        (5, DiagnosticLevel.WARNING, "invalid-resource"),
        (7, DiagnosticLevel.WARNING, "invalid-resource"),
        (10, DiagnosticLevel.WARNING, "not-resolved"),
    ]
    assert "NotAMapping" in diagnostics[0].message and "not scanned" in diagnostics[0].message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "a: " + "[" * 2000 + "]" * 2000 + "\n",
        "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: !Sub [1, 2, 3]\n"
        "      B: !Join x\n      C: !Select [a, b]\n      D: !FindInMap x\n      E: !GetAtt [1]\n"
        "      F: !Ref [x]\n      G: !Sub {x: 1}\n      H: !Split [1, 2]\n",
        "Parameters: [1]\nMappings: x\nResources:\n  R:\n    Type: AWS::S3::Bucket\n"
        "    Properties: {A: !Ref P, B: !FindInMap [a, b, c]}\n",
        "Resources:\n  1:\n    Type: AWS::S3::Bucket\n    Properties:\n      2: 3\n",
        "\ufeffResources:\n  R:\n    Type: AWS::S3::Bucket\n",
        "Resources:\r\n  R:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      A: 1\r\n",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    resources, diagnostics = load_template(text, F)
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    assert all(isinstance(r, Resource) for r in resources)


def test_unexpected_exception_becomes_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.cloudformation import loader

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "_properties", explode)
    (diag,) = only_diagnostics("Resources:\n  R:\n    Type: AWS::S3::Bucket\n")
    assert diag.code == "internal-error"
    assert diag.level is DiagnosticLevel.ERROR
    assert F in diag.message and "boom" in diag.message


def test_recursion_is_reported_as_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.cloudformation import loader

    def recurse(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(loader, "_properties", recurse)
    (diag,) = only_diagnostics("Resources:\n  R:\n    Type: AWS::S3::Bucket\n")
    assert (diag.code, diag.level) == ("too-deep", DiagnosticLevel.ERROR)


def test_values_nested_too_deeply_for_the_decoder_are_named_so() -> None:
    deep = "true"
    for _ in range(300):
        deep = "{'Fn::If': [C, " + deep + ", false]}"
    text = f"Resources:\n  R:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: {deep}\n"
    (diag,) = only_diagnostics(text)
    assert diag.code == "parse-error"
    assert "nested too deeply" in diag.message and "recursion" not in diag.message


# -- sections CloudFormation would refuse ------------------------------------------


def section_warnings(text: str) -> list[tuple[int, str]]:
    _, diagnostics = load_template(text, F)
    return [(d.line, d.message) for d in diagnostics
            if d.code == "invalid-template" and d.level is DiagnosticLevel.WARNING]


def test_sections_that_are_not_mappings_are_warned_about() -> None:
    text = ("Parameters: [a, b]\nMappings: 7\nConditions:\nResources:\n"
            "  Q:\n    Type: AWS::SQS::Queue\n")
    warnings = section_warnings(text)
    assert [line for line, _ in warnings] == [1, 2]
    assert "Parameters must be a mapping, not a list" in warnings[0][1]
    assert "Mappings must be a mapping, not a number" in warnings[1][1]


def test_malformed_undefined_and_cyclic_conditions_are_warned_about_on_their_line() -> None:
    text = """\
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  Good: !And [!Equals [!Ref Env, prod], !Not [!Condition Other]]
  Other: !Or [!Equals [!Ref Env, dev], !Equals [!Ref Env, test]]
  OneSided: !Equals [a]
  NotAList: !Not true
  Lonely: !And [!Condition Good]
  Plain: yes
  Missing: !Not [!Condition Nowhere]
  A: !And [!Condition B, !Equals [!Ref Env, prod]]
  B: !Or [!Condition A, !Equals [!Ref Env, dev]]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: !If [NotAList, false, true]
"""
    warnings = dict(section_warnings(text))
    assert sorted(warnings) == [6, 7, 8, 9, 10, 11, 12]
    assert "OneSided is malformed (Fn::Equals takes a list of two values)" in warnings[6]
    assert "Fn::Not takes a list of one condition" in warnings[7]
    assert "Fn::And takes a list of 2 to 10 conditions" in warnings[8]
    assert "not a boolean" in warnings[9]
    assert "names condition Nowhere, which is not defined" in warnings[10]
    assert "A depends on itself (A -> B -> A)" in warnings[11]
    assert "B depends on itself (B -> A -> B)" in warnings[12]
    # A malformed condition is not guessed: the queue is read in both of its scenarios.
    resources, _ = load_template(text, F)
    settings = sorted(r.body.get("SqsManagedSseEnabled").value for r in resources)
    assert settings == [False, True]
