"""Fusion in the ledger: which stored reports are one event, kept up to date.

Every current incident (the newest processing of each document) belongs to exactly one
fused incident, most to a group of one. Three ways to change the groups, all here and
all used through :class:`~harmledger.store.ledger.Ledger`:

* :func:`fuse_pending` — as documents arrive (``harmledger run``): the new reports and
  their neighbourhood (reports within the date window, with their whole groups) are
  re-clustered with the existing groups held together, so a new report joins an existing
  incident, starts a new one, or (rarely) shows that two groups are one event.
* :func:`fuse_all` — ``harmledger fuse``: every group recomputed from scratch
  (``undo=True``: every report on its own again, but for a person's merges).
* :func:`decide` — ``harmledger merge`` / ``split``: a person's decision is recorded in
  ``fusion_decisions`` and wins over the rules, now and on every later fuse.

The per-report incidents are never changed: fusion only writes ``stories``,
``fused_incidents`` and ``fused_members``.
"""

from __future__ import annotations

import getpass
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
)

from harmledger.errors import LedgerError
from harmledger.fuse import fusion
from harmledger.fuse import neardup as nd
from harmledger.gazetteer import KM_PER_DEGREE
from harmledger.model import Disagreement, FusedIncident, Report
from harmledger.store import schema as s
from harmledger.store.ledger import (
    MIN_PREFIX,
    _chunks,
    _now,
    by_prefix,
    current_incident,
    id_parts,
)


@dataclass(frozen=True, slots=True)
class FuseResult:
    """What a fuse did: reports seen, fused incidents written, of which with 2+ reports."""

    reports: int
    fused: int
    multi: int
    stale_decisions: int = 0


# ---------------------------------------------------------------------- stories


def update_stories(
    conn: Connection,
    index: nd.StoryIndex | None = None,
    doc_ids: Sequence[str] | None = None,
) -> nd.StoryIndex | None:
    """Give every document (of ``doc_ids``, or all) without one its story (near-duplicate
    detection), in the order documents were first seen. The index of stored signatures is
    built only when there is a document to place (and returned, to be reused); else
    ``index`` is returned."""
    st, d = s.stories, s.documents
    q = select(d.c.id, d.c.first_seen).where(~exists().where(st.c.document_id == d.c.id))
    rows = [r for conds in id_parts(d.c.id, doc_ids) for r in conn.execute(q.where(*conds))]
    todo = [r.id for r in sorted(rows, key=lambda r: (r.first_seen, r.id))]
    if not todo:
        return index
    if index is None:
        index = nd.StoryIndex()
        q = select(st.c.document_id, st.c.signature, st.c.story_id)
        for row in conn.execute(q):
            index.add(row.document_id, nd.decode(row.signature), story=row.story_id)
    for part in _chunks(list(todo)):
        texts = dict(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(part))).all())
        rows = []
        for doc_id in part:
            sig = nd.signature(texts[doc_id])
            story, sim = index.place(doc_id, sig)
            rows.append(
                {
                    "document_id": doc_id,
                    "story_id": story,
                    "similarity": round(sim, 4),
                    "signature": nd.encode(sig),
                    "method": nd.NAME,
                }
            )
        conn.execute(insert(st), rows)
    return index


# ---------------------------------------------------------------------- loading reports


def load_reports(conn: Connection, *conds: ColumnElement[bool]) -> list[Report]:
    """Current incidents matching ``conds`` as fusion Reports, in arrival order."""
    i, d, st = s.incidents, s.documents, s.stories
    q = (
        select(
            i.c.id,
            i.c.incident_id,
            i.c.document_id,
            i.c.doc_name,
            i.c.event_type,
            i.c.sub_event_type,
            i.c.date_start,
            i.c.date_end,
            i.c.date_precision,
            i.c.location_name,
            i.c.admin1,
            i.c.admin2,
            i.c.country,
            i.c.latitude,
            i.c.longitude,
            i.c.geo_precision,
            i.c.actor1_name,
            i.c.actor2_name,
            i.c.fatalities,
            i.c.confidence,
            i.c.evidence_start,
            d.c.publisher,
            d.c.published,
            st.c.story_id,
        )
        .join(d, d.c.id == i.c.document_id)
        .outerjoin(st, st.c.document_id == i.c.document_id)
        .where(current_incident(), *conds)
        .order_by(d.c.first_seen, i.c.document_id, i.c.evidence_start, i.c.id)
    )
    rows = conn.execute(q).all()
    if not rows:
        return []
    pks = [r.id for r in rows]
    violations: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, dict[str, tuple[int | None, int | None]]] = defaultdict(dict)
    extra: dict[int, dict[str, Any]] = defaultdict(dict)
    v, im, m = s.incident_violations, s.incident_mentions, s.mentions
    for part in _chunks(pks, 5000):
        for r in conn.execute(
            select(v.c.incident_pk, v.c.violation)
            .where(v.c.incident_pk.in_(part))
            .order_by(v.c.incident_pk, v.c.position)
        ):
            violations[r.incident_pk].append(r.violation)
        for r in conn.execute(
            select(im.c.incident_pk, im.c.field, im.c.role, m.c.value)
            .join(m, m.c.id == im.c.mention_id)
            .where(im.c.incident_pk.in_(part), im.c.field.in_(("count", "location")))
        ):
            value = r.value or {}
            if r.field == "count":
                counts[r.incident_pk][r.role] = (value.get("min"), value.get("max"))
            else:
                extra[r.incident_pk]["gazetteer_id"] = value.get("gazetteer_id")
                extra[r.incident_pk]["feature"] = value.get("feature")
                extra[r.incident_pk]["relation"] = value.get("relation")
    return [
        Report(
            incident_id=r.incident_id,
            doc_id=r.document_id,
            doc_name=r.doc_name,
            story_id=r.story_id or r.document_id,
            publisher=r.publisher,
            published=r.published,
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            violations=tuple(violations.get(r.id, ())),
            date_start=r.date_start,
            date_end=r.date_end,
            date_precision=r.date_precision,
            location_name=r.location_name,
            admin1=r.admin1,
            country=r.country,
            latitude=r.latitude,
            longitude=r.longitude,
            geo_precision=r.geo_precision,
            gazetteer_id=extra[r.id].get("gazetteer_id") if r.id in extra else None,
            actor1=r.actor1_name,
            actor2=r.actor2_name,
            fatalities=r.fatalities,
            killed=counts[r.id].get("killed") if r.id in counts else None,
            counts=MappingProxyType(dict(counts.get(r.id, {}))),
            confidence=r.confidence,
            admin2=r.admin2,
            feature=extra[r.id].get("feature") if r.id in extra else None,
            relation=extra[r.id].get("relation") if r.id in extra else None,
            pk=r.id,
            evidence_start=r.evidence_start,
        )
        for r in rows
    ]


# ---------------------------------------------------------------------- decisions


@dataclass
class _Constraints:
    merged: list[set[str]]  # incident ids a person said are one event
    apart: set[frozenset[str]]  # pairs a person said are not

    @property
    def involved(self) -> set[str]:
        out = {i for g in self.merged for i in g}
        return out | {i for pair in self.apart for i in pair}


def _constraints(conn: Connection) -> _Constraints:
    """The person's decisions, replayed in order: a later decision overrides an earlier."""
    merged: list[set[str]] = []
    apart: set[frozenset[str]] = set()
    fd = s.fusion_decisions
    for row in conn.execute(select(fd).order_by(fd.c.id)):
        ids = set(row.incident_ids)
        if row.action == "merge":
            touched = [g for g in merged if g & ids]
            merged = [g for g in merged if not g & ids]
            merged.append(ids.union(*touched))
            apart = {p for p in apart if not p <= merged[-1]}
        else:  # split: ids leave whatever group they shared with others
            others = set(row.others)
            merged = [g - ids if g & others else g for g in merged]
            merged = [g for g in merged if len(g) > 1]
            if len(ids) > 1 and not ids & others:  # taken out together
                merged.append(ids)
            apart.update(frozenset((a, b)) for a in ids for b in others if a != b)
    return _Constraints(merged, apart)


def _indexed(
    reports: Sequence[Report], c: _Constraints
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """The constraints as report indices (decisions on incidents not among ``reports``,
    or no longer current, are left out)."""
    where = {r.incident_id: n for n, r in enumerate(reports)}
    must = [[where[i] for i in sorted(g) if i in where] for g in c.merged]
    cannot = [
        (where[a], where[b]) for a, b in (tuple(p) for p in c.apart) if a in where and b in where
    ]
    return [g for g in must if len(g) > 1], cannot


def stale_decisions(conn: Connection, c: _Constraints) -> int:
    """Incidents named in decisions ``c`` that are no longer current (their document was
    re-processed by a newer pipeline, which gives its incidents new ids)."""
    ids = c.involved
    current: set[str] = set()
    i = s.incidents
    for part in _chunks(sorted(ids)):
        q = select(i.c.incident_id).where(i.c.incident_id.in_(part), current_incident())
        current.update(conn.scalars(q))
    return len(ids - current)


# ---------------------------------------------------------------------- writing groups


def _write(
    conn: Connection,
    reports: Sequence[Report],
    groups: Iterable[Sequence[int]],
    *,
    replaced: Iterable[str],
    manual_ids: set[str],
) -> list[FusedIncident]:
    """Replace the fused incidents ``replaced`` by ``groups``; returns what it wrote."""
    fm, fi = s.fused_members, s.fused_incidents
    gone = sorted(set(replaced))
    for part in _chunks(gone):
        conn.execute(delete(fm).where(fm.c.fused_id.in_(part)))
        conn.execute(delete(fi).where(fi.c.id.in_(part)))
    now = _now()
    rows, members, made = [], [], []
    for g in groups:
        reps = [reports[n] for n in g]
        manual = any(r.incident_id in manual_ids for r in reps)
        f = fusion.summarise(reps, manual=manual)
        rows.append(_fused_row(f, first_pk=reps[0].pk or 0, now=now))
        members += [
            {"incident_pk": r.pk, "fused_id": f.fused_id, "position": n} for n, r in enumerate(reps)
        ]
        made.append(f)
        if len(rows) >= 2000:
            conn.execute(insert(fi), rows)
            rows = []
    if rows:
        conn.execute(insert(fi), rows)
    for part in _chunks(members, 5000):
        conn.execute(insert(fm), list(part))
    return made


def _multi(made: Sequence[FusedIncident]) -> int:
    return sum(len(f.reports) > 1 for f in made)


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


# ---------------------------------------------------------------------- the three ways


def fuse_all(engine: Engine, *, undo: bool = False) -> FuseResult:
    """Recompute every group (``undo``: every report alone, except a person's merges)."""
    with engine.begin() as conn:
        update_stories(conn)
        reports = load_reports(conn)
        c = _constraints(conn)
        must, cannot = _indexed(reports, c)
        pairs: set[tuple[int, int]] | None = set() if undo else None
        groups = fusion.cluster(reports, pairs=pairs, must_link=must, cannot_link=cannot)
        old = conn.scalars(select(s.fused_incidents.c.id)).all()
        made = _write(conn, reports, groups, replaced=old, manual_ids=c.involved)
        stale = stale_decisions(conn, c)
    return FuseResult(len(reports), len(made), _multi(made), stale)


def fuse_pending(
    engine: Engine, *, doc_ids: Sequence[str] | None = None, index: nd.StoryIndex | None = None
) -> tuple[FuseResult, nd.StoryIndex | None]:
    """Fuse the current incidents that belong to no fused incident yet (of ``doc_ids``,
    or all), with their neighbourhood; drop memberships of incidents no longer current."""
    with engine.begin() as conn:
        i, fm = s.incidents, s.fused_members
        index = update_stories(conn, index, doc_ids)
        dropped = _drop_stale_members(conn, doc_ids)
        if dropped:  # their groups' other reports are pending too, whatever their document
            doc_ids = None
        pending = i.c.id.not_in(select(fm.c.incident_pk))
        new = [
            r
            for conds in id_parts(i.c.document_id, doc_ids)
            for r in load_reports(conn, pending, *conds)
        ]
        if not new and not dropped:
            return FuseResult(0, 0, 0), index
        near = _neighbourhood(conn, new) if new else []
        # Only neighbours that block with a new report matter, with their whole groups
        # (a report joins a group only if it fits every member).
        both = [*near, *new]
        pairs = fusion.candidate_pairs(both, query_from=len(near))
        by_pk = {(both[a].pk, both[b].pk) for a, b in pairs}
        touched = [near[n] for n in {n for pair in pairs for n in pair if n < len(near)}]
        members = _groups_of(conn, [r.pk for r in touched if r.pk is not None])
        have = {r.pk: r for r in [*touched, *new]}
        missing = sorted({pk for pks in members.values() for pk in pks} - set(have))
        for part in _chunks(missing, 5000):
            have.update((r.pk, r) for r in load_reports(conn, i.c.id.in_(part)))
        reports = _in_arrival_order(conn, list(have.values()))
        where = {r.pk: n for n, r in enumerate(reports)}
        held = [[where[pk] for pk in pks if pk in where] for pks in members.values()]
        c = _constraints(conn)
        must, cannot = _indexed(reports, c)
        groups = fusion.cluster(
            reports,
            pairs={(min(where[a], where[b]), max(where[a], where[b])) for a, b in by_pk},
            must_link=held + must,
            cannot_link=cannot,
        )
        # rewrite only the groups that changed
        before = {frozenset(pks): fid for fid, pks in members.items()}
        kept = {before[k] for g in groups if (k := frozenset(reports[n].pk for n in g)) in before}
        changed = [g for g in groups if frozenset(reports[n].pk for n in g) not in before]
        replaced = [*(fid for fid in members if fid not in kept), *dropped]
        made = _write(conn, reports, changed, replaced=replaced, manual_ids=c.involved)
        return FuseResult(len(new), len(made), _multi(made)), index


def _in_arrival_order(conn: Connection, reports: Sequence[Report]) -> list[Report]:
    """Reports in the order their documents arrived (as :func:`load_reports` gives them),
    so that a group's first report, which fixes its id, is the same on every path."""
    d = s.documents
    seen: dict[str, Any] = {}
    for part in _chunks(sorted({r.doc_id for r in reports})):
        q = select(d.c.id, d.c.first_seen).where(d.c.id.in_(part))
        seen.update((row.id, row.first_seen) for row in conn.execute(q))
    return sorted(reports, key=lambda r: (seen.get(r.doc_id), r.doc_id, r.pk or 0))


def _groups_of(conn: Connection, pks: Sequence[int]) -> dict[str, list[int]]:
    """fused id -> every member pk, for the groups any of ``pks`` belongs to."""
    fm = s.fused_members
    ids: set[str] = set()
    for part in _chunks(list(pks)):
        ids.update(conn.scalars(select(fm.c.fused_id).where(fm.c.incident_pk.in_(part))))
    out: dict[str, list[int]] = defaultdict(list)
    for part in _chunks(sorted(ids)):
        q = select(fm.c.fused_id, fm.c.incident_pk).where(fm.c.fused_id.in_(part))
        for r in conn.execute(q.order_by(fm.c.fused_id, fm.c.position)):
            out[r.fused_id].append(r.incident_pk)
    return dict(out)


def _drop_stale_members(conn: Connection, doc_ids: Sequence[str] | None) -> list[str]:
    """Detach the groups that hold incidents no longer current (their document was
    re-processed); returns those groups' ids. Their current reports become pending."""
    i, fm = s.incidents, s.fused_members
    q = select(fm.c.fused_id).join(i, i.c.id == fm.c.incident_pk).where(~current_incident())
    touched = sorted(
        {f for conds in id_parts(i.c.document_id, doc_ids) for f in conn.scalars(q.where(*conds))}
    )
    for part in _chunks(touched):
        conn.execute(delete(fm).where(fm.c.fused_id.in_(part)))
    return touched


def _around(new: Sequence[Report], r: fusion.Rules) -> ColumnElement[bool] | None:
    """When every new report is a point: reports within the furthest distance limit of
    them (a box), or in their provinces, or not placed at a point. None otherwise."""
    if any(fusion.point_class(x, r) is None for x in new):
        return None
    i = s.incidents
    reach = max(r.direction_km, *r.distance_km.values()) / KM_PER_DEGREE
    lats = [x.latitude for x in new if x.latitude is not None]
    lons = [x.longitude for x in new if x.longitude is not None]
    widest = math.cos(math.radians(min(89.0, max(abs(v) for v in lats) + reach)))
    box = and_(
        i.c.latitude.between(min(lats) - reach, max(lats) + reach),
        i.c.longitude.between(min(lons) - reach / widest, max(lons) + reach / widest),
    )
    admin1s = sorted({x.admin1 for x in new if x.admin1})
    return or_(
        box,
        i.c.latitude.is_(None),
        i.c.geo_precision.is_(None),
        i.c.geo_precision >= 3,
        i.c.admin1.in_(admin1s),
    )


def _neighbourhood(conn: Connection, new: Sequence[Report]) -> list[Report]:
    """Current reports that could be one event with any of ``new``: same country (or
    none), days overlapping the new reports' days (dated by their date, else by their
    publication), or any day when either is undated (no date, no publication). Blocking
    then narrows these down."""
    r = fusion.rules()
    ranges = [fusion.day_range(x, r) for x in new]
    days = [d for d in ranges if d is not None]
    i, d = s.incidents, s.documents
    when: list[ColumnElement[bool]] = [and_(i.c.date_start.is_(None), d.c.published.is_(None))]
    if None in ranges:
        when = [true()]
    elif days:
        lo = date.fromordinal(min(a for a, _ in days))
        hi = date.fromordinal(max(b for _, b in days))
        slack = timedelta(days=max(r.date_slack_days.values()))
        window = timedelta(days=r.undated_window_days)
        dated = and_(
            i.c.date_start <= hi + slack,
            func.coalesce(i.c.date_end, i.c.date_start) >= lo - slack,
        )
        undated = and_(d.c.published >= lo, d.c.published <= hi + window)
        when.append(or_(dated, undated))
    conds = [or_(*when)]
    countries = {x.country for x in new}
    if None not in countries:  # a report with no country may be anywhere
        conds.append(or_(i.c.country.is_(None), i.c.country.in_(sorted(countries))))  # type: ignore[arg-type]
    near = _around(new, r)
    if near is not None:
        conds.append(near)
    doc_ids = {x.doc_id for x in new}
    found = load_reports(conn, *conds)
    return [x for x in found if x.doc_id not in doc_ids]


# ---------------------------------------------------------------------- decisions


def decide(
    engine: Engine, action: str, ids: Sequence[str], *, note: str | None = None
) -> list[FusedIncident]:
    """Record a merge or split and apply it; returns the fused incidents it made.

    merge: ``ids`` are fused ids or incident ids (unique prefixes of 6+ characters) whose
    reports are one event. split: ``ids[0]`` is a fused id; ``ids[1:]`` are the incident
    ids to take out of it (together), or none to put every report on its own.
    """
    if action not in ("merge", "split"):
        raise ValueError(f"unknown decision {action!r}")
    with engine.begin() as conn:
        if action == "merge":
            if len(ids) < 2:
                raise LedgerError("merge needs at least two fused or incident ids")
            fused_ids = sorted({resolve(conn, x)[0] for x in ids})
            if len(fused_ids) < 2:
                raise LedgerError(f"{', '.join(ids)} are already one fused incident")
            members = [m for f in fused_ids for m in _member_reports(conn, f)]
            taken = [r.incident_id for r in members]
            others: list[str] = []
        else:
            fused_id, _ = resolve(conn, ids[0], fused_only=True)
            members = _member_reports(conn, fused_id)
            if len(members) < 2:
                raise LedgerError(f"fused incident {fused_id} has one report; nothing to split")
            fused_ids = [fused_id]
            if len(ids) > 1:
                wanted = [_member(members, x) for x in ids[1:]]
                taken = sorted({r.incident_id for r in wanted})
                if len(taken) == len(members):
                    raise LedgerError("split would take every report out; name fewer")
                others = [r.incident_id for r in members if r.incident_id not in taken]
            else:  # every report on its own
                taken = [r.incident_id for r in members]
                others = taken
        conn.execute(
            insert(s.fusion_decisions).values(
                action=action,
                incident_ids=taken,
                others=others,
                note=note,
                made_by=_user(),
                made_at=_now(),
            )
        )
        members = _in_arrival_order(conn, members)
        c = _constraints(conn)
        must, cannot = _indexed(members, c)
        groups = fusion.cluster(members, must_link=must, cannot_link=cannot)
        return _write(conn, members, groups, replaced=fused_ids, manual_ids=c.involved)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): leave it empty
        return None


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


def _member_reports(conn: Connection, fused_id: str) -> list[Report]:
    fm = s.fused_members
    pks = select(fm.c.incident_pk).where(fm.c.fused_id == fused_id)
    return load_reports(conn, s.incidents.c.id.in_(pks))


def _member(members: Sequence[Report], ident: str) -> Report:
    hits = [r for r in members if r.incident_id == ident]
    if not hits and len(ident) >= MIN_PREFIX:
        hits = [r for r in members if r.incident_id.startswith(ident)]
    if len(hits) != 1:
        names = ", ".join(r.incident_id for r in members)
        raise LedgerError(f"'{ident}' is not one of this fused incident's reports ({names})")
    return hits[0]


# ---------------------------------------------------------------------- reading


def read_fused(conn: Connection, rows: Sequence[Any]) -> list[FusedIncident]:
    """Rebuild FusedIncidents (with their reports) from ``fused_incidents`` rows."""
    if not rows:
        return []
    fm = s.fused_members
    ids = [r.id for r in rows]
    order: dict[int, tuple[str, int]] = {}
    for part in _chunks(ids):
        for m in conn.execute(select(fm).where(fm.c.fused_id.in_(part))):
            order[m.incident_pk] = (m.fused_id, m.position)
    reports: dict[str, list[tuple[int, Report]]] = defaultdict(list)
    pks = sorted(order)
    for part in _chunks(pks, 5000):
        for rep in load_reports(conn, s.incidents.c.id.in_(part)):
            fid, pos = order[rep.pk]  # type: ignore[index]
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
