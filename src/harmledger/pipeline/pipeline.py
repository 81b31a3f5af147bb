"""Runs the stages in order: cheap ones first, assembly last."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from harmledger.config import Settings
from harmledger.errors import MSG_STAGE_ORDER, ConfigError
from harmledger.model import Annotated, Document
from harmledger.pipeline.base import Stage
from harmledger.version import __version__


def default_stages(settings: Settings) -> list[Stage]:
    # Imported here so that importing harmledger stays cheap (no work at import time).
    from harmledger.pipeline.actors import ActorTagger
    from harmledger.pipeline.assemble import Assembler
    from harmledger.pipeline.counts import CountTagger
    from harmledger.pipeline.dates import DateTagger
    from harmledger.pipeline.places import PlaceTagger
    from harmledger.pipeline.quotes import QuoteTagger
    from harmledger.pipeline.segment import Segmenter
    from harmledger.pipeline.triggers import TriggerTagger

    # Order: sentences; triggers mark candidate sentences; then the value taggers;
    # places (the gazetteer, the most expensive) only looks at candidates; assembly last.
    stages: list[Stage] = [
        Segmenter(settings),
        TriggerTagger(settings),
        ActorTagger(settings),
        CountTagger(settings),
        DateTagger(settings),
        PlaceTagger(settings),
        QuoteTagger(settings),
        Assembler(settings),
    ]
    if settings.model is not None:
        # a learned model re-decides event types (only when asked: default output unchanged)
        from harmledger.pipeline.classify import Classifier

        stages.append(Classifier(settings))
    return stages


@dataclass(frozen=True, slots=True)
class StageCheck:
    """One stage as the pipeline sees it: what it needs, what it sets, and which of its
    needs no earlier stage sets (``missing``: the pipeline cannot be built)."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    missing: tuple[str, ...]


def analyze(stages: Iterable[Stage]) -> list[StageCheck]:
    """Each stage's requirements against what the stages before it assign."""
    available: set[str] = set()
    out = []
    for s in stages:
        missing = tuple(r for r in s.requires if r not in available)
        out.append(StageCheck(s.name, tuple(s.requires), tuple(s.assigns), missing))
        available.update(s.assigns)
    return out


class Pipeline:
    """``Pipeline(settings)(document) -> Annotated`` with incidents filled in.

    Building one checks the stages' order: a stage whose ``requires`` no earlier stage
    ``assigns`` is a :class:`~harmledger.errors.ConfigError` naming it."""

    def __init__(self, settings: Settings | None = None, stages: list[Stage] | None = None):
        self.settings = settings or Settings()
        self.stages = stages if stages is not None else default_stages(self.settings)
        bad = [c for c in self.analyze() if c.missing]
        if bad:
            raise ConfigError(
                "; ".join(
                    MSG_STAGE_ORDER.format(stage=c.name, missing=", ".join(c.missing)) for c in bad
                )
            )

    def analyze(self) -> list[StageCheck]:
        """What each stage requires and assigns, in order (see :func:`analyze`)."""
        return analyze(self.stages)

    @property
    def version(self) -> str:
        """harmledger version + every stage's versioned name: what made a value."""
        return f"harmledger-{__version__}:" + ",".join(s.name for s in self.stages)

    def __call__(self, document: Document) -> Annotated:
        doc = Annotated(document=document)
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def run(self, documents: Iterable[Document]) -> Iterator[Annotated]:
        for d in documents:
            yield self(d)


@cache
def pipeline_for(settings: Settings) -> Pipeline:
    """One pipeline per settings value per process (stages load their resources lazily)."""
    return Pipeline(settings)
