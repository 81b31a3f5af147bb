"""The audit log's table: append an entry (in the caller's transaction), read entries.

The chain's rules (canonical form, hash, verification) are in :mod:`harmledger.audit`;
this module only stores and reads. Appends take turns: on PostgreSQL a transaction lock,
and the unique ``prev_hash`` column makes a fork impossible on any backend (the second
of two racing appends fails and its transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, insert, select

from harmledger import audit
from harmledger.store import schema as s
from harmledger.store.sql import now

#: PostgreSQL advisory lock key held by an append until its transaction ends ("hl" 2).
_AUDIT_LOCK = 0x686C_0002


def append(
    conn: Connection,
    *,
    actor: str,
    via: str,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> audit.Entry:
    """Append one entry to the chain, in the transaction ``conn`` holds."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_AUDIT_LOCK)))
    a = s.audit_log
    last = conn.execute(select(a.c.id, a.c.hash).order_by(a.c.id.desc()).limit(1)).first()
    prev = last.hash if last is not None else audit.GENESIS
    fields: dict[str, Any] = {
        "id": (last.id + 1) if last is not None else 1,
        "at": now(),
        "actor": actor,
        "via": via,
        "action": action,
        "target": target,
        "before": audit.plain(before),
        "after": audit.plain(after),
        "reason": reason,
        "prev_hash": prev,
    }
    digest = audit.digest(**fields)
    conn.execute(insert(a).values(**fields, hash=digest))
    return audit.Entry(**fields, hash=digest)


def _entry(row: Any) -> audit.Entry:
    return audit.Entry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        via=row.via,
        action=row.action,
        target=row.target,
        before=row.before,
        after=row.after,
        reason=row.reason,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(
    conn: Connection,
    *,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
    action: str | None = None,
    target: str | None = None,
) -> list[audit.Entry]:
    """Entries, oldest first (or newest first), optionally of one action or target."""
    a = s.audit_log
    q = select(a)
    if action:
        q = q.where(a.c.action == action)
    if target:
        q = q.where(a.c.target == target)
    q = q.order_by(a.c.id.desc() if newest_first else a.c.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return [_entry(r) for r in conn.execute(q)]


def every(conn: Connection, *, part: int = 2000) -> Iterator[audit.Entry]:
    """Every entry in chain order, read in parts (for verification)."""
    a = s.audit_log
    last = 0
    while True:
        rows = conn.execute(select(a).where(a.c.id > last).order_by(a.c.id).limit(part)).all()
        if not rows:
            return
        for r in rows:
            yield _entry(r)
        last = rows[-1].id


def count(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(s.audit_log)) or 0)
