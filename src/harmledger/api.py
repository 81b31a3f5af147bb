"""The Python API behind ``harmledger.extract`` (kept out of ``__init__`` so import is cheap)."""

from __future__ import annotations

from datetime import date
from functools import cache

from harmledger.config import Settings
from harmledger.errors import MSG_BAD_DATE, ConfigError
from harmledger.model import Incident
from harmledger.pipeline.pipeline import Pipeline


def parse_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or a date) -> date; a clear ConfigError otherwise."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(MSG_BAD_DATE.format(value=value)) from None


@cache
def pipeline_for(settings: Settings) -> Pipeline:
    """One pipeline per settings value per process (stages load their resources lazily)."""
    return Pipeline(settings)


def extract(
    text: str,
    *,
    published: str | date | None = None,
    name: str = "<text>",
    html: bool = False,
    settings: Settings | None = None,
) -> list[Incident]:
    from harmledger.ingest import read_html, read_text

    base = settings or Settings()
    reader = read_html if html else read_text
    # the date goes into the document's metadata, where the dates stage reads it; the
    # pipeline does not depend on it (one cached pipeline, not one per publication date)
    document = reader(name, text, base.with_(published=parse_date(published)))
    return list(pipeline_for(base)(document).incidents)
