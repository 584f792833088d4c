"""Spans from cfn-lint's marks.

cfn-lint's decoder puts 0-based `start_mark`/`end_mark` on mappings, lists and
strings, but not on ints, bools and floats, nor on anything inside the long
form of a short-form tag (`!Sub "..."` becomes `{"Fn::Sub": "..."}` whose
inner string has no mark). Two more quirks are handled here:

- a block mapping or list "ends" where the next token starts, possibly several
  blank or comment lines further down; the end is moved back to the last
  character of the last line that holds content;
- an int or bool value has no mark at all: its end is found by reading the
  token after the key's colon in the text, else the key's own span is used.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.source import Span

# YAML's line breaks (cfn-lint's marks count these), not str.splitlines's larger set.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SCALAR_AFTER_KEY = re.compile(r"""\s*["']?\s*:\s*([^\s,}\]#]+)""")


def mark_of(obj: Any) -> tuple[Any, Any] | None:
    """The (start, end) marks of a decoded value, or None when it carries none."""
    start = getattr(obj, "start_mark", None)
    end = getattr(obj, "end_mark", None)
    if start is None or end is None:
        return None
    return start, end


class Locator:
    """Turns marks of one decoded file into 1-based `Span`s of `file`."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = _LINE_BREAK.split(text)

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def _tight_end(self, start_line: int, end_line: int, end_col: int) -> tuple[int, int]:
        """Move a block's end (the next token's start) back to its last content character."""
        if end_line <= start_line or self._line(end_line)[:end_col].strip():
            return end_line, end_col
        line = end_line - 1
        while line > start_line:
            content = self._line(line).strip()
            if content and not content.startswith("#"):
                break
            line -= 1
        return line, len(self._line(line).rstrip())

    def span_of(self, obj: Any) -> Span | None:
        """The span of a marked value, or None."""
        marks = mark_of(obj)
        if marks is None:
            return None
        start, end = marks
        end_line, end_col = self._tight_end(start.line, end.line, end.column)
        return Span(self.file, start.line + 1, start.column + 1, end_line + 1, end_col + 1)

    def entry_span(self, key: Any, value: Any, fallback: Span) -> Span:
        """The span of a whole `key: value` entry: from the key to the value's end."""
        key_marks = mark_of(key)
        if key_marks is None:
            return self.span_of(value) or fallback
        key_start, key_end = key_marks
        value_span = self.span_of(value)
        if value_span is not None:
            end_line, end_col = value_span.end_line, value_span.end_column
        else:
            end_line, end_col = self._scalar_end(key_end.line, key_end.column)
        return Span(self.file, key_start.line + 1, key_start.column + 1, end_line, end_col)

    def _scalar_end(self, line: int, col: int) -> tuple[int, int]:
        """1-based end of an unmarked scalar written after the key ending at (line, col)."""
        text = self._line(line)
        match = _SCALAR_AFTER_KEY.match(text, col)
        if match is None:
            return line + 1, col + 1
        return line + 1, match.end(1) + 1
