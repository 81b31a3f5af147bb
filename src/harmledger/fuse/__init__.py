"""Many reports, one incident: fusion across sources.

``fuse_documents(annotated)`` fuses the incidents of documents in memory; the ledger
fuses what it stores (:meth:`harmledger.store.ledger.Ledger.fuse`, ``harmledger fuse``,
and ``harmledger run`` as documents arrive). The rules are in :mod:`.fusion`; copies of
one story are found by :mod:`.neardup`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from harmledger.fuse.fusion import NAME, compare, fuse, summarise
from harmledger.model import (
    Annotated,
    CountValue,
    DateValue,
    FusedIncident,
    Incident,
    PlaceValue,
    Report,
)

__all__ = ["NAME", "compare", "fuse", "fuse_documents", "report_from_incident", "summarise"]


def report_from_incident(
    incident: Incident,
    *,
    story_id: str,
    publisher: str | None = None,
    published: object = None,
    pk: int | None = None,
) -> Report:
    """The flat view of an incident that fusion compares."""
    d: DateValue | None = incident.date.value if incident.date else None  # type: ignore[assignment]
    p: PlaceValue | None = incident.location.value if incident.location else None  # type: ignore[assignment]
    counts: dict[str, tuple[int | None, int | None]] = {}
    for role, m in incident.counts.items():
        c: CountValue = m.value  # type: ignore[assignment]
        counts[role] = (c.min, c.max)
    return Report(
        incident_id=incident.incident_id,
        doc_id=incident.doc_id,
        doc_name=incident.doc_name,
        story_id=story_id,
        publisher=publisher,
        published=published,  # type: ignore[arg-type]
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        violations=tuple(incident.violations),
        date_start=d.start if d else None,
        date_end=d.end if d else None,
        date_precision=d.precision if d else None,
        location_name=p.name if p else None,
        admin1=p.admin1 if p else None,
        country=(p.country if p else None) or incident.country,
        latitude=p.latitude if p else None,
        longitude=p.longitude if p else None,
        geo_precision=p.precision if p else None,
        gazetteer_id=p.gazetteer_id if p else None,
        actor1=incident.actor1.value.name if incident.actor1 else None,  # type: ignore[union-attr]
        actor2=incident.actor2.value.name if incident.actor2 else None,  # type: ignore[union-attr]
        fatalities=incident.fatalities,
        killed=counts.get("killed"),
        counts=MappingProxyType(counts),
        confidence=incident.confidence,
        admin2=p.admin2 if p else None,
        feature=p.feature if p else None,
        relation=p.relation if p else None,
        pk=pk,
        evidence_start=incident.evidence[0].start if incident.evidence else None,
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
        )
        for a in docs
        for inc in a.incidents
    ]
    return fuse(reports)
