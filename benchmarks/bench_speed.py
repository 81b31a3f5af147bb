"""Whole extraction vs spaCy's blank English tokenizer, on the same texts, in one run.

The issue's target: extraction takes at most 3x as long as tokenizing alone, with peak memory
under 400 MB. Both are timed warm (after one pass that loads resources), best of --repeat.

Usage (needs the `bench` extra: pip install -e ".[bench]"):

    python benchmarks/bench_speed.py [--fakes CSV] [--acled CSV] [--repeat 3]
"""

from __future__ import annotations

import resource

from common import best, corpora, tokenizer_seconds

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.pipeline.pipeline import pipeline_for


def bench(name: str, corpus: list[str], repeat: int) -> None:
    settings = Settings()
    docs = [read_text(f"{name}-{i}", t, settings) for i, t in enumerate(corpus)]
    pipeline = pipeline_for(settings)
    pipeline(docs[0])  # load resources once, outside the timing

    tok = tokenizer_seconds([d.text for d in docs], repeat)
    if tok is None:
        raise SystemExit('spaCy is needed: pip install -e ".[bench]"')
    ext = best(lambda: [pipeline(d) for d in docs], repeat)
    chars = sum(len(d.text) for d in docs)
    print(
        f"{name:6s} {len(docs):5d} docs {chars / 1e6:5.2f} M chars | "
        f"tokenizer {tok:6.2f} s ({chars / tok / 1e6:5.2f} M chars/s) | "
        f"extraction {ext:6.2f} s ({len(docs) / ext:7.1f} docs/s) | ratio {ext / tok:5.1f}x"
    )


def main() -> None:
    corpus, args = corpora(__doc__, repeat=3)
    for name, texts_ in corpus.items():
        bench(name, texts_, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (extractor, gazetteer, spaCy tokenizer and the texts)")


if __name__ == "__main__":
    main()
