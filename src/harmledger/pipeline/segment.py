"""The sentences stage: ``Annotated.sentences`` from the splitter of
:mod:`harmledger.pipeline.sentences`."""

from __future__ import annotations

from typing import ClassVar

from harmledger.config import Settings
from harmledger.model import Annotated
from harmledger.pipeline.base import SENTENCES
from harmledger.pipeline.sentences import split_sentences


class Segmenter:
    """Adds ``Annotated.sentences``."""

    name: ClassVar[str] = "sentences.v1"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = (SENTENCES,)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        from dataclasses import replace

        return replace(
            doc, sentences=tuple(split_sentences(doc.text)), stages=(*doc.stages, self.name)
        )
