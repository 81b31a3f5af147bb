"""``harmledger extract``: read and extract, print the incidents, store nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import click

from harmledger.cli import options
from harmledger.cli.options import format_option, reading_options
from harmledger.cli.output import report_error, write_records
from harmledger.errors import ReadError
from harmledger.learn import load_model
from harmledger.model import Record
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.runner import extracted


@click.command()
@click.argument("inputs", nargs=-1)
@format_option()
@reading_options
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A learned event-type model (harmledger train) that re-decides types after the rules.",
)
def extract(
    inputs: tuple[str, ...],
    fmt: str | None,
    published: str | None,
    max_bytes: int | None,
    time_budget: float | None,
    follow_symlinks: bool,
    model: Path | None,
) -> None:
    """Extract incidents from reports and print them (nothing is stored).

    INPUT is a file (.txt, .html, .htm, .jsonl), a directory (read recursively) or '-' for
    standard input; with no INPUT, standard input is read.

    Example: harmledger extract report.txt --published 2016-10-18 --format json
    """
    settings = options.settings(
        published, max_bytes, time_budget=time_budget, follow_symlinks=follow_symlinks
    ).with_(model=model)
    if model is not None:
        load_model(model)  # a bad model file fails here, once, not once per document
    version = pipeline_for(settings).version
    failed = 0
    texts: dict[str, str] = {}
    now = datetime.now(UTC)

    def records() -> Iterable[Record]:
        nonlocal failed
        for item in extracted(list(inputs), settings, stdin=sys.stdin.buffer):
            if isinstance(item, ReadError):
                failed += 1
                report_error(item)
                continue
            doc = item.document
            texts.clear()  # only the current document's text is needed
            texts[doc.id] = doc.text
            for inc in item.incidents:
                yield Record(inc, doc.name, doc.meta, now, version)

    write_records(
        records(), fmt or options.default_format(), sys.stdout, texts=texts, contract=True
    )
    sys.stdout.flush()
    if failed:
        click.echo(f"{failed} document(s) could not be read", err=True)
        sys.exit(1)
