"""CSV (ACLED columns), JSON and GeoJSON export, and the ledger's DataFrame."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from harmledger.export import (
    ACLED_COLUMNS,
    COLUMNS,
    acled_coding,
    dataframe,
    flat_row,
    inter_code,
    point_kind,
    write_csv,
    write_geojson,
    write_json,
)
from harmledger.model import DateValue, DocumentMeta, Mention, Record
from harmledger.store import Ledger
from test_store_samples import army_base, sijir, tal_shair


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "ledger.db") as lg:
        for doc in (sijir(), tal_shair(), army_base()):
            lg.add(doc, pipeline_version="harmledger-0.1.0:test")
        yield lg


def record_of(incident, *, meta: DocumentMeta | None = None) -> Record:
    return Record(
        incident=incident,
        document_name=incident.doc_name,
        meta=meta or DocumentMeta(),
        stored_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        pipeline_version="v1",
    )


def csv_rows(ledger: Ledger, *, with_texts: bool = True) -> tuple[int, list[dict[str, str]], str]:
    records = ledger.incidents()
    texts = ledger.texts(r.incident.doc_id for r in records) if with_texts else None
    buf = io.StringIO(newline="")
    n = write_csv(records, buf, texts=texts)
    out = buf.getvalue()
    return n, list(csv.DictReader(io.StringIO(out, newline=""))), out


# ---------------------------------------------------------------- CSV


def test_export_csv_header_is_acled_then_hl(ledger: Ledger) -> None:
    _, _, out = csv_rows(ledger)
    header = out.splitlines()[0].split(",")
    assert header == list(COLUMNS)
    assert header[: len(ACLED_COLUMNS)] == [
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
    ]
    assert all(c.startswith("hl_") for c in header[len(ACLED_COLUMNS) :])


def test_export_csv_row_values(ledger: Ledger) -> None:
    n, rows, _ = csv_rows(ledger)
    assert n == len(rows) == 4
    row = rows[0]
    doc = sijir()
    assert row["event_id_cnty"] == doc.incidents[0].incident_id
    assert row["event_date"] == "2016-05-30"
    assert row["year"] == "2016"
    assert row["time_precision"] == "1"
    assert row["event_type"] == "Violence against civilians"
    assert row["sub_event_type"] == "Attack"
    assert row["actor1"] == "Police Forces of Iraq"
    assert row["actor2"] == "Civilians (Iraq)"
    assert row["assoc_actor_1"] == row["assoc_actor_2"] == ""
    assert (row["country"], row["admin1"], row["admin2"]) == ("Iraq", "Anbar", "Fallujah")
    assert row["location"] == "al-Sijir"
    assert (float(row["latitude"]), float(row["longitude"])) == (33.41, 43.81)
    assert row["geo_precision"] == "2"
    assert row["source"] == "Wire Service"
    assert row["url"] == "https://example.org/sijir"
    assert row["source_scale"] == ""
    # filled as ACLED's codebook fills them
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "7", "17")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"]) == ("368", "Middle East")
    assert row["admin3"] == row["tags"] == ""
    assert row["notes"].startswith("BAGHDAD, May 31 (Wire) - Men dressed")
    assert row["notes"].endswith(
        '"They shot them one by one, in front of the mosque," said a farmer'
        " who asked not to be named."
    )
    assert row["fatalities"] == "16"
    assert int(row["timestamp"]) > 1_600_000_000
    assert row["hl_violations"] == "killing"
    assert json.loads(row["hl_counts"]) == {"killed": {"min": 16, "max": 16, "children": 4}}
    assert row["hl_confidence"] == "0.871"
    assert row["hl_doc_name"] == "reports/sijir.txt"
    assert row["hl_doc_id"] == doc.document.id
    assert row["hl_date_end"] == "2016-05-30"
    assert row["hl_pipeline_version"] == "harmledger-0.1.0:test"


def test_export_csv_multi_violation_and_unknowns(ledger: Ledger) -> None:
    _, rows, _ = csv_rows(ledger)
    assert rows[1]["hl_violations"] == "enforced disappearance;abduction"
    assert rows[1]["actor1"] == ""
    assert rows[1]["fatalities"] == "0"
    torture = rows[3]
    assert torture["event_date"] == torture["year"] == torture["hl_date_end"] == ""
    assert torture["country"] == "Nigeria"
    assert (torture["iso"], torture["region"]) == ("566", "Western Africa")
    assert torture["inter1"] == "1" and torture["interaction"] == "10"  # one actor
    assert torture["url"] == ""  # nothing made up
    assert torture["location"] == torture["latitude"] == ""
    assert json.loads(torture["hl_counts"]) == {"tortured": {"min": 5, "max": None}}


def test_export_csv_date_range(ledger: Ledger) -> None:
    _, rows, _ = csv_rows(ledger)
    abduction = rows[2]
    assert (abduction["event_date"], abduction["hl_date_end"]) == ("2017-02-20", "2017-02-24")
    assert abduction["time_precision"] == "2"
    assert abduction["source"] == "Wire, Beirut"  # a comma inside a cell survives


def test_export_csv_without_texts_has_empty_notes(ledger: Ledger) -> None:
    _, rows, _ = csv_rows(ledger, with_texts=False)
    assert {r["notes"] for r in rows} == {""}


def test_export_csv_empty_writes_header_only() -> None:
    buf = io.StringIO()
    assert write_csv([], buf) == 0
    assert buf.getvalue() == ",".join(COLUMNS) + "\n"


def test_export_notes_collapse_whitespace() -> None:
    doc = army_base()
    text = doc.text
    inc = doc.incidents[0]
    row = flat_row(record_of(inc), text=text.replace(" ", "\n", 1))
    assert "\n" not in row["notes"]
    assert row["notes"] == text


def test_export_event_date_falls_back_to_end() -> None:
    inc = tal_shair().incidents[0]
    d = inc.date
    assert d is not None
    open_start = Mention(d.kind, d.start, d.end, d.text, DateValue(None, date(2017, 2, 24), 2), "x")
    row = flat_row(record_of(replace(inc, date=open_start)))
    assert (row["event_date"], row["year"], row["hl_date_end"]) == (
        "2017-02-24",
        2017,
        "2017-02-24",
    )


# ---------------------------------------------------------------- JSON


def test_export_json_round_trip(ledger: Ledger) -> None:
    records = ledger.incidents()
    buf = io.StringIO()
    assert write_json(records, buf) == 4
    loaded = json.loads(buf.getvalue())
    assert isinstance(loaded, list)
    assert loaded == [json.loads(json.dumps(r.to_dict())) for r in records]
    assert loaded[0]["incident_id"] == sijir().incidents[0].incident_id
    assert loaded[0]["document"]["title"] == "Sixteen executed after fleeing al-Sijir"
    assert loaded[0]["pipeline_version"] == "harmledger-0.1.0:test"
    assert loaded[0] == json.loads(
        json.dumps(
            {
                **sijir().incidents[0].to_contract(),
                **{
                    k: loaded[0][k] for k in ("document", "stored_at", "pipeline_version", "review")
                },
            }
        )
    )


def test_export_json_empty_is_an_empty_array() -> None:
    buf = io.StringIO()
    assert write_json([], buf) == 0
    assert json.loads(buf.getvalue()) == []


# ---------------------------------------------------------------- GeoJSON


def test_export_geojson_is_a_valid_feature_collection(ledger: Ledger) -> None:
    records = ledger.incidents()
    texts = ledger.texts(r.incident.doc_id for r in records)
    buf = io.StringIO()
    result = write_geojson(records, buf, texts=texts)
    assert (result.written, result.without_coordinates) == (4, 0)
    gj = json.loads(buf.getvalue())
    assert gj["type"] == "FeatureCollection"
    assert len(gj["features"]) == 4
    for feature in gj["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert list(feature["properties"]) == [*COLUMNS, "hl_point"]
        assert feature["id"] == feature["properties"]["event_id_cnty"]
    first = gj["features"][0]
    assert first["geometry"]["coordinates"] == [43.81, 33.41]  # GeoJSON order: lon, lat
    assert first["properties"]["hl_point"] == "place"
    assert first["properties"]["fatalities"] == 16
    assert first["properties"]["notes"].startswith("BAGHDAD")


def test_export_geojson_keeps_an_incident_placed_only_to_its_country(ledger: Ledger) -> None:
    """The torture case names Nigeria and no place: it is drawn at Nigeria's representative
    point, at ACLED's coarsest precision, and says so."""
    buf = io.StringIO()
    write_geojson(ledger.incidents(), buf)
    by_id = {f["id"]: f for f in json.loads(buf.getvalue())["features"]}
    torture = by_id[army_base().incidents[0].incident_id]
    assert torture["properties"]["hl_point"] == "country"
    assert torture["properties"]["geo_precision"] == 3
    assert torture["properties"]["latitude"] is None  # the row itself stays as read
    lon, lat = torture["geometry"]["coordinates"]
    assert 4 < lat < 14 and 2 < lon < 15  # inside Nigeria's bounding box


def test_export_geojson_without_even_a_country() -> None:
    inc = replace(army_base().incidents[0], country=None)
    buf = io.StringIO()
    result = write_geojson([record_of(inc)], buf)
    assert result == (0, 1)
    assert json.loads(buf.getvalue()) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("feature", "precision", "kind"),
    [
        ("town", 1, "place"),
        ("village", 2, "place"),
        ("admin2", 2, "district"),
        ("admin1", 3, "region"),
        ("city", 3, "region"),
    ],
)
def test_export_point_kind(feature: str, precision: int, kind: str) -> None:
    assert point_kind(feature, precision) == kind


@pytest.mark.parametrize(
    ("actor1", "category1", "actor2", "category2", "inter", "interaction"),
    [
        ("Islamic State", "Rebel Groups", "Civilians (Iraq)", "Civilians", (2, 7), 27),
        ("Unidentified Armed Group (Mali)", None, None, None, (3, None), 30),
        ("Protesters (Kenya)", None, "Police Forces of Kenya", None, (6, 1), 16),
        ("Some New Group", None, None, None, (None, None), None),
    ],
)
def test_export_inter_codes_by_category_or_name(
    actor1: str,
    category1: str | None,
    actor2: str | None,
    category2: str | None,
    inter: tuple,
    interaction: int | None,
) -> None:
    assert (inter_code(actor1, category1), inter_code(actor2, category2)) == inter
    coding = acled_coding(
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1=actor1,
        actor1_category=category1,
        actor2=actor2,
        actor2_category=category2,
        country="Kenya",
    )
    assert coding["interaction"] == interaction
    assert (coding["iso"], coding["region"]) == (404, "Eastern Africa")


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "disorder"),
    [
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
        ("Riots", "Mob violence", "Political violence; Demonstrations"),
        ("Strategic developments", "Arrests", "Strategic developments"),
        (None, None, None),
    ],
)
def test_export_disorder_type(event_type, sub_event_type, disorder) -> None:
    coding = acled_coding(
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=None,
        actor1_category=None,
        actor2=None,
        actor2_category=None,
        country=None,
    )
    assert coding["disorder_type"] == disorder
    assert coding["civilian_targeting"] is None


# ---------------------------------------------------------------- DataFrame


def test_export_dataframe_columns_and_types(ledger: Ledger) -> None:
    df = dataframe(ledger)
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 4
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert df.loc[0, "event_date"].date() == date(2016, 5, 30)
    assert df.loc[0, "fatalities"] == 16
    assert df.loc[0, "latitude"] == pytest.approx(33.41)
    assert df["notes"].str.len().min() > 0
    assert list(df["hl_confidence"]) == [0.871, 0.55, 0.7, 0.3]


def test_export_dataframe_empty_ledger(tmp_path: Path) -> None:
    with Ledger(tmp_path / "empty.db") as lg:
        df = dataframe(lg)
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 0


def test_export_every_country_of_the_gazetteer_has_acled_codes() -> None:
    """A country the gazetteer can place an incident in gets its iso, region and a point."""
    from harmledger.export import country_info
    from harmledger.gazetteer import Gazetteer

    countries = {p.country for p in Gazetteer.load() if p.feature == "country"}
    assert len(countries) > 200
    missing = sorted(c for c in countries if not country_info(c).get("region"))
    assert not missing
    placed = 0
    for c in countries:
        info = country_info(c)
        assert isinstance(info["iso"], int) and len(info["iso3"]) == 3
        if "latitude" in info:  # territories without towns (Antarctica, Tokelau) have none
            assert -90 <= info["latitude"] <= 90 and -180 <= info["longitude"] <= 180
            placed += 1
    assert placed > len(countries) - 10
