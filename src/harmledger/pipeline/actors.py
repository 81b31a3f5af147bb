"""Actors: who did it and to whom, resolved to ACLED-style canonical names.

Every actor phrase becomes a ``Mention(kind="actor", value=ActorValue(...))``. The alias
table is ``resources/actors.json`` (hand-curated entries from ``actors_curated.json`` merged
with UCDP, OFAC and Phoenix aliases by ``scripts/build_actors.py``); it is compiled once per
process into a token trie, so matching costs one dict lookup per word.

Conventions (what the assembler and an evaluator can rely on)

* ``name`` is the canonical name *without* ACLED's year suffixes and without a country in
  brackets: "Islamic State", "Military Forces of Iraq", "Popular Mobilization Forces",
  "Civilians". The ACLED-style name is
  :func:`~harmledger.pipeline.actor_names.acled_name` (``"Civilians (Iraq)"``,
  ``"Military Forces of Iraq Popular Mobilization Forces"``); each entry's ACLED form is its
  ``acled`` field in the resource.
* ``country`` comes from the words ("Iraqi police" -> Iraq, "a Syrian shepherd" -> Syria) or
  from the entry; it is ``None`` for generic actors ("civilians", "gunmen", "government
  forces") and for transnational groups (Islamic State, PKK, the coalition). The assembler
  fills the document's country: ``acled_name(value, country="Iraq")`` gives
  "Civilians (Iraq)", "Military Forces of Iraq", "Unidentified Armed Group (Iraq)".
* Generic state forces whose country is unknown are named "Military Forces", "Police Forces"
  or "Government"; with a country word they become "Military Forces of Turkey" etc.
* ``category`` is ACLED's actor type, plus two of ours: "Unidentified" (unnamed gunmen,
  unattributed warplanes; ACLED codes them as political militias / other forces) and
  "Source" (organisations that report rather than act: Amnesty, HRW, the UN, SOHR, news
  agencies), which the assembler skips as perpetrators and victims.
* The Popular Mobilization Forces are "State Forces" with country Iraq, as ACLED codes them
  (part of the Iraqi military since 2018); their ACLED form is "Military Forces of Iraq
  Popular Mobilization Forces", the seed coder's "Popular Mobilization Forces (Iraq)".
* ``source`` is "lexicon" (the alias table), "defined-in-text" (an acronym the document
  defined: "Popular Mobilization Units (PMUs)"), or "coreference" (a bare "militias" resolved
  to the PMF because the document names the PMF; without that it stays an Unidentified Armed
  Group).
* ``description`` keeps descriptive phrases that identify a perpetrator without naming it:
  "men dressed in military and federal police uniforms" is named after the first force in the
  uniform words (a named group wins: "PMF uniforms"), with the country of any country-specific
  force in them; "gunmen posing as police" stays an Unidentified Armed Group (impostors).
* ``backed_by`` keeps sponsorship: "Iranian-backed PMUs", "Iraqi militias sponsored by Iran".

Matching rules: word boundaries; longest match wins; an alias word written with a capital
must be capitalised in the text; all-capital words (acronyms: "IS", "PMU", "US") match only in
exactly that case (a plural "s" is allowed: "PMUs"), never inside all-capital text; possessives
("Iraq's Shia Popular Mobilization Units") and group-member nouns ("IS militants",
"jihadists of the Islamic State") are part of the span. Where an alias belongs to several
groups ("Jaysh al-Islam" in Syria and Gaza, "Asayish" in Iraq and Syria) the one of the
document's country wins (the country named most often, or the ``country`` hint).
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, ClassVar, Literal

from harmledger import resources
from harmledger.config import Settings
from harmledger.gazetteer import places_data
from harmledger.model import ActorValue, Annotated, Mention
from harmledger.pipeline.actor_names import REBUILD, RESOURCE
from harmledger.pipeline.base import mention_kind

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
#: Arabic article spellings folded onto "al" (not "as", "at", "an": English words).
_ARTICLES = {"ash": "al", "ad": "al", "ar": "al", "az": "al", "ath": "al", "adh": "al", "el": "al"}
_GAP = re.compile(r"[ \t\u00a0\-‐‑–]*")
#: The longest alias we look for, in tokens (longer aliases are ignored by the trie walk).
_MAX_TOKENS = 12
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-]{1,11}?)\s*\)")
#: Letters that match an ASCII letter when case is ignored but do not lower-case to it.
_CASE_FOLDS = ("\u017f", "\u212a", "\u0130", "\u0131")  # ſ, Kelvin K, İ, ı
_SURFACE_CONNECTORS = frozenset({"of", "the", "for", "and", "in", "al", "el", "de", "wa", "wal"})


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
    return tuple(alias_key(m.group())[0] for m in _TOKEN.finditer(text))


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    category: str | None
    country: str | None
    acled: str
    generic: bool
    with_country: str | None
    country_name: str | None
    resolve_to: tuple[str, str | None] | None


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: int
    #: per word: None (any case), True (capitalised), or the exact string (acronyms)
    case: tuple[_Case, ...]
    needs_country: bool = False
    country: str | None = None  # "Iraqis" -> Civilians of Iraq
    short_acronym: bool = False  # exact 1-3 letter word: refused in all-capital text


@dataclass(frozen=True, slots=True)
class _Country:
    name: str
    form: str  # as in ACLED names: "the United States"
    kind: str  # adjective | name | capital
    case: tuple[_Case, ...]


class _Tok:
    """One word. A plain slotted class, not a frozen dataclass: a document has thousands of
    words and a frozen dataclass costs three times as much to build (treat it as read-only)."""

    __slots__ = ("alt", "bare", "end", "key", "poss", "start")

    def __init__(self, span: tuple[int, int], word: tuple[str, str, bool, str | None]) -> None:
        self.start, self.end = span
        # bare: the surface without a possessive 's; alt: the key without a plural "s" for
        # acronyms ("PMUs" -> "pmu"); see _word
        self.bare, self.key, self.poss, self.alt = word


#: How an alias word must be written: None (any case), True (capitalised), or the exact string
_Case = Literal[True] | str | None

_TERMINAL = ""  # trie key holding the aliases that end at a node (no token key is empty)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    entries: tuple[_Entry, ...]
    trie: dict[str, Any]
    countries: dict[str, Any]  # trie of country words -> list[_Country]
    country_forms: dict[str, str]
    modifiers: dict[str, Any]
    determiners: dict[str, Any]
    sect: dict[str, Any]
    members: dict[str, Any]
    backing: frozenset[str]
    by_name: dict[tuple[str, str | None], int]
    org_heads: frozenset[str]
    source_heads: frozenset[str]
    uniform: re.Pattern[str]
    impostor: re.Pattern[str]
    uniform_forces: dict[str, str]
    #: a word every match of ``uniform`` / ``impostor`` contains (lower case): no such word in
    #: the text, no need to run the pattern
    uniform_hints: tuple[str, ...] = ()
    impostor_hints: tuple[str, ...] = ()
    #: acronyms of a group that are also words of a document ("PDF"), and the words of a file
    #: after which they are not the group ("the PDF version")
    document_acronyms: frozenset[str] = frozenset()
    file_words: frozenset[str] = frozenset()


def _case_of(alias: str) -> tuple[_Case, ...]:
    out: list[_Case] = []
    for m in _TOKEN.finditer(alias):
        word = m.group()
        letters = [c for c in word if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and (len(letters) >= 2 or len(word) == 1):
            out.append(word)  # acronym or initial ("U.S."): exact case
        elif word[0].isupper():
            out.append(True)
        else:
            out.append(None)
    return tuple(out)


def _insert(trie: dict[str, Any], keys: Sequence[str], item: Any) -> None:
    node = trie
    for k in keys:
        node = node.setdefault(k, {})
    node.setdefault(_TERMINAL, []).append(item)


def _phrase_trie(phrases: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for p in phrases:
        keys = alias_keys(p)
        if keys:
            _insert(trie, keys, _case_of(p))
    return trie


def _alternation(phrases: Iterable[str]) -> str:
    parts = sorted({re.escape(p).replace(r"\ ", r"\s+") for p in phrases}, key=len, reverse=True)
    return "|".join(parts)


@cache
def load_lexicon() -> _Lexicon:
    """The compiled alias table (built on first use, once per process)."""
    return resources.load(RESOURCE, _compile, fix=REBUILD)


def _gazetteer_spelling() -> dict[str, str]:
    """Country names as the gazetteer spells them, keyed by the other spellings
    ("Democratic Republic of Congo" -> "Democratic Republic of the Congo"), so that an actor's
    country and a place's country compare equal."""
    aliases = places_data()["country_aliases"]
    return {form: name for name, forms in aliases.items() for form in forms}


def _compile(data: dict[str, Any]) -> _Lexicon:
    spelling = _gazetteer_spelling()
    entries: list[_Entry] = []
    trie: dict[str, Any] = {}
    by_name: dict[tuple[str, str | None], int] = {}
    # common nouns ("army", "forces", "police") need no capital even in "Iraqi Army"
    common = {
        k
        for raw in data["actors"]
        if raw.get("generic")
        for a in raw.get("aliases", []) + raw.get("country_aliases", [])
        for k in alias_keys(a)
    } | {k for a in data["member_nouns"] for k in alias_keys(a)}
    for raw in data["actors"]:
        rt = raw.get("resolve_to")
        entry = _Entry(
            name=raw["name"],
            category=raw.get("category"),
            country=spelling.get(raw.get("country"), raw.get("country")),
            acled=raw.get("acled") or raw["name"],
            generic=bool(raw.get("generic")),
            with_country=raw.get("with_country"),
            country_name=raw.get("country_name"),
            resolve_to=(rt[0], rt[1]) if rt else None,
        )
        idx = len(entries)
        entries.append(entry)
        by_name.setdefault((entry.name, entry.country), idx)
        seen: set[tuple[tuple[str, ...], tuple[_Case, ...]]] = set()
        lists = [(a, False) for a in raw.get("aliases", []) + raw.get("acronyms", [])]
        lists += [(a, True) for a in raw.get("country_aliases", [])]
        for alias, needs_country in lists:
            keys = alias_keys(alias)
            case = _case_of(alias)
            if sum(c is True for c in case) > 1 or any(isinstance(c, str) for c in case):
                case = tuple(
                    None if c is True and k in common else c
                    for c, k in zip(case, keys, strict=True)
                )
            if not keys or (keys, case) in seen:
                continue
            seen.add((keys, case))
            short = len(case) == 1 and isinstance(case[0], str) and len(case[0]) <= 3
            _insert(trie, keys, _Alias(idx, case, needs_country, None, short))
            # "al-Hashd al-Shaabi" is also written "Hashd al-Shaabi"
            if len(keys) > 1 and keys[0] == "al":
                _insert(trie, keys[1:], _Alias(idx, case[1:], needs_country, None, False))

    civilians = by_name.get(("Civilians", None))
    countries: dict[str, Any] = {}
    country_forms: dict[str, str] = {}
    for c in data["countries"]:
        name = spelling.get(c["name"], c["name"])
        country_forms[name] = c.get("form") or c["name"]
        for kind, field in (
            ("adjective", "adjectives"),
            ("name", "names"),
            ("capital", "capitals"),
        ):
            for word in c.get(field, []):
                keys = alias_keys(word)
                if keys:
                    _insert(countries, keys, _Country(name, c.get("form"), kind, _case_of(word)))
        if civilians is not None:
            for word in c.get("people", []):
                _insert(trie, alias_keys(word), _Alias(civilians, _case_of(word), False, name))

    furniture = data.get("document_acronyms") or {}
    wearers = _alternation(data["uniform_wearers"])
    nouns = _alternation(data["uniform_nouns"])
    uniform = re.compile(
        rf"\b(?:{wearers})\s+(?:who\s+were\s+)?(?:{_alternation(data['uniform_verbs'])})\s+"
        rf"(?P<what>(?:[\w'’\-]+\s+){{0,6}}?)(?:{nouns})\b",
        re.IGNORECASE,
    )
    impostor = re.compile(
        rf"\b(?:{wearers})\s+(?:who\s+were\s+)?(?:{_alternation(data['impostor_verbs'])})\s+"
        rf"(?P<what>(?:[\w'’\-]+\s+){{0,4}}?[\w'’\-]+)(?=[\s,.;:)]|$)",
        re.IGNORECASE,
    )
    return _Lexicon(
        entries=tuple(entries),
        trie=trie,
        countries=countries,
        country_forms=country_forms,
        modifiers=_phrase_trie(data["modifiers"]),
        determiners=_phrase_trie(data["determiners"]),
        sect=_phrase_trie(data["sect_adjectives"]),
        members=_phrase_trie(data["member_nouns"]),
        backing=frozenset(alias_key(w)[0] for w in data["backing_words"]),
        by_name=by_name,
        org_heads=frozenset(alias_key(w)[0] for w in data["org_heads"]),
        source_heads=frozenset(alias_key(w)[0] for w in data["source_heads"]),
        uniform=uniform,
        impostor=impostor,
        uniform_forces={alias_key(k)[0]: v for k, v in data["uniform_forces"].items()},
        uniform_hints=tuple(sorted({p.split()[0].lower() for p in data["uniform_nouns"]})),
        impostor_hints=tuple(sorted({p.split()[0].lower() for p in data["impostor_verbs"]})),
        document_acronyms=frozenset(furniture.get("acronyms", ())),
        file_words=frozenset(alias_key(w)[0] for w in furniture.get("file_words", ())),
    )


# --------------------------------------------------------------------------- matching helpers


@lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, str, bool, str | None]:
    """``(bare, key, possessive, alt)`` of a word (see :class:`_Tok`), once per distinct word."""
    key, poss = alias_key(word)
    bare = word[:-2] if poss else word
    alt = None
    if len(bare) >= 3 and bare[-1] == "s" and bare[:-1].isupper():
        alt = key[:-1]
    return bare, key, poss, alt


def _tokenize(text: str) -> list[_Tok]:
    word = _word
    return [_Tok(m.span(), word(m.group())) for m in _TOKEN.finditer(text)]


def _case_ok(case: Sequence[_Case], toks: Sequence[_Tok], i: int, plural: bool) -> bool:
    last = len(case) - 1
    for n, req in enumerate(case):
        bare = toks[i + n].bare
        if req is None:
            continue
        if req is True:
            if not (bare[0].isupper() or bare[0].isdigit()):
                return False
        elif bare != req and not (plural and n == last and bare == req + "s"):
            return False
    return True


class _Scanner:
    """Matching state for one text."""

    def __init__(self, text: str, lex: _Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.toks = _tokenize(text)

    # -- small token utilities

    def gap_ok(self, k: int) -> bool:
        """May token ``k`` continue a phrase started before it (no punctuation between)?"""
        a, b = self.toks[k - 1], self.toks[k]
        gap = self.text[a.end : b.start]
        if _GAP.fullmatch(gap):
            return True
        # initials: "U.S. forces"
        return len(a.bare) == 1 and gap in (".", ". ", ".-")

    def all_caps_context(self, i: int, j: int) -> bool:
        """Text in capitals around ``i:j`` ("ISLAMIC STATE KILLS"): a neighbour of four or
        more capitals, or capitals on both sides ("a suspected IS IED" is not)."""
        caps = []
        for k in (i - 1, j):
            if 0 <= k < len(self.toks):
                w = self.toks[k].bare
                if len(w) >= 2 and w.isalpha() and w.isupper():
                    if len(w) >= 4:
                        return True
                    caps.append(w)
        return len(caps) == 2

    def file_word(self, i: int) -> bool:
        """Token ``i`` is a word of a document, not a group: alone in brackets ("the full
        report (PDF)") or before a word of a file ("the PDF version", "a PDF file")."""
        tok = self.toks[i]
        if tok.bare.removesuffix("s") not in self.lex.document_acronyms:
            return False
        if self.text[tok.start - 1 : tok.start] == "(" and self.text[tok.end : tok.end + 1] == ")":
            return True
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        return nxt is not None and self.gap_ok(i + 1) and nxt.key in self.lex.file_words

    def walk(
        self, trie: dict[str, Any], i: int, *, limit: int | None = None
    ) -> list[tuple[int, Any, bool]]:
        """Every (end, payload, plural) for phrases of ``trie`` starting at token ``i``."""
        n = len(self.toks) if limit is None else limit
        if i >= n:
            return []
        first = self.toks[i]  # most words start no phrase: answer before setting up the walk
        if first.key not in trie and (first.alt is None or first.alt not in trie):
            return []
        out: list[tuple[int, Any, bool]] = []
        node = trie
        for k in range(i, min(n, i + _MAX_TOKENS)):
            if k > i and not self.gap_ok(k):
                break
            tok = self.toks[k]
            if tok.alt is not None:
                alt = node.get(tok.alt)
                if alt is not None and _TERMINAL in alt:
                    out.extend((k + 1, p, True) for p in alt[_TERMINAL])
            nxt = node.get(tok.key)
            if nxt is None:
                break
            if _TERMINAL in nxt:
                out.extend((k + 1, p, False) for p in nxt[_TERMINAL])
            node = nxt
        return out

    def phrase_before(self, trie: dict[str, Any], end: int, floor: int) -> int | None:
        """Start token of the longest phrase of ``trie`` that ends just before token ``end``."""
        best = None
        toks = self.toks
        for start in range(max(floor, end - 4), end):
            t = toks[start]  # most words start no phrase (walk's own first test, inlined)
            if t.key not in trie and (t.alt is None or t.alt not in trie):
                continue
            for stop, case, plural in self.walk(trie, start, limit=end):
                if stop == end and _case_ok(case, self.toks, start, plural):
                    if end < len(self.toks) and not self.gap_ok(end):
                        continue
                    if best is None or start < best:
                        best = start
        return best

    def phrase_after(self, trie: dict[str, Any], start: int) -> int | None:
        if start >= len(self.toks) or (start > 0 and not self.gap_ok(start)):
            return None
        best = None
        for stop, case, plural in self.walk(trie, start):
            if _case_ok(case, self.toks, start, plural) and (best is None or stop > best):
                best = stop
        return best

    def country_before(
        self, end: int, floor: int, kinds: tuple[str, ...]
    ) -> tuple[int, _Country] | None:
        countries, toks = self.lex.countries, self.toks
        for start in range(max(floor, end - 4), end):
            t = toks[start]  # most words are no country's (walk's own first test, inlined)
            if t.key not in countries and (t.alt is None or t.alt not in countries):
                continue
            for stop, c, plural in self.walk(countries, start, limit=end):
                if (
                    stop != end
                    or c.kind not in kinds
                    or not _case_ok(c.case, self.toks, start, plural)
                ):
                    continue
                if (
                    isinstance(c.case[-1], str)
                    and len(c.case[-1]) <= 3
                    and self.all_caps_context(start, stop)
                ):
                    continue
                if end < len(self.toks) and not self.gap_ok(end):
                    continue
                return start, c
        return None

    def country_at(self, start: int) -> tuple[int, _Country] | None:
        """The longest country word at ``start``; of a word that is both an adjective and a
        name ("Myanmar military", "forces of Myanmar") the name."""
        best: tuple[int, _Country] | None = None
        for stop, c, plural in self.walk(self.lex.countries, start):
            longer = best is None or stop > best[0]
            named = best is not None and stop == best[0] and c.kind == "name" != best[1].kind
            if _case_ok(c.case, self.toks, start, plural) and (longer or named):
                if (
                    isinstance(c.case[-1], str)
                    and len(c.case[-1]) <= 3
                    and self.all_caps_context(start, stop)
                ):
                    continue
                best = (stop, c)
        return best

    def document_country(self) -> str | None:
        counts: Counter[str] = Counter()
        countries = self.lex.countries
        for i in [k for k, t in enumerate(self.toks) if t.key in countries]:
            hit = self.country_at(i)
            if hit:
                counts[hit[1].name] += 1
        return counts.most_common(1)[0][0] if counts else None


@dataclass(slots=True)
class _Match:
    i: int  # first token
    j: int  # one past the last token
    entry: int
    alias: _Alias
    country: str | None = None
    backed_by: str | None = None
    description: str | None = None
    source: str = "lexicon"
    value: ActorValue | None = None  # set for defined-in-text and description actors


# --------------------------------------------------------------------------- public API


def find_actors(text: str, *, country: str | None = None) -> list[tuple[int, int, ActorValue]]:
    """Actor phrases of ``text`` as ``(start, end, ActorValue)``, in text order, not overlapping.

    ``country`` is the document's country when the caller knows it; otherwise the country
    named most often in the text is used to choose between groups that share a name.
    """
    lex = load_lexicon()
    sc = _Scanner(text, lex)
    if not sc.toks:
        return []
    doc_country = country or sc.document_country()
    matches = _scan(sc, doc_country)
    matches = _defined_acronyms(sc, matches)
    found = {lex.entries[m.entry].name for m in matches if m.value is None}
    out: list[tuple[int, int, ActorValue]] = []
    for m in matches:
        start, end = sc.toks[m.i].start, sc.toks[m.j - 1].end
        out.append((start, end, m.value or _value(lex, m, found)))
    return _descriptions(sc, out)


class ActorTagger:
    """Adds ``actor`` mentions (see the module docstring for the conventions)."""

    name: ClassVar[str] = "actors.v5"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("actor"),)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        mentions = [
            Mention("actor", s, e, text[s:e], v, self.name) for s, e, v in find_actors(text)
        ]
        return doc.add(mentions, stage=self.name)


# --------------------------------------------------------------------------- the scan


def _pick(lex: _Lexicon, aliases: list[_Alias], doc_country: str | None) -> _Alias:
    if len(aliases) > 1 and doc_country:
        for a in aliases:
            if lex.entries[a.entry].country == doc_country:
                return a
    return aliases[0]


def _scan(sc: _Scanner, doc_country: str | None) -> list[_Match]:
    lex, toks = sc.lex, sc.toks
    out: list[_Match] = []
    floor = 0  # left extensions may not reach before this token
    trie = lex.trie
    # the tokens that may start an alias, found in one pass (most words start none)
    starts = [
        k for k, t in enumerate(toks) if t.key in trie or (t.alt is not None and t.alt in trie)
    ]
    after = 0  # the next token not inside the last match
    for i in starts:
        if i < after:
            continue
        best: tuple[int, list[_Alias]] | None = None
        for stop, alias, plural in sc.walk(lex.trie, i):
            if not _case_ok(alias.case, toks, i, plural):
                continue
            if alias.short_acronym and sc.all_caps_context(i, stop):
                continue
            if stop == i + 1 and sc.file_word(i):
                continue
            if best is None or stop > best[0]:
                best = (stop, [alias])
            elif stop == best[0]:
                best[1].append(alias)
        if best is None:
            continue
        alias = _pick(lex, best[1], doc_country)
        found = _extend(
            sc, _Match(i, best[0], alias.entry, alias, country=alias.country), floor, out
        )
        if found is None:
            continue
        other = _coordinated_country(sc, found, floor)
        if other is not None:
            out.append(other)
        out.append(found)
        floor = after = found.j
    return out


#: Kinds of state forces a country's force named with another's is of ("Iraqi and US forces").
_FORCE_KINDS = ("Military Forces", "Police Forces")


def _coordinated_country(sc: _Scanner, m: _Match, floor: int) -> _Match | None:
    """ "Russian and Ukrainian military forces": the force of the first country too, as an
    actor of its own on the first country's word (generic forces only)."""
    lex, toks = sc.lex, sc.toks
    entry = lex.entries[m.entry]
    country = m.country or (entry.country if entry.category == "State Forces" else None)
    if country is None:
        return None
    target = m.entry
    if not entry.generic:
        # "Iraqi and US forces": the first country's forces of the same kind
        kind = next((k for k in _FORCE_KINDS if entry.name.startswith(k)), None)
        if kind is None or (kind, None) not in lex.by_name:
            return None
        target = lex.by_name[(kind, None)]
    k = m.i
    if (
        k - 2 < floor
        or toks[k - 1].key not in ("and", "or")
        or not (sc.gap_ok(k) and sc.gap_ok(k - 1))
    ):
        return None
    hit = sc.country_before(k - 1, floor, ("adjective",))
    if hit is None or hit[1].name == country:
        return None
    return _Match(hit[0], k - 1, target, m.alias, country=hit[1].name)


def _extend(sc: _Scanner, m: _Match, floor: int, out: list[_Match]) -> _Match | None:
    """Grow a match over its qualifiers: country words, backing, modifiers, member nouns."""
    lex, toks = sc.lex, sc.toks
    entry = lex.entries[m.entry]
    generic = entry.generic
    # right: "IS militants", "sponsored by Iran"
    if not generic and entry.category != "Source":
        stop = sc.phrase_after(lex.members, m.j)
        if stop is not None:
            m.j = stop
    _backing_after(sc, m)
    if generic and m.country is None:
        _country_after(sc, m)
    # left: "jihadists of the Islamic State", "members of the PMF"
    if not generic and entry.category != "Source":
        k = m.i
        if k - 1 >= floor and toks[k - 1].key == "the" and sc.gap_ok(k):
            k -= 1
        if k - 1 >= floor and toks[k - 1].key == "of" and sc.gap_ok(k):
            start = sc.phrase_before(lex.members, k - 1, 0)
            if start is not None:
                if out and out[-1].j > start:
                    if lex.entries[out[-1].entry].generic and out[-1].i >= start:
                        out.pop()
                    else:
                        start = None
                if start is not None:
                    m.i = start
                    floor = min(floor, start)
    # left qualifiers, nearest first
    while m.i > floor:
        k = m.i
        if k < len(toks) and not sc.gap_ok(k):
            break
        # "Iranian-backed", "Iran-backed", "US-backed"
        if toks[k - 1].key in lex.backing and k - 1 > floor and sc.gap_ok(k - 1):
            hit = sc.country_before(k - 1, floor, ("adjective", "name", "capital"))
            if hit is not None:
                m.backed_by = m.backed_by or hit[1].name
                m.i = hit[0]
                continue
        # "Iraq's"
        if toks[k - 1].poss:
            hit = sc.country_before(k, floor, ("name", "capital"))
            if hit is not None:
                m.country = m.country or hit[1].name
                m.i = hit[0]
                continue
        # "Iraqi", "Baghdad" (as in "the Baghdad government")
        hit = sc.country_before(k, floor, ("adjective", "capital"))
        if hit is not None:
            m.country = m.country or hit[1].name
            m.i = hit[0]
            continue
        start = sc.phrase_before(lex.modifiers if generic else lex.sect, k, floor)
        if start is not None:
            m.i = start
            continue
        break
    if m.backed_by is None:  # backing inside the alias: "Turkish-backed factions"
        for k in range(m.i + 1, m.j):
            if toks[k].key in lex.backing:
                hit = sc.country_before(k, m.i, ("adjective", "name", "capital"))
                if hit is not None:
                    m.backed_by = hit[1].name
                    break
    if generic:
        start = sc.phrase_before(lex.determiners, m.i, floor)
        if start is not None:
            m.i = start
    if m.alias.needs_country and m.country is None:
        return None
    return m


def _country_after(sc: _Scanner, m: _Match) -> None:
    """ "the Military Forces of Turkey", "police forces of Iraq": the country named after."""
    toks = sc.toks
    k = m.j
    if k + 1 >= len(toks) or toks[k].key != "of" or not (sc.gap_ok(k) and sc.gap_ok(k + 1)):
        return
    c = k + 1
    if toks[c].key == "the" and c + 1 < len(toks):
        c += 1
    hit = sc.country_at(c)
    if hit is not None and hit[1].kind == "name":
        m.country = hit[1].name
        m.j = hit[0]


def _backing_after(sc: _Scanner, m: _Match) -> None:
    """ "militias sponsored by Iran", "backed by the United States"."""
    toks = sc.toks
    k = m.j
    if k + 1 < len(toks) and toks[k].key in sc.lex.backing and toks[k + 1].key == "by":
        if not (sc.gap_ok(k) and sc.gap_ok(k + 1)):
            return
        c = k + 2
        if c < len(toks) and toks[c].key == "the":
            c += 1
        if c < len(toks):
            hit = sc.country_at(c)
            if hit is not None:
                m.backed_by = m.backed_by or hit[1].name
                m.j = hit[0]


def _value(lex: _Lexicon, m: _Match, found: set[str]) -> ActorValue:
    entry = lex.entries[m.entry]
    # a named group keeps its own country; a generic one takes the country words around it
    country = (entry.country or m.country) if not entry.generic else m.country
    source = m.source
    if entry.generic and m.country and entry.with_country:
        target = lex.by_name.get((entry.with_country, None))
        if target is not None:
            entry = lex.entries[target]
    if entry.resolve_to is not None and entry.resolve_to[0] in found:
        rname, rcountry = entry.resolve_to
        if country in (None, rcountry):
            idx = lex.by_name.get((rname, rcountry))
            if idx is not None:
                entry, country, source = lex.entries[idx], rcountry, "coreference"
    name = entry.name
    if entry.generic and country and entry.country_name:
        name = entry.country_name.format(country=lex.country_forms.get(country, country))
    return ActorValue(
        name=name,
        category=entry.category,
        country=country,
        description=m.description,
        backed_by=m.backed_by,
        source=source,
    )


# --------------------------------------------------------------------------- defined acronyms


def _defined_acronyms(sc: _Scanner, matches: list[_Match]) -> list[_Match]:
    """ "Popular Mobilization Units (PMUs)": later "PMUs" resolve to the same actor."""
    text, toks, lex = sc.text, sc.toks, sc.lex
    if "(" not in text:
        return matches
    starts = {t.start: k for k, t in enumerate(toks)}
    ends = {t.end: k for k, t in enumerate(toks)}
    by_end = {m.j: m for m in matches}
    defined: list[tuple[str, int, _Match]] = []  # acronym, token where uses may start, actor
    for d in _ACRONYM_DEF.finditer(text):
        acr = d.group(1)
        if acr.endswith("s") and acr[:-1].isupper():
            acr = acr[:-1]
        if sum(c.isupper() for c in acr) < 2 or not acr.replace("-", "").isalnum():
            continue
        last = ends.get(_end_before_space(text, d.start()))
        first = starts.get(d.start(1))
        if last is None or first is None:
            continue
        target = by_end.get(last + 1)
        if target is None:
            target = _new_named_actor(sc, last)
            if target is None:
                continue
            matches.append(target)
        defined.append((acr, first, target))
    if not defined:
        return sorted(matches, key=lambda m: m.i)
    covered: dict[int, _Match] = {}
    for m in matches:
        for k in range(m.i, m.j):
            covered[k] = m
    result = {id(m): m for m in matches}
    # where each defined acronym is written ("PMU" or "PMUs"), so that a definition looks
    # only at its uses; a later definition of an acronym would only reach uses an earlier
    # one took (a use taken stays taken), so the first definition of each is the one read
    wanted = {a for acr, _, _ in defined for a in (acr, acr + "s")}
    uses: dict[str, list[int]] = {}
    for k, tok in enumerate(toks):
        if tok.bare in wanted:
            uses.setdefault(tok.bare, []).append(k)
    read: set[str] = set()
    for acr, first, target in defined:
        if acr in read:
            continue
        read.add(acr)
        value = target.value or _value(lex, target, set())
        value = replace(value, source="defined-in-text", backed_by=None, description=None)
        for k in heapq.merge(uses.get(acr, ()), uses.get(acr + "s", ())):
            if k < first:
                continue
            old = covered.get(k)
            if old is not None:
                if old.j - old.i > 1 or old.value is not None:
                    continue
                result.pop(id(old), None)
            new = _Match(
                k, k + 1, target.entry, target.alias, source="defined-in-text", value=value
            )
            stop = sc.phrase_after(lex.members, k + 1)  # "SAD fighters"
            if stop is not None:
                absorbed = {id(covered[x]) for x in range(k + 1, stop) if x in covered}
                if all(
                    result.get(a) is not None
                    and lex.entries[result[a].entry].generic
                    and result[a].j <= stop
                    for a in absorbed
                ):
                    for a in absorbed:
                        result.pop(a, None)
                    new.j = stop
            result[id(new)] = new
            for x in range(new.i, new.j):
                covered[x] = new
    return sorted(result.values(), key=lambda m: m.i)


def _end_before_space(text: str, i: int) -> int:
    """``len(text[:i].rstrip())`` without copying the text before ``i``."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


def _new_named_actor(sc: _Scanner, last: int) -> _Match | None:
    """A capitalised name before "(ACRONYM)" that is not in the lexicon: "Saraya Awliya (SA)"."""
    toks, lex = sc.toks, sc.lex
    k = last
    while k >= 0 and last - k < 10:
        word = toks[k].bare
        if not (word[0].isupper() or word[0].isdigit() or toks[k].key in _SURFACE_CONNECTORS):
            break
        if k < last and not sc.gap_ok(k + 1):
            break
        k -= 1
    first = k + 1
    while first <= last and toks[first].key in _SURFACE_CONNECTORS:
        first += 1
    if last - first < 1:
        return None
    keys = {t.key for t in toks[first : last + 1]}
    if not keys & lex.org_heads:
        return None
    name = sc.text[toks[first].start : toks[last].end]
    category = "Source" if keys & lex.source_heads else None
    value = ActorValue(name=name, category=category, source="defined-in-text")
    return _Match(first, last + 1, -1, _Alias(-1, ()), source="defined-in-text", value=value)


# --------------------------------------------------------------------------- descriptions


def _descriptions(
    sc: _Scanner, found: list[tuple[int, int, ActorValue]]
) -> list[tuple[int, int, ActorValue]]:
    """ "men dressed in military and federal police uniforms" -> one described actor."""
    lex, text = sc.lex, sc.text
    if not found:
        return found
    low = text.lower()
    if (
        "uniform" not in low
        and "fatigues" not in low
        and " as " not in low
        and "impersonat" not in low
    ):
        return found
    # the patterns ignore case: a few non-ASCII letters match ASCII ones ("ſ" is "s"), and
    # then the substring test on the lower-cased text would not be enough
    exotic = any(c in text for c in _CASE_FOLDS)
    spans: list[tuple[int, int, ActorValue]] = []
    if exotic or any(h in low for h in lex.uniform_hints):
        for m in lex.uniform.finditer(text):
            spans.append((m.start(), m.end(), _uniform_actor(sc, found, m)))
    impostors = (
        lex.impostor.finditer(text) if exotic or any(h in low for h in lex.impostor_hints) else ()
    )
    for m in impostors:
        if any(s <= m.start() < e for s, e, _ in spans):
            continue
        # the force they pretend to be: an actor that starts in the first words after "as"
        ws = m.start("what")
        posed = [
            (s, e, v)
            for s, e, v in found
            if ws <= s < m.end("what") and v.category == "State Forces"
        ]
        if not posed:
            continue  # "men posing as journalists" names no force: leave it alone
        end = max(m.end(), posed[0][1])
        uag = lex.entries[lex.by_name[("Unidentified Armed Group", None)]]
        value = ActorValue(uag.name, uag.category, None, text[m.start() : end], None, "lexicon")
        spans.append((m.start(), end, value))
    if not spans:
        return found
    kept = [f for f in found if not any(f[0] < e and s < f[1] for s, e, _ in spans)]
    return sorted(kept + spans, key=lambda f: (f[0], f[1]))


def _uniform_actor(
    sc: _Scanner, found: list[tuple[int, int, ActorValue]], m: re.Match[str]
) -> ActorValue:
    lex = sc.lex
    description = m.group()
    uag = lex.entries[lex.by_name[("Unidentified Armed Group", None)]]
    ws, we = m.start("what"), m.end("what")
    inside = [v for s, e, v in found if ws <= s and e <= we]
    country = next((v.country for v in inside if v.country), None)
    named = [
        v
        for v in inside
        if lex.by_name.get((v.name, v.country)) is not None
        and not lex.entries[lex.by_name[(v.name, v.country)]].generic
        and not v.name.startswith(("Military Forces of", "Police Forces of", "Government of"))
    ]
    if named:
        return replace(named[0], description=description, source="lexicon")
    # the first force word in the uniform phrase
    first: tuple[int, str] | None = None
    for v in inside:
        for prefix in ("Military Forces", "Police Forces"):
            if v.name.startswith(prefix):
                pos = next(s for s, e, x in found if x is v)
                if first is None or pos < first[0]:
                    first = (pos, prefix)
    for word in re.finditer(r"[\w']+", m.group("what")):
        force = lex.uniform_forces.get(alias_key(word.group())[0])
        if force and (first is None or ws + word.start() < first[0]):
            first = (ws + word.start(), force)
    if first is None:
        return ActorValue(uag.name, uag.category, None, description, None, "lexicon")
    entry = lex.entries[lex.by_name[(first[1], None)]]
    name = entry.name
    if country and entry.country_name:
        name = entry.country_name.format(country=lex.country_forms.get(country, country))
    return ActorValue(name, entry.category, country, description, None, "lexicon")
