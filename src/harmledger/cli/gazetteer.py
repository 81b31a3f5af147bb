"""``harmledger gazetteer``: manage the place gazetteer."""

from __future__ import annotations

import os
from pathlib import Path

import click

from harmledger.audit import login_name
from harmledger.cli.options import DEFAULT_DB, is_ledger
from harmledger.config import Settings
from harmledger.runner import import_gazetteer
from harmledger.safe import shown
from harmledger.store.ledger import Ledger


@click.group()
def gazetteer() -> None:
    """Manage the place gazetteer.

    Example: harmledger gazetteer import IQ.txt
    """


@gazetteer.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--db",
    default=lambda: os.environ.get("HARMLEDGER_DB", DEFAULT_DB),
    show_default=f"$HARMLEDGER_DB or {DEFAULT_DB}",
    help="Ledger whose audit log records the import (when it exists).",
)
def gazetteer_import(path: str, db: str) -> None:
    """Add a GeoNames country dump (the IQ.txt format) or a Who's On First export (a WOF
    SQLite file, a WOF meta CSV, or a TSV with wof_id, placetype, wof_name, variants...) to
    the local gazetteer.

    The places are stored under $HARMLEDGER_HOME/gazetteer and used from the next run on.
    The import (file, SHA-256, places) is an entry of the ledger's audit log.

    Example: harmledger gazetteer import ~/Downloads/IQ.txt --db ledger.db
    """
    settings = Settings()
    if is_ledger(db):
        with Ledger(db) as ledger:
            kind, n = import_gazetteer(
                Path(path), settings, ledger=ledger, by=login_name(), via="cli"
            )
    else:
        kind, n = import_gazetteer(Path(path), settings)
        note = f"note: no ledger at {shown(db)}; the import is in no audit log (give --db)"
        click.echo(note, err=True)
    source = "Who's On First" if kind == "wof" else "GeoNames"
    where = shown(str(settings.user_gazetteer_dir))
    click.echo(f"{n} place(s) imported from a {source} file into {where}")
