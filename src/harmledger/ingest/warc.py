"""WARC reader: web archives (``.warc``, ``.warc.gz``), as news archives and crawls come.

Each ``response`` record of a page fetched whole (HTTP 200) whose content is HTML or
plain text is one document, named by its URL (``WARC-Target-URI``) and read as a page
or a text would be; ``resource`` and ``conversion`` records (text a crawler stored or
derived) too. Other records (requests, metadata, redirects, images, scripts) are passed
over. The crawl's date is kept in the document's metadata (``extra["warc_date"]``); it
is not the publication date. Read with warcio, which streams the archive record by
record (gzip per record or whole), so an archive of any size is read in little memory.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import redirect_stderr
from types import MappingProxyType
from typing import Any, BinaryIO

from harmledger.config import Settings
from harmledger.errors import MSG_BAD_WARC, MSG_NOT_WARC, MSG_TOO_LARGE, ReadError
from harmledger.ingest.html import read_html
from harmledger.ingest.text import read_text
from harmledger.model import Document, DocumentMeta

READER = "warc.v1"

#: Record types that hold a document, and the content types read as a page or as text.
_RECORDS = frozenset({"response", "resource", "conversion"})
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain",)
#: Bytes looked at to tell a WARC archive (it begins with ``WARC/1.0``, gzipped or not).
_SNIFF = 512


def read_warc(name: str, stream: BinaryIO, settings: Settings) -> Iterator[Document | ReadError]:
    """Every page or text in the archive ``stream`` (named ``name``), in order; a
    ReadError for one that cannot be read, and for a damaged stretch of the archive.
    Raises ReadError when the file is no WARC archive or breaks off (the records before
    are read)."""
    from warcio.archiveiterator import ArchiveIterator  # only when an archive is read
    from warcio.exceptions import ArchiveLoadFailed

    buffered: Any = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    head = buffered.peek(_SNIFF)[:_SNIFF]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            head = b""
    if not head.lstrip().startswith(b"WARC/"):
        raise ReadError(name, MSG_NOT_WARC)
    records = iter(ArchiveIterator(buffered))
    while True:
        warnings = io.StringIO()
        try:
            with redirect_stderr(warnings):  # warcio writes what it skips to stderr
                record = next(records, None)
        except ArchiveLoadFailed as e:
            raise ReadError(name, MSG_BAD_WARC.format(detail=e.msg)) from None
        if warnings.getvalue():
            yield ReadError(name, MSG_BAD_WARC.format(detail="a record's length is wrong"))
        if record is None:
            return
        kind = _kind(record)
        if kind is None:
            continue
        head_ = record.rec_headers
        uri = head_.get_header("WARC-Target-URI")
        where = uri or f"{name}#{head_.get_header('WARC-Record-ID')}"
        content = record.content_stream()
        data = content.read(settings.max_bytes + 1)
        if len(data) > settings.max_bytes:
            size = len(data) + _drain(content)
            yield ReadError(where, MSG_TOO_LARGE.format(size=size, limit=settings.max_bytes))
            continue
        extra = {"warc_date": head_.get_header("WARC-Date"), "warc_file": name}
        meta = DocumentMeta(url=uri, extra=MappingProxyType(extra))
        try:
            if kind == "html":
                yield read_html(where, data, settings, meta=meta, reader=READER)
            else:
                yield read_text(where, data, settings, meta=meta, reader=READER)
        except ReadError as e:
            yield e


def _kind(record: object) -> str | None:
    """``html``, ``text`` or None (a record that holds no document)."""
    if getattr(record, "rec_type", None) not in _RECORDS:
        return None
    http = getattr(record, "http_headers", None)
    if record.rec_type == "response" and http is not None:  # type: ignore[attr-defined]
        if http.get_statuscode() != "200":
            return None
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""  # type: ignore[attr-defined]
    ctype = ctype.split(";")[0].strip().lower()
    if ctype in _HTML:
        return "html"
    if ctype in _TEXT:
        return "text"
    return None


def _drain(stream: BinaryIO) -> int:
    """Bytes left in ``stream`` (read and dropped)."""
    size = 0
    while chunk := stream.read(1 << 16):
        size += len(chunk)
    return size


def count_warc(stream: BinaryIO) -> int:
    """How many documents :func:`read_warc` would give (or try to) from ``stream``."""
    from warcio.archiveiterator import ArchiveIterator

    with redirect_stderr(io.StringIO()):
        return sum(_kind(record) is not None for record in ArchiveIterator(stream))
