"""Readers: turn files, folders and standard input into :class:`~harmledger.model.Document`.

``read_inputs`` is the entry point: it yields a Document for each document read and a
:class:`~harmledger.errors.ReadError` (yielded, not raised) for each that cannot be, so the
caller reports it and goes on. Plain text, HTML (main text by trafilatura), JSON Lines
(also gzipped) and web archives (WARC) are cleaned the same way: normalised, metadata
read, boilerplate removed by the rules in ``resources/boilerplate.json``.
"""

from __future__ import annotations

from harmledger.ingest.boilerplate import find_boilerplate, remove_boilerplate
from harmledger.ingest.html import read_html
from harmledger.ingest.jsonl import read_jsonl
from harmledger.ingest.sources import (
    SUFFIXES,
    check_size,
    count_documents,
    iter_paths,
    kind_of,
    read_inputs,
)
from harmledger.ingest.text import clean_text, normalise, read_text
from harmledger.ingest.warc import read_warc

__all__ = [
    "SUFFIXES",
    "check_size",
    "clean_text",
    "count_documents",
    "find_boilerplate",
    "iter_paths",
    "kind_of",
    "normalise",
    "read_html",
    "read_inputs",
    "read_jsonl",
    "read_text",
    "read_warc",
    "remove_boilerplate",
]
