"""Ledger.incidents filters, one at a time and combined; portability of the SQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from harmledger.errors import ConfigError
from harmledger.export import dataframe
from harmledger.store import Filters, Ledger
from harmledger.store import schema as s
from harmledger.store.filters import conditions
from test_store_samples import army_base, sijir, tal_shair

EXECUTIONS = sijir().incidents[0].incident_id
DISAPPEARED = sijir().incidents[1].incident_id
ABDUCTION = tal_shair().incidents[0].incident_id
TORTURE = army_base().incidents[0].incident_id
ALL = [EXECUTIONS, DISAPPEARED, ABDUCTION, TORTURE]


@pytest.fixture(scope="module")
def ledger(module_db_url: str):
    with Ledger(module_db_url) as lg:
        for doc in (sijir(), tal_shair(), army_base()):
            lg.add(doc, pipeline_version="v1")
        yield lg


def ids(records) -> list[str]:
    return [r.incident.incident_id for r in records]


def test_store_filters_none_returns_all_in_order(ledger: Ledger) -> None:
    assert ids(ledger.incidents()) == ALL


@pytest.mark.parametrize(
    ("event_type", "want"),
    [
        ("Violence against civilians", ALL),
        ("violence AGAINST civilians", ALL),
        ("Battles", []),
    ],
)
def test_store_filter_event_type(ledger: Ledger, event_type: str, want: list[str]) -> None:
    assert ids(ledger.incidents(Filters(event_type=event_type))) == want


@pytest.mark.parametrize(
    ("violation", "want"),
    [
        ("killing", [EXECUTIONS]),
        ("enforced disappearance", [DISAPPEARED]),
        ("abduction", [DISAPPEARED, ABDUCTION]),  # the second of two violations counts
        ("Torture", [TORTURE]),
        ("sexual violence", []),
    ],
)
def test_store_filter_violation(ledger: Ledger, violation: str, want: list[str]) -> None:
    assert ids(ledger.incidents(Filters(violation=violation))) == want


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"violation": "rape"}, "--violation 'rape' is not a violation harmledger records"),
        ({"violation": "kill"}, "use one of: 'killing', 'torture'"),  # matched whole
        ({"event_type": "Bombing"}, "--event-type 'Bombing' is not one of ACLED's event types"),
        ({"event_type": "Remote violence"}, "'Explosions/Remote violence'"),
    ],
)
def test_store_filters_refuse_values_no_incident_has(given: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        Filters(**given)


@pytest.mark.parametrize(
    ("actor", "want"),
    [
        ("islamic state", [ABDUCTION]),
        ("POLICE", [EXECUTIONS]),
        ("civilians (iraq)", [EXECUTIONS]),  # the second actor counts too
        ("forces of", [EXECUTIONS, TORTURE]),
        ("Nigeria", [TORTURE]),
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
        ("Hashd", []),
    ],
)
def test_store_filter_actor(ledger: Ledger, actor: str, want: list[str]) -> None:
    assert ids(ledger.incidents(Filters(actor=actor))) == want


@pytest.mark.parametrize(
    ("place", "want"),
    [
        ("sijir", [EXECUTIONS, DISAPPEARED]),  # location name
        ("anbar", [EXECUTIONS, DISAPPEARED]),  # admin1
        ("ALEPPO", [ABDUCTION]),  # admin1
        ("syria", [ABDUCTION]),  # country
        ("Nigeria", [TORTURE]),  # the document's country when no place is known
        ("Fallujah", []),  # an anchor or admin2 is not matched
        ("Mosul", []),
    ],
)
def test_store_filter_place(ledger: Ledger, place: str, want: list[str]) -> None:
    assert ids(ledger.incidents(Filters(place=place))) == want


@pytest.mark.parametrize(
    ("since", "until", "want"),
    [
        (date(2016, 5, 30), None, [EXECUTIONS, DISAPPEARED, ABDUCTION]),
        (date(2016, 5, 31), None, [ABDUCTION]),
        (date(2017, 2, 24), None, [ABDUCTION]),  # overlaps the range's last day
        (date(2017, 2, 25), None, []),
        (None, date(2017, 2, 20), [EXECUTIONS, DISAPPEARED, ABDUCTION]),  # first day
        (None, date(2017, 2, 19), [EXECUTIONS, DISAPPEARED]),
        (None, date(2016, 5, 29), []),
        (date(2017, 2, 21), date(2017, 2, 22), [ABDUCTION]),  # inside the range
        (date(2016, 1, 1), date(2016, 12, 31), [EXECUTIONS, DISAPPEARED]),
        (date(2010, 1, 1), date(2030, 1, 1), [EXECUTIONS, DISAPPEARED, ABDUCTION]),  # undated out
    ],
)
def test_store_filter_dates_overlap(
    ledger: Ledger, since: date | None, until: date | None, want: list[str]
) -> None:
    assert ids(ledger.incidents(Filters(since=since, until=until))) == want


@pytest.mark.parametrize(
    ("min_confidence", "want"),
    [
        (0.0, ALL),
        (0.3, ALL),
        (0.55, [EXECUTIONS, DISAPPEARED, ABDUCTION]),
        (0.7, [EXECUTIONS, ABDUCTION]),
        (0.9, []),
    ],
)
def test_store_filter_min_confidence(
    ledger: Ledger, min_confidence: float, want: list[str]
) -> None:
    assert ids(ledger.incidents(Filters(min_confidence=min_confidence))) == want


@pytest.mark.parametrize(("limit", "want"), [(1, ALL[:1]), (3, ALL[:3]), (10, ALL), (0, [])])
def test_store_filter_limit(ledger: Ledger, limit: int, want: list[str]) -> None:
    assert ids(ledger.incidents(Filters(limit=limit))) == want


def test_store_filters_combine(ledger: Ledger) -> None:
    got = ledger.incidents(
        Filters(
            event_type="Violence against civilians",
            violation="abduction",
            place="aleppo",
            since=date(2017, 1, 1),
            min_confidence=0.5,
        )
    )
    assert ids(got) == [ABDUCTION]
    assert (
        ids(ledger.incidents(Filters(violation="abduction", actor="islamic", place="Iraq"))) == []
    )


def test_store_filters_apply_to_dataframe(ledger: Ledger) -> None:
    df = dataframe(ledger, Filters(place="iraq"))
    assert list(df["event_id_cnty"]) == [EXECUTIONS, DISAPPEARED]


# ---------------------------------------------------------------- portability


def test_store_schema_compiles_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for table in s.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert f"CREATE TABLE {table.name}" in ddl
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))
    incidents_ddl = str(CreateTable(s.incidents).compile(dialect=dialect))
    assert "JSON" in incidents_ddl and "DATE" in incidents_ddl


def test_store_filter_sql_compiles_for_postgresql() -> None:
    from sqlalchemy import select

    conds = conditions(
        Filters(
            event_type="Battles",
            violation="killing",
            actor="a",
            place="p",
            since=date(2020, 1, 1),
            until=date(2020, 2, 1),
            min_confidence=0.5,
        )
    )
    sql = str(select(s.incidents.c.id).where(*conds).compile(dialect=postgresql.dialect()))
    # a place or actor is matched against the casefolded names, then looked up by name
    assert "filter_names.folded LIKE" in sql
    assert "incidents.location_name IN (SELECT filter_names.name" in sql
    assert "date_start is null" in sql.lower()  # an open end counts as the start


def test_store_filter_columns_are_indexed() -> None:
    indexed = {c.name for idx in s.incidents.indexes for c in idx.columns}
    for column in (
        "event_type",
        "actor1_name",
        "actor2_name",
        "location_name",
        "admin1",
        "country",
        "date_start",
        "date_end",
        "confidence",
        "processing_id",
    ):
        assert column in indexed, column
    assert {c.name for idx in s.incident_violations.indexes for c in idx.columns} == {"violation"}
