"""Plain-text reader: decoding, cleaning, wire-copy metadata, boilerplate removal.

The steps, in order (:func:`clean_text`):

1. decode bytes (:func:`decode`): UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252
   when it decodes strictly; binary content is refused;
2. normalise (:func:`normalise`): newlines to ``\\n``, odd spaces to spaces, no trailing
   spaces, at most one blank line in a row;
3. find boilerplate (:mod:`.boilerplate`) and read metadata from the header and from the
   boilerplate that carries it (byline, publisher, publication date), *before* removing it;
4. remove the boilerplate; offsets in ``Document.text`` refer to the result.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import (
    MSG_BINARY,
    MSG_EMPTY,
    MSG_ENCODING,
    MSG_FORMAT,
    MSG_NOT_TEXT,
    MSG_NUL,
    MSG_TOO_LARGE,
    ReadError,
    ResourceError,
)
from harmledger.ingest import boilerplate
from harmledger.limits import plausible_publication
from harmledger.model import Document, DocumentMeta, Removal

READER = "text.v5"

#: Share of control characters (other than tab/newline/CR/FF) above which bytes are binary.
#: Real text has none or a stray few; 10% leaves room for a damaged file that is still text.
BINARY_CONTROL_RATIO = 0.10
#: How much of the input the binary sniff looks at.
SNIFF_BYTES = 8192
#: Share of bytes above 127 above which bytes that are not UTF-8 are not read as
#: Windows-1252: French or Spanish text in it has one in ten at most.
HIGH_BYTE_RATIO = 0.30
_HIGH_BYTES = bytes(range(128, 256))
#: The binary formats known by their first bytes.
FORMATS_FILE = "formats.json"

_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
#: the control characters (below " ") that are not text controls, counted in C
_BINARY_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _TEXT_CONTROLS) + "]"
)
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TRAILING = re.compile(r"[ ]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")

# Header heuristics (see _header_meta).
_LABEL_MAX_WORDS = 4
_LABEL_MAX_CHARS = 40
_TITLE_MAX_CHARS = 250


# --------------------------------------------------------------------------- decoding


def check_bytes_size(name: str, size: int, settings: Settings) -> None:
    """Raise the 'too large' ReadError when ``size`` bytes exceed ``settings.max_bytes``."""
    if size > settings.max_bytes:
        raise ReadError(name, MSG_TOO_LARGE.format(size=size, limit=settings.max_bytes))


def looks_binary(sample: str | bytes) -> bool:
    """True for content with a NUL anywhere, or mostly control characters in its first
    :data:`SNIFF_BYTES`."""
    if (b"\x00" if isinstance(sample, bytes) else "\x00") in sample:  # type: ignore[operator]
        return True
    if isinstance(sample, bytes):
        sample = sample[:SNIFF_BYTES].decode("latin-1")
    else:
        sample = sample[:SNIFF_BYTES]
    if not sample:
        return False
    controls = len(_BINARY_CONTROLS.findall(sample))
    return controls / len(sample) > BINARY_CONTROL_RATIO


@dataclass(frozen=True, slots=True)
class Format:
    """A binary format known by its first bytes (``resources/formats.json``)."""

    magic: bytes
    offset: int
    what: str
    fix: str


@cache
def _formats() -> tuple[Format, ...]:
    return resources.load(
        FORMATS_FILE,
        lambda data: tuple(
            Format(bytes.fromhex(f["magic"]), int(f["offset"]), str(f["what"]), str(f["fix"]))
            for f in data["formats"]
        ),
    )


def binary_format(data: bytes) -> Format | None:
    """The binary format ``data`` starts as (a PDF, an image, an archive...), if any."""
    for f in _formats():
        if data.startswith(f.magic, f.offset):
            return f
    return None


def refuse_binary(data: str | bytes, name: str) -> None:
    """Raise :class:`ReadError` for content that is not text, the same way wherever it is
    found: a known binary format, a NUL character anywhere, or mostly control characters."""
    if isinstance(data, bytes) and (f := binary_format(data)) is not None:
        raise ReadError(name, MSG_FORMAT.format(what=f.what, fix=f.fix))
    nul = data.find(b"\x00" if isinstance(data, bytes) else "\x00")  # type: ignore[arg-type]
    if nul >= 0:
        raise ReadError(name, MSG_NUL.format(offset=nul))
    if looks_binary(data):
        raise ReadError(name, MSG_BINARY)


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes or raise :class:`ReadError` saying why it cannot be read."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ReadError(name, MSG_ENCODING.format(detail=f"bad UTF-16: {e.reason}")) from e
        refuse_binary(text, name)
        return text
    refuse_binary(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first_bad = e.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
    if data.startswith(codecs.BOM_UTF8):
        # A UTF-8 BOM says what the file claims to be: do not guess another encoding.
        raise ReadError(name, MSG_ENCODING.format(detail=_bad_byte(data, first_bad)))
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise ReadError(name, MSG_ENCODING.format(detail=_bad_byte(data, first_bad))) from e
    # Windows-1252 text is mostly ASCII with a few accented letters and curly quotes;
    # bytes mostly above 127 that are not UTF-8 are random data, or text in an encoding
    # that cannot be told from its bytes (read as Windows-1252 it would be nonsense)
    sample = data[:SNIFF_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high > HIGH_BYTE_RATIO * len(sample):
        raise ReadError(name, MSG_NOT_TEXT.format(share=high / len(sample)))
    return text


def _bad_byte(data: bytes, offset: int) -> str:
    return f"first bad byte 0x{data[offset]:02X} at offset {offset}"


def to_str(data: bytes | str, name: str, settings: Settings) -> str:
    """Size check, then decode bytes or vet a string (binary content is refused either way)."""
    if isinstance(data, str):
        check_bytes_size(name, len(data.encode("utf-8", "surrogatepass")), settings)
        refuse_binary(data, name)
        return data
    check_bytes_size(name, len(data), settings)
    return decode(data, name)


# --------------------------------------------------------------------------- cleaning


def normalise(text: str) -> str:
    """Newlines to ``\\n``, odd spaces to spaces, no control characters, no trailing spaces,
    runs of blank lines collapsed to one, no leading/trailing blank space; NFC."""
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of :func:`clean_text`."""

    text: str
    removed: tuple[Removal, ...]
    meta: DocumentMeta
    #: the normalised text before boilerplate removal (``Removal`` offsets index it)
    before: str


def clean_text(text: str) -> Cleaned:
    """Normalise ``text``, read header metadata, and remove boilerplate."""
    before = normalise(text)
    found = boilerplate.scan(before)
    meta = _header_meta(before, found)
    cleaned, removed = boilerplate.remove_matches(before, found.matches)
    return Cleaned(cleaned, tuple(removed), meta, before)


# --------------------------------------------------------------------------- metadata


def parse_date(value: str) -> date | None:
    """Parse a publication date; ``None`` when ``value`` is not one whole date.

    Forms: ISO ``2016-10-18`` (a time may follow) and ``2016/10/18``; ``October 18, 2016``,
    ``Oct. 18 2016``, ``November 18 - 2020``; ``18 October 2016``, ``3rd May, 2019``,
    ``1er mars 2022``, ``3 de marzo de 2022``; numeric ``13/08/2020``, ``15-06-2022``,
    ``15.06.2022``. Month names are English (in full or abbreviated), French and Spanish (in
    full), from ``month_names`` in ``resources/boilerplate.json``.

    Numeric dates, day and month both written as numbers, follow one rule:

    * first number > 12: day first (``13/08/2020`` is 13 August);
    * else second number > 12: month first (``08/13/2020`` is 13 August);
    * both <= 12: **day first** (``08/11/2022`` is 8 November), the international convention
      of the sources harmledger reads (UN, NGO, Middle Eastern, African and European outlets).
      A US page writing ``11/08/2022`` for 8 November is read as 11 August: give
      ``--published`` or a ``published`` field when that matters.

    Two-digit years are not read (``08/11/22`` is too ambiguous).
    """
    value = " ".join(value.split())
    m = re.match(r"(\d{4})([-/])(\d{2})\2(\d{2})(?!\d)", value)
    if m:
        return _date(int(m[1]), int(m[3]), int(m[4]))
    m = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", value)
    if m:
        first, second = int(m[1]), int(m[3])
        if first <= 12 and second > 12:  # month first: the only reading that is a date
            return _date(int(m[4]), first, second)
        return _date(int(m[4]), second, first)  # day first (see the rule above)
    m = re.fullmatch(r"(\w+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+|\s+[-–]\s+)(\d{4})", value)
    if m and (month := _month_number(m[1])):
        return _date(int(m[3]), month, int(m[2]))
    m = re.fullmatch(
        r"(\d{1,2})(?:st|nd|rd|th|er)?\s+(?:de\s+)?(\w+)\.?,?\s+(?:de\s+)?(\d{4})", value
    )
    if m and (month := _month_number(m[2])):
        return _date(int(m[3]), month, int(m[1]))
    return None


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _fold(word: str) -> str:
    """Lower case without accents ('Août' -> 'aout')."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _month_names() -> Mapping[str, int]:
    """Month name (folded) -> number: the English names of the dates stage
    (``resources/dates.json``) and the others of ``month_names`` in the boilerplate rules."""
    data = resources.read_json(boilerplate.RULES_FILE).get("month_names", {}).get("months")
    if not isinstance(data, list) or len(data) != 12:
        raise ResourceError(
            f"packaged resource '{boilerplate.RULES_FILE}' needs 'month_names.months', "
            "12 lists of names; reinstall harmledger"
        )
    calendar = resources.read_json("dates.json")
    english = {**calendar["months"], **calendar["month_abbreviations"]}
    foreign = {_fold(name): i + 1 for i, names in enumerate(data) for name in names}
    return MappingProxyType({**foreign, **{_fold(k): int(v) for k, v in english.items()}})


def _month_number(word: str) -> int | None:
    return _month_names().get(_fold(word.rstrip(".")))


#: Words that open a sentence rather than name a place: "On Tuesday, 14 March 2023 Gunmen ..."
#: must not read as a "Baghdad, 16 June 2022 The ..." dateline.
_NOT_PLACES = (
    "On|In|At|By|From|Since|Until|Till|Between|Before|After|During|Last|Early|Late|Yesterday|"
    "Today|Tonight|Overnight|Around|About|Of|For|And|But|The|As|Then|Also|Through|Over"
)


@cache
def _dateline_patterns() -> tuple[re.Pattern[str], ...]:
    """Datelines opening the first paragraph, tried in order; group ``published``."""
    defs = boilerplate.definitions()
    date_re = defs["DATE"]
    # "BAGHDAD, Oct. 18, 2016 (Reuters) -" or "October 18, 2016 - ..." opening the story
    city_date = re.compile(
        r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.' -]{1,30})?,?\s+(?P<published>" + date_re + r")"
    )
    date_first = re.compile(r"(?P<published>" + date_re + r")(?:\s*[-–—:]|\s+(?=[A-Z]))")
    # "GENEVA (9 November 2023) -": UN and NGO press releases put the date in brackets
    city_bracket_date = re.compile(
        r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.' -]{1,30})?\s*\(\s*(?P<published>"
        + date_re
        + r")\s*\)\s*[-–—:]"
    )
    # "Baghdad, 15 March 2023 - ...", "Geneva, Switzerland, 3 May 2019 (OCHA) – ...": a
    # city not in capitals, so the dash (after an agency in brackets) must close it
    place = defs["PLACE"]
    city_date_dash = re.compile(
        rf"(?:{place})(?:,\s*(?:{place}))?,\s+(?P<published>{date_re})"
        r"\s*(?:\([^()\n]{1,30}\)\s*)?[-–—]"
    )
    # "Baghdad, 16 June 2022 The Security Media Cell ...": no dash, so the city is one to
    # three capitalised words, the first not a sentence opener, weekday or month, and a
    # capitalised sentence starts right after the date ("On Tuesday, 14 March 2023, gunmen"
    # fails twice: "On" and the comma after the date).
    city_date_cap = re.compile(
        r"(?!(?:"
        + "|".join((_NOT_PLACES, defs["WEEKDAY"], defs["MONTH"]))
        + r")\b)(?:"
        + place
        + r"),\s+(?P<published>"
        + date_re
        + r")\s+(?=[A-Z][a-z])"
    )
    return city_date, date_first, city_date_dash, city_date_cap, city_bracket_date


@cache
def _agency_patterns() -> tuple[re.Pattern[str], ...]:
    """Datelines naming the agency in brackets, tried in order; group ``publisher``."""
    defs = boilerplate.definitions()
    # "BAGHDAD (Reuters) -", "MOSUL, Iraq (AP) —", "LASHKAR GAH (Pajhwok): ": a city in
    # capitals, any name in brackets
    caps_city = re.compile(
        r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[^()\n]{1,60})?\s*"
        r"\((?P<publisher>[A-Z][\w&' ]{1,30})\)\s*(?:[-–—]|:(?=\s))"
    )
    # "Beledweyne (AFP) -", "Geneva, Switzerland (Reuters) -": a city not in capitals, so only
    # a known agency (AGENCY) counts, never "Human Rights Watch (HRW) - ..."
    known_agency = re.compile(
        r"(?:"
        + defs["PLACE"]
        + r")(?:,\s*[^()\n]{1,60})?\s*\((?P<publisher>"
        + defs["AGENCY"]
        + r")\)\s*(?:[-–—]|:(?=\s))"
    )
    return caps_city, known_agency


def _header_meta(text: str, found: boilerplate.Scan) -> DocumentMeta:
    """Title and section from the header lines; byline, publisher and publication date from
    the boilerplate that carries them, else from a dateline opening the story."""
    removed = [(m.start, m.end) for m in found.matches]
    head_lines: list[str] = []
    for m in re.finditer(r"[^\n]+", text[: found.head_end]):
        if not any(s <= m.start() < e for s, e in removed):
            head_lines.append(m.group().strip())
    section = title = None
    if found.head_end >= len(text):
        head_lines = []  # no story after the "header": it is the story, not a headline
    if (
        len(head_lines) >= 2
        and _label_like(head_lines[0])
        and len(head_lines[1]) > len(head_lines[0])
    ):
        section, title = head_lines[0], head_lines[1]
    elif head_lines:
        title = head_lines[0]
    if title is not None and (len(title) > _TITLE_MAX_CHARS or len(title.split()) < 2):
        title = None

    groups = boilerplate.captured(found.matches)
    published = parse_date(groups["published"]) if "published" in groups else None
    publisher = groups.get("publisher")
    first_para = text[found.head_end : found.head_end + 200]
    if published is None:
        for pattern in _dateline_patterns():
            dated = pattern.match(first_para)
            if dated:
                published = parse_date(dated["published"])
                break
    if publisher is None:
        for pattern in _agency_patterns():
            agency = pattern.match(first_para)
            if agency:
                publisher = agency["publisher"].strip()
                break
    return DocumentMeta(
        title=title,
        section=section,
        byline=groups.get("byline"),
        publisher=publisher,
        published=published,
    )


def _label_like(line: str) -> bool:
    words = line.split()
    return (
        len(words) <= _LABEL_MAX_WORDS
        and len(line) <= _LABEL_MAX_CHARS
        and line[:1].isupper()
        and not _ends_sentence(line)
    )


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?:;,]$", line))


def merge_meta(*metas: DocumentMeta | None) -> DocumentMeta:
    """Field by field, the first non-empty value wins; ``extra`` dicts merge the same way."""
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for meta in metas:
        if meta is None:
            continue
        for f in fields(meta):
            if f.name == "extra":
                for k, v in meta.extra.items():
                    extra.setdefault(k, v)
            elif values.get(f.name) in (None, "") and getattr(meta, f.name) not in (None, ""):
                values[f.name] = getattr(meta, f.name)
    return DocumentMeta(**values, extra=MappingProxyType(extra))


def finish(
    name: str,
    raw: str,
    cleaned: Cleaned,
    settings: Settings,
    *,
    meta: DocumentMeta | None,
    found_meta: DocumentMeta | None = None,
    reader: str,
    media_type: str,
) -> Document:
    """Build the Document: explicit ``meta`` beats ``found_meta`` (e.g. HTML metadata) beats
    what the text showed; the publication date falls back to ``settings.published``."""
    if not any(ch.isalpha() for ch in cleaned.text):  # blank, or only symbols and digits
        raise ReadError(name, MSG_EMPTY)
    merged = merge_meta(meta, found_meta, cleaned.meta)
    if merged.published is not None and not plausible_publication(merged.published):
        # a page's metadata or a dateline that no report can carry ("0001-01-01"): unknown
        merged = replace(merged, published=None)
    if merged.published is None and settings.published is not None:
        merged = replace(merged, published=settings.published)
    return Document.build(
        name=name,
        text=cleaned.text,
        raw=raw,
        meta=merged,
        reader=reader,
        media_type=media_type,
        removed=cleaned.removed,
    )


def read_text(
    name: str,
    data: bytes | str,
    settings: Settings,
    *,
    meta: DocumentMeta | None = None,
    reader: str = READER,
) -> Document:
    """Read a plain-text document. Raises :class:`ReadError` when it cannot be read."""
    raw = to_str(data, name, settings)
    return finish(
        name, raw, clean_text(raw), settings, meta=meta, reader=reader, media_type="text/plain"
    )
