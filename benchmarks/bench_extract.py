"""Throughput and peak memory of the whole extraction over the FA-KES articles.

Usage: python benchmarks/bench_extract.py [FAKES_CSV] [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from pathlib import Path

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.pipeline.pipeline import pipeline_for

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "fakes" / "fakes_dev.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv", nargs="?", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with open(args.csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    settings = Settings()
    docs = [read_text(f"fakes-{r['unit_id']}", r["article_content"], settings) for r in rows]
    chars = sum(len(d.text) for d in docs)
    pipeline = pipeline_for(settings)
    for i in range(args.repeat):
        t0 = time.perf_counter()
        incidents = sum(len(pipeline(d).incidents) for d in docs)
        secs = time.perf_counter() - t0
        label = "cold (loads resources)" if i == 0 else "warm"
        print(
            f"{label:24s} {len(docs)} docs, {chars / 1e6:.2f} M chars, {incidents} incidents: "
            f"{secs:.2f} s = {len(docs) / secs:.1f} docs/s, {chars / secs / 1e3:.0f} k chars/s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
