"""Time and memory per megabyte of one document: real report text repeated to 100 KB, 1 MB
and 10 MB, each read and extracted in a fresh process (so that peak memory is its own).

The issue's target: time per MB within 2x across the sizes (linear growth). CPU time is
reported beside wall time, since a shared machine's load moves wall time.

Usage:

    python benchmarks/bench_size.py [--source FILE] [--sizes 100000 1000000 10000000]

The text is FA-KES articles from ../shared/data when present (402 real reports, joined and
repeated), else the example reports of examples/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from common import DATA, texts

ROOT = Path(__file__).resolve().parents[1]


def corpus_text(source: Path | None) -> tuple[str, str]:
    """Real report text to repeat, and what it is."""
    fakes = source or DATA / "fakes" / "fakes_dev.csv"
    if fakes.exists():
        return "\n\n".join(texts(fakes, "article_content")), f"FA-KES articles ({fakes.name})"
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    return "\n\n".join(parts), "examples/*.txt"


def measure(size: int, source: Path | None) -> dict[str, float]:
    """One size, in this process: read and extract a document of ``size`` characters."""
    import resource
    import time

    from harmledger.config import Settings
    from harmledger.ingest import read_text
    from harmledger.pipeline.pipeline import pipeline_for

    base, _ = corpus_text(source)
    text = ((base + "\n\n") * (size // len(base) + 1))[:size]
    settings = Settings(max_bytes=10 * size + 1000, time_budget=None)
    pipeline = pipeline_for(settings)
    pipeline(read_text("warm", base[:5000], settings))  # resources load outside the timing
    cpu, wall = time.process_time(), time.perf_counter()
    doc = read_text("big.txt", text.encode("utf-8"), settings)
    annotated = pipeline(doc)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    mb = len(text.encode("utf-8")) / 1e6
    return {
        "mb": mb,
        "cpu": cpu,
        "wall": wall,
        "incidents": len(annotated.incidents),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--source", type=Path, default=None, help="a CSV with article_content")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.source)))
        return
    _, what = corpus_text(args.source)
    print(f"text: {what}, repeated")
    print("size       MB   CPU s  CPU s/MB  wall s  wall s/MB  incidents  peak RSS MB")
    rows = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size)]
        if args.source:
            cmd += ["--source", str(args.source)]
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        rows.append(r)
        print(
            f"{size:>9,} {r['mb']:5.2f} {r['cpu']:7.1f} {r['cpu'] / r['mb']:9.2f} "
            f"{r['wall']:7.1f} {r['wall'] / r['mb']:10.2f} {r['incidents']:10d} {r['rss_mb']:12.0f}"
        )
    per_mb = [r["cpu"] / r["mb"] for r in rows]
    print(f"CPU time per MB, largest / smallest: {max(per_mb) / min(per_mb):.2f}x (target: 2x)")


if __name__ == "__main__":
    main()
