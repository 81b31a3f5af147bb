"""The classify.v1 stage: the rules+model cascade, and the stage in the pipeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.learn import TrainSettings, train
from harmledger.pipeline.classify import (
    Classifier,
    Evidence,
    Thresholds,
    cascade,
    evidence_text,
)
from harmledger.pipeline.pipeline import Pipeline, default_stages

ATTACK = ("Violence against civilians", "Attack")
CLASH = ("Battles", "Armed clash")
IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED")
LOOT = ("Strategic developments", "Looting/property destruction")
NONE = (None, None)


@pytest.mark.parametrize(
    ("rule", "specific", "label", "model", "p", "expected", "who"),
    [
        # the rules found no act of conflict: the model never types it
        (NONE, False, False, ATTACK, 0.999, NONE, "rules"),
        # the coder's own label in the text wins
        (LOOT, True, True, ATTACK, 0.999, LOOT, "rules"),
        # agreement
        (CLASH, True, False, CLASH, 0.99, CLASH, "rules"),
        # a specific trigger and an unsure model: the rules
        (IED, True, False, CLASH, 0.90, IED, "rules"),
        (IED, True, False, CLASH, 0.94, IED, "rules"),
        # a very sure model overrides even a specific trigger
        (IED, True, False, CLASH, 0.96, CLASH, "model"),
        # generic harm words only ("killed"): a sure-enough model is taken
        (ATTACK, False, False, CLASH, 0.92, CLASH, "model"),
        (ATTACK, False, False, CLASH, 0.85, ATTACK, "rules"),
    ],
)
def test_classify_cascade(rule, specific, label, model, p, expected, who):
    got, decided = cascade(Evidence(rule, specific, label), model, p)
    assert got == expected
    assert decided == who


def test_classify_cascade_thresholds_are_options():
    ev = Evidence(IED, True, False)
    assert cascade(ev, CLASH, 0.7, thresholds=Thresholds(take=0.6))[0] == CLASH
    assert cascade(ev, CLASH, 0.7)[0] == IED


REPORT = (
    "On 3 May 2020, unidentified gunmen shot and killed two farmers in their orchard near "
    "Khanaqin in Diyala province, police said. A third man was wounded."
)

TABLE = [
    ("Gunmen shot dead a shepherd near his village.", ATTACK),
    ("Unknown gunmen killed a shop owner in front of his home.", ATTACK),
    ("Soldiers clashed with militants near the river.", CLASH),
    ("Fighters exchanged fire with insurgents at a checkpoint.", CLASH),
    ("A roadside bomb exploded under a police vehicle.", IED),
    ("An IED went off near a patrol on the highway.", IED),
]


@pytest.fixture
def unsure_model(tmp_path):
    # one short pass over six sentences: probabilities stay far below the thresholds
    m = train(
        [t for t, _ in TABLE],
        [lab for _, lab in TABLE],
        settings=TrainSettings(epochs=1, learning_rate=0.5),
    )
    assert m.predict(REPORT).probability < 0.6
    return m.save(tmp_path / "unsure.npz")


def _incidents(settings: Settings):
    doc = read_text("r1", REPORT, settings.with_(published=date(2020, 5, 4)))
    return Pipeline(settings)(doc)


def test_classify_stage_absent_without_model():
    names = [s.name for s in default_stages(Settings())]
    assert "classify.v1" not in names
    assert names[-1].startswith("assemble")


def test_classify_stage_leaves_incidents_untouched_when_unsure(unsure_model):
    rules = _incidents(Settings())
    both = _incidents(Settings(model=unsure_model))
    assert rules.incidents, "the rules must find the killing"
    assert both.stages[-1] == "classify.v1"
    assert len(both.incidents) == len(rules.incidents)
    for a, b in zip(rules.incidents, both.incidents, strict=True):
        assert b.versions["classify"] == "classify.v1"
        assert b.versions["model"].startswith("eventtype.v1@")
        assert replace(b, versions=a.versions) == a  # nothing else changed
        assert b.incident_id == a.incident_id


def test_classify_stage_takes_a_sure_model(tmp_path):
    # a model that knows only one pair is sure of it (probability 1) whatever the text
    m = train(["Soldiers clashed with militants."], [CLASH], settings=TrainSettings(epochs=1))
    path = m.save(tmp_path / "battles.npz")
    rules = _incidents(Settings()).incidents
    both = _incidents(Settings(model=path)).incidents
    assert (rules[0].event_type, rules[0].sub_event_type) == ATTACK
    assert m.predict(evidence_text(rules[0], REPORT)).probability == pytest.approx(1.0)
    assert (both[0].event_type, both[0].sub_event_type) == CLASH
    assert both[0].fatalities == rules[0].fatalities


def test_classify_no_incident_stays_none(unsure_model):
    doc = read_text("r2", "The council met on Tuesday to discuss the budget.", Settings())
    out = Pipeline(Settings(model=unsure_model))(doc)
    assert out.incidents == ()


def test_classify_stage_loads_lazily(tmp_path):
    # construction does no work: a missing file only fails on the first document
    stage = Classifier(Settings(model=tmp_path / "missing.npz"))
    assert stage.name == "classify.v1"
    doc = read_text("r3", REPORT, Settings(published=date(2020, 5, 4)))
    from harmledger.errors import ModelError

    with pytest.raises(ModelError, match="does not exist"):
        Pipeline(Settings(model=tmp_path / "missing.npz"))(doc)


def test_classify_evidence_text_is_the_incident_sentences():
    inc = _incidents(Settings()).incidents[0]
    words = evidence_text(inc, REPORT)
    assert "gunmen shot and killed" in words
    assert set(words) <= set(REPORT)
