"""Request tracing: whether a Lambda function records its invocations with AWS X-Ray."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class FunctionTracing(View):
    """A Lambda function's X-Ray tracing mode: "Active" or "PassThrough" (the default)."""

    mode: Field[str]
    attribute: str  # the setting's name in this format, for messages
