"""Model objects to table rows and back: documents, mentions, incidents, records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Row, select, update

from harmledger.model import (
    Annotated,
    Document,
    DocumentMeta,
    FlatIncident,
    Incident,
    Mention,
    Record,
    Removal,
    Review,
    Span,
    Victims,
    value_from_dict,
    value_to_dict,
)
from harmledger.model import words as fw
from harmledger.store import schema as s
from harmledger.store.sql import (
    among,
    aware,
    binders,
    chunks,
    insert_many,
    insert_rows,
    value_json,
)

# ---------------------------------------------------------------------- writing


def document_row(doc: Document, now: datetime) -> dict[str, Any]:
    m = doc.meta
    return {
        "id": doc.id,
        "name": doc.name,
        "text": doc.text,
        "raw": doc.raw,
        "title": m.title,
        "byline": m.byline,
        "publisher": m.publisher,
        "published": m.published,
        "url": m.url,
        "section": m.section,
        "language": m.language,
        "extra": dict(m.extra),
        "reader": doc.reader,
        "media_type": doc.media_type,
        "removed": [
            {"rule": r.rule, "text": r.text, "raw_start": r.raw_start, "raw_end": r.raw_end}
            for r in doc.removed
        ],
        "first_seen": now,
        "raw_sha256": s.raw_sha256(doc.raw),
    }


def mention_row(m: Mention, doc_id: str, processing_id: int) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "processing_id": processing_id,
        "kind": m.kind,
        "start_char": m.start,
        "end_char": m.end,
        "text": m.text,
        "stage": m.stage,
        "value": value_to_dict(m.value),
    }


#: incidents column -> FlatIncident field, where the names differ
_COLUMN_OF = {"actor1": "actor1_name", "actor2": "actor2_name"}
#: FlatIncident fields kept elsewhere (violations, mentions) or not at all
_NOT_COLUMNS = frozenset({"doc_id", "violations", "gazetteer_id", "feature", "relation"})
_NOT_COLUMNS |= {"killed", "counts", "actor1_category", "actor2_category"}


def incident_row(
    inc: Incident, doc_id: str, processing_id: int, pipeline_version: str
) -> dict[str, Any]:
    """The ``incidents`` row of an incident: its flat view and where it came from."""
    flat = inc.flat()
    row = {
        _COLUMN_OF.get(name, name): getattr(flat, name)
        for name in FlatIncident.__dataclass_fields__
        if name not in _NOT_COLUMNS
    }
    row.update(
        document_id=doc_id,
        processing_id=processing_id,
        pipeline_version=pipeline_version,
        evidence=[[e.start, e.end] for e in inc.evidence],
        evidence_start=flat.evidence_start or 0,
        stage=inc.stage,
        versions=dict(inc.versions),
        doc_country=inc.country,
        focus=inc.focus,
        victims=inc.victims.to_dict() if inc.victims is not None else None,
    )
    return row


def field_links(inc: Incident) -> Iterator[tuple[str, int, str | None, Mention]]:
    """(field, position, role, mention) for every field of ``inc`` filled by a mention."""
    for name in ("actor1", "actor2", "date", "location"):
        m = getattr(inc, name)
        if m is not None:
            yield name, 0, None, m
    for pos, (role, m) in enumerate(inc.counts.items()):
        yield "count", pos, role, m
    for pos, m in enumerate(inc.quotes):
        yield "quote", pos, None, m
    for pos, m in enumerate(inc.triggers):
        yield "trigger", pos, None, m
    for pos, m in enumerate(inc.dropped):
        yield "dropped", pos, None, m


def insert_processings(
    conn: Connection,
    items: Sequence[Annotated],
    *,
    pipeline_version: str,
    run_id: int | None,
    now: datetime,
    texts: Mapping[str, str] | None = None,
) -> list[int]:
    """Insert a processing for each annotated document, with its mentions and incidents,
    in a few statements of many rows each; returns each document's number of incidents.
    ``texts``: the stored text of documents stored before (which may differ from the text
    processed in its spacing: fusion's fingerprints are made from the stored copy)."""
    if not items:
        return []
    processing_ids = insert_many(
        conn,
        s.processings,
        [
            {
                "document_id": a.document.id,
                "pipeline_version": pipeline_version,
                "doc_name": a.document.name,
                "run_id": run_id,
                "stored_at": now,
                "stages": list(a.stages),
                "sentences": [[x.start, x.end] for x in a.sentences],
            }
            for a in items
        ],
        ids=True,
    )
    # the documents' older incidents are no longer current (the new processings' ids are
    # past every stored one, and their incidents are inserted below, current)
    doc_ids = sorted({a.document.id for a in items})
    for part in chunks(doc_ids):
        conn.execute(
            update(s.incidents)
            .where(among(conn, s.incidents.c.document_id, part), s.incidents.c.current.is_(True))
            .values(current=False)
        )

    # Every mention once per document, in text order of appearance; the incidents' own
    # mentions too (an assembler may build one that no tagger listed). Rows as tuples of
    # the values the database takes (no dict per row, the value's JSON written once from
    # the dataclass); each mention's row found again by the object's identity first (the
    # incidents hold the taggers' own objects), by equality only for a copy.
    free = binders(conn, s.mentions, ["text"])[0] or _same
    mention_values: list[tuple[Any, ...]] = []
    uniques: list[dict[Mention, None]] = []
    for a, pid in zip(items, processing_ids, strict=True):
        unique: dict[Mention, None] = dict.fromkeys(a.mentions)
        for inc in a.incidents:
            unique.update(dict.fromkeys(inc.mentions))
        uniques.append(unique)
        doc_id = a.document.id
        mention_values += [
            (doc_id, pid, m.kind, m.start, m.end, free(m.text), m.stage, value_json(m.value))
            for m in unique
        ]
    mention_ids = iter(insert_rows(conn, s.mentions, _MENTION_COLUMNS, mention_values, ids=True))
    by_object: list[dict[int, int]] = []  # per item: id(mention) -> its row's id
    by_value: list[dict[Mention, int]] = []
    for unique in uniques:
        by_value.append(dict(zip(unique, mention_ids, strict=False)))
        by_object.append({id(m): mid for m, mid in by_value[-1].items()})

    incident_rows = []
    for n, (a, pid) in enumerate(zip(items, processing_ids, strict=True)):
        # fusion's fingerprint of each incident, from the text the ledger holds (that of
        # the document's first copy, for a document stored before) and its place mentions
        text_ = (texts or {}).get(a.document.id, a.document.text)
        places = [
            (m.start, getattr(m.value, "gazetteer_id", None), getattr(m.value, "feature", None))
            for m in uniques[n]
            if m.kind == "place"
        ]
        for inc in a.incidents:
            row = incident_row(inc, a.document.id, pid, pipeline_version)
            spans = [(e.start, e.end) for e in inc.evidence]
            row.update(words=list(fw.of_evidence(text_, spans, places)), words_method=fw.NAME)
            incident_rows.append(row)
    if not incident_rows:
        return [0 for _ in items]
    pks = iter(insert_many(conn, s.incidents, incident_rows, ids=True))
    remember_names(conn, incident_rows)
    violation = binders(conn, s.incident_violations, ["violation"])[0] or _same
    violations: list[tuple[int, int, Any]] = []
    links: list[tuple[int, str, int, str | None, int]] = []
    for a, objects, values in zip(items, by_object, by_value, strict=True):
        for inc in a.incidents:
            pk = next(pks)
            violations += [(pk, k, violation(v)) for k, v in enumerate(inc.violations)]
            links += [
                (pk, name, pos, role, objects.get(id(m)) or values[m])
                for name, pos, role, m in field_links(inc)
            ]
    insert_rows(conn, s.incident_violations, ("incident_pk", "position", "violation"), violations)
    insert_rows(conn, s.incident_mentions, _LINK_COLUMNS, links)
    return [len(a.incidents) for a in items]


#: The columns of a mention's row as :func:`insert_processings` writes it (its id: drawn)
_MENTION_COLUMNS: tuple[str, ...] = ("document_id", "processing_id", "kind", "start_char")
_MENTION_COLUMNS += ("end_char", "text", "stage", "value")
_LINK_COLUMNS = ("incident_pk", "field", "position", "role", "mention_id")


def _same(value: Any) -> Any:
    return value


def remember_names(conn: Connection, incident_rows: Sequence[dict[str, Any]]) -> None:
    """The place and actor names of ``incident_rows`` into ``filter_names`` (for the
    place and actor filters)."""
    for kind, columns in s.NAME_COLUMNS.items():
        s.add_names(conn, kind, (r.get(c) for r in incident_rows for c in columns))


# ---------------------------------------------------------------------- reading


def meta(row: Any) -> DocumentMeta:
    return DocumentMeta(
        title=row.title,
        byline=row.byline,
        publisher=row.publisher,
        published=row.published,
        url=row.url,
        section=row.section,
        language=row.language,
        extra=MappingProxyType(dict(row.extra or {})),
    )


def document(row: Any) -> Document:
    return Document(
        id=row.id,
        name=row.name,
        text=row.text,
        raw=row.raw,
        meta=meta(row),
        reader=row.reader,
        media_type=row.media_type,
        removed=tuple(Removal(**r) for r in row.removed),
    )


def mention(row: Any) -> Mention:
    return Mention(
        kind=row.kind,
        start=row.start_char,
        end=row.end_char,
        text=row.text,
        stage=row.stage,
        value=value_from_dict(row.kind, row.value),
    )


def records(conn: Connection, rows: Sequence[Row[Any]]) -> list[Record]:
    """Rebuild Records from incident rows (with ``stored_at``): links, mentions, meta."""
    if not rows:
        return []
    pks = [r.id for r in rows]
    links: dict[int, list[Any]] = {pk: [] for pk in pks}
    violations: dict[int, list[str]] = {pk: [] for pk in pks}
    mentions: dict[int, Mention] = {}
    metas: dict[str, DocumentMeta] = {}
    im, m, v, d = s.incident_mentions, s.mentions, s.incident_violations, s.documents
    for part in chunks(pks):
        q = (
            select(im, m)
            .join(m, m.c.id == im.c.mention_id)
            .where(im.c.incident_pk.in_(part))
            .order_by(im.c.incident_pk, im.c.field, im.c.position)
        )
        for r in conn.execute(q):
            links[r.incident_pk].append(r)
            if r.mention_id not in mentions:
                mentions[r.mention_id] = mention(r)
        q2 = select(v).where(v.c.incident_pk.in_(part)).order_by(v.c.incident_pk, v.c.position)
        for r in conn.execute(q2):
            violations[r.incident_pk].append(r.violation)
    reviews: dict[int, Review] = {}
    machines: dict[int, dict[str, Any]] = {}  # the machine's own columns a review replaced
    rv = s.reviews
    for part in chunks(pks):
        for r in conn.execute(select(rv).where(rv.c.incident_pk.in_(part))):
            reviews[r.incident_pk] = review(r)
            if r.machine:
                machines[r.incident_pk] = r.machine
    doc_ids = sorted({r.document_id for r in rows})
    meta_cols = [d.c[c] for c in ("id", "title", "byline", "publisher", "published", "url")]
    meta_cols += [d.c[c] for c in ("section", "language", "extra", "text")]
    texts: dict[str, str] = {}  # for the evidence spans' words
    for part in chunks(doc_ids):
        for r in conn.execute(select(*meta_cols).where(d.c.id.in_(part))):
            metas[r.id] = meta(r)
            texts[r.id] = r.text or ""

    out = []
    for r in rows:
        fields: dict[str, Mention | None] = {"actor1": None, "actor2": None}
        fields.update(date=None, location=None)
        counts: dict[str, Mention] = {}
        quotes: list[Mention] = []
        triggers: list[Mention] = []
        dropped: list[Mention] = []
        for link in links[r.id]:  # ordered by field, then position
            found = mentions[link.mention_id]
            if link.field == "count":
                counts[link.role] = found
            elif link.field == "quote":
                quotes.append(found)
            elif link.field == "trigger":
                triggers.append(found)
            elif link.field == "dropped":
                dropped.append(found)
            else:
                fields[link.field] = found
        # the row's own columns hold the effective values; the machine's, where a
        # review replaced them, are kept with the review
        own = machines.get(r.id) or machine_columns(r, violations[r.id])
        incident = Incident(
            doc_id=r.document_id,
            doc_name=r.doc_name,
            incident_id=r.incident_id,
            event_type=own["event_type"],
            sub_event_type=own["sub_event_type"],
            violations=tuple(own["violations"]),
            actor1=fields["actor1"],
            actor2=fields["actor2"],
            counts=MappingProxyType(counts),
            fatalities=own["fatalities"],
            date=fields["date"],
            location=fields["location"],
            quotes=tuple(quotes),
            triggers=tuple(triggers),
            evidence=tuple(Span(a, b) for a, b in r.evidence),
            evidence_text=tuple(texts[r.document_id][a:b] for a, b in r.evidence),
            confidence=r.confidence,
            stage=r.stage,
            versions=MappingProxyType(dict(r.versions)),
            country=own["doc_country"],
            dropped=tuple(dropped),
            focus=bool(r.focus),
            victims=Victims.from_dict(r.victims) if r.victims else None,
        )
        rev = reviews.get(r.id)
        reviewed = incident.reviewed(rev.values) if rev is not None and rev.values else None
        out.append(
            Record(
                incident=reviewed or incident,
                document_name=r.doc_name,
                meta=metas[r.document_id],
                stored_at=aware(r.stored_at),
                pipeline_version=r.pipeline_version,
                review=rev,
                machine=incident if reviewed is not None else None,
                pk=r.id,
            )
        )
    return out


def machine_columns(row: Any, violations: Sequence[str]) -> dict[str, Any]:
    """An incident row's own columns that no mention keeps (and its violations): what a
    review keeps of the machine's values when it replaces them (``reviews.machine``)."""
    return {
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "fatalities": row.fatalities,
        "doc_country": row.doc_country,
        "violations": list(violations),
    }


#: The incidents columns that hold an incident's effective values (a review's, or the
#: machine's): written again when a review changes (:func:`effective_columns`).
EFFECTIVE_COLUMNS = (
    "event_type",
    "sub_event_type",
    "fatalities",
    "doc_country",
    "date_start",
    "date_end",
    "date_precision",
    "location_name",
    "admin1",
    "admin2",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1_name",
    "actor2_name",
)


def effective_columns(inc: Incident) -> dict[str, Any]:
    """The :data:`EFFECTIVE_COLUMNS` of an incident (with its reviewed values applied),
    from its flat view as :func:`incident_row` makes them."""
    row = incident_row(inc, inc.doc_id, 0, "")
    return {c: row[c] for c in EFFECTIVE_COLUMNS}


def review(row: Any) -> Review:
    return Review(
        state=row.state,
        by=row.reviewed_by,
        at=aware(row.reviewed_at),
        reason=row.reason,
        values=MappingProxyType(dict(row.reviewed or {})),
        flag=row.flag,
        carried_from=row.carried_from,
    )


def run_manifest(conn: Connection, run_id: int) -> dict[str, Any]:
    """The documents a run stored (processed), as a count and one SHA-256 over their
    sorted ``document id:raw SHA-256`` lines: the run's chain-of-custody fingerprint."""
    p, d = s.processings, s.documents
    q = (
        select(d.c.id, d.c.raw_sha256)
        .join(p, p.c.document_id == d.c.id)
        .where(p.c.run_id == run_id)
        .order_by(d.c.id)
    )
    digest = hashlib.sha256()
    n = 0
    for row in conn.execute(q):
        digest.update(f"{row.id}:{row.raw_sha256}\n".encode())
        n += 1
    return {"stored": n, "manifest_sha256": digest.hexdigest()}
