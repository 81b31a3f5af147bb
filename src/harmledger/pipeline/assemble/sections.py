"""A very long document is assembled a section at a time.

Grouping compares each event with the events told before it (a retelling joins the first
telling) and looks back through a paragraph for a date or a place, so a document of many
megabytes assembled as one would cost the square of its length. Its sentences are grouped
a section at a time, the sections the pipeline cut it into
(:func:`harmledger.pipeline.sections.section_bounds`): a retelling in another section is
another incident. A section is a view of the document (its sentences and their mentions),
not a new text: every offset stays an offset into the document's text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from harmledger.model import Annotated, Mention, MentionValue
from harmledger.pipeline.sections import section_bounds


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a document: its sentences ``first`` to ``first + len(view.sentences)``,
    and ``view``, the document with only those sentences and their mentions."""

    first: int
    view: Annotated


def sections(doc: Annotated, size: int) -> Iterator[Section]:
    """The document's sections in order (the whole document when it is not longer than
    ``size`` characters); a sentence belongs to the section it starts in."""
    sents = doc.sentences
    bounds_ = section_bounds(doc.text, size)
    if len(bounds_) == 1 or len(sents) < 2:
        yield Section(0, doc)
        return
    firsts = [s.start for s in sents]
    cuts = sorted({bisect_left(firsts, a) for a, _ in bounds_} - {len(sents)} | {0})
    bounds = [*cuts, len(sents)]
    starts = [sents[c].start for c in cuts]
    parts: list[list[Mention[MentionValue]]] = [[] for _ in cuts]
    for m in doc.mentions:  # each mention to the section its start falls in
        parts[max(0, bisect_right(starts, m.start) - 1)].append(m)
    marked = sorted(doc.candidates) if doc.candidates is not None else None
    for k, (lo, hi) in enumerate(pairwise(bounds)):
        candidates = None
        if marked is not None:
            a, b = bisect_left(marked, lo), bisect_left(marked, hi)
            candidates = frozenset(i - lo for i in marked[a:b])
        view = Annotated(
            document=doc.document,
            sentences=sents[lo:hi],
            mentions=tuple(parts[k]),
            stages=doc.stages,
            candidates=candidates,
        )
        yield Section(lo, view)
