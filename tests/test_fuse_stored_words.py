"""What fusion compares of a report's words is stored with its incident (schema 9), so
that building reports reads a column, not the document's text and place mentions; a
ledger an earlier build made gets it filled when it is opened; and fusion as documents
arrive compares each pair of reports once. The reports are test_fuse_order's (an Islamic
State attack south of Baiji told by a wire service and a local outlet, and another
attack near Baiji two days later). Each test on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text, update

from harmledger.fuse import report_from_incident, summary
from harmledger.fuse import rules as fr
from harmledger.fuse.ledger import Fuser
from harmledger.model import words as fw
from harmledger.store import Ledger
from harmledger.store import fused as fu
from harmledger.store import schema as s
from test_fuse_order import REPORTS, annotated


def stored(db: str) -> Ledger:
    lg = Ledger(db)
    for name in REPORTS:
        lg.add(annotated(name), pipeline_version="test.v1")
    return lg


def loaded_words(lg: Ledger) -> dict[str, tuple[int, ...]]:
    with lg.engine.connect() as conn:
        return {r.incident_id: r.words for r in fu.load_reports(conn)}


def groups(lg: Ledger) -> set[frozenset[str]]:
    return {frozenset(r.incident_id for r in f.reports) for f in lg.fused()}


def test_fuse_words_stored_as_fusion_makes_them_in_memory(db_url: str) -> None:
    with stored(db_url) as lg:
        got = loaded_words(lg)
        with lg.engine.connect() as conn:
            methods = set(
                conn.scalars(s.incidents.select().with_only_columns(s.incidents.c.words_method))
            )
    want = {}
    for name in REPORTS:
        a = annotated(name)
        for inc in a.incidents:
            rep = report_from_incident(inc, story_id=a.document.id, places=a.mentions)
            want[inc.incident_id] = rep.words
    assert got == want
    assert methods == {fw.NAME}
    # the wire story names its village and its town; the attack's targets are positions
    assert any(fw.points(w) for w in got.values())


def test_fuse_loading_reads_no_document_text(db_url: str) -> None:
    with stored(db_url) as lg:
        before = loaded_words(lg)
        with lg.engine.begin() as conn:  # documents emptied: the words are in the column
            conn.execute(update(s.documents).values(text=""))
            conn.execute(
                text(
                    "DELETE FROM mentions WHERE kind = 'place' AND id NOT IN "
                    "(SELECT mention_id FROM incident_mentions)"
                )
            )
        assert loaded_words(lg) == before
        assert any(before.values())


def test_fuse_incident_stored_without_words_gets_them_from_its_document(db_url: str) -> None:
    """An incident a person added, or one fingerprinted by other rules, is read as before."""
    with stored(db_url) as lg:
        before = loaded_words(lg)
        with lg.engine.begin() as conn:
            conn.execute(update(s.incidents).values(words=None, words_method=None))
        assert loaded_words(lg) == before
        with lg.engine.begin() as conn:
            conn.execute(update(s.incidents).values(words=[1], words_method="words.v0"))
        assert loaded_words(lg) == before


def test_fuse_version_8_ledger_is_upgraded_with_its_words(db_url: str) -> None:
    with stored(db_url) as lg:
        Fuser(lg).all()
        before, fused = loaded_words(lg), groups(lg)
        with lg.engine.begin() as conn:  # what an earlier build left
            conn.execute(text("ALTER TABLE incidents DROP COLUMN words"))
            conn.execute(text("ALTER TABLE incidents DROP COLUMN words_method"))
            conn.execute(text("UPDATE meta SET value = '8' WHERE key = 'schema_version'"))
    with Ledger(db_url) as lg:
        assert lg.schema_version() == s.SCHEMA_VERSION == 9
        with lg.engine.connect() as conn:
            rows = conn.execute(
                s.incidents.select().with_only_columns(s.incidents.c.words_method)
            ).all()
        assert rows and {r.words_method for r in rows} == {fw.NAME}
        assert loaded_words(lg) == before
        Fuser(lg).all()
        assert groups(lg) == fused


def test_fuse_pairs_compared_once_as_documents_arrive(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The later local report arrives after the wire story and the first local report
    were fused: the pair it makes with the wire story, compared while finding what to
    cluster again, is not compared again by the clustering. (A fused incident's reason,
    written afterwards, compares its reports with its first: not counted.)"""
    calls: Counter[frozenset[str]] = Counter()
    real = fr._compare

    def counted(a: Any, b: Any, *rest: Any) -> fr.Comparison:
        calls[frozenset((a.incident_id, b.incident_id))] += 1
        return real(a, b, *rest)

    with Ledger(db_url) as lg:
        fuser = Fuser(lg)
        first = [
            lg.add(annotated(n), pipeline_version="test.v1").document_id
            for n in ("wire-baiji", "local-baiji")
        ]
        fuser.arrived(first)
        monkeypatch.setattr(fr, "_compare", counted)
        monkeypatch.setattr(
            summary,
            "compare",
            lambda a, b: real(a, b, fr.day_range(a), fr.day_range(b), fr.rules()),
        )
        later = lg.add(annotated("local-baiji-later"), pipeline_version="test.v1")
        fuser.arrived([later.document_id])
    assert calls, "the later report is compared with the fused ones"
    assert len(calls) == 3  # the three pairs, each once
    assert max(calls.values()) == 1, calls
