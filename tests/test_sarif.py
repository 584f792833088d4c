"""SARIF output: schema-valid, relative locations, stable fingerprints, byte-identical reruns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, PROJECT, shared_corpus

from scanner.engine import scan
from scanner.report.sarif import render

SCHEMA = json.loads((PROJECT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


def sarif_of(*paths: Path) -> dict:
    return json.loads(render(scan(list(paths), workers=1)))


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_fixtures_log_is_schema_valid_and_complete() -> None:
    log = sarif_of(FIXTURES)
    validate(log)
    run = log["runs"][0]
    assert run["results"], "the failing fixtures must give results"
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert rule["name"][0].isupper() and " " not in rule["name"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0
        assert "security" in rule["properties"]["tags"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and ".." not in uri
        assert (Path(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].removeprefix("file://")) / uri).is_file()
        region = location["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        assert result["partialFingerprints"]["primaryLocationLineHash"]
        assert result["message"]["text"].endswith(".")


def test_parse_failure_is_a_notification_and_execution_unsuccessful(tmp_path: Path) -> None:
    (tmp_path / "bad.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n')
    (tmp_path / "good.tf").write_text('resource "aws_ebs_volume" "v" {\n  size = 1\n}\n')
    log = sarif_of(tmp_path)
    validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert any(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("bad.tf")
               and n["level"] == "error" for n in notes)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["DAT003"]


def test_output_is_byte_identical_across_runs_and_worker_counts() -> None:
    first = render(scan([FIXTURES], workers=1))
    second = render(scan([FIXTURES], workers=2))
    assert first == second


def test_fingerprint_survives_lines_inserted_above(tmp_path: Path) -> None:
    source = ('resource "aws_ebs_volume" "v" {\n  size = 1\n}\n'
              'resource "aws_security_group" "s" {\n  ingress {\n    from_port = 0\n'
              '    to_port = 65535\n    protocol = "tcp"\n    cidr_blocks = ["::/0"]\n  }\n}\n')
    (tmp_path / "main.tf").write_text(source)
    before = sarif_of(tmp_path)["runs"][0]["results"]
    (tmp_path / "main.tf").write_text("# a comment\n\nlocals {\n  x = 1\n}\n" + source)
    after = sarif_of(tmp_path)["runs"][0]["results"]
    assert before and len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        assert a["locations"][0]["physicalLocation"]["region"]["startLine"] + 5 == \
            b["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert a["partialFingerprints"] == b["partialFingerprints"]


def test_provenance_is_a_related_location(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "cidr" {\n  default = "0.0.0.0/0"\n}\n'
        'resource "aws_security_group" "s" {\n  ingress {\n    from_port = 22\n    to_port = 22\n'
        '    protocol = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n')
    result = sarif_of(tmp_path)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "main.tf"
    assert related["region"]["startLine"] == 2


def test_goat_corpus_log_is_schema_valid(tmp_path: Path) -> None:
    goat = shared_corpus("corpus", "goat")
    copy = tmp_path / "goat"
    shutil.copytree(goat, copy)
    log = sarif_of(copy)
    validate(log)
    assert len(log["runs"][0]["results"]) > 20


@pytest.mark.parametrize("name", ["empty"])
def test_empty_scan_is_valid(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    log = sarif_of(tmp_path / name)
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_related_locations_stay_within_githubs_display_limit(tmp_path: Path) -> None:
    from dataclasses import replace

    from scanner.report.sarif import MAX_RELATED
    from scanner.source import Span

    (tmp_path / "main.tf").write_text(
        'resource "aws_ebs_volume" "v" {\n  size = 1\n  encrypted = false\n}\n')
    result = scan([tmp_path], workers=1)
    (finding,) = [f for f in result.findings if f.rule.id == "DAT003"]
    many = tuple(Span("main.tf", 3, 1) for _ in range(MAX_RELATED + 50))
    result.findings = [replace(finding, provenance=many)]
    log = json.loads(render(result))
    validate(log)
    (sarif_result,) = log["runs"][0]["results"]
    assert len(sarif_result["relatedLocations"]) == MAX_RELATED == 100
