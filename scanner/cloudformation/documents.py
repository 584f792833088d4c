"""Split a YAML file into its documents (`---` / `...`), keeping every line where it was.

CloudFormation reads one document per file and refuses a file holding more.
remit scans each document as its own template: each document's text is the
file's text with every other document's lines blanked, so the decoder's line
and column marks are the file's.

A document marker is `---` or `...` at the start of a line (YAML forbids them
at column 0 inside a scalar), so splitting on lines is exact. A JSON file never
holds markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"(---|\.\.\.)(?=[ \t\r]|$)")
_EMPTY = re.compile(r"\s*(#.*)?")


@dataclass(frozen=True)
class Document:
    text: str  # the file's text up to the document's end, earlier documents' lines blank
    first_line: int  # 1-based line of the document's start (its `---`, if any)


def split_documents(text: str) -> list[Document]:
    """The documents of `text` that hold content; one document for most files."""
    padded = "\n" + text
    if text.lstrip()[:1] in ("{", "[") or ("\n---" not in padded and "\n..." not in padded):
        return [Document(text, 1)]
    lines = text.split("\n")
    ranges: list[tuple[int, int]] = []
    start = 0
    for index, line in enumerate(lines):
        if not _MARKER.match(line):
            continue
        if line.startswith("---"):
            begin = index
            while begin > start and lines[begin - 1].startswith("%"):
                begin -= 1  # directives belong to the document they precede
            ranges.append((start, begin))
            start = begin
        else:  # `...` ends the document; its line belongs to it
            ranges.append((start, index + 1))
            start = index + 1
    ranges.append((start, len(lines)))
    documents: list[Document] = []
    for begin, end in ranges:
        body = lines[begin:end]
        if not any(_has_content(line) for line in body):
            continue
        padded = "\n".join(["" for _ in range(begin)] + body)
        documents.append(Document(padded, begin + 1))
    return documents or [Document(text, 1)]


def _has_content(line: str) -> bool:
    if _MARKER.match(line):
        rest = line[3:].strip()
        return bool(rest) and not rest.startswith("#")
    if line.startswith("%"):
        return False
    return _EMPTY.fullmatch(line) is None
