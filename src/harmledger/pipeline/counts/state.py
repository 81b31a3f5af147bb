"""The state the grammar shares while it reads one sentence: the sentence's tokens
(:class:`Sentence`) and the counts found in it (:class:`Cand`).

Every part of the grammar is a function of a :class:`Sentence` (quantities, noun phrases,
exclusions, breakdowns, roles); none keeps state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harmledger.pipeline.counts.tokens import TOKEN
from harmledger.pipeline.counts.words import Phrases, Tables


class Sentence:
    """One sentence ``text[start:end]`` cut into tokens, with the tables that read it."""

    def __init__(self, text: str, start: int, end: int, t: Tables) -> None:
        self.text = text
        self.t = t
        ms = list(TOKEN.finditer(text, start, end))
        self.st: Sequence[int] = [m.start() for m in ms]
        self.en: Sequence[int] = [m.end() for m in ms]
        raw = tuple([m.group() for m in ms])
        self.raw: Sequence[str] = raw
        # group 1 -> NUM (0), 2 -> WORD (1), 3 -> PUNCT (2)
        self.kind: Sequence[int] = [m.lastindex - 1 for m in ms]  # type: ignore[operator]
        self.low = [r.lower() for r in raw]
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
