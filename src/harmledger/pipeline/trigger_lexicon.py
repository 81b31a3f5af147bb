"""The trigger lexicon (``resources/triggers.json``) and the text tests it defines.

Loaded once per process. The triggers stage finds trigger phrases with it; later stages read
its other word lists through the functions here (never through the triggers stage): the
reporting words that make a date the date of a telling, the precedence of trigger classes,
and whether a word of protest or violence is a person's background or a crowd's grievance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.pipeline.prefilter import (
    AlternationPrefilter,
    StartGate,
    alternation_prefilter,
    start_gate,
)

#: How far before a trigger "payback for the <Name>" may start to make it a reference.
REFERENCE_WINDOW = 60
#: Length of the literal prefixes the prefilter looks for. Longer prefixes leave fewer candidate
#: positions ("in " would stop at every "in"), but optional words and character classes multiply
#: them; 5 keeps the prefilter to a few hundred strings and lets through about one word in ten.
PREFIX_LEN = 5

_BOUNDARY_BEFORE = r"(?<![\w-])"
_BOUNDARY_AFTER = r"(?![\w-])"


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    lemma: str
    cls: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...]
    role: str | None
    #: who does this when the report names no one ("protested" -> Protesters)
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    pattern: re.Pattern[str]  # one alternation; group "tN" = entry N
    entries: tuple[TriggerEntry, ...]
    precedence: dict[str, int]  # class -> rank (lower wins)
    negation: re.Pattern[str]
    reporting: re.Pattern[str]
    reference: re.Pattern[str]
    #: words just before a word of violence that make it what a crowd protests about
    grievance: re.Pattern[str] = re.compile(r"(?!x)x")
    #: words just before a word of protest that make it a person's background, not the event
    background: re.Pattern[str] = re.compile(r"(?!x)x")
    #: the speed-up of finding triggers; ``None`` when a pattern can start anywhere
    prefilter: AlternationPrefilter | None = None
    #: words just before a plural event noun that make it a series ("several bombings")
    series: re.Pattern[str] = re.compile(r"(?!x)x")
    series_nouns: frozenset[str] = frozenset()
    #: words after a trigger that put it in the future ("an offensive ... would begin")
    future: re.Pattern[str] = re.compile(r"(?!x)x")
    #: where negation and reference words can start (the windows before the triggers
    #: without one are not searched); ``None``: search every window
    negation_gate: StartGate | None = None
    reference_gate: StartGate | None = None


@cache
def load_lexicon() -> TriggerLexicon:
    """The compiled trigger lexicon (built on first use, once per process)."""
    return resources.load("triggers.json", _lexicon)


def _lexicon(data: dict[str, Any]) -> TriggerLexicon:
    entries: list[TriggerEntry] = []
    parts: list[str] = []
    for i, t in enumerate(data["triggers"]):
        entries.append(
            TriggerEntry(
                lemma=t["lemma"],
                cls=t["class"],
                event_type=t["event_type"],
                sub_event_type=t["sub_event_type"],
                violations=tuple(t["violations"]),
                role=t["role"],
                actor=t.get("actor"),
            )
        )
        parts.append(f"(?P<t{i}>{t['pattern']})")
    # One compiled alternation: the regex engine scans the text once. Entries earlier
    # in the file win when two match at the same place (Python's alternation is ordered);
    # longer phrases are listed inside each pattern before their shorter forms.
    pattern = _compile_alternation(parts)
    precedence = {cls: rank for rank, cls in enumerate(data["precedence"])}
    negation = re.compile(data["negations"], re.IGNORECASE)
    reporting = re.compile(data["reporting_words"], re.IGNORECASE)
    # case-sensitive: the capitalised words are the event's name ("the Speicher massacre")
    # (court words ignore case: "The trial of", "convicted a man of the 2017 murder")
    reference = re.compile(
        data["reference_words"] + "|(?i:" + data.get("judicial_words", r"(?!x)x") + ")"
    )
    grievance = re.compile(data.get("grievance_words", r"(?!x)x"), re.IGNORECASE)
    background = re.compile(data.get("background_words", r"(?!x)x"), re.IGNORECASE)
    series = re.compile(data.get("series_words", r"(?!x)x"), re.IGNORECASE)
    series_nouns = frozenset(n.lower() for n in data.get("series_nouns", ()))
    missing = {e.cls for e in entries} - precedence.keys()
    if missing:
        raise ResourceError(f"resources/triggers.json: classes without precedence: {missing}")
    return TriggerLexicon(
        pattern,
        tuple(entries),
        precedence,
        negation,
        reporting,
        reference,
        grievance,
        background,
        alternation_prefilter(
            [t["pattern"] for t in data["triggers"]],
            length=PREFIX_LEN,
            combine=_compile_alternation,
        ),
        series,
        series_nouns,
        re.compile(data.get("future_words", r"(?!x)x"), re.IGNORECASE),
        start_gate(negation),
        start_gate(reference),
    )


def _compile_alternation(parts: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_BOUNDARY_BEFORE + "(?:" + "|".join(parts) + ")" + _BOUNDARY_AFTER, re.I)


def is_grievance(text: str, start: int) -> bool:
    """The word of violence at ``start`` is what a crowd protests about ("demanding justice
    for the killing of protesters"), judged from the words before it in its clause."""
    before = text[max(0, start - REFERENCE_WINDOW) : start]
    return bool(load_lexicon().grievance.search(re.split(r"[.;:!?]", before)[-1]))


def is_background(text: str, start: int) -> bool:
    """The word of protest at ``start`` tells who a victim is ("an activist who took part in
    the protests was shot"), not an event here, judged from the words before it."""
    before = text[max(0, start - REFERENCE_WINDOW) : start]
    return bool(load_lexicon().background.search(re.split(r"[.;:!?]", before)[-1]))


def is_series(trigger_text: str, before: str) -> bool:
    """A plural event noun after a word of number ("has claimed several bombings since
    June"): a series of past events, not one event here."""
    lex = load_lexicon()
    noun = " ".join(trigger_text.lower().split())
    return noun in lex.series_nouns and bool(lex.series.search(before))
