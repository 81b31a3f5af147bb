"""The ledger's commands: run, incidents, show, export, fused, fuse, merge, split, stats."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

import click

from harmledger import export as ex
from harmledger.cli import options
from harmledger.cli.options import (
    db_option,
    existing,
    filter_options,
    format_option,
    reading_options,
)
from harmledger.cli.output import report_error, write_records
from harmledger.config import Settings
from harmledger.fuse.ledger import Fuser
from harmledger.ingest import count_documents
from harmledger.runner import CHUNK, Extractor, RunSummary, Step, Storer, ingest
from harmledger.safe import shown, unicode_text
from harmledger.show import fused_table, render_fused, render_record
from harmledger.store.filters import Filters
from harmledger.store.ledger import Ledger


def ingest_options(f: Any) -> Any:
    """The options of a command that stores what it reads (``run``, ``batch``): reading's,
    ``--quiet``, ``--no-fuse`` and ``--chunk-size``."""
    for option in reversed(
        (
            reading_options,
            click.option("--quiet", "-q", is_flag=True, help="Print only the summary."),
            click.option(
                "--no-fuse",
                is_flag=True,
                help="Do not fuse new reports with the ledger's incidents.",
            ),
            click.option(
                "--chunk-size",
                type=click.IntRange(min=1),
                default=CHUNK,
                show_default=True,
                help="Documents stored in one transaction and fused together.",
            ),
        )
    ):
        f = option(f)
    return f


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@ingest_options
def run(
    inputs: tuple[str, ...],
    db: str,
    published: str | None,
    max_bytes: int | None,
    time_budget: float | None,
    follow_symlinks: bool,
    quiet: bool,
    no_fuse: bool,
    chunk_size: int,
) -> None:
    """Read reports, extract incidents and store them in the ledger.

    Idempotent: a document already processed by this version adds nothing (and is not
    extracted again). Documents are stored a chunk at a time, and each chunk's new
    reports are fused as it is stored: a report of an event the ledger already holds
    joins that fused incident (see `harmledger fused`). A run that was killed can be
    started again with the same command: it finishes the job, and reports an
    interrupted run stored but did not fuse are fused first.

    Example: harmledger run examples/ --db ledger.db
    """
    settings = options.settings(
        published, max_bytes, time_budget=time_budget, follow_symlinks=follow_symlinks
    )
    ingest_with_progress(db, inputs, settings, quiet=quiet, fuse=not no_fuse, chunk_size=chunk_size)


def ingest_with_progress(
    db: str,
    inputs: Sequence[str],
    settings: Settings,
    *,
    quiet: bool,
    fuse: bool,
    chunk_size: int,
    extractor: Extractor[Any] | None = None,
    storer: Storer | None = None,
) -> RunSummary:
    """:func:`ingest` with a progress bar on a terminal (its total counted beside the
    work), errors on standard error and a summary; exit status 1 if a document failed."""
    from tqdm import tqdm

    show = not quiet and sys.stderr.isatty()
    bar = tqdm(unit="doc", disable=not show, file=sys.stderr, leave=False, dynamic_ncols=True)
    if show and "-" not in inputs:
        _count_in_background(bar, list(inputs), settings)

    def on_step(step: Step) -> None:
        bar.update(1)
        if step.error is not None:
            report_error(step.error)

    with Ledger(db) as ledger:
        summary = ingest(
            ledger,
            list(inputs),
            settings,
            fuse=fuse,
            stdin=sys.stdin.buffer,
            on_step=on_step,
            chunk_size=chunk_size,
            extractor=extractor,
            storer=storer,
            via="cli",
        )
        bar.close()
        total = ledger.stats()
    secs = summary.seconds
    rate = (summary.read + summary.failed) / secs if secs > 0 else 0.0
    if summary.interrupted:
        runs = ", ".join(str(r) for r in summary.interrupted)
        click.echo(f"Earlier run(s) {runs} had been interrupted; closed as such.", err=True)
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
    return summary


def _count_in_background(bar: Any, inputs: list[str], settings: Settings) -> None:
    """Give the bar its total (hence the time remaining) once the inputs are counted."""

    def count() -> None:
        total = count_documents(inputs, settings)
        if total is not None:
            bar.total = total
            bar.refresh()

    threading.Thread(target=count, daemon=True).start()


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
@click.option(
    "--context",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Characters of context shown.",
)
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
            raise click.ClickException(
                f"no incident or fused incident '{shown(incident_id)}' in {shown(db)}"
            )
        document = ledger.document(record.incident.doc_id) if record else None
    if record is None:  # a fused incident's id
        assert fused is not None
        if as_json:
            click.echo(
                unicode_text(json.dumps(fused.to_dict(), ensure_ascii=False, indent=2, default=str))
            )
        else:
            click.echo(render_fused(fused))
        return
    if as_json:
        click.echo(unicode_text(json.dumps(record.to_dict(), ensure_ascii=False, indent=2)))
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
    type=click.Choice(["csv", "json", "geojson", "records"]),
    default="csv",
    show_default=True,
    help="csv has ACLED's columns; geojson draws an incident placed only to a country at "
    "the country's representative point (hl_point says what each point stands for); "
    "records (with --per-report) is JSON Lines of each incident's words and type, which "
    "`harmledger train` reads.",
)
@click.option(
    "--per-report",
    is_flag=True,
    help="One row per report's incident instead of one per fused incident.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Only incidents a person accepted or edited (same as --review reviewed).",
)
@click.option(
    "--public",
    is_flag=True,
    help="Leave out protected words: anonymous and pseudonymous witnesses' quotes and "
    "speakers, victims' names, marked names, and the sentences holding them.",
)
def export(
    db: str,
    fmt: str,
    per_report: bool,
    output: str | None,
    reviewed_only: bool,
    public: bool,
    filters: Filters,
) -> None:
    """Export the ledger as CSV (ACLED columns), JSON or GeoJSON.

    By default one row per fused incident (many reports of one event), with its sources,
    the range of tolls reported and any disagreement; --per-report gives each report's
    incident instead, with its review state (hl_review); incidents a person rejected are
    left out unless --review rejected asks for them.

    Example: harmledger export --format json --public --reviewed-only -o public.json
    """
    if reviewed_only:
        filters = replace(filters, review="reviewed")
    if fmt == "records" and not per_report:
        raise click.UsageError("--format records is per report: add --per-report")
    with Ledger(existing(db)) as ledger:
        protected: dict[str, Any] | None = None
        if per_report:
            records = ledger.incidents(filters)
            if filters.review != "rejected":
                records = [r for r in records if r.review_state != "rejected"]
            texts = ledger.texts({r.incident.doc_id for r in records})
            if public:
                protected = ex.protections(ledger, texts)
                texts = ex.masked_texts(texts, protected)
        else:
            fused = ledger.fused(filters)
            if filters.review != "rejected":
                states = ex.review_states(ledger, fused)
                fused = [f for f in fused if states.get(f.fused_id) != "rejected"]
            states = ex.review_states(ledger, fused)
            notes = ex.fused_notes(ledger, fused, public=public)
            if public:
                protected = ex.protections(ledger, {r.doc_id for f in fused for r in f.reports})
            _warn_pending(ledger)

    def write(fp: TextIO) -> int:
        if per_report:
            if fmt == "records":
                return ex.write_training_records(records, fp, texts=texts)
            if fmt == "json":
                return ex.write_json(records, fp, protected=protected)
            if fmt == "csv":
                return ex.write_csv(records, fp, texts=texts)
            result = ex.write_geojson(records, fp, texts=texts)
        else:
            if fmt == "json":
                items = ex.fused_dicts(fused, states)
                if protected is not None:
                    items = ex.public_fused(fused, protected, items)
                return ex.write_dicts(items, fp)
            if fmt == "csv":
                return ex.write_fused_csv(fused, fp, notes=notes, reviews=states)
            result = ex.write_fused_geojson(fused, fp, notes=notes, reviews=states)
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
        click.echo(f"{written} {what} written to {shown(output)}", err=True)
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
            click.echo(unicode_text(json.dumps(f.to_dict(), ensure_ascii=False, default=str)))
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
        result = Fuser(ledger).all(undo=undo, via="cli")
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
        made = Fuser(ledger).merge(ids, note=note, via="cli")
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {shown(f.reason)}")


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
        made = Fuser(ledger).split(fused_id, incident_ids, note=note, via="cli")
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {shown(f.reason)}")


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
