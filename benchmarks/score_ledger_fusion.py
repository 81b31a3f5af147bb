"""Pairwise merge precision/recall of a ledger made by ``harmledger run``, against labels.

``harmledger eval FILE --fusion`` scores labelled JSON Lines in a scratch ledger. This script
scores what ``run`` actually stored, for a folder of saved reports with a ``labels.csv``
(``file,event,kind``), such as ``tests/fusion/heldout2_txt/``:

    harmledger run tests/fusion/heldout2_txt --db /tmp/h2.db
    python benchmarks/score_ledger_fusion.py /tmp/h2.db tests/fusion/heldout2_txt/labels.csv

Each document counts by its highest-confidence incident (as ``eval`` does): two documents
are merged when those incidents sit in one fused incident.
"""

from __future__ import annotations

import argparse
import csv
from itertools import combinations
from pathlib import Path

from harmledger.eval.fusion import Pairs
from harmledger.store import Ledger


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("labels", type=Path)
    ap.add_argument("--errors", action="store_true", help="list the wrong and missed pairs")
    args = ap.parse_args()
    with args.labels.open(newline="", encoding="utf-8") as f:
        event = {row["file"]: row["event"] for row in csv.DictReader(f)}
    main_of: dict[str, tuple[float, int, str]] = {}  # file -> (confidence, -start, fused id)
    with Ledger(args.db) as ledger:
        for fused in ledger.fused():
            for rep in fused.reports:
                name = Path(rep.doc_name or "").name
                key = (rep.confidence, -(rep.evidence_start or 0), fused.fused_id)
                if name not in main_of or key[:2] > main_of[name][:2]:
                    main_of[name] = key
    pairs, wrong = Pairs(), []
    for a, b in combinations(sorted(event), 2):
        same = event[a] == event[b]
        merged = a in main_of and b in main_of and main_of[a][2] == main_of[b][2]
        pairs.add(same=same, merged=merged)
        if merged != same:
            wrong.append(("wrong" if merged else "missed", a, b))
    print(
        f"{len(event)} documents, {len(set(event.values()))} events, "
        f"{len(set(event) - set(main_of))} without an incident"
    )
    print(f"pairs: right {pairs.tp}, wrong {pairs.fp}, missed {pairs.fn}")
    print(f"precision {pairs.precision:.3f}  recall {pairs.recall:.3f}  F1 {pairs.f1:.3f}")
    if args.errors:
        for kind, a, b in wrong:
            print(f"{kind}: {a} ~ {b}")


if __name__ == "__main__":
    main()
