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


@cache
def _rules() -> _Rules:
    return resources.load("numbers.json", _build)


def _build(d: dict[str, Any]) -> _Rules:
    hedges = tuple(
        tuple(phrase.lower().split()) for phrase, kind in d["qualifiers"].items() if kind == "hedge"
    )
    return _Rules(
        hedges=hedges,
        vague={k: int(v) for k, v in d["acled_vague_fatalities"].items()},
        vague_default=int(d["acled_vague_fatalities_default"]),
    )


def acled_fatalities(words: str, value: CountValue) -> int:
    """ACLED's fatalities figure for a count of the killed, ``words`` being its text.

    The lower bound, except: a vague number follows ACLED's coders ("dozens" 12, any
    other vague number 3, see numbers.json "acled_vague_fatalities"); a hedged one
    ("possibly dozens") and one that only says "killed or injured" (min 0) give 0.
    """
    if value.min == 0:
        return 0
    if not value.vague:
        return value.min or 0
    rules = _rules()
    low = [m.group().lower() for m in _TOKEN.finditer(words)]
    for k in range(len(low)):
        for hedge in rules.hedges:
            if tuple(low[k : k + len(hedge)]) == hedge:
                return 0  # "possibly dozens": nobody is reported dead for certain
    for w in low:
        if w in rules.vague:
            return rules.vague[w]
    return rules.vague_default
