"""Fusion weighs what the reports' own words name (issue 12 item 6, fuse.v7): each report
carries a small fingerprint of its evidence (:mod:`harmledger.model.words`: the targets
its words name, the gazetteer places named in it). Two reports of one day, district and
kind that each name a town or village the other does not are two events, unless they
count the same people; a target both name (a market, however worded) is evidence for.
Read through the whole pipeline, in memory and through a ledger, from reports written for
these tests: two roadside bombs of one Tuesday in Hamdaniya district, one at a checkpoint
by Bartella and one at the market of Bashiqa (11 km apart), each killing two; and the
market bomb told by a second outlet in other words."""

from __future__ import annotations

import pytest

from fusion_kit import one_report, read_report
from harmledger.fuse import compare, fuse_documents
from harmledger.fuse.ledger import Fuser
from harmledger.model import Annotated, Report
from harmledger.model.words import PLACE_BASE, fingerprint, points, target_names, targets
from harmledger.store import Ledger
from harmledger.store.fused import load_reports

REPORTS = {
    "bartella-checkpoint": (
        "Nineveh Today",
        "2019-05-28",
        "Two policemen killed by roadside bomb near Bartella\n\n"
        "A roadside bomb hit a police vehicle at a checkpoint near Bartella, east of Mosul, "
        "on Tuesday, killing two policemen, a security source said.",
    ),
    "bashiqa-market": (
        "Iraqi Observer",
        "2019-05-28",
        "Bomb kills two in Bashiqa market\n\n"
        "A bomb exploded in the crowded market of Bashiqa, northeast of Mosul, on Tuesday, "
        "killing two civilians, a local official said.",
    ),
    "wire-bashiqa": (
        "Wire Service",
        "2019-05-28",
        "MOSUL, Iraq, May 28 (Wire) - Two shoppers died when an explosive device went off "
        "in a bazaar in the town of Bashiqa, in Nineveh province, on Tuesday, police said.\n\n"
        "No group claimed responsibility for the blast.",
    ),
}


def annotated(name: str) -> Annotated:
    return read_report(name, *REPORTS[name])


def main_report(name: str) -> Report:
    return one_report(annotated(name))


def groups(*names: str) -> set[frozenset[str]]:
    fused = fuse_documents([annotated(n) for n in names])
    return {frozenset(r.doc_name for r in f.reports) for f in fused}


def test_words_fingerprint_targets_and_places() -> None:
    fp = fingerprint(
        ["A car bomb exploded near the vegetable bazaar and a police checkpoint."],
        places=[("geonames:1", "town"), ("geonames:2", "admin2"), (None, "village")],
    )
    assert target_names(targets(fp)) == ["checkpoint", "market"]  # a car bomb is no target
    assert len(points(fp)) == 1  # the town; the district is not a point
    assert len([x for x in fp if x >= PLACE_BASE]) == 2
    assert fp == tuple(sorted(fp))
    assert fingerprint(["Gunmen killed a man."]) == ()


def test_fuse_two_bombs_of_one_district_named_at_two_towns_stay_apart() -> None:
    """The same day, district, kind and toll (two killed each): a checkpoint by Bartella
    and the market of Bashiqa are two bombs. fuse.v6 merged them (two towns a few km
    apart that count two alike); their words name two towns."""
    checkpoint, market = main_report("bartella-checkpoint"), main_report("bashiqa-market")
    assert checkpoint.date_start == market.date_start
    assert checkpoint.location_name != market.location_name
    assert checkpoint.killed == market.killed
    assert points(checkpoint.words) - points(market.words)
    assert points(market.words) - points(checkpoint.words)
    c = compare(checkpoint, market)
    assert c.veto == "each names a town or village the other does not, nobody counted alike"
    assert groups("bartella-checkpoint", "bashiqa-market") == {
        frozenset({"bartella-checkpoint"}),
        frozenset({"bashiqa-market"}),
    }


def test_fuse_two_outlets_word_one_market_bomb_differently_and_fuse() -> None:
    """'The crowded market of Bashiqa' and 'a bazaar in the town of Bashiqa': one target
    named two ways, evidence for; the wire names no town the local paper does not (its
    dateline is outside the evidence), so nothing against. The checkpoint bomb by Bartella
    stays out."""
    local, wire = main_report("bashiqa-market"), main_report("wire-bashiqa")
    assert target_names(targets(local.words)) == target_names(targets(wire.words)) == ["market"]
    c = compare(local, wire)
    assert c.veto is None and c.matches(), c
    assert "same target (market)" in c.reasons
    assert groups("bashiqa-market", "wire-bashiqa", "bartella-checkpoint") == {
        frozenset({"bashiqa-market", "wire-bashiqa"}),
        frozenset({"bartella-checkpoint"}),
    }


@pytest.fixture
def ledger(db_url: str):
    with Ledger(db_url) as lg:
        yield lg


def test_fuse_ledger_reports_carry_the_same_fingerprint(ledger: Ledger) -> None:
    """A ledger's reports get their fingerprint from what is stored (the evidence spans
    of the document's text, the place mentions in them), the same as in memory, and
    fusing as documents arrive keeps the two bombs apart."""
    names = ("bartella-checkpoint", "bashiqa-market", "wire-bashiqa")
    for name in names:
        result = ledger.add(annotated(name), pipeline_version="test")
        Fuser(ledger).pending([result.document_id])
    with ledger.engine.connect() as conn:
        stored = {r.doc_name: r.words for r in load_reports(conn)}
    assert stored == {name: main_report(name).words for name in names}
    fused = {frozenset(r.doc_name for r in f.reports) for f in ledger.fused()}
    assert fused == {
        frozenset({"bashiqa-market", "wire-bashiqa"}),
        frozenset({"bartella-checkpoint"}),
    }
