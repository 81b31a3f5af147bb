"""The Python API behind ``harmledger.extract`` (kept out of ``__init__`` so import is cheap)."""

from __future__ import annotations

from datetime import date

from harmledger.config import Settings, parse_iso_date
from harmledger.ingest import read_html, read_text
from harmledger.model import Incident
from harmledger.pipeline.pipeline import pipeline_for


def extract(
    text: str,
    *,
    published: str | date | None = None,
    name: str = "<text>",
    html: bool = False,
    settings: Settings | None = None,
) -> list[Incident]:
    base = settings or Settings()
    reader = read_html if html else read_text
    # the date goes into the document's metadata, where the dates stage reads it; the
    # pipeline does not depend on it (one cached pipeline, not one per publication date)
    document = reader(name, text, base.with_(published=parse_iso_date(published)))
    return list(pipeline_for(base)(document).incidents)
