"""Write stored incidents as CSV (ACLED's columns), JSON or GeoJSON.

The CSV has every column of an ACLED export, in ACLED's order and filled as ACLED's codebook
fills them where harmledger knows the value (``disorder_type``, ``inter1``/``inter2`` and
``interaction`` from the actors' categories, ``civilian_targeting``, ``iso`` and ``region``
from the country; tables in ``resources/acled.json`` and ``resources/countries.json``), so a
harmledger export lines up with the ACLED files users already have. ``source`` is the
publisher (never a file name) and ``url`` where it was published; harmledger's own columns
follow, prefixed ``hl_``. GeoJSON gives every incident a point: its place's, or for one
placed only to a country its country's representative point, and says which
(``hl_point``). Fused incidents (many reports of one event, see :mod:`harmledger.fuse`)
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
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from harmledger import resources
from harmledger.model import FlatIncident, FusedIncident, Record
from harmledger.privacy import Protection, redact_contract
from harmledger.safe import cell, unicode_text
from harmledger.store.filters import NO_FILTERS, Filters
from harmledger.store.ledger import Ledger

if TYPE_CHECKING:
    import pandas as pd

#: ACLED's export columns, in ACLED's order, then ``url`` (where the report was published)
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
    "url",
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
    without_coordinates: int  # incidents left out: no point, not even their country's


# ---------------------------------------------------------------------- ACLED's coding


@dataclass(frozen=True, slots=True)
class _Codebook:
    disorder: Mapping[str, str]  # event type, or "type/sub-event type" -> disorder type
    inter: Mapping[str, int]  # actor category -> inter code
    inter_prefixes: tuple[tuple[str, int], ...]  # name start -> inter code
    civilian_types: frozenset[str]
    civilian_value: str


@cache
def _codebook() -> _Codebook:
    def build(raw: dict[str, Any]) -> _Codebook:
        prefixes = raw["inter_name_prefixes"]
        return _Codebook(
            disorder=dict(raw["disorder_types"]),
            inter={k: int(v) for k, v in raw["inter_codes"].items()},
            inter_prefixes=tuple((k, int(v)) for k, v in prefixes.items() if k != "about"),
            civilian_types=frozenset(raw["civilian_targeting"]["event_types"]),
            civilian_value=str(raw["civilian_targeting"]["value"]),
        )

    return resources.load("acled.json", build)


@cache
def _countries() -> dict[str, dict[str, Any]]:
    """Country name (case-folded) -> its codes, ACLED region and representative point."""

    def build(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {name.casefold(): dict(v) for name, v in raw["countries"].items()}

    return resources.load("countries.json", build)


def country_info(country: str | None) -> dict[str, Any]:
    """``iso`` (ISO 3166 numeric), ``iso2``, ``iso3``, ``region`` (ACLED's) and a
    representative ``latitude``/``longitude`` of a country as the gazetteer names it;
    an empty dict for an unknown or missing country."""
    return _countries().get(country.casefold(), {}) if country else {}


def inter_code(actor: str | None, category: str | None) -> int | None:
    """ACLED's inter code of an actor (1 state forces ... 8 external/other forces): by its
    category, else by how its ACLED name starts; None when neither says."""
    if not actor:
        return None
    book = _codebook()
    if category is not None and category in book.inter:
        return book.inter[category]
    return next((code for start, code in book.inter_prefixes if actor.startswith(start)), None)


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both inter codes, the smaller first (17: state forces and
    civilians); one actor's code followed by 0 (60: protesters alone)."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def acled_coding(
    *,
    event_type: str | None,
    sub_event_type: str | None,
    actor1: str | None,
    actor1_category: str | None,
    actor2: str | None,
    actor2_category: str | None,
    country: str | None,
) -> dict[str, Any]:
    """The columns ACLED's codebook derives from an event's type, actors and country:
    ``disorder_type``, ``inter1``, ``inter2``, ``interaction``, ``civilian_targeting``,
    ``iso``, ``region`` (None where harmledger does not know)."""
    book = _codebook()
    disorder = book.disorder.get(f"{event_type}/{sub_event_type}") or book.disorder.get(
        event_type or ""
    )
    i1, i2 = inter_code(actor1, actor1_category), inter_code(actor2, actor2_category)
    civilians = event_type in book.civilian_types or i2 == book.inter.get("Civilians")
    info = country_info(country)
    return {
        "disorder_type": disorder,
        "inter1": i1,
        "inter2": i2,
        "interaction": interaction(i1, i2),
        "civilian_targeting": book.civilian_value if civilians and event_type else None,
        "iso": info.get("iso"),
        "region": info.get("region"),
    }


def point_kind(feature: str | None, precision: int | None) -> str:
    """What a place's coordinates stand for: "region" (a province's representative point:
    the place is a province, or only the province is known), "district" (a district's),
    or "place"."""
    if feature in ("admin1", "region") or (precision or 0) >= 3:
        return "region"
    return "district" if feature == "admin2" else "place"


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


def _acled_columns(
    v: FlatIncident | FusedIncident,
    *,
    event_id: str,
    actor1_category: str | None,
    actor2_category: str | None,
    admin2: str | None,
    source: str | None,
    notes: str,
    timestamp: int | None,
    url: str | None,
) -> dict[str, Any]:
    """The :data:`ACLED_COLUMNS` of one incident, stored or fused, coded as ACLED codes them."""
    day = v.date_start or v.date_end
    coding = acled_coding(
        event_type=v.event_type,
        sub_event_type=v.sub_event_type,
        actor1=v.actor1,
        actor1_category=actor1_category,
        actor2=v.actor2,
        actor2_category=actor2_category,
        country=v.country,
    )
    return {
        "event_id_cnty": event_id,
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": v.date_precision,
        "disorder_type": coding["disorder_type"],
        "event_type": v.event_type,
        "sub_event_type": v.sub_event_type,
        "actor1": v.actor1,
        "assoc_actor_1": None,
        "inter1": coding["inter1"],
        "actor2": v.actor2,
        "assoc_actor_2": None,
        "inter2": coding["inter2"],
        "interaction": coding["interaction"],
        "civilian_targeting": coding["civilian_targeting"],
        "iso": coding["iso"],
        "region": coding["region"],
        "country": v.country,
        "admin1": v.admin1,
        "admin2": admin2,
        "admin3": None,
        "location": v.location_name,
        "latitude": v.latitude,
        "longitude": v.longitude,
        "geo_precision": v.geo_precision,
        "source": source,
        "source_scale": None,
        "notes": notes,
        "fatalities": v.fatalities,
        "tags": None,
        "timestamp": timestamp,
        "url": url,
    }


def flat_row(record: Record, *, text: str | None = None) -> dict[str, Any]:
    """One incident as a flat dict keyed by :data:`COLUMNS` (``None`` where unknown),
    built on the incident's :meth:`~harmledger.model.Incident.flat` view.

    ``text`` is the document's cleaned text, used for ``notes``.
    """
    f = record.incident.flat()
    return {
        **_acled_columns(
            f,
            event_id=f.incident_id,
            actor1_category=f.actor1_category,
            actor2_category=f.actor2_category,
            admin2=f.admin2,
            source=record.meta.publisher,
            notes=evidence_notes(record, text),
            timestamp=int(record.stored_at.timestamp()),
            url=record.meta.url,
        ),
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
    """Write a GeoJSON FeatureCollection: a Point per incident, its properties the flat row
    and ``hl_point`` (what the point stands for, see :func:`point_kind`; "country" for an
    incident placed only to its country). Incidents without even a country are left out
    and counted."""
    rows = (
        (
            r.incident.incident_id,
            flat_row(r, text=(texts or {}).get(r.incident.doc_id)),
            r.incident.flat().feature,
        )
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


def _report_value(fused: FusedIncident, field: str, name: str | None, want: str) -> Any:
    """``want`` of the first report whose ``field`` is ``name`` (the report a fused value
    came from), or None."""
    if name is None:
        return None
    return next((getattr(r, want) for r in fused.reports if getattr(r, field) == name), None)


def fused_feature(fused: FusedIncident) -> str | None:
    """The gazetteer feature of a fused incident's place (that of the report it came from)."""
    for r in fused.reports:
        if r.location_name == fused.location_name and r.latitude == fused.latitude:
            return r.feature
    return None


def fused_row(
    fused: FusedIncident, *, notes: str | None = None, review: str | None = None
) -> dict[str, Any]:
    """One fused incident as a flat dict keyed by :data:`FUSED_COLUMNS`. ``source`` lists
    every report's publisher and ``url`` every report's address (reports without one are
    left out, never named by their file); ``fatalities`` is the lowest credible toll, and
    the range across reports is in ``hl_killed_min``/``hl_killed_max``; ``review`` is its
    :func:`fused_review` state."""
    counts = {k: {"min": a, "max": b} for k, (a, b) in fused.counts.items()}
    return {
        **_acled_columns(
            fused,
            event_id=fused.fused_id,
            actor1_category=_report_value(fused, "actor1", fused.actor1, "actor1_category"),
            actor2_category=_report_value(fused, "actor2", fused.actor2, "actor2_category"),
            admin2=_report_value(fused, "location_name", fused.location_name, "admin2"),
            source="; ".join(_unique(r.publisher for r in fused.reports)) or None,
            notes=notes or "",
            timestamp=None,
            url="; ".join(_unique(r.url for r in fused.reports)) or None,
        ),
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


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


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
    """A Point per fused incident (as :func:`write_geojson`); properties are the fused row."""
    rows = (
        (
            f.fused_id,
            fused_row(
                f, notes=(notes or {}).get(f.fused_id), review=(reviews or {}).get(f.fused_id)
            ),
            fused_feature(f),
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


def _geojson(rows: Iterable[tuple[str, dict[str, Any], str | None]], fp: IO[str]) -> GeoJSONResult:
    """``rows`` are (id, row, the place's gazetteer feature)."""
    n = skipped = 0
    fp.write('{"type": "FeatureCollection", "features": [')
    for ident, row, feature in rows:
        lat, lon = row["latitude"], row["longitude"]
        properties = dict(row)
        if lat is not None and lon is not None:
            properties["hl_point"] = point_kind(feature, row["geo_precision"])
        else:
            # placed only to its country: the country's representative point, at ACLED's
            # coarsest precision (3), marked as such
            info = country_info(row["country"])
            lat, lon = info.get("latitude"), info.get("longitude")
            if lat is None or lon is None:
                skipped += 1
                continue
            properties.update(hl_point="country", geo_precision=3)
        feature_json = {
            "type": "Feature",
            "id": ident,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        }
        fp.write(",\n" if n else "\n")
        fp.write(unicode_text(json.dumps(feature_json, ensure_ascii=False, default=str)))
        n += 1
    fp.write("\n]}\n" if n else "]}\n")
    return GeoJSONResult(n, skipped)


# ---------------------------------------------------------------------- from a ledger


def protections(ledger: Ledger, doc_ids: Iterable[str]) -> dict[str, Protection]:
    """document id -> what is protected in it (see :mod:`harmledger.privacy`)."""
    return {
        doc: Protection.of(
            x.text, quotes=x.quotes, marks=x.marks, names=x.names, sentences=x.sentences
        )
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
