"""Runs the stages in order: cheap ones first, assembly last."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cache

from harmledger.config import Settings
from harmledger.errors import MSG_STAGE_ORDER, ConfigError
from harmledger.model import Annotated, Document, Mention, MentionValue, QuoteValue, Span
from harmledger.pipeline.base import INCIDENTS, Stage
from harmledger.pipeline.budget import Deadline
from harmledger.pipeline.sections import section_bounds
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

    def __call__(self, document: Document, *, deadline: Deadline | None = None) -> Annotated:
        """The document annotated by every stage. A document longer than
        ``settings.section_chars`` is tagged a section at a time (:mod:`.sections`).
        ``deadline``: checked before each stage and section (and enforced within them in
        the main thread); when it passes, :class:`~harmledger.errors.BudgetExceeded`."""
        with deadline.enforced() if deadline is not None else nullcontext():
            bounds = section_bounds(document.text, self.settings.section_chars)
            if len(bounds) == 1:
                doc = Annotated(document=document)
                for stage in self.stages:
                    _check(deadline)
                    doc = stage(doc)
                return doc
            return self._by_sections(document, bounds, deadline)

    def _by_sections(
        self, document: Document, bounds: list[tuple[int, int]], deadline: Deadline | None
    ) -> Annotated:
        """The taggers (every stage before the first that reads or sets incidents) on each
        section, their mentions and sentences moved to document offsets; then the rest on
        the whole document. Mentions stay in the order one reading would give: stage by
        stage, in text order."""
        split = next(
            (k for k, s in enumerate(self.stages) if INCIDENTS in (*s.requires, *s.assigns)),
            len(self.stages),
        )
        taggers, rest = self.stages[:split], self.stages[split:]
        per_stage: list[list[Mention[MentionValue]]] = [[] for _ in taggers]
        sentences: list[Span] = []
        candidates: set[int] | None = None
        names: tuple[str, ...] = ()
        for start, end in bounds:
            part = Annotated(document=replace(document, text=document.text[start:end]))
            for k, stage in enumerate(taggers):
                _check(deadline)
                seen = len(part.mentions)
                part = stage(part)
                per_stage[k] += (_moved(m, start) for m in part.mentions[seen:])
            if part.candidates is not None:
                candidates = candidates or set()
                candidates.update(i + len(sentences) for i in part.candidates)
            sentences += (Span(x.start + start, x.end + start) for x in part.sentences)
            names = part.stages
        doc = Annotated(
            document=document,
            sentences=tuple(sentences),
            mentions=tuple(m for ms in per_stage for m in ms),
            stages=names,
            candidates=frozenset(candidates) if candidates is not None else None,
        )
        for stage in rest:
            _check(deadline)
            doc = stage(doc)
        return doc

    def run(self, documents: Iterable[Document]) -> Iterator[Annotated]:
        for d in documents:
            yield self(d)


def _moved(m: Mention[MentionValue], offset: int) -> Mention[MentionValue]:
    """Mention ``m`` of a section starting at ``offset``, in document offsets."""
    if not offset:
        return m
    value = m.value
    if isinstance(value, QuoteValue) and value.speaker_start is not None:
        value = replace(
            value,
            speaker_start=value.speaker_start + offset,
            speaker_end=None if value.speaker_end is None else value.speaker_end + offset,
        )
    return replace(m, start=m.start + offset, end=m.end + offset, value=value)


def _check(deadline: Deadline | None) -> None:
    if deadline is not None:
        deadline.check()


@cache
def pipeline_for(settings: Settings) -> Pipeline:
    """One pipeline per settings value per process (stages load their resources lazily)."""
    return Pipeline(settings)
