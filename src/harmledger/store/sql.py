"""Small SQL helpers every store module uses: parts of id lists, id prefixes, the
current-incident condition, timestamps, inserting many rows."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
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
from harmledger.model import value_to_dict
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


def to_json(value: Any) -> str:
    """``value`` as the JSON text a JSON column stores: orjson's (compact, UTF-8, a
    tenth of ``json.dumps``'s time), else ``json.dumps``'s for what orjson refuses (an
    integer past 64 bits, a lone surrogate, a key that is not a string), and the same
    error for what neither can write (a date, an object). Both read back the same."""
    try:
        out = orjson.dumps(value, option=_STRICT)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value)
    if b"null" in out and _not_finite(value):  # orjson writes NaN and infinities as null
        return json.dumps(value)
    return out.decode()


def value_json(value: Any) -> str:
    """A mention value (a dataclass of :mod:`harmledger.model.values`) as JSON text, the
    same JSON as ``to_json(value_to_dict(value))`` (dates as ISO strings, tuples as
    lists), written by orjson from the dataclass itself without the dict."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value_to_dict(value))


def _not_finite(value: Any) -> bool:
    """Whether ``value`` holds a NaN or an infinity (``json.dumps`` writes them)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_not_finite(v) for v in value)
    return False


#: orjson refuses what ``json.dumps`` would (dates and dataclasses: written by neither)
_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def binders(conn: Connection, table: Table, names: Sequence[str]) -> list[Any]:
    """Each column's conversion of a value to what the database takes, as an INSERT
    would make it (JSON as :func:`to_json` writes it, dates as SQLite stores them, NUL
    replaced in free text on PostgreSQL...), or None where the value goes as it is."""
    out: list[Any] = []
    postgres = conn.dialect.name == "postgresql"
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, JSON):
            out.append(to_json)
        elif isinstance(kind, s.FreeText):  # its own rule, without SQLAlchemy's wrapping
            out.append(s.without_nul if postgres else None)
        else:
            out.append(kind.bind_processor(conn.dialect))
    return out


def insert_many(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in as few round trips as
    the database allows; with ``ids``, returns the new rows' ``id`` in the order of
    ``rows`` (see :func:`insert_rows`)."""
    if not rows:
        return []
    names = [c.name for c in table.columns if c.name in rows[0]]
    pairs = list(zip(names, binders(conn, table, names), strict=True))
    values = [[bind(r[n]) if bind else r[n] for n, bind in pairs] for r in rows]
    return insert_rows(conn, table, names, values, ids=ids)


def insert_rows(
    conn: Connection,
    table: Table,
    names: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    ids: bool = False,
) -> list[int]:
    """Insert rows given as sequences of values of the columns ``names``, each value
    already as the database takes it (:func:`binders`), in as few round trips as the
    database allows; with ``ids``, returns the new rows' ``id`` in the order of
    ``values``. The ids are drawn first (PostgreSQL: from the table's sequence; SQLite:
    past the largest, under the write lock every harmledger write transaction holds),
    then the rows go by COPY (PostgreSQL) or one executemany (SQLite): a many-row INSERT
    with RETURNING costs more to build and parse than to run."""
    if not values:
        return []
    new: list[int] = []
    postgres = conn.dialect.name == "postgresql"
    if ids:
        n = len(values)
        if postgres:
            # one row of one array, not a row per id (a Python object per row to fetch)
            drawn = conn.scalar(
                text(
                    "SELECT array_agg(nextval(q.seq)) FROM generate_series(1, :n), "
                    "(SELECT pg_get_serial_sequence(:table, 'id')::regclass AS seq) AS q"
                ),
                {"table": table.name, "n": n},
            )
            new = sorted(drawn)
        else:
            top = int(conn.scalar(select(func.max(table.c.id))) or 0)
            new = list(range(top + 1, top + 1 + n))
        values = [(k, *v) for k, v in zip(new, values, strict=True)]
        names = ["id", *names]
    columns = ", ".join(names)
    if postgres:
        statement = f"COPY {table.name} ({columns}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in names)
        statement = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
    raw: Any = conn.connection.dbapi_connection
    dbapi: Any = conn.dialect.loaded_dbapi
    try:
        cursor = raw.cursor()
        try:
            if postgres:
                with cursor.copy(statement) as copy:
                    write = copy.write_row
                    for v in values:
                        write(v)
            else:
                cursor.executemany(statement, values)
        finally:
            cursor.close()
    except dbapi.Error as exc:
        # as SQLAlchemy's own statements raise it (IntegrityError for a duplicate...)
        raise DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=conn.dialect) from exc
    return new
