"""Classify: a learned model re-decides each incident's event type (only with ``--model``).

Runs after the assembler, and only when ``Settings.model`` names a model file trained by
``harmledger train``. For each incident the model reads the incident's evidence sentences
and proposes an (event_type, sub_event_type) pair with a probability; :func:`cascade`
combines it with the rules' pair. The rules stay in charge unless the model is sure:

1. an incident the rules left untyped stays untyped: the model never types what the rules
   did not recognise as an act of conflict (a crash, a court sentence);
2. a coder's own label in the text ("Property destruction: ...") is kept;
3. the model's pair is taken when its probability is at least :attr:`Thresholds.take`
   (high: the rules encode the codebook, and the model only knows the words of the
   style it was trained on);
4. when the rules decided without a specific trigger (only generic harm words: "killed",
   "wounded"), the model's pair is taken from :attr:`Thresholds.take_vague` on (also
   high: lower values helped on ACLED notes but hurt on wire stories);
5. anything else keeps the rules' pair.

The stage adds no mentions; it records itself (and the model file's hash) in each
incident's ``versions``. Incidents keep their ids.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import ClassVar

from harmledger.config import Settings
from harmledger.model import Annotated, Incident, TriggerValue
from harmledger.pipeline.base import INCIDENTS

NAME = "classify.v1"

Label = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When the model's pair replaces the rules' (probabilities in [0, 1]).

    Measured on ACLED Iraq 2019 -> 2020, 2020 -> 2019 and on the gold set (docs/train.md):
    lower values gain a little more on ACLED notes and lose on wire and NGO stories, where
    a model trained on notes is confidently wrong more often than the rules.
    """

    take: float = 0.95
    take_vague: float = 0.9


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the cascade knows about the rules' decision."""

    rule: Label
    #: a trigger with its own event type decided it ("shelled", "IED"), not just "killed"
    specific: bool
    #: the text carries the coder's own label ("Looting/property destruction: ...")
    coder_label: bool


def cascade(
    evidence: Evidence,
    model: Label,
    probability: float,
    *,
    thresholds: Thresholds | None = None,
) -> tuple[Label, str]:
    """The (event_type, sub_event_type) to use and who decided it: "rules" or "model"."""
    th = thresholds or Thresholds()
    rule = evidence.rule
    if rule[0] is None:
        return rule, "rules"  # never type what the rules found no act of conflict in
    if evidence.coder_label or model == rule:
        return rule, "rules"
    if probability >= th.take:
        return model, "model"
    if not evidence.specific and probability >= th.take_vague:
        return model, "model"
    return rule, "rules"


def incident_evidence(incident: Incident, text: str) -> Evidence:
    triggers = [t.value for t in incident.triggers if isinstance(t.value, TriggerValue)]
    live = [t for t in triggers if t.live]
    return Evidence(
        rule=(incident.event_type, incident.sub_event_type),
        specific=any(t.event_type for t in live),
        coder_label=any(t.cls == "label" for t in live),
    )


def evidence_text(incident: Incident, text: str) -> str:
    """The words the model reads: the incident's evidence sentences."""
    return " ".join(text[s.start : s.end] for s in incident.evidence) or text


def reclassify(
    incidents: tuple[Incident, ...] | list[Incident],
    text: str,
    model: object,
    *,
    thresholds: Thresholds | None = None,
) -> list[Incident]:
    """The incidents with their types re-decided by :func:`cascade`, and this stage
    recorded in ``versions`` (``model`` is a :class:`~harmledger.learn.TypeModel`)."""
    from harmledger.learn.classifier import TypeModel

    assert isinstance(model, TypeModel)
    if not incidents:
        return []
    preds = model.predictions([evidence_text(i, text) for i in incidents])
    tag = model.tag
    out = []
    for inc, p in zip(incidents, preds, strict=True):
        (et, sub), _ = cascade(
            incident_evidence(inc, text),
            (p.event_type, p.sub_event_type),
            p.probability,
            thresholds=thresholds,
        )
        versions = MappingProxyType({**inc.versions, "classify": NAME, "model": tag})
        out.append(replace(inc, event_type=et, sub_event_type=sub, versions=versions))
    return out


class Classifier:
    """Re-decides event types with a learned model (see the module docstring)."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = (INCIDENTS,)
    assigns: ClassVar[tuple[str, ...]] = (INCIDENTS,)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._model: object | None = None  # loaded on the first document, not here

    def __call__(self, doc: Annotated) -> Annotated:
        from harmledger.learn.classifier import load_model

        if self.settings.model is None:
            return doc.add((), stage=self.name)
        if self._model is None:
            self._model = load_model(self.settings.model)  # cached per process too
        incidents = reclassify(doc.incidents, doc.text, self._model)
        return replace(doc.add((), stage=self.name), incidents=tuple(incidents))


__all__ = [
    "NAME",
    "Classifier",
    "Evidence",
    "Thresholds",
    "cascade",
    "evidence_text",
    "incident_evidence",
    "reclassify",
]
