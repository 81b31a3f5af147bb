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
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ClassVar

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import ResourceError
from harmledger.model import Annotated, Mention, TriggerValue

NAME = "triggers.v11"

#: How many characters before a trigger a negation word may stand ("no one was killed").
NEGATION_WINDOW = 30
#: How far before a trigger "payback for the <Name>" may start to make it a reference.
REFERENCE_WINDOW = 60
#: Length of the literal prefixes the prefilter looks for. Longer prefixes leave fewer candidate
#: positions ("in " would stop at every "in"), but optional words and character classes multiply
#: them; 5 keeps the prefilter to a few hundred strings and lets through about one word in ten.
PREFIX_LEN = 5
#: A pattern whose prefixes would exceed this many strings is cut shorter (still sound).
MAX_PREFIXES = 4000

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
    prefilter: _Prefilter | None = None
    #: words just before a plural event noun that make it a series ("several bombings")
    series: re.Pattern[str] = re.compile(r"(?!x)x")
    series_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Prefilter:
    """Where a trigger can start, and which patterns can match there.

    Every pattern's possible first ``PREFIX_LEN`` characters (lower-cased) are derived from the
    compiled regular expression at load time. ``scan`` finds the positions, at word starts,
    where the lower-cased text begins with one of them; only there is a pattern tried, and only
    the patterns whose prefixes fit (in the lexicon's order, so the same alternative wins as in
    the one big alternation).
    """

    scan: re.Pattern[str]  # the character before a candidate position (it starts after it)
    first: re.Pattern[str]  # a prefix at the start of the text
    by_prefix: dict[str, tuple[int, ...]]
    #: entry N's pattern as the named group "tN" of the big alternation
    alternatives: tuple[str, ...]
    #: characters that match an ASCII prefix letter case-insensitively but do not lower-case to
    #: it ("ſ" matches "s"): mapped to it before scanning
    fold: dict[int, str]
    fold_scan: re.Pattern[str] | None
    #: one compiled pattern per set of alternatives, filled on first use
    sub: dict[tuple[int, ...], re.Pattern[str]] = field(default_factory=dict)
    #: the pattern to try where the text starts with these PREFIX_LEN characters
    window: dict[str, re.Pattern[str]] = field(default_factory=dict)


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
        _prefilter([t["pattern"] for t in data["triggers"]]),
        series,
        series_nouns,
    )


def _compile_alternation(parts: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_BOUNDARY_BEFORE + "(?:" + "|".join(parts) + ")" + _BOUNDARY_AFTER, re.I)


# --------------------------------------------------------------------------- prefilter


def _prefilter(patterns: list[str]) -> _Prefilter | None:
    """The prefilter for ``patterns``, or ``None`` if one can start with any character."""
    by_prefix: dict[str, list[int]] = {}
    for i, pattern in enumerate(patterns):
        prefixes = literal_prefixes(pattern, length=PREFIX_LEN, flags=re.IGNORECASE)
        if prefixes is None:
            return None
        for p in prefixes:
            by_prefix.setdefault(p, []).append(i)
    # the alternatives each window of PREFIX_LEN characters can start: those of its prefixes
    alphabet = {c for p in by_prefix for c in p}
    fold = case_folds(alphabet)
    trie = prefix_regex(by_prefix)
    return _Prefilter(
        # a non-word character, then a prefix: a search for a pattern that starts with a
        # character class skips the other characters in C (a look-behind first would not)
        scan=re.compile(r"[^\w-](?=" + trie + ")"),
        first=re.compile(trie),
        by_prefix={p: tuple(ids) for p, ids in by_prefix.items()},
        alternatives=tuple(f"(?P<t{i}>{p})" for i, p in enumerate(patterns)),
        fold=fold,
        fold_scan=re.compile("[" + re.escape("".join(map(chr, fold))) + "]") if fold else None,
    )


def literal_prefixes(pattern: str, *, length: int, flags: int = 0) -> frozenset[str] | None:
    """The lower-cased strings every match of ``pattern`` starts with, cut at ``length``.

    Sound, not exact: a match of ``pattern`` starts (after lower-casing, see
    :func:`case_folds`) with one of them, and a string shorter than ``length`` stands for
    anything that starts with it. ``None`` when the pattern can start with any character or
    match the empty string (then positions cannot be filtered). Derived from the standard
    library's parse tree, so nothing has to be declared twice.
    """
    try:
        from re import _parser  # the standard library's own parser of regular expressions

        prefixes = {s for s, _ in _seq(list(_parser.parse(pattern, flags)), length)}
    except Exception:  # another Python, or a surprise in the parse tree: no filter
        return None
    if not prefixes or "" in prefixes:
        return None
    return frozenset(prefixes)


def lower_for_prefixes(text: str, fold: dict[int, str], fold_scan: re.Pattern[str] | None) -> str:
    """``text`` lower-cased for :func:`literal_prefixes` (same length; "" if it cannot be)."""
    if fold_scan is not None and fold_scan.search(text):
        text = text.translate(fold)
    low = text.lower()
    return low if len(low) == len(text) else ""


def case_folds(alphabet: set[str]) -> dict[int, str]:
    """Characters that match a prefix character under IGNORECASE without lower-casing to it."""
    cls = re.compile("[" + re.escape("".join(sorted(alphabet))) + "]", re.IGNORECASE)
    out: dict[int, str] = {}
    for c in cls.findall("".join(map(chr, range(0x80, 0x10000)))):
        for x in sorted(alphabet):
            if c.lower() != x and re.fullmatch(re.escape(x), c, re.IGNORECASE):
                out[ord(c)] = x
                break
    return out


def prefix_regex(prefixes: Iterable[str]) -> str:
    """One regex matching any of ``prefixes``, shaped as a trie (one branch per character)."""
    trie: dict[str, Any] = {}
    for p in prefixes:
        node = trie
        for c in p:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:  # a shorter prefix: whatever follows is a candidate
            return ""
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


# A prefix set is a set of (string, closed): ``closed`` when nothing more can be known
# (PREFIX_LEN reached, or the next character is unconstrained); an open string may be
# continued by what follows in the pattern.
_Prefixes = set[tuple[str, bool]]
_EMPTY: _Prefixes = {("", False)}
_ANY: _Prefixes = {("", True)}


def _concat(a: _Prefixes, b: _Prefixes, k: int) -> _Prefixes:
    out: _Prefixes = set()
    for s, closed in a:
        if closed:
            out.add((s, True))
            continue
        for t, tclosed in b:
            u = s + t
            out.add((u[:k], True) if len(u) >= k else (u, tclosed))
    if len(out) > MAX_PREFIXES:  # too many: cut every string where it is (a weaker filter)
        out = {(s, True) for s, _ in out}
    return out


def _seq(items: list[Any], k: int) -> _Prefixes:
    """Prefixes of a parsed sequence (``re._parser`` items) up to ``k`` characters."""
    state = _EMPTY
    for item in items:
        if all(closed for _, closed in state):
            break
        state = _concat(state, _item(item, k), k)
    return state


def _item(item: tuple[Any, Any], k: int) -> _Prefixes:
    op, av = item
    name = str(op)
    if name == "LITERAL":
        c = chr(av).lower()
        return {(c, False)} if len(c) == 1 else _ANY
    if name == "IN":
        chars: set[str] = set()
        for kind, value in av:
            kind = str(kind)
            if kind == "LITERAL":
                chars.add(chr(value))
            elif kind == "RANGE" and value[1] - value[0] < 64:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:  # NEGATE, CATEGORY, wide ranges: any character
                return _ANY
        lowered = {c.lower() for c in chars}
        if any(len(c) != 1 for c in lowered):
            return _ANY
        return {(c, False) for c in lowered}
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width
        return _EMPTY
    if name == "BRANCH":
        out: _Prefixes = set()
        for alt in av[1]:
            out |= _seq(list(alt), k)
        return out
    if name == "SUBPATTERN":
        return _seq(list(av[3]), k)
    if name == "ATOMIC_GROUP":
        return _seq(list(av), k)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av
        body = _seq(list(sub), k)
        out = set(_EMPTY) if lo == 0 else set()
        current = _EMPTY
        for n in range(1, k + 2):
            if n > hi:
                break
            current = _concat(current, body, k)
            if n >= lo:
                out |= current
            if all(closed for _, closed in current):
                break
        else:  # the body can match empty: what is still open stays a (short) prefix
            out |= {(s, True) for s, _ in current}
        if lo > k + 1:
            out |= {(s, True) for s, _ in current}
        return out
    return _ANY  # ANY, NOT_LITERAL, CATEGORY, GROUPREF...: any character


def _matches(lex: TriggerLexicon, text: str) -> Iterator[re.Match[str]]:
    """What ``lex.pattern.finditer(text)`` finds, trying the patterns only where they can start.

    The one big case-insensitive alternation costs every alternative at every word; the
    prefilter (a case-sensitive trie of literal prefixes over the lower-cased text) finds the
    few positions where some trigger can start, and there only the alternatives that can start
    with those characters are tried, in the lexicon's order. Non-overlapping, left to right,
    like ``finditer``.
    """
    pf = lex.prefilter
    if pf is None:
        yield from lex.pattern.finditer(text)
        return
    low = lower_for_prefixes(text, pf.fold, pf.fold_scan)
    if len(low) != len(text):  # a character lower-cases to several ("İ"): offsets would drift
        yield from lex.pattern.finditer(text)
        return
    starts = [c.end() for c in pf.scan.finditer(low)]
    if pf.first.match(low):
        starts.insert(0, 0)
    last = 0
    for pos in starts:
        if pos < last:
            continue
        window = low[pos : pos + PREFIX_LEN]
        pattern = pf.window.get(window)
        if pattern is None:
            pattern = pf.window[window] = _pattern_for(pf, window)
        m = pattern.match(text, pos)
        if m is not None:
            last = m.end()
            yield m


def _pattern_for(pf: _Prefilter, window: str) -> re.Pattern[str]:
    """The alternation of the patterns that may start with ``window`` (in lexicon order)."""
    ids: set[int] = set()
    for j in range(1, len(window) + 1):
        ids.update(pf.by_prefix.get(window[:j], ()))
    key = tuple(sorted(ids))
    pattern = pf.sub.get(key)
    if pattern is None:
        pattern = pf.sub[key] = _compile_alternation(pf.alternatives[i] for i in key)
    return pattern


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
