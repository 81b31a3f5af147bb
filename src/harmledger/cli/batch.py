"""``harmledger batch``: ``run`` with extraction on a Dask cluster."""

from __future__ import annotations

import click

from harmledger import batch as dask_batch
from harmledger.cli import options
from harmledger.cli.ledger import ingest_options, ingest_with_progress
from harmledger.cli.options import db_option


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes of a local Dask cluster (default: one per core).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="A running Dask scheduler's address (its workers need harmledger installed).",
)
@ingest_options
def batch(
    inputs: tuple[str, ...],
    db: str,
    workers: int | None,
    scheduler: str | None,
    published: str | None,
    max_bytes: int | None,
    time_budget: float | None,
    follow_symlinks: bool,
    quiet: bool,
    no_fuse: bool,
    chunk_size: int,
) -> None:
    """Like `run`, with extraction spread over the workers of a Dask cluster.

    INPUT is a file, a folder, JSON Lines (also .jsonl.gz) or a web archive (.warc,
    .warc.gz). Documents go to the workers in chunks; this process reads them, stores
    each chunk's results in one transaction and fuses them, in input order, so the
    ledger ends as `run` would leave it. Killed, it is started again with the same
    command and finishes the job. A local cluster by default; --scheduler uses a running
    one (see docs/scale.md).

    Example: harmledger batch news.jsonl.gz --db postgresql://localhost/ledger --workers 4
    """
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a local cluster) or --scheduler, not both")
    settings = options.settings(
        published, max_bytes, time_budget=time_budget, follow_symlinks=follow_symlinks
    )
    with dask_batch.cluster(workers=workers, scheduler=scheduler) as client:
        ingest_with_progress(
            db,
            inputs,
            settings,
            quiet=quiet,
            fuse=not no_fuse,
            chunk_size=chunk_size,
            extractor=dask_batch.extractor(client, settings),
            storer=dask_batch.storer(client, settings),
        )
