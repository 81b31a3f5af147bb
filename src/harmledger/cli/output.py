"""What the commands print: tables on a terminal, JSON Lines, JSON or CSV otherwise."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

import click

from harmledger.errors import ReadError
from harmledger.export import write_csv
from harmledger.model import Record
from harmledger.safe import shown, unicode_text
from harmledger.show import toll_text

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
    killed = (d.get("counts") or {}).get("killed") or {}
    return [
        d["incident_id"][:8],
        str(d.get("doc_id", "")),
        event,
        toll_text(killed.get("min"), killed.get("max")),
        date_.get("start") or "-",
        place,
        (d.get("actor1") or {}).get("name") or "-",
        f"{d.get('confidence', 0):.2f}",
    ]


def _clip(s: str, width: int) -> str:
    s = shown(s)  # a name's newline or escape sequence must not act on the terminal
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
        return write_csv(records, out, texts=texts)
    dicts = (r.incident.to_contract() if contract else r.to_dict() for r in records)
    if fmt == "jsonl":
        n = 0
        for d in dicts:
            out.write(unicode_text(json.dumps(d, ensure_ascii=False)) + "\n")
            n += 1
        return n
    if fmt == "json":
        items = list(dicts)
        out.write(unicode_text(json.dumps(items, ensure_ascii=False, indent=2)))
        out.write("\n")
        return len(items)
    return write_table(dicts, out)


def report_error(err: ReadError) -> None:
    """``error: NAME: REASON`` on standard error, one line whatever the name holds."""
    echo_error(f"error: {err.name}: {err.reason}")


def echo_error(message: str) -> None:
    """A message on standard error, its control characters escaped (one line)."""
    click.echo(shown(message), err=True)
