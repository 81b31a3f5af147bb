"""Literal-prefix prefilters: where a regular expression can start, found without running it.

Stages that run many regular expressions over every document (the trigger lexicon, the date
grammar) derive at load time the lower-cased strings that every match of each pattern starts
with (:func:`literal_prefixes`, from the standard library's parse tree, so nothing is declared
twice). A trie of those prefixes (:func:`prefix_regex`) finds the few positions of a text
where some pattern can start, and only there are patterns tried. Two uses, two classes:

* :class:`AlternationPrefilter`: the patterns are the alternatives of one ordered alternation
  run with ``finditer`` (the trigger lexicon): at each word start where some alternative can
  start, the alternation of just those alternatives is tried, in their order, and matches do
  not overlap;
* :class:`PatternPrefilter`: each pattern is run on its own (the date grammar): for each
  position where some prefix starts, the patterns that may start there;
* :class:`StartGate`: one pattern searched in many windows of a text (the negation and
  reference words before each trigger): a window where none of its prefixes starts is
  not searched.

Both are a speed-up only: they find exactly what running the patterns everywhere finds.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: A pattern whose prefixes would exceed this many strings is cut shorter (still sound).
MAX_PREFIXES = 4000

# where each match of a scan starts or ends, read in C over all of a text's matches (``map``)
_START = re.Match.start
_END = re.Match.end


@dataclass(frozen=True, slots=True)
class AlternationPrefilter:
    """Where an ordered alternation of patterns can match, and which alternatives to try there.

    Every alternative's possible first ``length`` characters (lower-cased) are derived from
    its parse tree. ``scan`` finds the positions, at word starts, where the lower-cased text
    begins with one of them; only there is the alternation tried, and only with the
    alternatives whose prefixes fit (in their order, so the same alternative wins as in the
    one big alternation).
    """

    length: int
    scan: re.Pattern[str]  # the character before a candidate position (it starts after it)
    first: re.Pattern[str]  # a prefix at the start of the text
    by_prefix: dict[str, tuple[int, ...]]
    #: alternative N's pattern as the named group "tN" of the big alternation
    alternatives: tuple[str, ...]
    #: compiles some of the alternatives into one alternation, as the big one is compiled
    combine: Callable[[Iterable[str]], re.Pattern[str]]
    #: characters that match an ASCII prefix letter case-insensitively but do not lower-case to
    #: it ("ſ" matches "s"): mapped to it before scanning
    fold: dict[int, str]
    fold_scan: re.Pattern[str] | None
    #: one compiled pattern per set of alternatives, filled on first use
    sub: dict[tuple[int, ...], re.Pattern[str]] = field(default_factory=dict)
    #: the pattern to try where the text starts with these ``length`` characters
    window: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def finditer(self, whole: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
        """What ``whole.finditer(text)`` finds (``whole`` being the big alternation), trying
        the alternatives only where they can start. Non-overlapping, left to right."""
        low = lower_for_prefixes(text, self.fold, self.fold_scan)
        if len(low) != len(text):  # a character lower-cases to several ("İ"): offsets would drift
            yield from whole.finditer(text)
            return
        starts = list(map(_END, self.scan.finditer(low)))
        if self.first.match(low):
            starts.insert(0, 0)
        last = 0
        for pos in starts:
            if pos < last:
                continue
            window = low[pos : pos + self.length]
            pattern = self.window.get(window)
            if pattern is None:
                pattern = self.window[window] = self._pattern_for(window)
            m = pattern.match(text, pos)
            if m is not None:
                last = m.end()
                yield m

    def _pattern_for(self, window: str) -> re.Pattern[str]:
        """The alternation of the alternatives that may start with ``window`` (in order)."""
        ids: set[int] = set()
        for j in range(1, len(window) + 1):
            ids.update(self.by_prefix.get(window[:j], ()))
        key = tuple(sorted(ids))
        pattern = self.sub.get(key)
        if pattern is None:
            pattern = self.sub[key] = self.combine(self.alternatives[i] for i in key)
        return pattern


def alternation_prefilter(
    patterns: list[str],
    *,
    length: int,
    combine: Callable[[Iterable[str]], re.Pattern[str]],
    flags: int = re.IGNORECASE,
) -> AlternationPrefilter | None:
    """The prefilter for the alternation of ``patterns`` (compiled by ``combine`` from their
    named groups "tN"), or ``None`` if one can start with any character."""
    by_prefix: dict[str, list[int]] = {}
    for i, pattern in enumerate(patterns):
        prefixes = literal_prefixes(pattern, length=length, flags=flags)
        if prefixes is None:
            return None
        for p in prefixes:
            by_prefix.setdefault(p, []).append(i)
    # the alternatives each window of ``length`` characters can start: those of its prefixes
    alphabet = {c for p in by_prefix for c in p}
    fold = case_folds(alphabet)
    trie = prefix_regex(by_prefix)
    return AlternationPrefilter(
        length=length,
        # a non-word character, then a prefix: a search for a pattern that starts with a
        # character class skips the other characters in C (a look-behind first would not)
        scan=re.compile(r"[^\w-](?=" + trie + ")"),
        first=re.compile(trie),
        by_prefix={p: tuple(ids) for p, ids in by_prefix.items()},
        alternatives=tuple(f"(?P<t{i}>{p})" for i, p in enumerate(patterns)),
        combine=combine,
        fold=fold,
        fold_scan=re.compile("[" + re.escape("".join(map(chr, fold))) + "]") if fold else None,
    )


@dataclass(frozen=True, slots=True)
class PatternPrefilter:
    """Where each of several patterns, run one by one, can start.

    Every pattern's possible first ``length`` characters (lower-cased) are derived from its
    parse tree. ``scan`` finds the positions where some prefix starts; a pattern is only tried
    at the positions where one of its own prefixes starts (:meth:`starts_at`).
    """

    length: int
    scan: re.Pattern[str]  # the first character of every place where some prefix starts
    by_prefix: dict[str, tuple[int, ...]]  # prefix -> indexes of the patterns it may start
    #: patterns without a usable prefix set: run everywhere
    unfiltered: frozenset[int]
    fold: dict[int, str]
    fold_scan: re.Pattern[str] | None
    #: the characters at a position (up to ``length``) -> patterns that may start there
    at: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def starts_at(self, window: str) -> tuple[int, ...]:
        """The patterns that may start where the lower-cased text reads ``window``."""
        found = self.at.get(window)
        if found is None:
            ids: set[int] = set()
            for j in range(1, len(window) + 1):
                ids.update(self.by_prefix.get(window[:j], ()))
            found = self.at[window] = tuple(sorted(ids - self.unfiltered))
        return found


def pattern_prefilter(patterns: list[re.Pattern[str]], *, length: int) -> PatternPrefilter | None:
    """The prefilter of ``patterns`` (None when no pattern has a usable prefix set)."""
    by_prefix: dict[str, list[int]] = {}
    unfiltered: set[int] = set()
    for i, p in enumerate(patterns):
        prefixes = literal_prefixes(p.pattern, length=length, flags=p.flags)
        if prefixes is None:
            unfiltered.add(i)
            continue
        for x in prefixes:
            by_prefix.setdefault(x, []).append(i)
    if not by_prefix:
        return None
    fold = case_folds({c for x in by_prefix for c in x})
    return PatternPrefilter(
        length=length,
        scan=re.compile(prefix_scan(by_prefix)),
        by_prefix={x: tuple(ids) for x, ids in by_prefix.items()},
        unfiltered=frozenset(unfiltered),
        fold=fold,
        fold_scan=re.compile("[" + re.escape("".join(map(chr, fold))) + "]") if fold else None,
    )


@dataclass(frozen=True, slots=True)
class StartGate:
    """Where one pattern, searched in many small windows of a text, can start a match.

    A stage that searches a pattern in the words before each of its hits (the negation
    and reference words before a trigger) scans the whole text once for the pattern's
    literal prefixes (:meth:`starts`); a window with none of them cannot hold a match, and
    the pattern is run only in the others (:meth:`may_match`). Sound: every match of the
    pattern in a window ``text[a:b]`` starts at a position in ``[a, b)`` where one of its
    prefixes starts. A stage with few windows per text scans just them instead
    (:meth:`lowered` once, then :meth:`may_hold` per window).
    """

    scan: re.Pattern[str]  # the first character of every place where some prefix starts
    fold: dict[int, str]
    fold_scan: re.Pattern[str] | None

    def starts(self, text: str) -> list[int] | None:
        """The positions of ``text`` where the pattern may start a match, in order;
        ``None`` when they cannot be found (then every window may hold one)."""
        low = lower_for_prefixes(text, self.fold, self.fold_scan)
        if len(low) != len(text):  # a character lower-cases to several: offsets would drift
            return None
        return list(map(_START, self.scan.finditer(low)))

    @staticmethod
    def may_match(starts: list[int] | None, a: int, b: int) -> bool:
        """May the pattern match in ``text[a:b]`` (``starts`` from :meth:`starts`)?"""
        if starts is None:
            return True
        k = bisect_left(starts, a)
        return k < len(starts) and starts[k] < b

    def lowered(self, text: str) -> str | None:
        """``text`` lower-cased for :meth:`may_hold` (once per text); ``None`` when
        lower-casing would move offsets (then every window may hold a match)."""
        low = lower_for_prefixes(text, self.fold, self.fold_scan)
        return low if len(low) == len(text) else None

    def may_hold(self, low: str | None, a: int, b: int) -> bool:
        """May the pattern match in ``text[a:b]`` (``low`` from :meth:`lowered`)? One scan
        of just the window, for one whole prefix inside it: a text with few windows is not
        scanned whole. Sound as :meth:`may_match` is: a prefix is never longer than the
        match it starts, so a match inside the window holds one of its prefixes."""
        return low is None or self.scan.search(low, a, b) is not None


def start_gate(pattern: re.Pattern[str], *, length: int = 4) -> StartGate | None:
    """The gate of ``pattern`` (``None`` when a match can start with any character)."""
    prefixes = literal_prefixes(pattern.pattern, length=length, flags=pattern.flags)
    if prefixes is None:
        return None
    fold = case_folds({c for x in prefixes for c in x})
    return StartGate(
        scan=re.compile(prefix_scan(prefixes)),
        fold=fold,
        fold_scan=re.compile("[" + re.escape("".join(map(chr, fold))) + "]") if fold else None,
    )


# --------------------------------------------------------------------------- literal prefixes


def literal_prefixes(pattern: str, *, length: int, flags: int = 0) -> frozenset[str] | None:
    """The lower-cased strings every match of ``pattern`` starts with, cut at ``length``.

    Sound, not exact: a match of ``pattern`` starts (after lower-casing, see
    :func:`case_folds`) with one of them, and a string shorter than ``length`` stands for
    anything that starts with it. ``None`` when the pattern can start with any character or
    match the empty string (then positions cannot be filtered). Derived from the standard
    library's parse tree, so nothing has to be declared twice.
    """
    try:
        # the standard library's own parser of regular expressions (private, hence untyped)
        parser = importlib.import_module("re._parser")
        prefixes = {s for s, _ in _seq(list(parser.parse(pattern, flags)), length)}
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


def prefix_scan(prefixes: Iterable[str]) -> str:
    """A regex whose matches are the first characters of every place where one of
    ``prefixes`` starts, the rest of the prefix looked ahead for: each match is one
    character long, so ``finditer`` finds them all, overlapping ones too ("not" in
    "nothing" and "no one"). Faster than a zero-width look-ahead at every position: the
    regex engine skips to the characters that can start a prefix."""
    trie: dict[str, Any] = {}
    for p in prefixes:
        trie.setdefault(p[0], set()).add(p[1:])
    branches = []
    for c, rests in sorted(trie.items()):
        rest = "" if "" in rests else prefix_regex(rests)
        branches.append(re.escape(c) + (f"(?={rest})" if rest else ""))
    return "|".join(branches)


# A prefix set is a set of (string, closed): ``closed`` when nothing more can be known
# (``length`` reached, or the next character is unconstrained); an open string may be
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
