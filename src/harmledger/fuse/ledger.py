"""Fusion over a ledger: which stored reports are one event, kept up to date.

Every current incident (the newest processing of each document) belongs to exactly one
fused incident, most to a group of one. :class:`Fuser` changes the groups in four ways,
each in one transaction of the ledger that no other fusion runs beside:

* :meth:`Fuser.pending` — as documents arrive (``harmledger run``): the new reports and
  every fused report linked to them (through pairs that match or shared groups, found in
  a blocking index held in memory) are clustered again, so a new report joins an existing
  incident, starts a new one, shows that two groups are one event, or takes a report
  from a group it fits better; the groups are those of fusing every report at once,
  whatever order and chunks they arrived in (``fuse.v8``).
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
from sqlalchemy import Connection

from harmledger.errors import LedgerError
from harmledger.fuse import neardup as nd
from harmledger.fuse import rules as fr
from harmledger.fuse.evidence import Key
from harmledger.fuse.summary import summarise
from harmledger.model import FusedIncident, Report
from harmledger.store import audit
from harmledger.store import fused as fu
from harmledger.store.ledger import Ledger
from harmledger.store.sql import chunks

#: What a blocking :class:`~.evidence.Key` reads of a report (or of a Key), in its order.
_key_values = attrgetter(*Key.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class FuseResult:
    """What a fuse did: reports seen, fused incidents written, of which with 2+ reports."""

    reports: int
    fused: int
    multi: int
    stale_decisions: int = 0

    def __add__(self, other: FuseResult) -> FuseResult:
        return FuseResult(
            self.reports + other.reports,
            self.fused + other.fused,
            self.multi + other.multi,
            self.stale_decisions + other.stale_decisions,
        )


class Fuser:
    """Fuses the reports a :class:`Ledger` holds. Keep one for a whole run: it holds the
    blocking index of the fused reports (:class:`~.rules.Blocking`), built on first use
    and then kept up to date, so that fusing a batch costs what the batch and its
    neighbours cost, not the ledger. (The near-duplicates of a new document are looked
    up in the ledger's band keys, ``story_bands``, not held.)

    One fusion at a time changes a ledger: every change runs in a transaction that no
    other process's fusion runs beside (:meth:`Ledger.transaction` ``alone``). Each
    change counts one more fusion generation in the ledger; a Fuser that finds one it did
    not make (another process fused meanwhile) builds its indexes again."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._blocking: fr.Blocking | None = None
        self._position: dict[int, int] = {}  # incident pk -> place in the blocking index
        self._values: dict[Any, Any] = {}  # one copy of each value the index's keys hold
        self._generation: int | None = None  # the ledger's, as of this Fuser's last change

    @contextmanager
    def _change(self, what: str) -> Iterator[Connection]:
        """One fusion transaction, alone on the ledger; the indexes are dropped if they
        may not match what the ledger holds afterwards."""
        try:
            with self.ledger.transaction(what, alone=True) as conn:
                seen = fu.generation(conn)
                if seen != self._generation:  # another process fused: start afresh
                    self._blocking = None
                fu.set_generation(conn, seen + 1)
                yield conn
            self._generation = seen + 1
        except BaseException:
            self._blocking = None
            self._generation = None
            raise

    def warm(self) -> None:
        """Build the blocking index of the fused reports now, in a read (nothing is
        locked or written), so that the next change does not build it inside its
        transaction: on a big ledger that takes minutes. A long-lived Fuser (the
        workspace's) warms when it starts; the index is kept while no other process
        fuses."""
        with self.ledger.engine.connect() as conn:
            seen = fu.generation(conn)
            if self._blocking is not None and seen == self._generation:
                return
            self._blocking = None
            self._blocking_index(conn)
            self._generation = seen

    def pending(
        self,
        doc_ids: Sequence[str] | None = None,
        *,
        signatures: Mapping[str, tuple[int, ...]] | None = None,
    ) -> FuseResult:
        """Fuse the current incidents that belong to no fused incident yet (of ``doc_ids``,
        or all) with the fused reports around them; drop memberships of incidents no
        longer current. ``signatures``: the story signatures (:func:`.neardup.signature`
        of their stored text) of some of the documents, made elsewhere (a batch worker)."""
        with self._change("fuse incidents in") as conn:
            return self._pending(conn, doc_ids, signatures=signatures)

    def arrived(
        self, doc_ids: Sequence[str], signatures: Mapping[str, tuple[int, ...]] | None = None
    ) -> FuseResult:
        """Fuse what a run just stored of ``doc_ids`` (one chunk): those of them with a
        current incident not fused yet (a document stored before, or with no incident,
        is not fused again; one whose storing was repeated, as a batch worker lost after
        its commit repeats it, is fused as if it had arrived once)."""
        with self.ledger.engine.connect() as conn:
            todo = fu.pending_documents(conn, doc_ids)
        return self.pending(todo, signatures=signatures) if todo else FuseResult(0, 0, 0)

    def left_over(self) -> FuseResult:
        """Fuse what interrupted runs stored and did not fuse, one stored chunk after
        another in the order they were stored (a batch stores ahead of its fusion), as
        the runs would have fused them; then whatever else is pending."""
        with self.ledger.engine.connect() as conn:
            groups = fu.pending_by_chunk(conn)
        done = FuseResult(0, 0, 0)
        for doc_ids in groups:
            done += self.pending(doc_ids)
        return done + self.pending()

    def reviewed(self, pks: Sequence[int]) -> FuseResult:
        """Fuse again the incident rows ``pks`` after a person's review changed what
        fusion compares (type, date, place, toll, actors) or rejected one, or took a
        rejection back: each leaves its fused incident, and that group's reports are
        fused again with their neighbours, by their reviewed values; a rejected incident
        stays out of every fused incident (and so out of its ranges)."""
        with self._change("fuse reviewed incidents in") as conn:
            if self._blocking is not None:  # filed under the values they had
                self._blocking.forget(self._position.pop(pk) for pk in pks if pk in self._position)
            dropped = fu.detach(conn, pks)
            return self._pending(conn, None, dropped=dropped)

    def all(self, *, undo: bool = False, by: str | None = None, via: str = "python") -> FuseResult:
        """Recompute every group (``undo``: every report alone, except a person's merges).
        A person's merges and splits are kept. An audit entry records it (``by`` whom,
        ``via`` what), in the same transaction."""
        with self._change("fuse incidents in") as conn:
            self._blocking = None  # every report is fused afterwards: built again if needed
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
            audit.append(
                conn,
                actor=by or _user() or "unknown",
                via=via,
                action="fuse.undo" if undo else "fuse",
                target="ledger",
                after={"reports": len(reports), "fused": len(made), "multi": _multi(made)},
            )
        return FuseResult(len(reports), len(made), _multi(made), stale)

    def merge(
        self,
        ids: Sequence[str],
        *,
        note: str | None = None,
        by: str | None = None,
        via: str = "python",
    ) -> list[FusedIncident]:
        """A person's decision: these fused incidents (or incidents; unique prefixes of 6+
        characters) are one event. ``by`` is who decided (default: the login name); the
        audit entry is written in the same transaction."""
        if len(ids) < 2:
            raise LedgerError("merge needs at least two fused or incident ids")
        with self._change("merge incidents in") as conn:
            self._pending(conn, None)
            fused_ids = sorted({fu.resolve(conn, x)[0] for x in ids})
            if len(fused_ids) < 2:
                raise LedgerError(f"{', '.join(ids)} are already one fused incident")
            members = [m for f in fused_ids for m in fu.member_reports(conn, f)]
            taken = [r.incident_id for r in members]
            who = by or _user() or "unknown"
            fu.add_decision(conn, "merge", taken, [], note=note, made_by=who)
            made = _regroup(conn, members, fused_ids)
            audit.append(
                conn,
                actor=who,
                via=via,
                action="merge",
                target="fused:" + ",".join(fused_ids),
                before={"fused": fused_ids, "incidents": taken},
                after={"fused": [f.fused_id for f in made]},
                reason=note,
            )
            return made

    def split(
        self,
        fused_id: str,
        incident_ids: Sequence[str] = (),
        *,
        note: str | None = None,
        by: str | None = None,
        via: str = "python",
    ) -> list[FusedIncident]:
        """A person's decision: take ``incident_ids`` out of the fused incident (together),
        or, with none given, put each of its reports on its own."""
        with self._change("split incidents in") as conn:
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
            who = by or _user() or "unknown"
            fu.add_decision(conn, "split", taken, others, note=note, made_by=who)
            made = _regroup(conn, members, [fid])
            audit.append(
                conn,
                actor=who,
                via=via,
                action="split",
                target=f"fused:{fid}",
                before={"fused": fid, "incidents": [r.incident_id for r in members]},
                after={"fused": [f.fused_id for f in made], "taken": list(taken)},
                reason=note,
            )
            return made

    # ------------------------------------------------------------------ internals

    def update_stories(
        self,
        conn: Connection,
        doc_ids: Sequence[str] | None,
        signatures: Mapping[str, tuple[int, ...]] | None = None,
    ) -> None:
        """Give every document (of ``doc_ids``, or all) without one its story (near-duplicate
        detection), in the order documents were first seen. The stored documents it may be a
        copy of are those sharing a band key with it, looked up in the ledger
        (``story_bands``): nothing is held in memory between chunks. ``signatures``: those
        already made of some documents' stored texts (the others are read and made here)."""
        made = signatures or {}
        todo = fu.documents_without_story(conn, doc_ids)
        if not todo:
            return
        if fu.bands_to_fill(conn):
            fill_bands(conn)
        seq = fu.story_seq(conn)
        for part in chunks(todo):
            texts = fu.texts(conn, [d for d in part if d not in made])
            sigs = [made.get(doc_id) or nd.signature(texts[doc_id]) for doc_id in part]
            keys = nd.band_keys(np.asarray(sigs, dtype=np.uint32))
            found = fu.band_hits(conn, nd.stored_keys(keys))
            stored = fu.stories_of(conn, {doc for _, _, doc in found})
            # a band key left of a story removed since (a migration that re-keyed
            # documents removes their stories) is no candidate
            hits = [hit for hit in found if hit[2] in stored]
            placed = nd.place_among(part, sigs, hits, stored)
            rows, bands = [], []
            for k, (doc_id, sig, (story, sim)) in enumerate(zip(part, sigs, placed, strict=True)):
                rows.append(
                    {
                        "document_id": doc_id,
                        "story_id": story,
                        "similarity": round(sim, 4),
                        "signature": nd.encode(sig),
                        "method": nd.NAME,
                    }
                )
                bands += [
                    {"band": band, "seq": seq + k, "document_id": doc_id}
                    for band in nd.stored_keys(keys[k])
                ]
            fu.add_stories(conn, rows, bands)
            seq += len(part)
        fu.set_story_seq(conn, seq)

    def _blocking_index(self, conn: Connection) -> fr.Blocking:
        """The blocking index of every fused current report, built on first use from
        what blocking reads of them (:class:`~.evidence.Key`: one compact query, not
        every report whole; the few a person edited are read whole)."""
        if self._blocking is None:
            rows = fu.blocking_rows(conn)
            edited = [row[0] for row in rows if row[-1]]
            whole = {rep.pk: Key.of(rep) for rep in fu.reports_by_pk(conn, edited)}
            index = fr.Blocking()
            self._position = {}
            self._values = {}
            for row in rows:
                key = whole.get(row[0]) if row[-1] else Key(*row[:-1])
                if key is None:  # edited, and no longer current meanwhile: not fused
                    continue
                self._position[row[0]] = index.file(self._shared(key))
            self._blocking = index
        return self._blocking

    def _shared(self, key: Key | Report) -> Key:
        """The :class:`~.evidence.Key` of ``key`` (a Key, or a Report whole) holding the
        index's one copy of each of its values (a country, a place, a day, a point are
        the same for many reports): what the index keeps per report is then little more
        than the key itself, however long the run."""
        values = self._values
        pk, *rest = _key_values(key)
        shared: list[Any] = [x if x is None else values.setdefault(x, x) for x in rest]
        return Key(pk, *shared)

    def _neighbours(
        self, conn: Connection, new: Sequence[Report]
    ) -> tuple[set[int], set[tuple[int, int]]]:
        """The fused reports (their pks) that block with any of ``new`` (current ones
        only) and the pairs (of incident pks) worth comparing, new reports among
        themselves too; files ``new`` in the blocking index."""
        index = self._blocking_index(conn)
        fresh = {r.pk for r in new if r.pk is not None}
        index.forget(self._position.pop(pk) for pk in fresh & self._position.keys())
        near: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        for rep in new:
            assert rep.pk is not None
            for n in index.look(rep):
                other = index.reports[n].pk
                assert other is not None
                pairs.add((other, rep.pk))
                if other not in fresh:
                    near.add(other)
            self._position[rep.pk] = index.file(self._shared(rep))
        pairs, gone = self._drop_stale(conn, near, pairs)
        return near - gone, pairs

    def _drop_stale(
        self, conn: Connection, pks: set[int], pairs: set[tuple[int, int]]
    ) -> tuple[set[tuple[int, int]], set[int]]:
        """A report whose document was stored again since it was filed is no longer
        current: those of ``pks`` leave the blocking index, and ``pairs`` those that hold
        one. The pairs kept, and the pks gone."""
        gone = pks - fu.current_pks(conn, pks)
        if gone:
            self._blocking_index(conn).forget(
                self._position.pop(pk) for pk in gone if pk in self._position
            )
            pairs = {(a, b) for a, b in pairs if a not in gone and b not in gone}
        return pairs, gone

    def _component(
        self, conn: Connection, new: Sequence[Report]
    ) -> tuple[
        dict[int, Report],
        set[tuple[int, int]],
        dict[str, list[int]],
        dict[tuple[int, int], fr.Comparison],
    ]:
        """``new`` and the fused reports linked to them, each through a chain of pairs
        that match (:func:`~.rules.linked`) or of shared groups: pk -> report, the
        candidate pairs among them (pks), the fused groups they belong to, and the pairs
        compared on the way (pks, the lower first: clustering does not compare them
        again). Clustering never reaches beyond such links, so clustering these again
        gives the groups of fusing the whole ledger at once; a report that only blocks
        with them keeps its group."""
        current, found = self._neighbours(conn, new)  # current: asked of the ledger once
        index = self._blocking_index(conn)
        have: dict[int, Report] = {r.pk: r for r in new if r.pk is not None}
        inside = set(have)
        members: dict[str, list[int]] = {}
        pairs = set(found)
        weighed: dict[tuple[int, int], fr.Comparison] = {}
        threshold = fr.rules().threshold
        while True:
            missing = {pk for pair in pairs for pk in pair} - have.keys()
            have.update((r.pk, r) for r in fu.reports_by_pk(conn, missing) if r.pk is not None)
            grow = set()
            for a, b in pairs:
                key = (a, b) if a < b else (b, a)
                if (a in inside) == (b in inside) or key in weighed:
                    continue
                # weighed as linked() and cluster() weigh it: the lower incident id first
                ra, rb = sorted((have[a], have[b]), key=fr.stable_key)
                weighed[key] = c = fr.compare(ra, rb)
                if c.matches(threshold):
                    grow.add(b if a in inside else a)
            if not grow:
                break
            groups = fu.groups_of(conn, sorted(grow))
            members.update(groups)
            grow = (grow | {pk for pks in groups.values() for pk in pks}) - inside
            have.update(
                (r.pk, r) for r in fu.reports_by_pk(conn, grow - have.keys()) if r.pk is not None
            )
            inside |= grow
            for pk in grow:
                for n in index.look(have[pk]):
                    other = index.reports[n].pk
                    if other is not None and other != pk:
                        pairs.add((other, pk))
            seen = {pk for pair in pairs for pk in pair} - inside - current
            pairs, gone = self._drop_stale(conn, seen, pairs)
            current |= seen - gone
        return (
            {pk: have[pk] for pk in inside},
            {(a, b) for a, b in pairs if a in inside and b in inside},
            members,
            weighed,
        )

    def _pending(
        self,
        conn: Connection,
        doc_ids: Sequence[str] | None,
        *,
        dropped: Sequence[str] = (),
        signatures: Mapping[str, tuple[int, ...]] | None = None,
    ) -> FuseResult:
        # stories for the documents fused now only (whatever else lacks one waits), so
        # that fusing after an interruption places the same documents as a run never
        # stopped would
        self.update_stories(
            conn, fu.pending_documents(conn) if doc_ids is None else doc_ids, signatures
        )
        dropped = [*dropped, *fu.detach_stale(conn, doc_ids)]
        if dropped:  # their groups' other reports are pending too, whatever their document
            doc_ids = None
        new = fu.pending_reports(conn, doc_ids)
        if not new and not dropped:
            return FuseResult(0, 0, 0)
        # The new reports and every fused report linked to them, through pairs that match
        # or a shared group, are clustered again: the same groups as fusing them all at
        # once, whatever order and chunks they arrived in.
        have, by_pk, members, weighed = self._component(conn, new)
        reports = fu.in_arrival_order(conn, list(have.values()))
        where = {r.pk: n for n, r in enumerate(reports)}
        c = _constraints(conn)
        must, cannot = _indexed(reports, c)
        groups = fr.cluster(
            reports,
            pairs={(min(where[a], where[b]), max(where[a], where[b])) for a, b in by_pk},
            must_link=must,
            cannot_link=cannot,
            weighed={
                (min(where[a], where[b]), max(where[a], where[b])): v
                for (a, b), v in weighed.items()
                if a in where and b in where
            },
        )
        # rewrite only the groups that changed
        before = {frozenset(pks): fid for fid, pks in members.items()}
        pks_of = [frozenset(reports[n].pk or 0 for n in g) for g in groups]  # stored: pk set
        kept = {before[k] for k in pks_of if k in before}
        changed = [g for g, k in zip(groups, pks_of, strict=True) if k not in before]
        replaced = [*(fid for fid in members if fid not in kept), *dropped]
        made = write_groups(conn, reports, changed, replaced=replaced, manual_ids=c.involved)
        return FuseResult(len(new), len(made), _multi(made))


def fill_bands(conn: Connection) -> None:
    """Give the stories stored before schema 9 their band keys (``story_bands``), in the
    order an index of them was built before (as the ledger gives them), so that a tie
    goes to the same document as then."""
    rows = list(fu.story_signatures(conn))
    seq = fu.story_seq(conn)
    for part in chunks(rows, 2000):
        keys = nd.band_keys(nd.decode_many(r.signature for r in part))
        bands = [
            {"band": band, "seq": seq + k, "document_id": r.document_id}
            for k, r in enumerate(part)
            for band in nd.stored_keys(keys[k])
        ]
        fu.add_stories(conn, (), bands)
        seq += len(part)
    fu.set_story_seq(conn, seq)
    fu.bands_filled(conn)


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
        made.append((summarise(reps, manual=manual), reps))
    fu.replace_fused(conn, replaced, made)
    return [f for f, _ in made]


def _multi(made: Sequence[FusedIncident]) -> int:
    return sum(len(f.reports) > 1 for f in made)
