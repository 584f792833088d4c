"""Is a YAML or JSON file a CloudFormation template? Answered from the text alone.

This runs on every `.yaml`, `.yml`, `.json` and `.template` file found, so it
uses a few regular expressions (and, for JSON, the C JSON parser) and never
imports cfn-lint.

A template either names `AWSTemplateFormatVersion` as a top-level key, or has a
top-level `Resources` mapping whose entries have `Type: AWS::...` (SAM's
`AWS::Serverless::...` included). "Top-level" is checked by position in YAML
(the key starts a line) and by parsing in JSON, so a GitHub workflow, a
Kubernetes manifest or a package.json that merely mentions these words is not
taken for a template.
"""

from __future__ import annotations

import json
import re

_VERSION_KEY_YAML = re.compile(r"""^["']?AWSTemplateFormatVersion["']?[ \t]*:""", re.MULTILINE)
_VERSION_KEY_JSON = re.compile(r'"AWSTemplateFormatVersion"\s*:')
_RESOURCES_KEY_YAML = re.compile(r"""^["']?Resources["']?[ \t]*:""", re.MULTILINE)
_VERSION_KEY_ANY = re.compile(r"""\bAWSTemplateFormatVersion["']?\s*:""")
_RESOURCES_KEY_ANY = re.compile(r"""\bResources["']?\s*:""")
_RESOURCE_TYPE = re.compile(r"""["']?\bType["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::[A-Za-z0-9]""")


def looks_like_cloudformation(text: str) -> bool:
    """True when `text` looks like a CloudFormation (or SAM) template."""
    text = text.lstrip("\ufeff")
    if _looks_like_json(text):
        return _json_template(text)
    if _VERSION_KEY_YAML.search(text):
        return True
    return bool(_RESOURCES_KEY_YAML.search(text) and _RESOURCE_TYPE.search(text))


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] == "{"


def _json_template(text: str) -> bool:
    """A JSON object with the version key, or a top-level Resources of AWS:: types."""
    if not _VERSION_KEY_JSON.search(text) and not _RESOURCE_TYPE.search(text):
        return False
    try:
        document = json.loads(text)
    except ValueError:
        # Not strict JSON (cfn-lint accepts e.g. trailing commas; and `{` may start
        # a YAML flow mapping): fall back to the patterns.
        return bool(_VERSION_KEY_ANY.search(text)
                    or (_RESOURCES_KEY_ANY.search(text) and _RESOURCE_TYPE.search(text)))
    if not isinstance(document, dict):
        return False
    if "AWSTemplateFormatVersion" in document:
        return True
    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::")
        for r in resources.values()
    )
