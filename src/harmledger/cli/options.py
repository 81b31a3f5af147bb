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

from harmledger.config import TIME_BUDGET, Settings, parse_iso_date
from harmledger.safe import shown
from harmledger.store.filters import Filters

FORMATS = ("jsonl", "json", "csv", "table")
DEFAULT_DB = "harmledger.db"

Decorator = Callable[[Any], Any]


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


def settings(
    published: str | None,
    max_bytes: int | None = None,
    *,
    time_budget: float | None = None,
    follow_symlinks: bool = False,
) -> Settings:
    """The reading settings the command line gives (``--time-budget 0``: no limit)."""
    s = Settings(published=parse_iso_date(published), follow_symlinks=follow_symlinks)
    if max_bytes is not None:
        if max_bytes < 1:
            raise click.BadParameter(
                f"must be 1 or more, not {max_bytes}", param_hint="--max-bytes"
            )
        s = s.with_(max_bytes=max_bytes)
    if time_budget is not None:
        if time_budget < 0:
            raise click.BadParameter(
                f"must be 0 (no limit) or more, not {time_budget:g}", param_hint="--time-budget"
            )
        s = s.with_(time_budget=time_budget or None)
    return s


def reading_options(f: Any) -> Any:
    """The options of the commands that read documents (extract, run)."""
    f = click.option(
        "--follow-symlinks",
        is_flag=True,
        help="Read what symbolic links in an input folder point to outside it "
        "(by default such links are reported and not followed).",
    )(f)
    f = click.option(
        "--time-budget",
        type=float,
        metavar="SECONDS",
        help=f"Stop extracting a document after this long and report it as failed "
        f"(default {TIME_BUDGET:g}; 0: no limit).",
    )(f)
    f = click.option("--max-bytes", type=int, help="Refuse documents larger than this.")(f)
    return click.option(
        "--published", help="Publication date (YYYY-MM-DD) for inputs that carry none."
    )(f)


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


def is_ledger(db: str) -> bool:
    """Does ``db`` name a ledger that exists (a file), or a database URL?"""
    return "://" in db or Path(db).exists()


def existing(db: str) -> str:
    """``db`` if it names a ledger that exists (or a database URL); a clear error if not."""
    if not is_ledger(db):
        raise click.ClickException(
            f"no ledger at {shown(db)}; create one with 'harmledger run INPUT --db {shown(db)}'"
        )
    return db
