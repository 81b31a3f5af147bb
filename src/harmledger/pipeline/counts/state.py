"""The state the grammar shares while it reads one sentence: the sentence's tokens
(:class:`Sentence`) and the counts found in it (:class:`Cand`).

Every part of the grammar is a function of a :class:`Sentence` (quantities, noun phrases,
exclusions, breakdowns, roles); none keeps state of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from harmledger.pipeline.counts.tokens import TOKEN
from harmledger.pipeline.counts.words import Phrases, Tables

_START = re.Match.start
_END = re.Match.end
_GROUP = re.Match.group
_LASTINDEX = attrgetter("lastindex")
_LESS_ONE = (-1).__add__


class Sentence:
    """One sentence ``text[start:end]`` cut into tokens, with the tables that read it."""

    def __init__(self, text: str, start: int, end: int, t: Tables) -> None:
        self.text = text
        self.t = t
        # every token's offsets, text and kind read by map in C, not a Python loop per token
        ms = list(TOKEN.finditer(text, start, end))
        self.st: Sequence[int] = list(map(_START, ms))
        self.en: Sequence[int] = list(map(_END, ms))
        raw = tuple(map(_GROUP, ms))
        self.raw: Sequence[str] = raw
        # group 1 -> NUM (0), 2 -> WORD (1), 3 -> PUNCT (2)
        self.kind: Sequence[int] = list(map(_LESS_ONE, map(_LASTINDEX, ms)))
        self.low = list(map(str.lower, raw))
        self.n = len(raw)

    def w(self, k: int) -> str:
        """Lower-case token k, or "" past either end."""
        return self.low[k] if 0 <= k < self.n else ""

    def match(self, index: Phrases, k: int) -> tuple[int, Any] | None:
        """Longest phrase of ``index`` starting at token k: (end token, value)."""
        n = self.n
        entries = index.get(self.low[k] if 0 <= k < n else "")  # self.w(k), inlined: hot
        if not entries:
            return None
        low = self.low
        for words, value in entries:
            end = k + len(words)
            if end <= n and tuple(low[k:end]) == words:
                return end, value
        return None

    def adjacent(self, a: int, b: int) -> bool:
        """Tokens a and b touch (no space between)."""
        return 0 <= a < self.n and 0 <= b < self.n and self.en[a] == self.st[b]


@dataclass(slots=True)
class Cand:
    """A count found in a sentence, before its role is bound."""

    start: int  # first token (qualifiers included)
    end: int  # token after the last one (noun, composite and sub-counts included)
    lo: int | None
    hi: int | None
    kind: str
    approx: bool = False
    vague: bool = False
    noun: str | None = None
    noun_low: str | None = None
    pronoun: bool = False
    children: int | None = None
    women: int | None = None
    inner_roles: list[str] = field(default_factory=list)
