"""Find the files to scan under the given paths, and say what each one is."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from scanner.diagnostics import Diagnostic, DiagnosticLevel

SKIP_DIRS = {".terraform", ".git", "node_modules", ".terragrunt-cache"}
CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
MAX_BYTES = 10 * 1024 * 1024


class Kind(str, Enum):
    TERRAFORM = "terraform"
    TFVARS = "tfvars"
    CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True, order=True)
class SourceFile:
    rel: str  # relative to the scan root, with "/"
    path: Path
    kind: Kind
    focus: bool = True  # findings in it are reported (False: read only for context)


def classify(path: Path) -> Kind | None:
    name = path.name.lower()
    if name.endswith(".tf"):
        return Kind.TERRAFORM
    if name.endswith((".tfvars", ".tfvars.json")):
        return Kind.TFVARS
    if name.endswith(".tf.json"):
        return Kind.TERRAFORM  # Terraform's JSON syntax
    if name.endswith(CFN_SUFFIXES):
        return Kind.CLOUDFORMATION  # confirmed by content later
    return None


def scan_root(paths: list[Path]) -> Path:
    """The folder that result URIs are relative to: the working folder if it holds every path."""
    cwd = Path.cwd().resolve()
    resolved = [p.resolve() for p in paths]
    if all(cwd == p or cwd in p.parents for p in resolved):
        return cwd
    if len(resolved) == 1:
        return resolved[0] if resolved[0].is_dir() else resolved[0].parent
    return Path(os.path.commonpath([str(p) for p in resolved]))


def discover(paths: list[Path], root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    files: dict[str, SourceFile] = {}
    diagnostics: list[Diagnostic] = []
    for given in paths:
        base = given.resolve()
        if base.is_file() or (given.is_symlink() and not given.is_dir()):
            _add(given, base.parent, root, files, diagnostics, explicit=True)
            continue
        seen: set[Path] = set()
        for folder, dirs, names in os.walk(given, followlinks=True):
            here = Path(folder)
            real = here.resolve()
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            kept = []
            for d in sorted(dirs):
                if d in SKIP_DIRS:
                    continue
                sub = here / d
                target = sub.resolve()
                if sub.is_symlink() and not _inside(target, base):
                    diagnostics.append(_note(root, sub, "symbolic link leads outside the scanned "
                                             "folder; not followed"))
                    continue
                kept.append(d)
            dirs[:] = kept
            for name in sorted(names):
                _add(here / name, base, root, files, diagnostics, explicit=False)
    return [files[k] for k in sorted(files)], diagnostics


def _add(path: Path, base: Path, root: Path, files: dict[str, SourceFile],
         diagnostics: list[Diagnostic], explicit: bool) -> None:
    kind = classify(path)
    if kind is None:
        return
    real = path.resolve()
    if path.is_symlink() and not _inside(real, base):
        diagnostics.append(_note(root, path, "symbolic link leads outside the scanned folder; "
                                 "not followed"))
        return
    try:
        info = real.stat()
    except OSError as err:
        diagnostics.append(_error(root, path, f"cannot read the file: {err.strerror}"))
        return
    if not stat.S_ISREG(info.st_mode):
        if not stat.S_ISDIR(info.st_mode):  # a pipe or device would block the scan
            diagnostics.append(_note(root, path, "not a regular file (a pipe or device); not read"))
        return
    size = info.st_size
    if size > MAX_BYTES:
        if kind is not Kind.CLOUDFORMATION or explicit:
            diagnostics.append(_error(root, path, f"file is larger than {MAX_BYTES // 2**20} MiB; "
                                      "not scanned"))
        return
    rel = relative(path, root)
    files.setdefault(rel, SourceFile(rel, real, kind))


def relative(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, root)).as_posix()


def _inside(target: Path, base: Path) -> bool:
    return target == base or base in target.parents


def _note(root: Path, path: Path, message: str) -> Diagnostic:
    return Diagnostic(relative(path, root), 0, 0, DiagnosticLevel.NOTE, "skipped", message)


def _error(root: Path, path: Path, message: str) -> Diagnostic:
    return Diagnostic(relative(path, root), 0, 0, DiagnosticLevel.ERROR, "unreadable", message)
