"""JSON Lines reader: one document per line.

A line is ``{"id": ..., "text": ...}`` or ``{"id": ..., "html": ...}``, optionally with
``"published"`` (YYYY-MM-DD; a longer ISO timestamp is cut to its date), ``"title"``,
``"url"`` and ``"source"``. ``"byline"``, ``"publisher"``, ``"section"`` and ``"language"``
fill the metadata fields of the same names; every other key is kept in ``meta.extra``
(``"source"`` too, and it is the publisher when the document names none).

A bad line gives a :class:`ReadError` for that line only (named by its ``id`` when it has
one, else ``"file.jsonl:LINE"``), and the other lines go on. The size limit applies to each
line (each document), not to the whole file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from types import MappingProxyType
from typing import Any

from harmledger.config import Settings, bad_published
from harmledger.errors import (
    MSG_BAD_DATE,
    MSG_BAD_JSON,
    MSG_JSON_NO_TEXT,
    MSG_TOO_LARGE,
    ReadError,
)
from harmledger.ingest.html import read_html
from harmledger.ingest.text import decode, read_text
from harmledger.limits import plausible_publication
from harmledger.model import Document, DocumentMeta
from harmledger.safe import unicode_data

READER = "jsonl.v5"

_RESERVED = frozenset({"id", "text", "html", "published", "title", "url"})
_META_FIELDS = ("byline", "publisher", "section", "language")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


def read_jsonl(name: str, data: bytes | str, settings: Settings) -> Iterator[Document | ReadError]:
    """Read every line of a JSON Lines input; yields a Document or a ReadError per line."""
    if isinstance(data, str):
        lines: Iterable[bytes | str] = data.split("\n")
    else:
        lines = data.split(b"\n")
    numbered = ((i, line, len(line)) for i, line in enumerate(lines, 1))
    yield from read_jsonl_lines(name, numbered, settings)


def read_jsonl_lines(
    name: str,
    lines: Iterable[tuple[int, bytes | str | None, int]],
    settings: Settings,
) -> Iterator[Document | ReadError]:
    """Like :func:`read_jsonl` over ``(line number, line or None if cut off, size)`` tuples,
    so that a file can be streamed line by line."""
    for lineno, line, size in lines:
        where = f"{name}:{lineno}"
        try:
            doc = _read_line(where, lineno, line, size, settings)
        except ReadError as e:
            yield e
        except Exception as e:  # one bad line never stops the others
            yield ReadError(where, f"line {lineno}: unexpected error ({type(e).__name__}: {e})")
        else:
            if doc is not None:
                yield doc


def _read_line(
    where: str, lineno: int, line: bytes | str | None, size: int, settings: Settings
) -> Document | None:
    if line is None or size > settings.max_bytes:
        raise ReadError(
            where, f"line {lineno}: " + MSG_TOO_LARGE.format(size=size, limit=settings.max_bytes)
        )
    if isinstance(line, bytes):
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            line = decode(line, where)
        except ReadError as e:
            raise ReadError(where, f"line {lineno}: {e.reason}") from None
    if not line.strip():
        return None
    try:
        # a lone surrogate ("\udc80") is valid JSON but no text: U+FFFD stands for it
        obj = unicode_data(json.loads(line))
    except json.JSONDecodeError as e:
        detail = f"{e.msg} at column {e.colno}"
        raise ReadError(where, MSG_BAD_JSON.format(line=lineno, detail=detail)) from None
    except RecursionError:
        detail = "its arrays or objects nest too deeply"
        raise ReadError(where, MSG_BAD_JSON.format(line=lineno, detail=detail)) from None
    except ValueError as e:  # Python refuses integers of more than 4,300 digits
        detail = f"a number too long to read ({e})"
        raise ReadError(where, MSG_BAD_JSON.format(line=lineno, detail=detail)) from None
    if not isinstance(obj, dict):
        raise ReadError(where, MSG_JSON_NO_TEXT.format(line=lineno))
    doc_id = obj.get("id")
    name = (
        str(doc_id) if doc_id not in (None, "") and not isinstance(doc_id, dict | list) else where
    )
    meta = _meta(name, lineno, obj)
    text, html = obj.get("text"), obj.get("html")
    try:
        if text is not None:
            if not isinstance(text, str):
                raise ReadError(name, MSG_JSON_NO_TEXT.format(line=lineno))
            return read_text(name, text, settings, meta=meta, reader=READER)
        if isinstance(html, str):
            return read_html(name, html, settings, meta=meta, reader=READER)
        raise ReadError(name, MSG_JSON_NO_TEXT.format(line=lineno))
    except ReadError as e:
        if e.reason.startswith(f"line {lineno}:"):
            raise
        raise ReadError(name, f"line {lineno}: {e.reason}") from None


def _meta(name: str, lineno: int, obj: dict[str, Any]) -> DocumentMeta:
    published = obj.get("published")
    when: date | None = None
    if published not in (None, ""):
        when = _parse_published(published)
        if when is None:
            value = str(published)[:40]
            raise ReadError(name, f"line {lineno}: " + MSG_BAD_DATE.format(value=value))
        if not plausible_publication(when):
            raise ReadError(name, f"line {lineno}: " + bad_published(when.isoformat()))
    fields = {k: _str(obj.get(k)) for k in _META_FIELDS}
    if fields["publisher"] is None:
        fields["publisher"] = _str(obj.get("source"))
    extra = {k: v for k, v in obj.items() if k not in _RESERVED and k not in _META_FIELDS}
    for key in ("title", "url"):
        if obj.get(key) is not None and _str(obj[key]) is None:
            extra[key] = obj[key]  # not a string: keep it, but not as the title/url
    return DocumentMeta(
        title=_str(obj.get("title")),
        url=_str(obj.get("url")),
        published=when,
        extra=MappingProxyType(extra),
        **fields,
    )


def _parse_published(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None
