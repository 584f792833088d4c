"""Problems with the input itself (not findings): unparsable files, skipped files, limits hit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class DiagnosticLevel(str, Enum):
    ERROR = "error"  # the file (or part of it) could not be scanned
    WARNING = "warning"  # scanned, but something was left out or guessed
    NOTE = "note"  # informational, e.g. a file skipped on purpose


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    level: DiagnosticLevel
    code: str  # stable short id, e.g. "parse-error", "not-resolved"
    message: str

    @property
    def where(self) -> str:
        if self.file and self.line > 0:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file or "remit"

    def __str__(self) -> str:
        return f"{self.where}: {self.level.value}: {self.message}"
