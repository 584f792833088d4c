"""What every view has: the resource it describes, for addresses and locations."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.resources import Format, Resource
from scanner.source import Span


@dataclass
class View:
    resource: Resource

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def span(self) -> Span:
        return self.resource.span

    @property
    def type(self) -> str:
        return self.resource.type

    @property
    def format(self) -> Format:
        return self.resource.format

    @property
    def key(self) -> str:
        """Distinguishes several views of one resource (e.g. a role's inline policies)."""
        return ""
