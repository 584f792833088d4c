"""What the user tells remit about the deployment of CloudFormation templates.

`CfnOptions` travels from the command line through the engine to the loader
(and to worker processes, so it pickles). It holds:

- parameter values (`--cfn-param NAME=VALUE`, `--cfn-params FILE`), used for
  every template scanned that declares the parameter; a value given here wins
  over the template's `Default` and pins every condition that reads it;
- the region (`--region`), which makes `AWS::Region`, `AWS::Partition` and
  `AWS::URLSuffix` known. Other pseudo parameters stay Unknown.

A parameters file is either the list that `aws cloudformation create-stack
--parameters file://...` reads (`[{"ParameterKey": "Env", "ParameterValue":
"prod"}]`) or a template configuration file (`{"Parameters": {"Env": "prod"}}`,
as CodePipeline reads).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.source import Span

# Region prefixes of the partitions other than `aws`, longest first.
_PARTITIONS = (
    ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"),
    ("us-iso-", "aws-iso", "c2s.ic.gov"),
    ("us-gov-", "aws-us-gov", "amazonaws.com"),
    ("cn-", "aws-cn", "amazonaws.com.cn"),
)


@dataclass(frozen=True)
class Given:
    """A parameter value given from outside the template."""

    value: str | None  # None: given, but not known statically
    reason: str = ""  # why it is not known
    # Where it was written (a parent stack's Parameters) and where that came from, if anywhere.
    origins: tuple[Span, ...] = ()


@dataclass(frozen=True)
class CfnOptions:
    """Values given for every CloudFormation template of a scan."""

    parameters: tuple[tuple[str, str], ...] = ()  # (name, value), later entries win
    region: str | None = None
    # For a nested stack: the parameters its parent passes (they replace `parameters`).
    stack_inputs: tuple[tuple[str, Given], ...] | None = None

    def given(self, name: str) -> Given | None:
        """The value given for parameter `name`, if any."""
        if self.stack_inputs is not None:
            return next((g for key, g in reversed(self.stack_inputs) if key == name), None)
        value = self.parameter(name)
        return Given(value) if value is not None else None

    def parameter(self, name: str) -> str | None:
        """The value given on the command line for parameter `name`, if any."""
        if self.stack_inputs is not None:
            given = self.given(name)
            return given.value if given is not None else None
        found = None
        for key, value in self.parameters:
            if key == name:
                found = value
        return found

    def pseudo(self, name: str) -> str | None:
        """The value of a pseudo parameter, when the options make it known."""
        if self.region is None:
            return None
        if name == "AWS::Region":
            return self.region
        partition, suffix = "aws", "amazonaws.com"
        for prefix, part, url in _PARTITIONS:
            if self.region.startswith(prefix):
                partition, suffix = part, url
                break
        if name == "AWS::Partition":
            return partition
        if name == "AWS::URLSuffix":
            return suffix
        return None

    def cache_tag(self) -> str:
        """A short tag for parse-cache keys: empty when nothing is given."""
        if not self.parameters and self.region is None and self.stack_inputs is None:
            return ""
        text = json.dumps([list(self.parameters), self.region, repr(self.stack_inputs)])
        return "+" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_parameter_option(text: str) -> tuple[str, str]:
    """`NAME=VALUE` from `--cfn-param`; ValueError with a message for a person."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"--cfn-param expects NAME=VALUE, got {text!r}")
    return name, value


def read_parameters_file(path: Path) -> list[tuple[str, str]]:
    """The (name, value) pairs of a parameters file; ValueError with a message for a person."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise ValueError(f"{path} is not valid JSON: {err}") from None
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        return [(str(k), _value(v, path, str(k))) for k, v in data["Parameters"].items()]
    if isinstance(data, list):
        out: list[tuple[str, str]] = []
        for index, entry in enumerate(data):
            if not isinstance(entry, dict) or not isinstance(entry.get("ParameterKey"), str):
                raise ValueError(f"{path}: entry {index} has no ParameterKey")
            if entry.get("UsePreviousValue") is True and "ParameterValue" not in entry:
                continue  # the stack's current value: not known here
            if "ParameterValue" not in entry:
                raise ValueError(f"{path}: entry {index} ({entry['ParameterKey']}) has no ParameterValue")
            out.append((entry["ParameterKey"], _value(entry["ParameterValue"], path,
                                                      entry["ParameterKey"])))
        return out
    raise ValueError(
        f"{path} is neither a list of {{\"ParameterKey\": ..., \"ParameterValue\": ...}} "
        "nor a {\"Parameters\": {...}} object"
    )


def _value(value: Any, path: Path, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ",".join(str(v) for v in value)
    raise ValueError(f"{path}: the value of {name} is not a string")
