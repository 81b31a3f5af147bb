"""What the benchmark scripts share: where the public data is, reading its texts, timing."""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from pathlib import Path

#: ../shared/data beside the checkout (the data is not part of the project)
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def corpora(
    description: str, *, repeat: int, limit: bool = False
) -> tuple[dict[str, list[str]], argparse.Namespace]:
    """The command line of the speed benchmarks (``--fakes``, ``--acled``, ``--repeat``, and
    ``--limit`` when asked) and the texts it names: FA-KES articles and ACLED notes."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--fakes", type=Path, default=DATA / "fakes" / "fakes_dev.csv")
    ap.add_argument("--acled", type=Path, default=DATA / "acled" / "acled_iraq_2019_2020_dev.csv")
    ap.add_argument("--repeat", type=int, default=repeat)
    if limit:
        ap.add_argument("--limit", type=int, default=None, help="the first N texts of each")
    args = ap.parse_args()
    n = getattr(args, "limit", None)
    return {
        "fakes": texts(args.fakes, "article_content", n),
        "acled": texts(args.acled, "notes", n),
    }, args


def texts(path: Path, column: str, limit: int | None = None) -> list[str]:
    """The non-blank values of ``column`` in a CSV file, the first ``limit`` of them."""
    with path.open(encoding="utf-8", newline="") as f:
        out = [row[column] for row in csv.DictReader(f) if row[column].strip()]
    return out[:limit] if limit else out


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def tokenizer_seconds(docs: Sequence[str], repeat: int) -> float | None:
    """spaCy's blank English tokenizer over ``docs``, warm, best of ``repeat``; None when
    spaCy is not installed (it is in the ``bench`` extra)."""
    try:
        import spacy
    except ImportError:
        return None
    tokenizer = spacy.blank("en").tokenizer
    for d in docs[:10]:
        tokenizer(d)  # warm, like the pipeline
    return best(lambda: [tokenizer(d) for d in docs], repeat)
