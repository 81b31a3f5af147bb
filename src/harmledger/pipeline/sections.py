"""Sections: where a very long document is cut so that it is read a part at a time.

Several steps of extraction compare what they find with what came before in the document
(an event told again joins its first telling; an acronym a document defines applies to
the rest of it), so a document of many megabytes read as one would cost far more than its
length. A document longer than ``Settings.section_chars`` is cut into sections of at
most that length: the taggers read each section on its own, assembly groups each
section's sentences on their own, and every offset stays an offset into the document's
text. A cut falls at a paragraph break in the section's second half where there is one,
else after a sentence's full stop, else at a space (a paragraph never ends inside a
sentence, so a cut at a paragraph break splits no sentence). Reports of normal length
(well under a section) are one section.

No stage: the pipeline and assembly both cut here, so they cut alike.
"""

from __future__ import annotations

import re

#: What a sentence ends with, for a cut inside a paragraph of a section's length.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


def section_bounds(text: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each section of ``text``, in order, covering it all; one section
    when ``text`` is not longer than ``size`` characters."""
    n = len(text)
    if size <= 0 or n <= size:
        return [(0, n)]
    out: list[tuple[int, int]] = []
    start = 0
    while n - start > size:
        out.append((start, start := _cut(text, start, start + size)))
    out.append((start, n))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """Where the section from ``start`` ends: the last good break before ``limit``, in its
    second half (so that a section is at least half the size)."""
    half = start + (limit - start) // 2
    newline = text.rfind("\n", half, limit)
    if newline >= 0:
        return newline + 1
    stop = None
    for stop in _SENTENCE_END.finditer(text, half, limit):  # noqa: B007 - the last one
        pass
    if stop is not None:
        return stop.end()
    space = max(text.rfind(" ", half, limit), text.rfind("\t", half, limit))
    return space + 1 if space >= 0 else limit
