"""Evaluation built into the product: how often harmledger's main incident is right.

``evaluate(path, format=...)`` reads labelled examples (harmledger's gold JSON Lines, or a
user's ACLED / FA-KES / UCDP GED / HRDsAttack file), runs extraction in-process on each
text, takes the document's main incident (its highest-confidence incident) and scores it
field by field (HRDsAttack's violations, labelled per article, against all the document's
incidents).
The rules are in ``docs/eval.md``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from harmledger.config import Settings
from harmledger.errors import ConfigError, ReadError
from harmledger.eval.metrics import CONFUSED, SCORERS, Check, score_hrdsattack
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
    "incidents_of",
    "main_incident",
    "read_examples",
    "score_example",
    "write_report",
]


def incidents_of(example: Example, *, model: Path | None = None) -> list[dict[str, Any]]:
    """Extract from the example's text: the contract dicts of its incidents, the most
    confident first (an empty list when the text gives none). ``model``: a learned
    event-type model."""
    settings = Settings(published=example.published)
    try:
        doc = read_text(example.id, example.text, settings)
    except ReadError:  # nothing left to read (e.g. a headline that is all boilerplate)
        return []
    # The document carries its publication date; one pipeline serves every date.
    incidents = pipeline_for(Settings(model=model))(doc).incidents
    ranked = sorted(enumerate(incidents), key=lambda t: (-t[1].confidence, t[0]))
    return [inc.to_contract() for _, inc in ranked]


def main_incident(example: Example, *, model: Path | None = None) -> dict[str, Any] | None:
    """The contract dict of the example's highest-confidence incident, or None when the
    text gives no incident."""
    found = incidents_of(example, model=model)
    return found[0] if found else None


def score_example(
    example: Example,
    pred: dict[str, Any] | None,
    *,
    format: str,
    incidents: Sequence[dict[str, Any]] | None = None,
) -> list[Check]:
    """The field checks of one example against a prediction (None = no incident).
    ``incidents``: all the document's incidents, for labels given per document
    (HRDsAttack's violations); by default just ``pred``."""
    if format == "hrdsattack":
        return score_hrdsattack(example.gold, pred or {}, incidents or ([pred] if pred else []))
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

    ``format`` is one of :data:`FORMATS` ("acled", "fakes", "ucdp", "gold", "hrdsattack"; see
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
        found = incidents_of(example, model=model)
        pred = found[0] if found else None
        checks = score_example(example, pred, format=format, incidents=found)
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
