"""A cache of parse results, keyed by file content, path and remit's own code.

Parsing is most of a scan's cost; re-scanning a repository where few files
changed (pre-commit, CI on each push, an editor) then parses only those files.
The key includes a fingerprint of remit's source files, so a changed parser
never reads an old entry. Any problem with the cache is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from scanner import __version__

FORMAT = "1"


def cache_dir() -> Path | None:
    """Where entries go; read per file, so it follows the environment but stays cheap."""
    return _cache_dir(os.environ.get("REMIT_NO_CACHE"), os.environ.get("REMIT_CACHE_DIR"),
                      os.environ.get("XDG_CACHE_HOME"))


@lru_cache(maxsize=8)
def _cache_dir(off: str | None, explicit: str | None, xdg: str | None) -> Path | None:
    if off:
        return None
    if explicit:
        return Path(explicit)
    base = xdg or str(Path.home() / ".cache")
    return Path(base) / "remit" / "parse"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Changes whenever remit's code changes (an installed release or a working copy)."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def key(kind: str, rel: str, content: bytes) -> str:
    digest = hashlib.sha256(content)
    digest.update(f"\0{kind}\0{rel}\0{_code_fingerprint()}".encode())
    return digest.hexdigest()


def load(entry: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / entry[:2] / entry, "rb") as handle:
            return pickle.load(handle)
    except Exception:
        return None


def store(entry: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    target = folder / entry[:2]
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-")
    except OSError:
        return  # a read-only or missing home only costs speed
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target / entry)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
