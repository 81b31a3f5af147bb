"""Fusion's report-style fixtures read through the pipeline: each test file keeps its
reports as name -> (publisher, published day, text), reads one with :func:`read_report`
and takes the fusion report of its one incident with :func:`one_report`."""

from __future__ import annotations

from datetime import date
from functools import cache

from harmledger.config import Settings
from harmledger.fuse import report_from_incident
from harmledger.ingest import read_text
from harmledger.model import Annotated, DocumentMeta, Report
from harmledger.pipeline.pipeline import pipeline_for


@cache
def read_report(name: str, publisher: str, published: str, text: str) -> Annotated:
    settings = Settings()
    meta = DocumentMeta(publisher=publisher, published=date.fromisoformat(published))
    return pipeline_for(settings)(read_text(name, text, settings, meta=meta))


def one_report(a: Annotated, *, places: bool = True) -> Report:
    """The fusion report of ``a``'s one incident; with ``places``, its fingerprint names
    the places of the document (``fuse.v7``), as a run gives it."""
    (incident,) = a.incidents
    return report_from_incident(
        incident,
        story_id=a.document.id,
        publisher=a.document.meta.publisher,
        places=a.of_kind("place") if places else (),
    )
