"""Many documents per transaction (issue 13 item 3): what one add of many stores, in
what order, all or nothing; the blocking index kept between batches; errors that name
the problem and never the SQL; pickling for Dask."""

from __future__ import annotations

import pickle
from dataclasses import replace
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
from sqlalchemy import text

from harmledger.config import Settings
from harmledger.errors import LedgerError
from harmledger.fuse import report_from_incident
from harmledger.fuse.rules import Blocking, candidate_pairs
from harmledger.ingest import read_inputs
from harmledger.model import Annotated, Report
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.store import Ledger
from harmledger.store.schema import SCHEMA_VERSION
from test_store_samples import army_base, sijir, tal_shair

REPORTS = Path(__file__).parent / "fusion" / "reports.jsonl"


@pytest.fixture
def ledger(db_url: str):
    with Ledger(db_url) as lg:
        yield lg


@cache
def reports_annotated() -> tuple[Annotated, ...]:
    pipeline = pipeline_for(Settings())
    return tuple(pipeline(d) for d in read_inputs([str(REPORTS)], Settings()))  # type: ignore[arg-type]


def test_store_bulk_many_documents_in_one_add(ledger: Ledger) -> None:
    docs = [sijir(), tal_shair(), army_base()]
    copy = replace(docs[0], document=replace(docs[0].document, name="sijir-copy.txt"))
    results = ledger.add_many([*docs, copy], pipeline_version="v1", run_id=None)
    assert [(r.new_document, r.skipped) for r in results] == [
        (True, False),
        (True, False),
        (True, False),
        (False, True),  # the same text again: its name is recorded, nothing else
    ]
    assert [r.incidents_added for r in results] == [2, 1, 1, 0]
    assert ledger.document_names(docs[0].document.id) == [docs[0].document.name, "sijir-copy.txt"]
    stats = ledger.stats()
    assert (stats["documents"], stats["incidents"], stats["document_names"]) == (3, 4, 4)
    # arrival order is the order given
    order = [r.incident.doc_id for r in ledger.incidents()]
    assert list(dict.fromkeys(order)) == [d.document.id for d in docs]
    again = ledger.add_many(docs, pipeline_version="v1")
    assert all(r.skipped for r in again)
    assert ledger.stats()["incidents"] == 4


def test_store_bulk_one_add_is_one_transaction(ledger: Ledger, monkeypatch) -> None:
    import harmledger.store.rows as rows

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rows, "field_links", boom)
    with pytest.raises(RuntimeError):
        ledger.add_many([sijir(), tal_shair()], pipeline_version="v1", errors=[("x.txt", "bad")])
    stats = ledger.stats()
    assert {k: stats[k] for k in ("documents", "incidents", "mentions", "errors")} == {
        "documents": 0,
        "incidents": 0,
        "mentions": 0,
        "errors": 0,
    }


def test_store_bulk_records_errors_with_the_documents(ledger: Ledger) -> None:
    run = ledger.start_run(["in.jsonl"], "v1")
    ledger.add_many([army_base()], pipeline_version="v1", run_id=run, errors=[("bad.txt", "why")])
    assert [(e["run_id"], e["name"], e["reason"]) for e in ledger.errors()] == [
        (run, "bad.txt", "why")
    ]
    ledger.finish_run(run, {"read": 1})


def test_store_bulk_errors_never_show_sql_or_its_parameters(ledger: Ledger) -> None:
    ledger.stats()
    with ledger.engine.begin() as conn:
        conn.execute(text("DROP TABLE incident_mentions"))
    with pytest.raises(LedgerError) as caught:
        ledger.add(sijir(), pipeline_version="v1")
    message = str(caught.value)
    assert "cannot store" in message and "incident_mentions" in message
    for sql in ("INSERT", "VALUES", "[parameters", "SELECT", "Background on this error"):
        assert sql not in message
    assert len(message) < 400


def test_store_bulk_version_2_ledger_gets_run_owners(db_url: str) -> None:
    with Ledger(db_url) as lg:
        run = lg.start_run(["a.txt"], "v1")
        lg.finish_run(run, {"read": 1})
        lg.start_run(["b.txt"], "v1")  # never finished: its process is long gone
        with lg.engine.begin() as conn:  # back to what a version-2 ledger held
            for column in ("status", "host", "pid"):
                conn.execute(text(f"ALTER TABLE runs DROP COLUMN {column}"))
            conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    with Ledger(db_url) as lg:
        assert lg.schema_version() == SCHEMA_VERSION
        assert [r["status"] for r in lg.runs()] == ["finished", None]
        assert lg.close_interrupted() == [2]
        assert [r["status"] for r in lg.runs()] == ["finished", "interrupted"]


def test_store_bulk_annotated_documents_pickle_for_dask() -> None:
    for a in (sijir(), tal_shair(), *reports_annotated()[:5]):
        assert pickle.loads(pickle.dumps(a)) == a


def _reports() -> list[Report]:
    return [
        report_from_incident(
            inc,
            story_id=a.document.id,
            publisher=a.document.meta.publisher,
            published=a.document.meta.published,
        )
        for a in reports_annotated()
        for inc in a.incidents
    ]


@pytest.mark.parametrize("cut", [0, 1, 40, 150])
def test_store_bulk_kept_blocking_index_finds_the_pairs_of_one_pass(cut: int) -> None:
    """A Fuser keeps one index between batches, with every kind of report filed; it must
    find exactly the pairs that blocking a batch with its neighbours finds."""
    reports = _reports()
    undated = replace(reports[3], date_start=None, date_end=None, published=None)
    untyped = replace(reports[5], event_type=None, sub_event_type=None)
    reports = [*reports, undated, untyped]
    index = Blocking()
    for rep in reports[:cut]:
        index.file(rep)
    kept: set[tuple[int, int]] = set()
    for j, rep in enumerate(reports[cut:], start=cut):
        kept.update((i, j) for i in index.look(rep))
        index.file(rep)
    assert kept == candidate_pairs(reports, query_from=cut)
    assert kept  # the reports of one event do meet
    # and a forgotten report meets nobody
    index.forget([0])
    assert all(0 not in index.look(r) for r in reports[1:])


def test_store_bulk_blocking_finds_every_pair_that_can_match() -> None:
    from harmledger.fuse import compare

    reports = _reports()
    pairs = candidate_pairs(reports)
    for i, j in combinations(range(len(reports)), 2):
        if compare(reports[i], reports[j]).matches():
            assert (i, j) in pairs
