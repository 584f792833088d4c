"""Measure remit's rules against the labelled KICS samples, with Checkov beside it.

Run on purpose, not in the test suite:

    .venv/bin/python bench/accuracy.py                  # remit and Checkov
    .venv/bin/python bench/accuracy.py --no-checkov     # remit only (seconds)
    .venv/bin/python bench/accuracy.py --rules NET001,DAT001 --details

`bench/accuracy_map.toml` says which KICS queries (and Checkov checks) measure which remit
rule, and which samples are excluded and why. Each sample file is copied alone (with the
query's aux files) into a folder under `bench/out/accuracy-work-<pid>/` (removed at the end) and scanned there, so the
other samples of the query never leak into it as module context.

Scoring, per rule:
- an expected line of a positive sample is a true positive when a finding of the rule is on
  that line or inside the same resource block (block ranges come from remit's own parsers),
  and a false negative otherwise;
- a false positive is a resource block holding findings of the rule that match no expected
  line: any in a negative sample, and those elsewhere in a positive sample.
Checkov is scored the same way with its failed checks' `file_line_range`. Its raw results are
cached in `bench/out/checkov-cache/`, keyed by the file's content and Checkov's version.

The table is printed and written with every sample's details to `bench/out/accuracy.json`.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
WORK = OUT / f"accuracy-work-{os.getpid()}"  # per run: two runs at once must not collide
CHECKOV_CACHE = OUT / "checkov-cache"
DEFAULT_CHECKOV = OUT / "checkov-venv" / "bin" / "checkov"
FORMATS = {"terraform": "terraform", "cloudFormation": "cloudformation"}


# ----------------------------------------------------------------------------- the plan


@dataclass
class Sample:
    rule: str
    query: str  # platform/cloud/query_name
    fmt: str  # terraform | cloudformation
    source: Path  # the file in the corpus
    rel: str  # path relative to the corpus
    positive: bool
    expected: list[int]  # expected lines still measured
    excluded_lines: list[tuple[int, str]] = field(default_factory=list)
    excluded_blocks: list[tuple[int, str]] = field(default_factory=list)  # findings there are ignored
    attributes: list[str] | None = None  # finding attributes that count for this query
    checkov_ids: list[str] = field(default_factory=list)
    aux: list[Path] = field(default_factory=list)
    workfile: Path | None = None

    @property
    def kind(self) -> str:
        return "positive" if self.positive else "negative"


@dataclass
class Plan:
    samples: list[Sample]
    excluded: list[dict]  # whole samples left out
    mapped_files: int
    rules: dict[str, dict]


def load_plan(map_path: Path, corpus: Path | None, only: set[str] | None) -> Plan:
    with map_path.open("rb") as fh:
        mapping = tomllib.load(fh)
    corpus = corpus or (ROOT / mapping["corpus"]).resolve()
    manifest = {q["path"]: q for q in json.loads((corpus / "manifest.json").read_text())}

    exclusions: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for ex in mapping.get("exclusions", []):
        exclusions[(ex["query"], ex["file"])].append(ex)
    used_exclusions: set[int] = set()

    samples: list[Sample] = []
    excluded: list[dict] = []
    mapped_files = 0
    for rule, spec in sorted(mapping["rules"].items()):
        for left in spec.get("left_out", []):
            if left["query"] not in manifest:
                raise SystemExit(f"{map_path.name}: {rule}: left_out names an unknown query {left['query']!r}")
        if only and rule not in only:
            continue
        for entry in spec.get("queries", []):
            qpath = entry["query"]
            if qpath not in manifest:
                raise SystemExit(f"{map_path.name}: {rule}: unknown KICS query {qpath!r}")
            q = manifest[qpath]
            fmt = FORMATS[q["platform"]]
            ids = entry.get("checkov", spec.get("checkov", {}).get(fmt, []))
            expected: dict[str, set[int]] = defaultdict(set)
            for e in q["expected"]:
                expected[e["file"]].add(int(e["line"]))
            aux = [corpus / a for a in q.get("aux_files", [])]
            for positive, files in ((True, q["positive_files"]), (False, q["negative_files"])):
                for rel in files:
                    mapped_files += 1
                    name = rel[len(qpath) + 1:]  # e.g. test/positive1.tf
                    short = name.split("/", 1)[1] if name.startswith("test/") else name
                    lines = sorted(expected.get(rel, ())) if positive else []
                    sample = Sample(rule, qpath, fmt, corpus / rel, rel, positive, lines,
                                    attributes=entry.get("attributes"), checkov_ids=list(ids), aux=aux)
                    whole = None
                    for ex in exclusions.get((qpath, short), []) + exclusions.get((qpath, name), []):
                        used_exclusions.add(id(ex))
                        if "block" in ex:
                            sample.excluded_blocks.append((ex["block"], ex["reason"]))
                        elif "line" in ex:
                            if ex["line"] not in sample.expected:
                                raise SystemExit(f"{map_path.name}: exclusion of {rel}:{ex['line']}: "
                                                 "no such expected line")
                            sample.expected.remove(ex["line"])
                            sample.excluded_lines.append((ex["line"], ex["reason"]))
                        else:
                            whole = ex
                    if whole is not None:
                        excluded.append({"rule": rule, "query": qpath, "file": rel, "reason": whole["reason"]})
                        continue
                    samples.append(sample)
    if not only:
        unused = [ex for ex in mapping.get("exclusions", []) if id(ex) not in used_exclusions]
        if unused:
            raise SystemExit(f"{map_path.name}: exclusions that match no mapped sample: {unused}")
    return Plan(samples, excluded, mapped_files, mapping["rules"])


def prepare(samples: list[Sample]) -> None:
    """Copy each sample alone (plus aux files) into its own folder."""
    if WORK.exists():
        shutil.rmtree(WORK)
    atexit.register(shutil.rmtree, WORK, True)
    seen: dict[str, Path] = {}
    for s in samples:
        folder = WORK / s.rel.replace("/", "__")
        if s.rel in seen:  # one file measured for two rules
            s.workfile = seen[s.rel]
            continue
        folder.mkdir(parents=True)
        s.workfile = folder / s.source.name
        shutil.copyfile(s.source, s.workfile)
        for a in s.aux:
            shutil.copyfile(a, folder / a.name)
        seen[s.rel] = s.workfile


# ----------------------------------------------------------------------------- remit


def block_ranges(path: Path, fmt: str) -> list[tuple[int, int]]:
    """Top-level resource blocks of the file, from remit's own parsers (empty if it cannot)."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        if fmt == "terraform" and path.name.endswith(".tf"):
            from scanner.terraform.parse import parse_hcl

            body = parse_hcl(text, path.name)
            return [(b.span.start_line, b.span.end_line) for b in body.blocks]
        if fmt == "cloudformation":
            from scanner.cloudformation.loader import load_template

            resources, _ = load_template(text, path.name)
            return sorted({(r.span.start_line, r.span.end_line) for r in resources})
    except Exception:  # a file remit cannot parse has no blocks; findings match by line
        return []
    return []


def run_remit(sample: Sample) -> dict:
    """Findings, undecided results and diagnostics of all rules for this one file."""
    from scanner.engine import scan

    assert sample.workfile is not None
    folder = sample.workfile.parent
    try:
        result = scan([folder], workers=1)
    except Exception as err:  # report and go on: the scanner is being worked on
        return {"error": f"{type(err).__name__}: {err}", "findings": [], "undecided": [], "diagnostics": []}

    def ours(rel: str) -> bool:
        return (result.root / rel).resolve() == sample.workfile.resolve()

    def located(f) -> dict:
        """A finding inside a module called from the sample counts at its call in the sample."""
        span = f.span
        if not ours(span.file):
            span = next((c for c in getattr(f, "call_chain", ()) if ours(c.file)), span)
        return {"rule": f.rule.id, "address": f.address, "attribute": f.attribute, "message": f.message,
                "start_line": span.start_line, "end_line": span.end_line, "ours": ours(span.file),
                "in_module": span is not f.span}

    return {
        "error": None,
        "findings": [located(f) for f in result.findings],
        "undecided": [
            {"rule": u.rule.id, "address": u.address, "reason": u.reason, "start_line": u.span.start_line,
             "ours": ours(u.span.file)}
            for u in result.undetermined
        ],
        "diagnostics": [
            {"line": d.line, "level": d.level.value if hasattr(d.level, "value") else str(d.level),
             "code": d.code, "message": d.message}
            for d in result.diagnostics
        ],
    }


# ----------------------------------------------------------------------------- Checkov


def checkov_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                         env=_checkov_env(), timeout=300)
    return out.stdout.strip() or "unknown"


def _checkov_env() -> dict[str, str]:
    env = dict(os.environ)
    env["BC_SKIP_MAPPING"] = "TRUE"
    env.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
    return env


def checkov_key(sample: Sample, version: str) -> str:
    h = hashlib.sha256()
    h.update(f"{version}\0{sample.fmt}\0{sample.source.name}\0".encode())
    h.update(sample.source.read_bytes())
    for a in sample.aux:
        h.update(b"\0" + a.name.encode() + b"\0" + a.read_bytes())
    return h.hexdigest()


def run_checkov(sample: Sample, binary: Path, version: str) -> dict:
    CHECKOV_CACHE.mkdir(parents=True, exist_ok=True)
    cache = CHECKOV_CACHE / f"{checkov_key(sample, version)}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    assert sample.workfile is not None
    cmd = [str(binary), "-f", sample.workfile.name, "-o", "json", "--quiet", "--skip-download",
           "--framework", sample.fmt]
    proc = subprocess.run(cmd, cwd=sample.workfile.parent, capture_output=True, text=True,
                          env=_checkov_env(), timeout=900)
    raw: dict = {"returncode": proc.returncode, "stderr_tail": proc.stderr[-2000:], "failed": [],
                 "parsed": False}
    try:
        doc = json.loads(proc.stdout)
        raw["parsed"] = True
    except ValueError:
        doc = None
        raw["stdout_head"] = proc.stdout[:2000]
    reports = doc if isinstance(doc, list) else [doc] if isinstance(doc, dict) else []
    for report in reports:
        for chk in (report.get("results") or {}).get("failed_checks", []):
            rng = chk.get("file_line_range") or [0, 0]
            raw["failed"].append({"check_id": chk.get("check_id"), "resource": chk.get("resource"),
                                  "start_line": rng[0], "end_line": rng[1],
                                  "file": chk.get("file_path")})
    if proc.returncode in (0, 1) and raw["parsed"]:
        cache.write_text(json.dumps(raw, indent=1))
    return raw


# ----------------------------------------------------------------------------- scoring


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fn": self.fn, "fp": self.fp,
                "recall": _round(self.recall), "precision": _round(self.precision)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def block_of(line: int, blocks: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The innermost block holding the line."""
    holding = [b for b in blocks if b[0] <= line <= b[1]]
    return min(holding, key=lambda b: b[1] - b[0]) if holding else None


def in_remote_module(line: int, raw: dict, blocks: list[tuple[int, int]]) -> bool:
    """The line is in a module call that remit reported as not fetched (a remote source)."""
    region = block_of(line, blocks)
    return region is not None and any(
        d["code"] == "module-not-resolved" and d["line"] == region[0] for d in raw["diagnostics"])


def in_excluded_block(sample: Sample, hit: dict, blocks: list[tuple[int, int]]) -> bool:
    for line, _ in sample.excluded_blocks:
        region = block_of(line, blocks) or (line, line)
        if region[0] <= hit["start_line"] <= region[1] or hit["start_line"] <= line <= hit["end_line"]:
            return True
    return False


def score(sample: Sample, hits: list[dict], blocks: list[tuple[int, int]]) -> tuple[Score, list[dict], list[dict]]:
    """hits: {start_line, end_line, ...}. Returns the score, the missed lines and the FP groups."""
    s = Score()
    groups: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for h in hits:
        region = block_of(h["start_line"], blocks) or (h["start_line"], h["end_line"])
        groups[region].append(h)

    def matches(region: tuple[int, int], group: list[dict], line: int) -> bool:
        return region[0] <= line <= region[1] or any(h["start_line"] <= line <= h["end_line"] for h in group)

    missed = []
    for line in sample.expected:
        if any(matches(r, g, line) for r, g in groups.items()):
            s.tp += 1
        else:
            s.fn += 1
            missed.append({"line": line})
    fps = []
    for region, group in sorted(groups.items()):
        if not any(matches(region, group, line) for line in sample.expected):
            s.fp += 1
            fps.append({"block": list(region), "hits": group})
    return s, missed, fps


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--map", type=Path, default=HERE / "accuracy_map.toml", help="the mapping file")
    ap.add_argument("--corpus", type=Path, help="the KICS corpus folder (default: from the map)")
    ap.add_argument("--rules", help="comma-separated rule ids to measure (default: all mapped)")
    ap.add_argument("--no-checkov", action="store_true", help="measure remit only")
    ap.add_argument("--checkov", type=Path, default=DEFAULT_CHECKOV, help="the checkov executable")
    ap.add_argument("--jobs", type=int, default=2, help="parallel Checkov processes (default 2)")
    ap.add_argument("--details", action="store_true", help="list every miss and false positive")
    ap.add_argument("--output", type=Path, default=OUT / "accuracy.json")
    ap.add_argument("--remit-src", type=Path, default=ROOT,
                    help="import scanner/ and checks/ from this folder (default: this checkout), e.g. "
                         "an export of a commit: git archive HEAD scanner checks | tar -x -C DIR")
    args = ap.parse_args(argv)

    os.environ["REMIT_NO_CACHE"] = "1"  # the parser may be changing under us: parse afresh
    sys.path.insert(0, str(args.remit_src.resolve()))
    only = set(args.rules.split(",")) if args.rules else None
    plan = load_plan(args.map, args.corpus, only)
    prepare(plan.samples)

    started = time.monotonic()
    remit_raw: dict[str, dict] = {}
    blocks: dict[str, list[tuple[int, int]]] = {}
    for s in plan.samples:
        if s.rel not in remit_raw:
            remit_raw[s.rel] = run_remit(s)
            blocks[s.rel] = block_ranges(s.workfile, s.fmt)
    remit_seconds = time.monotonic() - started

    checkov_raw: dict[str, dict] = {}
    version = None
    if not args.no_checkov:
        if not args.checkov.exists():
            raise SystemExit(f"no Checkov at {args.checkov} (run bench/run.py once, or --no-checkov)")
        version = checkov_version(args.checkov)
        todo = {s.rel: s for s in plan.samples}
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            runs = pool.map(lambda s: run_checkov(s, args.checkov, version), todo.values())
            for rel, raw in zip(todo, runs, strict=True):
                checkov_raw[rel] = raw
        checkov_seconds = time.monotonic() - started

    report = build_report(plan, remit_raw, blocks, checkov_raw, version)
    report["rules_measured"] = "all" if only is None else sorted(only)
    import scanner

    report["remit"] = {"version": getattr(scanner, "__version__", "?"),
                       "source": str(Path(scanner.__file__).parent.parent)}
    report["seconds"] = {"remit": round(remit_seconds, 1)}
    if checkov_raw:
        report["seconds"]["checkov"] = round(checkov_seconds, 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print_report(report, details=args.details)
    print(f"\nwritten: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


def build_report(plan: Plan, remit_raw: dict, blocks: dict, checkov_raw: dict, version: str | None) -> dict:
    per_rule: dict[str, dict[str, Score]] = defaultdict(lambda: {"remit": Score(), "checkov": Score()})
    per_query: dict[tuple[str, str], dict[str, Score]] = defaultdict(lambda: {"remit": Score(), "checkov": Score()})
    samples_out = []
    misses = []
    for s in plan.samples:
        raw = remit_raw[s.rel]
        hits = [f for f in raw["findings"] if f["rule"] == s.rule and f["ours"]
                and (s.attributes is None or f["attribute"] in s.attributes)]
        hits = [h for h in hits if not in_excluded_block(s, h, blocks[s.rel])]
        r_score, r_missed, r_fps = score(s, hits, blocks[s.rel])
        per_rule[s.rule]["remit"].add(r_score)
        per_query[(s.rule, s.query)]["remit"].add(r_score)
        entry = {"rule": s.rule, "query": s.query, "file": s.rel, "kind": s.kind, "expected": s.expected,
                 "excluded_lines": [{"line": ln, "reason": why} for ln, why in s.excluded_lines],
                 "excluded_blocks": [{"line": ln, "reason": why} for ln, why in s.excluded_blocks],
                 "remit": {**r_score.as_dict(), "missed": r_missed, "false_positives": r_fps}}
        said = {
            "findings": [f for f in raw["findings"] if f["rule"] == s.rule],
            "undecided": [u for u in raw["undecided"] if u["rule"] == s.rule],
            "diagnostics": raw["diagnostics"],
            "error": raw["error"],
        }
        if r_missed or r_fps:
            entry["remit_said"] = said
            for m in r_missed:
                misses.append({"tool": "remit", "type": "FN", "rule": s.rule, "file": s.rel, "line": m["line"],
                               "remote_module": in_remote_module(m["line"], raw, blocks[s.rel]), "said": said})
            for fp in r_fps:
                misses.append({"tool": "remit", "type": "FP", "rule": s.rule, "file": s.rel,
                               "block": fp["block"], "hits": fp["hits"], "said": said})
        if checkov_raw:
            craw = checkov_raw[s.rel]
            chits = [c for c in craw["failed"] if c["check_id"] in s.checkov_ids
                     and not in_excluded_block(s, c, blocks[s.rel])]
            c_score, c_missed, c_fps = score(s, chits, [])
            per_rule[s.rule]["checkov"].add(c_score)
            per_query[(s.rule, s.query)]["checkov"].add(c_score)
            entry["checkov"] = {**c_score.as_dict(), "ids": s.checkov_ids, "missed": c_missed,
                                "false_positives": c_fps, "returncode": craw["returncode"],
                                "parsed": craw["parsed"]}
        samples_out.append(entry)

    total = {"remit": Score(), "checkov": Score()}
    for scores in per_rule.values():
        total["remit"].add(scores["remit"])
        total["checkov"].add(scores["checkov"])
    per_format: dict[str, dict[str, Score]] = defaultdict(lambda: {"remit": Score(), "checkov": Score()})
    for e in samples_out:
        fmt = "terraform" if e["query"].startswith("terraform/") else "cloudformation"
        for tool in ("remit", "checkov"):
            if tool in e:
                per_format[fmt][tool].add(Score(e[tool]["tp"], e[tool]["fn"], e[tool]["fp"]))
    return {
        "corpus": "KICS 2.1.8 test samples (../shared/corpus/kics)",
        "checkov_version": version,
        "mapped_samples": plan.mapped_files,
        "exclusions": [{"file": e["file"], "what": "the whole file", "reason": e["reason"]} for e in plan.excluded]
        + [{"file": s.rel, "what": f"expected line {ln}", "reason": why}
           for s in plan.samples for ln, why in s.excluded_lines]
        + [{"file": s.rel, "what": f"findings in the block at line {ln}", "reason": why}
           for s in plan.samples for ln, why in s.excluded_blocks],
        "rules": {rule: {tool: sc.as_dict() for tool, sc in v.items() if tool == "remit" or checkov_raw}
                  for rule, v in sorted(per_rule.items())},
        "queries": [{"rule": r, "query": q, **{tool: sc.as_dict() for tool, sc in v.items()
                                                 if tool == "remit" or checkov_raw}}
                    for (r, q), v in sorted(per_query.items())],
        "formats": {fmt: {tool: sc.as_dict() for tool, sc in v.items() if tool == "remit" or checkov_raw}
                    for fmt, v in sorted(per_format.items())},
        "total": {tool: sc.as_dict() for tool, sc in total.items() if tool == "remit" or checkov_raw},
        "misses": misses,
        "samples": samples_out,
    }


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def print_report(report: dict, details: bool) -> None:
    with_checkov = report["checkov_version"] is not None
    head = f"{'rule':8} {'TP':>4} {'FN':>4} {'FP':>4} {'recall':>7} {'prec.':>7}"
    if with_checkov:
        head += f"  | checkov {'TP':>4} {'FN':>4} {'FP':>4} {'recall':>7} {'prec.':>7}"
    print(head)
    print("-" * len(head))

    def row(name: str, v: dict) -> str:
        r = v["remit"]
        line = f"{name:8} {r['tp']:4} {r['fn']:4} {r['fp']:4} {_pct(r['recall']):>7} {_pct(r['precision']):>7}"
        if with_checkov:
            c = v["checkov"]
            line += (f"  |         {c['tp']:4} {c['fn']:4} {c['fp']:4} {_pct(c['recall']):>7} "
                     f"{_pct(c['precision']):>7}")
        return line

    for rule, v in report["rules"].items():
        print(row(rule, v))
    print("-" * len(head))
    for fmt, v in report["formats"].items():
        print(row({"terraform": "tf", "cloudformation": "cfn"}[fmt], v))
    print(row("total", report["total"]))
    n_ex = len({e["file"] for e in report["exclusions"]})
    subset_note = "" if report.get("rules_measured", "all") == "all" else "; the 5% limit is for all rules"
    share = n_ex / report["mapped_samples"] if report["mapped_samples"] else 0
    print(f"\n{report['mapped_samples']} mapped sample files; {n_ex} excluded in whole or in part "
          f"({100 * share:.1f}%{', OVER the 5% limit' if share >= 0.05 and subset_note == '' else ''}"
          f"{subset_note})")
    if with_checkov:
        print(f"Checkov {report['checkov_version']}; checks per rule and query in bench/accuracy_map.toml")
    misses = [m for m in report["misses"] if m["tool"] == "remit"]
    remote = sum(m["type"] == "FN" and m["remote_module"] for m in misses)
    print(f"\nremit: {sum(m['type'] == 'FN' for m in misses)} false negatives "
          f"({remote} in calls to remote modules, which remit does not fetch), "
          f"{sum(m['type'] == 'FP' for m in misses)} false positives"
          + ("" if details else " (--details lists them)"))
    if details:
        for m in misses:
            where = f"{m['file']}:{m['line']}" if m["type"] == "FN" else f"{m['file']}:{m['block'][0]}-{m['block'][1]}"
            print(f"  {m['type']} {m['rule']} {where}" + (" [remote module]" if m.get("remote_module") else ""))
            said = m["said"]
            if said["error"]:
                print(f"      remit failed: {said['error']}")
            for f in said["findings"]:
                print(f"      finding   L{f['start_line']} {f['attribute'] or '-'}: {f['message']}")
            for u in said["undecided"]:
                print(f"      undecided L{u['start_line']} {u['address']}: {u['reason']}")
            for d in said["diagnostics"]:
                print(f"      {d['level']:9} L{d['line']} {d['code']}: {d['message']}")
        if with_checkov:
            print("\nCheckov misses and false positives:")
            for e in report["samples"]:
                c = e["checkov"]
                for m in c["missed"]:
                    print(f"  FN {e['rule']} {e['file']}:{m['line']}")
                for fp in c["false_positives"]:
                    ids = ", ".join(sorted({h["check_id"] for h in fp["hits"]}))
                    print(f"  FP {e['rule']} {e['file']}:{fp['block'][0]}-{fp['block'][1]} ({ids})")


if __name__ == "__main__":
    sys.exit(main())
