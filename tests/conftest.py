"""Shared fixtures: a ledger database on every backend (see tests/pg.py).

A test (or fixture) that takes ``db_url`` runs once on SQLite and once on PostgreSQL
(``[sqlite]`` / ``[postgresql]`` in its id; select with ``-m postgres`` or
``-m "not postgres"``), each time on a database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pg import BACKENDS, POSTGRES_ONLY, database


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh ledger database for one test: a file path (SQLite) or a URL (PostgreSQL)."""
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh ledger database shared by one module's tests (they must not change it)."""
    with database(request.param, tmp_path_factory.mktemp("ledger")) as url:
        yield url


@pytest.fixture(params=POSTGRES_ONLY)
def pg_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL can show (its variant only)."""
    with database(request.param, tmp_path) as url:
        yield url
