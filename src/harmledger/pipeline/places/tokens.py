"""Tokens for the places stage: words (with the Arabic articles and apostrophes of
transliterated names: "al-Sijir", "Ma'arrat"), numbers and punctuation, each with the shape
the phrase finder reads (capitalised, acronym, possessive) and its sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from harmledger.model import Span
from harmledger.pipeline.places.words import load_words

_LETTERS = r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_TOKEN = re.compile(
    rf"[{_LETTERS}ʿʾ‘’'`]*[{_LETTERS}](?:[{_LETTERS}ʿʾ‘’'`]*[{_LETTERS}])?"
    rf"(?:[-‐–][{_LETTERS}ʿʾ‘’'`]*[{_LETTERS}](?:[{_LETTERS}ʿʾ‘’'`]*[{_LETTERS}])?)*"
    r"|\d+(?:[.,]\d+)*|[^\s]"
)


class Tok:
    """One token: a word, a number or a punctuation mark (a plain slotted class: a document
    has thousands, and a frozen dataclass costs several times more to build)."""

    __slots__ = ("acronym", "cap", "end", "low", "possessive", "sent", "start", "text", "word")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        low: str,
        cap: bool,  # capitalised word or "al-Xxx"
        word: bool,  # letters (not a number or punctuation)
        acronym: bool,  # "ISIS", "PMUs", "ISF"
        sent: int,
        possessive: bool = False,  # "Iraq's": ends a run
    ) -> None:
        self.start, self.end, self.text, self.low = start, end, text, low
        self.cap, self.word, self.acronym, self.sent = cap, word, acronym, sent
        self.possessive = possessive

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end}, sent={self.sent})"


_QUOTES = "‘'`’"


#: What :func:`tokenize` makes of one matched word: (characters dropped before it, characters
#: dropped after it, text, lower case, cap, word, acronym, possessive); None for a lone quote.
_Shape = tuple[int, int, str, str, bool, bool, bool, bool]


@cache
def _article_hyphen() -> re.Pattern[str]:
    """An Arabic article and a hyphen at the start of a word ("al-", "Ash-"; places.json
    "hyphen_articles"), built once per process."""
    articles = "|".join(map(re.escape, load_words().hyphen_articles))
    return re.compile(rf"^(?:{articles})[-‐]", re.I)


@lru_cache(maxsize=1 << 16)
def _shape(raw: str) -> _Shape | None:
    """The token attributes of one matched word (cached: the same words recur everywhere)."""
    t = raw
    lead = 0
    if t[0] in _QUOTES:  # opening quotes
        while t and t[0] in _QUOTES:
            t, lead = t[1:], lead + 1
        if not t:
            return None
    c0 = t[0]
    if not c0.isalpha():
        return (lead, 0, t, t.lower(), False, False, False, False)
    possessive = False
    trail = 0
    if len(t) > 3 and t[-2] in "'’" and t[-1] == "s":
        t, trail, possessive = t[:-2], 2, True
    hyphen = "-" in t or "‐" in t  # "al-Sijir" is capitalised, "al-nasr" is not
    cap = _article_hyphen().sub("", t)[:1].isupper() if hyphen else c0.isupper()
    acronym = False
    # two lower-case letters after the first rule out an acronym ("Baghdad")
    if (cap or not t.islower()) and not (t[1:2].islower() and t[2:3].islower()):
        n_letters = sum(map(str.isalpha, t))
        upper = sum(map(str.isupper, t))
        acronym = n_letters >= 2 and upper >= n_letters - 1 and upper >= 2
    return (lead, trail, t, t.lower(), cap, True, acronym, possessive)


def tokenize(text: str, sentences: Sequence[Span]) -> list[Tok]:
    toks: list[Tok] = []
    append = toks.append
    shape_of = _shape
    bounds = [s.end for s in sentences]
    nb = len(bounds)
    si = 0
    past = len(text) + 1
    bound = bounds[0] if nb else past
    for m in _TOKEN.finditer(text):
        shape = shape_of(m.group())
        if shape is None:
            continue
        lead, trail, t, low, cap, word, acronym, possessive = shape
        start = m.start() + lead
        while start >= bound:
            si += 1
            bound = bounds[si] if si < nb else past
        append(Tok(start, m.end() - trail, t, low, cap, word, acronym, si, possessive))
    return toks
