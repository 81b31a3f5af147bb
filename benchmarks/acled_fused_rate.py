"""How many distinct events fusion merges: ACLED rows read through ``harmledger run``.

Every row of an ACLED export is its own event, so a row whose incident ends up in a fused
incident with another row's is a wrong merge (the issue's target: at most 2% of rows). The
script writes the rows as JSON Lines documents (``id`` = the event id, ``text`` = the
coder's notes, ``published`` = the event date plus 0-3 days, as ``harmledger eval`` gives
it), runs ``harmledger run`` on them into a scratch ledger and counts:

    python benchmarks/acled_fused_rate.py ../shared/data/acled/acled_world_dev.csv
    python benchmarks/acled_fused_rate.py ../shared/data/acled/acled_iraq_2019_2020_dev.csv \
        --examples 20 --db /tmp/iraq.db

Rows whose notes are word for word the same (ACLED codes one note as several events, one
per actor pair) are one document to harmledger, so they are counted apart and never as
fused. ``--db`` keeps the ledger (and reuses it when it exists, e.g. to try new rules with
``harmledger fuse``); ``--examples N`` prints N wrong merges with the reason given and
every pair of each group's reports with its own score, veto and reasons (a group is
joined when no pair across is vetoed and the mean score is high enough, so a pair may
be in a group without matching on its own); ``--notes N`` adds each row's note.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from harmledger.eval.readers import read_acled
from harmledger.fuse import compare
from harmledger.store import Ledger


def write_jsonl(csv_path: Path, out: Path) -> tuple[int, int]:
    """(rows, rows whose notes repeat an earlier row's) written to ``out``."""
    seen: set[str] = set()
    rows = repeats = 0
    with out.open("w", encoding="utf-8") as fp:
        for e in read_acled(csv_path):
            rows += 1
            key = " ".join(e.text.split())
            if key in seen:
                repeats += 1
                continue
            seen.add(key)
            published = e.published.isoformat() if e.published else None
            fp.write(json.dumps({"id": e.id, "text": e.text, "published": published}) + "\n")
    return rows, repeats


_SPLIT_SHARE = re.compile(r"\s*\(\d+\)\s*\.?\s*$|\s*\(\d+\)")


def split_notes(csv_path: Path) -> dict[str, str]:
    """Row id -> its note without ACLED's bracketed shares of a split toll, for the rows
    whose note says the toll was split ("split across 3 events (4)")."""
    out = {}
    for e in read_acled(csv_path):
        if "split" in e.text.lower():
            out[e.id] = " ".join(_SPLIT_SHARE.sub(" ", e.text).split())
    return out


def run(jsonl: Path, db: Path) -> float:
    exe = Path(sys.executable).with_name("harmledger")
    cmd = [str(exe) if exe.exists() else "harmledger", "run", str(jsonl), "--db", str(db), "-q"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path, help="an ACLED export")
    ap.add_argument("--db", type=Path, help="keep the ledger here (reused when it exists)")
    ap.add_argument("--examples", type=int, default=0, help="print N wrong merges")
    ap.add_argument(
        "--notes", type=int, default=0, help="with --examples, each row's note (N characters)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "rows.jsonl"
        rows, repeats = write_jsonl(args.csv, jsonl)
        db = args.db or Path(tmp) / "ledger.db"
        seconds = run(jsonl, db) if not db.exists() else 0.0
        with Ledger(db) as ledger:
            fused = ledger.fused()
            pending = ledger.pending()
    docs_in: dict[str, set[str]] = defaultdict(set)  # fused id -> documents (rows)
    for f in fused:
        for rep in f.reports:
            docs_in[f.fused_id].add(rep.doc_name)
    with_incident = {d for ds in docs_in.values() for d in ds}
    merged = {d for ds in docs_in.values() if len(ds) > 1 for d in ds}
    # ACLED splits one reported event over several rows, one per place or actor, with the
    # same note and the row's share of the toll in brackets ("Fatalities are split across
    # 3 events (4)"): one story to any reader, so such groups are counted apart too
    note_of = split_notes(args.csv)
    split = {
        d
        for ds in docs_in.values()
        if len(ds) > 1
        and len({note_of.get(x) for x in ds}) == 1
        and None not in {note_of.get(x) for x in ds}
        for d in ds
    }
    documents = rows - repeats
    print(f"{args.csv.name}: {rows} rows, {repeats} repeat an earlier row's notes word for word")
    print(
        f"{documents} documents read in {seconds:.0f} s, {len(with_incident)} with an incident"
        + (f", {pending} incident(s) left unfused" if pending else "")
    )
    share = len(merged) / documents if documents else 0.0
    groups = [f for f in fused if len(docs_in[f.fused_id]) > 1]
    sizes = Counter(len(docs_in[f.fused_id]) for f in groups)
    print(
        f"rows fused with another row: {len(merged)} of {documents} ({share:.2%}) "
        f"in {len(groups)} fused incidents (sizes {dict(sorted(sizes.items()))})"
    )
    rest = len(merged - split)
    print(
        f"of which {len(split)} are rows of one note that ACLED split over places or actors; "
        f"the others: {rest} ({rest / documents if documents else 0.0:.2%})"
    )
    notes = {e.id: " ".join(e.text.split()) for e in read_acled(args.csv)} if args.notes else {}
    for f in groups[: args.examples]:
        names = sorted(docs_in[f.fused_id])
        print(f"- {', '.join(names)}: {f.reason}")
        for rep in f.reports:
            if rep.doc_name in notes:
                print(f"    {rep.doc_name}: {notes[rep.doc_name][: args.notes]}")
        # each pair's own evidence: which pairs carry the group, which only chain it
        for a, b in combinations(f.reports, 2):
            c = compare(a, b)
            verdict = f"veto: {c.veto}" if c.veto else f"score {c.score:.2f}"
            print(f"    {a.doc_name} ~ {b.doc_name}: {verdict}; {'; '.join(c.reasons)}")


if __name__ == "__main__":
    main()
