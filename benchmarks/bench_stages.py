"""Time spent in each pipeline stage, warm, over the FA-KES articles and the ACLED notes.

Complements ``bench_speed.py`` (whole extraction vs spaCy's tokenizer): this one says where the
time goes, so that work goes to the stage that costs most. The tokenizer time is printed too,
so each stage's share can be read against the issue's 3x target.

Usage:

    python benchmarks/bench_stages.py [--fakes CSV] [--acled CSV] [--limit N] [--repeat 2]
"""

from __future__ import annotations

import time

from common import corpora, tokenizer_seconds

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.model import Annotated, Document
from harmledger.pipeline.pipeline import Pipeline


def stage_times(pipeline: Pipeline, docs: list[Document]) -> dict[str, float]:
    """Seconds spent in each stage (by class name) over ``docs``."""
    totals = {type(s).__name__: 0.0 for s in pipeline.stages}
    for d in docs:
        doc = Annotated(document=d)
        for stage in pipeline.stages:
            t0 = time.perf_counter()
            doc = stage(doc)
            totals[type(stage).__name__] += time.perf_counter() - t0
    return totals


def bench(name: str, corpus: list[str], repeat: int) -> None:
    settings = Settings()
    docs = [read_text(f"{name}-{i}", t, settings) for i, t in enumerate(corpus)]
    pipeline = Pipeline(settings)
    for d in docs[:5]:
        pipeline(d)  # load resources once, outside the timing
    best: dict[str, float] = {}
    for _ in range(repeat):
        for k, v in stage_times(pipeline, docs).items():
            best[k] = min(best.get(k, v), v)
    tok = tokenizer_seconds([d.text for d in docs], repeat)
    total = sum(best.values())
    chars = sum(len(d.text) for d in docs)
    print(f"{name}: {len(docs)} docs, {chars / 1e6:.2f} M chars, pipeline {total:.2f} s", end="")
    print(f", tokenizer {tok:.3f} s, ratio {total / tok:.1f}x" if tok else "")
    for k, v in sorted(best.items(), key=lambda kv: -kv[1]):
        ratio = f"  {v / tok:6.1f}x tok" if tok else ""
        print(f"  {k:14s} {v:7.3f} s  {100 * v / total:5.1f}%{ratio}")


def main() -> None:
    corpus, args = corpora(__doc__, repeat=2, limit=True)
    for name, texts_ in corpus.items():
        bench(name, texts_, args.repeat)


if __name__ == "__main__":
    main()
