"""Scale, in one run on one corpus: spaCy's blank tokenizer, `extract`, `run` (SQLite and
PostgreSQL) and `batch` with 1 and 2 workers; documents per second, the ratios the issue
asks for, and peak memory per process. Optionally a generated corpus of N near-copies end
to end through `batch` into PostgreSQL.

    python benchmarks/bench_scale.py [--limit N] [--postgres URL] [--big 200000 [--big-only]]

The corpus is the FA-KES articles and the ACLED notes (../shared/data), as JSON Lines.
Every timing is warm: the pipeline (and the workers' pipelines) are built before the
clock starts, as `run` over a large input amortises them. `--postgres` takes a server
URL where databases may be created (default: $HARMLEDGER_TEST_POSTGRES); each ledger
there is a fresh database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from common import DATA, tokenizer_seconds

from harmledger.batch import cluster, extractor, storer, worker_memory
from harmledger.config import Settings
from harmledger.ingest import read_inputs
from harmledger.model import Document
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.runner import extracted, ingest
from harmledger.store import Ledger


def corpus(path: Path, limit: int | None) -> int:
    """FA-KES articles and ACLED notes as one JSON Lines file; returns the count."""
    rows = []
    with (DATA / "fakes" / "fakes_dev.csv").open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            if r["article_content"].strip():
                try:
                    when = datetime.strptime(r["date"], "%m/%d/%y").date().isoformat()
                except ValueError:
                    when = None
                rows.append({"id": f"fakes-{i}", "text": r["article_content"], "published": when})
    seen = set()
    with (DATA / "acled" / "acled_iraq_2019_2020_dev.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            note = r["notes"].strip()
            if note and note not in seen:
                seen.add(note)
                rows.append({"id": r["event_id"], "text": note, "published": r["event_date"]})
    rows = rows[:limit] if limit else rows
    with path.open("w", encoding="utf-8") as out:
        for r in rows:
            if r["published"] is None or not re.match(r"\d{4}-\d{2}-\d{2}$", str(r["published"])):
                r.pop("published")
            out.write(json.dumps(r) + "\n")
    return len(rows)


def near_copies(source: Path, path: Path, n: int, seed: int = 13) -> None:
    """``n`` documents made from the corpus: each a text with its numbers, dates and
    some words changed, so that texts differ (new documents) but read like reports."""
    rng = random.Random(seed)
    texts = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    words = [
        "reportedly",
        "on Monday",
        "in the morning",
        "local sources said",
        "according to witnesses",
    ]
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            base = rng.choice(texts)
            text = re.sub(
                r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 3))), base["text"]
            )
            text = text + " " + rng.choice(words).capitalize() + f" (report {k})."
            doc = {"id": f"gen-{k}", "text": text}
            if "published" in base:
                doc["published"] = base["published"]
            out.write(json.dumps(doc) + "\n")


@contextmanager
def postgres(server: str | None):
    if not server:
        yield None
        return
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    url = make_url(server).set(drivername="postgresql+psycopg")
    name = f"hl_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: CPU seconds of this process, by the name of what was timed (the machine may be shared:
#: the CPU time of work done in this process is the steadier measure of it)
CPU: dict[str, float] = {}


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process so far (run on each Dask worker)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def timed(fn: Any, name: str | None = None) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    if name is not None:
        CPU[name] = time.process_time() - c0
    return time.perf_counter() - t0


def tokenizer_cpu(texts: list[str]) -> float | None:
    """CPU seconds of spaCy's blank English tokenizer over ``texts`` (warm)."""
    try:
        import spacy
    except ImportError:
        return None
    tokenizer = spacy.blank("en").tokenizer
    for t in texts[:10]:
        tokenizer(t)
    c0 = time.process_time()
    for t in texts:
        tokenizer(t)
    return time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, help="the first N documents of the corpus")
    ap.add_argument("--postgres", default=os.environ.get("HARMLEDGER_TEST_POSTGRES"))
    ap.add_argument("--big", type=int, default=0, help="generated documents through batch")
    ap.add_argument("--chunk-size", type=int, default=200)
    ap.add_argument(
        "--big-only", action="store_true", help="only the generated corpus, not the ratios"
    )
    args = ap.parse_args()
    settings = Settings()
    tmp = Path(tempfile.mkdtemp(prefix="hl-scale-"))
    src = tmp / "corpus.jsonl"
    n = corpus(src, args.limit)
    docs = [d for d in read_inputs([str(src)], settings) if isinstance(d, Document)]
    pipeline = pipeline_for(settings)
    pipeline(docs[0])  # resources loaded before any clock starts
    rows: list[tuple[str, float, str]] = []

    def row(name: str, seconds: float, note: str = "") -> None:
        rows.append((name, seconds, note))
        print(f"{name:34s} {seconds:8.1f} s {n / seconds:8.1f} docs/s  {note}", flush=True)

    print(f"corpus: {n} documents ({sum(len(d.text) for d in docs) / 1e6:.1f} M chars)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    tok = None if args.big_only else tokenizer_seconds([d.text for d in docs], 1)
    if tok is not None:
        row("spaCy blank tokenizer", tok)
    if not args.big_only:
        ext = timed(lambda: sum(1 for _ in extracted([str(src)], settings)), "extract")
        row("extract (read + extract)", ext, f"x{ext / tok:.1f} the tokenizer" if tok else "")
        tok_cpu = tokenizer_cpu([d.text for d in docs])
        if tok_cpu:
            print(
                f"  in CPU time of this process: tokenizer {tok_cpu:.1f} s, extract "
                f"{CPU['extract']:.1f} s, x{CPU['extract'] / tok_cpu:.1f} the tokenizer",
                flush=True,
            )
        run_times = {}
        for backend in ("sqlite", "postgresql"):
            with postgres(args.postgres if backend == "postgresql" else None) as url:
                if backend == "postgresql" and url is None:
                    continue
                db = url or str(tmp / "run.db")
                with Ledger(db) as lg:
                    secs = timed(
                        lambda lg=lg: ingest(lg, [str(src)], settings, chunk_size=args.chunk_size),
                        backend,
                    )
                run_times[backend] = secs
                row(
                    f"run ({backend})",
                    secs,
                    f"x{secs / ext:.2f} extract; CPU of this process "
                    f"x{CPU[backend] / CPU['extract']:.2f} extract's",
                )
        print(f"peak memory of this process (extract, run): {peak_mb():.0f} MB")
        batch_times = {}
        for workers in (1, 2):
            with cluster(workers=workers) as client, postgres(args.postgres) as url:
                db = url or str(tmp / f"batch{workers}.db")
                client.run(lambda: pipeline_for(Settings())(docs[0]))  # each worker's pipeline
                busy = sum(client.run(cpu_seconds).values())
                with Ledger(db) as lg:
                    secs = timed(
                        lambda lg=lg, client=client: ingest(
                            lg,
                            [str(src)],
                            settings,
                            chunk_size=args.chunk_size,
                            extractor=extractor(client, settings),
                            storer=storer(client, settings),
                        ),
                        f"batch{workers}",
                    )
                busy = sum(client.run(cpu_seconds).values()) - busy
                mem = worker_memory(client)
                batch_times[workers] = secs
                where = "postgresql" if url else "sqlite"
                row(
                    f"batch --workers {workers} ({where})",
                    secs,
                    f"peak per worker {max(mem.values()):.0f} MB; CPU: client "
                    f"{CPU[f'batch{workers}']:.1f} s, workers {busy:.1f} s",
                )
        if 1 in batch_times and 2 in batch_times:
            ratio = batch_times[1] / batch_times[2]
            print(f"batch --workers 2 is {ratio:.2f}x as fast as --workers 1")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if args.big:
        big = tmp / "big.jsonl"
        near_copies(src, big, args.big)
        with cluster(workers=2) as client, postgres(args.postgres) as url:
            db = url or str(tmp / "big.db")
            client.run(lambda: pipeline_for(Settings())(docs[0]))
            with Ledger(db) as lg:
                t0 = time.perf_counter()
                summary = ingest(
                    lg,
                    [str(big)],
                    settings,
                    chunk_size=args.chunk_size,
                    extractor=extractor(client, settings),
                    storer=storer(client, settings),
                )
                secs = time.perf_counter() - t0
                stats = lg.stats()
            mem = worker_memory(client)
        print(
            f"generated corpus: {args.big} documents through batch --workers 2 into "
            f"{'PostgreSQL' if url else 'SQLite'} in {secs:.0f} s ({args.big / secs:.1f} docs/s); "
            f"{summary.incidents} incidents, {stats['fused']} fused; peak per worker "
            f"{max(mem.values()):.0f} MB, client {peak_mb():.0f} MB",
            flush=True,
        )
    print(f"(files in {tmp})", file=sys.stderr)


if __name__ == "__main__":
    main()
