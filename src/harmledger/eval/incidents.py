"""Incident precision and recall: does one event give one incident, and nothing else one?

A labelled article (``tests/incidents/*.jsonl``) holds a whole report (a wire round-up, an
NGO report, a live blog) and the incidents a coder records from it: each with its event
type, a date range, the names its place may go by, its country and the credible range of
its toll. Everything else in the article (cumulative tolls, earlier or corrected figures,
the same event told again, threats, diplomacy, trials) must give no incident.

Every incident harmledger extracts from the article is matched one to one against the
labelled ones. A predicted incident matches a labelled one when

* the event type is the same (ACLED's six types),
* its date range overlaps the labelled range (no date: no disagreement),
* its place is one of the labelled names, or it is placed only to the labelled country
  (no place: no disagreement), and its country is the labelled one,
* its fatalities are within the labelled toll's range.

The matching is a maximum one-to-one assignment (a second telling of a matched event is a
false positive). Precision is matched / predicted, recall matched / labelled. A *strict*
match also has the date and the place stated, not only not contradicted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from harmledger.config import Settings
from harmledger.errors import MSG_LABELLED_LINE, ReadError
from harmledger.eval.metrics import normalise_name, same_country, same_place
from harmledger.eval.readers import json_lines
from harmledger.ingest import read_text
from harmledger.model import DocumentMeta
from harmledger.pipeline.pipeline import pipeline_for

#: The event types a labelled incident may have (ACLED's, 2019+).
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


@dataclass(frozen=True, slots=True)
class LabelledIncident:
    """One incident a coder records: type, date range, place names, country, toll range."""

    event_type: str
    start: date
    end: date
    places: tuple[str, ...]
    country: str
    killed: tuple[int, int]
    sub_event_type: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """A whole report and the incidents a coder records from it."""

    id: str
    text: str
    published: date | None
    title: str | None
    incidents: tuple[LabelledIncident, ...]
    style: str | None = None


def read_incident_articles(path: str | Path) -> Iterator[LabelledArticle]:
    """Labelled articles of a JSON Lines file: ``{"id", "text", "published", "title",
    "style", "incidents": [{"event_type", "date": [start, end], "place": [names...],
    "country", "killed": [min, max], "sub_event_type"}]}``. A malformed line names itself."""
    p = Path(path)
    for n, obj in json_lines(p):
        yield _article(p, n, obj)


def _article(p: Path, n: int, obj: dict[str, Any]) -> LabelledArticle:
    def bad(detail: str) -> ReadError:
        return ReadError(str(p), MSG_LABELLED_LINE.format(line=n, detail=detail))

    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad("an article needs a non-empty 'text' string")
    raw = obj.get("incidents")
    if not isinstance(raw, list):
        raise bad("'incidents' must be a list (empty when a coder records none)")
    try:
        published = date.fromisoformat(obj["published"]) if obj.get("published") else None
        incidents = tuple(_incident(x) for x in raw)
    except (KeyError, TypeError, ValueError) as e:
        raise bad(f"a labelled incident is malformed ({e})") from None
    return LabelledArticle(
        id=str(obj.get("id") or f"line-{n}"),
        text=text,
        published=published,
        title=obj.get("title") or None,
        incidents=incidents,
        style=obj.get("style") or None,
    )


def _incident(x: dict[str, Any]) -> LabelledIncident:
    if x["event_type"] not in EVENT_TYPES:
        raise ValueError(f"unknown event type {x['event_type']!r}")
    start, end = (date.fromisoformat(d) for d in x["date"])
    lo, hi = (int(k) for k in x["killed"])
    if end < start or hi < lo:
        raise ValueError("a range must run from low to high")
    places = x["place"] if isinstance(x["place"], list) else [x["place"]]
    return LabelledIncident(
        event_type=x["event_type"],
        start=start,
        end=end,
        places=tuple(str(p) for p in places),
        country=str(x["country"]),
        killed=(lo, hi),
        sub_event_type=x.get("sub_event_type"),
    )


# --------------------------------------------------------------------------- matching


def _date_range(pred: dict[str, Any]) -> tuple[date, date] | None:
    d = pred.get("date") or {}
    if not d.get("start"):
        return None
    start = date.fromisoformat(d["start"])
    return start, date.fromisoformat(d.get("end") or d["start"])


def agreement(pred: dict[str, Any], gold: LabelledIncident) -> tuple[bool, bool]:
    """``(matches, strict)``: does the predicted contract incident ``pred`` tell the labelled
    incident ``gold`` (no field disagrees), and does it also state its date and place?"""
    if pred.get("event_type") != gold.event_type:
        return False, False
    fatalities = int(pred.get("fatalities") or 0)
    if not gold.killed[0] <= fatalities <= gold.killed[1]:
        return False, False
    span = _date_range(pred)
    if span is not None and (span[1] < gold.start or span[0] > gold.end):
        return False, False
    loc = pred.get("location") or {}
    if loc.get("country") and not same_country(gold.country, loc["country"]):
        return False, False
    placed = False
    if loc.get("name"):
        own = [n for n in (loc.get("name"), loc.get("admin1")) if n]
        if not any(same_place(g, n) for g in gold.places for n in own):
            return False, False
        placed = True
    elif [normalise_name(p) for p in gold.places] == [normalise_name(gold.country)]:
        placed = bool(loc.get("country"))
    return True, placed and span is not None


@dataclass(slots=True)
class ArticleResult:
    """One article: its labelled incidents, what was extracted, and which matched which."""

    id: str
    style: str | None
    labelled: int
    predicted: list[dict[str, Any]]
    #: (predicted index, labelled index, strict)
    matches: list[tuple[int, int, bool]]
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "labelled": self.labelled,
            "predicted": len(self.predicted),
            "matched": len(self.matches),
            "false_positives": [
                _brief(p, self.text)
                for k, p in enumerate(self.predicted)
                if k not in {m[0] for m in self.matches}
            ],
            "missed": sorted(set(range(self.labelled)) - {m[1] for m in self.matches}),
        }


def match(
    predicted: Sequence[dict[str, Any]], labelled: Sequence[LabelledIncident]
) -> list[tuple[int, int, bool]]:
    """The largest one-to-one assignment of predicted to labelled incidents that agree
    (Kuhn's augmenting paths; candidates tried strict first, then in text order)."""
    edges: dict[int, list[tuple[int, bool]]] = {}
    for i, p in enumerate(predicted):
        for j, g in enumerate(labelled):
            ok, strict = agreement(p, g)
            if ok:
                edges.setdefault(i, []).append((j, strict))
    for i in edges:
        edges[i].sort(key=lambda e: not e[1])
    owner: dict[int, int] = {}  # labelled -> predicted

    def augment(i: int, seen: set[int]) -> bool:
        for j, _ in edges.get(i, ()):
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in sorted(edges):
        augment(i, set())
    stated = {(i, j): s for i, es in edges.items() for j, s in es}
    return sorted((i, j, stated[(i, j)]) for j, i in owner.items())


# --------------------------------------------------------------------------- the report


@dataclass(slots=True)
class IncidentReport:
    """Incident precision and recall over a labelled set of articles."""

    articles: int = 0
    labelled: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0
    seconds: float = 0.0
    by_style: dict[str, list[int]] = field(default_factory=dict)  # style -> [lab, pred, match]
    results: list[ArticleResult] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, r: ArticleResult) -> None:
        self.articles += 1
        self.labelled += r.labelled
        self.predicted += len(r.predicted)
        self.matched += len(r.matches)
        self.strict += sum(s for _, _, s in r.matches)
        row = self.by_style.setdefault(r.style or "-", [0, 0, 0])
        row[0] += r.labelled
        row[1] += len(r.predicted)
        row[2] += len(r.matches)
        self.results.append(r)

    def to_dict(self, *, errors: int = 0) -> dict[str, Any]:
        wrong = [r for r in self.results if not r.labelled == len(r.predicted) == len(r.matches)]
        return {
            "articles": self.articles,
            "labelled": self.labelled,
            "predicted": self.predicted,
            "matched": self.matched,
            "matched_strict": self.strict,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "incidents_per_labelled": round(self.predicted / self.labelled, 3)
            if self.labelled
            else None,
            "by_style": {
                k: {"labelled": v[0], "predicted": v[1], "matched": v[2]}
                for k, v in sorted(self.by_style.items())
            },
            "seconds": round(self.seconds, 2),
            "errors": [r.to_dict() for r in wrong[:errors]],
        }


def _brief(pred: dict[str, Any], text: str) -> dict[str, Any]:
    loc = pred.get("location") or {}
    d = pred.get("date") or {}
    ev = pred.get("evidence") or []
    words = " ".join(text[e["start"] : e["end"]] for e in ev)[:200] if text else ""
    return {
        "event_type": pred.get("event_type"),
        "date": d.get("start"),
        "place": loc.get("name") or loc.get("country"),
        "fatalities": pred.get("fatalities"),
        "confidence": pred.get("confidence"),
        "words": words,
    }


def extract_article(
    article: LabelledArticle, *, model: Path | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The article's cleaned text and every incident extracted from it (contract dicts),
    the title given as the report's headline."""
    text = f"{article.title}\n\n{article.text}" if article.title else article.text
    settings = Settings(published=article.published)
    meta = DocumentMeta(title=article.title, published=article.published)
    doc = read_text(article.id, text, settings, meta=meta)
    incidents = pipeline_for(Settings(model=model))(doc).incidents
    return doc.text, [i.to_contract() for i in incidents]


def evaluate_incidents(
    path: str | Path, *, limit: int | None = None, model: Path | None = None
) -> IncidentReport:
    """Incident precision and recall of extraction over the labelled articles at ``path``."""
    started = time.perf_counter()
    report = IncidentReport()
    for article in islice(read_incident_articles(path), limit):
        text, predicted = extract_article(article, model=model)
        report.add(
            ArticleResult(
                id=article.id,
                style=article.style,
                labelled=len(article.incidents),
                predicted=predicted,
                matches=match(predicted, article.incidents),
                text=text,
            )
        )
    report.seconds = time.perf_counter() - started
    return report


def write_incident_report(report: IncidentReport, out: TextIO, *, errors: int = 0) -> None:
    """The report as text: the figures, then per style, then the worst articles."""
    out.write(
        f"{report.articles} articles, {report.labelled} labelled incidents, "
        f"{report.predicted} extracted ({report.predicted / max(1, report.labelled):.2f} "
        "per labelled incident)\n"
    )
    out.write(
        f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}  "
        f"(matched {report.matched}, with date and place stated {report.strict})\n"
    )
    for style, (lab, pred, hit) in sorted(report.by_style.items()):
        out.write(f"  {style:<14} labelled {lab:>3}  extracted {pred:>3}  matched {hit:>3}\n")
    for row in report.to_dict(errors=errors)["errors"]:
        out.write(
            f"\n{row['id']}: {row['matched']} of {row['labelled']} matched, "
            f"{row['predicted']} extracted; missed labelled {row['missed']}\n"
        )
        for fp in row["false_positives"]:
            out.write(
                f"  extra: {fp['event_type']} {fp['date']} {fp['place']} "
                f"killed {fp['fatalities']} ({fp['confidence']}): {fp['words']!r}\n"
            )
