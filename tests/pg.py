"""Test databases for the ledger: a SQLite file, or a fresh PostgreSQL database.

The PostgreSQL variants run when ``HARMLEDGER_TEST_POSTGRES`` holds a server URL (one
where the user may create databases), e.g. the one ``scripts/postgres-test-server``
prints. Without it they are skipped, except in CI (``CI=true``), where a missing server
fails them: CI must not pass by testing only SQLite.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

ENV = "HARMLEDGER_TEST_POSTGRES"
SQLITE, POSTGRES = "sqlite", "postgresql"
#: Parameters for a fixture that gives a ledger database on PostgreSQL only / each backend.
POSTGRES_ONLY = [pytest.param(POSTGRES, marks=pytest.mark.postgres)]
BACKENDS = [SQLITE, *POSTGRES_ONLY]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def server_url() -> URL:
    """The PostgreSQL server to test against; skips (fails in CI) when there is none."""
    given = os.environ.get(ENV, "").strip()
    if not given:
        reason = (
            f"PostgreSQL variant: set {ENV} to a server URL to run it, e.g. "
            f'{ENV}="$(scripts/postgres-test-server)" (or: make test-postgres)'
        )
        if in_ci():
            pytest.fail(f"CI=true but {ENV} is not set. {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail(
            f"{ENV} is set but the PostgreSQL driver is not installed: "
            "pip install -e '.[dev,postgres]'",
            pytrace=False,
        )
    url = make_url(given)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def _admin(url: URL, *statements: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for sql in statements:
                conn.execute(text(sql))
    except SQLAlchemyError as exc:
        shown = url.render_as_string(hide_password=True)
        pytest.fail(f"PostgreSQL test server {shown} ({ENV}): {exc}", pytrace=False)
    finally:
        engine.dispose()


@contextmanager
def database(backend: str, directory: Path, *, template: str | None = None) -> Iterator[str]:
    """A fresh, empty ledger database (or a copy of ``template``, a database this
    function gave) as what ``--db`` takes: a file path for SQLite, a URL for PostgreSQL.
    The PostgreSQL database is dropped afterwards."""
    if backend == SQLITE:
        path = directory / f"ledger-{uuid.uuid4().hex[:8]}.db"
        if template is not None:
            shutil.copy(template, path)
        yield str(path)
        return
    server = server_url()
    name = f"hl_test_{uuid.uuid4().hex[:16]}"
    copy = f" TEMPLATE {make_url(template).database}" if template is not None else ""
    _admin(server, f"CREATE DATABASE {name}{copy}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
