"""Many reports, one incident: fusion across sources.

* :mod:`.rules` — the rules (``fuse.v6``): blocking, comparing two reports, clustering,
  summarising a group into a :class:`~harmledger.model.FusedIncident`.
* :mod:`.evidence` — the weights (``resources/fusion.json``) and the facts a pair is weighed
  on: tolls and counts, copies, wide places, the same harm.
* :mod:`.neardup` — copies of one story (MinHash), so that syndication is one source.
* :mod:`.ledger` — the same rules over a ledger: :class:`~.ledger.Fuser` fuses pending
  reports as ``harmledger run`` stores them, fuses everything afresh (``harmledger
  fuse``), and records a person's merges and splits.
* :func:`fuse_documents` — fusion of annotated documents in memory (nothing stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from harmledger.fuse.rules import NAME, compare
from harmledger.fuse.summary import fuse, summarise
from harmledger.model import (
    Annotated,
    FusedIncident,
    Incident,
    Mention,
    MentionValue,
    PlaceValue,
    Report,
)
from harmledger.model.words import fingerprint, named_in

__all__ = ["NAME", "compare", "fuse", "fuse_documents", "report_from_incident", "summarise"]


def report_from_incident(
    incident: Incident,
    *,
    story_id: str,
    publisher: str | None = None,
    published: date | None = None,
    pk: int | None = None,
    url: str | None = None,
    places: Iterable[Mention[MentionValue]] = (),
) -> Report:
    """The flat view of an incident that fusion compares, with what its evidence's
    words name (:func:`~harmledger.model.words.fingerprint`): ``places`` are its document's
    place mentions (those inside the incident's evidence are kept)."""
    named = named_in(
        ((e.start, e.end) for e in incident.evidence),
        (
            (m.start, m.value.gazetteer_id, m.value.feature)
            for m in places
            if isinstance(m.value, PlaceValue)
        ),
    )
    return Report.of(
        incident.flat(),
        story_id=story_id,
        publisher=publisher,
        published=published,
        pk=pk,
        url=url,
        words=fingerprint(incident.evidence_text, places=named),
    )


def fuse_documents(
    documents: Iterable[Annotated], *, stories: Mapping[str, str] | None = None
) -> list[FusedIncident]:
    """Fuse the incidents of annotated documents (in the order given). ``stories`` maps a
    document id to its story id; by default copies are found from the texts."""
    from harmledger.fuse.neardup import story_ids

    docs = list({a.document.id: a for a in documents}.values())  # one text, one document
    if stories is None:
        stories = story_ids((a.document.id, a.document.text) for a in docs)
    reports = [
        report_from_incident(
            inc,
            story_id=stories.get(a.document.id, a.document.id),
            publisher=a.document.meta.publisher,
            published=a.document.meta.published,
            url=a.document.meta.url,
            places=[m for m in a.mentions if m.kind == "place"],
        )
        for a in docs
        for inc in a.incidents
    ]
    return fuse(reports)
