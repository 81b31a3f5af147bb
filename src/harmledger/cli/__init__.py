"""The command line: ``harmledger COMMAND``. Every command's help has an ``Example:``.

Each module holds a family of commands as thin layers over the library: :mod:`.extract`
(read and extract, nothing stored), :mod:`.ledger` (run, list, show, export, fuse, merge,
split, stats), :mod:`.batch` (run on a Dask cluster), :mod:`.measure` (eval, train),
:mod:`.gazetteer`. Shared options are in
:mod:`.options` and output in :mod:`.output`.
"""

from __future__ import annotations

from typing import Any

import click

from harmledger.cli import batch, extract, gazetteer, ledger, measure, workspace
from harmledger.errors import HarmledgerError
from harmledger.safe import shown
from harmledger.version import __version__


class _Group(click.Group):
    """Turns harmledger's own errors into clean one-line CLI errors (exit status 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HarmledgerError as e:
            raise click.UsageError(shown(str(e))) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harmledger")
def main() -> None:
    """harmledger: turn reports of violence against civilians into a verifiable ledger.

    Example: harmledger run examples/ --db ledger.db && harmledger incidents --db ledger.db
    """


for _command in (
    extract.extract,
    *ledger.COMMANDS,
    batch.batch,
    measure.eval_,
    measure.train,
    gazetteer.gazetteer,
    *workspace.COMMANDS,
):
    main.add_command(_command)

__all__ = ["main"]
