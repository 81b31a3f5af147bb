"""What a user sees of an incident, a document, a list: the ledger's values shaped for
pages and JSON, with protected words masked for those who may not see them.

A rule of one place: every value that leaves the server for a reader without the right
goes through :mod:`harmledger.privacy` here (``Protection.text`` for a document's text,
``redact_contract`` for an incident, ``scrub``/``scrub_all`` for anything else).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from harmledger.export import protections
from harmledger.model import FusedIncident, Mention, Record
from harmledger.privacy import MASK, Protection, redact_contract
from harmledger.store.ledger import Ledger

#: Field -> label of the highlight in the source text.
LABELS = {
    "actor1": "perpetrator",
    "actor2": "victims",
    "date": "date",
    "location": "place",
    "trigger": "what happened",
    "quote": "quote",
    "evidence": "evidence",
}


@dataclass(frozen=True, slots=True)
class Shown:
    """What a user may see of some documents: their protection, and whether to apply it."""

    protected: dict[str, Protection]
    masked: bool

    def of(self, doc_id: str) -> Protection:
        return self.protected.get(doc_id, Protection.none()) if self.masked else Protection.none()

    def scrub(self, doc_id: str, value: Any) -> Any:
        return self.of(doc_id).scrub_all(value) if self.masked else value


def shown(ledger: Ledger, doc_ids: Iterable[str], *, masked: bool) -> Shown:
    """What a reader sees of ``doc_ids``: their protection when ``masked`` (nothing to
    look up for a reader who may see protected words)."""
    ids = set(doc_ids)
    return Shown(protections(ledger, ids) if ids and masked else {}, masked)


def summary(r: Record, show: Shown) -> dict[str, Any]:
    """One line of a list."""
    inc = r.incident
    f = inc.flat()
    out = {
        "incident_id": inc.incident_id,
        "doc_id": inc.doc_id,
        "doc_name": r.document_name,
        "title": r.meta.title,
        "published": r.meta.published.isoformat() if r.meta.published else None,
        "event_type": f.event_type,
        "sub_event_type": f.sub_event_type,
        "violations": list(f.violations),
        "date": f.date_start.isoformat() if f.date_start else None,
        "place": f.location_name,
        "admin1": f.admin1,
        "country": f.country,
        "actor1": f.actor1,
        "actor2": f.actor2,
        "fatalities": f.fatalities,
        "killed": list(f.killed) if f.killed else None,
        "confidence": round(f.confidence, 3),
        "review": r.review_state,
        "flag": r.review.flag if r.review else None,
    }
    return show.scrub(inc.doc_id, out)


def incident(r: Record, text: str, show: Shown) -> dict[str, Any]:
    """An incident for its page or ``GET /api/incidents/{id}``: the reviewed values (and
    the machine's, when a review changed them), the review, the document's text (masked
    where protected, for a reader without the right) and the highlights of each field."""
    prot = show.of(r.incident.doc_id)
    body = r.to_dict()
    body["evidence"] = [
        {"start": e.start, "end": e.end, "text": text[e.start : e.end]} for e in r.incident.evidence
    ]
    machine = r.machine.to_contract() if r.machine is not None else None
    if show.masked:
        body = redact_contract(body, prot, text=text)
        machine = redact_contract(machine, prot, text=text) if machine else None
        text = prot.text(text)
    body["machine"] = machine
    body["highlights"] = [
        h for h in highlights(r) if not (show.masked and prot.hides(h["start"], h["end"]))
    ]
    body["document"] = show.scrub(
        r.incident.doc_id,
        {
            "id": r.incident.doc_id,
            "name": r.document_name,
            "title": r.meta.title,
            "publisher": r.meta.publisher,
            "published": r.meta.published.isoformat() if r.meta.published else None,
            "url": r.meta.url,
        },
    )
    body["document"]["text"] = text
    return body


def highlights(r: Record) -> list[dict[str, Any]]:
    """Each field's words in the text: field, label, span."""
    inc = r.incident
    out: list[dict[str, Any]] = []

    def add(field: str, m: Mention[Any] | None, label: str | None = None) -> None:
        if m is not None and m.end > m.start:
            out.append(
                {
                    "field": field,
                    "label": label or LABELS.get(field, field),
                    "start": m.start,
                    "end": m.end,
                    "by": "person" if m.stage.startswith("review.") else "machine",
                }
            )

    for name in ("actor1", "actor2", "date", "location"):
        add(name, getattr(inc, name))
    for role, count in inc.counts.items():
        add("count", count, role)
    for trigger in inc.triggers:
        add("trigger", trigger)
    for quote in inc.quotes:
        add("quote", quote)
    return out


def segments(
    text: str, marks: Sequence[dict[str, Any]], evidence: Sequence[Any]
) -> list[dict[str, Any]]:
    """The text cut at every highlight and evidence boundary: segments with their start,
    the fields they belong to and whether they are evidence or masked (for the page)."""
    cuts = {0, len(text)}
    for run in re.finditer(f"{MASK}(?:[{MASK}\\s]*{MASK})?", text):  # masked regions
        cuts.update((run.start(), run.end()))
    for m in marks:
        cuts.update((m["start"], m["end"]))
    for e in evidence:
        cuts.update((e["start"], e["end"]))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in itertools.pairwise(points):
        if a == b:
            continue
        piece = text[a:b]
        fields = [m for m in marks if m["start"] <= a and b <= m["end"]]
        out.append(
            {
                "start": a,
                "text": piece,
                "fields": sorted({m["field"] for m in fields}),
                "labels": ", ".join(sorted({m["label"] for m in fields})),
                "evidence": any(e["start"] <= a and b <= e["end"] for e in evidence),
                "masked": MASK in piece and not piece.replace(MASK, "").strip(),
            }
        )
    return out


def fused(f: FusedIncident, show: Shown) -> dict[str, Any]:
    d = f.to_dict()
    if show.masked:
        prot = Protection.none()
        for r in f.reports:
            prot = prot.merged(show.of(r.doc_id))
        d = prot.scrub_all(d)
    return d


def weekly(days: Sequence[tuple[date, int, int]]) -> list[dict[str, Any]]:
    """Incidents and killed per ISO week (Monday), every week from the first to the last."""
    if not days:
        return []
    weeks: dict[date, list[int]] = {}
    for day, n, killed in days:
        monday = day - timedelta(days=day.weekday())
        w = weeks.setdefault(monday, [0, 0])
        w[0] += n
        w[1] += killed
    first, last = min(weeks), max(weeks)
    out = []
    week = first
    while week <= last:
        n, killed = weeks.get(week, [0, 0])
        out.append({"week": week.isoformat(), "incidents": n, "killed": killed})
        week += timedelta(days=7)
    return out


def viewer_search_keeps(r: Record, term: str, text: str, show: Shown) -> bool:
    """For a reader without the right, a search hit counts only where the words are in
    what they may see (else a search would tell that a protected name is in a report)."""
    prot = show.of(r.incident.doc_id)
    needle = term.casefold()
    return (
        needle in prot.text(text).casefold() or needle in prot.scrub(r.meta.title or "").casefold()
    )
