"""The review queue: which incident needs a person first.

Incidents waiting for review (no review yet) come in this order: those whose reports
disagree with other sources of the same event, then those that report a violation, each
from the least confident up. A reviewed incident leaves the queue; one whose review was
lost when its document was extracted again (``orphaned``) is listed apart, above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from harmledger.model import Record
from harmledger.store import reviews as rv
from harmledger.store import rows
from harmledger.store.filters import NO_FILTERS, Filters
from harmledger.store.ledger import Ledger

#: The queue's tiers, neediest first (the store's QUEUE_TIERS); every other incident
#: comes after them. Within a tier the least confident come first.
ORDER: tuple[str, ...] = ("disagreements", "violations")


@dataclass(frozen=True, slots=True)
class Queue:
    """One page of the queue: its records in order, how many wait in all, and reviews
    flagged for re-review (incident id, document id, reviewer)."""

    records: list[Record]
    waiting: int
    orphaned: list[tuple[str, str, str]]
    offset: int


def queue(
    ledger: Ledger,
    filters: Filters = NO_FILTERS,
    *,
    limit: int = 50,
    offset: int = 0,
    count: bool = True,
) -> Queue:
    """One page of the queue; ``count=False`` skips counting what waits (``waiting`` is
    then -1) and the orphaned reviews. ``waiting`` stops counting at the store's
    COUNT_CAP."""
    with ledger.engine.connect() as conn:
        found = rv.queue(conn, ORDER, filters=filters, limit=limit, offset=offset)
        records = rows.records(conn, rv.by_pks(conn, [pk for pk, _ in found]))
        waiting = rv.waiting_count(conn) if count else -1
        orphaned = rv.orphaned(conn) if count else []
    return Queue(records, waiting, orphaned, offset)
