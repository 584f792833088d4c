"""Findings (a rule failed) and undecided results (a rule could not tell), as reports see them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from scanner.rules import Rule
from scanner.source import Span


@dataclass
class Finding:
    rule: Rule
    message: str
    span: Span
    address: str  # the resource the finding is about
    resource_file: str  # where that resource is declared (part of the identity)
    attribute: str  # which part of it, "" for the resource as a whole
    provenance: tuple[Span, ...] = ()  # where the offending value was supplied (variable, default)
    call_chain: tuple[Span, ...] = ()  # module calls / nested stacks leading to the resource
    related: tuple[tuple[Span, str], ...] = ()
    resource_line: int = 0  # first line of the resource block, in `resource_file`
    suppressed: str | None = field(default=None, compare=False)  # the reason, when a comment waives it

    @property
    def identity(self) -> str:
        """Stable across edits elsewhere in the file: no line numbers in it."""
        return "\x1f".join((self.rule.id, self.resource_file, self.address, self.attribute))

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.identity.encode("utf-8")).hexdigest()

    def sort_key(self) -> tuple[object, ...]:
        return (self.span.file, self.span.start_line, self.span.start_column, self.rule.id,
                self.address, self.attribute, self.message)


@dataclass(frozen=True)
class Undetermined:
    """A rule that could not decide for a resource: silent by default, shown in verbose/JSON."""

    rule: Rule
    reason: str
    span: Span
    address: str

    def sort_key(self) -> tuple[object, ...]:
        return (self.span.file, self.span.start_line, self.rule.id, self.address, self.reason)


@dataclass(frozen=True)
class PassedCheck:
    """A rule that found nothing wrong with a resource (JUnit lists these as passing tests)."""

    rule: Rule
    span: Span
    address: str

    def sort_key(self) -> tuple[object, ...]:
        return (self.span.file, self.span.start_line, self.rule.id, self.address)


@dataclass
class DomainScore:
    """The customer's side of the model, one duty at a time."""

    resources: set[str]
    passed: int = 0
    failed: int = 0
    undecided: int = 0
