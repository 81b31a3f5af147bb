"""Event triggers: words that signal violence, mapped to ACLED's taxonomy and to violations.

The lexicon is ``resources/triggers.json``. Every trigger phrase becomes a ``trigger``
mention carrying its ACLED ``event_type``/``sub_event_type`` proposal, the violations it
implies, and the casualty role that numbers near it take. The stage also marks candidate
sentences (those with a trigger, and their neighbours) so that later, more expensive stages
can skip sentences that report no event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import ResourceError
from harmledger.model import Annotated, Mention, TriggerValue
from harmledger.pipeline.prefilter import AlternationPrefilter, alternation_prefilter

NAME = "triggers.v11"

#: How many characters before a trigger a negation word may stand ("no one was killed").
NEGATION_WINDOW = 30
#: How far before a trigger "payback for the <Name>" may start to make it a reference.
REFERENCE_WINDOW = 60
#: Length of the literal prefixes the prefilter looks for. Longer prefixes leave fewer candidate
#: positions ("in " would stop at every "in"), but optional words and character classes multiply
#: them; 5 keeps the prefilter to a few hundred strings and lets through about one word in ten.
PREFIX_LEN = 5

_BOUNDARY_BEFORE = r"(?<![\w-])"
#: Where a clause ends, for the negation and reference windows (compiled once: one per trigger):
#: at punctuation, but not at the period of an initial ("possible U.S. air strikes").
_CLAUSE_BREAK = re.compile(r"(?<!\b[A-Z])\.|[;:,!?]")
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
    #: the speed-up (see :func:`find_triggers`); ``None`` when a pattern can start anywhere
    prefilter: AlternationPrefilter | None = None
    #: words just before a plural event noun that make it a series ("several bombings")
    series: re.Pattern[str] = re.compile(r"(?!x)x")
    series_nouns: frozenset[str] = frozenset()


@cache
def load_lexicon() -> TriggerLexicon:
    data = resources.read_json("triggers.json")
    entries: list[TriggerEntry] = []
    parts: list[str] = []
    try:
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
        reference = re.compile(data["reference_words"])
        grievance = re.compile(data.get("grievance_words", r"(?!x)x"), re.IGNORECASE)
        background = re.compile(data.get("background_words", r"(?!x)x"), re.IGNORECASE)
        series = re.compile(data.get("series_words", r"(?!x)x"), re.IGNORECASE)
        series_nouns = frozenset(n.lower() for n in data.get("series_nouns", ()))
    except (KeyError, re.error) as e:
        raise ResourceError(f"resources/triggers.json is malformed: {e}") from e
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
    )


def _compile_alternation(parts: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_BOUNDARY_BEFORE + "(?:" + "|".join(parts) + ")" + _BOUNDARY_AFTER, re.I)


def _matches(lex: TriggerLexicon, text: str) -> Iterator[re.Match[str]]:
    """What ``lex.pattern.finditer(text)`` finds, trying the patterns only where they can start.

    The one big case-insensitive alternation costs every alternative at every word; the
    prefilter (a case-sensitive trie of literal prefixes over the lower-cased text) finds the
    few positions where some trigger can start, and there only the alternatives that can start
    with those characters are tried, in the lexicon's order. Non-overlapping, left to right,
    like ``finditer``.
    """
    if lex.prefilter is None:
        return lex.pattern.finditer(text)
    return lex.prefilter.finditer(lex.pattern, text)


def find_triggers(text: str) -> list[tuple[int, int, TriggerValue]]:
    """Every trigger phrase in ``text`` as ``(start, end, value)``."""
    lex = load_lexicon()
    out: list[tuple[int, int, TriggerValue]] = []
    for m in _matches(lex, text):
        group = m.lastgroup
        if group is None:  # pragma: no cover - every alternative is a named group
            continue
        e = lex.entries[int(group[1:])]
        window = text[max(0, m.start() - NEGATION_WINDOW) : m.start()]
        # a negation only counts inside the same clause
        window = _CLAUSE_BREAK.split(window)[-1]
        negated = bool(lex.negation.search(window))
        before = text[max(0, m.start() - REFERENCE_WINDOW) : m.start()]
        clause = _CLAUSE_BREAK.split(before)[-1]
        reference = bool(lex.reference.search(clause)) or is_series(m.group(), clause)
        out.append(
            (
                m.start(),
                m.end(),
                TriggerValue(
                    lemma=e.lemma,
                    event_type=e.event_type,
                    sub_event_type=e.sub_event_type,
                    violations=e.violations,
                    role=e.role,
                    negated=negated,
                    reference=reference,
                ),
            )
        )
    return out


def trigger_class(value: TriggerValue) -> str:
    """The lexicon class of a trigger value (used by the assembler's precedence)."""
    return _class_of_lemma().get(value.lemma, "death")


@cache
def _class_of_lemma() -> dict[str, str]:
    return {e.lemma: e.cls for e in load_lexicon().entries}


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


def implied_actor(value: TriggerValue) -> str | None:
    """Who does what the trigger says when the report names no one: "protested" ->
    "Protesters", "tribal clashes" -> "Unidentified Tribal Militia" (the ``actor`` field)."""
    return _actor_of_lemma().get(value.lemma)


@cache
def _actor_of_lemma() -> dict[str, str]:
    return {e.lemma: e.actor for e in load_lexicon().entries if e.actor}


class TriggerTagger:
    """Adds ``trigger`` mentions and marks candidate sentences (with their neighbours)."""

    name: ClassVar[str] = NAME
    assigns: ClassVar[tuple[str, ...]] = ("trigger",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        mentions = [
            Mention("trigger", s, e, text[s:e], v, self.name) for s, e, v in find_triggers(text)
        ]
        marked: set[int] = set()
        for m in mentions:
            if not m.value.live:  # type: ignore[union-attr]
                continue
            i = doc.sentence_index(m.start)
            if i is not None:
                marked.update((i - 1, i, i + 1))
        n = len(doc.sentences)
        doc = doc.add(mentions, stage=self.name)
        return replace(doc, candidates=frozenset(i for i in marked if 0 <= i < n))
