"""Scoring fusion: are reports of one event merged, and look-alikes kept apart?

Each labelled report names the event its lead (main incident) tells. harmledger extracts
every report, fuses all incidents (``harmledger fuse``'s rules, in memory), and each
report's main incident (its highest-confidence one) lands in a fused incident. Over every
pair of reports: merged by us and the same event = true positive; merged but different
events = false positive (a wrong merge); same event not merged = false negative. Reports
without any incident are never merged.

Formats:

* ``fusion`` — harmledger's labelled JSON Lines (``tests/fusion/reports.jsonl``): a line
  is a JSON Lines input document with an ``event`` key.
* ``fakes`` — FA-KES CSV: articles with the same date, governorate and cause of death are
  taken to be one event (a rough label: two shellings of one governorate on one day are
  one group), as the issue defines them.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import Any, TextIO

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.eval.readers import json_lines, parse_fakes_date
from harmledger.fuse import compare, fuse_documents
from harmledger.fuse.ledger import Fuser
from harmledger.ingest import read_text
from harmledger.ingest.jsonl import read_jsonl
from harmledger.model import Annotated, Document, FusedIncident
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.store.ledger import Ledger

FUSION_FORMATS = ("fusion", "fakes")


@dataclass
class Pairs:
    """Pairwise counts of one way of fusing."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, *, same: bool, merged: bool) -> None:
        """Count one pair of reports: the same labelled event or not, merged or not."""
        self.tp += same and merged
        self.fp += merged and not same
        self.fn += same and not merged

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class FusionReport:
    """Pairwise precision/recall of merging, two ways: ``arrival`` (reports stored and
    fused one by one in file order, as ``harmledger run`` does) and ``whole`` (the whole
    set fused at once, as ``harmledger fuse`` does); the pairs that went wrong (arrival)."""

    format: str
    documents: int = 0
    events: int = 0
    arrival: Pairs = field(default_factory=Pairs)
    whole: Pairs = field(default_factory=Pairs)
    without_incident: int = 0
    duplicates: int = 0  # rows whose text was already read (kept once)
    wrong_merges: list[dict[str, Any]] = field(default_factory=list)
    missed_merges: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "documents": self.documents,
            "events": self.events,
            "arrival": self.arrival.to_dict(),
            "whole": self.whole.to_dict(),
            "without_incident": self.without_incident,
            "duplicates": self.duplicates,
            "wrong_merges": self.wrong_merges,
            "missed_merges": self.missed_merges,
            "seconds": round(self.seconds, 2),
        }


def read_labelled(path: str | Path, *, format: str) -> Iterator[tuple[Document, str]]:
    """(document, event label) for each readable labelled report."""
    p = Path(path)
    if format == "fusion":
        labels = {}
        for n, obj in json_lines(p):
            if not obj.get("event"):
                raise ReadError(f"{p}:{n}", "no 'event' label: fusion needs one on every line")
            labels[str(obj.get("id") or f"{p}:{n}")] = str(obj["event"])
        for item in read_jsonl(str(p), p.read_bytes(), Settings()):
            if isinstance(item, Document):
                yield item, labels[item.name]
        return
    if format == "fakes":
        with p.open(encoding="utf-8-sig", newline="") as fp:
            for n, row in enumerate(csv.DictReader(fp), 1):
                published = parse_fakes_date(row["date"])
                name = row.get("unit_id") or f"row-{n}"
                label = "|".join(
                    (row["date"].strip(), row["location"].strip(), row["cause_of_death"].strip())
                )
                try:
                    doc = read_text(name, row["article_content"], Settings(published=published))
                except ReadError:
                    continue
                meta = replace(doc.meta, publisher=row.get("source") or None)
                yield replace(doc, meta=meta), label
        return
    raise ValueError(f"unknown fusion format {format!r}; use one of {', '.join(FUSION_FORMATS)}")


def evaluate_fusion(path: str | Path, *, format: str, errors: int = 10) -> FusionReport:
    """Pairwise merge precision/recall of harmledger's fusion on a labelled file."""
    started = time.perf_counter()
    pipeline = pipeline_for(Settings())
    annotated: list[Annotated] = []
    labels: dict[str, str] = {}
    duplicates = 0
    for doc, label in read_labelled(path, format=format):
        if doc.id in labels:  # the same text twice is one document, as in the ledger
            duplicates += 1
            continue
        annotated.append(pipeline(doc))
        labels[doc.id] = label
    report = FusionReport(format=format, documents=len(annotated), events=len(set(labels.values())))
    report.duplicates = duplicates
    main: dict[str, str | None] = {}
    for a in annotated:
        best = max(a.incidents, key=lambda i: i.confidence, default=None)
        main[a.document.id] = best.incident_id if best else None
        report.without_incident += best is None
    names = {a.document.id: a.document.name for a in annotated}

    whole = fuse_documents(annotated)
    _score(report.whole, whole, annotated, labels, main)
    arrival = _fuse_on_arrival(annotated, pipeline.version)
    misses = _score(report.arrival, arrival, annotated, labels, main)
    for merged, x, y, why in misses:
        entry = {"a": names[x], "b": names[y], "event_a": labels[x], "event_b": labels[y]}
        entry["why"] = why
        (report.wrong_merges if merged else report.missed_merges).append(entry)
    report.wrong_merges = report.wrong_merges[:errors]
    report.missed_merges = report.missed_merges[:errors]
    report.seconds = time.perf_counter() - started
    return report


def _fuse_on_arrival(annotated: list[Annotated], version: str) -> list[FusedIncident]:
    """Store and fuse the documents one by one in a scratch ledger, as ``run`` does."""
    with tempfile.TemporaryDirectory() as tmp, Ledger(Path(tmp) / "eval.db") as ledger:
        fuser = Fuser(ledger)
        for a in annotated:
            if ledger.add(a, pipeline_version=version).incidents_added:
                fuser.pending([a.document.id])
        return ledger.fused()


def _score(
    pairs: Pairs,
    fused: list[FusedIncident],
    annotated: list[Annotated],
    labels: dict[str, str],
    main: dict[str, str | None],
) -> list[tuple[bool, str, str, str]]:
    """Count pairs of documents into ``pairs``; returns the wrong ones with the reason."""
    group_of: dict[str, str] = {}  # incident id -> fused id
    reports: dict[str, Any] = {}
    for f in fused:
        for r in f.reports:
            group_of[r.incident_id] = f.fused_id
            reports[r.incident_id] = r
    wrong = []
    for x, y in combinations([a.document.id for a in annotated], 2):
        same = labels[x] == labels[y]
        ix, iy = main[x], main[y]
        merged = ix is not None and iy is not None and group_of[ix] == group_of[iy]
        pairs.add(same=same, merged=merged)
        if merged != same:
            why = (
                "no incident"
                if ix is None or iy is None
                else _why(compare, reports[ix], reports[iy])
            )
            wrong.append((merged, x, y, why))
    return wrong


def _why(compare: Any, a: Any, b: Any) -> str:
    c = compare(a, b)
    if c.veto:
        return f"vetoed: {c.veto}"
    return f"score {c.score:.2f}: " + ("; ".join(c.reasons) or "no shared evidence")


def write_fusion_report(report: FusionReport, out: TextIO) -> None:
    out.write(
        f"Fusion ({report.format}): {report.documents} reports of {report.events} events, "
        f"{report.without_incident} without an incident, {report.duplicates} duplicate text(s) "
        f"skipped, in {report.seconds:.1f} s\n\n"
    )
    out.write("pairs of reports          merged  wrongly  missed  precision  recall     F1\n")
    for name, p in (("as they arrive (run)", report.arrival), ("all at once (fuse)", report.whole)):
        out.write(
            f"{name:<24}  {p.tp:6d}  {p.fp:7d}  {p.fn:6d}  {p.precision:9.3f}  "
            f"{p.recall:6.3f}  {p.f1:.3f}\n"
        )
    for title, items in (("Wrong merges", report.wrong_merges), ("Missed", report.missed_merges)):
        if items:
            out.write(f"\n{title} (as they arrive):\n")
            for e in items:
                out.write(f"  {e['a']} ({e['event_a']}) ~ {e['b']} ({e['event_b']}): {e['why']}\n")
