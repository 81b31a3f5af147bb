"""``harmledger gazetteer``: manage the place gazetteer."""

from __future__ import annotations

from pathlib import Path

import click

from harmledger.config import Settings
from harmledger.gazetteer import import_file


@click.group()
def gazetteer() -> None:
    """Manage the place gazetteer.

    Example: harmledger gazetteer import IQ.txt
    """


@gazetteer.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def gazetteer_import(path: str) -> None:
    """Add a GeoNames country dump (the IQ.txt format) or a Who's On First export (a WOF
    SQLite file, a WOF meta CSV, or a TSV with wof_id, placetype, wof_name, variants...) to
    the local gazetteer.

    The places are stored under $HARMLEDGER_HOME/gazetteer and used from the next run on.

    Example: harmledger gazetteer import ~/Downloads/IQ.txt
    """
    dest = Settings().user_gazetteer_dir
    kind, n = import_file(Path(path), dest)
    source = "Who's On First" if kind == "wof" else "GeoNames"
    click.echo(f"{n} place(s) imported from a {source} file into {dest}")
