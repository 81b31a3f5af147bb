"""Fusion in the ledger (issue 4): reports fused as they arrive, recomputed, undone,
merged and split by hand, re-processed, and a version-1 ledger migrated.

Fixtures (tests/fixtures/fusion/): ``hawija_shepherds.jsonl`` (a wire story, a local
report and an NGO statement of one killing of shepherds, and a same-day look-alike in
another province), ``hawija_update.jsonl`` (a later report of the same killing) and
``tal_afar.jsonl`` (a wire story, its syndicated copy, a local report, a next-day
look-alike and an unrelated protest), ``sadr_city/`` (saved text files: a wire story whose
dateline has no year, a local report, an NGO statement, and two look-alikes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from harmledger.config import Settings
from harmledger.errors import LedgerError
from harmledger.export import dataframe, fused_notes
from harmledger.fuse.ledger import Fuser
from harmledger.ingest import read_inputs
from harmledger.model import Annotated, Document, FusedIncident
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.store import Filters, Ledger
from harmledger.store import schema as s
from harmledger.store.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "fusion"
VERSION = "test-pipeline.v1"


@cache
def annotated(name: str) -> tuple[Annotated, ...]:
    settings = Settings()
    pipeline = pipeline_for(settings)
    out = []
    for doc in read_inputs([str(FIXTURES / name)], settings):
        assert isinstance(doc, Document), doc
        out.append(pipeline(doc))
    return tuple(out)


def store(
    ledger: Ledger, docs: Iterable[Annotated], *, fuse: bool = True, version: str = VERSION
) -> None:
    """What ``harmledger run`` does: add each document, fuse its new incidents."""
    for a in docs:
        result = ledger.add(a, pipeline_version=version)
        if fuse and result.incidents_added:
            Fuser(ledger).pending([result.document_id])


def groups(fused: Iterable[FusedIncident]) -> set[frozenset[str]]:
    """Each fused incident as the set of its reports' document names."""
    return {frozenset(r.doc_name for r in f.reports) for f in fused}


def by_doc(fused: Iterable[FusedIncident], doc_name: str) -> FusedIncident:
    (found,) = [f for f in fused if any(r.doc_name == doc_name for r in f.reports)]
    return found


def incident_of(ledger: Ledger, doc_name: str) -> str:
    (found,) = [
        r.incident.incident_id for r in ledger.incidents() if r.incident.doc_name == doc_name
    ]
    return found


def decisions(ledger: Ledger) -> list[dict[str, object]]:
    with ledger.engine.connect() as conn:
        q = select(s.fusion_decisions).order_by(s.fusion_decisions.c.id)
        return [dict(r) for r in conn.execute(q).mappings()]


HAWIJA = {
    frozenset({"wire-hawija", "local-hawija", "ngo-hawija"}),
    frozenset({"lookalike-tuz"}),
}


@pytest.fixture
def ledger(db_url: str):
    with Ledger(db_url) as lg:
        yield lg


@pytest.fixture
def hawija(ledger: Ledger) -> Ledger:
    store(ledger, annotated("hawija_shepherds.jsonl"))
    return ledger


# ---------------------------------------------------------------- fusing on arrival


def test_store_fusion_reports_of_one_event_become_one(hawija: Ledger) -> None:
    fused = hawija.fused()
    assert groups(fused) == HAWIJA
    f = by_doc(fused, "wire-hawija")
    assert f.sources == 3
    assert (f.killed_min, f.killed_max) == (7, 8)
    assert f.fatalities == 7
    assert f.location_name == "Al Hawijah" and f.admin1 == "Kirkuk"
    assert f.date_start.isoformat() == "2020-03-09"  # type: ignore[union-attr]
    assert f.publishers == ("Wire Service", "Kirkuk Now", "Iraq Rights Watch")
    killed = next(d for d in f.disagreements if d.field == "killed")
    assert [v for v, _ in killed.values] == [7, 8]
    assert "fused:" in f.reason and "same day (2020-03-09)" in f.reason
    stats = hawija.stats()
    assert (stats["fused"], stats["fused_multi"]) == (2, 1)


def test_store_fusion_saved_files_one_without_a_year(ledger: Ledger) -> None:
    # plain-text files as a user saves them: the wire's dateline has no year ("BAGHDAD,
    # March 14 (Reuters) -"), the local report's "Baghdad, 15 March 2023 -" does, the NGO
    # dates the day; a next-day bombing in Sadr City and a roadside bomb in Tarmiyah are
    # other events
    store(ledger, annotated("sadr_city"))
    fused = ledger.fused()
    name = "{}/sadr_city/{}.txt".format
    event = {name(FIXTURES, n) for n in ("wire", "local", "ngo")}
    assert {frozenset(event)} == {g for g in groups(fused) if len(g) > 1}
    f = by_doc(fused, name(FIXTURES, "wire"))
    assert (f.killed_min, f.killed_max, f.sources) == (12, 16, 3)
    assert f.date_start.isoformat() == "2023-03-14"  # type: ignore[union-attr]
    assert f.location_name == "Sadr City"
    assert "a report without any date" in f.reason


def test_store_fusion_fused_order_and_filters(hawija: Ledger) -> None:
    fused = hawija.fused()
    assert [f.reports[0].doc_name for f in fused] == ["wire-hawija", "lookalike-tuz"]
    assert groups(hawija.fused(Filters(min_sources=2))) == {
        frozenset({"wire-hawija", "local-hawija", "ngo-hawija"})
    }
    assert groups(hawija.fused(Filters(place="Tuz"))) == {frozenset({"lookalike-tuz"})}
    assert len(hawija.fused(Filters(limit=1))) == 1
    assert len(hawija.fused(Filters(violation="killing"))) == 2


def test_store_fusion_copies_and_one_publisher_count_once(ledger: Ledger) -> None:
    store(ledger, annotated("tal_afar.jsonl"))
    fused = ledger.fused()
    bombing = by_doc([f for f in fused if f.sub_event_type == "Suicide bomb"], "local-talafar")
    assert {r.doc_name for r in bombing.reports} == {
        "wire-talafar",
        "local-talafar",
        "copy-talafar",
    }
    assert bombing.sources == 2  # the Gulf Daily copy is the wire story
    copy = next(r for r in bombing.reports if r.doc_name == "copy-talafar")
    wire = next(r for r in bombing.reports if r.doc_name == "wire-talafar")
    assert copy.story_id == wire.story_id == wire.doc_id
    # the next day's roadside bomb and the Basra protest stay on their own
    assert frozenset({"next-day-talafar"}) in groups(fused)
    assert frozenset({"protest-basra"}) in groups(fused)


def test_store_fusion_later_report_joins_the_existing_incident(hawija: Ledger) -> None:
    before = {f.fused_id: f for f in hawija.fused()}
    event = by_doc(before.values(), "wire-hawija")
    store(hawija, annotated("hawija_update.jsonl"))
    after = {f.fused_id: f for f in hawija.fused()}
    assert after.keys() == before.keys()  # the same fused ids: nothing renamed
    joined = after[event.fused_id]
    assert [r.doc_name for r in joined.reports][-1] == "update-hawija"
    assert len(joined.reports) == 4 and joined.sources == 4
    assert (
        after[by_doc(before.values(), "lookalike-tuz").fused_id].reports
        == by_doc(before.values(), "lookalike-tuz").reports
    )


def test_store_fusion_order_of_arrival_does_not_change_the_groups(ledger: Ledger) -> None:
    docs = annotated("hawija_shepherds.jsonl") + annotated("hawija_update.jsonl")
    store(ledger, reversed(docs))
    assert groups(ledger.fused()) == {
        frozenset({"wire-hawija", "local-hawija", "ngo-hawija", "update-hawija"}),
        frozenset({"lookalike-tuz"}),
    }


def test_store_fusion_rerun_adds_nothing(hawija: Ledger) -> None:
    before = hawija.fused()
    stats = hawija.stats()
    store(hawija, annotated("hawija_shepherds.jsonl"))
    assert Fuser(hawija).pending().reports == 0
    assert hawija.stats() == stats
    assert hawija.fused() == before


def test_store_fusion_without_fusing_on_arrival_fused_catches_up(ledger: Ledger) -> None:
    store(ledger, annotated("hawija_shepherds.jsonl"), fuse=False)
    assert ledger.stats()["fused"] == 0
    assert ledger.fused() == [] and ledger.pending() == 4  # reading writes nothing
    assert ledger.stats()["fused"] == 0
    Fuser(ledger).pending()
    assert groups(ledger.fused()) == HAWIJA and ledger.pending() == 0


# ---------------------------------------------------------------- fuse and undo


def test_store_fusion_fuse_recomputes_the_same_groups(hawija: Ledger) -> None:
    before = hawija.fused()
    result = Fuser(hawija).all()
    assert (result.reports, result.fused, result.multi, result.stale_decisions) == (4, 2, 1, 0)
    after = hawija.fused()
    assert groups(after) == groups(before)
    assert [f.fused_id for f in after] == [f.fused_id for f in before]


def test_store_fusion_undo_puts_every_report_alone(hawija: Ledger) -> None:
    result = Fuser(hawija).all(undo=True)
    assert (result.reports, result.fused, result.multi) == (4, 4, 0)
    fused = hawija.fused()
    assert len(fused) == 4 and all(len(f.reports) == 1 for f in fused)
    assert all(f.sources == 1 and f.reason.startswith("One report") for f in fused)
    # undo is not a decision: a later fuse groups them again
    assert decisions(hawija) == []
    Fuser(hawija).all()
    assert groups(hawija.fused()) == HAWIJA


# ---------------------------------------------------------------- merge and split


def test_store_fusion_merge_by_hand_is_recorded_and_kept(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    tuz = by_doc(hawija.fused(), "lookalike-tuz")
    made = Fuser(hawija).merge([event.fused_id, tuz.fused_id[:8]], note="one raid, two villages")
    assert len(made) == 1 and made[0].manual and len(made[0].reports) == 4
    assert made[0].reason.endswith("merged by hand.")
    (d,) = decisions(hawija)
    assert d["action"] == "merge" and d["note"] == "one raid, two villages"
    assert sorted(d["incident_ids"]) == sorted(  # type: ignore[arg-type]
        r.incident_id for r in (*event.reports, *tuz.reports)
    )
    assert d["others"] == []
    expected = {frozenset({"wire-hawija", "local-hawija", "ngo-hawija", "lookalike-tuz"})}
    assert groups(hawija.fused()) == expected
    Fuser(hawija).all()
    assert groups(hawija.fused()) == expected  # the person's decision wins over the rules
    Fuser(hawija).all(undo=True)
    assert groups(hawija.fused()) == expected  # undo keeps merges
    assert all(f.manual for f in hawija.fused())


def test_store_fusion_merge_by_incident_ids(hawija: Ledger) -> None:
    wire = incident_of(hawija, "wire-hawija")
    tuz = incident_of(hawija, "lookalike-tuz")
    made = Fuser(hawija).merge([wire[:8], tuz])
    assert len(made) == 1 and len(made[0].reports) == 4


def test_store_fusion_split_out_one_report_is_kept(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    ngo = incident_of(hawija, "ngo-hawija")
    made = Fuser(hawija).split(event.fused_id, [ngo], note="a different family")
    assert groups(made) == {
        frozenset({"wire-hawija", "local-hawija"}),
        frozenset({"ngo-hawija"}),
    }
    assert all(f.manual for f in made)
    (d,) = decisions(hawija)
    assert d["action"] == "split" and d["incident_ids"] == [ngo]
    assert sorted(d["others"]) == sorted(  # type: ignore[arg-type]
        r.incident_id for r in event.reports if r.incident_id != ngo
    )
    expected = {
        frozenset({"wire-hawija", "local-hawija"}),
        frozenset({"ngo-hawija"}),
        frozenset({"lookalike-tuz"}),
    }
    assert groups(hawija.fused()) == expected
    assert by_doc(hawija.fused(), "wire-hawija").fused_id == event.fused_id
    Fuser(hawija).all()
    assert groups(hawija.fused()) == expected
    # a later report (8 killed, like the NGO's) joins the side it fits best, and the
    # person's split holds: the two sides never become one again
    store(hawija, annotated("hawija_update.jsonl"))
    after = groups(hawija.fused())
    assert frozenset({"lookalike-tuz"}) in after
    assert len(after) == 3
    assert not any({"ngo-hawija", "wire-hawija"} <= g for g in after)
    assert any("update-hawija" in g and len(g) > 1 for g in after)


def test_store_fusion_split_without_ids_puts_each_report_alone(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    made = Fuser(hawija).split(event.fused_id)
    assert len(made) == 3 and all(len(f.reports) == 1 for f in made)
    (d,) = decisions(hawija)
    assert sorted(d["incident_ids"]) == sorted(d["others"])  # type: ignore[type-var]
    alone = {frozenset({n}) for n in ("wire-hawija", "local-hawija", "ngo-hawija", "lookalike-tuz")}
    assert groups(hawija.fused()) == alone
    Fuser(hawija).all()
    assert groups(hawija.fused()) == alone  # a later fuse does not merge them again


def test_store_fusion_merge_after_split_wins(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    Fuser(hawija).split(event.fused_id)
    wire, ngo = incident_of(hawija, "wire-hawija"), incident_of(hawija, "ngo-hawija")
    Fuser(hawija).merge([wire, ngo])
    Fuser(hawija).all()
    assert frozenset({"wire-hawija", "ngo-hawija"}) in groups(hawija.fused())
    assert frozenset({"local-hawija"}) in groups(hawija.fused())


def test_store_fusion_merge_of_what_is_already_one_is_a_clear_error(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    wire = incident_of(hawija, "wire-hawija")
    with pytest.raises(LedgerError, match="already one fused incident"):
        Fuser(hawija).merge([event.fused_id, wire])
    with pytest.raises(LedgerError, match="already one fused incident"):
        Fuser(hawija).merge([wire, incident_of(hawija, "local-hawija")])
    assert decisions(hawija) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lg, ev: Fuser(lg).merge([ev]), "at least two"),
        (lambda lg, ev: Fuser(lg).merge([ev, "ffffffffffff"]), "no fused incident or incident"),
        (lambda lg, ev: Fuser(lg).split("ffffffffffff"), "no fused incident 'ffffffffffff'"),
        (lambda lg, ev: Fuser(lg).split(ev, ["ffffffffffff"]), "not one of this fused incident's"),
    ],
    ids=["merge-one", "merge-unknown", "split-unknown", "split-stranger"],
)
def test_store_fusion_bad_decisions_are_clear_errors(hawija: Ledger, call, message) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    with pytest.raises(LedgerError, match=message):
        call(hawija, event.fused_id)
    assert decisions(hawija) == []


def test_store_fusion_split_of_one_report_or_all_is_refused(hawija: Ledger) -> None:
    tuz = by_doc(hawija.fused(), "lookalike-tuz")
    with pytest.raises(LedgerError, match="one report; nothing to split"):
        Fuser(hawija).split(tuz.fused_id)
    event = by_doc(hawija.fused(), "wire-hawija")
    with pytest.raises(LedgerError, match="every report"):
        Fuser(hawija).split(event.fused_id, [r.incident_id for r in event.reports])
    assert decisions(hawija) == []


# ---------------------------------------------------------------- reading one


def test_store_fusion_get_fused_by_either_id(hawija: Ledger) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    wire = incident_of(hawija, "wire-hawija")
    assert hawija.get_fused(event.fused_id) == event
    assert hawija.get_fused(event.fused_id[:8]) == event
    assert hawija.get_fused(wire) == event
    assert hawija.get_fused(wire[:8]) == event
    assert hawija.get_fused("ffffffffffff") is None


def test_store_fusion_fused_round_trip(hawija: Ledger) -> None:
    """What the ledger reads back is what summarise() made from the stored reports."""
    from harmledger.fuse.summary import summarise

    for f in hawija.fused():
        again = summarise(list(f.reports))
        assert again.to_dict() == f.to_dict()


def test_store_fusion_notes_are_evidence_of_the_best_report(hawija: Ledger) -> None:
    fused = hawija.fused()
    notes = fused_notes(hawija, fused)
    assert "shot dead seven shepherds" in notes[by_doc(fused, "wire-hawija").fused_id]
    assert "Tuz Khurmatu" in notes[by_doc(fused, "lookalike-tuz").fused_id]


# ---------------------------------------------------------------- re-processing


def test_store_fusion_reprocessing_with_a_new_version_refuses(hawija: Ledger) -> None:
    """The pipeline version changed, the extraction did not: the new processing's
    incidents take the old ones' places in the same groups."""
    before = hawija.fused()
    store(hawija, annotated("hawija_shepherds.jsonl")[:1], version="test-pipeline.v2")
    after = hawija.fused()
    assert groups(after) == groups(before)
    current = {r.pk for r in _current_pks(hawija)}
    assert {r.pk for f in after for r in f.reports} == current
    assert hawija.stats()["fused"] == 2


def test_store_fusion_reprocessing_keeps_fused_ids(hawija: Ledger) -> None:
    # a new pipeline version gives the re-processed document's incident a new id; the fused
    # id is made from the document and where the incident's words start, so it stays
    before = sorted(f.fused_id for f in hawija.fused())
    store(hawija, annotated("hawija_shepherds.jsonl")[:1], version="test-pipeline.v2")
    assert sorted(f.fused_id for f in hawija.fused()) == before
    Fuser(hawija).all()
    assert sorted(f.fused_id for f in hawija.fused()) == before


def _current_pks(ledger: Ledger):
    from harmledger.store.fused import load_reports

    with ledger.engine.connect() as conn:
        return load_reports(conn)


def test_store_fusion_reprocessing_with_new_incidents_drops_the_old(hawija: Ledger) -> None:
    wire = annotated("hawija_shepherds.jsonl")[0]
    old_id = wire.incidents[0].incident_id
    renamed = replace(
        wire, incidents=tuple(replace(i, incident_id=i.incident_id[::-1]) for i in wire.incidents)
    )
    new_id = renamed.incidents[0].incident_id
    event = by_doc(hawija.fused(), "wire-hawija")
    store(hawija, [renamed], version="test-pipeline.v2")
    fused = hawija.fused()
    ids = {r.incident_id for f in fused for r in f.reports}
    assert new_id in ids and old_id not in ids
    assert groups(fused) == HAWIJA  # the new incident is fused with the others again
    assert all(len(f.reports) == len({r.pk for r in f.reports}) for f in fused)
    assert event.reports[0].incident_id == old_id
    # a whole fuse agrees with what fusing on arrival made
    before = groups(fused)
    Fuser(hawija).all()
    assert groups(hawija.fused()) == before


def test_store_fusion_decisions_on_reprocessed_incidents_are_reported_stale(
    hawija: Ledger,
) -> None:
    event = by_doc(hawija.fused(), "wire-hawija")
    Fuser(hawija).split(event.fused_id)
    wire = annotated("hawija_shepherds.jsonl")[0]
    renamed = replace(
        wire, incidents=tuple(replace(i, incident_id=i.incident_id[::-1]) for i in wire.incidents)
    )
    store(hawija, [renamed], version="test-pipeline.v2")
    assert Fuser(hawija).all().stale_decisions == 1


# ---------------------------------------------------------------- schema version 1


def test_store_fusion_version_1_ledger_is_migrated_and_fused(db_url: str) -> None:
    with Ledger(db_url) as lg:
        store(lg, annotated("hawija_shepherds.jsonl"), fuse=False)
        assert lg.schema_version() == SCHEMA_VERSION
        with lg.engine.begin() as conn:  # back to what a version-1 ledger held
            for table in ("fused_members", "fusion_decisions", "fused_incidents", "stories"):
                conn.execute(text(f"DROP TABLE {table}"))
            for table in ("audit_log", "protected_marks", "reviews", "sessions", "users"):
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("ALTER TABLE documents DROP COLUMN raw_sha256"))
            conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
        assert "fused_incidents" not in inspect(lg.engine).get_table_names()
    with Ledger(db_url) as lg:
        assert lg.schema_version() == SCHEMA_VERSION
        assert lg.stats()["incidents"] == 4
        assert lg.fused() == [] and lg.pending() == 4
        Fuser(lg).pending()
        assert groups(lg.fused()) == HAWIJA
        tables = set(inspect(lg.engine).get_table_names())
        with lg.engine.connect() as conn:
            version = conn.scalar(text("SELECT value FROM meta WHERE key = 'schema_version'"))
    assert {"stories", "fused_incidents", "fused_members", "fusion_decisions"} <= tables
    assert {"users", "sessions", "reviews", "protected_marks", "audit_log"} <= tables
    assert version == str(SCHEMA_VERSION)


def test_store_fusion_dataframe_has_one_row_per_event(hawija: Ledger) -> None:
    per_report = dataframe(hawija)
    fused = dataframe(hawija, fused=True)
    assert len(fused) < len(per_report)
    event = fused.loc[fused["hl_reports"] == 3].iloc[0]
    assert event["hl_sources"] == 3
    assert event["location"] is not None
    assert str(event["event_date"].date()) == "2020-03-09"
    assert len(dataframe(hawija, Filters(min_sources=2), fused=True)) == 1
