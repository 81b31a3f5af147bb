"""Sentences: a rule-based splitter that keeps exact character offsets.

Not a stage: the sentences stage (:mod:`harmledger.pipeline.segment`) runs it on the whole
text, and other stages that need sentences of their own (counts, places) call it too.

Paragraph breaks (a blank line, or a single newline) always end a sentence. Inside a
paragraph a sentence ends at ``.``, ``!`` or ``?`` (optionally followed by closing quotes or
brackets) when the next non-space character starts a new sentence (an upper-case letter,
a digit or an opening quote) and the word before the stop is not a known abbreviation
("Gen.", "U.S.", "Jan.") or a single initial.
"""

from __future__ import annotations

import re

from harmledger.model import Span

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr gov sen rep rev st sr jr
    approx est dept govt corp inc ltd co jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue tues wed thu thur thurs fri sat sun vs etc al e.g i.e u.s u.n u.k
    a.m p.m mt ft km mi
    """.split()
)

#: Abbreviations only when a number follows ("No. 5", "Art. 7"); "No." alone is the word.
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "fig", "art", "para"})

#: How far back from a full stop the abbreviation check looks (longer words are not abbreviations).
WORD_WINDOW = 24

_STOP = re.compile(r"[.!?…]+[\"'”’)\]]*")
_NEXT_STARTS = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9\u0600-\u06FF]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$")


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        p_text = para.group()
        pos = 0
        for m in _STOP.finditer(p_text):
            end = m.end()
            nxt = _NEXT_STARTS.match(p_text, end)
            if nxt is None:
                continue
            # only the word just before the stop matters: look back a bounded window
            before = _WORD_BEFORE.search(p_text, max(0, m.start() - WORD_WINDOW), m.start() + 1)
            if m.group().startswith(".") and before:
                word = before.group(1).rstrip(".").lower()
                if word in ABBREVIATIONS or len(word) == 1:
                    continue
                if word in NUMBER_ABBREVIATIONS and nxt.group().strip()[-1:].isdigit():
                    continue
            _add(spans, text, start + pos, start + end)
            pos = nxt.start() + (len(nxt.group()) - len(nxt.group().lstrip()))
        _add(spans, text, start + pos, para.end())
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
