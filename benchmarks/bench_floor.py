"""What any pure-Python reading of the texts costs, against spaCy's blank English tokenizer.

The issue's speed target is extraction in at most 3x the tokenizer's time. This benchmark
measures floors under that target, on the same texts as ``bench_speed.py``:

- ``word spans``: one Python tuple per word and punctuation mark, from one compiled regular
  expression (the least a stage that walks the words must do);
- ``segment + triggers``: harmledger's first two stages, which every later stage needs
  (sentences, and the words of violence that make a sentence a candidate);
- ``all stages``: the whole extraction.

Each line also gives its multiple of the tokenizer's time. Usage (needs the ``bench`` extra):

    python benchmarks/bench_floor.py [--fakes CSV] [--acled CSV] [--repeat 5]
"""

from __future__ import annotations

import re

from common import best, corpora, tokenizer_seconds

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.model import Annotated
from harmledger.pipeline.pipeline import Pipeline

_WORD = re.compile(r"\w+|[^\w\s]")


def bench(name: str, corpus: list[str], repeat: int) -> None:
    settings = Settings()
    docs = [read_text(f"{name}-{i}", t, settings) for i, t in enumerate(corpus)]
    texts_ = [d.text for d in docs]
    pipeline = Pipeline(settings)
    for d in docs[:5]:
        pipeline(d)  # load resources once, outside the timing
    first_two = pipeline.stages[:2]

    def early(d):
        doc = Annotated(document=d)
        for stage in first_two:
            doc = stage(doc)
        return doc

    tok = tokenizer_seconds(texts_, repeat)
    if tok is None:
        raise SystemExit('spaCy is needed: pip install -e ".[bench]"')
    rows = [
        (
            "word spans",
            best(lambda: [[m.span() for m in _WORD.finditer(t)] for t in texts_], repeat),
        ),
        (
            " + ".join(type(s).__name__ for s in first_two),
            best(lambda: [early(d) for d in docs], repeat),
        ),
        ("all stages", best(lambda: [pipeline(d) for d in docs], repeat)),
    ]
    print(f"{name}: {len(docs)} docs, tokenizer {tok:.3f} s")
    for label, seconds in rows:
        print(f"  {label:28s} {seconds:7.3f} s  {seconds / tok:6.1f}x tokenizer")


def main() -> None:
    corpus, args = corpora(__doc__, repeat=5)
    for name, texts_ in corpus.items():
        bench(name, texts_, args.repeat)


if __name__ == "__main__":
    main()
