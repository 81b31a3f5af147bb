"""Event triggers: words that signal violence, mapped to ACLED's taxonomy and to violations.

The lexicon is ``resources/triggers.json`` (:mod:`harmledger.pipeline.trigger_lexicon`).
Every trigger phrase becomes a ``trigger`` mention carrying its ACLED
``event_type``/``sub_event_type`` proposal, the violations it implies, the casualty role
that numbers near it take, its lexicon class and the actor it implies (what assembly
decides the event type and an unnamed doer from). The stage also marks candidate sentences
(those with a trigger, and their neighbours) so that later, more expensive stages can skip
sentences that report no event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from harmledger.config import Settings
from harmledger.model import Annotated, Mention, TriggerValue
from harmledger.pipeline.base import CANDIDATES, SENTENCES, mention_kind
from harmledger.pipeline.trigger_lexicon import (
    REFERENCE_WINDOW,
    TriggerLexicon,
    is_series,
    load_lexicon,
)

NAME = "triggers.v22"

#: How many characters before a trigger a negation word may stand ("no one was killed").
NEGATION_WINDOW = 30
#: Where a clause ends, for the negation and reference windows (compiled once: one per trigger):
#: at punctuation, but not at the period of an initial ("possible U.S. air strikes").
_CLAUSE_BREAK = re.compile(r"(?<!\b[A-Z])\.|[;:,!?]")


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
    # whether a negation or reference word may start in the window before a trigger, from
    # a scan of the window for their prefixes: the windows before most triggers hold none,
    # and are not searched (a speed-up only)
    neg_gate, ref_gate = lex.negation_gate, lex.reference_gate
    neg_low: str | None = None
    ref_low: str | None = None
    for m in _matches(lex, text):
        group = m.lastgroup
        if group is None:  # pragma: no cover - every alternative is a named group
            continue
        if not out:  # the first trigger: the text lower-cased for the gates
            neg_low = neg_gate.lowered(text) if neg_gate is not None else None
            ref_low = ref_gate.lowered(text) if ref_gate is not None else None
        e = lex.entries[int(group[1:])]
        start = m.start()
        a = max(0, start - NEGATION_WINDOW)
        negated = False
        if neg_gate is None or neg_gate.may_hold(neg_low, a, start):
            # a negation only counts inside the same clause
            window = _CLAUSE_BREAK.split(text[a:start])[-1]
            negated = bool(lex.negation.search(window))
        # "an offensive against the group's strongholds would begin": a plan, not an event
        negated = negated or bool(lex.future.match(text, m.end()))
        a = max(0, start - REFERENCE_WINDOW)
        clause = _CLAUSE_BREAK.split(text[a:start])[-1]
        reference = (
            (ref_gate is None or ref_gate.may_hold(ref_low, a, start))
            and bool(lex.reference.search(clause))
        ) or is_series(m.group(), clause)
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
                    cls=e.cls,
                    actor=e.actor,
                ),
            )
        )
    return out


class TriggerTagger:
    """Adds ``trigger`` mentions and marks candidate sentences (with their neighbours)."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = (SENTENCES,)
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("trigger"), CANDIDATES)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        mentions = [
            Mention("trigger", s, e, text[s:e], v, self.name) for s, e, v in find_triggers(text)
        ]
        marked: set[int] = set()
        for m in mentions:
            if not m.value.live:
                continue
            i = doc.sentence_index(m.start)
            if i is not None:
                marked.update((i - 1, i, i + 1))
        n = len(doc.sentences)
        doc = doc.add(mentions, stage=self.name)
        return replace(doc, candidates=frozenset(i for i in marked if 0 <= i < n))
