"""Source positions. Lines and columns are 1-based, as SARIF and editors count them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A region of one file: `file` is the path relative to the scan root, with `/`."""

    file: str
    start_line: int
    start_column: int = 1
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        if self.end_line < self.start_line:
            object.__setattr__(self, "end_line", self.start_line)
        if self.end_line == self.start_line and self.end_column < self.start_column:
            object.__setattr__(self, "end_column", self.start_column)

    def head(self) -> Span:
        """The first line of this span only: where a finding on a whole block points."""
        if self.end_line == self.start_line:
            return self
        return Span(self.file, self.start_line, self.start_column, self.start_line, self.start_column)

    def __str__(self) -> str:
        return f"{self.file}:{self.start_line}"
