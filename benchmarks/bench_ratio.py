"""``extract`` against spaCy's blank English tokenizer, for one or more source trees, in
one run: each tree in its own process (one after another, so they do not share the
CPUs), each timing the tokenizer and one pass of extraction over the same texts (FA-KES
articles and Iraq ACLED notes, as ``bench_scale.py`` reads them). Prints wall and CPU
seconds, the ratios and each process's peak memory.

    python benchmarks/bench_ratio.py [--limit 2000] [--tree old=/tmp/base/src] [--tree new=src]

The pipeline is built and run on a few texts before the clock starts (as in
``bench_scale.py``); the gazetteer's country files are read during the pass, as
``harmledger extract`` reads them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import DATA, texts

ROOT = Path(__file__).resolve().parents[1]


def measure(limit: int | None, repeat: int) -> dict[str, float]:
    """Tokenizer and extraction times in this process (its harmledger on sys.path)."""
    import spacy

    from harmledger.config import Settings
    from harmledger.ingest import read_text
    from harmledger.pipeline.pipeline import Pipeline

    corpus = texts(DATA / "fakes" / "fakes_dev.csv", "article_content", limit)
    seen: set[str] = set()
    for t in texts(DATA / "acled" / "acled_iraq_2019_2020_dev.csv", "notes"):
        if t.strip() not in seen:
            seen.add(t.strip())
            corpus.append(t)
            if limit and len(seen) >= limit:
                break
    settings = Settings()
    docs = [read_text(f"d{i}", t, settings) for i, t in enumerate(corpus)]
    tokenizer = spacy.blank("en").tokenizer
    pipeline = Pipeline(settings)
    for d in docs[:5]:
        tokenizer(d.text)
        pipeline(d)
    tok_wall = tok_cpu = float("inf")
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        for d in docs:
            tokenizer(d.text)
        tok_wall = min(tok_wall, time.perf_counter() - w)
        tok_cpu = min(tok_cpu, time.process_time() - c)
    w, c = time.perf_counter(), time.process_time()
    incidents = sum(len(pipeline(d).incidents) for d in docs)
    ext_wall, ext_cpu = time.perf_counter() - w, time.process_time() - c
    return {
        "docs": len(docs),
        "chars": sum(len(d.text) for d in docs),
        "incidents": incidents,
        "tok_wall": tok_wall,
        "tok_cpu": tok_cpu,
        "ext_wall": ext_wall,
        "ext_cpu": ext_cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=2000, help="texts of each corpus (0: all)")
    ap.add_argument("--repeat", type=int, default=3, help="tokenizer runs (the best counts)")
    ap.add_argument("--tree", action="append", default=None, help="NAME=SRC (repeatable)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.limit or None, args.repeat)))
        return
    trees = [t.split("=", 1) for t in (args.tree or [f"this={ROOT / 'src'}"])]
    print(
        f"{'tree':10s} {'docs':>5s} {'M chars':>7s} {'incid.':>6s} {'tok s':>6s} {'ext s':>7s}"
        f" {'wall x':>6s} {'tok cpu':>7s} {'ext cpu':>7s} {'cpu x':>6s} {'peak MB':>7s}"
    )
    for name, src in trees:
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        cmd = [sys.executable, __file__, "--child", "--limit", str(args.limit)]
        cmd += ["--repeat", str(args.repeat)]
        r = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True).stdout)
        print(
            f"{name:10s} {r['docs']:5d} {r['chars'] / 1e6:7.2f} {r['incidents']:6d}"
            f" {r['tok_wall']:6.2f} {r['ext_wall']:7.2f} {r['ext_wall'] / r['tok_wall']:6.1f}"
            f" {r['tok_cpu']:7.2f} {r['ext_cpu']:7.2f} {r['ext_cpu'] / r['tok_cpu']:6.1f}"
            f" {r['peak_mb']:7.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
