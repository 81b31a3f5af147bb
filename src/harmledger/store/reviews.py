"""The review tables: reviews (a layer over the machine's values), protected marks, the
review queue's query and what protection is made from. Queries only: the rules (what a
review may change, which incident a review moves to, the queue's order, what is
protected) are in :mod:`harmledger.review` and :mod:`harmledger.privacy`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    union,
    update,
)

from harmledger.model import Incident, Mention, Review, Span, mention_from_dict
from harmledger.store import rows
from harmledger.store import schema as s
from harmledger.store.filters import NO_FILTERS, Filters, conditions, named
from harmledger.store.sql import chunks, current_incident, now

# ---------------------------------------------------------------------- reviews


@dataclass(frozen=True, slots=True)
class Target:
    """A stored incident a review is about."""

    pk: int
    incident_id: str
    document_id: str
    processing_id: int
    current: bool


def target(conn: Connection, ident: str | int) -> Target | None:
    """The current stored incident with this id (or row number); None if none."""
    i = s.incidents
    q = select(i.c.id, i.c.incident_id, i.c.document_id, i.c.processing_id)
    q = q.where(i.c.id == ident) if isinstance(ident, int) else q.where(i.c.incident_id == ident)
    row = conn.execute(q.order_by(i.c.processing_id.desc()).limit(1)).first()
    if row is None:
        return None
    is_current = conn.scalar(select(func.count()).where(i.c.id == row.id, current_incident()))
    return Target(row.id, row.incident_id, row.document_id, row.processing_id, bool(is_current))


def review_of(conn: Connection, pk: int) -> Review | None:
    row = conn.execute(select(s.reviews).where(s.reviews.c.incident_pk == pk)).first()
    return None if row is None else rows.review(row)


def put_review(
    conn: Connection,
    t: Target,
    *,
    state: str,
    by: str,
    reason: str | None = None,
    values: Mapping[str, Any] | None = None,
    flag: str | None = None,
    carried_from: str | None = None,
) -> None:
    """Set the review of ``t`` (replacing any earlier one), and write the incident's
    effective values into its row (:func:`settle`)."""
    r = s.reviews
    kept = conn.scalar(select(r.c.machine).where(r.c.incident_pk == t.pk))
    if kept is None:  # the row's columns are still the machine's own
        kept = _machine_now(conn, t.pk)
    conn.execute(delete(r).where(r.c.incident_pk == t.pk))
    conn.execute(
        insert(r).values(
            incident_pk=t.pk,
            incident_id=t.incident_id,
            document_id=t.document_id,
            state=state,
            reason=reason,
            reviewed=dict(values or {}),
            reviewed_by=by,
            reviewed_at=now(),
            flag=flag,
            carried_from=carried_from,
            machine=kept,
        )
    )
    settle(conn, t.pk)


def _machine_now(conn: Connection, pk: int) -> dict[str, Any]:
    i, v = s.incidents, s.incident_violations
    row = conn.execute(select(i).where(i.c.id == pk)).one()
    found = conn.scalars(
        select(v.c.violation).where(v.c.incident_pk == pk).order_by(v.c.position)
    ).all()
    return rows.machine_columns(row, found)


def settle(conn: Connection, pk: int) -> None:
    """Write the incident's effective values (its reviewed values where a person set
    them, else the machine's) into its ``incidents`` columns and its violations, so that
    the filters, the map, the timeline and fusion read what a person corrected. The
    machine's mentions stay; the machine's own columns are kept in ``reviews.machine``."""
    record = rows.records(conn, by_pks(conn, [pk]))[0]
    inc = record.incident
    values = rows.effective_columns(inc)
    conn.execute(update(s.incidents).where(s.incidents.c.id == pk).values(values))
    v = s.incident_violations
    conn.execute(delete(v).where(v.c.incident_pk == pk))
    if inc.violations:
        conn.execute(
            insert(v),
            [
                {"incident_pk": pk, "position": n, "violation": x}
                for n, x in enumerate(inc.violations)
            ],
        )
    rows.remember_names(conn, [values])


def settle_all(conn: Connection) -> list[int]:
    """Keep the machine's own columns and write the effective values of every review
    made before schema 6 (whose ``machine`` is empty); returns the incident rows."""
    r = s.reviews
    pks = list(conn.scalars(select(r.c.incident_pk).where(r.c.machine.is_(None))))
    for pk in pks:
        conn.execute(update(r).where(r.c.incident_pk == pk).values(machine=_machine_now(conn, pk)))
        settle(conn, pk)
    return pks


def set_flag(conn: Connection, pk: int, flag: str | None) -> None:
    r = s.reviews
    conn.execute(r.update().where(r.c.incident_pk == pk).values(flag=flag))


def document_reviews(conn: Connection, document_id: str) -> list[tuple[Target, Review]]:
    """Every review of the document's incidents (of any processing), oldest row first."""
    r, i = s.reviews, s.incidents
    q = (
        select(r, i.c.processing_id)
        .join(i, i.c.id == r.c.incident_pk)
        .where(r.c.document_id == document_id)
        .order_by(r.c.incident_pk)
    )
    newest = conn.scalar(
        select(func.max(s.processings.c.id)).where(s.processings.c.document_id == document_id)
    )
    out = []
    for row in conn.execute(q):
        t = Target(
            row.incident_pk,
            row.incident_id,
            row.document_id,
            row.processing_id,
            row.processing_id == newest,
        )
        out.append((t, rows.review(row)))
    return out


def reviewed_documents(conn: Connection, document_ids: Iterable[str]) -> set[str]:
    """Those of ``document_ids`` with a review of any of their incidents."""
    r = s.reviews
    out: set[str] = set()
    for part in chunks(sorted(set(document_ids))):
        out.update(
            conn.scalars(select(r.c.document_id).where(r.c.document_id.in_(part)).distinct())
        )
    return out


def orphaned(conn: Connection, limit: int = 100) -> list[tuple[str, str, str]]:
    """(incident id, document id, reviewed by) of reviews flagged ``orphaned``."""
    r = s.reviews
    q = select(r.c.incident_id, r.c.document_id, r.c.reviewed_by).where(r.c.flag == "orphaned")
    return [(x.incident_id, x.document_id, x.reviewed_by) for x in conn.execute(q.limit(limit))]


def counts(conn: Connection) -> dict[str, int]:
    """Current incidents by review state (pending: no review yet)."""
    i, r = s.incidents, s.reviews
    q = (
        select(r.c.state, func.count())
        .select_from(i.outerjoin(r, r.c.incident_pk == i.c.id))
        .where(current_incident())
        .group_by(r.c.state)
    )
    out = {"pending": 0, "accepted": 0, "edited": 0, "rejected": 0}
    for state, n in conn.execute(q):
        out[state or "pending"] += int(n)
    out["orphaned"] = int(
        conn.scalar(select(func.count()).select_from(r).where(r.c.flag == "orphaned")) or 0
    )
    return out


def fused_states(conn: Connection, fused_ids: Iterable[str]) -> dict[str, list[str]]:
    """fused id -> the review state of each of its reports (``pending`` if none)."""
    fm, r = s.fused_members, s.reviews
    out: dict[str, list[str]] = defaultdict(list)
    for part in chunks(sorted(set(fused_ids))):
        q = (
            select(fm.c.fused_id, func.coalesce(r.c.state, "pending"))
            .select_from(fm.outerjoin(r, r.c.incident_pk == fm.c.incident_pk))
            .where(fm.c.fused_id.in_(part))
        )
        for fid, state in conn.execute(q):
            out[fid].append(state)
    return dict(out)


# ---------------------------------------------------------------------- the queue

#: Tiers the queue can be cut into (most needy first); :mod:`harmledger.review.queue`
#: chooses which and in what order. Within a tier, the least confident come first.
QUEUE_TIERS = ("disagreements", "violations", "rest")
#: Counts above this are given as this (a list says "1,000+"): counting every row of a
#: big ledger costs more than a page.
COUNT_CAP = 1000


def _disagreeing() -> ColumnElement[bool]:
    """The incident's fused incident has reports that disagree."""
    i, fm, fi = s.incidents, s.fused_members, s.fused_incidents
    return exists().where(
        fm.c.incident_pk == i.c.id,
        fi.c.id == fm.c.fused_id,
        fi.c.reports > 1,
        cast(fi.c.disagreements, Text) != "[]",
    )


def _violating() -> ColumnElement[bool]:
    v = s.incident_violations
    return exists().where(v.c.incident_pk == s.incidents.c.id)


def _tier(name: str, before: Sequence[str]) -> list[ColumnElement[bool]]:
    """The conditions of tier ``name``, given the tiers ``before`` it."""
    measures = {"disagreements": _disagreeing, "violations": _violating}
    if name not in QUEUE_TIERS:
        raise ValueError(f"unknown queue tier {name!r}; one of {QUEUE_TIERS}")
    conds = [~measures[b]() for b in before if b in measures]
    if name in measures:
        conds.append(measures[name]())
    return conds


def _waiting() -> ColumnElement[bool]:
    i, r = s.incidents, s.reviews
    return ~exists().where(r.c.incident_pk == i.c.id, r.c.state != "pending")


def queue(
    conn: Connection,
    tiers: Sequence[str],
    *,
    filters: Filters = NO_FILTERS,
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[int, str]]:
    """(row, incident id) of current incidents waiting for review: those of each tier in
    turn (``tiers``, then every other), least confident first within a tier. One query
    per tier, each walking the confidence index until it has enough rows."""
    i = s.incidents
    out: list[tuple[int, str]] = []
    skip = offset
    names = [*tiers, "rest"] if "rest" not in tiers else list(tiers)
    for k, name in enumerate(names):
        want = limit - len(out)
        if want <= 0:
            break
        base = select(i.c.id, i.c.incident_id).where(
            _waiting(), *conditions(filters), *_tier(name, names[:k])
        )
        if skip:
            n = int(
                conn.scalar(select(func.count()).select_from(base.limit(skip + 1).subquery())) or 0
            )
            if n <= skip:  # this whole tier is before the page
                skip -= n
                continue
        q = base.order_by(i.c.confidence, i.c.id).offset(skip).limit(want)
        out += [(row.id, row.incident_id) for row in conn.execute(q)]
        skip = 0
    return out


def waiting_count(conn: Connection, *, cap: int = COUNT_CAP) -> int:
    """How many current incidents wait for review, up to ``cap`` (then ``cap``)."""
    i = s.incidents
    q = select(i.c.id).where(current_incident(), _waiting()).limit(cap)
    return int(conn.scalar(select(func.count()).select_from(q.subquery())) or 0)


# ---------------------------------------------------------------------- lists


def page(
    conn: Connection, filters: Filters, *, limit: int, offset: int, cap: int = COUNT_CAP
) -> tuple[list[int], int]:
    """(rows of one page, total up to ``cap``: then ``cap``) of current incidents
    matching ``filters``, newest event first (undated last): the date index drives it."""
    if offset + limit <= cap:  # one scan gives the page and the (capped) total
        found = first_rows(conn, filters, cap)
        return found[offset : offset + limit], len(found)
    i = s.incidents
    q = (
        select(i.c.id)
        .where(*conditions(filters))
        .order_by(i.c.date_start.desc().nulls_last(), i.c.id.desc())
    )
    deep = list(conn.scalars(q.limit(limit).offset(offset)))
    return deep, max(cap, offset + len(deep))


def first_rows(conn: Connection, filters: Filters, n: int) -> list[int]:
    """The first ``n`` rows matching ``filters``, newest event first, undated last. With
    an ``until``, the dated rows are one search of the date index bounded by it (a scan
    from the newest row would walk every later one), then the undated follow."""
    i = s.incidents
    conds = conditions(filters)
    if filters.place:
        by_place = _first_by_place(conn, filters, n)
        if by_place is not None:
            return by_place
        # a common place: walk the date index and test each row's names (written so
        # that no place index is used: sorting every row of a common place costs more)
        names = named("place", filters.place)
        walked = or_(*(func.coalesce(i.c[c], "").in_(names) for c in s.NAME_COLUMNS["place"]))
        conds = [*conditions(replace(filters, place=None)), walked]
    newest_first = (i.c.date_start.desc(), i.c.id.desc())
    if filters.until is None:
        q = select(i.c.id).where(*conds).order_by(i.c.date_start.desc().nulls_last(), i.c.id.desc())
        return list(conn.scalars(q.limit(n)))
    dated = select(i.c.id).where(*conds, i.c.date_start <= filters.until)
    found = list(conn.scalars(dated.order_by(*newest_first).limit(n)))
    if len(found) < n:
        undated = select(i.c.id).where(*conds, i.c.date_start.is_(None))
        found += conn.scalars(undated.order_by(i.c.id.desc()).limit(n - len(found)))
    return found


#: A place held by more current incidents than this many times a page's rows is found
#: faster by walking the date index (its rows come soon) than by sorting them all.
_PLACE_SORT_LIMIT = 10
#: At most this many names a place matched are looked up one by one in the indexes.
_PLACE_NAMES = 500


def _first_by_place(conn: Connection, filters: Filters, n: int) -> list[int] | None:
    """:func:`first_rows` with a place: one search per place column of its index (the
    column, the current flag, the date) for the names the place matched, with the other
    filters; the union, newest first. Without other filters no row is read. None when
    the place is too common for that, or its words in too many names (the caller walks
    the date index)."""
    i = s.incidents
    names = list(conn.scalars(named("place", filters.place or "").limit(_PLACE_NAMES + 1)))
    if len(names) > _PLACE_NAMES:  # a few letters that many names hold
        return None
    bound = _PLACE_SORT_LIMIT * max(n, 1)
    held = 0
    for c in s.NAME_COLUMNS["place"]:
        some = select(i.c.id).where(i.c[c].in_(names), current_incident()).limit(bound + 1)
        held += int(conn.scalar(select(func.count()).select_from(some.subquery())) or 0)
        if held > bound:
            return None
    rest = conditions(replace(filters, place=None))
    arms = [
        select(i.c.id, i.c.date_start).where(i.c[c].in_(names), *rest)
        for c in s.NAME_COLUMNS["place"]
    ]
    found = union(*arms).subquery()
    q = select(found.c.id).order_by(found.c.date_start.desc().nulls_last(), found.c.id.desc())
    return list(conn.scalars(q.limit(n)))


def by_pks(conn: Connection, pks: Sequence[int]) -> list[Any]:
    """Incident rows (with ``stored_at``) for :func:`rows.records`, in the order given."""
    i, p = s.incidents, s.processings
    found: dict[int, Any] = {}
    for part in chunks(list(pks)):
        q = select(i, p.c.stored_at).join(p, p.c.id == i.c.processing_id).where(i.c.id.in_(part))
        found.update({row.id: row for row in conn.execute(q)})
    return [found[pk] for pk in pks if pk in found]


def points(conn: Connection, filters: Filters, *, limit: int = 20000) -> list[Any]:
    """(row, incident id, latitude, longitude, date, killed, place, type) of current
    incidents with coordinates that match ``filters`` (for the map), newest first."""
    i = s.incidents
    q = (
        select(
            i.c.id,
            i.c.incident_id,
            i.c.latitude,
            i.c.longitude,
            i.c.date_start,
            i.c.fatalities,
            i.c.location_name,
            i.c.event_type,
        )
        .where(i.c.latitude.is_not(None), i.c.longitude.is_not(None), *conditions(filters))
        .order_by(i.c.date_start.desc().nulls_last(), i.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(q))


def weeks(conn: Connection, filters: Filters) -> list[tuple[Any, int, int]]:
    """(date_start, incidents, killed) per day of current incidents matching ``filters``
    (dated ones); the caller groups days into weeks."""
    i = s.incidents
    q = (
        select(i.c.date_start, func.count(), func.coalesce(func.sum(i.c.fatalities), 0))
        .where(i.c.date_start.is_not(None), *conditions(filters))
        .group_by(i.c.date_start)
        .order_by(i.c.date_start)
    )
    return [(row[0], int(row[1]), int(row[2])) for row in conn.execute(q)]


# ---------------------------------------------------------------------- protection


@dataclass(frozen=True, slots=True)
class Sources:
    """What a document's protection is made from."""

    text: str
    sentences: tuple[Span, ...]
    quotes: tuple[Mention[Any], ...]
    marks: tuple[tuple[Span, str], ...]
    #: the protected names of the victims its current incidents give
    names: tuple[tuple[Span, str], ...] = ()


def protection_sources(conn: Connection, doc_ids: Iterable[str]) -> dict[str, Sources]:
    """document id -> its text, sentences, every quote (the machine's, of its newest
    processing, and those people reviewed), the marks people made, and the names of
    victims its current incidents give (protected by default)."""
    ids = sorted(set(doc_ids))
    d, p, m, pm = s.documents, s.processings, s.mentions, s.protected_marks
    texts: dict[str, str] = {}
    sentences: dict[str, tuple[Span, ...]] = {}
    quotes: dict[str, list[Mention[Any]]] = defaultdict(list)
    marks: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    names: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for part in chunks(ids):
        newest = (
            select(p.c.document_id, func.max(p.c.id).label("pid"))
            .where(p.c.document_id.in_(part))
            .group_by(p.c.document_id)
        ).subquery()
        for row in conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(part))):
            texts[row.id] = row.text
        for row in conn.execute(
            select(p.c.document_id, p.c.sentences)
            .join(newest, newest.c.pid == p.c.id)
            .where(p.c.document_id.in_(part))
        ):
            sentences[row.document_id] = tuple(Span(a, b) for a, b in row.sentences)
        for row in conn.execute(
            select(m)
            .join(newest, newest.c.pid == m.c.processing_id)
            .where(m.c.document_id.in_(part), m.c.kind == "quote")
        ):
            quotes[row.document_id].append(rows.mention(row))
        for row in conn.execute(select(pm).where(pm.c.document_id.in_(part))):
            marks[row.document_id].append((Span(row.start_char, row.end_char), row.text))
        i = s.incidents
        for row in conn.execute(
            select(i.c.document_id, i.c.victims).where(
                i.c.document_id.in_(part), i.c.current.is_(True), i.c.victims.is_not(None)
            )
        ):
            for name in (row.victims or {}).get("names") or ():
                if name.get("protected", True):  # a victim's name: protected by default
                    span = Span(name["start"], name["end"])
                    names[row.document_id].append((span, name["text"]))
        rv = s.reviews
        for row in conn.execute(
            select(rv.c.document_id, rv.c.reviewed).where(rv.c.document_id.in_(part))
        ):
            for q in (row.reviewed or {}).get("quotes") or []:
                quotes[row.document_id].append(mention_from_dict(q))
    return {
        doc: Sources(
            texts[doc],
            sentences.get(doc, ()),
            tuple(quotes[doc]),
            tuple(marks[doc]),
            tuple(sorted(set(names[doc]))),
        )
        for doc in ids
        if doc in texts
    }


def add_mark(conn: Connection, document_id: str, span: Span, text: str, kind: str, by: str) -> int:
    pm = s.protected_marks
    mark_id = conn.scalar(
        insert(pm)
        .values(
            document_id=document_id,
            start_char=span.start,
            end_char=span.end,
            text=text,
            kind=kind,
            made_by=by,
            made_at=now(),
        )
        .returning(pm.c.id)
    )
    assert mark_id is not None
    return int(mark_id)


def marks(conn: Connection, document_id: str) -> list[dict[str, Any]]:
    pm = s.protected_marks
    q = select(pm).where(pm.c.document_id == document_id).order_by(pm.c.start_char)
    return [dict(r._mapping) for r in conn.execute(q)]


# ---------------------------------------------------------------------- added incidents


def newest_processing(conn: Connection, document_id: str) -> tuple[int, str] | None:
    p = s.processings
    row = conn.execute(
        select(p.c.id, p.c.pipeline_version)
        .where(p.c.document_id == document_id)
        .order_by(p.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row.id, row.pipeline_version)


def add_incident(conn: Connection, incident: Incident, processing_id: int, version: str) -> int:
    """Store an incident a person made (its mentions too) under a processing; its row."""
    ms = list(incident.mentions)
    ids: dict[Mention[Any], int] = {}
    if ms:
        got = conn.scalars(
            insert(s.mentions).returning(s.mentions.c.id, sort_by_parameter_order=True),
            [rows.mention_row(m, incident.doc_id, processing_id) for m in ms],
        ).all()
        ids = dict(zip(ms, got, strict=True))
    row = rows.incident_row(incident, incident.doc_id, processing_id, version)
    pk = conn.scalar(insert(s.incidents).values(row).returning(s.incidents.c.id))
    assert pk is not None
    rows.remember_names(conn, [row])
    if incident.violations:
        conn.execute(
            insert(s.incident_violations),
            [
                {"incident_pk": pk, "position": n, "violation": v}
                for n, v in enumerate(incident.violations)
            ],
        )
    links = [
        {"incident_pk": pk, "field": f, "position": pos, "role": role, "mention_id": ids[m]}
        for f, pos, role, m in rows.field_links(incident)
    ]
    if links:
        conn.execute(insert(s.incident_mentions), links)
    return int(pk)


def incidents_of(conn: Connection, processing_id: int) -> list[Any]:
    """Incident rows (with ``stored_at``) of one processing."""
    i, p = s.incidents, s.processings
    q = (
        select(i, p.c.stored_at)
        .join(p, p.c.id == i.c.processing_id)
        .where(i.c.processing_id == processing_id)
        .order_by(i.c.id)
    )
    return list(conn.execute(q))


def previous_processing(conn: Connection, document_id: str, before: int) -> int | None:
    p = s.processings
    return conn.scalar(
        select(func.max(p.c.id)).where(p.c.document_id == document_id, p.c.id < before)
    )


def reviewed_pks(conn: Connection, pks: Sequence[int]) -> set[int]:
    r = s.reviews
    out: set[int] = set()
    for part in chunks(list(pks)):
        out.update(conn.scalars(select(r.c.incident_pk).where(r.c.incident_pk.in_(part))))
    return out
