"""Readers for labelled data: harmledger's gold JSON Lines and users' ACLED, FA-KES, UCDP GED
and HRDsAttack files, as they are downloaded.

Each reader yields :class:`Example` objects: the text to extract from, the publication date
to give the extractor, and ``gold``, the labelled values in the shape its scorer expects
(see :mod:`harmledger.eval.metrics`). The external files are the user's own data; nothing
from them ships with harmledger.

CSV files are read by their header, whatever the order or case of the columns and whether
they are separated by commas, semicolons or tabs (a spreadsheet's "save as CSV"). ACLED
exports of every vintage are read: the id ``event_id_cnty`` or ``event_id``, every date style
(:func:`parse_acled_date`), and exports made before ACLED's 2019 taxonomy (no
``sub_event_type``; event types such as "Remote violence" or "Riots/Protests", mapped to
the 2019 types by ``resources/eval.json``).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from harmledger import resources
from harmledger.errors import (
    MSG_ACLED_DATE,
    MSG_FORMAT_UNKNOWN,
    MSG_HRDS_NOT_A_SAMPLE,
    MSG_LABELLED_LINE,
    MSG_MISSING_COLUMNS,
    ReadError,
)

FORMATS = ("acled", "fakes", "ucdp", "gold", "hrdsattack")

#: columns that identify a CSV format (all must be present; a tuple is one column by any
#: of its names). Names are compared after :func:`column_name`.
SIGNATURES: dict[str, tuple[str | tuple[str, ...], ...]] = {
    # ACLED's exports name the id event_id_cnty, some copies event_id; exports made before
    # 2019 have no sub_event_type
    "acled": (("event_id_cnty", "event_id"), "event_date", "event_type", "notes"),
    "fakes": ("article_content", "date", "location", "nb_civilians"),
    # GED versions carry the headlines in source_headline, or only in source_article
    "ucdp": ("side_a", "date_start", "where_prec", ("source_headline", "source_article")),
}

#: the separators a CSV file may use: a spreadsheet's "save as CSV" writes semicolons in
#: many locales, and some exports are tab-separated
DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled document."""

    id: str
    text: str
    published: date | None
    gold: dict[str, Any]
    tags: tuple[str, ...] = field(default=())


def guess_format(path: str | Path) -> str:
    """``hrdsattack`` for HRDsAttack's JSON (a list of annotated samples), ``gold`` for other
    JSON Lines, otherwise the CSV format whose columns the header has."""
    p = Path(path)
    with _open(p) as fp:
        head = fp.read(65536)
    start = head.lstrip()[:1]
    if start in ("[", "{") and '"merged_sample"' in head and "Input.article_interface" in head:
        return "hrdsattack"
    if start == "{":
        return "gold"
    line = head.splitlines()[0] if head else ""
    first = next(csv.reader([line], delimiter=_delimiter(line)), [])
    columns = {column_name(c) for c in first}
    for fmt, needed in SIGNATURES.items():
        if not _missing(needed, columns):
            return fmt
    raise ReadError(str(p), MSG_FORMAT_UNKNOWN.format(columns=", ".join(first[:8]) or "none"))


def read_examples(path: str | Path, *, format: str) -> Iterator[Example]:
    readers = {
        "gold": read_gold,
        "acled": read_acled,
        "fakes": read_fakes,
        "ucdp": read_ucdp,
        "hrdsattack": read_hrdsattack,
    }
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


@cache
def _tables() -> dict[str, Any]:
    return resources.read_json("eval.json")


def column_name(name: str) -> str:
    """A CSV column's name as the readers know it: stripped, lower case, spaces and hyphens
    as underscores, and ACLED's older names for the same column (``ALLY_ACTOR_1`` is
    ``assoc_actor_1``; ``resources/eval.json``)."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip().lower())
    aliases = _tables()["acled_columns"]
    return str(aliases[key]) if key in aliases and key != "about" else key


def _delimiter(header: str) -> str:
    """The separator of a CSV header line: the one of :data:`DELIMITERS` it has most of,
    outside quotes (a comma when it has none)."""
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _rows(p: Path, fmt: str) -> Iterator[dict[str, str]]:
    """The rows of a CSV file as dicts keyed by :func:`column_name` (values stripped of
    nothing; a short row's missing cells are empty)."""
    with _open(p) as fp:
        header = fp.readline()
        reader = csv.reader(chain([header], fp), delimiter=_delimiter(header))
        names = [column_name(c) for c in next(reader, [])]
        missing = _missing(SIGNATURES[fmt], set(names))
        if missing:
            raise ReadError(str(p), MSG_MISSING_COLUMNS.format(fmt=fmt, missing=", ".join(missing)))
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # a blank line (a spreadsheet's trailing rows)
            row = dict.fromkeys(names, "")
            row.update(zip(names, cells, strict=False))
            yield row


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


def _type_key(name: str) -> str:
    return re.sub(r"[^a-z]+", "", name.casefold())


@cache
def _old_acled_types() -> dict[str, tuple[tuple[str, ...], str | None]]:
    table = _tables()["acled_old_event_types"]
    return {_type_key(old): (tuple(new[0]), new[1]) for old, new in table.items() if old != "about"}


def acled_types(
    event_type: str, sub_event_type: str
) -> tuple[str | tuple[str, ...] | None, str | None]:
    """The labelled (event type, sub-event type) of an ACLED row in the 2019+ taxonomy.

    A row of an export made before 2019 has an old event type: it becomes the type it was
    renamed to ("Remote violence" -> "Explosions/Remote violence"), or a tuple of the types
    it was split into (("Protests", "Riots") for "Riots/Protests": either is right), with
    the sub-event type only where the old type says it (the three kinds of battle)."""
    et, sub = event_type.strip(), sub_event_type.strip()
    old = _old_acled_types().get(_type_key(et)) if et else None
    if old is not None and not sub:
        types, old_sub = old
        return (types[0] if len(types) == 1 else types), old_sub
    return et or None, sub or None


def read_acled(path: str | Path) -> Iterator[Example]:
    """An ACLED export: text = ``notes``; published = ``event_date`` + 0..3 days. Rows
    without notes are not examples (nothing to read)."""
    p = Path(path)
    for n, r in enumerate(_rows(p, "acled"), 2):
        if not r["notes"].strip():
            continue
        event_id = r.get("event_id_cnty") or r.get("event_id") or f"row-{n}"
        event_date = parse_acled_date(r["event_date"])
        if event_date is None:
            raise ReadError(f"{p}:{n}", MSG_ACLED_DATE.format(value=r["event_date"], id=event_id))
        geo_exact = r.get("geo_precision", "").strip() == "1"
        event_type, sub_event_type = acled_types(r["event_type"], r.get("sub_event_type", ""))
        yield Example(
            id=event_id,
            text=r["notes"],
            published=event_date + timedelta(days=lag_days(event_id)),
            gold={
                "event_type": event_type,
                "sub_event_type": sub_event_type,
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


#: one citation of GED's ``source_article``: publisher, date, headline ("Agence France
#: Presse,2014-01-25,Iraq violence kills 14" or "AFP 2009-03-15 Kurdish rebels say ...")
_CITATION = re.compile(
    r'^\s*"?\s*[^,"\d][^,"]*?\s*[, ]\s*\d{4}-\d{1,2}-\d{1,2}\s*[, ]\s*(?P<head>\S.*?)\s*"?\s*$'
)
#: GED separates the sources of one event with semicolons
_SOURCES = re.compile(r'"?\s*;\s*"?')
#: columns a user's GED file may carry the reports' own text in
UCDP_TEXT_COLUMNS = ("text", "source_text", "full_text")


def ucdp_text(row: dict[str, str]) -> str:
    """What a GED row gives to read: the reports' text where the file carries it (a
    ``text`` column), else the headlines of its sources (``source_headline``, or those
    written into the ``source_article`` citations), one paragraph each; "" when it has
    none (citations without a headline, such as "r 25/2")."""
    for column in UCDP_TEXT_COLUMNS:
        if (row.get(column) or "").strip():
            return row[column].strip()
    heads = [h.strip() for h in _SOURCES.split(row.get("source_headline") or "")]
    if not any(heads):
        heads = [
            m.group("head")
            for part in _SOURCES.split(row.get("source_article") or "")
            if (m := _CITATION.match(part))
        ]
    # one headline a paragraph: the sentence splitter never joins paragraphs
    return "\n\n".join(" ".join(h.split()) for h in heads if h)


def read_ucdp(path: str | Path) -> Iterator[Example]:
    """UCDP GED rows with something to read (:func:`ucdp_text`): full text where the file
    has it, else the sources' headlines; published = ``date_start`` + 0..3 days."""
    p = Path(path)
    for n, r in enumerate(_rows(p, "ucdp"), 2):
        text = ucdp_text(r)
        if not text:
            continue
        start = parse_acled_date(r["date_start"])
        if start is None:
            raise ReadError(
                f"{p}:{n}", MSG_ACLED_DATE.format(value=r["date_start"], id=r.get("id"))
            )
        geo_exact = r.get("where_prec", "").strip() == "1"
        yield Example(
            id=r.get("id") or f"row-{n}",
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


# --------------------------------------------------------------------------- HRDsAttack


def read_hrdsattack(path: str | Path) -> Iterator[Example]:
    """HRDsAttack (dataminr-ai/HRDsAttack): a JSON list (or JSON Lines) of crowd-coded news
    articles on attacks against human-rights defenders. Text = the title and the article's
    HTML paragraphs (``sample["Input.article_interface"]``); published =
    ``Input.publish_date``; labels = ``merged_sample`` (violation types, perpetrator type,
    victims, country, date), kept as they are for
    :func:`~harmledger.eval.metrics.score_hrdsattack`."""
    p = Path(path)
    for n, obj in _json_samples(p):
        sample, labels = obj.get("sample"), obj.get("merged_sample")
        if not isinstance(sample, dict) or not isinstance(labels, dict):
            raise ReadError(str(p), MSG_HRDS_NOT_A_SAMPLE.format(n=n))
        body = paragraphs(str(sample.get("Input.article_interface") or ""))
        title = " ".join(str(sample.get("Input.title") or "").split())
        text = "\n\n".join(x for x in (title, body) if x)
        if not text:
            continue
        published = str(sample.get("Input.publish_date") or "")[:10]
        try:
            pub = date.fromisoformat(published) if published else None
        except ValueError:
            pub = None
        ident = sample.get("Input.GLOBALEVENTID") or sample.get("HIT_id") or f"sample-{n}"
        yield Example(id=str(ident), text=text, published=pub, gold=dict(labels))


def _json_samples(p: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(number, object) of a JSON array's objects, or of a JSON Lines file's lines."""
    with _open(p) as fp:
        content = fp.read()
    if not content.lstrip().startswith("["):
        yield from json_lines(p)
        return
    try:
        items = json.loads(content)
    except json.JSONDecodeError as e:
        raise ReadError(
            str(p), MSG_LABELLED_LINE.format(line=e.lineno, detail=f"not JSON ({e.msg})")
        ) from None
    for n, obj in enumerate(items, 1):
        if not isinstance(obj, dict):
            raise ReadError(str(p), MSG_HRDS_NOT_A_SAMPLE.format(n=n))
        yield n, obj


_PARAGRAPH = re.compile(r"</?p\b[^>]*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def paragraphs(markup: str) -> str:
    """The text of HTML paragraphs (``<p>...</p>``), one per blank-line-separated
    paragraph, tags dropped and entities decoded."""
    parts = (_TAG.sub(" ", part) for part in _PARAGRAPH.split(markup))
    texts = (" ".join(html.unescape(part).split()) for part in parts)
    return "\n\n".join(t for t in texts if t)


def _open(p: Path) -> Any:
    try:
        return p.open(encoding="utf-8-sig", newline="")
    except OSError as e:
        raise ReadError(str(p), f"cannot read it ({e.strerror or e})") from None
