"""Small SQL helpers every store module uses: parts of id lists, id prefixes, the
current-incident condition, timestamps, inserting many rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Table,
    any_,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

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


def id_parts(
    col: Any, ids: Iterable[Any] | None, conn: Connection | None = None
) -> Iterator[list[ColumnElement[bool]]]:
    """The conditions of one query per part of ``ids``: a SQL ``IN`` of up to :data:`CHUNK`
    of them each, as a database caps the parameters of one statement (PostgreSQL at 65,535);
    one query without a condition when ``ids`` is None (every row). With ``conn``, each
    as :func:`among` writes it for that database."""
    if ids is None:
        yield []
        return
    for part in chunks(sorted(set(ids))):
        yield [col.in_(part) if conn is None else among(conn, col, part)]


def among(conn: Connection, col: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``col IN values``, as the database of ``conn`` runs it best. On PostgreSQL
    ``col = ANY(:values)``: one array parameter, so the statement's text is the same
    whatever the number of values, and it is compiled, converted and (after a few runs)
    prepared once, where an ``IN`` of one parameter per value was all three again at
    every query (a tenth of a batch client's fusing)."""
    if conn.dialect.name == "postgresql":
        return col == any_(literal(list(values), ARRAY(col.type)))
    return col.in_(values)


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
    which storing a newer processing of the document clears (schema 5; before, a
    correlated look for a newer processing cost every row of a list an index search)."""
    return s.incidents.c.current.is_(True)


def insert_many(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in as few round trips as
    the database allows; with ``ids``, returns the new rows' ``id`` in the order of
    ``rows``. The ids are drawn first (PostgreSQL: from the table's sequence; SQLite: past
    the largest, under the write lock every harmledger write transaction holds), then
    the rows go by COPY (PostgreSQL) or one executemany (SQLite): a many-row INSERT with
    RETURNING costs more to build and parse than to run."""
    if not rows:
        return []
    new: list[int] = []
    postgres = conn.dialect.name == "postgresql"
    if ids:
        n = len(rows)
        if postgres:
            sequence = conn.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
            new = sorted(
                conn.scalars(
                    text("SELECT nextval(:seq) FROM generate_series(1, :n)"),
                    {"seq": sequence, "n": n},
                )
            )
        else:
            top = int(conn.scalar(select(func.max(table.c.id))) or 0)
            new = list(range(top + 1, top + 1 + n))
        rows = [{**r, "id": k} for r, k in zip(rows, new, strict=True)]
    columns = [c for c in table.columns if c.name in rows[0]]
    # the values as an INSERT would send them: JSON serialised (None as JSON null, as
    # SQLAlchemy's JSON does), dates as SQLite stores them, NUL replaced in free text...
    binds = [
        json.dumps if isinstance(c.type, JSON) else c.type.bind_processor(conn.dialect)
        for c in columns
    ]
    pairs = list(zip(columns, binds, strict=True))
    values = [[bind(r[c.name]) if bind else r[c.name] for c, bind in pairs] for r in rows]
    names = ", ".join(c.name for c in columns)
    if postgres:
        statement = f"COPY {table.name} ({names}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    raw: Any = conn.connection.dbapi_connection
    dbapi: Any = conn.dialect.loaded_dbapi
    try:
        cursor = raw.cursor()
        try:
            if postgres:
                with cursor.copy(statement) as copy:
                    for v in values:
                        copy.write_row(v)
            else:
                cursor.executemany(statement, values)
        finally:
            cursor.close()
    except dbapi.Error as exc:
        # as SQLAlchemy's own statements raise it (IntegrityError for a duplicate...)
        raise DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=conn.dialect) from exc
    return new
