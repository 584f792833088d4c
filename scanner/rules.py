"""What a rule is: its metadata, and the outcomes its check returns for each view."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


class Severity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


class Domain(Enum):
    """The customer's duties under the shared-responsibility model (DESIGN.md)."""

    DATA_PROTECTION = ("DAT", "data protection")
    IDENTITY = ("IAM", "identity and access")
    NETWORK = ("NET", "network")
    LOGGING = ("LOG", "logging and audit")
    PATCHING = ("PAT", "patching")
    APPLICATION = ("APP", "application")
    COMPLIANCE = ("CMP", "compliance")

    @property
    def prefix(self) -> str:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


@dataclass(frozen=True)
class Fail:
    """The view breaks the rule at `at` (a field, or the block's span when missing)."""

    message: str
    at: Field[Any] | Span
    attribute: str = ""  # attribute path, part of the finding's stable identity
    related: tuple[tuple[Span, str], ...] = ()

    @property
    def span(self) -> Span:
        return self.at if isinstance(self.at, Span) else self.at.span

    @property
    def provenance(self) -> tuple[Span, ...]:
        return () if isinstance(self.at, Span) else self.at.provenance


@dataclass(frozen=True)
class Undecided:
    """The rule cannot decide: the inputs it needs are unknown statically."""

    reason: str
    at: Span


@dataclass(frozen=True)
class Passed:
    pass


PASS = Passed()
Outcome = Fail | Undecided | Passed


@dataclass(frozen=True)
class RuleOption:
    """A setting of a rule, read from `[tool.remit.rules.ID]` in pyproject.toml or .remit.toml."""

    name: str
    default: Any
    help: str
    # The rule has nothing to judge until this option is given a non-empty value (an allow-list
    # only the user knows): until then it does not run, like a disabled rule.
    required: bool = False

    @property
    def kind(self) -> type:
        return type(self.default)


@dataclass(frozen=True)
class Rule:
    id: str  # stable, domain prefix + number: "NET001"
    name: str  # PascalCase, for SARIF
    title: str  # one line, says what is wrong
    severity: Severity
    severity_reason: str
    domain: Domain
    view: type[View] | tuple[type[View], ...]  # the kinds of view the check reads
    check: Callable[..., Iterable[Outcome] | Outcome]
    resource_types: tuple[str, ...]  # Terraform and CloudFormation types the rule covers
    rationale: str
    remediation: str
    terraform_fix: str
    cloudformation_fix: str
    references: tuple[str, ...]
    security_severity: float  # GitHub's 0.0-10.0 scale
    precision: str = "high"  # SARIF/GitHub: very-high, high, medium, low
    tags: tuple[str, ...] = field(default=())
    # A rule with options has `check(view, settings)`; `settings` maps every option's name
    # to its configured value or default.
    options: tuple[RuleOption, ...] = field(default=())

    def __hash__(self) -> int:  # options may hold lists: a rule is known by its id
        return hash(self.id)

    def outcomes(self, view: View, settings: Mapping[str, Any] | None = None) -> list[Outcome]:
        if self.options:
            merged = {o.name: o.default for o in self.options}
            merged.update(settings or {})
            result = self.check(view, merged)
        else:
            result = self.check(view)
        if isinstance(result, (Fail, Undecided, Passed)):
            return [result]
        return list(result)

    def configured(self, settings: Mapping[str, Any] | None) -> bool:
        """Whether every required option has a value: a rule without one does not run."""
        given = settings or {}
        return all(given.get(o.name) for o in self.options if o.required)

    @property
    def view_types(self) -> tuple[type[View], ...]:
        return self.view if isinstance(self.view, tuple) else (self.view,)

    @property
    def formats(self) -> tuple[str, ...]:
        tf = any(not t.startswith("AWS::") for t in self.resource_types)
        cfn = any(t.startswith("AWS::") for t in self.resource_types)
        return tuple(f for f, on in (("terraform", tf), ("cloudformation", cfn)) if on)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/remit-scanner/remit/blob/main/docs/rules/{self.id}.md"
