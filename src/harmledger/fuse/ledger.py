"""Fusion over a ledger: which stored reports are one event, kept up to date.

Every current incident (the newest processing of each document) belongs to exactly one
fused incident, most to a group of one. :class:`Fuser` changes the groups in four ways,
each in one transaction of the ledger:

* :meth:`Fuser.pending` — as documents arrive (``harmledger run``): the new reports and
  their neighbourhood (reports within the date window, with their whole groups) are
  re-clustered with the existing groups held together, so a new report joins an existing
  incident, starts a new one, or (rarely) shows that two groups are one event.
* :meth:`Fuser.all` — ``harmledger fuse``: every group recomputed from scratch
  (``undo=True``: every report on its own again, but for a person's merges).
* :meth:`Fuser.merge` / :meth:`Fuser.split` — a person's decision is recorded and wins
  over the rules, now and on every later fuse.

The per-report incidents are never changed: fusion writes only the fusion tables
(:mod:`harmledger.store.fused`, through which it also reads). The rules are in
:mod:`.rules`; copies of one story are found by :mod:`.neardup`.
"""

from __future__ import annotations

import getpass
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection

from harmledger.errors import LedgerError
from harmledger.fuse import neardup as nd
from harmledger.fuse import rules as fr
from harmledger.gazetteer import KM_PER_DEGREE
from harmledger.model import FusedIncident, Report
from harmledger.store import fused as fu
from harmledger.store.ledger import Ledger
from harmledger.store.sql import chunks


@dataclass(frozen=True, slots=True)
class FuseResult:
    """What a fuse did: reports seen, fused incidents written, of which with 2+ reports."""

    reports: int
    fused: int
    multi: int
    stale_decisions: int = 0


class Fuser:
    """Fuses the reports a :class:`Ledger` holds. Keep one for a whole run: it holds the
    index of story signatures (near-duplicate texts), built on first use."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._stories: nd.StoryIndex | None = None

    def pending(self, doc_ids: Sequence[str] | None = None) -> FuseResult:
        """Fuse the current incidents that belong to no fused incident yet (of ``doc_ids``,
        or all) with their neighbourhood; drop memberships of incidents no longer current."""
        with self.ledger.transaction("fuse incidents in") as conn:
            return self._pending(conn, doc_ids)

    def all(self, *, undo: bool = False) -> FuseResult:
        """Recompute every group (``undo``: every report alone, except a person's merges).
        A person's merges and splits are kept."""
        with self.ledger.transaction("fuse incidents in") as conn:
            self.update_stories(conn, None)
            reports = fu.load_reports(conn)
            c = _constraints(conn)
            must, cannot = _indexed(reports, c)
            pairs: set[tuple[int, int]] | None = set() if undo else None
            groups = fr.cluster(reports, pairs=pairs, must_link=must, cannot_link=cannot)
            made = write_groups(
                conn, reports, groups, replaced=fu.fused_ids(conn), manual_ids=c.involved
            )
            stale = len(c.involved - fu.current_ids(conn, c.involved))
        return FuseResult(len(reports), len(made), _multi(made), stale)

    def merge(
        self, ids: Sequence[str], *, note: str | None = None, by: str | None = None
    ) -> list[FusedIncident]:
        """A person's decision: these fused incidents (or incidents; unique prefixes of 6+
        characters) are one event. ``by`` is who decided (default: the login name)."""
        if len(ids) < 2:
            raise LedgerError("merge needs at least two fused or incident ids")
        with self.ledger.transaction("merge incidents in") as conn:
            self._pending(conn, None)
            fused_ids = sorted({fu.resolve(conn, x)[0] for x in ids})
            if len(fused_ids) < 2:
                raise LedgerError(f"{', '.join(ids)} are already one fused incident")
            members = [m for f in fused_ids for m in fu.member_reports(conn, f)]
            taken = [r.incident_id for r in members]
            fu.add_decision(conn, "merge", taken, [], note=note, made_by=by or _user())
            return _regroup(conn, members, fused_ids)

    def split(
        self,
        fused_id: str,
        incident_ids: Sequence[str] = (),
        *,
        note: str | None = None,
        by: str | None = None,
    ) -> list[FusedIncident]:
        """A person's decision: take ``incident_ids`` out of the fused incident (together),
        or, with none given, put each of its reports on its own."""
        with self.ledger.transaction("split incidents in") as conn:
            self._pending(conn, None)
            fid, _ = fu.resolve(conn, fused_id, fused_only=True)
            members = fu.member_reports(conn, fid)
            if len(members) < 2:
                raise LedgerError(f"fused incident {fid} has one report; nothing to split")
            if incident_ids:
                taken = sorted({fu.member(members, x).incident_id for x in incident_ids})
                if len(taken) == len(members):
                    raise LedgerError("split would take every report out; name fewer")
                others = [r.incident_id for r in members if r.incident_id not in taken]
            else:  # every report on its own
                taken = others = [r.incident_id for r in members]
            fu.add_decision(conn, "split", taken, others, note=note, made_by=by or _user())
            return _regroup(conn, members, [fid])

    # ------------------------------------------------------------------ internals

    def update_stories(self, conn: Connection, doc_ids: Sequence[str] | None) -> None:
        """Give every document (of ``doc_ids``, or all) without one its story (near-duplicate
        detection), in the order documents were first seen. The index of stored signatures
        is built only when there is a document to place, then kept."""
        todo = fu.documents_without_story(conn, doc_ids)
        if not todo:
            return
        if self._stories is None:
            self._stories = nd.StoryIndex()
            for row in fu.story_signatures(conn):
                self._stories.add(row.document_id, nd.decode(row.signature), story=row.story_id)
        index = self._stories
        for part in chunks(todo):
            texts = fu.texts(conn, part)
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
            fu.add_stories(conn, rows)

    def _pending(self, conn: Connection, doc_ids: Sequence[str] | None) -> FuseResult:
        self.update_stories(conn, doc_ids)
        dropped = fu.detach_stale(conn, doc_ids)
        if dropped:  # their groups' other reports are pending too, whatever their document
            doc_ids = None
        new = fu.pending_reports(conn, doc_ids)
        if not new and not dropped:
            return FuseResult(0, 0, 0)
        near = fu.reports_in(conn, _window(new), besides={x.doc_id for x in new}) if new else []
        # Only neighbours that block with a new report matter, with their whole groups
        # (a report joins a group only if it fits every member).
        both = [*near, *new]
        pairs = fr.candidate_pairs(both, query_from=len(near))
        by_pk = {(both[a].pk, both[b].pk) for a, b in pairs}
        touched = [near[n] for n in {n for pair in pairs for n in pair if n < len(near)}]
        members = fu.groups_of(conn, [r.pk for r in touched if r.pk is not None])
        have = {r.pk: r for r in [*touched, *new]}
        missing = {pk for pks in members.values() for pk in pks} - set(have)
        have.update((r.pk, r) for r in fu.reports_by_pk(conn, missing))
        reports = fu.in_arrival_order(conn, list(have.values()))
        where = {r.pk: n for n, r in enumerate(reports)}
        held = [[where[pk] for pk in pks if pk in where] for pks in members.values()]
        c = _constraints(conn)
        must, cannot = _indexed(reports, c)
        groups = fr.cluster(
            reports,
            pairs={(min(where[a], where[b]), max(where[a], where[b])) for a, b in by_pk},
            must_link=held + must,
            cannot_link=cannot,
        )
        # rewrite only the groups that changed
        before = {frozenset(pks): fid for fid, pks in members.items()}
        pks_of = [frozenset(reports[n].pk or 0 for n in g) for g in groups]  # stored: pk set
        kept = {before[k] for k in pks_of if k in before}
        changed = [g for g, k in zip(groups, pks_of, strict=True) if k not in before]
        replaced = [*(fid for fid in members if fid not in kept), *dropped]
        made = write_groups(conn, reports, changed, replaced=replaced, manual_ids=c.involved)
        return FuseResult(len(new), len(made), _multi(made))


# ---------------------------------------------------------------------- neighbourhood


def _window(new: Sequence[Report]) -> fu.Window:
    """Where reports that could be one event with any of ``new`` are: same country (or
    none), days overlapping the new reports' days (dated by their date, else by their
    publication), or any day when either is undated (no date, no publication); when every
    new report is a point, within the furthest distance limit of them (a box), or in their
    provinces, or not placed at a point. Blocking then narrows these down."""
    r = fr.rules()
    ranges = [fr.day_range(x, r) for x in new]
    days = [d for d in ranges if d is not None]
    countries = {x.country for x in new}
    box: tuple[float, float, float, float] | None = None
    if all(fr.point_class(x, r) is not None for x in new):
        reach = 2 * max(r.radius_km.values()) / KM_PER_DEGREE  # the widest pair limit
        lats = [x.latitude for x in new if x.latitude is not None]
        lons = [x.longitude for x in new if x.longitude is not None]
        widest = math.cos(math.radians(min(89.0, max(abs(v) for v in lats) + reach)))
        box = (
            min(lats) - reach,
            max(lats) + reach,
            min(lons) - reach / widest,
            max(lons) + reach / widest,
        )
    return fu.Window(
        any_day=None in ranges,
        first=date.fromordinal(min(a for a, _ in days)) if days else None,
        last=date.fromordinal(max(b for _, b in days)) if days else None,
        slack=timedelta(days=max(r.date_slack_days.values())),
        undated=timedelta(days=r.undated_window_days),
        # a report with no country may be anywhere
        countries=None if None in countries else frozenset(c for c in countries if c is not None),
        box=box,
        admin1s=tuple(sorted({x.admin1 for x in new if x.admin1})),
    )


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
    for row in fu.decisions(conn):
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


def _regroup(
    conn: Connection, members: Sequence[Report], replaced: Sequence[str]
) -> list[FusedIncident]:
    """Re-cluster ``members`` under every decision (the one just recorded too)."""
    ordered = fu.in_arrival_order(conn, members)
    c = _constraints(conn)
    must, cannot = _indexed(ordered, c)
    groups = fr.cluster(ordered, must_link=must, cannot_link=cannot)
    return write_groups(conn, ordered, groups, replaced=replaced, manual_ids=c.involved)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): leave it empty
        return None


# ---------------------------------------------------------------------- writing groups


def write_groups(
    conn: Connection,
    reports: Sequence[Report],
    groups: Iterable[Sequence[int]],
    *,
    replaced: Iterable[str],
    manual_ids: set[str],
) -> list[FusedIncident]:
    """Replace the fused incidents ``replaced`` by ``groups``; returns what it wrote."""
    made = []
    for g in groups:
        reps = [reports[n] for n in g]
        manual = any(r.incident_id in manual_ids for r in reps)
        made.append((fr.summarise(reps, manual=manual), reps))
    fu.replace_fused(conn, replaced, made)
    return [f for f, _ in made]


def _multi(made: Sequence[FusedIncident]) -> int:
    return sum(len(f.reports) > 1 for f in made)
