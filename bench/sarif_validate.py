#!/usr/bin/env python3
"""Validate SARIF logs with Microsoft's SARIF Multitool (SARIF and GitHub ingestion rules).

    python bench/sarif_validate.py remit.sarif [more.sarif ...] [--verbose] [--strict]

Installs npm's @microsoft/sarif-multitool into ~/.cache/remit-tests/npm (or
--prefix, or $REMIT_NPM_PREFIX) on first use. Needs node/npm for that install
only: the Linux package carries a self-contained .NET single-file executable, so
no .NET runtime is needed. It loads libicu when present; without libicu the
script runs it in .NET's invariant-globalization mode.

Exit status: 0 when no log has an error (with --strict: no error or warning),
1 when one has, 2 when the validator could not run.
"""

from __future__ import annotations

import argparse
import collections
import ctypes.util
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "@microsoft/sarif-multitool"
DEFAULT_PREFIX = Path(os.environ.get("REMIT_NPM_PREFIX", Path.home() / ".cache" / "remit-tests" / "npm"))
LEVELS = ("error", "warning", "note")


def multitool_path(prefix: Path) -> Path:
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}[platform.system()]
    name = "Sarif.Multitool.exe" if system == "win32" else "Sarif.Multitool"
    return prefix / "node_modules" / "@microsoft" / f"sarif-multitool-{system}" / name


def ensure_multitool(prefix: Path, version: str | None) -> Path:
    exe = multitool_path(prefix)
    if not exe.exists():
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit(f"error: {exe} is missing and npm is not on PATH to install it")
        prefix.mkdir(parents=True, exist_ok=True)
        spec = f"{PACKAGE}@{version}" if version else PACKAGE
        print(f"installing {spec} into {prefix} ...", file=sys.stderr)
        cmd = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", spec]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not exe.exists():
            raise SystemExit(f"error: npm install {spec} failed:\n{proc.stdout}{proc.stderr}")
    # npm 11 does not run the package's postinstall (`chmod u+x Sarif.Multitool`).
    mode = exe.stat().st_mode
    if not mode & stat.S_IXUSR:
        exe.chmod(mode | stat.S_IXUSR)
    return exe


def message_text(result: dict, rules: list[dict]) -> str:
    """A result's message: its text, or its rule's messageStrings template filled in."""
    message = result.get("message", {})
    if "text" in message:
        return message["text"]
    index = result.get("ruleIndex")
    rule = rules[index] if isinstance(index, int) and index < len(rules) else {}
    template = rule.get("messageStrings", {}).get(message.get("id", ""), {}).get("text")
    if template is None:
        return f"{message.get('id', '?')} {message.get('arguments', [])}"
    for i, arg in enumerate(message.get("arguments", [])):
        template = template.replace(f"{{{i}}}", str(arg))
    return template


def location(result: dict) -> str:
    for loc in result.get("locations", []):
        region = loc.get("physicalLocation", {}).get("region", {})
        if "startLine" in region:
            return f"{region['startLine']}:{region.get('startColumn', 1)}"
    return "-"


def validate(exe: Path, log: Path, out: Path, verbose: bool) -> collections.Counter:
    env = dict(os.environ)
    if not ctypes.util.find_library("icuuc"):
        env["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"
    # Called directly, not through npm's node wrapper: the wrapper runs a shell,
    # which would split the ';'-separated values below.
    cmd = [
        str(exe), "validate", str(log), "-o", str(out), "--log", "ForceOverwrite",
        "--level", "Error;Warning;Note", "--rule-kind", "Sarif;Ghas",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(
            f"error: Sarif.Multitool exited {proc.returncode} on {log}:\n{proc.stdout}{proc.stderr}"
        )
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    counts: collections.Counter = collections.Counter()
    by_rule: collections.Counter = collections.Counter()
    lines = []
    for run in report.get("runs", []):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        for inv in run.get("invocations", []):
            if inv.get("executionSuccessful") is False:
                counts["tool failures"] += 1
        for result in run.get("results", []):
            level = result.get("level", "warning")
            counts[level] += 1
            by_rule[(level, result.get("ruleId", "?"))] += 1
            if level != "note" or verbose:
                lines.append(
                    f"  {level:<7} {result.get('ruleId', '?'):<10} {location(result):>9}  "
                    f"{message_text(result, rules)}"
                )
    summary = ", ".join(f"{counts[level]} {level}s" for level in LEVELS)
    print(f"{log}: {summary}" + (" (TOOL FAILURE)" if counts["tool failures"] else ""))
    for line in lines:
        print(line)
    rank = {level: i for i, level in enumerate(LEVELS)}
    for (level, rule), n in sorted(by_rule.items(), key=lambda kv: (rank.get(kv[0][0], 9), kv[0])):
        print(f"  {n:6d} x {level:<7} {rule}")
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("logs", nargs="+", type=Path, help="SARIF files to validate")
    p.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX, help="npm install prefix")
    p.add_argument("--version", default="5.7.0", help="Multitool version to install (5.7.0)")
    p.add_argument("-o", "--out-dir", type=Path, help="keep the validation logs here")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("-v", "--verbose", action="store_true", help="list every note")
    args = p.parse_args(argv)

    exe = ensure_multitool(args.prefix, args.version)
    total: collections.Counter = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.out_dir or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for i, log in enumerate(args.logs):
            if not log.is_file():
                print(f"error: no such file: {log}", file=sys.stderr)
                return 2
            out = out_dir / f"{i:02d}-{log.stem}.validation.sarif"
            total += validate(exe, log.resolve(), out, args.verbose)
    if len(args.logs) > 1:
        print("total: " + ", ".join(f"{total[level]} {level}s" for level in LEVELS))
    if total["tool failures"]:
        return 2
    return 1 if total["error"] or (args.strict and total["warning"]) else 0


if __name__ == "__main__":
    sys.exit(main())
