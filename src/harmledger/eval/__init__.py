"""Evaluation built into the product: how often harmledger's main incident is right.

``evaluate(path, format=...)`` reads labelled examples (harmledger's gold JSON Lines, or a
user's ACLED / FA-KES / UCDP GED file), runs extraction in-process on each text, takes the
document's main incident (its highest-confidence incident) and scores it field by field.
The rules are in ``docs/eval.md``.
"""

from __future__ import annotations

import time
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any

from harmledger.config import Settings
from harmledger.errors import ConfigError, ReadError
from harmledger.eval.metrics import CONFUSED, SCORERS, Check
from harmledger.eval.readers import FORMATS, Example, guess_format, read_examples
from harmledger.eval.report import EvalReport, FieldScore, Miss, worst_misses, write_report
from harmledger.ingest import read_text
from harmledger.pipeline.pipeline import pipeline_for

__all__ = [
    "FORMATS",
    "EvalReport",
    "Example",
    "FieldScore",
    "Miss",
    "evaluate",
    "guess_format",
    "main_incident",
    "read_examples",
    "score_example",
    "write_report",
]


def main_incident(example: Example, *, model: Path | None = None) -> dict[str, Any] | None:
    """Extract from the example's text; the contract dict of the highest-confidence incident,
    or None when the text gives no incident. ``model``: a learned event-type model."""
    settings = Settings(published=example.published)
    try:
        doc = read_text(example.id, example.text, settings)
    except ReadError:  # nothing left to read (e.g. a headline that is all boilerplate)
        return None
    # The document carries its publication date; one pipeline serves every date.
    incidents = pipeline_for(Settings(model=model))(doc).incidents
    if not incidents:
        return None
    return max(incidents, key=lambda i: i.confidence).to_contract()


def score_example(example: Example, pred: dict[str, Any] | None, *, format: str) -> list[Check]:
    """The field checks of one example against a prediction (None = no incident)."""
    scorer = SCORERS[format]
    return scorer(example.gold, pred if format == "gold" else (pred or {}))  # type: ignore[arg-type]


def evaluate(
    path: str | Path,
    *,
    format: str,
    limit: int | None = None,
    errors: int = 0,
    model: Path | None = None,
) -> EvalReport:
    """Score harmledger against the labelled file at ``path``.

    ``format`` is one of :data:`FORMATS` ("acled", "fakes", "ucdp", "gold"; see
    :func:`guess_format`); ``limit`` scores only the first N examples; ``errors`` keeps the
    N most informative misses (with their text) in ``report.errors``; ``model`` extracts with
    a learned event-type model (``harmledger train``) after the rules.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    for option, value in (("limit", limit), ("errors", errors)):
        if value is not None and value < 0:
            raise ConfigError(f"--{option} must be 0 or more, not {value}")
    started = time.perf_counter()
    report = EvalReport(format=format)
    confusion: dict[str, Counter[tuple[str | None, str | None]]] = {}
    misses: list[Miss] = []
    for example in islice(read_examples(path, format=format), limit):
        checks = score_example(example, main_incident(example, model=model), format=format)
        report.documents += 1
        for c in checks:
            report.fields.setdefault(c.field, FieldScore()).add(c.ok)
            for tag in example.tags:
                report.by_tag.setdefault(tag, FieldScore()).add(c.ok)
            if c.field in CONFUSED:
                confusion.setdefault(c.field, Counter())[(c.expected, c.got)] += 1
            if not c.ok and errors:
                misses.append(
                    Miss(example.id, c.field, c.expected, c.got, example.text, c.severity)
                )
        if errors and len(misses) > 50 * errors:  # keep memory flat on large files
            misses = _prune(misses, errors)
    report.confusion = {k: dict(v) for k, v in confusion.items()}
    report.errors = worst_misses(misses, errors)
    report.seconds = time.perf_counter() - started
    return report


def _prune(misses: list[Miss], n: int) -> list[Miss]:
    """Keep, per field, the ``n`` most severe misses (enough for :func:`worst_misses`)."""
    by_field: dict[str, list[Miss]] = {}
    for m in misses:
        by_field.setdefault(m.field, []).append(m)
    out: list[Miss] = []
    for ms in by_field.values():
        out.extend(sorted(ms, key=lambda m: (-m.severity, m.id))[:n])
    return out
