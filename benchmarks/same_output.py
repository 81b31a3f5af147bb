"""Does a change leave extraction's output as it was? Runs ``harmledger extract`` of two
source trees over the same inputs and diffs the incidents (and, with ``--mentions``, every
stage's mentions and the candidate sentences).

Inputs: ``examples/``, the seed report, ``tests/fixtures``, ``tests/incidents/*.jsonl`` and,
from ``../shared/data``, the FA-KES articles and the world and Iraq ACLED notes (each row a
JSON Lines document). Incident ids and ``versions`` are ignored (a version bump is not a
difference in output); everything else must be equal. Prints the number of differing
records per input and exits 1 if there is any.

Usage (the old tree: a checkout's ``src``, e.g. an export of the trunk's commit):

    git archive c1ece44 src | tar -x -C /tmp/base
    python benchmarks/same_output.py --old /tmp/base/src [--new src] [--mentions] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
IGNORED = ("incident_id", "versions")

#: Run in the tree under test: every document's mentions, sentences and candidates.
_MENTIONS = """
import json, sys
from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.runner import extracted
out = open(sys.argv[1], "w", encoding="utf-8")
for item in extracted(sys.argv[2:], Settings()):
    if isinstance(item, ReadError):
        out.write(json.dumps({"error": str(item)}) + "\\n")
        continue
    out.write(json.dumps({
        "doc": item.document.id,
        "sentences": [[s.start, s.end] for s in item.sentences],
        "candidates": sorted(item.candidates) if item.candidates is not None else None,
        "mentions": [[m.kind, m.start, m.end, m.text, m.stage.split(".v")[0], repr(m.value)]
                     for m in item.mentions],
    }, ensure_ascii=False) + "\\n")
"""


def inputs(tmp: Path, limit: int | None) -> dict[str, list[str]]:
    """Named groups of input paths, the data's CSV rows written as JSON Lines in ``tmp``."""
    groups: dict[str, list[str]] = {
        "examples": [str(ROOT / "examples")],
        "seed": [str(ROOT.parent / "shared" / "seed" / "report.txt")],
        "fixtures": [str(ROOT / "tests" / "fixtures")],
        "incidents": sorted(str(p) for p in (ROOT / "tests" / "incidents").glob("*.jsonl")),
    }
    for name, path, column, date in (
        ("fakes", DATA / "fakes" / "fakes_dev.csv", "article_content", "date"),
        ("acled_world", DATA / "acled" / "acled_world_dev.csv", "notes", "event_date"),
        ("acled_iraq", DATA / "acled" / "acled_iraq_2019_2020_dev.csv", "notes", "event_date"),
    ):
        if not path.exists():
            print(f"{name}: {path} not found, skipped", file=sys.stderr)
            continue
        out = tmp / f"{name}.jsonl"
        with path.open(encoding="utf-8", newline="") as f, out.open("w", encoding="utf-8") as w:
            rows = [r for r in csv.DictReader(f) if r[column].strip()]
            for i, r in enumerate(rows[:limit] if limit else rows):
                doc = {"id": f"{name}-{i}", "text": r[column]}
                if r.get(date, "")[:10].count("-") == 2:
                    doc["published"] = r[date][:10]
                w.write(json.dumps(doc, ensure_ascii=False) + "\n")
        groups[name] = [str(out)]
    return groups


def start(src: Path, args: list[str], out: Path) -> subprocess.Popen[bytes]:
    """``harmledger extract ARGS`` of the tree at ``src`` started, its output into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = "import sys; from harmledger.cli import main; sys.argv[0] = 'harmledger'; main()"
    with out.open("w", encoding="utf-8") as f:
        return subprocess.Popen(
            [sys.executable, "-c", code, "extract", "--format", "jsonl", *args],
            env=env,
            stdout=f,
            stderr=subprocess.DEVNULL,
        )


def start_mentions(src: Path, args: list[str], out: Path) -> subprocess.Popen[bytes]:
    """The mentions of every document of ``args`` by the tree at ``src``, into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-c", _MENTIONS, str(out), *args]
    return subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)


def records(path: Path) -> list[str]:
    """The lines of ``path``, incident records without the ignored keys, canonical JSON."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for key in IGNORED:
            rec.pop(key, None)
        out.append(json.dumps(rec, sort_keys=True, ensure_ascii=False))
    return out


def differences(a: list[str], b: list[str]) -> int:
    """Records that differ between two runs (by position; extra records count too)."""
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", type=Path, required=True, help="the old tree's src folder")
    ap.add_argument("--new", type=Path, default=ROOT / "src")
    ap.add_argument("--limit", type=int, default=None, help="the first N rows of each CSV")
    ap.add_argument("--mentions", action="store_true", help="diff every stage's mentions too")
    ap.add_argument("--only", nargs="*", default=None, help="these input groups only")
    ap.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = args.keep or Path(t)
        tmp.mkdir(parents=True, exist_ok=True)
        total = 0
        for name, paths in inputs(tmp, args.limit).items():
            if args.only and name not in args.only:
                continue
            outs, ms, procs = {}, {}, []
            for side, src in (("old", args.old), ("new", args.new)):
                outs[side] = tmp / f"{name}.{side}.jsonl"
                procs.append(start(src.resolve(), paths, outs[side]))
                if args.mentions:
                    ms[side] = tmp / f"{name}.{side}.mentions.jsonl"
                    procs.append(start_mentions(src.resolve(), paths, ms[side]))
            for p in procs:
                p.wait()
            a, b = records(outs["old"]), records(outs["new"])
            n = differences(a, b)
            line = f"{name:12s} {len(a):6d} incidents  {n} differ"
            if args.mentions:
                ma = ms["old"].read_text(encoding="utf-8").splitlines()
                mb = ms["new"].read_text(encoding="utf-8").splitlines()
                m = differences(ma, mb)
                n += m
                line += f"; {len(ma):6d} documents' mentions  {m} differ"
            total += n
            print(line, flush=True)
        print(f"total differences: {total}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
