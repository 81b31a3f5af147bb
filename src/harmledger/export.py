"""Write stored incidents as CSV (ACLED's columns), JSON or GeoJSON.

The CSV uses ACLED's column names wherever ACLED has the column, so a harmledger export
lines up with the ACLED files users already have; harmledger's own columns follow,
prefixed ``hl_``. Fused incidents (many reports of one event, see :mod:`harmledger.fuse`)
have their own columns: :data:`FUSED_COLUMNS`. ``notes`` is the text of the incident's
evidence sentences, which needs the document's text: pass ``texts`` (document id ->
cleaned text, e.g. ``ledger.texts(r.incident.doc_id for r in records)`` or
``{doc.id: doc.text}``); without it ``notes`` is empty. :func:`dataframe` gives the same
rows as a pandas DataFrame.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from harmledger.model import FusedIncident, Record
from harmledger.privacy import Protection, redact_contract
from harmledger.safe import cell, unicode_text
from harmledger.store.filters import NO_FILTERS, Filters
from harmledger.store.ledger import Ledger

if TYPE_CHECKING:
    import pandas as pd

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
)

HL_COLUMNS: tuple[str, ...] = (
    "hl_review",
    "hl_violations",
    "hl_counts",
    "hl_confidence",
    "hl_doc_name",
    "hl_doc_id",
    "hl_date_end",
    "hl_pipeline_version",
)

#: Every column of the CSV export, the DataFrame and GeoJSON properties, in order.
COLUMNS: tuple[str, ...] = ACLED_COLUMNS + HL_COLUMNS

_SPACE = re.compile(r"\s+")


class GeoJSONResult(NamedTuple):
    written: int
    without_coordinates: int  # incidents left out: no latitude/longitude


def evidence_notes(record: Record, text: str | None) -> str:
    """The evidence sentences' text, whitespace collapsed (empty without ``text``)."""
    return spans_text(text, [(e.start, e.end) for e in record.incident.evidence])


def spans_text(text: str | None, spans: Iterable[tuple[int, int]]) -> str:
    """The text of ``spans`` (start, end), whitespace collapsed, joined by spaces."""
    if not text:
        return ""
    parts = [_SPACE.sub(" ", text[a:b]).strip() for a, b in spans]
    return " ".join(p for p in parts if p)


def _counts_json(record: Record) -> str:
    out: dict[str, Any] = {}
    for role, m in record.incident.counts.items():
        out[role] = {"min": getattr(m.value, "min", None), "max": getattr(m.value, "max", None)}
        for flag in ("approximate", "vague"):
            if getattr(m.value, flag, False):
                out[role][flag] = True
        for sub in ("children", "women"):
            if getattr(m.value, sub, None) is not None:
                out[role][sub] = getattr(m.value, sub)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def flat_row(record: Record, *, text: str | None = None) -> dict[str, Any]:
    """One incident as a flat dict keyed by :data:`COLUMNS` (``None`` where unknown),
    built on the incident's :meth:`~harmledger.model.Incident.flat` view.

    ``text`` is the document's cleaned text, used for ``notes``.
    """
    f = record.incident.flat()
    first_day = f.date_start or f.date_end
    return {
        "event_id_cnty": f.incident_id,
        "event_date": first_day.isoformat() if first_day else None,
        "year": first_day.year if first_day else None,
        "time_precision": f.date_precision,
        "event_type": f.event_type,
        "sub_event_type": f.sub_event_type,
        "actor1": f.actor1,
        "assoc_actor_1": None,
        "actor2": f.actor2,
        "assoc_actor_2": None,
        "country": f.country,
        "admin1": f.admin1,
        "admin2": f.admin2,
        "location": f.location_name,
        "latitude": f.latitude,
        "longitude": f.longitude,
        "geo_precision": f.geo_precision,
        "source": record.meta.publisher,
        "source_scale": None,
        "notes": evidence_notes(record, text),
        "fatalities": f.fatalities,
        "timestamp": int(record.stored_at.timestamp()),
        "hl_review": record.review_state,
        "hl_violations": ";".join(f.violations),
        "hl_counts": _counts_json(record),
        "hl_confidence": round(f.confidence, 3),
        "hl_doc_name": record.document_name,
        "hl_doc_id": f.doc_id,
        "hl_date_end": f.date_end.isoformat() if f.date_end else None,
        "hl_pipeline_version": record.pipeline_version,
    }


def write_csv(
    records: Iterable[Record], fp: IO[str], *, texts: Mapping[str, str] | None = None
) -> int:
    """Write a header and one row per record; returns the number of rows written.

    Open ``fp`` with ``newline=""``. Unknown values are empty cells.
    """
    rows = (flat_row(r, text=(texts or {}).get(r.incident.doc_id)) for r in records)
    return _csv(rows, COLUMNS, fp)


def write_json(
    records: Iterable[Record],
    fp: IO[str],
    *,
    protected: Mapping[str, Protection] | None = None,
) -> int:
    """Write a JSON array of :meth:`Record.to_dict`; returns the number written. With
    ``protected`` (document id -> :class:`Protection`), each is redacted for the public."""
    if protected is None:
        return _json((r.to_dict() for r in records), fp)
    return _json(
        (
            redact_contract(r.to_dict(), protected.get(r.incident.doc_id, Protection.none()))
            for r in records
        ),
        fp,
    )


def write_training_records(
    records: Iterable[Record], fp: IO[str], *, texts: Mapping[str, str]
) -> int:
    """JSON Lines that ``harmledger train`` reads (format ``records``): each incident's
    evidence words as ``text``, its (reviewed) event type and sub-event type, its review
    state and the report's publication date. Returns the number written."""
    n = 0
    for r in records:
        inc = r.incident
        item = {
            "incident_id": inc.incident_id,
            "text": evidence_notes(r, texts.get(inc.doc_id)),
            "event_type": inc.event_type,
            "sub_event_type": inc.sub_event_type,
            "review": r.review_state,
            "published": r.meta.published.isoformat() if r.meta.published else None,
        }
        fp.write(json.dumps(item, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_geojson(
    records: Iterable[Record], fp: IO[str], *, texts: Mapping[str, str] | None = None
) -> GeoJSONResult:
    """Write a GeoJSON FeatureCollection: a Point per incident with coordinates, its
    properties the flat row. Incidents without coordinates are left out and counted."""
    rows = (
        (r.incident.incident_id, flat_row(r, text=(texts or {}).get(r.incident.doc_id)))
        for r in records
    )
    return _geojson(rows, fp)


# ---------------------------------------------------------------------- fused incidents

#: Columns of the fused CSV export: ACLED's, then harmledger's (sources and ranges).
FUSED_HL_COLUMNS: tuple[str, ...] = (
    "hl_review",
    "hl_violations",
    "hl_counts",
    "hl_confidence",
    "hl_date_end",
    "hl_sources",
    "hl_reports",
    "hl_killed_min",
    "hl_killed_max",
    "hl_disagreements",
    "hl_fusion_reason",
    "hl_incident_ids",
    "hl_doc_names",
)
FUSED_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + FUSED_HL_COLUMNS


def fused_review(states: Iterable[str]) -> str:
    """A fused incident's review state from its reports': ``reviewed`` (each accepted or
    edited), ``rejected`` (each rejected), ``pending`` (none reviewed), else ``partly``."""
    found = set(states)
    if not found or found == {"pending"}:
        return "pending"
    if found <= {"accepted", "edited"}:
        return "reviewed"
    if found == {"rejected"}:
        return "rejected"
    return "partly"


def fused_row(
    fused: FusedIncident, *, notes: str | None = None, review: str | None = None
) -> dict[str, Any]:
    """One fused incident as a flat dict keyed by :data:`FUSED_COLUMNS`. ``source`` lists
    every report's publisher; ``fatalities`` is the lowest credible toll, and the range
    across reports is in ``hl_killed_min``/``hl_killed_max``; ``review`` is its
    :func:`fused_review` state."""
    day = fused.date_start or fused.date_end
    counts = {k: {"min": a, "max": b} for k, (a, b) in fused.counts.items()}
    return {
        "event_id_cnty": fused.fused_id,
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": fused.date_precision,
        "event_type": fused.event_type,
        "sub_event_type": fused.sub_event_type,
        "actor1": fused.actor1,
        "assoc_actor_1": None,
        "actor2": fused.actor2,
        "assoc_actor_2": None,
        "country": fused.country,
        "admin1": fused.admin1,
        "admin2": None,
        "location": fused.location_name,
        "latitude": fused.latitude,
        "longitude": fused.longitude,
        "geo_precision": fused.geo_precision,
        "source": "; ".join(fused.publishers),
        "source_scale": None,
        "notes": notes or "",
        "fatalities": fused.fatalities,
        "timestamp": None,
        "hl_review": review,
        "hl_violations": ";".join(fused.violations),
        "hl_counts": json.dumps(counts, ensure_ascii=False, separators=(",", ":")),
        "hl_confidence": round(fused.confidence, 3),
        "hl_date_end": fused.date_end.isoformat() if fused.date_end else None,
        "hl_sources": fused.sources,
        "hl_reports": len(fused.reports),
        "hl_killed_min": fused.killed_min,
        "hl_killed_max": fused.killed_max,
        "hl_disagreements": ";".join(d.field for d in fused.disagreements),
        "hl_fusion_reason": fused.reason,
        "hl_incident_ids": ";".join(r.incident_id for r in fused.reports),
        "hl_doc_names": ";".join(r.doc_name for r in fused.reports),
    }


def write_fused_csv(
    fused: Iterable[FusedIncident],
    fp: IO[str],
    *,
    notes: Mapping[str, str] | None = None,
    reviews: Mapping[str, str] | None = None,
) -> int:
    """One row per fused incident (:data:`FUSED_COLUMNS`); ``notes``: fused id -> text,
    ``reviews``: fused id -> review state."""
    rows = (
        fused_row(f, notes=(notes or {}).get(f.fused_id), review=(reviews or {}).get(f.fused_id))
        for f in fused
    )
    return _csv(rows, FUSED_COLUMNS, fp)


def write_dicts(items: Iterable[dict[str, Any]], fp: IO[str]) -> int:
    """A JSON array of ready-made dicts (e.g. :func:`public_fused`)."""
    return _json(items, fp)


def write_fused_json(fused: Iterable[FusedIncident], fp: IO[str]) -> int:
    """A JSON array of :meth:`FusedIncident.to_dict` (each report's own values kept)."""
    return _json((f.to_dict() for f in fused), fp)


def write_fused_geojson(
    fused: Iterable[FusedIncident],
    fp: IO[str],
    *,
    notes: Mapping[str, str] | None = None,
    reviews: Mapping[str, str] | None = None,
) -> GeoJSONResult:
    """A Point per fused incident with coordinates; properties are the fused row."""
    rows = (
        (
            f.fused_id,
            fused_row(
                f, notes=(notes or {}).get(f.fused_id), review=(reviews or {}).get(f.fused_id)
            ),
        )
        for f in fused
    )
    return _geojson(rows, fp)


def review_states(ledger: Ledger, fused: Iterable[FusedIncident]) -> dict[str, str]:
    """fused id -> its :func:`fused_review` state."""
    ids = [f.fused_id for f in fused]
    return {fid: fused_review(states) for fid, states in ledger.fused_review_states(ids).items()}


# ---------------------------------------------------------------------- writers


def _csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fp: IO[str]) -> int:
    """Every cell through :func:`harmledger.safe.cell`: a value from a report that starts
    like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``
    so that no spreadsheet runs it (OWASP's rule against CSV injection)."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow(["" if row[c] is None else cell(row[c]) for c in columns])
        n += 1
    return n


def _json(items: Iterable[dict[str, Any]], fp: IO[str]) -> int:
    n = 0
    fp.write("[")
    for item in items:
        fp.write(",\n" if n else "\n")
        fp.write(unicode_text(json.dumps(item, ensure_ascii=False, default=str)))
        n += 1
    fp.write("\n]\n" if n else "]\n")
    return n


def _geojson(rows: Iterable[tuple[str, dict[str, Any]]], fp: IO[str]) -> GeoJSONResult:
    n = skipped = 0
    fp.write('{"type": "FeatureCollection", "features": [')
    for ident, row in rows:
        lat, lon = row["latitude"], row["longitude"]
        if lat is None or lon is None:
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": ident,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": row,
        }
        fp.write(",\n" if n else "\n")
        fp.write(unicode_text(json.dumps(feature, ensure_ascii=False, default=str)))
        n += 1
    fp.write("\n]}\n" if n else "]}\n")
    return GeoJSONResult(n, skipped)


# ---------------------------------------------------------------------- from a ledger


def protections(ledger: Ledger, doc_ids: Iterable[str]) -> dict[str, Protection]:
    """document id -> what is protected in it (see :mod:`harmledger.privacy`)."""
    return {
        doc: Protection.of(x.text, quotes=x.quotes, marks=x.marks, sentences=x.sentences)
        for doc, x in ledger.protection_sources(doc_ids).items()
    }


def masked_texts(texts: Mapping[str, str], protected: Mapping[str, Protection]) -> dict[str, str]:
    """Each document's text with its protected sentences masked."""
    return {doc: protected.get(doc, Protection.none()).text(text) for doc, text in texts.items()}


def public_fused(
    fused: Iterable[FusedIncident],
    protected: Mapping[str, Protection],
    items: Iterable[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Fused incidents as JSON a public export may hold (``items``: their dicts, default
    :meth:`FusedIncident.to_dict`): every string scrubbed of the protected words of its
    reports' documents."""
    fused = list(fused)
    dicts = list(items) if items is not None else [f.to_dict() for f in fused]
    out = []
    for f, d in zip(fused, dicts, strict=True):
        prot = Protection.none()
        for r in f.reports:
            prot = prot.merged(protected.get(r.doc_id, Protection.none()))
        out.append(prot.scrub_all(d))
    return out


def fused_dicts(fused: Iterable[FusedIncident], reviews: Mapping[str, str]) -> list[dict[str, Any]]:
    """Fused incidents as JSON with their review state."""
    return [{**f.to_dict(), "review": reviews.get(f.fused_id, "pending")} for f in fused]


def fused_notes(
    ledger: Ledger, fused: Iterable[FusedIncident], *, public: bool = False
) -> dict[str, str]:
    """fused id -> the evidence sentences of its most confident report (export notes);
    ``public``: with protected sentences masked."""
    best = {f.fused_id: max(f.reports, key=lambda r: r.confidence).pk for f in fused if f.reports}
    evidence = ledger.evidence(pk for pk in best.values() if pk is not None)
    texts = ledger.texts({doc for doc, _ in evidence.values()})
    if public:
        texts = masked_texts(texts, protections(ledger, texts))
    out = {}
    for fid, pk in best.items():
        if pk in evidence:
            doc, spans = evidence[pk]
            out[fid] = spans_text(texts.get(doc), [(a, b) for a, b in spans])
    return out


def dataframe(
    ledger: Ledger, filters: Filters = NO_FILTERS, *, fused: bool = False
) -> pd.DataFrame:
    """One row per stored incident (the CSV export's columns) matching ``filters``; with
    ``fused``, one row per fused incident (the fused export's columns: sources, reports,
    killed range, disagreements)."""
    import pandas as pd

    if fused:
        items = ledger.fused(filters)
        notes = fused_notes(ledger, items)
        states = review_states(ledger, items)
        rows = [
            fused_row(f, notes=notes.get(f.fused_id), review=states.get(f.fused_id)) for f in items
        ]
        df = pd.DataFrame(rows, columns=list(FUSED_COLUMNS))
    else:
        records = ledger.incidents(filters)
        texts = ledger.texts(r.incident.doc_id for r in records)
        rows = [flat_row(r, text=texts.get(r.incident.doc_id)) for r in records]
        df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("event_date", "hl_date_end"):
        df[col] = pd.to_datetime(df[col])
    return df
