"""The words of the actor tagger (:mod:`harmledger.pipeline.actors`): how a text is cut into
words, each word's lookup key, and which words may start a phrase of the alias tables.

A text's words are read once, in C where it can be: the regex finds them, ``map`` reads
each match's span and text, a word's key is computed once per distinct word (cached), and
whether a word may start an alias or a country's name is a dictionary lookup per word
(:class:`WordStarts`), so that the tagger runs Python only at the few words that start one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
#: Arabic article spellings folded onto "al" (not "as", "at", "an": English words).
_ARTICLES = {"ash": "al", "ad": "al", "ar": "al", "az": "al", "ath": "al", "adh": "al", "el": "al"}


def _fold(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ı", "i")


@lru_cache(maxsize=1 << 16)
def alias_key(token: str) -> tuple[str, bool]:
    """The normalised lookup key of one word, and whether it was a possessive ("Iraq's")."""
    s = _fold(token.lower())
    possessive = False
    if len(s) > 2 and s[-2] in "'’ʼ" and s[-1] == "s":
        s, possessive = s[:-2], True
    s = s.translate(_APOSTROPHES)
    s = _ARTICLES.get(s, s)
    if s.endswith("isation"):
        s = s[:-7] + "ization"
    elif s.endswith("isations"):
        s = s[:-8] + "izations"
    elif s == "defence":
        s = "defense"
    return s, possessive


def alias_keys(text: str) -> tuple[str, ...]:
    """Lookup keys of a phrase, word by word (what the trie is keyed on)."""
    return tuple(alias_key(m.group())[0] for m in TOKEN.finditer(text))


class Tok:
    """One word. A plain slotted class, not a frozen dataclass: a document has thousands of
    words and a frozen dataclass costs three times as much to build (treat it as read-only)."""

    __slots__ = ("alt", "bare", "end", "key", "poss", "start")

    def __init__(self, span: tuple[int, int], word: tuple[str, str, bool, str | None]) -> None:
        self.start, self.end = span
        # bare: the surface without a possessive 's; alt: the key without a plural "s" for
        # acronyms ("PMUs" -> "pmu"); see word_of
        self.bare, self.key, self.poss, self.alt = word


@lru_cache(maxsize=1 << 16)
def word_of(word: str) -> tuple[str, str, bool, str | None]:
    """``(bare, key, possessive, alt)`` of a word (see :class:`Tok`), once per distinct word."""
    key, poss = alias_key(word)
    bare = word[:-2] if poss else word
    alt = None
    if len(bare) >= 3 and bare[-1] == "s" and bare[:-1].isupper():
        alt = key[:-1]
    return bare, key, poss, alt


# a match's span and text, read in C over every word (``map``)
_SPAN = re.Match.span
_GROUP = re.Match.group


def words_and_tokens(text: str) -> tuple[list[str], list[Tok]]:
    """The words of ``text`` as written, and as tokens: each word's regex match read by
    ``map`` in C, a Python call only for each token's constructor."""
    ms = list(TOKEN.finditer(text))
    words = list(map(_GROUP, ms))
    return words, list(map(Tok, map(_SPAN, ms), map(word_of, words)))


class WordStarts(dict[str, bool]):
    """Whether a word, as a text writes it, may start a phrase of ``trie`` (its key, or with
    ``alt`` its plural acronym's key, "PMUs", is a first word of the trie). Filled the first
    time each word is seen, so that a text's words are tested in C (``map`` over
    ``__getitem__``), not each in Python."""

    #: words remembered before the table is emptied (a long run sees ever more words)
    LIMIT = 1 << 17

    def __init__(self, trie: dict[str, Any], *, alt: bool) -> None:
        super().__init__()
        self.trie = trie
        self.alt = alt

    def __missing__(self, word: str) -> bool:
        if len(self) >= self.LIMIT:
            self.clear()
        _, key, _, alt = word_of(word)
        trie = self.trie
        found = self[word] = key in trie or (self.alt and alt is not None and alt in trie)
        return found
