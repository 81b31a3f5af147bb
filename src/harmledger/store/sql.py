"""Small SQL helpers every store module uses: parts of id lists, id prefixes, the
current-incident condition, timestamps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, select

from harmledger.errors import LedgerError
from harmledger.store import schema as s

T = TypeVar("T")

#: Rows fetched per ``IN (...)`` clause (well under SQLite's and PostgreSQL's limits).
CHUNK = 500
#: Shortest id prefix that lookups accept.
MIN_PREFIX = 6


def now() -> datetime:
    """Naive UTC: what the database stores (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    """A stored (naive UTC) timestamp as an aware one."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def id_parts(col: Any, ids: Iterable[Any] | None) -> Iterator[list[ColumnElement[bool]]]:
    """The conditions of one query per part of ``ids``: a SQL ``IN`` of up to :data:`CHUNK`
    of them each, as a database caps the parameters of one statement (PostgreSQL at 65,535);
    one query without a condition when ``ids`` is None (every row)."""
    if ids is None:
        yield []
        return
    for part in chunks(sorted(set(ids))):
        yield [col.in_(part)]


def by_prefix(
    conn: Connection, col: Any, ident: str, *conds: ColumnElement[bool], what: str = "id"
) -> str | None:
    """The value of ``col`` that is ``ident``, or that ``ident`` (at least MIN_PREFIX
    characters) is the unique prefix of, among rows matching ``conds``; None if none."""
    if conn.scalar(select(col).where(col == ident, *conds).limit(1)) is not None:
        return ident
    if len(ident) < MIN_PREFIX:
        return None
    found = conn.scalars(
        select(col).where(col.startswith(ident, autoescape=True), *conds).distinct().limit(6)
    ).all()
    if len(found) > 1:
        raise LedgerError(
            f"'{ident}' matches more than one {what} ({', '.join(found[:5])}...); "
            "give more characters of the id"
        )
    return found[0] if found else None


def current_incident() -> ColumnElement[bool]:
    """The incident belongs to its document's newest processing: its ``current`` flag,
    which storing a newer processing of the document clears (schema 3; before, a
    correlated look for a newer processing cost every row of a list an index search)."""
    return s.incidents.c.current.is_(True)
