"""The CPU of storing alone, for each source tree given, each in its own process, one after
another: the first N documents of the `bench_scale.py` corpus are extracted once (not
timed), then stored in chunks as `run` stores them (one transaction a chunk), into a fresh
SQLite file and, with ``--postgres``, a fresh PostgreSQL database; the process's CPU
seconds and the wall time of the storing, per backend.

    python benchmarks/bench_store.py [--limit 1500] [--postgres URL] \
        [--tree old=/tmp/base/src] [--tree new=src]

Storing's CPU is what `run` and a `batch` worker spend on top of extraction (fusion
aside); the server's own work is another process's and is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(limit: int, postgres_url: str | None, chunk_size: int) -> dict[str, list[float]]:
    """In this process (the tree on ``sys.path``): {backend: [CPU s, wall s, documents]}."""
    import gc

    from bench_scale import corpus, postgres

    from harmledger.config import Settings
    from harmledger.model import Annotated
    from harmledger.pipeline.pipeline import pipeline_for
    from harmledger.runner import Chunk, chunked, extracted, store_chunk
    from harmledger.store import Ledger

    settings = Settings()
    src = Path(tempfile.mkdtemp(prefix="hl-store-")) / "corpus.jsonl"
    corpus(src, limit)
    version = pipeline_for(settings).version
    results = [a for a in extracted([str(src)], settings) if isinstance(a, Annotated)]
    gc.freeze()  # as `run` does: what lives before storing is left out of full passes
    out: dict[str, list[float]] = {}
    for backend in ("sqlite", "postgresql"):
        with postgres(postgres_url if backend == "postgresql" else None) as url:
            if backend == "postgresql" and url is None:
                continue
            with Ledger(url or str(src.with_suffix(".db"))) as ledger:
                run_id = ledger.start_run([str(src)], version)
                t0, c0 = time.perf_counter(), time.process_time()
                for part in chunked(results, chunk_size):
                    chunk = Chunk([a.document for a in part], set())
                    store_chunk(ledger, chunk, list(part), version, run_id, "bench", "python")
                cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            out[backend] = [cpu, wall, len(results)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=1500)
    ap.add_argument("--postgres", default=os.environ.get("HARMLEDGER_TEST_POSTGRES"))
    ap.add_argument("--chunk-size", type=int, default=200)
    ap.add_argument("--tree", action="append", default=[], help="NAME=SRC (repeatable)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.limit, args.postgres, args.chunk_size)))
        return
    trees = [t.split("=", 1) for t in args.tree] or [["this", str(HERE.parent / "src")]]
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, src in trees:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(src).resolve()), str(HERE)])}
        cmd = [sys.executable, __file__, "--child", "--limit", str(args.limit)]
        cmd += ["--chunk-size", str(args.chunk_size)]
        if args.postgres:
            cmd += ["--postgres", args.postgres]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        for backend, (cpu, wall, n) in figures.items():
            print(
                f"{name:8s} {backend:10s} store CPU {cpu:6.2f} s ({1000 * cpu / n:.2f} ms a "
                f"document), wall {wall:6.2f} s, {int(n)} documents"
            )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
