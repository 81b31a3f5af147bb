"""Places a protest stands with, not where it is held: "demonstrated in support of the
Palestinian people in Gaza and the West Bank", "a sit-in in solidarity with the residents
of Tigray". A stage-free helper: the places stage does not read such a place as where the
text is, and the assembler does not read it as where its event happened."""

from __future__ import annotations

import re

#: "in support of / in solidarity with [the] <up to three words> people|residents... in|of
#: [the]" right before the place, or before the place before it and "and" ("Gaza and the
#: West Bank")
_SUPPORTED = re.compile(
    r"\bin\s+(?:support|solidarity)\s+(?:of|with|to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:people|peoples|population|residents|civilians|victims|prisoners|detainees|"
    r"Palestinians)\s+(?:in|of)\s+(?:the\s+)?"
    r"(?:[\w'’-]+(?:\s+[\w'’-]+)?\s+and\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
#: how far before the place the words may begin
WINDOW = 80


def supported_place(text: str, start: int) -> bool:
    """Does the place name at offset ``start`` say where the people a protest supports
    are, rather than where something happened?"""
    return _SUPPORTED.search(text, max(0, start - WINDOW), start) is not None
