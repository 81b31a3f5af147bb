"""Counts of people: "at least 1,566 Shia cadets dead" -> killed, min 1566, max None.

A small hand-written grammar (no NLP library). Each sentence is cut into tokens (numbers,
words, punctuation, with character offsets); the grammar reads them left to right:

    count    := qualifier* [between|from] quantity [range] [trailing] noun-phrase
                [composite] [sub-counts]
    quantity := digits [scale] | number words [scale|dozen] | fixed phrase ("half a dozen")
              | vague word ["of" thousands] | vague factor scale ("several hundred")
              | zero word ("no", "nobody") | "a"/"an" (one, when a person noun follows)
    range    := (to | - | – | or | and-after-between) quantity
    noun-phrase := ["of" [determiner]] modifier{0,3} person-noun | "of" pronoun

A number counts people only when a person noun heads its noun phrase, or when a role word
is tied to it ("5 killed", "killing 5", "the death toll rose to 12"). Dates, times, ages,
money, measures, ordinals and numbers inside names are rejected before that (see
:func:`.exclusions.excluded`). A role (one of ``model.COUNT_ROLES``) is then bound from the
role words of the same clause, strongest evidence first (see :func:`.roles.role_of`).

The word lists (number words, qualifiers, vague quantities and the ranges they stand for,
person nouns, role words, units) live in ``resources/numbers.json``.

The package, one question a module:

- :mod:`.words`: the word tables (``tables()``), read once per process;
- :mod:`.tokens` and :mod:`.state`: a sentence's tokens, the state the grammar shares;
- :mod:`.quantities`: reading digits, number words and vague quantities, and qualifiers;
- :mod:`.nouns`: the noun phrase, who is counted;
- :mod:`.exclusions`: numbers that are not counts of people;
- :mod:`.breakdowns`: composites, breakdowns by sex and age, and sub-counts;
- :mod:`.candidates`: one count, read at a token;
- :mod:`.roles`: the role of a count (killed, injured, ...);
- :mod:`.grammar`: all of it applied to one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from harmledger.config import Settings
from harmledger.errors import MSG_TOO_MANY
from harmledger.limits import WORLD_POPULATION
from harmledger.model import Annotated, CountValue, DroppedValue, Mention, Span
from harmledger.pipeline.base import SENTENCES, mention_kind
from harmledger.pipeline.counts.grammar import parse_sentence
from harmledger.pipeline.counts.nouns import NP_WINDOW
from harmledger.pipeline.counts.roles import (
    COMMA_COST,
    GLUE_AFTER,
    GLUE_BEFORE,
    NEAR_WINDOW,
    PREDICATE_WINDOW,
    TOLL_RISE_WINDOW,
    TOLL_WINDOW,
)
from harmledger.pipeline.counts.state import Sentence
from harmledger.pipeline.counts.tokens import NUM, PUNCT, WORD
from harmledger.pipeline.counts.words import JOINT, UNCERTAIN, Phrases, Tables, tables
from harmledger.pipeline.fatalities import acled_fatalities
from harmledger.pipeline.sentences import split_sentences

__all__ = [
    "COMMA_COST",
    "GLUE_AFTER",
    "GLUE_BEFORE",
    "JOINT",
    "NAME",
    "NEAR_WINDOW",
    "NP_WINDOW",
    "NUM",
    "PREDICATE_WINDOW",
    "PUNCT",
    "TOLL_RISE_WINDOW",
    "TOLL_WINDOW",
    "UNCERTAIN",
    "WORD",
    "CountTagger",
    "Phrases",
    "acled_fatalities",
    "parse_counts",
    "parse_spans",
    "tables",
]

NAME = "counts.v14"

_HAS_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"[^\W\d_]+")


def _worth_parsing(sentence: str, t: Tables) -> bool:
    """A cheap test: the sentence has a digit, a number/vague word or a role word."""
    if _HAS_DIGIT.search(sentence):
        return True
    return not t.anchors.isdisjoint(_WORDS.findall(sentence.lower()))


def parse_spans(text: str, sentences: Iterable[Span]) -> list[tuple[int, int, CountValue]]:
    """Counts in the given sentences of ``text``: (start, end, value), in text order."""
    t = tables()
    out: list[tuple[int, int, CountValue]] = []
    for s in sentences:
        if not _worth_parsing(text[s.start : s.end], t):
            continue
        out += parse_sentence(Sentence(text, s.start, s.end, t))
    return out


def parse_counts(text: str) -> list[tuple[int, int, CountValue]]:
    """Counts of people in ``text``: (start, end, value) with offsets into ``text``.

    >>> parse_counts("The blast killed at least 12 civilians.")[0][2].min
    12
    """
    return parse_spans(text, split_sentences(text))


class CountTagger:
    """Adds ``count`` mentions (:class:`CountValue`) for numbers of people, and a ``dropped``
    mention (:class:`DroppedValue`) for a number of people that cannot be true."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = (SENTENCES,)
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("count"), mention_kind("dropped"))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        sentences = doc.sentences or tuple(split_sentences(text))
        mentions: list[Mention[CountValue | DroppedValue]] = []
        for s, e, v in parse_spans(text, sentences):
            value: CountValue | DroppedValue = v
            if too_many(v):  # "99999999999999999999 killed": no count, a note instead
                value = DroppedValue(f"counts.{v.role}" if v.role else "counts", MSG_TOO_MANY)
            kind = "dropped" if isinstance(value, DroppedValue) else "count"
            mentions.append(Mention(kind, s, e, text[s:e], value, self.name))
        return doc.add(mentions, stage=self.name)


def too_many(v: CountValue) -> bool:
    """Does the count give more people than live on Earth (:data:`WORLD_POPULATION`)?"""
    return any(n is not None and n > WORLD_POPULATION for n in (v.min, v.max, v.children, v.women))
