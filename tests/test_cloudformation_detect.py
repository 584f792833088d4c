"""Telling CloudFormation templates from other YAML and JSON files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.cloudformation.detect import looks_like_cloudformation

TEMPLATES = {
    "version key": "AWSTemplateFormatVersion: '2010-09-09'\nDescription: nothing yet\n",
    "resources only": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
    "quoted type": 'Resources:\n  B:\n    Type: "AWS::S3::Bucket"\n',
    "sam": (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
    ),
    "document marker and comments": "# stack\n---\nResources:\n  B: {Type: AWS::S3::Bucket}\n",
    "indented document": " Resources:\n  B:\n      Type: AWS::EC2::Instance\n",
    "alexa": "Resources:\n  Skill:\n    Type: Alexa::ASK::Skill\n",
    "json": json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}, indent=2),
    "json version": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}',
    "json trailing comma": '{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket"},\n  }\n}\n',
    "bom": "\ufeffAWSTemplateFormatVersion: '2010-09-09'\n",
    "flow yaml": "{AWSTemplateFormatVersion: '2010-09-09', Resources: {}}\n",
}

NOT_TEMPLATES = {
    "github workflow": (
        "name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          cat > t.yaml <<EOF\n          Resources:\n            B:\n"
        "              Type: AWS::S3::Bucket\n          EOF\n"
    ),
    "package.json": json.dumps({"name": "app", "version": "1.0.0", "dependencies": {"aws-cdk-lib": "2"}}),
    "kubernetes": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "    - name: web\n      image: nginx\n      resources:\n        limits: {cpu: 1}\n"
    ),
    "serverless framework": (
        "service: app\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n"
        "      Type: AWS::S3::Bucket\n"
    ),
    "random json": json.dumps({"Resources": ["a"], "Type": "AWS::S3::Bucket"}),
    "json nested resources": json.dumps({"stack": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}}),
    "json list": json.dumps([{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}]),
    "json wrong type": json.dumps({"Resources": {"B": {"Type": "bucket"}}}),
    "yaml mentioning the key in text": "description: set AWSTemplateFormatVersion: in templates\n",
    "docker compose": "services:\n  web:\n    image: nginx\n",
    "empty": "",
    "comments only": "# Resources:\n#   B:\n#     Type: AWS::S3::Bucket\n",
    "binary": bytes(range(256)).decode("latin-1"),
}


@pytest.mark.parametrize("text", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_templates_are_recognised(text: str) -> None:
    assert looks_like_cloudformation(text)


@pytest.mark.parametrize("text", NOT_TEMPLATES.values(), ids=NOT_TEMPLATES.keys())
def test_other_files_are_not(text: str) -> None:
    assert not looks_like_cloudformation(text)


def test_fast_on_large_files() -> None:
    big_yaml = "items:\n" + "".join(f"  - name: item{i}\n    Type: thing\n" for i in range(100_000))
    big_json = json.dumps({"items": [{"Type": "AWS::S3::Bucket", "i": i} for i in range(50_000)]})
    start = time.perf_counter()
    assert not looks_like_cloudformation(big_yaml)
    assert not looks_like_cloudformation(big_json)
    assert time.perf_counter() - start < 1.0


def test_detection_does_not_import_cfn_lint() -> None:
    code = (
        "import sys\n"
        "from scanner.cloudformation import looks_like_cloudformation\n"
        "looks_like_cloudformation('Resources:\\n  B:\\n    Type: AWS::S3::Bucket\\n')\n"
        "print('cfnlint' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root)
    assert out.stdout.strip() == "False"
