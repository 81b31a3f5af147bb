"""ACLED's fatalities figure for a count of the killed (``resources/numbers.json``).

Assembly gives each incident the figure of its count of the killed. Not a stage: it reads the
counts stage's tables file (the hedges among its qualifiers and the vague quantities ACLED's
coders give a figure to), once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.model import CountValue

#: Words, numbers and single punctuation marks, as the counts stage splits a sentence.
_TOKEN = re.compile(r"(\d+(?:[.,]\d+)*)|([^\W\d_]+(?:['’\-][^\W\d_]+)*)|(\S)")


@dataclass(frozen=True, slots=True)
class _Rules:
    #: qualifiers that make a number uncertain ("possibly dozens"), as lower-case words
    hedges: tuple[tuple[str, ...], ...]
    #: vague quantity word -> ACLED's figure ("dozens" 12)
    vague: dict[str, int]
    #: the figure of any other vague quantity ("a number of")
    vague_default: int
    #: qualifiers of an exclusive lower bound ("more than", "over"), as lower-case words
    exclusive: tuple[tuple[str, ...], ...] = ()


@cache
def _rules() -> _Rules:
    return resources.load("numbers.json", _build)


def _build(d: dict[str, Any]) -> _Rules:
    hedges = tuple(
        tuple(phrase.lower().split()) for phrase, kind in d["qualifiers"].items() if kind == "hedge"
    )
    exclusive = tuple(
        tuple(phrase.lower().split())
        for phrase, kind in d["qualifiers"].items()
        if kind == "min_excl"
    )
    return _Rules(
        exclusive=exclusive,
        hedges=hedges,
        vague={k: int(v) for k, v in d["acled_vague_fatalities"].items()},
        vague_default=int(d["acled_vague_fatalities_default"]),
    )


def acled_fatalities(words: str, value: CountValue) -> int:
    """ACLED's fatalities figure for a count of the killed, ``words`` being its text.

    The lower bound, except: a vague number follows ACLED's coders ("dozens" 12, any
    other vague number 3, see numbers.json "acled_vague_fatalities"); a hedged one
    ("possibly dozens") and one that only says "killed or injured" (min 0) give 0; "more
    than 200" gives the figure the report gives, 200 (numbers.json qualifiers "min_excl").
    """
    if value.min == 0:
        return 0
    rules = _rules()
    low = [m.group().lower() for m in _TOKEN.finditer(words)]
    if not value.vague:
        if value.min and _opens_with(low, rules.exclusive):
            # "more than 200 people": ACLED codes the figure the report gives (200), the
            # counts keep that the toll is above it (min 201)
            return value.min - 1
        return value.min or 0
    for k in range(len(low)):
        for hedge in rules.hedges:
            if tuple(low[k : k + len(hedge)]) == hedge:
                return 0  # "possibly dozens": nobody is reported dead for certain
    for w in low:
        if w in rules.vague:
            return rules.vague[w]
    return rules.vague_default


def _opens_with(low: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Do the words ``low`` open with one of ``phrases``?"""
    return any(tuple(low[: len(p)]) == p for p in phrases)
