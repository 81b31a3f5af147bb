"""Corrections count everywhere: a person's reviewed place, date, type or toll is what the
list's filters, the map, the timeline and fusion read (the machine's values kept beside
it), a rejected incident leaves its fused incident, and a ledger of schema version 5
(reviews made before) is upgraded to that.

Fixture: ``tests/fixtures/fusion/hawija_shepherds.jsonl`` (three reports of one killing
of shepherds near Hawija, seven or eight killed, and a same-day look-alike in Tuz
Khurmatu, Salah al-Din)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from harmledger.fuse.ledger import Fuser
from harmledger.review.edits import Reviewer
from harmledger.store import reviews as rv
from harmledger.store import rows
from harmledger.store import schema as s
from harmledger.store.filters import Filters
from harmledger.store.ledger import Ledger
from workspace import client, make_ledger

SHEPHERDS = Path(__file__).parent / "fixtures" / "fusion" / "hawija_shepherds.jsonl"
KIRKUK = "geonames:94787"  # the city of Kirkuk, in Kirkuk province


@pytest.fixture
def ledger(db_url: str):
    lg = make_ledger(db_url, SHEPHERDS)
    yield lg
    lg.close()


def incident_of(ledger: Ledger, doc_name: str) -> str:
    (found,) = [r for r in ledger.incidents() if r.incident.doc_name == doc_name]
    return found.incident.incident_id


def places(ledger: Ledger, words: str) -> set[str]:
    return {r.incident.doc_name for r in ledger.incidents(Filters(place=words))}


def test_review_counts_a_corrected_place_is_filtered_and_mapped(ledger: Ledger) -> None:
    tuz = incident_of(ledger, "lookalike-tuz")
    assert places(ledger, "salah al") == {"lookalike-tuz"}
    Reviewer(ledger, by="maria").edit(
        tuz, {"location": {"place_id": KIRKUK, "precision": 2}}, reason="Kirkuk, not Tuz"
    )
    assert places(ledger, "salah al") == set()
    assert "lookalike-tuz" in places(ledger, "KIRKUK")
    record = ledger.get(tuz)
    assert record is not None and record.machine is not None
    machine = record.machine.location
    assert machine is not None and machine.value.name == "Tuz Khurmatu"  # kept beside
    with ledger.engine.connect() as conn:
        (point,) = [p for p in rv.points(conn, Filters()) if p.incident_id == tuz]
    assert point.location_name == "Kirkuk"
    assert (round(point.latitude, 1), round(point.longitude, 1)) == (35.5, 44.4)


def test_review_counts_a_corrected_date_type_and_toll_in_the_timeline(ledger: Ledger) -> None:
    tuz = incident_of(ledger, "lookalike-tuz")
    Reviewer(ledger, by="maria").edit(
        tuz,
        {
            "date": {"start": "2020-04-15", "precision": 1},
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "counts": {"killed": {"min": 5, "max": 5}},
        },
    )
    with ledger.engine.connect() as conn:
        days = {d: (n, killed) for d, n, killed in rv.weeks(conn, Filters())}
        battles = rv.weeks(conn, Filters(event_type="Battles"))
    assert days[__import__("datetime").date(2020, 4, 15)] == (1, 5)
    assert [(d.isoformat(), n, k) for d, n, k in battles] == [("2020-04-15", 1, 5)]
    # the list's filters and a flat export read the same
    (found,) = ledger.incidents(Filters(event_type="Battles"))
    assert found.incident.incident_id == tuz and found.incident.flat().fatalities == 5
    assert found.machine is not None and found.machine.event_type == "Violence against civilians"


def test_review_counts_fusion_reads_the_reviewed_toll(ledger: Ledger) -> None:
    ngo = incident_of(ledger, "ngo-hawija")
    event = ledger.get_fused(ngo)
    assert event is not None and (event.killed_min, event.killed_max) == (7, 8)
    change = Reviewer(ledger, by="maria").edit(ngo, {"counts": {"killed": {"min": 7, "max": 7}}})
    assert change.fuse_again and change.record.pk is not None
    Fuser(ledger).reviewed([change.record.pk])
    event = ledger.get_fused(ngo)
    assert event is not None and len(event.reports) == 3
    assert (event.killed_min, event.killed_max, event.fatalities) == (7, 7, 7)
    # every fuse after reads it too
    Fuser(ledger).all()
    event = ledger.get_fused(ngo)
    assert event is not None and (event.killed_min, event.killed_max) == (7, 7)


def test_review_counts_a_rejected_report_leaves_its_fused_incident(ledger: Ledger) -> None:
    ngo = incident_of(ledger, "ngo-hawija")
    reviewer = Reviewer(ledger, by="maria")
    fuser = Fuser(ledger)
    change = reviewer.reject(ngo, reason="the same killing told with a wrong toll")
    assert change.fuse_again
    fuser.reviewed([change.record.pk or 0])
    wire = ledger.get_fused(incident_of(ledger, "wire-hawija"))
    assert wire is not None
    assert sorted(r.doc_name for r in wire.reports) == ["local-hawija", "wire-hawija"]
    assert (wire.killed_min, wire.killed_max) == (7, 7)  # the rejected 8 is out of the range
    assert ledger.get_fused(ngo) is None and ledger.pending() == 0
    Fuser(ledger).all()  # a fuse from scratch leaves it out too
    assert ledger.get_fused(ngo) is None
    taken_back = reviewer.reopen(ngo)
    assert taken_back.fuse_again
    fuser.reviewed([taken_back.record.pk or 0])
    event = ledger.get_fused(ngo)
    assert event is not None and len(event.reports) == 3
    assert (event.killed_min, event.killed_max) == (7, 8)


def test_review_counts_through_the_workspace(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    ngo = incident_of(ledger, "ngo-hawija")
    edited = analyst.post(
        f"/api/incidents/{ngo}/edit", json={"changes": {"counts": {"killed": {"min": 7}}}}
    )
    assert edited.status_code == 200, edited.text
    fid = analyst.get(f"/api/incidents/{ngo}").json()["fused_id"]
    shown = analyst.get(f"/api/fused/{fid}").json()
    assert shown["killed"] == {"min": 7, "max": 7}
    tuz = incident_of(ledger, "lookalike-tuz")
    rejected = analyst.post(f"/api/incidents/{tuz}/reject", json={"reason": "not this event"})
    assert rejected.status_code == 200
    assert analyst.get(f"/api/incidents/{tuz}").json()["fused_id"] is None
    listed = analyst.get("/api/incidents", params={"place": "salah"}).json()
    assert [i["incident_id"] for i in listed["items"]] == [tuz]  # still listed, as rejected
    assert listed["items"][0]["review"] == "rejected"


def test_review_counts_place_and_actor_filters_ignore_case(ledger: Ledger) -> None:
    assert places(ledger, "HAWI") == {"wire-hawija", "local-hawija", "ngo-hawija"}
    assert places(ledger, "kirkuk") == {"wire-hawija", "local-hawija", "ngo-hawija"}
    assert places(ledger, "iraq") == {
        "wire-hawija",
        "local-hawija",
        "ngo-hawija",
        "lookalike-tuz",
    }
    assert places(ledger, "50%") == set()  # a LIKE wildcard is a character like any other
    islamic = {r.incident.doc_name for r in ledger.incidents(Filters(actor="islamic ST"))}
    assert islamic == {"local-hawija"}


def test_review_counts_a_version_5_ledger_is_upgraded(db_url: str) -> None:
    """A ledger whose reviews were made before version 6: the incidents' columns held the
    machine's values. Opening it keeps those beside the reviews and writes the reviewed
    values into the columns; the names the filters use are gathered."""
    with make_ledger(db_url, SHEPHERDS) as ledger:
        tuz = incident_of(ledger, "lookalike-tuz")
        change = Reviewer(ledger, by="maria").edit(
            tuz, {"location": {"place_id": KIRKUK, "precision": 2}, "event_type": "Battles"}
        )
        record = change.record
        assert record.machine is not None and record.pk is not None
        with ledger.engine.begin() as conn:  # back to what version 5 held
            machine = rows.incident_row(record.machine, record.incident.doc_id, 0, "")
            conn.execute(
                update(s.incidents)
                .where(s.incidents.c.id == record.pk)
                .values({c: machine[c] for c in rows.EFFECTIVE_COLUMNS})
            )
            conn.execute(text("DROP TABLE filter_names"))
            conn.execute(text("ALTER TABLE reviews DROP COLUMN machine"))
            conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    with Ledger(db_url) as ledger:
        assert places(ledger, "salah al") == set()
        assert "lookalike-tuz" in places(ledger, "kirkuk")
        (battle,) = ledger.incidents(Filters(event_type="Battles"))
        assert battle.machine is not None
        assert battle.machine.event_type == "Violence against civilians"
        assert battle.machine.location is not None
        assert battle.machine.location.value.name == "Tuz Khurmatu"
        with ledger.engine.connect() as conn:
            kept = conn.scalar(select(s.reviews.c.machine))
        assert kept["event_type"] == "Violence against civilians"
        assert ledger.schema_version() == s.SCHEMA_VERSION


def test_review_counts_the_blocking_index_reads_the_reviewed_values(ledger: Ledger) -> None:
    """Fusion's blocking index of a ledger is built from a compact query of what
    blocking reads (the reports a person edited read whole): the same keys, in the same
    order, as the reports fusion loads whole."""
    from harmledger.fuse.evidence import Key
    from harmledger.store import fused as fu

    reviewer = Reviewer(ledger, by="maria")
    tuz = reviewer.edit(
        incident_of(ledger, "lookalike-tuz"), {"location": {"place_id": KIRKUK, "precision": 2}}
    )
    gone = reviewer.reject(incident_of(ledger, "ngo-hawija"), reason="a copy")
    reviewer.accept(incident_of(ledger, "wire-hawija"))
    Fuser(ledger).reviewed([tuz.record.pk or 0, gone.record.pk or 0])
    fuser = Fuser(ledger)
    fuser.warm()
    with ledger.engine.connect() as conn:
        whole = [Key.of(r) for r in fu.fused_reports(conn)]
        built = fuser._blocking_index(conn).reports
    assert built == whole and len(built) == 3  # the rejected report is in no fused incident
    (moved,) = [k for k in built if k.pk == tuz.record.pk]
    assert moved.location_name == "Kirkuk" and moved.admin1 == "Kirkuk"


def test_review_counts_an_upgraded_ledger_fuses_by_the_reviewed_values(db_url: str) -> None:
    """A ledger of version 5 whose fused incident was fused by the machine's toll (seven
    or eight killed) before a person corrected one report to seven: the upgrade takes
    that fused incident apart (its reports pending), and the workspace fuses them again
    by the reviewed toll when it starts."""
    import threading

    from fastapi.testclient import TestClient

    from harmledger.web.app import create_app

    with make_ledger(db_url, SHEPHERDS) as ledger:
        ngo = incident_of(ledger, "ngo-hawija")
        Reviewer(ledger, by="maria").edit(ngo, {"counts": {"killed": {"min": 7, "max": 7}}})
        stale = ledger.get_fused(ngo)  # not fused again since
        assert stale is not None and (stale.killed_min, stale.killed_max) == (7, 8)
        with ledger.engine.begin() as conn:  # back to what version 5 held
            conn.execute(text("ALTER TABLE reviews DROP COLUMN machine"))
            conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    with Ledger(db_url) as ledger:
        assert ledger.schema_version() == s.SCHEMA_VERSION
        assert ledger.get_fused(ngo) is None and ledger.pending() == 3  # its group, apart
        app = create_app(ledger)
        with TestClient(app):  # the server's start: warm-up and pending fused in a thread
            for t in [t for t in threading.enumerate() if t.name == "warm-fusion"]:
                t.join(timeout=60)
        assert ledger.pending() == 0
        event = ledger.get_fused(ngo)
        assert event is not None and len(event.reports) == 3
        assert (event.killed_min, event.killed_max, event.fatalities) == (7, 7, 7)


@pytest.mark.parametrize("words", ["hawi", "IRAQ", "kirkuk", "salah al-din", "nowhere"])
def test_review_counts_a_place_page_is_the_same_whichever_way_it_is_found(
    ledger: Ledger, words: str, monkeypatch
) -> None:
    """A place's page is found by searching each place index for its names, or, for a
    common place (or words many names hold), by walking the date index: same rows."""

    def page() -> tuple[list[int], int]:
        with ledger.engine.connect() as conn:
            return rv.page(conn, Filters(place=words), limit=2, offset=0)

    searched = page()
    monkeypatch.setattr(rv, "_PLACE_SORT_LIMIT", 0)  # every place is common
    assert page() == searched
    monkeypatch.setattr(rv, "_PLACE_SORT_LIMIT", 10)
    monkeypatch.setattr(rv, "_PLACE_NAMES", 0)  # every place's words in too many names
    assert page() == searched
    expected = {r.pk for r in ledger.incidents(Filters(place=words))}
    assert len(searched[0]) == min(2, len(expected)) and set(searched[0]) <= expected
    assert searched[1] == len(expected)


def test_review_counts_a_warmed_fuser_fuses_again_alike(ledger: Ledger) -> None:
    """The workspace warms its Fuser when it starts (the blocking index built in a read);
    fusing again after that gives what a cold Fuser gives."""
    import threading

    from fastapi.testclient import TestClient

    from harmledger.web.app import create_app

    app = create_app(ledger)
    with TestClient(app):  # the server's start: the warm-up runs in a thread
        warming = [t for t in threading.enumerate() if t.name == "warm-fusion"]
        for t in warming:
            t.join(timeout=60)
    warm = app.state.fuser
    ngo = incident_of(ledger, "ngo-hawija")
    change = Reviewer(ledger, by="maria").edit(ngo, {"counts": {"killed": {"min": 7, "max": 7}}})
    warm.reviewed([change.record.pk or 0])
    event = ledger.get_fused(ngo)
    assert event is not None and len(event.reports) == 3
    assert (event.killed_min, event.killed_max) == (7, 7)
    warm.warm()  # nothing changed elsewhere: kept
    tuz = incident_of(ledger, "lookalike-tuz")
    gone = Reviewer(ledger, by="maria").reject(tuz, reason="not an event")
    warm.reviewed([gone.record.pk or 0])
    assert ledger.get_fused(tuz) is None
    assert ledger.get_fused(ngo) is not None and ledger.pending() == 0


def test_review_counts_a_version_6_ledger_fuses_by_the_reviewed_values(db_url: str) -> None:
    """A ledger an earlier build took to version 6 kept a fused incident fused by the
    machine's toll after a person corrected a report: the upgrade to version 7 takes it
    apart, and the next fusion fuses its reports by the reviewed toll. The incidents,
    stored before ``focus`` was, read as not the focus."""
    with make_ledger(db_url, SHEPHERDS) as ledger:
        ngo = incident_of(ledger, "ngo-hawija")
        Reviewer(ledger, by="maria").edit(ngo, {"counts": {"killed": {"min": 7, "max": 7}}})
        stale = ledger.get_fused(ngo)
        assert stale is not None and (stale.killed_min, stale.killed_max) == (7, 8)
        with ledger.engine.begin() as conn:  # what that build left
            conn.execute(text("ALTER TABLE incidents DROP COLUMN focus"))
            conn.execute(text("ALTER TABLE incidents DROP COLUMN victims"))
            conn.execute(text("UPDATE meta SET value = '6' WHERE key = 'schema_version'"))
    with Ledger(db_url) as ledger:
        assert ledger.schema_version() == s.SCHEMA_VERSION
        assert ledger.get_fused(ngo) is None and ledger.pending() == 3
        assert not any(r.incident.focus for r in ledger.incidents())
        Fuser(ledger).pending()
        event = ledger.get_fused(ngo)
        assert event is not None and len(event.reports) == 3
        assert (event.killed_min, event.killed_max, event.fatalities) == (7, 7, 7)
