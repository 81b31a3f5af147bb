"""Readers for labelled data: harmledger's gold JSON Lines and users' ACLED, FA-KES, UCDP files.

Each reader yields :class:`Example` objects: the text to extract from, the publication date
to give the extractor, and ``gold``, the labelled values in the shape its scorer expects
(see :mod:`harmledger.eval.metrics`). The external files are the user's own data; nothing
from them ships with harmledger.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from harmledger.errors import (
    MSG_ACLED_DATE,
    MSG_FORMAT_UNKNOWN,
    MSG_LABELLED_LINE,
    MSG_MISSING_COLUMNS,
    ReadError,
)

FORMATS = ("acled", "fakes", "ucdp", "gold")

#: columns that identify a CSV format (all must be present; a tuple is one column by any
#: of its names)
SIGNATURES: dict[str, tuple[str | tuple[str, ...], ...]] = {
    # ACLED's exports name the id event_id_cnty; some copies event_id
    "acled": (("event_id_cnty", "event_id"), "event_date", "event_type", "sub_event_type", "notes"),
    "fakes": ("article_content", "date", "location", "nb_civilians"),
    "ucdp": ("side_a", "date_start", "where_prec", "source_headline"),
}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled document."""

    id: str
    text: str
    published: date | None
    gold: dict[str, Any]
    tags: tuple[str, ...] = field(default=())


def guess_format(path: str | Path) -> str:
    """``gold`` for JSON Lines, otherwise the CSV format whose columns the header has."""
    p = Path(path)
    with _open(p) as fp:
        head = fp.read(65536)
    if head.lstrip().startswith("{"):
        return "gold"
    first = next(csv.reader([head.splitlines()[0] if head else ""]), [])
    columns = {c.strip() for c in first}
    for fmt, needed in SIGNATURES.items():
        if not _missing(needed, columns):
            return fmt
    raise ReadError(str(p), MSG_FORMAT_UNKNOWN.format(columns=", ".join(first[:8]) or "none"))


def read_examples(path: str | Path, *, format: str) -> Iterator[Example]:
    readers = {"gold": read_gold, "acled": read_acled, "fakes": read_fakes, "ucdp": read_ucdp}
    if format not in readers:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return readers[format](path)


def lag_days(key: str) -> int:
    """0..3 days between an event and its report, fixed per row (reproducible everywhere)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 4


# --------------------------------------------------------------------------- gold


def json_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line of a labelled JSON Lines file (gold
    examples, fusion reports, reviewed records). A line that is not a JSON object stops the
    read with a :class:`ReadError` naming the file and the line: labels are not skipped."""
    p = Path(path)
    with _open(p) as fp:
        for n, line in enumerate(fp, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ReadError(
                    str(p), MSG_LABELLED_LINE.format(line=n, detail=f"not JSON ({e})")
                ) from None
            if not isinstance(obj, dict):
                raise ReadError(
                    str(p), MSG_LABELLED_LINE.format(line=n, detail="must be a JSON object")
                )
            yield n, obj


def read_gold(path: str | Path) -> Iterator[Example]:
    """harmledger's labelled JSON Lines: ``{"id", "text", "published", "tags", "expected"}``."""
    p = Path(path)
    for n, obj in json_lines(p):
        yield _gold_example(p, n, obj)


def _gold_example(p: Path, n: int, obj: dict[str, Any]) -> Example:
    def bad(detail: str) -> ReadError:
        return ReadError(str(p), MSG_LABELLED_LINE.format(line=n, detail=detail))

    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad("an example needs a non-empty 'text' string")
    expected = obj.get("expected", {})
    if not isinstance(expected, dict):
        raise bad("'expected' must be an object")
    tags = obj.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("'tags' must be a list of strings")
    published = obj.get("published")
    try:
        pub = date.fromisoformat(published) if published else None
    except (TypeError, ValueError):
        raise bad(f"'published' must be YYYY-MM-DD, not {published!r}") from None
    return Example(
        id=str(obj.get("id") or f"line-{n}"),
        text=text,
        published=pub,
        gold=expected,
        tags=tuple(tags),
    )


# --------------------------------------------------------------------------- CSV formats


def _rows(p: Path, fmt: str) -> Iterator[dict[str, str]]:
    with _open(p) as fp:
        reader = csv.DictReader(fp)
        missing = _missing(SIGNATURES[fmt], set(reader.fieldnames or []))
        if missing:
            raise ReadError(str(p), MSG_MISSING_COLUMNS.format(fmt=fmt, missing=", ".join(missing)))
        yield from reader


def _missing(needed: tuple[str | tuple[str, ...], ...], columns: set[str]) -> list[str]:
    """The columns of ``needed`` not in ``columns``; a tuple is one column by any of its names."""
    out = []
    for c in needed:
        names = c if isinstance(c, tuple) else (c,)
        if not any(n in columns for n in names):
            out.append(" or ".join(names))
    return out


#: Date styles ACLED exports have used: 2025-04-01 (also with a time), 9-May-20, 1-Dec-23,
#: 28 December 2022, 01-05-19 (day first, as ACLED writes dates).
_ACLED_DATES = (
    "%Y-%m-%d",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %Y",
    "%d-%m-%y",
    "%d/%m/%Y",
    "%d-%m-%Y",
)


def parse_acled_date(value: str) -> date | None:
    """An ACLED ``event_date`` in any style its exports use; None if it is none of them."""
    text = value.strip()
    if len(text) > 10 and text[4:5] == "-" and text[10:11] in ("T", " "):
        text = text[:10]  # 2021-01-04T00:00:00Z
    for fmt in _ACLED_DATES:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_acled(path: str | Path) -> Iterator[Example]:
    """An ACLED export: text = ``notes``; published = ``event_date`` + 0..3 days."""
    p = Path(path)
    for n, r in enumerate(_rows(p, "acled"), 2):
        event_id = r.get("event_id_cnty") or r.get("event_id") or f"row-{n}"
        event_date = parse_acled_date(r["event_date"])
        if event_date is None:
            raise ReadError(f"{p}:{n}", MSG_ACLED_DATE.format(value=r["event_date"], id=event_id))
        geo_exact = r.get("geo_precision", "").strip() == "1"
        yield Example(
            id=event_id,
            text=r["notes"],
            published=event_date + timedelta(days=lag_days(event_id)),
            gold={
                "event_type": r["event_type"] or None,
                "sub_event_type": r["sub_event_type"] or None,
                "fatalities": _int(r.get("fatalities")) or 0,
                "latitude": _float(r.get("latitude")) if geo_exact else None,
                "longitude": _float(r.get("longitude")) if geo_exact else None,
                "location": r.get("location") or None,
                "date": event_date.isoformat()
                if r.get("time_precision", "").strip() == "1"
                else None,
                "actor1": r.get("actor1") or None,
            },
        )


def parse_fakes_date(value: str) -> date | None:
    """FA-KES dates are ``M/D/YY`` (``3/22/17``); ISO dates are accepted too."""
    value = value.strip()
    for fmt in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def read_fakes(path: str | Path) -> Iterator[Example]:
    """FA-KES: text = ``article_content``; published = ``date``."""
    for n, r in enumerate(_rows(Path(path), "fakes"), 1):
        yield Example(
            id=r.get("unit_id") or f"row-{n}",
            text=r["article_content"],
            published=parse_fakes_date(r["date"]),
            gold={
                "governorate": (r.get("location") or "").strip() or None,
                "civilian_deaths": _int(r.get("nb_civilians")),
            },
        )


def read_ucdp(path: str | Path) -> Iterator[Example]:
    """UCDP GED rows with a ``source_headline``: text = the headline; published =
    ``date_start`` + 0..3 days."""
    for r in _rows(Path(path), "ucdp"):
        text = (r.get("source_headline") or "").strip()
        if not text:
            continue
        start = date.fromisoformat(r["date_start"].strip()[:10])
        geo_exact = r.get("where_prec", "").strip() == "1"
        yield Example(
            id=r.get("id") or r["date_start"],
            text=text,
            published=start + timedelta(days=lag_days(r.get("id") or text)),
            gold={
                "date": start.isoformat() if r.get("date_prec", "").strip() == "1" else None,
                "latitude": _float(r.get("latitude")) if geo_exact else None,
                "longitude": _float(r.get("longitude")) if geo_exact else None,
                "location": r.get("where_coordinates") or None,
                "low": _int(r.get("low")),
                "best": _int(r.get("best")),
                "high": _int(r.get("high")),
                "side_a": r.get("side_a") or None,
            },
        )


def _open(p: Path) -> Any:
    try:
        return p.open(encoding="utf-8-sig", newline="")
    except OSError as e:
        raise ReadError(str(p), f"cannot read it ({e.strerror or e})") from None
