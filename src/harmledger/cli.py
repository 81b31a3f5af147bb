"""The command line: ``harmledger COMMAND``. Every command's help has an ``Example:``."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from harmledger import __version__
from harmledger.config import Settings
from harmledger.errors import MSG_EXTRACTION, HarmledgerError, ReadError
from harmledger.learn.cli import train
from harmledger.model import Annotated, Document, Record
from harmledger.pipeline.pipeline import Pipeline

FORMATS = ("jsonl", "json", "csv", "table")
#: `run` fuses new reports every this many documents (one neighbourhood query per batch;
#: a batch cut short by a crash is fused by the next run, fuse, fused or export).
FUSE_BATCH = 50
DEFAULT_DB = "harmledger.db"


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


def _settings(published: str | None, max_bytes: int | None = None) -> Settings:
    from harmledger.api import parse_date

    s = Settings(published=parse_date(published))
    return s.with_(max_bytes=max_bytes) if max_bytes else s


def _db_option(f: Any) -> Any:
    return click.option(
        "--db",
        default=lambda: os.environ.get("HARMLEDGER_DB", DEFAULT_DB),
        show_default=f"$HARMLEDGER_DB or {DEFAULT_DB}",
        help="Ledger: an SQLite file path or a database URL (postgresql://...).",
    )(f)


def _format_option(formats: Sequence[str] = FORMATS) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=None,
        help="Output format (default: table on a terminal, jsonl otherwise).",
    )


def _filter_options(f: Any) -> Any:
    opts = [
        click.option("--event-type", help="ACLED event type, e.g. 'Violence against civilians'."),
        click.option("--violation", help="A violation, e.g. 'torture'."),
        click.option("--actor", help="Actor name (substring, either side)."),
        click.option("--place", help="Place, admin1 or country (substring)."),
        click.option("--since", help="Incidents on or after this date (YYYY-MM-DD)."),
        click.option("--until", help="Incidents on or before this date (YYYY-MM-DD)."),
        click.option("--min-confidence", type=float, help="Only incidents at least this sure."),
        click.option("--limit", type=int, help="At most this many incidents."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    from harmledger.api import parse_date

    return {
        "event_type": kw.get("event_type"),
        "violation": kw.get("violation"),
        "actor": kw.get("actor"),
        "place": kw.get("place"),
        "since": parse_date(kw.get("since")),
        "until": parse_date(kw.get("until")),
        "min_confidence": kw.get("min_confidence"),
        "limit": kw.get("limit"),
    }


# --------------------------------------------------------------------------- rendering

TABLE_COLUMNS = (
    ("id", 8),
    ("document", 18),
    ("event", 30),
    ("killed", 6),
    ("date", 10),
    ("place", 22),
    ("perpetrator", 26),
    ("conf", 4),
)


def _table_row(d: dict[str, Any]) -> list[str]:
    loc = d.get("location") or {}
    date_ = d.get("date") or {}
    event = d.get("sub_event_type") or ", ".join(d.get("violations") or []) or "-"
    place = loc.get("name") or (f"({loc['country']})" if loc.get("country") else "-")
    return [
        d["incident_id"][:8],
        str(d.get("doc_id", "")),
        event,
        str(d.get("fatalities", 0)),
        date_.get("start") or "-",
        place,
        (d.get("actor1") or {}).get("name") or "-",
        f"{d.get('confidence', 0):.2f}",
    ]


def _clip(s: str, width: int) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


def write_table(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    out.write("  ".join(name.ljust(w) for name, w in TABLE_COLUMNS).rstrip() + "\n")
    out.write("  ".join("-" * w for _, w in TABLE_COLUMNS) + "\n")
    for d in rows:
        cells = _table_row(d)
        out.write(
            "  ".join(
                _clip(c, w).ljust(w) for c, (_, w) in zip(cells, TABLE_COLUMNS, strict=True)
            ).rstrip()
            + "\n"
        )
        n += 1
    return n


def write_records(
    records: Iterable[Record], fmt: str, out: TextIO, *, texts: dict[str, str], contract: bool
) -> int:
    """Write records in ``fmt``; returns how many were written.

    ``contract`` writes exactly the CONTRACT.md object (``extract``); otherwise the stored
    record with its document metadata. ``texts`` maps document id -> cleaned text (for the
    CSV ``notes``); a streaming caller may fill it as it yields records.
    """
    if fmt == "csv":
        from harmledger.export import write_csv

        return write_csv(records, out, texts=texts)
    dicts = (r.incident.to_contract() if contract else r.to_dict() for r in records)
    if fmt == "jsonl":
        n = 0
        for d in dicts:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "json":
        items = list(dicts)
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(items)
    return write_table(dicts, out)


def _report_error(err: ReadError) -> None:
    click.echo(f"error: {err.name}: {err.reason}", err=True)


def _annotate(pipeline: Pipeline, document: Document) -> Annotated | ReadError:
    """Run the pipeline on one document; a bug in a stage fails that document only."""
    try:
        return pipeline(document)
    except Exception as e:  # the batch goes on; the user is told which document and why
        return ReadError(document.name, MSG_EXTRACTION.format(detail=f"{type(e).__name__}: {e}"))


# --------------------------------------------------------------------------- commands


class _Group(click.Group):
    """Turns harmledger's own errors into clean one-line CLI errors (exit status 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HarmledgerError as e:
            raise click.UsageError(str(e)) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harmledger")
def main() -> None:
    """harmledger: turn reports of violence against civilians into a verifiable ledger.

    Example: harmledger run examples/ --db ledger.db && harmledger incidents --db ledger.db
    """


@main.command()
@click.argument("inputs", nargs=-1)
@_format_option()
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--max-bytes", type=int, help="Refuse documents larger than this.")
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
    model: Path | None,
) -> None:
    """Extract incidents from reports and print them (nothing is stored).

    INPUT is a file (.txt, .html, .htm, .jsonl), a directory (read recursively) or '-' for
    standard input; with no INPUT, standard input is read.

    Example: harmledger extract report.txt --published 2016-10-18 --format json
    """
    from harmledger.api import pipeline_for
    from harmledger.ingest import read_inputs

    settings = _settings(published, max_bytes).with_(model=model)
    if model is not None:
        from harmledger.learn import load_model

        load_model(model)  # a bad model file fails here, once, not once per document
    pipeline = pipeline_for(settings)
    failed = 0
    texts: dict[str, str] = {}
    now = datetime.now(UTC)

    def records() -> Iterable[Record]:
        nonlocal failed
        for item in read_inputs(list(inputs), settings, stdin=sys.stdin.buffer):
            if isinstance(item, ReadError):
                failed += 1
                _report_error(item)
                continue
            texts.clear()  # only the current document's text is needed
            texts[item.id] = item.text
            annotated = _annotate(pipeline, item)
            if isinstance(annotated, ReadError):
                failed += 1
                _report_error(annotated)
                continue
            for inc in annotated.incidents:
                yield Record(inc, item.name, item.meta, now, pipeline.version)

    write_records(records(), fmt or _default_format(), sys.stdout, texts=texts, contract=True)
    sys.stdout.flush()
    if failed:
        click.echo(f"{failed} document(s) could not be read", err=True)
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_db_option
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
    ledger already holds joins that fused incident (see `harmledger fused`).

    Example: harmledger run examples/ --db ledger.db
    """
    from tqdm import tqdm

    from harmledger.api import pipeline_for
    from harmledger.ingest import read_inputs
    from harmledger.store.ledger import Ledger

    settings = _settings(published, max_bytes)
    pipeline = pipeline_for(settings)
    stats = {"read": 0, "new": 0, "skipped": 0, "failed": 0, "incidents": 0}
    arrived: list[str] = []  # stored, not fused yet (fused every FUSE_BATCH documents)
    t0 = time.perf_counter()
    with Ledger(db) as ledger:
        run_id = ledger.start_run(list(inputs), pipeline.version)
        bar = tqdm(
            unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr, leave=False
        )
        for item in read_inputs(list(inputs), settings, stdin=sys.stdin.buffer):
            bar.update(1)
            if isinstance(item, ReadError):
                stats["failed"] += 1
                _report_error(item)
                ledger.record_error(run_id, item.name, item.reason)
                continue
            annotated = _annotate(pipeline, item)
            if isinstance(annotated, ReadError):
                stats["failed"] += 1
                _report_error(annotated)
                ledger.record_error(run_id, annotated.name, annotated.reason)
                continue
            stats["read"] += 1
            result = ledger.add(annotated, pipeline_version=pipeline.version, run_id=run_id)
            if result.skipped:
                stats["skipped"] += 1
            else:
                stats["new"] += 1
                stats["incidents"] += result.incidents_added
                if result.incidents_added:
                    arrived.append(result.document_id)
            if len(arrived) >= FUSE_BATCH and not no_fuse:
                ledger.fuse_pending(arrived)
                arrived.clear()
        if arrived and not no_fuse:
            ledger.fuse_pending(arrived)
        bar.close()
        ledger.finish_run(run_id, stats)
        total = ledger.stats()
    secs = time.perf_counter() - t0
    rate = (stats["read"] + stats["failed"]) / secs if secs > 0 else 0.0
    click.echo(
        f"{stats['read']} document(s) read: {stats['new']} new, {stats['skipped']} already in "
        f"the ledger, {stats['failed']} failed; {stats['incidents']} incident(s) stored "
        f"in {secs:.1f} s ({rate:.1f} docs/s).",
        err=True,
    )
    click.echo(
        f"Ledger {db}: {total['documents']} document(s), {total['incidents']} incident(s), "
        f"{total['fused']} fused incident(s) of which {total['fused_multi']} from 2+ reports.",
        err=True,
    )
    if stats["failed"]:
        sys.exit(1)


@main.command()
@_db_option
@_filter_options
@_format_option()
def incidents(db: str, fmt: str | None, **kw: Any) -> None:
    """List the ledger's incidents, filtered.

    Example: harmledger incidents --violation torture --since 2016-01-01 --format table
    """
    from harmledger.store.ledger import Ledger

    with Ledger(_existing(db)) as ledger:
        records = ledger.incidents(**_filters(kw))
        texts = ledger.texts({r.incident.doc_id for r in records})
    fmt = fmt or _default_format()
    write_records(records, fmt, sys.stdout, texts=texts, contract=False)


@main.command()
@click.argument("incident_id")
@_db_option
@click.option("--context", default=60, show_default=True, help="Characters of context shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored record as JSON.")
def show(incident_id: str, db: str, context: int, as_json: bool) -> None:
    """Show one incident with each field's source words in context, or a fused incident
    with its reports, the reason they were fused and where they disagree.

    INCIDENT_ID is an incident or fused id, or a unique prefix (at least 6 characters).

    Example: harmledger show 3f9a2c81 --db ledger.db
    """
    from harmledger.show import render_fused, render_record
    from harmledger.store.ledger import Ledger

    with Ledger(_existing(db)) as ledger:
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


@main.command()
@_db_option
@_filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "geojson"]),
    default="csv",
    show_default=True,
    help="csv has ACLED's column names; geojson needs coordinates.",
)
@click.option(
    "--per-report",
    is_flag=True,
    help="One row per report's incident instead of one per fused incident.",
)
@click.option("--min-sources", type=int, help="Fused incidents with at least N sources.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here, not stdout.")
def export(
    db: str, fmt: str, per_report: bool, min_sources: int | None, output: str | None, **kw: Any
) -> None:
    """Export the ledger as CSV (ACLED columns), JSON or GeoJSON.

    By default one row per fused incident (many reports of one event), with its sources,
    the range of tolls reported and any disagreement; --per-report gives each report's
    incident instead.

    Example: harmledger export --format csv -o incidents.csv --db ledger.db
    """
    from harmledger import export as ex
    from harmledger.store.ledger import Ledger

    if per_report and min_sources is not None:
        raise click.UsageError("--min-sources applies to fused incidents, not --per-report")
    with Ledger(_existing(db)) as ledger:
        if per_report:
            records = ledger.incidents(**_filters(kw))
            texts = ledger.texts({r.incident.doc_id for r in records})
        else:
            fused = ledger.fused(**_filters(kw), min_sources=min_sources)
            notes = ledger.fused_notes(fused)

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
                f"{result.without_coordinates} incident(s) without coordinates left out", err=True
            )
        return result.written

    if output:
        with open(output, "w", encoding="utf-8", newline="") as fp:
            written = write(fp)
        what = "incident(s)" if per_report else "fused incident(s)"
        click.echo(f"{written} {what} written to {output}", err=True)
    else:
        write(sys.stdout)


@main.command()
@_db_option
@_filter_options
@click.option("--min-sources", type=int, help="Only incidents with at least N sources.")
@_format_option()
def fused(db: str, fmt: str | None, min_sources: int | None, **kw: Any) -> None:
    """List fused incidents: each event once, with its sources and the tolls reported.

    Example: harmledger fused --min-sources 2 --format table --db ledger.db
    """
    from harmledger.store.ledger import Ledger

    fmt = fmt or _default_format()
    with Ledger(_existing(db)) as ledger:
        items = ledger.fused(**_filters(kw), min_sources=min_sources)
        notes = ledger.fused_notes(items) if fmt == "csv" else {}
    if fmt == "table":
        from harmledger.show import fused_table

        click.echo(fused_table(items), nl=False)
        return
    from harmledger import export as ex

    if fmt == "jsonl":
        for f in items:
            click.echo(json.dumps(f.to_dict(), ensure_ascii=False, default=str))
    elif fmt == "json":
        ex.write_fused_json(items, sys.stdout)
    else:
        ex.write_fused_csv(items, sys.stdout, notes=notes)


@main.command()
@_db_option
@click.option("--undo", is_flag=True, help="Put every report on its own again (keeps merges).")
def fuse(db: str, undo: bool) -> None:
    """Fuse the whole ledger: reports of one event become one fused incident.

    Recomputes every group from the current incidents; merges and splits made with
    `harmledger merge` / `split` are kept. `harmledger run` already fuses new reports as
    they arrive; run this after changing many documents, or with --undo to take
    automatic fusion back.

    Example: harmledger fuse --db ledger.db
    """
    from harmledger.store.ledger import Ledger

    t0 = time.perf_counter()
    with Ledger(_existing(db)) as ledger:
        result = ledger.fuse(undo=undo)
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


@main.command()
@click.argument("ids", nargs=-1, required=True)
@_db_option
@click.option("--note", help="Why (kept with the decision).")
def merge(ids: tuple[str, ...], db: str, note: str | None) -> None:
    """Merge fused incidents (or incidents) by hand: they are one event.

    IDS are fused ids or incident ids, or unique prefixes of 6+ characters. The decision
    is kept and wins over the rules on every later fuse.

    Example: harmledger merge 2c9ca465 80813be4 --note "same market bombing" --db ledger.db
    """
    from harmledger.store.ledger import Ledger

    if len(ids) < 2:
        raise click.UsageError("merge needs at least two ids")
    with Ledger(_existing(db)) as ledger:
        made = ledger.merge(ids, note=note)
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {f.reason}")


@main.command()
@click.argument("fused_id")
@click.argument("incident_ids", nargs=-1)
@_db_option
@click.option("--note", help="Why (kept with the decision).")
def split(fused_id: str, incident_ids: tuple[str, ...], db: str, note: str | None) -> None:
    """Split a fused incident by hand: INCIDENT_IDS leave it (together), or, with none
    given, every report stands on its own. The decision is kept on every later fuse.

    Example: harmledger split 2c9ca465 c9e5e985 --note "next day's attack" --db ledger.db
    """
    from harmledger.store.ledger import Ledger

    with Ledger(_existing(db)) as ledger:
        made = ledger.split(fused_id, incident_ids, note=note)
    for f in made:
        click.echo(f"{f.fused_id}  {len(f.reports)} report(s)  {f.reason}")


@main.command()
@_db_option
def stats(db: str) -> None:
    """Count what the ledger holds: documents, incidents, mentions, runs, read errors.

    Example: harmledger stats --db ledger.db
    """
    from harmledger.store.ledger import Ledger

    with Ledger(_existing(db)) as ledger:
        for k, v in ledger.stats().items():
            click.echo(f"{k:>10}  {v}")


@main.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("acled", "fakes", "ucdp", "gold")),
    default=None,
    help="What the file is (default: guessed from the CSV header; .jsonl is gold).",
)
@click.option("--limit", type=int, help="Score only the first N examples.")
@click.option("--errors", type=int, default=0, help="Show the N most informative misses.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--fusion",
    is_flag=True,
    help="Score fusion instead: pairwise precision/recall of merging reports of one event "
    "(harmledger's labelled JSON Lines with an 'event' key, or FA-KES CSV).",
)
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score extraction with a learned event-type model (harmledger train).",
)
def eval_(
    path: str,
    fmt: str | None,
    limit: int | None,
    errors: int,
    as_json: bool,
    fusion: bool,
    model: Path | None,
) -> None:
    """Measure extraction against labelled data: accuracy per field of each document's
    main incident (its highest-confidence incident).

    PATH is harmledger's gold JSON Lines or your own ACLED export, FA-KES or UCDP GED CSV.
    With --fusion, scores merging instead (tests/fusion/reports.jsonl, or FA-KES articles
    grouped by date, governorate and cause of death). A measurement, not a gate: the exit
    status is 0 whatever the scores.

    Example: harmledger eval acled_iraq.csv --errors 20
    """
    from harmledger.eval import evaluate, guess_format, write_report

    if fusion:
        from harmledger.eval.fusion import evaluate_fusion, write_fusion_report

        kind = fmt or guess_format(path)
        if kind not in ("gold", "fakes"):
            raise click.UsageError("--fusion reads harmledger's labelled JSON Lines or FA-KES")
        result = evaluate_fusion(
            path, format="fusion" if kind == "gold" else "fakes", errors=errors or 10
        )
        if as_json:
            json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            write_fusion_report(result, sys.stdout)
        return
    report = evaluate(
        path, format=fmt or guess_format(path), limit=limit, errors=errors, model=model
    )
    if as_json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_report(report, sys.stdout)


@main.group()
def gazetteer() -> None:
    """Manage the place gazetteer.

    Example: harmledger gazetteer import IQ.txt
    """


@gazetteer.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def gazetteer_import(path: str) -> None:
    """Add a GeoNames country dump (the IQ.txt format) to the local gazetteer.

    The places are stored under $HARMLEDGER_HOME/gazetteer and used from the next run on.

    Example: harmledger gazetteer import ~/Downloads/IQ.txt
    """
    from harmledger.gazetteer import import_geonames_dump

    dest = Settings().user_gazetteer_dir
    n = import_geonames_dump(Path(path), dest)
    click.echo(f"{n} place(s) imported into {dest}")


def _existing(db: str) -> str:
    if "://" not in db and not Path(db).exists():
        raise click.ClickException(
            f"no ledger at {db}; create one with 'harmledger run INPUT --db {db}'"
        )
    return db


main.add_command(train)
