"""Each stage declares what it requires and assigns; the pipeline checks the order, and
every stage sets exactly what it declares."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harmledger.config import Settings
from harmledger.errors import ConfigError
from harmledger.ingest import read_text
from harmledger.learn import TrainSettings, train
from harmledger.model import Annotated
from harmledger.pipeline.base import CANDIDATES, INCIDENTS, SENTENCES, changes, mention_kind
from harmledger.pipeline.pipeline import Pipeline, analyze, default_stages

REPORTS = [
    (
        "On 3 May 2020, unidentified gunmen shot and killed two farmers in their orchard near "
        "Khanaqin in Diyala province, police said. A third man was wounded.\n\n"
        '"They came at dawn," said a relative who asked not to be named.'
    ),
    (
        "BAGHDAD (Reuters) - Members of the Popular Mobilization Forces executed at least 12 men "
        "who had fled Islamic State fighters near Shirqat on Tuesday, witnesses said. "
        "Four others were abducted and have not been seen since."
    ),
    "The weather in Erbil was mild on Friday and the markets were busy.",
    # what cannot be true: a toll of more people than live on Earth, an event dated years
    # after its report (the counts and dates stages drop them, with a note)
    (
        "Militants killed 99999999999999999999 villagers in Sinjar on 4 May 2020, a post "
        "claimed. It said more attacks would follow on 1 June 2031."
    ),
]
REPORT_FILE = Path(__file__).parent / "fixtures" / "reports" / "militia-revenge.txt"


def _documents() -> list[Annotated]:
    settings = Settings(published=date(2020, 5, 6))
    texts = [*REPORTS, REPORT_FILE.read_text(encoding="utf-8")]
    return [Annotated(document=read_text(f"r{n}", t, settings)) for n, t in enumerate(texts)]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [
        "Gunmen shot dead a shepherd near his village.",
        "Soldiers clashed with militants near the river.",
        "A roadside bomb exploded under a police vehicle.",
    ]
    labels = [
        ("Violence against civilians", "Attack"),
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ]
    m = train(texts, labels, settings=TrainSettings(epochs=2))
    return m.save(tmp_path_factory.mktemp("model") / "m.npz")


def test_pipeline_stages_default_order_meets_every_requirement() -> None:
    checks = Pipeline().analyze()
    assert [c.name.split(".")[0] for c in checks] == [
        "sentences",
        "triggers",
        "actors",
        "counts",
        "dates",
        "places",
        "quotes",
        "assemble",
    ]
    assert all(not c.missing for c in checks)
    assemble = checks[-1]
    assert set(assemble.requires) >= {SENTENCES, mention_kind("trigger"), mention_kind("place")}
    # inferred doers, and dates derived from a telling or the publication
    assert assemble.assigns == (INCIDENTS, mention_kind("actor"), mention_kind("date"))


def test_pipeline_stages_every_stage_sets_what_it_declares(model: Path) -> None:
    stages = default_stages(Settings(model=model))
    assert stages[-1].name.startswith("classify")
    set_somewhere: dict[str, set[str]] = {s.name: set() for s in stages}
    for doc in _documents():
        for stage in stages:
            after = stage(doc)
            made = changes(doc, after)
            assert made <= set(stage.assigns), (stage.name, made - set(stage.assigns))
            set_somewhere[stage.name] |= made
            doc = after
    # no declaration is idle: over these reports each stage sets all it declares
    for stage in stages:
        if stage.name.startswith("classify"):
            continue  # it rewrites incidents only when the model is sure
        assert set_somewhere[stage.name] == set(stage.assigns), stage.name


def test_pipeline_stages_out_of_order_is_refused_by_name() -> None:
    stages = default_stages(Settings())
    places = next(s for s in stages if s.name.startswith("places"))
    bad = [stages[0], places, *(s for s in stages[1:] if s is not places)]
    with pytest.raises(ConfigError, match=r"stage places\.v\d+ needs candidates, mentions:actor"):
        Pipeline(Settings(), stages=bad)
    (check,) = [c for c in analyze(bad) if c.missing]
    assert check.missing == (CANDIDATES, mention_kind("actor"))


def test_pipeline_stages_changes_names_what_differs() -> None:
    (doc, *_) = _documents()
    stages = default_stages(Settings())
    after_sentences = stages[0](doc)
    assert changes(doc, after_sentences) == {SENTENCES}
    assert changes(after_sentences, stages[1](after_sentences)) == {
        mention_kind("trigger"),
        CANDIDATES,
    }
    assert changes(doc, doc) == set()
