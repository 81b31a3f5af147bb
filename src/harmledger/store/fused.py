"""The fusion tables: stories, fused incidents, their members and a person's decisions.

Queries only: which reports are one event is decided in :mod:`harmledger.fuse`, which
reads reports and writes groups through these functions, inside one transaction it
holds (each function takes the open ``Connection``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from harmledger.errors import LedgerError
from harmledger.model import Disagreement, FlatIncident, FusedIncident, Report
from harmledger.model import words as fw
from harmledger.store import rows as rows_module
from harmledger.store import schema as s
from harmledger.store.filters import Filters, conditions, keeps_violation
from harmledger.store.sql import (
    MIN_PREFIX,
    among,
    by_prefix,
    chunks,
    current_incident,
    id_parts,
    insert_many,
    now,
)

# ---------------------------------------------------------------------- stories


def documents_without_story(conn: Connection, doc_ids: Iterable[str] | None) -> list[str]:
    """Documents (of ``doc_ids``, or all) with no story yet, in the order they arrived."""
    st, d = s.stories, s.documents
    q = select(d.c.id, d.c.first_seen).where(~exists().where(st.c.document_id == d.c.id))
    rows = [r for conds in id_parts(d.c.id, doc_ids, conn) for r in conn.execute(q.where(*conds))]
    return [r.id for r in sorted(rows, key=lambda r: (r.first_seen, r.id))]


def story_signatures(conn: Connection) -> Iterator[Any]:
    """Rows (document_id, signature, story_id) of every document placed in a story."""
    st = s.stories
    yield from conn.execute(select(st.c.document_id, st.c.signature, st.c.story_id))


def texts(conn: Connection, doc_ids: Iterable[str]) -> dict[str, str]:
    """Cleaned text of each document id."""
    out: dict[str, str] = {}
    d = s.documents
    for part in chunks(sorted(set(doc_ids))):
        out.update(
            {
                r.id: r.text
                for r in conn.execute(select(d.c.id, d.c.text).where(among(conn, d.c.id, part)))
            }
        )
    return out


def add_stories(
    conn: Connection, rows: Sequence[dict[str, Any]], bands: Sequence[dict[str, Any]] = ()
) -> None:
    """Rows of ``stories`` (document_id, story_id, similarity, signature, method) and of
    ``story_bands`` (band, seq, document_id)."""
    insert_many(conn, s.stories, rows)
    insert_many(conn, s.story_bands, bands)


def band_hits(conn: Connection, bands: Iterable[int]) -> list[Any]:
    """Rows (band, seq, document_id) of the stored documents with any of the band keys
    ``bands``: the candidate near-duplicates of the documents with those keys."""
    sb = s.story_bands
    out: list[Any] = []
    for part in chunks(sorted(set(bands)), 2000):
        q = select(sb.c.band, sb.c.seq, sb.c.document_id).where(among(conn, sb.c.band, part))
        out += conn.execute(q).all()
    return out


def stories_of(conn: Connection, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """document id -> (its story id, its encoded signature), of those of ``doc_ids``
    placed in a story."""
    st = s.stories
    out: dict[str, tuple[str, str]] = {}
    for part in chunks(sorted(set(doc_ids))):
        q = select(st.c.document_id, st.c.story_id, st.c.signature).where(
            among(conn, st.c.document_id, part)
        )
        out.update((r.document_id, (r.story_id, r.signature)) for r in conn.execute(q))
    return out


#: ``meta`` key: how many documents have been placed in stories (the next one's
#: ``story_bands.seq``).
_STORY_SEQ = "story_seq"


def story_seq(conn: Connection) -> int:
    """The ``seq`` of the next document placed in a story."""
    return int(_meta(conn, _STORY_SEQ) or 0)


def set_story_seq(conn: Connection, value: int) -> None:
    _set_meta(conn, _STORY_SEQ, str(value))


def bands_to_fill(conn: Connection) -> bool:
    """The ledger holds stories stored before schema 9, without their band keys."""
    return _meta(conn, s.BANDS_TO_FILL) is not None


def bands_filled(conn: Connection) -> None:
    conn.execute(delete(s.meta).where(s.meta.c.key == s.BANDS_TO_FILL))


def _meta(conn: Connection, key: str) -> str | None:
    return conn.scalar(select(s.meta.c.value).where(s.meta.c.key == key))


def _set_meta(conn: Connection, key: str, value: str) -> None:
    m = s.meta
    if not conn.execute(update(m).where(m.c.key == key).values(value=value)).rowcount:
        conn.execute(insert(m).values(key=key, value=value))


# ---------------------------------------------------------------------- reports


#: the incidents columns a Report is made from
_REPORT_COLUMNS = (
    "id",
    "incident_id",
    "document_id",
    "doc_name",
    "event_type",
    "sub_event_type",
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
    "fatalities",
    "confidence",
    "evidence_start",
)


def fusable() -> ColumnElement[bool]:
    """The incident is one fusion takes: current, and not rejected by a person."""
    r = s.reviews
    rejected = exists().where(r.c.incident_pk == s.incidents.c.id, r.c.state == "rejected")
    return and_(current_incident(), ~rejected)


def load_reports(conn: Connection, *conds: ColumnElement[bool]) -> list[Report]:
    """Current incidents matching ``conds`` that no person rejected, as fusion Reports
    of their effective values (a person's reviewed values where there are some), in
    arrival order."""
    i, d, st = s.incidents, s.documents, s.stories
    q = (
        select(
            *(i.c[name] for name in _REPORT_COLUMNS),
            d.c.publisher,
            d.c.published,
            d.c.url,
            st.c.story_id,
            i.c.words,
            i.c.words_method,
        )
        .join(d, d.c.id == i.c.document_id)
        .outerjoin(st, st.c.document_id == i.c.document_id)
        .where(fusable(), *conds)
        .order_by(d.c.first_seen, i.c.document_id, i.c.evidence_start, i.c.id)
    )
    rows = conn.execute(q).all()
    if not rows:
        return []
    reviewed = _reviewed_flats(conn, [r.id for r in rows])
    pks = [r.id for r in rows]
    violations: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, dict[str, tuple[int | None, int | None]]] = defaultdict(dict)
    place: dict[int, dict[str, Any]] = defaultdict(dict)
    categories: dict[int, dict[str, str | None]] = defaultdict(dict)  # actor1/2 -> category
    v, im, m = s.incident_violations, s.incident_mentions, s.mentions
    for part in chunks(pks, 5000):
        for vr in conn.execute(
            select(v.c.incident_pk, v.c.violation)
            .where(among(conn, v.c.incident_pk, part))
            .order_by(v.c.incident_pk, v.c.position)
        ):
            violations[vr.incident_pk].append(vr.violation)
        for link in conn.execute(
            select(im.c.incident_pk, im.c.field, im.c.role, m.c.value)
            .join(m, m.c.id == im.c.mention_id)
            .where(
                among(conn, im.c.incident_pk, part),
                im.c.field.in_(("count", "location", "actor1", "actor2")),
            )
        ):
            value = link.value or {}
            if link.field == "count":
                counts[link.incident_pk][link.role] = (value.get("min"), value.get("max"))
            elif link.field == "location":
                place[link.incident_pk] = value
            else:
                categories[link.incident_pk][link.field] = value.get("category")
    # the stored fingerprints; those stored without one (an incident a person added)
    # or by other rules are made from their documents
    made = _evidence_words(conn, [r.id for r in rows if r.words_method != fw.NAME])
    out = []
    for r in rows:
        where = place.get(r.id, {})
        flat = reviewed.get(r.id) or FlatIncident(
            incident_id=r.incident_id,
            doc_id=r.document_id,
            doc_name=r.doc_name,
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            violations=tuple(violations.get(r.id, ())),
            date_start=r.date_start,
            date_end=r.date_end,
            date_precision=r.date_precision,
            location_name=r.location_name,
            admin1=r.admin1,
            admin2=r.admin2,
            country=r.country,
            latitude=r.latitude,
            longitude=r.longitude,
            geo_precision=r.geo_precision,
            gazetteer_id=where.get("gazetteer_id"),
            feature=where.get("feature"),
            relation=where.get("relation"),
            actor1=r.actor1_name,
            actor2=r.actor2_name,
            actor1_category=categories.get(r.id, {}).get("actor1"),
            actor2_category=categories.get(r.id, {}).get("actor2"),
            fatalities=r.fatalities,
            killed=counts[r.id].get("killed") if r.id in counts else None,
            counts=MappingProxyType(dict(counts.get(r.id, {}))),
            confidence=r.confidence,
            evidence_start=r.evidence_start,
        )
        story = r.story_id or r.document_id
        out.append(
            Report.of(
                flat,
                story_id=story,
                publisher=r.publisher,
                published=r.published,
                pk=r.id,
                url=r.url,
                words=made[r.id] if r.id in made else tuple(r.words or ()),
            )
        )
    return out


def _evidence_words(conn: Connection, pks: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """incident pk -> the fingerprint of its evidence (:func:`.words.of_evidence`), made
    from its document's text and place mentions a chunk of documents at a time: what
    :func:`fill_words` stores, and fusion reads of an incident stored without it."""
    if not pks:
        return {}
    d, m, i = s.documents, s.mentions, s.incidents
    by_doc: dict[str, list[Any]] = defaultdict(list)
    for some in chunks(sorted(set(pks)), 5000):
        q = select(i.c.id, i.c.document_id, i.c.evidence, i.c.processing_id).where(
            among(conn, i.c.id, some)
        )
        for r in conn.execute(q):
            by_doc[r.document_id].append(r)
    out: dict[int, tuple[int, ...]] = {}
    for part in chunks(sorted(by_doc), 500):
        named: dict[str, list[Any]] = defaultdict(list)
        # ``kind || ''``: look mentions up by their documents, not by the kind's index
        # (which SQLite prefers, reading every place mention of the ledger per chunk)
        q = (
            select(m.c.document_id, m.c.processing_id, m.c.start_char, m.c.value)
            .where(m.c.document_id.in_(part), (m.c.kind + "") == "place")
            .order_by(m.c.id)
        )  # in the order they were stored, as storing reads them
        for pm in conn.execute(q):
            named[pm.document_id].append(pm)
        for doc in conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(part))):
            for r in by_doc[doc.id]:
                out[r.id] = fw.of_evidence(
                    doc.text,
                    [(a, b) for a, b in (r.evidence or ())],
                    (
                        (
                            pm.start_char,
                            (pm.value or {}).get("gazetteer_id"),
                            (pm.value or {}).get("feature"),
                        )
                        for pm in named[doc.id]
                        if pm.processing_id == r.processing_id
                    ),
                )
    return out


def fill_words(conn: Connection) -> int:
    """Store the fingerprint (``words``, ``words_method``) of every incident stored
    without one, or by other rules than :data:`.words.NAME` (a ledger from before
    schema 9), made from its document as fusion made it; returns how many."""
    i = s.incidents
    todo = list(
        conn.scalars(
            select(i.c.id)
            .where(or_(i.c.words_method.is_(None), i.c.words_method != fw.NAME))
            .order_by(i.c.id)
        )
    )
    for part in chunks(todo, 2000):
        made = _evidence_words(conn, part)
        conn.execute(
            update(i)
            .where(i.c.id == bindparam("pk"))
            .values(words=bindparam("fp"), words_method=fw.NAME),
            [{"pk": pk, "fp": list(fp)} for pk, fp in made.items()],
        )
    return len(todo)


def _reviewed_flats(conn: Connection, pks: Sequence[int]) -> dict[int, FlatIncident]:
    """incident pk -> the flat view of its reviewed incident, for those of ``pks`` a
    person edited (their counts, place and actors are reviewed mentions, not in the
    machine's links)."""
    r, i, p = s.reviews, s.incidents, s.processings
    edited: list[int] = []
    for part in chunks(list(pks)):
        q = select(r.c.incident_pk, r.c.reviewed).where(among(conn, r.c.incident_pk, part))
        edited += [x.incident_pk for x in conn.execute(q) if x.reviewed]
    out: dict[int, FlatIncident] = {}
    for part in chunks(edited):
        q = (
            select(i, p.c.stored_at)
            .join(p, p.c.id == i.c.processing_id)
            .where(among(conn, i.c.id, part))
        )
        found: list[Any] = list(conn.execute(q))
        for rec in rows_module.records(conn, found):
            assert rec.pk is not None
            out[rec.pk] = rec.incident.flat()
    return out


def pending_reports(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[Report]:
    """Current incidents (of ``doc_ids``, or all) that belong to no fused incident."""
    i = s.incidents
    return [
        r
        for conds in id_parts(i.c.document_id, doc_ids, conn)
        for r in load_reports(conn, unfused(), *conds)
    ]


def unfused() -> ColumnElement[bool]:
    """The incident belongs to no fused incident. (``NOT EXISTS``, a look-up in the
    members' primary key per incident: a ``NOT IN`` of every member made PostgreSQL hash
    the whole table for each query, a cost that grew with the ledger at every chunk.)"""
    fm = s.fused_members
    return ~exists().where(fm.c.incident_pk == s.incidents.c.id)


def pending_documents(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[str]:
    """Documents (of ``doc_ids``, or all) with a current incident that belongs to no
    fused incident."""
    i = s.incidents
    q = select(i.c.document_id).where(fusable(), unfused())
    return sorted(
        {
            d
            for conds in id_parts(i.c.document_id, doc_ids, conn)
            for d in conn.scalars(q.where(*conds))
        }
    )


def pending_by_chunk(conn: Connection) -> list[list[str]]:
    """The documents with a current incident that belongs to no fused incident, in the
    groups they were stored in (one transaction of one run: the same ``stored_at``),
    the groups in the order they were stored."""
    i, p = s.incidents, s.processings
    q = (
        select(i.c.document_id, p.c.run_id, p.c.stored_at, p.c.id)
        .join(p, p.c.id == i.c.processing_id)
        .where(fusable(), unfused())
    )
    groups: dict[tuple[Any, Any], tuple[int, set[str]]] = {}
    for row in conn.execute(q):
        key = (row.run_id, row.stored_at)
        first, docs = groups.get(key, (row.id, set()))
        docs.add(row.document_id)
        groups[key] = (min(first, row.id), docs)
    return [sorted(docs) for _, docs in sorted(groups.values(), key=lambda g: g[0])]


def count_pending(conn: Connection) -> int:
    """Current incidents that belong to no fused incident (an interrupted run's; rejected
    ones are not counted: they belong to none)."""
    q = select(func.count()).select_from(s.incidents).where(fusable(), unfused())
    return int(conn.scalar(q) or 0)


def reports_by_pk(conn: Connection, pks: Iterable[int]) -> list[Report]:
    out: list[Report] = []
    for part in chunks(sorted(set(pks)), 5000):
        out += load_reports(conn, among(conn, s.incidents.c.id, part))
    return out


def fused_reports(conn: Connection) -> list[Report]:
    """Every current incident that belongs to a fused incident, in arrival order."""
    return load_reports(conn, s.incidents.c.id.in_(select(s.fused_members.c.incident_pk)))


def blocking_rows(conn: Connection) -> list[Any]:
    """What fusion's blocking index reads of every fused current report, in arrival
    order (as :func:`fused_reports` gives them), in two queries of a few columns: rows
    (pk, story_id, event_type, sub_event_type, violations, date_start, date_end,
    date_precision, published, location_name, admin1, country, latitude, longitude,
    geo_precision, feature, relation, edited). ``edited``: a person edited the incident,
    so that its place's kind and relation are in its reviewed mentions, not in these
    columns (read such reports whole)."""
    i, d, st, im, m, fm, r = (
        s.incidents,
        s.documents,
        s.stories,
        s.incident_mentions,
        s.mentions,
        s.fused_members,
        s.reviews,
    )
    fused_now = i.c.id.in_(select(fm.c.incident_pk))
    violations: dict[int, list[str]] = defaultdict(list)
    v = s.incident_violations
    q = (
        select(v.c.incident_pk, v.c.violation)
        .where(v.c.incident_pk.in_(select(fm.c.incident_pk)))
        .order_by(v.c.incident_pk, v.c.position)
    )
    for pk, violation in conn.execute(q):
        violations[pk].append(violation)
    edited = exists().where(r.c.incident_pk == i.c.id, r.c.reviewed.is_not(None))
    q = (
        select(
            i.c.id,
            func.coalesce(st.c.story_id, i.c.document_id),
            i.c.event_type,
            i.c.sub_event_type,
            i.c.date_start,
            i.c.date_end,
            i.c.date_precision,
            d.c.published,
            i.c.location_name,
            i.c.admin1,
            i.c.country,
            i.c.latitude,
            i.c.longitude,
            i.c.geo_precision,
            m.c.value["feature"].as_string(),
            m.c.value["relation"].as_string(),
            edited,
        )
        .join(d, d.c.id == i.c.document_id)
        .outerjoin(st, st.c.document_id == i.c.document_id)
        .outerjoin(im, and_(im.c.incident_pk == i.c.id, im.c.field == "location"))
        .outerjoin(m, m.c.id == im.c.mention_id)
        .where(fusable(), fused_now)
        .order_by(d.c.first_seen, i.c.document_id, i.c.evidence_start, i.c.id)
    )
    none: tuple[str, ...] = ()
    return [
        (row[0], row[1], row[2], row[3], tuple(violations.get(row[0], none)), *row[4:])
        for row in conn.execute(q)
    ]


def current_pks(conn: Connection, pks: Iterable[int]) -> set[int]:
    """Those of the incident rows ``pks`` that fusion takes: current (their document's
    newest processing) and not rejected."""
    i = s.incidents
    out: set[int] = set()
    for part in chunks(sorted(set(pks))):
        out.update(conn.scalars(select(i.c.id).where(among(conn, i.c.id, part), fusable())))
    return out


def in_arrival_order(conn: Connection, reports: Sequence[Report]) -> list[Report]:
    """Reports in the order their documents arrived (as :func:`load_reports` gives them),
    so that a group's first report, which fixes its id, is the same on every path."""
    d = s.documents
    seen: dict[str, Any] = {}
    for part in chunks(sorted({r.doc_id for r in reports})):
        q = select(d.c.id, d.c.first_seen).where(among(conn, d.c.id, part))
        seen.update((row.id, row.first_seen) for row in conn.execute(q))
    return sorted(reports, key=lambda r: (seen.get(r.doc_id), r.doc_id, r.pk or 0))


def current_ids(conn: Connection, incident_ids: Iterable[str]) -> set[str]:
    """Those of ``incident_ids`` that are current (their document's newest processing)."""
    i = s.incidents
    out: set[str] = set()
    for part in chunks(sorted(set(incident_ids))):
        q = select(i.c.incident_id).where(among(conn, i.c.incident_id, part), current_incident())
        out.update(conn.scalars(q))
    return out


# ---------------------------------------------------------------------- generations

#: ``meta`` key: how many times fusion has changed the ledger's groups.
_GENERATION = "fuse_generation"


def generation(conn: Connection) -> int:
    """How many fusion changes the ledger has seen (0 for a ledger never fused)."""
    return int(_meta(conn, _GENERATION) or 0)


def change_mark(conn: Connection) -> tuple[Any, ...]:
    """A value that changes when what the ledger shows changes: the newest audit entry
    (every review, mark, merge, split, run...), processing and incident rows, and
    fusion's generation. Four index lookups: for caches of what the ledger shows."""
    m = s.meta
    q = select(
        select(func.max(s.audit_log.c.id)).scalar_subquery(),
        select(func.max(s.processings.c.id)).scalar_subquery(),
        select(func.max(s.incidents.c.id)).scalar_subquery(),
        select(m.c.value).where(m.c.key == _GENERATION).scalar_subquery(),
    )
    return tuple(conn.execute(q).one())


def fused_of(conn: Connection, pk: int) -> tuple[str, int] | None:
    """(fused id, its number of reports) of the fused incident incident row ``pk``
    belongs to; None if none."""
    fm, fi = s.fused_members, s.fused_incidents
    row = conn.execute(
        select(fi.c.id, fi.c.reports)
        .join(fm, fm.c.fused_id == fi.c.id)
        .where(fm.c.incident_pk == pk)
    ).first()
    return None if row is None else (row.id, int(row.reports))


def set_generation(conn: Connection, value: int) -> None:
    _set_meta(conn, _GENERATION, str(value))


# ---------------------------------------------------------------------- groups


def fused_ids(conn: Connection) -> list[str]:
    return list(conn.scalars(select(s.fused_incidents.c.id)))


def groups_of(conn: Connection, pks: Sequence[int]) -> dict[str, list[int]]:
    """fused id -> every member pk, for the groups any of ``pks`` belongs to."""
    fm = s.fused_members
    ids: set[str] = set()
    for some in chunks(list(pks)):
        ids.update(conn.scalars(select(fm.c.fused_id).where(among(conn, fm.c.incident_pk, some))))
    out: dict[str, list[int]] = defaultdict(list)
    for part in chunks(sorted(ids)):
        q = select(fm.c.fused_id, fm.c.incident_pk).where(among(conn, fm.c.fused_id, part))
        for r in conn.execute(q.order_by(fm.c.fused_id, fm.c.position)):
            out[r.fused_id].append(r.incident_pk)
    return dict(out)


def detach_stale(conn: Connection, doc_ids: Iterable[str] | None) -> list[str]:
    """Detach the groups that hold incidents no longer current (their document was
    re-processed); returns those groups' ids. Their current reports become pending."""
    i, fm = s.incidents, s.fused_members
    q = select(fm.c.fused_id).join(i, i.c.id == fm.c.incident_pk).where(~current_incident())
    touched = sorted(
        {
            f
            for conds in id_parts(i.c.document_id, doc_ids, conn)
            for f in conn.scalars(q.where(*conds))
        }
    )
    for part in chunks(touched):
        conn.execute(delete(fm).where(among(conn, fm.c.fused_id, part)))
    return touched


def detach(conn: Connection, pks: Iterable[int]) -> list[str]:
    """Detach the groups that hold any of the incident rows ``pks`` (a person changed
    what fusion compares, or rejected one); returns those groups' ids. Their reports
    become pending."""
    fm = s.fused_members
    touched: set[str] = set()
    for part in chunks(sorted(set(pks))):
        touched.update(
            conn.scalars(select(fm.c.fused_id).where(among(conn, fm.c.incident_pk, part)))
        )
    for ids in chunks(sorted(touched)):
        conn.execute(delete(fm).where(among(conn, fm.c.fused_id, ids)))
    return sorted(touched)


def replace_fused(
    conn: Connection, gone: Iterable[str], made: Sequence[tuple[FusedIncident, Sequence[Report]]]
) -> None:
    """Delete the fused incidents ``gone`` and store ``made``: each fused incident with
    its member reports, in order (the first fixes the group's place in lists)."""
    fm, fi = s.fused_members, s.fused_incidents
    for part in chunks(sorted(set(gone))):
        conn.execute(delete(fm).where(among(conn, fm.c.fused_id, part)))
        conn.execute(delete(fi).where(among(conn, fi.c.id, part)))
    stamp = now()
    rows = [_fused_row(f, first_pk=reps[0].pk or 0, now=stamp) for f, reps in made]
    members = [
        {"incident_pk": r.pk, "fused_id": f.fused_id, "position": n}
        for f, reps in made
        for n, r in enumerate(reps)
    ]
    insert_many(conn, fi, rows)
    insert_many(conn, fm, members)


def _fused_row(f: FusedIncident, *, first_pk: int, now: datetime) -> dict[str, Any]:
    return {
        "id": f.fused_id,
        "event_type": f.event_type,
        "sub_event_type": f.sub_event_type,
        "violations": list(f.violations),
        "date_start": f.date_start,
        "date_end": f.date_end,
        "date_precision": f.date_precision,
        "location_name": f.location_name,
        "admin1": f.admin1,
        "country": f.country,
        "latitude": f.latitude,
        "longitude": f.longitude,
        "geo_precision": f.geo_precision,
        "actor1_name": f.actor1,
        "actor2_name": f.actor2,
        "fatalities": f.fatalities,
        "killed_min": f.killed_min,
        "killed_max": f.killed_max,
        "counts": {k: list(v) for k, v in f.counts.items()},
        "sources": f.sources,
        "reports": len(f.reports),
        "disagreements": [d.to_dict() for d in f.disagreements],
        "reason": f.reason,
        "confidence": f.confidence,
        "manual": f.manual,
        "version": f.version,
        "first_pk": first_pk,
        "updated": now,
    }


# ---------------------------------------------------------------------- decisions


def decisions(conn: Connection) -> list[Row[Any]]:
    """Every merge and split a person made, oldest first."""
    fd = s.fusion_decisions
    return list(conn.execute(select(fd).order_by(fd.c.id)))


def add_decision(
    conn: Connection,
    action: str,
    incident_ids: Sequence[str],
    others: Sequence[str],
    *,
    note: str | None,
    made_by: str | None,
) -> None:
    conn.execute(
        insert(s.fusion_decisions).values(
            action=action,
            incident_ids=list(incident_ids),
            others=list(others),
            note=note,
            made_by=made_by,
            made_at=now(),
        )
    )


def resolve(conn: Connection, ident: str, *, fused_only: bool = False) -> tuple[str, int | None]:
    """(fused id, incident pk or None) for a fused id or an incident id (or prefix)."""
    fi, fm, i = s.fused_incidents, s.fused_members, s.incidents
    found = by_prefix(conn, fi.c.id, ident, what="fused incident")
    if found:
        return found, None
    if not fused_only:
        inc = by_prefix(conn, i.c.incident_id, ident, current_incident(), what="incident")
        if inc:
            row = conn.execute(
                select(fm.c.fused_id, i.c.id)
                .join(fm, fm.c.incident_pk == i.c.id)
                .where(i.c.incident_id == inc, current_incident())
            ).first()
            if row is None:
                raise LedgerError(f"incident {inc} is not fused yet; run `harmledger fuse` first")
            return row.fused_id, row.id
    what = "fused incident" if fused_only else "fused incident or incident"
    raise LedgerError(f"no {what} '{ident}' in the ledger")


def member_reports(conn: Connection, fused_id: str) -> list[Report]:
    fm = s.fused_members
    pks = select(fm.c.incident_pk).where(fm.c.fused_id == fused_id)
    return load_reports(conn, s.incidents.c.id.in_(pks))


def member(members: Sequence[Report], ident: str) -> Report:
    """The one report of ``members`` with this incident id (or unique prefix)."""
    hits = [r for r in members if r.incident_id == ident]
    if not hits and len(ident) >= MIN_PREFIX:
        hits = [r for r in members if r.incident_id.startswith(ident)]
    if len(hits) != 1:
        names = ", ".join(r.incident_id for r in members)
        raise LedgerError(f"'{ident}' is not one of this fused incident's reports ({names})")
    return hits[0]


# ---------------------------------------------------------------------- reading


def fused(conn: Connection, filters: Filters) -> list[FusedIncident]:
    """Stored fused incidents matching ``filters``, in order of their first report."""
    f = s.fused_incidents
    q = select(f).where(*conditions(filters, f)).order_by(f.c.first_pk)
    rows = [r for r in conn.execute(q) if keeps_violation(filters, r.violations)]
    return read_fused(conn, rows[: filters.limit] if filters.limit is not None else rows)


def read_fused(conn: Connection, rows: Sequence[Any]) -> list[FusedIncident]:
    """Rebuild FusedIncidents (with their reports) from ``fused_incidents`` rows."""
    if not rows:
        return []
    fm = s.fused_members
    order: dict[int, tuple[str, int]] = {}
    for part in chunks([r.id for r in rows]):
        for m in conn.execute(select(fm).where(among(conn, fm.c.fused_id, part))):
            order[m.incident_pk] = (m.fused_id, m.position)
    reports: dict[str, list[tuple[int, Report]]] = defaultdict(list)
    for rep in reports_by_pk(conn, order):
        assert rep.pk is not None
        fid, pos = order[rep.pk]
        reports[fid].append((pos, rep))
    out = []
    for r in rows:
        reps = tuple(rep for _, rep in sorted(reports.get(r.id, []), key=lambda t: t[0]))
        out.append(
            FusedIncident(
                fused_id=r.id,
                event_type=r.event_type,
                sub_event_type=r.sub_event_type,
                violations=tuple(r.violations),
                date_start=r.date_start,
                date_end=r.date_end,
                date_precision=r.date_precision,
                location_name=r.location_name,
                admin1=r.admin1,
                country=r.country,
                latitude=r.latitude,
                longitude=r.longitude,
                geo_precision=r.geo_precision,
                actor1=r.actor1_name,
                actor2=r.actor2_name,
                fatalities=r.fatalities,
                killed_min=r.killed_min,
                killed_max=r.killed_max,
                counts=MappingProxyType({k: tuple(v) for k, v in r.counts.items()}),
                sources=r.sources,
                reports=reps,
                disagreements=tuple(
                    Disagreement(
                        d["field"],
                        tuple((v["value"], tuple(v["incidents"])) for v in d["values"]),
                    )
                    for d in r.disagreements
                ),
                reason=r.reason,
                confidence=r.confidence,
                manual=r.manual,
                version=r.version,
            )
        )
    return out


def one_fused(conn: Connection, ident: str) -> FusedIncident | None:
    """The fused incident with this id, or the one an incident (id) belongs to; unique
    prefixes of 6+ characters work for both. None if there is none (or not fused yet)."""
    try:
        fused_id, _ = resolve(conn, ident)
    except LedgerError as exc:
        if "no fused incident" in str(exc) or "not fused yet" in str(exc):
            return None
        raise
    rows = conn.execute(select(s.fused_incidents).where(s.fused_incidents.c.id == fused_id)).all()
    return read_fused(conn, rows)[0]


def evidence_of(conn: Connection, pks: Iterable[int]) -> dict[int, tuple[str, list[list[int]]]]:
    """incident pk -> (document id, evidence spans)."""
    i = s.incidents
    out: dict[int, tuple[str, list[list[int]]]] = {}
    for part in chunks(sorted(set(pks))):
        q = select(i.c.id, i.c.document_id, i.c.evidence).where(among(conn, i.c.id, part))
        out.update({r.id: (r.document_id, r.evidence) for r in conn.execute(q)})
    return out
