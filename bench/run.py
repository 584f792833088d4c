#!/usr/bin/env python3
"""Time remit against Checkov on TerraGoat copied 1, 10 and 40 times.

    .venv/bin/python bench/run.py                      # sizes 1,10,40; 3 runs each
    .venv/bin/python bench/run.py --sizes 1 --runs 1 --tools checkov

See bench/README.md. Writes everything under bench/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "bench" / "out"
CORPUS = Path("corpus") / "goat" / "terragoat"
SKIP_DIRS = {".git", ".terraform", "node_modules"}
TOOLS = ("remit", "checkov")
MiB = 1024 * 1024


# --------------------------------------------------------------------------- corpora


def build_corpus(source: Path, dest: Path, copies: int, identical: bool) -> int:
    """Copy `source` `copies` times into dest/copy-NNN; return the number of .tf files.

    Unless `identical`, every copy after the first gets a comment appended to each
    .tf file, so that no tool can skip work by caching on file contents.
    """
    stamp = dest / ".complete"
    want = {"source": str(source), "copies": copies, "identical": identical}
    if stamp.exists():
        have = json.loads(stamp.read_text())
        if {k: have.get(k) for k in want} == want:
            return int(have["tf_files"])
    if dest.exists():
        shutil.rmtree(dest)
    tf_files = 0
    for i in range(copies):
        copy_root = dest / f"copy-{i:03d}"
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            rel = Path(dirpath).relative_to(source)
            (copy_root / rel).mkdir(parents=True, exist_ok=True)
            for name in sorted(filenames):
                src, dst = Path(dirpath) / name, copy_root / rel / name
                shutil.copyfile(src, dst)  # contents only: the source tree is read-only
                if name.endswith(".tf"):
                    tf_files += 1
                    if i and not identical:
                        with dst.open("a", encoding="utf-8") as f:
                            f.write(f"\n# bench copy {i}\n")
    stamp.write_text(json.dumps({**want, "tf_files": tf_files}))
    return tf_files


# --------------------------------------------------------------------------- checkov


def ensure_checkov(venv: Path, version: str | None) -> Path:
    exe = venv / "bin" / "checkov"
    if exe.exists():
        return exe
    print(f"installing Checkov into {venv} (takes a few minutes)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    spec = f"checkov=={version}" if version else "checkov"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, "--quiet", spec], check=True)
    return exe


def tool_version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[-1] if text else f"unknown (exit {proc.returncode})"


def remit_cache_env(mode: str, out: Path, size: int) -> dict[str, str]:
    """Environment for remit's parse cache (scanner/cache.py), per --remit-cache."""
    if mode == "off":
        return {"REMIT_NO_CACHE": "1"}
    folder = out / "remit-cache" / f"{mode}-x{size}"
    if mode == "cold":
        shutil.rmtree(folder, ignore_errors=True)
    return {"REMIT_CACHE_DIR": str(folder)}


# --------------------------------------------------------------------------- measuring


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # Field 4 (ppid) follows the ")" that closes the command name.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _memory_bytes(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _tree_memory(root: int) -> int:
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _memory_bytes(pid)
        stack.extend(children.get(pid, ()))
    return total


@dataclass
class Run:
    tool: str
    size: int
    run: int
    seconds: float
    peak_mib: float  # ru_maxrss from wait4: the largest single process of the tree
    tree_pss_mib: float  # sampled peak of the whole process tree's PSS
    exit_code: int
    results: int | None
    log: str


def measure(argv: list[str], env: dict[str, str], log: Path, timeout: float) -> tuple:
    """Run argv; return (seconds, maxrss bytes, sampled tree PSS peak bytes, exit code)."""
    exe = shutil.which(argv[0]) or argv[0]
    log.parent.mkdir(parents=True, exist_ok=True)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    peak = 0
    done = threading.Event()

    start = time.perf_counter()
    pid = os.posix_spawn(exe, argv, env, file_actions=actions)

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_memory(pid))

    def kill() -> None:
        if not done.wait(timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

    threads = [
        threading.Thread(target=sample, daemon=True),
        threading.Thread(target=kill, daemon=True),
    ]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    for t in threads:
        t.join()
    code = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return seconds, usage.ru_maxrss * 1024, peak, code


def count_results(sarif: Path) -> int | None:
    try:
        log = json.loads(sarif.read_text(encoding="utf-8"))
        return sum(len(run.get("results", [])) for run in log.get("runs", []))
    except (OSError, ValueError):
        return None


def command(tool: str, exes: dict[str, Path], corpus: Path, out: Path, extra: list[str]):
    """argv and the SARIF file it writes."""
    if tool == "remit":
        sarif = out / "remit.sarif"
        return [
            str(exes["remit"]),
            "scan",
            str(corpus),
            "--format",
            "sarif",
            "--output",
            str(sarif),
            *extra,
        ], sarif
    # --skip-download: no fetch of guidelines from the Prisma Cloud API (remit fetches
    # nothing either). Checkov writes <dir>/results_sarif.sarif.
    return [
        str(exes["checkov"]),
        "-d",
        str(corpus),
        "--framework",
        "terraform",
        "-o",
        "sarif",
        "--output-file-path",
        str(out),
        "--quiet",
        "--skip-download",
        *extra,
    ], out / "results_sarif.sarif"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"the shared/ folder holding {CORPUS} (default: {DEFAULT_SHARED})",
    )
    p.add_argument("--sizes", default="1,10,40", help="comma-separated copy counts (default: 1,10,40)")
    p.add_argument("--runs", type=int, default=3, help="timed runs per tool and size (default: 3)")
    p.add_argument("--tools", default=",".join(TOOLS), help="remit,checkov or one of them")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="work folder (default: bench/out)")
    p.add_argument(
        "--remit",
        type=Path,
        default=ROOT / ".venv" / "bin" / "remit",
        help="remit executable (default: .venv/bin/remit)",
    )
    p.add_argument("--checkov-version", default=None, help="pin Checkov when installing it")
    p.add_argument("--remit-arg", action="append", default=[], help="extra remit argument")
    p.add_argument("--checkov-arg", action="append", default=[], help="extra Checkov argument")
    p.add_argument(
        "--no-warmup",
        action="store_true",
        help="skip the untimed first run of each tool on the smallest corpus",
    )
    p.add_argument(
        "--identical",
        action="store_true",
        help="byte-identical copies (lets content-hash caches skip work)",
    )
    p.add_argument(
        "--remit-cache",
        choices=("cold", "warm", "off"),
        default="cold",
        help="remit's parse cache: cold (an empty one each run, the default), warm "
        "(filled by an untimed run per size: a re-scan), off (REMIT_NO_CACHE)",
    )
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per run (default 1800)")
    args = p.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if not args.sizes or min(args.sizes) < 1:
        p.error("--sizes needs positive integers")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if not args.tools or set(args.tools) - set(TOOLS):
        p.error(f"--tools takes {', '.join(TOOLS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    source = args.shared / CORPUS
    if not source.is_dir():
        print(f"corpus not found: {source} (use --shared)", file=sys.stderr)
        return 2
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    exes: dict[str, Path] = {}
    versions: dict[str, str] = {}
    if "remit" in args.tools:
        if not args.remit.exists():
            print(
                f"remit not found at {args.remit}: pip install -e . first, or --remit",
                file=sys.stderr,
            )
            return 2
        exes["remit"] = args.remit
        versions["remit"] = tool_version([str(args.remit), "--version"])
    if "checkov" in args.tools:
        exes["checkov"] = ensure_checkov(out / "checkov-venv", args.checkov_version)
        versions["checkov"] = tool_version([str(exes["checkov"]), "--version"])
    extra = {"remit": args.remit_arg, "checkov": args.checkov_arg}
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}

    corpora: dict[int, tuple[Path, int]] = {}
    for size in args.sizes:
        dest = out / f"corpus-{size}"
        t0 = time.perf_counter()
        tf_files = build_corpus(source, dest, size, args.identical)
        corpora[size] = (dest, tf_files)
        print(
            f"corpus x{size}: {tf_files} .tf files in {dest} ({time.perf_counter() - t0:.1f}s)",
            flush=True,
        )

    runs: list[Run] = []

    def one(tool: str, size: int, index: int, record: bool) -> None:
        corpus, _ = corpora[size]
        run_dir = out / "runs" / f"{tool}-x{size}-{index}"
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        argv, sarif = command(tool, exes, corpus, run_dir, extra[tool])
        log = run_dir / "output.log"
        run_env = dict(env)
        if tool == "remit":
            run_env.update(remit_cache_env(args.remit_cache, out, size))
        seconds, maxrss, tree, code = measure(argv, run_env, log, args.timeout)
        label = "warm-up" if not record else f"run {index + 1}/{args.runs}"
        print(
            f"  {tool:<8} x{size:<4} {label:<10} {seconds:8.2f}s  peak {maxrss / MiB:7.1f} MiB"
            f"  tree {tree / MiB:7.1f} MiB  exit {code}",
            flush=True,
        )
        if code not in (0, 1):
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            print(f"    {tool} failed (exit {code}); see {log}:\n{tail}", file=sys.stderr)
        if record:
            runs.append(
                Run(
                    tool,
                    size,
                    index,
                    round(seconds, 4),
                    round(maxrss / MiB, 1),
                    round(tree / MiB, 1),
                    code,
                    count_results(sarif),
                    str(log),
                )
            )

    if not args.no_warmup:
        for tool in args.tools:
            one(tool, args.sizes[0], -1, record=False)
    for size in args.sizes:
        if "remit" in args.tools and args.remit_cache == "warm":
            one("remit", size, -1, record=False)  # fills the parse cache for this size
        for index in range(args.runs):
            # Alternate which tool goes first, so neither always meets a cold or warm cache.
            order = args.tools if index % 2 == 0 else list(reversed(args.tools))
            for tool in order:
                one(tool, size, index, record=True)

    summary = []
    for size in args.sizes:
        row: dict[str, object] = {"size": size, "tf_files": corpora[size][1]}
        for tool in args.tools:
            mine = [r for r in runs if r.tool == tool and r.size == size and r.exit_code in (0, 1)]
            row[tool] = {
                "median_s": round(statistics.median(r.seconds for r in mine), 3) if mine else None,
                "min_s": round(min(r.seconds for r in mine), 3) if mine else None,
                "peak_mib": max(r.peak_mib for r in mine) if mine else None,
                "tree_pss_mib": max(r.tree_pss_mib for r in mine) if mine else None,
                "results": mine[-1].results if mine else None,
                "ok_runs": len(mine),
            }
        a, b = row.get("remit"), row.get("checkov")
        if isinstance(a, dict) and isinstance(b, dict) and a["median_s"] and b["median_s"]:
            row["checkov_over_remit"] = round(b["median_s"] / a["median_s"], 2)
        summary.append(row)

    print()
    print_table(summary, args.tools)
    results = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "versions": versions,
        "corpus": str(source),
        "identical_copies": args.identical,
        "remit_cache": args.remit_cache,
        "runs_per_size": args.runs,
        "commands": {t: command(t, exes, Path("DIR"), Path("OUT"), extra[t])[0] for t in exes},
        "summary": summary,
        "runs": [asdict(r) for r in runs],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out / 'results.json'}")
    return 0 if all(r.exit_code in (0, 1) for r in runs) else 1


def print_table(summary: list[dict], tools: list[str]) -> None:
    def cell(row: dict, tool: str, key: str, fmt: str) -> str:
        value = row.get(tool, {}).get(key) if isinstance(row.get(tool), dict) else None
        return format(value, fmt) if value is not None else "-"

    header = [
        "size",
        ".tf files",
        "remit s",
        "checkov s",
        "checkov/remit",
        "remit peak MiB",
        "checkov peak MiB",
        "remit tree MiB",
        "checkov tree MiB",
        "remit results",
        "checkov results",
    ]
    rows = []
    for row in summary:
        ratio = row.get("checkov_over_remit")
        rows.append(
            [
                f"x{row['size']}",
                str(row["tf_files"]),
                cell(row, "remit", "median_s", ".2f"),
                cell(row, "checkov", "median_s", ".2f"),
                f"{ratio:.2f}x" if ratio else "-",
                cell(row, "remit", "peak_mib", ".0f"),
                cell(row, "checkov", "peak_mib", ".0f"),
                cell(row, "remit", "tree_pss_mib", ".0f"),
                cell(row, "checkov", "tree_pss_mib", ".0f"),
                cell(row, "remit", "results", "d"),
                cell(row, "checkov", "results", "d"),
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
    print(
        "times are medians; peak = largest single process (ru_maxrss); "
        "tree = sampled peak PSS of all its processes"
    )


if __name__ == "__main__":
    sys.exit(main())
