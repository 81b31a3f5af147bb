"""harmledger eval: evaluate() end to end on small fixtures, the report and its rendering."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from harmledger.eval import EvalReport, FieldScore, Miss, evaluate, write_report
from harmledger.eval.report import worst_misses

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


@pytest.mark.parametrize(
    "correct, total, accuracy", [(0, 0, 0.0), (3, 4, 0.75), (5, 5, 1.0), (0, 2, 0.0)]
)
def test_eval_field_score_accuracy(correct, total, accuracy):
    assert FieldScore(correct, total).accuracy == accuracy


def test_eval_worst_misses_takes_each_kind_in_turn():
    misses = [
        Miss("a", "actor1", "X", None, "t"),
        Miss("b", "fatalities", 2, 3, "t", severity=1),
        Miss("c", "fatalities", 2, 200, "t", severity=198),
        Miss("d", "location", "Mosul", "Basrah (450 km)", "t", severity=450),
        Miss("e", "event_type", "Battles", "Protests", "t"),
        Miss("f", "event_type", "Protests", None, "t"),
    ]
    got = [(m.field, m.id) for m in worst_misses(misses, 5)]
    assert got == [
        ("event_type", "e"),
        ("fatalities", "c"),  # the farthest off first
        ("location", "d"),
        ("actor1", "a"),
        ("event_type", "f"),
    ]
    assert worst_misses(misses, 0) == []
    assert len(worst_misses(misses, 100)) == len(misses)


@pytest.fixture(scope="module")
def gold_report() -> EvalReport:
    return evaluate(FIXTURES / "gold.jsonl", format="gold", errors=50)


def test_eval_evaluate_gold_counts_every_labelled_field(gold_report):
    r = gold_report
    assert r.documents == 6
    totals = {k: v.total for k, v in r.fields.items()}
    assert totals["event_type"] == 5
    assert totals["fatalities"] == 4
    assert totals["counts.killed"] == 2
    assert totals["counts.injured"] == 1
    assert totals["date.start"] == 2
    assert totals["location.name"] == 3
    assert totals["location.coordinates"] == 1
    assert totals["incident"] == 1
    assert r.seconds > 0


def test_eval_evaluate_gold_negative_text_gives_no_incident(gold_report):
    assert gold_report.fields["incident"].accuracy == 1.0


def test_eval_evaluate_gold_by_tag_and_confusion(gold_report):
    r = gold_report
    assert set(r.by_tag) == {
        "event:vac",
        "event:remote",
        "event:protest",
        "count:simple",
        "count:composite",
        "negative",
        "violation:abduction",
    }
    assert r.by_tag["negative"].total == 1
    # every scored event type is in the confusion matrix, right or wrong
    assert sum(r.confusion["event_type"].values()) == r.fields["event_type"].total
    assert all(isinstance(k, tuple) and len(k) == 2 for k in r.confusion["event_type"])


def test_eval_evaluate_errors_carry_the_text(gold_report):
    lines = (FIXTURES / "gold.jsonl").read_text().splitlines()
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in lines}
    wrong = sum(s.total - s.correct for s in gold_report.fields.values())
    assert len(gold_report.errors) == wrong
    for m in gold_report.errors:
        assert m.text == texts[m.id]


def test_eval_evaluate_limit_and_no_errors():
    r = evaluate(FIXTURES / "acled.csv", format="acled", limit=2)
    assert r.documents == 2
    assert r.fields["event_type"].total == 2
    assert r.errors == []


def test_eval_evaluate_unknown_format():
    with pytest.raises(ValueError, match="unknown format"):
        evaluate(FIXTURES / "acled.csv", format="gdelt")


def test_eval_to_dict_is_json(gold_report):
    d = json.loads(json.dumps(gold_report.to_dict()))
    assert d["documents"] == 6 and d["format"] == "gold"
    assert set(d["fields"]["event_type"]) == {"accuracy", "correct", "total"}
    assert {"expected", "got", "count"} == set(d["confusion"]["event_type"][0])
    assert d["by_tag"]["negative"]["total"] == 1


def test_eval_write_report():
    r = EvalReport(format="acled", documents=3, seconds=0.5)
    r.fields = {"event_type": FieldScore(2, 3), "fatalities": FieldScore(3, 3)}
    r.confusion = {"event_type": {("Battles", "Battles"): 2, ("Battles", None): 1}}
    r.errors = [Miss("IRQ1", "event_type", "Battles", None, "Clashes  broke out\nin Tuz.")]
    out = io.StringIO()
    write_report(r, out)
    text = out.getvalue()
    lines = [line.split() for line in text.splitlines()]
    assert ["event_type", "0.667", "2/3"] in lines
    assert ["fatalities", "1.000", "3/3"] in lines
    assert "top confusions (of 1 wrong)" in text
    assert "Battles" in text and "-" in text
    assert "- IRQ1  event_type: expected Battles, got -" in text
    assert "Clashes broke out in Tuz." in text  # excerpt on one line
