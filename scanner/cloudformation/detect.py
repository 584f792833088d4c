"""Is a YAML or JSON file a CloudFormation template? Answered from the text alone.

This runs on every `.yaml`, `.yml`, `.json` and `.template` file found, so it
uses a few regular expressions (and, for JSON, the C JSON parser) and never
imports cfn-lint.

A template either has `AWSTemplateFormatVersion` as a top-level key, or a
top-level `Resources` mapping whose entries have a resource `Type` such as
`AWS::S3::Bucket` (SAM's `AWS::Serverless::...`, `Alexa::ASK::Skill`, registry
types `Org::Service::Thing` and `Custom::Name` too). "Top-level" is checked by
indentation in YAML (the key is as indented as the document's first key) and
by parsing in JSON. So a GitHub workflow, a Kubernetes manifest, a Serverless
Framework file (whose `Resources` is nested under `resources`) or a
package.json is not taken for a template.
"""

from __future__ import annotations

import json
import re

_VERSION = "AWSTemplateFormatVersion"
_KEY_YAML = r"""^([ \t]*)["']?{key}["']?[ \t]*:"""
_VERSION_KEY_YAML = re.compile(_KEY_YAML.format(key=_VERSION), re.MULTILINE)
_RESOURCES_KEY_YAML = re.compile(_KEY_YAML.format(key="Resources"), re.MULTILINE)
_VERSION_KEY_ANY = re.compile(r"""\bAWSTemplateFormatVersion["']?\s*:""")
_RESOURCES_KEY_ANY = re.compile(r"""\bResources["']?\s*:""")
_TYPE_NAME = r"(?:[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+)"
_RESOURCE_TYPE = re.compile(r"""\bType["']?\s*:\s*["']?""" + _TYPE_NAME)
_TYPE_VALUE = re.compile(_TYPE_NAME)
# The first line that is not blank, a comment, a directive or a document marker.
_FIRST_CONTENT = re.compile(r"^([ \t]*)(?!#|%|---)\S", re.MULTILINE)


def looks_like_cloudformation(text: str) -> bool:
    """True when `text` looks like a CloudFormation (or SAM) template."""
    if _VERSION not in text and "::" not in text:
        return False  # cheap: neither the version key nor a resource type (package-lock.json...)
    text = text.lstrip("\ufeff")
    if text.lstrip()[:1] == "{":
        return _json_template(text)
    indent = _top_level_indent(text)
    if indent is None:
        return False
    if any(m.group(1) == indent for m in _VERSION_KEY_YAML.finditer(text)):
        return True
    if not _RESOURCE_TYPE.search(text):
        return False
    return any(m.group(1) == indent for m in _RESOURCES_KEY_YAML.finditer(text))


def _top_level_indent(text: str) -> str | None:
    """The indentation of the first key of a YAML document (usually none)."""
    match = _FIRST_CONTENT.search(text)
    return match.group(1) if match else None


def _json_template(text: str) -> bool:
    """A JSON object with the version key, or a top-level Resources of resource types."""
    if not _VERSION_KEY_ANY.search(text) and not _RESOURCE_TYPE.search(text):
        return False
    try:
        document = json.loads(text)
    except ValueError:
        # Not strict JSON (cfn-lint accepts e.g. trailing commas, and `{` may start a
        # YAML flow mapping): fall back to the patterns.
        return bool(_VERSION_KEY_ANY.search(text)
                    or (_RESOURCES_KEY_ANY.search(text) and _RESOURCE_TYPE.search(text)))
    if not isinstance(document, dict):
        return False
    if _VERSION in document:
        return True
    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str)
        and _TYPE_VALUE.fullmatch(r["Type"]) is not None
        for r in resources.values()
    )
