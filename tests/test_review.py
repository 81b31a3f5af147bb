"""Reviewing incidents: decisions, edits as a layer over the machine's values, carrying
reviews across re-extraction, the queue's order, and what exports make of reviews."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from harmledger.cli import main
from harmledger.config import Settings
from harmledger.errors import PermissionDenied, ReviewError
from harmledger.model import Span
from harmledger.pipeline import pipeline as pipeline_module
from harmledger.review.carry import carry
from harmledger.review.edits import Reviewer
from harmledger.review.queue import ORDER, queue
from harmledger.runner import extracted, ingest
from harmledger.store.filters import Filters
from harmledger.store.ledger import Ledger
from workspace import PROTECTED, REPORT, make_ledger


@pytest.fixture
def ledger(db_url: str):
    lg = make_ledger(db_url, REPORT)
    yield lg
    lg.close()


def by_place(ledger: Ledger, name: str):
    return next(r for r in ledger.incidents() if r.incident.flat().location_name == name)


def killed_incident(ledger: Ledger):
    return next(r for r in ledger.incidents() if "killed" in r.incident.counts)


def test_review_accept_reject_and_reopen(ledger: Ledger) -> None:
    reviewer = Reviewer(ledger, by="maria")
    first, second = ledger.incidents()[:2]
    assert reviewer.accept(first.incident.incident_id).record.review_state == "accepted"
    with pytest.raises(ReviewError, match="needs a reason"):
        reviewer.reject(second.incident.incident_id, reason="  ")
    rejected = reviewer.reject(second.incident.incident_id, reason="background, not an event")
    assert rejected.record.review_state == "rejected"
    assert rejected.record.review is not None and rejected.record.review.by == "maria"
    assert reviewer.reopen(second.incident.incident_id).record.review_state == "pending"
    actions = [e.action for e in ledger.audit_log()][-3:]
    assert actions == ["review.accepted", "review.rejected", "review.pending"]


def test_review_viewer_may_not_review(ledger: Ledger) -> None:
    with pytest.raises(PermissionDenied):
        Reviewer(ledger, by="vic", role="viewer")


def test_review_edit_is_a_layer_over_the_machine_values(ledger: Ledger) -> None:
    record = killed_incident(ledger)
    ident = record.incident.incident_id
    text = ledger.document(record.incident.doc_id).text  # type: ignore[union-attr]
    words = "Three of the men"
    start = text.index(words)
    change = Reviewer(ledger, by="maria").edit(
        ident,
        {
            "counts": {"killed": {"min": 3, "max": 3, "start": start, "end": start + len(words)}},
            "location": {"place_id": "geonames:94787", "precision": 2},
            "actor1": {"name": "Popular Mobilization Forces"},
        },
        reason="three found dead, near Kirkuk",
    )
    after = change.record
    assert after.review_state == "edited"
    killed = after.incident.counts["killed"]
    assert (killed.value.min, killed.value.max, killed.text) == (3, 3, words)
    assert killed.stage == "review.v1"
    assert after.incident.fatalities == 3
    assert (
        after.incident.actor1 is not None
        and "Popular Mobilization" in after.incident.actor1.value.name
    )
    # the machine's values are kept beside
    assert after.machine is not None
    assert after.machine.counts["killed"].stage.startswith("counts.")
    stored = ledger.get(ident)
    assert stored is not None and stored.incident.counts["killed"].value.min == 3
    assert stored.machine == after.machine
    entry = ledger.audit_log(action="review.edit")[0]
    assert entry.reason == "three found dead, near Kirkuk"
    assert entry.after["values"]["counts"]["killed"]["value"]["min"] == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_type": "Picnics"}, "not an ACLED event type"),
        ({"sub_event_type": "Armed clash"}, "not a sub-event type"),
        ({"violations": ["littering"]}, "not violations"),
        ({"counts": {"killed": {"min": 5, "max": 2}}}, "below min"),
        ({"counts": {"killed": {"min": -1, "max": 2}}}, "0 or more"),
        ({"counts": {"eaten": {"min": 1, "max": 1}}}, "not a count role"),
        ({"date": {"start": "2017-10-20", "end": "2017-10-18"}}, "cannot end before"),
        ({"date": {"start": "18/10/2017"}}, "YYYY-MM-DD"),
        ({"location": {"place_id": "geonames:0"}}, "not a place of the gazetteer"),
        ({"actor1": {"name": "The Avengers"}}, "not an actor of the alias table"),
        ({"counts": {"killed": {"min": 1, "max": 1, "start": 0, "end": 10**6}}}, "not a span"),
        ({"colour": "red"}, "cannot edit colour"),
    ],
)
def test_review_edit_checks_values(ledger: Ledger, changes, message) -> None:
    ident = killed_incident(ledger).incident.incident_id
    with pytest.raises(ReviewError, match=message):
        Reviewer(ledger, by="maria").edit(ident, changes)
    assert ledger.get(ident).review is None  # type: ignore[union-attr]


def test_review_add_a_missed_incident_from_words(ledger: Ledger) -> None:
    doc = ledger.incidents()[0].incident.doc_id
    text = ledger.document(doc).text  # type: ignore[union-attr]
    words = "took away 22 men"
    start = text.index(words)
    change = Reviewer(ledger, by="maria").add_incident(
        doc,
        start=start,
        end=start + len(words),
        changes={
            "event_type": "Violence against civilians",
            "sub_event_type": "Abduction/forced disappearance",
            "violations": ["abduction"],
            "counts": {
                "abducted": {"min": 22, "max": 22, "start": start, "end": start + len(words)}
            },
        },
    )
    made = change.record
    assert made.review_state == "accepted" and made.review.flag == "added"  # type: ignore[union-attr]
    assert made.incident.evidence == (Span(start, start + len(words)),)
    assert made.incident.counts["abducted"].value.min == 22
    assert any(r.incident.incident_id == made.incident.incident_id for r in ledger.incidents())


def test_review_mark_protected_masks_a_name(ledger: Ledger) -> None:
    from harmledger.export import protections

    doc = ledger.incidents()[0].incident.doc_id
    text = ledger.document(doc).text  # type: ignore[union-attr]
    start = text.index("Ahmed al-Jubouri")
    Reviewer(ledger, by="maria").protect(doc, start=start, end=start + 16, kind="name")
    masked = protections(ledger, [doc])[doc].text(text)
    assert "Ahmed al-Jubouri" not in masked
    entry = ledger.audit_log(action="protect")[0]
    assert "Jubouri" not in json.dumps(entry.to_dict())  # the log keeps the span, not the words


# ---------------------------------------------------------------- re-extraction


def reextract(ledger: Ledger, version: str, change=None) -> str:
    """Store the fixture report again as another pipeline version (``change`` edits its
    incidents first); returns the document id."""
    annotated = next(
        x for x in extracted([str(REPORT)], Settings()) if not isinstance(x, Exception)
    )
    if change is not None:
        annotated = replace(annotated, incidents=change(annotated.incidents))
    ledger.add(annotated, pipeline_version=version)
    return annotated.document.id


def test_review_carried_to_the_matching_new_incident(ledger: Ledger) -> None:
    record = killed_incident(ledger)
    Reviewer(ledger, by="maria").edit(
        record.incident.incident_id, {"counts": {"killed": {"min": 3, "max": 3}}}
    )
    other = by_place(ledger, "Kirkuk") if record.incident.flat().location_name != "Kirkuk" else None
    doc = reextract(ledger, "test.v2")
    done = carry(ledger, doc, by="maria", via="python")
    assert done.carried == 1 and done.orphaned == 0
    now = next(r for r in ledger.incidents() if r.review is not None)
    assert now.pk != record.pk and now.pipeline_version == "test.v2"
    assert now.review.flag == "carried"  # type: ignore[union-attr]
    assert now.review.carried_from == record.incident.incident_id  # type: ignore[union-attr]
    assert now.incident.counts["killed"].value.min == 3
    assert other is None or other.review is None
    assert ledger.audit_log(action="review.carried")


def test_review_without_a_match_is_flagged_for_re_review(ledger: Ledger) -> None:
    record = killed_incident(ledger)
    Reviewer(ledger, by="maria").accept(record.incident.incident_id)

    def elsewhere(incidents):  # the new version reads other sentences
        return tuple(replace(i, evidence=(Span(0, 20),)) for i in incidents)

    doc = reextract(ledger, "test.v2", elsewhere)
    done = carry(ledger, doc, by="maria", via="python")
    assert done == type(done)(carried=0, orphaned=1, copied=0)
    q = queue(ledger)
    assert [o[0] for o in q.orphaned] == [record.incident.incident_id]


def test_review_added_incident_is_copied_to_the_new_extraction(ledger: Ledger) -> None:
    doc = ledger.incidents()[0].incident.doc_id
    Reviewer(ledger, by="maria").add_incident(
        doc, start=0, end=30, changes={"event_type": "Violence against civilians"}
    )
    reextract(ledger, "test.v2")
    assert carry(ledger, doc, by="maria", via="python").copied == 1
    added = [r for r in ledger.incidents() if r.review and r.review.flag == "added"]
    assert len(added) == 1 and added[0].pipeline_version == "test.v2"


def test_review_run_of_a_newer_pipeline_carries_reviews(db_url: str, monkeypatch) -> None:
    ledger = make_ledger(db_url, REPORT)
    record = killed_incident(ledger)
    Reviewer(ledger, by="maria").accept(record.incident.incident_id)
    real = pipeline_module.Pipeline.version
    monkeypatch.setattr(
        pipeline_module.Pipeline, "version", property(lambda self: real.fget(self) + "+next")
    )
    ingest(ledger, [str(REPORT)], Settings())
    reviewed = [r for r in ledger.incidents() if r.review is not None]
    assert len(reviewed) == 1 and reviewed[0].review.flag == "carried"  # type: ignore[union-attr]
    assert reviewed[0].pipeline_version.endswith("+next")
    ledger.close()


# ---------------------------------------------------------------- queue and exports


def test_review_queue_puts_violations_first_then_least_confident(ledger: Ledger) -> None:
    assert ORDER[0] == "disagreements"
    q = queue(ledger)
    assert q.waiting == len(ledger.incidents())
    with_v = [r for r in q.records if r.incident.violations]
    assert q.records[: len(with_v)] == with_v
    conf = [r.incident.confidence for r in with_v]
    assert conf == sorted(conf)
    Reviewer(ledger, by="maria").accept(q.records[0].incident.incident_id)
    again = queue(ledger)
    assert again.waiting == q.waiting - 1
    assert q.records[0].incident.incident_id not in [r.incident.incident_id for r in again.records]


def test_review_filters_by_state(ledger: Ledger) -> None:
    first, second = ledger.incidents()[:2]
    Reviewer(ledger, by="maria").accept(first.incident.incident_id)
    Reviewer(ledger, by="maria").reject(second.incident.incident_id, reason="duplicate")
    assert [r.pk for r in ledger.incidents(Filters(review="reviewed"))] == [first.pk]
    assert [r.pk for r in ledger.incidents(Filters(review="rejected"))] == [second.pk]
    assert len(ledger.incidents(Filters(review="pending"))) == len(ledger.incidents()) - 2


def test_review_exports_reviewed_only_and_states(db_url: str, tmp_path) -> None:
    ledger = make_ledger(db_url, REPORT)
    records = ledger.incidents()
    Reviewer(ledger, by="maria").accept(records[0].incident.incident_id)
    Reviewer(ledger, by="maria").reject(records[1].incident.incident_id, reason="not an event")
    ledger.close()
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--per-report", "--format", "json", "--db", db_url])
    states = sorted(d["review"]["state"] for d in json.loads(out.stdout))
    assert "rejected" not in states and states.count("accepted") == 1
    only = runner.invoke(
        main, ["export", "--per-report", "--reviewed-only", "--format", "json", "--db", db_url]
    )
    assert [d["incident_id"] for d in json.loads(only.stdout)] == [records[0].incident.incident_id]
    csv_out = runner.invoke(main, ["export", "--format", "csv", "--db", db_url]).stdout
    assert "hl_review" in csv_out.splitlines()[0]
    fused = json.loads(runner.invoke(main, ["export", "--format", "json", "--db", db_url]).stdout)
    assert {f["review"] for f in fused} <= {"pending", "reviewed", "partly"}


def test_review_public_export_leaves_out_protected_words(db_url: str) -> None:
    make_ledger(db_url, REPORT).close()
    runner = CliRunner()
    for args in (
        ["export", "--format", "json", "--public"],
        ["export", "--format", "csv", "--public"],
        ["export", "--per-report", "--format", "json", "--public"],
        ["export", "--per-report", "--format", "csv", "--public"],
        ["export", "--per-report", "--format", "geojson", "--public"],
    ):
        out = runner.invoke(main, [*args, "--db", db_url])
        assert out.exit_code == 0, out.output
        for words in PROTECTED:
            assert words not in out.stdout, (args, words)
    private = runner.invoke(main, ["export", "--per-report", "--format", "json", "--db", db_url])
    assert "one former detainee" in private.stdout


def test_review_train_reads_reviewed_records(db_url: str, tmp_path) -> None:
    """Reviewed records, as JSON Lines with their text, are what `harmledger train`
    reads (format `records`)."""
    from harmledger.eval.training import read_labelled

    ledger = make_ledger(db_url, REPORT)
    record = killed_incident(ledger)
    Reviewer(ledger, by="maria").edit(
        record.incident.incident_id,
        {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
    )
    path = tmp_path / "reviewed.jsonl"
    out = CliRunner().invoke(
        main,
        [
            "export",
            "--per-report",
            "--reviewed-only",
            "--format",
            "records",
            "--db",
            db_url,
            "-o",
            str(path),
        ],
    )
    assert out.exit_code == 0, out.output
    got = read_labelled(path)
    assert [(x.event_type, x.sub_event_type) for x in got] == [
        ("Violence against civilians", "Attack")
    ]
    assert got[0].text and got[0].text in ledger.document(record.incident.doc_id).text  # type: ignore[union-attr]
    ledger.close()


def test_review_list_order_with_until_is_the_plain_order(ledger: Ledger) -> None:
    """Read in two parts (dated, then undated), a list bounded by --until gives the same
    rows in the same order as one ordered query."""
    from sqlalchemy import select

    from harmledger.store import reviews as rv
    from harmledger.store import schema as s
    from harmledger.store.filters import conditions

    i = s.incidents
    for f in (
        Filters.parse(until="2017-10-31"),
        Filters.parse(since="2017-01-01", until="2030-01-01"),
    ):
        with ledger.engine.connect() as conn:
            plain = select(i.c.id).where(*conditions(f))
            plain = plain.order_by(i.c.date_start.desc().nulls_last(), i.c.id.desc())
            expected = list(conn.scalars(plain))
            assert expected and rv.first_rows(conn, f, 1000) == expected
            assert rv.first_rows(conn, f, 1) == expected[:1]
