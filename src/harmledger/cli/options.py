"""Options shared by the commands: the ledger, the output format, the list filters."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import click

from harmledger.config import Settings, parse_iso_date
from harmledger.store.filters import Filters

FORMATS = ("jsonl", "json", "csv", "table")
DEFAULT_DB = "harmledger.db"

Decorator = Callable[[Any], Any]


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


def settings(published: str | None, max_bytes: int | None = None) -> Settings:
    s = Settings(published=parse_iso_date(published))
    return s.with_(max_bytes=max_bytes) if max_bytes else s


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        default=lambda: os.environ.get("HARMLEDGER_DB", DEFAULT_DB),
        show_default=f"$HARMLEDGER_DB or {DEFAULT_DB}",
        help="Ledger: an SQLite file path or a database URL (postgresql://...).",
    )(f)


def format_option(formats: Sequence[str] = FORMATS) -> Decorator:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=None,
        help="Output format (default: table on a terminal, jsonl otherwise).",
    )


def filter_options(*, fused: bool) -> Decorator:
    """One ``--option`` per :class:`Filters` field (those of fused incidents only with
    ``fused``); the command receives them as one value, ``filters``."""
    wanted = [f for f in fields(Filters) if fused or not f.metadata["fused_only"]]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_filters(*args: Any, **kw: Any) -> Any:
            given = {f.name: kw.pop(f.name, None) for f in wanted}
            return command(*args, filters=Filters.parse(**given), **kw)

        for f in reversed(wanted):
            kind = f.metadata["type"]
            with_filters = click.option(
                "--" + f.name.replace("_", "-"),
                f.name,
                type=str if kind is date else kind,
                help=f.metadata["help"],
            )(with_filters)
        return with_filters

    return decorate


def existing(db: str) -> str:
    """``db`` if it names a ledger that exists (or a database URL); a clear error if not."""
    if "://" not in db and not Path(db).exists():
        raise click.ClickException(
            f"no ledger at {db}; create one with 'harmledger run INPUT --db {db}'"
        )
    return db
