"""The ledger: idempotent adds, versions, round trips, transactions, runs, URLs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from harmledger.errors import LedgerError
from harmledger.model import (
    Annotated,
    CountValue,
    Document,
    Mention,
    PlaceValue,
)
from harmledger.store import Ledger, resolve_url
from harmledger.store import rows as rows_module
from harmledger.store.schema import SCHEMA_VERSION
from test_store_samples import army_base, sijir, tal_shair


@pytest.fixture
def ledger(db_url: str):
    with Ledger(db_url) as lg:
        yield lg


# ---------------------------------------------------------------- idempotence and versions


def test_store_add_new_document(ledger: Ledger) -> None:
    doc = sijir()
    result = ledger.add(doc, pipeline_version="v1")
    assert result.document_id == doc.document.id
    assert result.new_document
    assert result.incidents_added == 2
    assert not result.skipped
    stats = ledger.stats()
    assert stats["documents"] == 1
    assert stats["incidents"] == 2
    assert stats["mentions"] == len(doc.mentions) == 11  # the unused "Fallujah" mention too


def test_store_add_twice_adds_nothing(ledger: Ledger) -> None:
    ledger.add(sijir(), pipeline_version="v1")
    before = ledger.stats()
    again = ledger.add(sijir(), pipeline_version="v1")
    assert again.skipped
    assert not again.new_document
    assert again.incidents_added == 0
    assert ledger.stats() == before


def test_store_copy_under_new_name_records_name_only(ledger: Ledger) -> None:
    ledger.add(sijir(name="a/sijir.txt"), pipeline_version="v1")
    before = ledger.stats()
    copy = ledger.add(sijir(name="b/copy of sijir.txt"), pipeline_version="v1")
    assert copy.skipped and not copy.new_document and copy.incidents_added == 0
    doc_id = copy.document_id
    assert ledger.document_names(doc_id) == ["a/sijir.txt", "b/copy of sijir.txt"]
    after = ledger.stats()
    assert after["incidents"] == before["incidents"]
    assert after["document_names"] == 2
    assert ledger.document(doc_id).name == "a/sijir.txt"  # type: ignore[union-attr]


def test_store_new_version_adds_and_shadows_old(ledger: Ledger) -> None:
    ledger.add(sijir(version="v1"), pipeline_version="v1")
    result = ledger.add(sijir(version="v2"), pipeline_version="v2")
    assert not result.skipped and not result.new_document
    assert result.incidents_added == 2
    current = ledger.incidents()
    assert [r.pipeline_version for r in current] == ["v2", "v2"]
    assert {r.incident.incident_id for r in current} == {
        i.incident_id for i in sijir(version="v2").incidents
    }
    every = ledger.incidents(all_versions=True)
    assert len(every) == 4
    assert {r.pipeline_version for r in every} == {"v1", "v2"}
    stats = ledger.stats()
    assert stats["incidents"] == 4
    assert stats["incidents_current"] == 2
    assert stats["pipeline_versions"] == 2


def test_store_new_version_without_incidents_empties_current(ledger: Ledger) -> None:
    ledger.add(sijir(), pipeline_version="v1")
    ledger.add(replace(sijir(), incidents=()), pipeline_version="v2")
    assert ledger.incidents() == []
    assert len(ledger.incidents(all_versions=True)) == 2


def test_store_old_version_again_is_skipped(ledger: Ledger) -> None:
    ledger.add(sijir(version="v1"), pipeline_version="v1")
    ledger.add(sijir(version="v2"), pipeline_version="v2")
    assert ledger.add(sijir(version="v1"), pipeline_version="v1").skipped
    assert {r.pipeline_version for r in ledger.incidents()} == {"v2"}


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("build", [sijir, tal_shair, army_base])
def test_store_incident_round_trip(ledger: Ledger, build) -> None:
    doc = build()
    ledger.add(doc, pipeline_version="v1")
    for original in doc.incidents:
        record = ledger.get(original.incident_id)
        assert record is not None
        assert record.incident.to_contract() == original.to_contract()
        assert record.incident == original
        assert record.incident.mentions == original.mentions
        assert record.document_name == doc.document.name
        assert record.meta == doc.document.meta
        assert record.pipeline_version == "v1"
        assert record.stored_at.tzinfo is UTC


def test_store_focus_round_trip(ledger: Ledger) -> None:
    """Which incidents the report is about (``focus``) is stored and read back."""
    doc = sijir()
    first, *rest = doc.incidents
    doc = replace(doc, incidents=(replace(first, focus=True), *rest))
    ledger.add(doc, pipeline_version="v1")
    assert [ledger.get(i.incident_id).incident.focus for i in doc.incidents] == [  # type: ignore[union-attr]
        True,
        *([False] * len(rest)),
    ]


def test_store_round_trip_keeps_order_of_triggers_and_violations(ledger: Ledger) -> None:
    doc = sijir()
    ledger.add(doc, pipeline_version="v1")
    first, second = (ledger.get(i.incident_id) for i in doc.incidents)
    assert [m.text for m in first.incident.triggers] == ["executed", "shot"]  # type: ignore[union-attr]
    assert second.incident.violations == ("enforced disappearance", "abduction")  # type: ignore[union-attr]


def test_store_document_round_trip(ledger: Ledger) -> None:
    doc = sijir().document
    ledger.add(sijir(), pipeline_version="v1")
    loaded = ledger.document(doc.id)
    assert loaded == doc
    assert loaded.removed[0].text == "Follow us on Twitter"  # type: ignore[union-attr]
    assert dict(loaded.meta.extra) == {"source_id": "W-1", "tags": ["iraq", "anbar"]}  # type: ignore[union-attr]
    assert ledger.document(doc.id[:8]) == doc
    assert ledger.document("0" * 16) is None


def test_store_annotated_round_trip(ledger: Ledger) -> None:
    doc = sijir()
    ledger.add(doc, pipeline_version="v1")
    loaded = ledger.annotated(doc.document.id)
    assert loaded is not None
    assert loaded.document == doc.document
    assert loaded.sentences == doc.sentences
    assert set(loaded.mentions) == set(doc.mentions)
    assert loaded.incidents == doc.incidents
    assert loaded.stages == doc.stages
    assert ledger.annotated(doc.document.id, pipeline_version="nope") is None


def test_store_record_to_dict_has_document_and_provenance(ledger: Ledger) -> None:
    ledger.add(sijir(), pipeline_version="harmledger-0.1.0:x.v1")
    out = ledger.incidents()[0].to_dict()
    assert out["document"]["name"] == "reports/sijir.txt"
    assert out["document"]["published"] == "2016-05-31"
    assert out["pipeline_version"] == "harmledger-0.1.0:x.v1"
    assert out["counts"]["killed"] == {
        "min": 16,
        "max": 16,
        "text": "12 men and four boys",
        "start": out["counts"]["killed"]["start"],
        "end": out["counts"]["killed"]["end"],
        "children": 4,
    }


_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lo=st.none() | st.integers(0, 10**7),
    span=st.none() | st.integers(0, 10**6),
    vague=st.booleans(),
    place=_names,
    lat=st.none() | st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    confidence=st.floats(0, 1),
)
def test_store_values_round_trip_property(
    ledger: Ledger, lo, span, vague, place, lat, lon, confidence
) -> None:
    base = army_base()
    # a unique text per example, so that every example is a new document
    text = base.text + f" [{ledger.stats()['documents']}]"
    doc = Document.build(name="prop", text=text, raw=text, reader="text.v1")
    hi = None if lo is None or span is None else lo + span
    count = Mention("count", 0, 8, text[:8], CountValue(lo, hi, "killed", vague=vague), "c.v1")
    loc = Mention(
        "place", 9, 17, text[9:17], PlaceValue(place, "X", latitude=lat, longitude=lon), "p.v1"
    )
    inc = replace(
        base.incidents[0],
        doc_id=doc.id,
        doc_name="prop",
        incident_id=doc.id + "-0",
        counts={"killed": count},
        location=loc,
        confidence=confidence,
        triggers=(),
        actor1=None,
    )
    ledger.add(Annotated(document=doc, incidents=(inc,)), pipeline_version="v1")
    loaded = ledger.get(inc.incident_id)
    assert loaded is not None
    assert loaded.incident == inc


# ---------------------------------------------------------------- get by id / prefix


def test_store_get_by_prefix(ledger: Ledger) -> None:
    doc = sijir()
    ledger.add(doc, pipeline_version="v1")
    full = doc.incidents[0].incident_id
    record = ledger.get(full[:8])
    assert record is not None and record.incident.incident_id == full
    assert ledger.get(full[:5]) is None  # too short to be a prefix
    assert ledger.get("ffffffffffffffff-none") is None


def test_store_get_ambiguous_prefix_raises(ledger: Ledger) -> None:
    doc = sijir()
    a, b = doc.incidents
    doc = replace(
        doc,
        incidents=(replace(a, incident_id="abcdef-0001"), replace(b, incident_id="abcdef-0002")),
    )
    ledger.add(doc, pipeline_version="v1")
    with pytest.raises(LedgerError, match="more than one incident"):
        ledger.get("abcdef")
    assert ledger.get("abcdef-0002").incident.incident_id == "abcdef-0002"  # type: ignore[union-attr]


def test_store_like_wildcards_are_literal(ledger: Ledger) -> None:
    ledger.add(sijir(), pipeline_version="v1")
    assert ledger.get("%%%%%%") is None
    assert ledger.get("______") is None


# ---------------------------------------------------------------- transactions


def test_store_failure_mid_add_leaves_nothing(ledger: Ledger, monkeypatch) -> None:
    calls = []

    def boom(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rows_module, "incident_row", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ledger.add(sijir(), pipeline_version="v1")
    assert calls  # it did get as far as the incidents
    stats = ledger.stats()
    assert {k: stats[k] for k in ("documents", "incidents", "mentions", "document_names")} == {
        "documents": 0,
        "incidents": 0,
        "mentions": 0,
        "document_names": 0,
    }
    monkeypatch.undo()
    assert ledger.add(sijir(), pipeline_version="v1").incidents_added == 2


def test_store_failure_on_new_version_keeps_old(ledger: Ledger, monkeypatch) -> None:
    ledger.add(sijir(version="v1"), pipeline_version="v1")
    before = ledger.stats()

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(rows_module, "field_links", boom)
    with pytest.raises(RuntimeError):
        ledger.add(sijir(version="v2"), pipeline_version="v2")
    assert ledger.stats() == before
    assert {r.pipeline_version for r in ledger.incidents()} == {"v1"}


def test_store_rejects_incident_of_another_document(ledger: Ledger) -> None:
    doc = sijir()
    stray = tal_shair().incidents[0]
    with pytest.raises(LedgerError, match="belongs to document"):
        ledger.add(replace(doc, incidents=(stray,)), pipeline_version="v1")
    assert ledger.stats()["documents"] == 0


def test_store_rejects_duplicate_incident_ids(ledger: Ledger) -> None:
    doc = sijir()
    a = doc.incidents[0]
    with pytest.raises(LedgerError, match="same id"):
        ledger.add(replace(doc, incidents=(a, a)), pipeline_version="v1")


# ---------------------------------------------------------------- order


def test_store_order_is_first_seen_then_text_order(ledger: Ledger) -> None:
    s = sijir()
    # incidents given in reverse text order: the ledger sorts by evidence offset
    ledger.add(replace(s, incidents=s.incidents[::-1]), pipeline_version="v1")
    ledger.add(army_base(), pipeline_version="v1")
    ledger.add(tal_shair(), pipeline_version="v1")
    got = [r.incident.incident_id for r in ledger.incidents()]
    want = [i.incident_id for i in (*s.incidents, *army_base().incidents, *tal_shair().incidents)]
    assert got == want


# ---------------------------------------------------------------- runs and errors


def test_store_runs_and_errors(ledger: Ledger) -> None:
    run = ledger.start_run(["reports/", Path("feed.jsonl")], "v1")
    ledger.add(sijir(), pipeline_version="v1", run_id=run)
    ledger.record_error(run, "broken.bin", "not a text document (binary content); skipped")
    ledger.finish_run(run, {"read": 2, "new": 1, "skipped": 0, "failed": 1})
    (row,) = ledger.runs()
    assert row["id"] == run
    assert row["inputs"] == ["reports/", "feed.jsonl"]
    assert row["pipeline_version"] == "v1"
    assert (row["documents_read"], row["documents_new"]) == (2, 1)
    assert (row["documents_skipped"], row["documents_failed"]) == (0, 1)
    assert row["finished"] >= row["started"]
    (err,) = ledger.errors(run)
    assert (err["name"], err["run_id"]) == ("broken.bin", run)
    assert "binary" in err["reason"]
    assert ledger.stats()["runs"] == 1
    assert ledger.stats()["errors"] == 1


def test_store_finish_run_accepts_documents_prefix(ledger: Ledger) -> None:
    run = ledger.start_run([], "v1")
    ledger.finish_run(run, {"documents_read": 3, "documents_new": 3, "seconds": 2})
    (row,) = ledger.runs()
    assert row["documents_read"] == 3
    assert row["stats"]["seconds"] == 2


def test_store_finish_unknown_run_raises(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="no run with id 42"):
        ledger.finish_run(42, {})


# ---------------------------------------------------------------- opening, URLs, schema


def test_store_path_creates_parents_lazily(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "ledger.db"
    lg = Ledger(target)
    assert not target.parent.exists()  # no work at construction time
    assert lg.stats()["documents"] == 0
    assert target.exists()
    lg.close()


def test_store_string_path_and_sqlite_url_are_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with Ledger(str(path)) as lg:
        lg.add(sijir(), pipeline_version="v1")
    with Ledger(f"sqlite:///{path}") as lg:
        assert lg.stats()["incidents"] == 2


def test_store_in_memory_url() -> None:
    with Ledger("sqlite://") as lg:
        lg.add(tal_shair(), pipeline_version="v1")
        assert len(lg.incidents()) == 1


@pytest.mark.parametrize(
    ("given", "backend", "database"),
    [
        ("postgresql://coder:secret@db.example.org:5432/ledger", "postgresql", "ledger"),
        ("postgresql+psycopg://coder@localhost/harm", "postgresql", "harm"),
        ("sqlite:////var/lib/harm.db", "sqlite", "/var/lib/harm.db"),
        ("ledger.db", "sqlite", "ledger.db"),
        (Path("data/ledger.db"), "sqlite", "data/ledger.db"),
    ],
)
def test_store_url_resolution(given, backend: str, database: str) -> None:
    assert resolve_url(given).get_backend_name() == backend
    assert resolve_url(given).database == database


def test_store_postgresql_url_accepted_without_connecting() -> None:
    lg = Ledger("postgresql://coder:secret@db.invalid:5432/ledger")
    assert lg.url.get_backend_name() == "postgresql"
    assert not lg.is_sqlite
    assert lg._engine is None  # nothing opened
    assert "secret" not in repr(lg)
    lg.close()


def test_store_postgresql_without_driver_is_a_clear_error() -> None:
    lg = Ledger("postgresql://coder@127.0.0.1:1/ledger")
    with pytest.raises(LedgerError, match="cannot open the ledger"):
        lg.stats()


def test_store_unknown_backend_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="unknown database type"):
        Ledger("nosuchdb://x/y").stats()


def _meta_rows(lg: Ledger) -> dict[str, str]:
    with lg.engine.connect() as conn:
        return dict(conn.execute(text("SELECT key, value FROM meta")).all())


def test_store_records_schema_version(db_url: str) -> None:
    with Ledger(db_url) as lg:
        assert lg.schema_version() == SCHEMA_VERSION
        rows = _meta_rows(lg)
    assert rows["schema_version"] == str(SCHEMA_VERSION)
    assert rows["created_by"].startswith("harmledger-")


def test_store_refuses_newer_schema(db_url: str) -> None:
    with Ledger(db_url) as lg, lg.engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '999' WHERE key = 'schema_version'"))
    with pytest.raises(LedgerError, match="newer than this harmledger"):
        Ledger(db_url).stats()


def test_store_runs_pending_migrations(db_url: str, monkeypatch) -> None:
    with Ledger(db_url) as lg:
        lg.add(army_base(), pipeline_version="v1")
    ran = []
    monkeypatch.setattr("harmledger.store.schema.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(rows_module.s.MIGRATIONS, SCHEMA_VERSION + 1, lambda conn: ran.append(conn))
    with Ledger(db_url) as lg:
        assert lg.schema_version() == SCHEMA_VERSION + 1
        assert lg.stats()["incidents"] == 1
    assert len(ran) == 1


def test_store_context_manager_closes(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as lg:
        lg.stats()
        assert lg._engine is not None
    assert lg._engine is None


def test_store_incident_dates_survive(ledger: Ledger) -> None:
    ledger.add(tal_shair(), pipeline_version="v1")
    (record,) = ledger.incidents()
    d = record.incident.date.value  # type: ignore[union-attr]
    assert (d.start, d.end, d.precision) == (date(2017, 2, 20), date(2017, 2, 24), 2)
