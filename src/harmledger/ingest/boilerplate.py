"""Boilerplate removal by rules kept as data (``resources/boilerplate.json``).

A rule is a regular expression that must match a *whole* line or a *whole* paragraph
(``re.fullmatch`` on the stripped text), so a rule never cuts text out of a sentence. For each
paragraph (lines between blank lines) the rules are first tried on the paragraph as a whole
(its newlines read as spaces); if none matches, on each of its lines. Each removal is recorded
as a :class:`~harmledger.model.Removal` with offsets into the text before removal.

Rules may be limited to the *head* of a document: the lines before the first line of prose
(see :func:`is_prose`). Named groups ``byline``, ``publisher`` and ``published`` in a rule
carry metadata, which the readers collect from the matches *before* removing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Literal

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.model import Removal

RULES_FILE = "boilerplate.json"

#: A rule may remove at most this many characters unless it says otherwise: boilerplate is
#: short, and a long paragraph that happens to match a loose pattern is more likely a story.
DEFAULT_MAX_CHARS = 300

#: Metadata fields a rule's named groups may fill.
META_GROUPS = ("byline", "publisher", "published")

_MACRO = re.compile(r"%([A-Z_]+)%")
# A line of prose ends the head: long, or a sentence of 10+ words. Headlines are short and
# rarely end in a full stop; "No featured image available" and bylines do not either.
_PROSE_MIN_CHARS = 120
_PROSE_MIN_WORDS = 10
# A hard-wrapped line (72 columns) of a story is prose too (see _wraps).
_WRAPPED_MIN_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    comment: str = ""
    max_chars: int = DEFAULT_MAX_CHARS
    where: Literal["anywhere", "head"] = "anywhere"

    def match(self, text: str, *, in_head: bool) -> re.Match[str] | None:
        if len(text) > self.max_chars or (self.where == "head" and not in_head):
            return None
        return self.pattern.fullmatch(text)


@dataclass(frozen=True, slots=True)
class BoilerplateMatch:
    """A line or paragraph that a rule matched. ``start``/``end`` index the scanned text."""

    rule: Rule
    start: int
    end: int
    text: str
    groups: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def removal(self) -> Removal:
        return Removal(rule=self.rule.id, text=self.text, raw_start=self.start, raw_end=self.end)


@cache
def definitions() -> Mapping[str, str]:
    """The ``%NAME%`` macros of the rules file, fully expanded (e.g. ``definitions()["DATE"]``)."""
    data = _rules_data()
    raw = data.get("definitions", {})
    out: dict[str, str] = {}
    for key in raw:
        out[key] = _expand(raw[key], raw)
    return MappingProxyType(out)


@cache
def load_rules() -> tuple[Rule, ...]:
    """The packaged rules, compiled once per process."""
    data = _rules_data()
    macros = data.get("definitions", {})
    rules = []
    for i, item in enumerate(data.get("rules", [])):
        try:
            rules.append(
                Rule(
                    id=item["id"],
                    pattern=re.compile(_expand(item["pattern"], macros)),
                    comment=item.get("comment", ""),
                    max_chars=int(item.get("max_chars", DEFAULT_MAX_CHARS)),
                    where=item.get("where", "anywhere"),
                )
            )
        except (KeyError, TypeError, ValueError, re.error) as e:
            raise ResourceError(
                f"packaged resource '{RULES_FILE}': rule #{i} ({item.get('id', '?')}) is "
                f"malformed: {e}; reinstall harmledger or fix the rule"
            ) from e
    if not rules:
        raise ResourceError(f"packaged resource '{RULES_FILE}' has no rules; reinstall harmledger")
    return tuple(rules)


@cache
def _rules_data() -> dict:
    data = resources.read_json(RULES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ResourceError(f"packaged resource '{RULES_FILE}' needs a 'rules' list")
    return data


def _expand(pattern: str, macros: Mapping[str, str], depth: int = 0) -> str:
    if depth > 10:
        raise ResourceError(f"packaged resource '{RULES_FILE}': macros nest too deep")

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise ResourceError(f"packaged resource '{RULES_FILE}': unknown macro {m.group()}")
        return _expand(macros[m.group(1)], macros, depth + 1)

    return _MACRO.sub(sub, pattern)


def is_prose(line: str) -> bool:
    """True for a line that reads like story text rather than a header line."""
    line = line.strip()
    if len(line) >= _PROSE_MIN_CHARS:
        return True
    return len(line.split()) >= _PROSE_MIN_WORDS and bool(_SENTENCE_END.search(line))


def _wraps(line: str, next_char: str) -> bool:
    """A hard-wrapped line of prose: several words, no closing stop, and the next line of the
    paragraph goes on in lower case."""
    return (
        len(line.split()) >= _WRAPPED_MIN_WORDS
        and not _SENTENCE_END.search(line)
        and next_char.islower()
    )


@dataclass(frozen=True, slots=True)
class Scan:
    """What :func:`find_boilerplate` saw: the matches and where the head ends."""

    matches: tuple[BoilerplateMatch, ...]
    #: offset of the first prose line that no rule removed (len(text) if none)
    head_end: int


def scan(text: str, *, rules: Sequence[Rule] | None = None) -> Scan:
    """Find the boilerplate lines and paragraphs of ``text`` (nothing is removed)."""
    rules = load_rules() if rules is None else rules
    matches: list[BoilerplateMatch] = []
    head_end: int | None = None
    for para in _paragraphs(text):
        in_head = head_end is None
        hit = _first_match(rules, text, para, in_head=in_head)
        if hit:
            matches.append(hit)
            continue
        lines = list(_lines(text, para))
        for i, line in enumerate(lines):
            hit = _first_match(rules, text, line, in_head=head_end is None)
            if hit:
                matches.append(hit)
            elif head_end is None and (
                is_prose(text[line[0] : line[1]])
                or (i + 1 < len(lines) and _wraps(text[line[0] : line[1]], text[lines[i + 1][0]]))
            ):
                head_end = line[0]
    return Scan(tuple(matches), len(text) if head_end is None else head_end)


def find_boilerplate(text: str, *, rules: Sequence[Rule] | None = None) -> list[BoilerplateMatch]:
    return list(scan(text, rules=rules).matches)


def remove_matches(text: str, matches: Iterable[BoilerplateMatch]) -> tuple[str, list[Removal]]:
    """``text`` without the matched lines/paragraphs, and the removals (pre-removal offsets).

    Whole lines go, newline included; runs of blank lines left behind collapse to one.
    """
    matches = sorted(matches, key=lambda m: m.start)
    pieces: list[str] = []
    pos = 0
    for m in matches:
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end + 1
        pieces.append(text[pos:line_start])
        pos = max(pos, line_end)
    pieces.append(text[pos:])
    out = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", "".join(pieces)).strip()
    return out, [m.removal() for m in matches]


def remove_boilerplate(
    text: str, *, rules: Sequence[Rule] | None = None
) -> tuple[str, list[Removal]]:
    """Convenience: :func:`scan` then :func:`remove_matches`."""
    return remove_matches(text, scan(text, rules=rules).matches)


def captured(matches: Iterable[BoilerplateMatch]) -> dict[str, str]:
    """Metadata carried by the matches: for each field, the first rule (in file order) wins,
    then the first match in the text."""
    order = {rule.id: i for i, rule in enumerate(load_rules())}
    out: dict[str, str] = {}
    for m in sorted(matches, key=lambda m: (order.get(m.rule.id, len(order)), m.start)):
        for key, value in m.groups.items():
            out.setdefault(key, value)
    return out


# --------------------------------------------------------------------------- helpers


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        yield start, end


def _lines(text: str, span: tuple[int, int]) -> Iterable[tuple[int, int]]:
    for m in re.finditer(r"[^\n]+", text[span[0] : span[1]]):
        start, end = span[0] + m.start(), span[0] + m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def _first_match(
    rules: Sequence[Rule], text: str, span: tuple[int, int], *, in_head: bool
) -> BoilerplateMatch | None:
    chunk = text[span[0] : span[1]]
    flat = chunk.replace("\n", " ")
    for rule in rules:
        m = rule.match(flat, in_head=in_head)
        if m is not None:
            groups = {
                k: " ".join(v.split())
                for k, v in m.groupdict().items()
                if k in META_GROUPS and v and v.strip()
            }
            return BoilerplateMatch(rule, span[0], span[1], chunk, MappingProxyType(groups))
    return None
