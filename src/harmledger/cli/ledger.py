"""The ledger's commands: run, incidents, show, export, fused, fuse, merge, split, stats."""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

import click

from harmledger import export as ex
from harmledger.cli import options
from harmledger.cli.options import db_option, existing, filter_options, format_option
from harmledger.cli.output import report_error, write_records
from harmledger.fuse.ledger import Fuser
from harmledger.runner import FUSE_BATCH, Step, ingest
from harmledger.show import fused_table, render_fused, render_record
from harmledger.store.filters import Filters
from harmledger.store.ledger import Ledger


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--max-bytes", type=int, help="Refuse documents larger than this.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option(
    "--no-fuse", is_flag=True, help="Do not fuse new reports with the ledger's incidents."
)
def run(
    inputs: tuple[str, ...],
    db: str,
    published: str | None,
    max_bytes: int | None,
    quiet: bool,
    no_fuse: bool,
) -> None:
    """Read reports, extract incidents and store them in the ledger.

    Idempotent: a document already processed by this version adds nothing. New reports
    are fused as they arrive (every 50 documents and at the end): a report of an event the
    ledger already holds joins that fused incident (see `harmledger fused`). Reports an
    interrupted run stored but did not fuse are fused first.

    Example: harmledger run examples/ --db ledger.db
    """
    from tqdm import tqdm

    settings = options.settings(published, max_bytes)
    bar = tqdm(unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr, leave=False)

    def on_step(step: Step) -> None:
        bar.update(1)
        if step.error is not None:
            report_error(step.error)

    with Ledger(db) as ledger:
        summary = ingest(
            ledger,
            list(inputs),
            settings,
            fuse=not no_fuse,
            stdin=sys.stdin.buffer,
            on_step=on_step,
            fuse_every=FUSE_BATCH,
        )
        bar.close()
        total = ledger.stats()
    secs = summary.seconds
    rate = (summary.read + summary.failed) / secs if secs > 0 else 0.0
    click.echo(
        f"{summary.read} document(s) read: {summary.new} new, {summary.skipped} already in "
        f"the ledger, {summary.failed} failed; {summary.incidents} incident(s) stored "
        f"in {secs:.1f} s ({rate:.1f} docs/s).",
        err=True,
    )
    click.echo(
        f"Ledger {db}: {total['documents']} document(s), {total['incidents']} incident(s), "
        f"{total['fused']} fused incident(s) of which {total['fused_multi']} from 2+ reports.",
        err=True,
    )
    if summary.failed:
        sys.exit(1)


@click.command()
@db_option
@filter_options(fused=False)
@format_option()
def incidents(db: str, fmt: str | None, filters: Filters) -> None:
    """List the ledger's incidents, filtered.

    Example: harmledger incidents --violation torture --since 2016-01-01 --format table
    """
    with Ledger(existing(db)) as ledger:
        records = ledger.incidents(filters)
        texts = ledger.texts({r.incident.doc_id for r in records})
    fmt = fmt or options.default_format()
    write_records(records, fmt, sys.stdout, texts=texts, contract=False)


@click.command()
@click.argument("incident_id")
@db_option
@click.option("--context", default=60, show_default=True, help="Characters of context shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored record as JSON.")
def show(incident_id: str, db: str, context: int, as_json: bool) -> None:
    """Show one incident with each field's source words in context, or a fused incident
    with its reports, the reason they were fused and where they disagree.

    INCIDENT_ID is an incident or fused id, or a unique prefix (at least 6 characters).

    Example: harmledger show 3f9a2c81 --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        record = ledger.get(incident_id)
        fused = ledger.get_fused(incident_id)
        if record is None and fused is None:
            raise click.ClickException(f"no incident or fused incident '{incident_id}' in {db}")
        document = ledger.document(record.incident.doc_id) if record else None
    if record is None:  # a fused incident's id
        assert fused is not None
        if as_json:
            click.echo(json.dumps(fused.to_dict(), ensure_ascii=False, indent=2, default=str))
        else:
            click.echo(render_fused(fused))
        return
    if as_json:
        click.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(render_record(record, document.text if document else "", context=context))
    if fused is not None and len(fused.reports) > 1:
        click.echo(
            f"\nPart of fused incident {fused.fused_id} ({len(fused.reports)} reports, "
            f"{fused.sources} independent source(s)): harmledger show {fused.fused_id[:8]}"
        )


@click.command()
@db_option
@filter_options(fused=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "geojson"]),
    default="csv",
    show_default=True,
    help="csv has ACLED's columns; geojson draws an incident placed only to a country at "
    "the country's representative point (hl_point says what each point stands for).",
)
@click.option(
    "--per-report",
    is_flag=True,
    help="One row per report's incident instead of one per fused incident.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here, not stdout.")
def export(db: str, fmt: str, per_report: bool, output: str | None, filters: Filters) -> None:
    """Export the ledger as CSV (ACLED columns), JSON or GeoJSON.

    By default one row per fused incident (many reports of one event), with its sources,
    the range of tolls reported and any disagreement; --per-report gives each report's
    incident instead.

    Example: harmledger export --format csv -o incidents.csv --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        if per_report:
            records = ledger.incidents(filters)
            texts = ledger.texts({r.incident.doc_id for r in records})
        else:
            fused = ledger.fused(filters)
            notes = ex.fused_notes(ledger, fused)
            _warn_pending(ledger)

    def write(fp: TextIO) -> int:
        if per_report:
            if fmt == "json":
                return ex.write_json(records, fp)
            if fmt == "csv":
                return ex.write_csv(records, fp, texts=texts)
            result = ex.write_geojson(records, fp, texts=texts)
        else:
            if fmt == "json":
                return ex.write_fused_json(fused, fp)
            if fmt == "csv":
                return ex.write_fused_csv(fused, fp, notes=notes)
            result = ex.write_fused_geojson(fused, fp, notes=notes)
        if result.without_coordinates:
            click.echo(
                f"{result.without_coordinates} incident(s) without a place or a country left out",
                err=True,
            )
        return result.written

    if output:
        with open(output, "w", encoding="utf-8", newline="") as fp:
            written = write(fp)
        what = "incident(s)" if per_report else "fused incident(s)"
        click.echo(f"{written} {what} written to {output}", err=True)
    else:
        write(sys.stdout)


@click.command()
@db_option
@filter_options(fused=True)
@format_option()
def fused(db: str, fmt: str | None, filters: Filters) -> None:
    """List fused incidents: each event once, with its sources and the tolls reported.

    Example: harmledger fused --min-sources 2 --format table --db ledger.db
    """
    fmt = fmt or options.default_format()
    with Ledger(existing(db)) as ledger:
        items = ledger.fused(filters)
        notes = ex.fused_notes(ledger, items) if fmt == "csv" else {}
        _warn_pending(ledger)
    if fmt == "table":
        click.echo(fused_table(items), nl=False)
    elif fmt == "jsonl":
        for f in items:
            click.echo(json.dumps(f.to_dict(), ensure_ascii=False, default=str))
    elif fmt == "json":
        ex.write_fused_json(items, sys.stdout)
    else:
        ex.write_fused_csv(items, sys.stdout, notes=notes)


def _warn_pending(ledger: Ledger) -> None:
    pending = ledger.pending()
    if pending:
        click.echo(
            f"note: {pending} incident(s) are not fused yet and are not listed (a run was "
            "interrupted, or used --no-fuse); `harmledger fuse` fuses them",
            err=True,
        )


@click.command()
@db_option
@click.option("--undo", is_flag=True, help="Put every report on its own again (keeps merges).")
def fuse(db: str, undo: bool) -> None:
    """Fuse the whole ledger: reports of one event become one fused incident.

    Recomputes every group from the current incidents; merges and splits made with
    `harmledger merge` / `split` are kept. `harmledger run` already fuses new reports as
    they arrive; run this after changing many documents, or with --undo to take
    automatic fusion back.

    Example: harmledger fuse --db ledger.db
    """
    t0 = time.perf_counter()
    with Ledger(existing(db)) as ledger:
        result = Fuser(ledger).all(undo=undo)
    secs = time.perf_counter() - t0
    click.echo(
        f"{result.reports} report(s) -> {result.fused} fused incident(s), {result.multi} of "
        f"them from 2+ reports, in {secs:.1f} s.",
        err=True,
    )
    if result.stale_decisions:
        click.echo(
            f"{result.stale_decisions} incident(s) named in merge/split decisions are no "
            "longer current (their document was re-processed); those decisions no longer apply",
            err=True,
        )


@click.command()
@click.argument("ids", nargs=-1, required=True)
@db_option
@click.option("--note", help="Why (kept with the decision).")
def merge(ids: tuple[str, ...], db: str, note: str | None) -> None:
    """Merge fused incidents (or incidents) by hand: they are one event.

    IDS are fused ids or incident ids, or unique prefixes of 6+ characters. The decision
    is kept and wins over the rules on every later fuse.

    Example: harmledger merge 2c9ca465 80813be4 --note "same market bombing" --db ledger.db
    """
    if len(ids) < 2:
        raise click.UsageError("merge needs at least two ids")
    with Ledger(existing(db)) as ledger:
        made = Fuser(ledger).merge(ids, note=note)
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {f.reason}")


@click.command()
@click.argument("fused_id")
@click.argument("incident_ids", nargs=-1)
@db_option
@click.option("--note", help="Why (kept with the decision).")
def split(fused_id: str, incident_ids: tuple[str, ...], db: str, note: str | None) -> None:
    """Split a fused incident by hand: INCIDENT_IDS leave it (together), or, with none
    given, every report stands on its own. The decision is kept on every later fuse.

    Example: harmledger split 2c9ca465 c9e5e985 --note "next day's attack" --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        made = Fuser(ledger).split(fused_id, incident_ids, note=note)
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {f.reason}")


@click.command()
@db_option
def stats(db: str) -> None:
    """Count what the ledger holds: documents, incidents, mentions, runs, read errors.

    Example: harmledger stats --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        for k, v in ledger.stats().items():
            click.echo(f"{k:>10}  {v}")


COMMANDS: tuple[Any, ...] = (run, incidents, show, export, fused, fuse, merge, split, stats)
