"""Runs the stages in order: cheap ones first, assembly last."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from harmledger.config import Settings
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


class Pipeline:
    """``Pipeline(settings)(document) -> Annotated`` with incidents filled in."""

    def __init__(self, settings: Settings | None = None, stages: list[Stage] | None = None):
        self.settings = settings or Settings()
        self.stages = stages if stages is not None else default_stages(self.settings)

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
