"""Reviews survive re-extraction: when a newer pipeline version reads a document again,
each review of its old incidents moves to the matching new incident, or is flagged.

The document's text is the same (its id is the text's hash), so a reviewed value's span
still points at the same words. A new incident matches an old one when their evidence
shares at least :data:`MIN_OVERLAP` of the smaller of the two, and is the best such match
not yet taken. Incidents a person added are copied under the new processing as they were.
A review with no match stays on its old incident flagged ``orphaned``: the queue lists it
for re-review. Each move is an audit entry, in one transaction with the move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection

from harmledger.model import Record, Review, Span
from harmledger.store import audit, rows
from harmledger.store import reviews as rv
from harmledger.store.ledger import Ledger

#: Shared evidence, as a share of the smaller evidence, for a new incident to match.
MIN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Carried:
    carried: int = 0
    orphaned: int = 0
    copied: int = 0  # incidents a person added, copied under the new processing


def carry(ledger: Ledger, document_id: str, *, by: str, via: str) -> Carried:
    """Move the reviews of ``document_id``'s no-longer-current incidents to its current
    ones (run after storing a re-extraction)."""
    return carry_all(ledger, [document_id], by=by, via=via)


def carry_all(ledger: Ledger, document_ids: Sequence[str], *, by: str, via: str) -> Carried:
    """:func:`carry` for each of ``document_ids`` (a chunk a run stored again), in one
    transaction; documents nobody reviewed cost one query for them all."""
    total = Carried()
    with ledger.transaction("carry reviews in") as conn:
        for document_id in sorted(rv.reviewed_documents(conn, document_ids)):
            done = _carry(conn, document_id, by=by, via=via)
            total = Carried(
                total.carried + done.carried,
                total.orphaned + done.orphaned,
                total.copied + done.copied,
            )
    return total


def _carry(conn: Connection, document_id: str, *, by: str, via: str) -> Carried:
    newest = rv.newest_processing(conn, document_id)
    if newest is None:
        return Carried()
    old = [(t, r) for t, r in rv.document_reviews(conn, document_id) if not t.current]
    old = [(t, r) for t, r in old if r.flag not in ("orphaned", "moved")]
    if not old:
        return Carried()
    new_rows = rv.incidents_of(conn, newest[0])
    new = rows.records(conn, new_rows)
    taken = rv.reviewed_pks(conn, [r.pk for r in new if r.pk is not None])
    old_records = {r.pk: r for r in rows.records(conn, rv.by_pks(conn, [t.pk for t, _ in old]))}
    carried = orphaned = copied = 0
    for t, review in old:
        if review.flag == "added":
            rec = old_records[t.pk]
            pk = rv.add_incident(conn, replace(rec.machine or rec.incident), *newest)
            _move(conn, t, review, pk, "added")
            copied += 1
            continue
        match = _best(old_records[t.pk], [r for r in new if r.pk not in taken])
        if match is None:
            rv.set_flag(conn, t.pk, "orphaned")
            audit.append(
                conn,
                actor=by,
                via=via,
                action="review.orphaned",
                target=f"incident:{t.incident_id}",
                before={"state": review.state, "by": review.by},
                reason="no incident of the new extraction matches; re-review the document",
            )
            orphaned += 1
            continue
        assert match.pk is not None
        taken.add(match.pk)
        _move(conn, t, review, match.pk, "carried")
        audit.append(
            conn,
            actor=by,
            via=via,
            action="review.carried",
            target=f"incident:{match.incident.incident_id}",
            before={"incident": t.incident_id, "state": review.state},
            after={"incident": match.incident.incident_id, "state": review.state},
        )
        carried += 1
    return Carried(carried, orphaned, copied)


def _move(conn: Connection, old: rv.Target, review: Review, pk: int, flag: str) -> None:
    """Put ``review`` on incident ``pk`` (``flag``: how it got there) and mark the old
    incident's review as moved."""
    target = rv.target(conn, pk)
    assert target is not None
    rv.put_review(
        conn,
        target,
        state=review.state,
        by=review.by,
        reason=review.reason,
        values=review.values,
        flag=flag,
        carried_from=old.incident_id,
    )
    rv.set_flag(conn, old.pk, "moved")


def overlap(a: tuple[Span, ...], b: tuple[Span, ...]) -> float:
    """Characters both evidences share, as a share of the smaller one."""
    shared = sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)
    smaller = min(sum(len(x) for x in a), sum(len(y) for y in b))
    return shared / smaller if smaller else 0.0


def _best(old: Record, candidates: list[Record]) -> Record | None:
    scored = [(overlap(old.incident.evidence, c.incident.evidence), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s >= MIN_OVERLAP]
    if not scored:
        return None
    return max(scored, key=lambda sc: (sc[0], -(sc[1].pk or 0)))[1]
