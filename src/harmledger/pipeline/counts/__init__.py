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
:meth:`_Sentence._excluded`). A role (one of ``model.COUNT_ROLES``) is then bound from the
role words of the same clause, strongest evidence first (see :meth:`_Sentence._role`).

The word lists (number words, qualifiers, vague quantities and the ranges they stand for,
person nouns, role words, units) live in ``resources/numbers.json``, read by
:mod:`.tables`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from harmledger.config import Settings
from harmledger.model import Annotated, CountValue, Mention, Span
from harmledger.pipeline.counts.tables import JOINT, UNCERTAIN, Phrases, Tables, tables
from harmledger.pipeline.counts.tokens import NUM, PUNCT, TOKEN, WORD
from harmledger.pipeline.segment import split_sentences

__all__ = [
    "COMMA_COST",
    "GLUE_AFTER",
    "GLUE_BEFORE",
    "JOINT",
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

# --------------------------------------------------------------------------- thresholds

#: Modifiers allowed between a number and its person noun: "1,566 Shia cadets",
#: "three unarmed young men". English rarely stacks more; a larger window would let
#: "three shells hit the civilians" count civilians.
NP_WINDOW = 3
#: Glue words ("were", "reportedly", "still") allowed between a count and a role word
#: after it: "17 of his relatives are still missing", "believed to have been killed".
GLUE_AFTER = 5
#: Glue words allowed between a role word and a count after it: "the toll rose to 12".
GLUE_BEFORE = 3
#: Words after a count in which to look for its predicate ("were executed"): long enough
#: for a relative clause ("12 men and four boys who fled the town of al-Sijir, just north
#: of Fallujah, and were executed"), short enough to stay in one sentence's main clause.
PREDICATE_WINDOW = 25
#: Last resort: the nearest role word this many words away in the same clause.
NEAR_WINDOW = 6
#: "the death toll from Friday's bombing rose to 12": a toll word carries a bare number
#: this many words later.
TOLL_WINDOW = 8
#: ... and this many when a rise verb comes just before it ("has risen to 14").
TOLL_RISE_WINDOW = 30
#: A comma between a count and a role word counts as this many words of distance.
COMMA_COST = 2

# --------------------------------------------------------------------------- regexes

#: A word of a name: capitalised, or after a prefix ("al-Masri", "bin-Laden").
_NAME_WORD = re.compile(r"^[A-Z]|-[A-Z]")

_DIGITS_OK = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_HAS_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"[^\W\d_]+")

# --------------------------------------------------------------------------- parse state


@dataclass(slots=True)
class _Qty:
    """A quantity before qualifiers: [lo, hi] with flags, over tokens [start, end)."""

    lo: int | None
    hi: int | None
    start: int
    end: int
    kind: str  # "num" (digits/words), "fixed", "vague", "zero", "article"
    approx: bool = False
    scaled: int = 1  # the scale word it carried ("4.2 million": 1_000_000)
    person: bool = False  # the quantity is itself a person ("nobody", "no one")


@dataclass(slots=True)
class _Noun:
    """The noun phrase after a quantity."""

    end: int  # token index after the phrase (== quantity end when there is no noun)
    noun: int | None = None  # token index of the person noun
    pronoun: bool = False  # "five of them"
    inner_roles: list[str] = field(default_factory=list)  # "12 wounded civilians"
    thing: bool = False  # no person noun, but a noun phrase of something else ("many buffalo")


@dataclass(slots=True)
class _Cand:
    """A count found in a sentence, before its role is bound."""

    start: int  # first token (qualifiers included)
    end: int  # token after the last one (noun, composite and sub-counts included)
    lo: int | None
    hi: int | None
    kind: str
    approx: bool = False
    vague: bool = False
    noun: str | None = None
    noun_low: str | None = None
    pronoun: bool = False
    children: int | None = None
    women: int | None = None
    inner_roles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Role:
    start: int
    end: int
    role: str
    toll: bool


class _Sentence:
    """The grammar applied to one sentence ``text[start:end]``."""

    def __init__(self, text: str, start: int, end: int, t: Tables) -> None:
        self.text = text
        self.t = t
        ms = list(TOKEN.finditer(text, start, end))
        self.st: Sequence[int] = [m.start() for m in ms]
        self.en: Sequence[int] = [m.end() for m in ms]
        raw = tuple([m.group() for m in ms])
        self.raw: Sequence[str] = raw
        # group 1 -> NUM (0), 2 -> WORD (1), 3 -> PUNCT (2)
        self.kind: Sequence[int] = [m.lastindex - 1 for m in ms]  # type: ignore[operator]
        self.low = [r.lower() for r in raw]
        self.n = len(raw)

    # ------------------------------------------------------------------ helpers

    def _w(self, k: int) -> str:
        """Lower-case token k, or "" past either end."""
        return self.low[k] if 0 <= k < self.n else ""

    def _match(self, index: Phrases, k: int) -> tuple[int, Any] | None:
        """Longest phrase of ``index`` starting at token k: (end token, value)."""
        n = self.n
        entries = index.get(self.low[k] if 0 <= k < n else "")  # self._w(k), inlined: hot
        if not entries:
            return None
        low = self.low
        for words, value in entries:
            end = k + len(words)
            if end <= n and tuple(low[k:end]) == words:
                return end, value
        return None

    def _adjacent(self, a: int, b: int) -> bool:
        """Tokens a and b touch (no space between)."""
        return 0 <= a < self.n and 0 <= b < self.n and self.en[a] == self.st[b]

    def _is_person(self, k: int) -> bool:
        if k >= self.n or self.kind[k] != WORD:
            return False
        w = self.low[k]
        if w in self.t.person_nouns:
            return True
        r = self.raw[k]
        # a capitalised plural demonym ("Syrians", "Chadians"), not an all-caps word
        return (
            len(w) > 4
            and r[0].isupper()
            and not r.isupper()
            and w.endswith(self.t.demonym_suffixes)
        )

    def _all_is_count(self, k: int, end: int) -> bool:
        """ "all" counts only the objects of harm ("killing all those on board"); "they were
        all killed" and "all 12 passengers" leave the counting to other words."""
        if self._w(k - 1) not in self.t.role_tokens:
            return False
        return not (end < self.n and (self.kind[end] == NUM or self._words(end) is not None))

    def _one_person(self, k: int | None) -> bool:
        """Token k is a singular person noun that names one person ("the driver", not
        "the family", "the bodies", "the staff")."""
        if k is None:
            return False
        w = self.low[k]
        t = self.t
        return (
            self._singular(w)
            and w not in t.collective_nouns
            and w not in t.role_nouns
            and w not in t.casualty_nouns
        )

    def _harmed_pronoun(self, c: _Cand, roles: Sequence[_Role]) -> bool:
        """ "killing him", "leaving him dead": a pronoun right next to a role word in a
        form that says the harm was done (not "threatened to kill him")."""
        for r in roles:
            if r.end == c.start or r.start == c.end:
                last = self.low[r.end - 1]
                if last.endswith(("ed", "ing")) or last in ("dead", "slain", "shot", "hurt"):
                    return True
        return False

    def _acronym(self, k: int) -> bool:
        """An all-capitals name ("IS", "PMF", "YBS") inside a noun phrase."""
        r = self.raw[k] if 0 <= k < self.n else ""
        return len(r) >= 2 and r.isalpha() and r.isupper()

    def _names_people(self, k: int) -> bool:
        """A plural word that only names the unit of the person noun right after it:
        "1 military forces member", "2 Hizbollah Brigades members" (not "3 shells hit")."""
        w, r = self.low[k], self.raw[k]
        if w not in self.t.plural_modifiers and not (r[0].isupper() and not r.isupper()):
            return False
        return self._is_person(k + 1) or self._acronym(k + 1)

    def _singular(self, w: str) -> bool:
        return not self._looks_plural(w) and not w.endswith(
            ("men", "people", "children", "police", "staff", "personnel", "troops")
        )

    @staticmethod
    def _looks_plural(w: str) -> bool:
        """A plural noun ("shells", "houses"); adjectives in -ous/-ss/-us/-is are not."""
        return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))

    # ------------------------------------------------------------------ quantities

    def _digits(self, k: int) -> _Qty | int | None:
        """Digits with an optional scale word. An int result means "skip to here"."""
        raw = self.raw[k]
        if not _DIGITS_OK.fullmatch(raw) or (raw[0] == "0" and len(raw) > 1 and raw[1] != "."):
            return k + 1
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex guarantees a number
            return k + 1
        end = k + 1
        scale = self.t.scales.get(self._w(end), 1)
        if scale > 1:
            end += 1
        value *= scale
        if value != value.to_integral_value():  # "2.5 people": not a count
            return end
        return _Qty(int(value), int(value), k, end, "num", scaled=scale)

    def _words(self, k: int) -> _Qty | None:
        """English number words: "Seventy-three", "two hundred and fifty", "a dozen"."""
        t = self.t
        total = current = 0
        last: str | None = None  # what the previous word was
        end = k
        approx = False
        scaled = 1
        j = k
        while j < self.n and self.kind[j] == WORD:
            w = self.low[j]
            if w in ("a", "an"):
                # "a hundred", "a thousand", "a dozen": only as the first word
                if last is not None or self._w(j + 1) not in t.scales | t.multipliers.keys():
                    break
                last = "article"
                j += 1
                continue
            if w == "and":
                # "two hundred and fifty": only after a scale, before a unit or tens word
                nxt = self._w(j + 1).split("-", 1)[0]
                if last not in ("hundred", "scale") or not (nxt in t.units or nxt in t.tens):
                    break
                last = "and"
                j += 1
                continue
            if w in t.multipliers:
                # "a dozen", "two dozen": a round figure, so approximate
                if last not in ("article", "unit", "teen", "tens"):
                    break
                total = (total + (current or 1)) * t.multipliers[w]
                current = 0
                approx = True
                last = "multiplier"
                end = j + 1
                break  # "a score of people": the noun phrase reads "of"
            parts = w.split("-") if "-" in w else [w]
            state = (total, current, last)
            ok = True
            for p in parts:
                if p in t.units:
                    v = t.units[p]
                    if last in ("unit", "teen") or (last == "tens" and not 0 < v < 10):
                        ok = False
                        break
                    current += v
                    last = "teen" if v >= 10 else "unit"
                elif p in t.tens:
                    if last in ("unit", "teen", "tens"):
                        ok = False
                        break
                    current += t.tens[p]
                    last = "tens"
                elif p == "hundred":
                    if last not in ("unit", "teen", "tens", "article"):
                        ok = False
                        break
                    current = (current or 1) * 100
                    last = "hundred"
                    scaled = max(scaled, 100)
                elif p in t.scales:
                    if last not in ("unit", "teen", "tens", "hundred", "article"):
                        ok = False
                        break
                    total += (current or 1) * t.scales[p]
                    current = 0
                    last = "scale"
                    scaled = t.scales[p]
                else:
                    ok = False
                    break
            if not ok:
                total, current, last = state
                break
            j += 1
            end = j
        if end == k or last in (None, "article", "and"):
            return None
        value = total + current
        return _Qty(value, value, k, end, "num", approx=approx, scaled=scaled)

    def _quantity(self, k: int) -> _Qty | int | None:
        """The quantity starting at token k, an int ("skip to here") or None."""
        t = self.t
        if k >= self.n:
            return None
        if self.kind[k] == NUM:
            return self._digits(k)
        if self.kind[k] != WORD:
            return None
        # "several hundred", "a few dozen": a vague factor times a scale: vague, min only
        m = self._match(t.vague_factors, k)
        if m:
            end, factor = m
            w = self._w(end)
            mult = t.scales.get(w) or t.multipliers.get(w)
            if mult:
                return _Qty(factor * mult, None, k, end + 1, "vague")
        m = self._match(t.zero, k)
        if m:
            end = m[0]
            words = " ".join(self.low[k:end])
            return _Qty(0, 0, k, end, "zero", person=words in t.zero_persons)
        m = self._match(t.fixed, k)
        if m:
            end, (value, approx) = m
            return _Qty(value, value, k, end, "fixed", approx=approx)
        m = self._match(t.vague, k)
        if m and self.low[k] == "all" and not self._all_is_count(k, m[0]):
            m = None
        if m:
            end, (lo, hi) = m
            # "tens of thousands", "hundreds of thousands": multiply the lower bound
            if self._w(end) == "of" and self._w(end + 1) in ("hundreds", "thousands", "millions"):
                scale = t.scales[self._w(end + 1)[:-1]]
                lo = lo * scale if lo is not None else None
                end += 2
            return _Qty(lo, hi, k, end, "vague")
        q = self._words(k)
        if q is not None:
            return q
        if self.low[k] in ("a", "an"):
            return _Qty(1, 1, k, k + 1, "article")
        if self.low[k] in t.definites:  # "the driver", "his son": one person, if singular
            return _Qty(1, 1, k, k + 1, "definite")
        if self.low[k] in t.object_pronouns and t.role_tokens & {self._w(k - 1), self._w(k + 1)}:
            return _Qty(1, 1, k, k + 1, "pronoun")  # "killing him", "left him dead"
        return None

    # ------------------------------------------------------------------ noun phrase

    def _noun_phrase(self, j: int) -> _Noun | None:
        """The person noun after token j. None: the number counts something else."""
        t = self.t
        k = j
        if self._w(k) == "of":
            k += 1
            if self._w(k) in t.pronouns:
                return _Noun(end=k + 1, pronoun=True)
            if self._w(k) in t.determiners:
                k += 1
        inner: list[str] = []
        mods = 0
        thing = False
        while k < self.n and mods <= NP_WINDOW:
            if self.kind[k] == NUM and self._w(k + 1) == "-" and self._adjacent(k, k + 1):
                k += 3  # "two 17-year-old boys": an age inside the noun phrase
                mods += 1
                continue
            if self.kind[k] != WORD:
                break
            w = self.low[k]
            if self._is_person(k):
                noun = k
                # "family members", "dead civilians": take the second noun, and the
                # role of the first; but not "cadets dead" (a role noun after the noun)
                if w in t.attributive_nouns and self._is_person(k + 1):
                    if w in t.role_nouns:
                        inner.append(t.role_nouns[w])
                    noun = k + 1
                end = noun + 1
                # "five members of one family", "men of the same tribe"
                if self._w(end) == "of":
                    m = end + 1
                    while m < self.n and m - end <= 3 and self.low[m] in t.np_of_fillers:
                        m += 1
                    if self._w(m) in t.np_of_tails:
                        end = m + 1
                return _Noun(end=end, noun=noun, inner_roles=inner)
            if w in t.unit_words and k == j:
                return None  # "10 km", "3 pm", "5 percent"
            if self._acronym(k):
                mods += 1  # "4 IS militants", "an PMF fighter": a name, not the verb "is"
                k += 1
                continue
            if w in t.np_breakers:
                break
            role = self._match(t.roles, k)
            if role and role[0] == k + 1:
                inner.append(role[1])  # "12 wounded civilians", "three missing children"
            elif (self._looks_plural(w) or w in t.unit_words) and not self._names_people(k):
                return None  # "three shells", "two houses", "17 airstrikes"
            if not role and w not in t.glue_after and w != "more":
                thing = True
            mods += 1
            k += 1
        return _Noun(end=j, thing=thing)

    # ------------------------------------------------------------------ exclusions

    def _excluded(self, q: _Qty, start: int, end: int, noun: _Noun | None) -> bool:
        """Numbers that are not counts of people: ages, dates, times, money, names."""
        t = self.t
        prev = self._w(start - 1)
        prev2 = self._w(start - 2)
        # ages: "aged 30", "ages 15 to 65", "at the age of 12"
        if prev in t.age_before or (prev == "of" and prev2 in t.age_before):
            return True
        # "a boy of about 15", "children under 15"
        if (
            prev in t.age_after_person_noun
            and self._is_person(start - 2)
            and prev2 not in t.role_nouns  # "the bodies of 12 men"
            and prev2 not in t.casualty_nouns
            # "of" makes an age only after one person: not "members of 5 families"
            and (prev != "of" or self._singular(prev2))
        ):
            return True
        if q.kind != "num":
            return False
        k = q.start
        if self.kind[k] != NUM:
            return False
        text = self.text
        after = self.en[k]
        # digits glued to letters: "3rd", "30s", "10km", "5pm"
        if after < len(text) and text[after].isalpha():
            return True
        before = self.st[k]
        # "COVID-19", "F-16", "MH-17"; "30/05/2016", "3:30", "1.2.3"
        if before >= 2 and text[before - 1] in "-/:." and text[before - 2].isalnum():
            return True
        if after + 1 < len(text) and text[after] in "/:" and text[after + 1].isdigit():
            return True
        # money: "$5 million", "US$ 3"
        if prev in t.money_before or self.raw[start - 1 : start] == ("$",):
            return True
        # an age in apposition: "Ahmad al-Masri, 17, was shot dead"
        if (
            start == k
            and end == k + 1
            and prev == ","
            and self._w(end) == ","
            and start >= 2
            and self.kind[start - 2] == WORD
            and _NAME_WORD.search(self.raw[start - 2]) is not None
        ):
            return True
        # a unit after the whole expression: "5 percent", "5%", "10 km"
        if self._w(end) in t.unit_words and noun is not None and noun.noun is None:
            return True
        # dates: "May 30", "30 May 2016", "May 30, 2016"
        if (prev in t.months and self.raw[start - 1][:1].isupper()) or (
            self._w(k + 1) in t.months and self.raw[k + 1][:1].isupper()
        ):
            return True
        raw = self.raw[k]
        # years: "in 2014", "June, 2016"; "2000 people" needs its noun right there
        if (
            len(raw) == 4
            and raw.isdigit()
            and 1800 <= int(raw) <= 2100
            and q.scaled == 1
            and (
                prev in t.year_before
                or noun is None
                or noun.noun is None
                # "August 21 2013 Activists say": a date's year, though a noun follows
                or (prev.isdigit() and len(prev) <= 2 and prev2 in t.months)
            )
        ):
            return True
        # names: "Camp 1", "Resolution 2254", "No. 5", "Brigade 17"
        if start == k:
            if prev in t.name_prefixes or (prev == "." and prev2 in t.name_prefixes):
                return True
            if (
                start >= 2  # not the sentence's first word
                and self.kind[start - 1] == WORD
                and self.raw[start - 1][0].isupper()
                and prev not in t.known_capitals
                and not self._is_person(start - 1)
            ):
                return True
        return False

    # ------------------------------------------------------------------ counts

    def _item(self, k: int) -> tuple[_Qty, _Noun] | None:
        """One item of a list ("four boys", "a child"): an exact quantity and a person."""
        q = self._quantity(k)
        if not isinstance(q, _Qty) or q.kind not in ("num", "fixed", "article", "definite"):
            return None
        noun = self._noun_phrase(q.end)
        if noun is None or noun.noun is None:
            return None
        if q.kind == "definite" and not self._one_person(noun.noun):
            return None
        w = self.low[noun.noun]
        if w in self.t.role_nouns or w in self.t.casualty_nouns:
            return None
        if self._excluded(q, q.start, q.end, noun):
            return None
        return q, noun

    def _items(self, k: int, *, more: bool = False) -> tuple[list[tuple[_Qty, _Noun]], int]:
        """Items joined by "and" / ", and" / ","; a comma-only list is not taken (a
        list is closed by "and": "12 men, four women and three children"). ``more``:
        the list continues an item that ends at k (so it starts with a separator)."""
        items: list[tuple[_Qty, _Noun]] = []
        seps: list[str] = []
        while True:
            if items or more:
                if self._w(k) == "and":
                    sep, nk = "and", k + 1
                elif self._w(k) == "," and self._w(k + 1) == "and":
                    sep, nk = "and", k + 2
                elif self._w(k) == ",":
                    sep, nk = ",", k + 1
                else:
                    break
            else:
                sep, nk = "", k
            it = self._item(nk)
            if it is None:
                break
            items.append(it)
            seps.append(sep)
            k = it[1].end
        if more:
            last_and = max((i for i, s in enumerate(seps) if s == "and"), default=-1)
        else:
            last_and = max((i for i, s in enumerate(seps) if s == "and"), default=0)
        items = items[: last_and + 1]
        return items, (items[-1][1].end if items else k)

    def _count_at(self, i: int) -> _Cand | int | None:
        t = self.t
        start = i
        quals: list[str] = []
        for _ in range(2):  # "potentially as many as", "an estimated at least"
            m = self._match(t.qualifiers, i)
            if not m:
                break
            i, kind = m
            quals.append(kind)
        opener = self._w(i) if self._w(i) in t.range_open else None
        q = self._quantity(i + 1 if opener else i)
        if q is None or isinstance(q, int):
            if opener and not quals and q is None:
                return None
            return q
        lo, hi, end = q.lo, q.hi, q.end
        ranged = False
        # range: "between 10 and 15", "10 to 15", "10-15", "two or three"
        if q.kind in ("num", "fixed"):
            joiner = self._w(end)
            ok = joiner in t.range_joiners or (opener == "between" and joiner == "and")
            if ok and not (joiner == "-" and q.kind != "num"):
                q2 = self._quantity(end + 1)
                if isinstance(q2, _Qty) and q2.kind == "num" and q2.lo is not None:
                    a, b = q.lo or 0, q2.lo
                    if q.scaled == 1 and q2.scaled > 1 and a * q2.scaled <= b:
                        a *= q2.scaled  # "3 to 4 million"
                    if a <= b:
                        lo, hi, end, ranged = a, b, q2.end, True
                        # "the toll rose from 10 to 15": the value is the second number
                        if opener == "from" and (
                            self._w(i - 1) in t.rise_verbs or self._w(i - 2) in t.rise_verbs
                        ):
                            lo = b
        if opener and not ranged:
            if not quals:
                start = q.start  # "fled from 5 villages": "from" is not ours
            else:
                return None
        approx = q.approx
        vague = q.kind == "vague"
        # trailing qualifier: "5 or more", "40 or so", "40-odd", "40-plus"
        if not ranged and q.kind in ("num", "fixed"):
            k = end + 1 if self._w(end) == "-" and self._adjacent(end - 1, end) else end
            m = self._match(t.trailing, k)
            if m:
                end = m[0]
                quals.append(m[1])
        # "17-year-old", "10-km", "3-day": a compound adjective, not a count
        if (
            q.kind == "num"
            and self._w(end) == "-"
            and self._adjacent(end - 1, end)
            and self.kind[end + 1 if end + 1 < self.n else end] == WORD
            and self._adjacent(end, end + 1)
        ):
            return end + 2
        noun = _Noun(end=end) if q.kind == "pronoun" else self._noun_phrase(end)
        if self._excluded(q, start, end, noun):
            return max(end, i + 1)
        if noun is None:
            return max(end, i + 1)
        if q.kind == "article" and noun.noun is None:
            return None
        if q.kind == "definite" and (
            not self._one_person(noun.noun)
            or any(
                self.low[x].endswith(("'s", "’s")) or self.low[x] == "of"
                for x in range(end, noun.end)
            )
        ):
            if noun.noun is not None or self.low[q.start] not in t.object_pronouns:
                return None
            if not t.role_tokens & {self._w(q.start - 1), self._w(q.start + 1)}:
                return None
            q.kind = "pronoun"  # "killed her"
            noun = _Noun(end=end)
        if q.kind == "vague" and noun.noun is None and noun.thing:
            return None  # "killed many buffalo"
        if (
            q.kind == "vague"
            and self.low[q.start] in t.role_noun_only
            and (
                noun.noun is None
                or self.low[noun.noun] not in t.role_nouns.keys() | t.casualty_nouns
            )
        ):
            return None  # "unknown fatalities" is a count, "unknown gunmen" is not
        if (
            q.kind == "zero"
            and noun.noun is None
            and not q.person
            and not noun.pronoun
            and self.low[q.start] != "none"
        ):
            return None  # "no" alone is not a count; "none" is ("none were hurt")
        # apply qualifiers
        for kind in quals:
            lo, hi, approx, vague = _qualify(kind, lo, hi, approx, vague, q.kind)
        cand = _Cand(
            start=start,
            end=noun.end,
            lo=lo,
            hi=hi,
            kind=q.kind,
            approx=approx,
            vague=vague,
            pronoun=noun.pronoun,
            inner_roles=noun.inner_roles,
        )
        if noun.noun is not None:
            self._set_noun(cand, noun.noun, q.lo if not ranged else None)
        # composite: "12 men and four boys", "three women and two children"
        if (
            noun.noun is not None
            and not ranged
            and q.kind in ("num", "fixed", "article", "definite")
            and self.low[noun.noun] not in t.role_nouns  # "12 deaths and 30 injuries"
        ):
            items, k = self._items(noun.end, more=True)
            if items and self._breakdown(cand, noun.end, items):
                # "16 farmers, 12 men and four boys": the same 16 by sex and age
                self._add_subcounts(cand, items)
                cand.end = k
            elif items:
                nouns = [cand.noun]
                total = 0
                for iq, inoun in items:
                    assert inoun.noun is not None
                    total += iq.lo or 0
                    w = self.low[inoun.noun]
                    nouns.append(self.raw[inoun.noun])
                    if w in t.child_nouns:
                        cand.children = (cand.children or 0) + (iq.lo or 0)
                    if w in t.women_nouns:
                        cand.women = (cand.women or 0) + (iq.lo or 0)
                    cand.inner_roles += inoun.inner_roles
                cand.lo = cand.lo + total if cand.lo is not None else None
                cand.hi = cand.hi + total if cand.hi is not None else None
                cand.noun = " and ".join(dict.fromkeys(n for n in nouns if n))
                cand.end = k
        # sub-counts: "two civilians, including a child"; "..., among them five women".
        # The included items are part of this count (not counts of their own); those
        # that are children or women give the sub-counts.
        if noun.noun is not None:
            k = cand.end + 1 if self._w(cand.end) == "," else cand.end
            lead = self._w(k)
            if lead == "including" or (lead, self._w(k + 1)) == ("among", "them"):
                items, k2 = self._items(k + (1 if lead == "including" else 2))
                if items:
                    self._add_subcounts(cand, items)
                    cand.end = k2
        return cand

    def _breakdown(self, cand: _Cand, at: int, items: list[tuple[_Qty, _Noun]]) -> bool:
        """Do ``items`` after a comma split ``cand``'s number by sex and age, adding up to it?"""
        t = self.t
        people = t.child_nouns | t.women_nouns | t.men_nouns
        return (
            self._w(at) == ","
            and len(items) >= 2
            and cand.lo is not None
            and sum(q.lo or 0 for q, _ in items) == cand.lo
            and all(self.low[n.noun or 0] in people for _, n in items)
        )

    def _add_subcounts(self, cand: _Cand, items: list[tuple[_Qty, _Noun]]) -> None:
        kids = [q.lo or 0 for q, n in items if self.low[n.noun or 0] in self.t.child_nouns]
        women = [q.lo or 0 for q, n in items if self.low[n.noun or 0] in self.t.women_nouns]
        if kids and cand.children is None:
            cand.children = sum(kids)
        if women and cand.women is None:
            cand.women = sum(women)

    def _set_noun(self, cand: _Cand, k: int, value: int | None) -> None:
        w = self.low[k]
        cand.noun = self.raw[k]
        cand.noun_low = w
        if value is not None:
            if w in self.t.child_nouns:
                cand.children = value
            elif w in self.t.women_nouns:
                cand.women = value

    # ------------------------------------------------------------------ roles

    def _role_words(self, cands: Sequence[_Cand]) -> list[_Role]:
        """Role words in the sentence outside the counts' own spans."""
        inside = [False] * (self.n + 1)
        for c in cands:
            for k in range(c.start, c.end):
                inside[k] = True
        out: list[_Role] = []
        roles = self.t.roles
        k = 0
        while k < self.n:
            m = self._match(roles, k) if self.low[k] in roles and not inside[k] else None
            if m:
                end, role = m
                words = " ".join(self.low[k:end])
                out.append(_Role(k, end, role, words in self.t.toll_words))
                k = end
            else:
                k += 1
        return out

    def _role(self, c: _Cand, cands: Sequence[_Cand], roles: list[_Role]) -> tuple[str | None, str]:
        """The role of a count and how strong the evidence is.

        Cascade, strongest first: the counted noun is the role ("12 deaths"); a role word
        tied to the count by glue words only ("5 were killed", "killing 12 civilians");
        a role word inside the noun phrase ("12 wounded civilians"); a toll word a few
        words before a bare number; the predicate of the clause whose subject the count is
        ("12 men ... who fled ..., and were executed"); the nearest role word within
        NEAR_WINDOW words; the role a noun implies ("refugees" -> displaced).
        """
        t = self.t
        if c.noun_low in t.role_nouns:
            return t.role_nouns[c.noun_low], "noun"
        starts = {r.start: r for r in roles}
        ends = {r.end: r for r in roles}
        # tied after: count [glue]{0,5} role
        after: tuple[int, _Role] | None = None
        k, glue = c.end, 0
        while k < self.n and glue <= GLUE_AFTER:
            if k in starts:
                if not self._has_object(starts[k], cands):
                    after = (glue, starts[k])
                break
            w = self.low[k]
            if w in t.relative_pronouns and self._w(k + 1) in t.aux:
                glue += 1  # "12 people who were killed" (not "who fled")
            elif w in t.glue_after or (w == "," and glue == 0):
                glue += 1
            else:
                break
            k += 1
        # tied before: role [glue]{0,3} count
        before: tuple[int, _Role] | None = None
        k, glue = c.start - 1, 0
        while k >= 0 and glue <= GLUE_BEFORE:
            if k + 1 in ends:
                before = (glue, ends[k + 1])
                break
            if self.low[k] in t.glue_before:
                glue += 1
                k -= 1
            else:
                break
        tied = [x for x in (before, after) if x is not None]
        if tied:
            # the closer one; on a tie the verb before ("killing 12 civilians") wins
            best = min(tied, key=lambda x: x[0])
            return best[1].role, "tied"
        if c.inner_roles:
            return c.inner_roles[0], "inner"
        clause_lo, clause_hi = self._clause(c.start)
        # toll: "the death toll from Friday's bombing rose to 12" (a bare number only)
        if c.noun is None:
            # "the death toll from a car bomb that tore through a market on Tuesday has
            # risen to 14": after a rise verb ("risen to"), the toll word may be further
            # back in the sentence, across the relative clause that names the event
            rise = self._w(c.start - 1) in t.rise_verbs or (
                self._w(c.start - 1) in ("to", "at") and self._w(c.start - 2) in t.rise_verbs
            )
            lo, window = (0, TOLL_RISE_WINDOW) if rise else (clause_lo, TOLL_WINDOW)
            for r in roles:
                if r.toll and lo <= r.start and 0 <= c.start - r.end <= window:
                    return r.role, "toll"
        others = [o for o in cands if o is not c]
        # predicate: "[count] ... were executed" within PREDICATE_WINDOW words
        for k in range(c.end, min(clause_hi, c.end + PREDICATE_WINDOW)):
            if any(o.start == k for o in others):
                break
            if self.low[k] in t.aux:
                m = k + 1
                while m < self.n and m - k <= 3 and self.low[m] in t.aux_adverbs | t.aux:
                    m += 1
                if m in starts:
                    return starts[m].role, "predicate"
        # nearest role word in the clause, not across another count
        best_d, best_r = NEAR_WINDOW + 1, None
        for r in roles:
            if r.start < clause_lo or r.end > clause_hi:
                continue
            if r.start >= c.end:
                a, b = c.end, r.start
            elif r.end <= c.start:
                a, b = r.end, c.start
            else:
                continue
            if any(a <= o.start < b for o in others):
                continue
            d = sum(COMMA_COST if self.low[x] == "," else 1 for x in range(a, b))
            if d < best_d:
                best_d, best_r = d, r
        if best_r is not None:
            return best_r.role, "near"
        if c.noun_low in t.implied_role_nouns:
            return t.implied_role_nouns[c.noun_low], "implied"
        return None, "none"

    def _has_object(self, r: _Role, cands: Sequence[_Cand]) -> bool:
        """The role word is a verb with its own object ("a gunman killed 3 people"), so
        the count before it is not what it happened to."""
        k = r.end
        while k < self.n and k - r.end <= GLUE_BEFORE and self.low[k] in self.t.glue_before:
            k += 1
        return any(r.end <= o.start <= k for o in cands)

    def _clause(self, k: int) -> tuple[int, int]:
        """Token range of the clause (split at ';') around token k."""
        lo = k
        while lo > 0 and self.raw[lo - 1] != ";":
            lo -= 1
        hi = k
        while hi < self.n and self.raw[hi] != ";":
            hi += 1
        return lo, hi

    # ------------------------------------------------------------------ driver

    def parse(self) -> list[tuple[int, int, CountValue]]:
        t = self.t
        cands: list[_Cand] = []
        i = 0
        while i < self.n:
            w = self.low[i]
            if (
                self.kind[i] != NUM
                and w not in t.starters
                and ("-" not in w or w.split("-", 1)[0] not in t.starters)  # "Seventy-three"
            ):
                i += 1
                continue
            res = self._count_at(i)
            if res is None:
                i += 1
            elif isinstance(res, int):
                i = max(res, i + 1)
            else:
                cands.append(res)
                i = max(res.end, i + 1)
        if not cands:
            return []
        roles = self._role_words(cands)
        kept: list[tuple[_Cand, str | None]] = []
        for c in cands:
            role, how = self._role(c, cands, roles)
            if c.kind == "pronoun" and not self._harmed_pronoun(c, roles):
                continue
            if c.kind == "definite" and how == "tied" and self._w(c.end) == ",":
                continue  # "the home of the mukhtar, killing ...": not the victim
            if c.kind == "zero" and c.noun_low in t.casualty_nouns and role is None:
                kept.append((c, "casualties"))
                continue
            if c.noun_low in t.casualty_nouns and role is None:
                role = UNCERTAIN.join(("killed", "injured"))  # "12 casualties": killed or hurt
            # what evidence each kind of count needs to be kept:
            if c.noun is None:
                # a bare number ("5 were killed", "killing 5", "the toll rose to 12"),
                # "five of them", "nobody", "none": only with a role word tied to it
                if how not in ("tied", "toll", "noun"):
                    continue
            elif (
                c.kind in ("article", "definite", "zero") or (c.lo == 1 and c.hi == 1)
            ) and how not in (
                "tied",
                "toll",
                "noun",
                "inner",
                "predicate",
            ):
                # "a civilian", "one man", "no civilians": narrative unless a role says
                # what happened to them ("one survivor told Amnesty" is not a count)
                continue
            if kept and self._subcount_of(kept[-1][0], c):
                if kept[-1][1] is None:  # "Five members..., including three children, were"
                    kept[-1] = (kept[-1][0], role)
                continue
            kept.append((c, role))
        out: list[tuple[int, int, CountValue]] = []
        for c, role in kept:
            start, end = self.st[c.start], self.en[c.end - 1]
            if role == "casualties":
                # "no casualties": nobody killed and nobody injured
                out.append((start, end, self._value(c, "killed")))
                out.append((start, end, self._value(c, "injured")))
            elif role is not None and UNCERTAIN in role:
                # "5 militants were killed or injured": up to 5 each, none for certain
                for r in role.split(UNCERTAIN):
                    out.append((start, end, replace(self._value(c, r), min=0)))
            elif role is not None and JOINT in role:
                # "killing and injuring 5 soldiers": at least one of each, at most 4
                for r in role.split(JOINT):
                    v = self._value(c, r)
                    lo = min(1, v.min) if v.min is not None else None
                    hi = v.max - 1 if v.max is not None and v.max > 1 else v.max
                    out.append((start, end, replace(v, min=lo, max=hi)))
            else:
                out.append((start, end, self._value(c, role)))
        return out

    def _subcount_of(self, a: _Cand, b: _Cand) -> bool:
        """Fold ``b`` into ``a`` when it names some of ``a``'s people: "At least 30 people
        were killed, including 8 women and 5 children" (children 5, women 8)."""
        lead = self._w(b.start - 1)
        if lead not in ("including", "included", "includes", "include") and not (
            self._w(b.start - 2) == "among" and lead in ("them", "whom")
        ):
            return False
        if a.noun is None or b.noun is None or b.lo is None or b.lo != b.hi or b.start < a.end:
            return False
        if a.hi is not None and b.lo > a.hi:
            return False  # "3 died, including 5 children": not a part of it
        if a.children is None:
            a.children = b.children
        if a.women is None:
            a.women = b.women
        a.end = b.end
        return True

    @staticmethod
    def _value(c: _Cand, role: str | None) -> CountValue:
        return CountValue(
            min=c.lo,
            max=c.hi,
            role=role,
            approximate=c.approx,
            vague=c.vague,
            children=c.children,
            women=c.women,
            victim=c.noun,
        )


def _qualify(
    kind: str, lo: int | None, hi: int | None, approx: bool, vague: bool, qkind: str
) -> tuple[int | None, int | None, bool, bool]:
    """Apply one qualifier (see numbers.json "qualifiers") to a range."""
    if qkind == "zero":
        return lo, hi, approx, vague
    exact = lo is not None and lo == hi
    if kind == "hedge":
        # "potentially thousands", "possibly 40": no lower bound, and vague
        return None, (hi if not vague else None), approx, True
    if kind == "approx":
        return lo, hi, True, vague
    if vague:
        if kind in ("min", "min_excl"):
            return lo, None, approx, vague
        if kind in ("max", "max_excl"):
            return None, None, approx, vague
        return lo, hi, approx, vague
    if kind == "min":
        return lo, None, approx, vague
    if kind == "min_excl":
        return (lo + 1 if lo is not None and exact else lo), None, approx, vague
    if kind == "max":
        return None, hi, approx, vague
    if kind == "max_excl":
        return None, (hi - 1 if hi is not None and exact else hi), approx, vague
    return lo, hi, approx, vague


# --------------------------------------------------------------------------- public API


def acled_fatalities(words: str, value: CountValue) -> int:
    """ACLED's fatalities figure for a count of the killed, ``words`` being its text.

    The lower bound, except: a vague number follows ACLED's coders ("dozens" 12, any
    other vague number 3, see numbers.json "acled_vague_fatalities"); a hedged one
    ("possibly dozens") and one that only says "killed or injured" (min 0) give 0.
    """
    t = tables()
    if value.min == 0:
        return 0
    if not value.vague:
        return value.min or 0
    low = [m.group().lower() for m in TOKEN.finditer(words)]
    for k in range(len(low)):
        for phrase, kind in t.qualifiers.get(low[k], []):
            if kind == "hedge" and tuple(low[k : k + len(phrase)]) == phrase:
                return 0  # "possibly dozens": nobody is reported dead for certain
    for w in low:
        if w in t.vague_fatalities:
            return t.vague_fatalities[w]
    return t.vague_fatalities_default


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
        out += _Sentence(text, s.start, s.end, t).parse()
    return out


def parse_counts(text: str) -> list[tuple[int, int, CountValue]]:
    """Counts of people in ``text``: (start, end, value) with offsets into ``text``.

    >>> parse_counts("The blast killed at least 12 civilians.")[0][2].min
    12
    """
    return parse_spans(text, split_sentences(text))


class CountTagger:
    """Adds ``count`` mentions (:class:`CountValue`) for numbers of people."""

    name: ClassVar[str] = "counts.v8"
    assigns: ClassVar[tuple[str, ...]] = ("count",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        sentences = doc.sentences or tuple(split_sentences(text))
        mentions = [
            Mention(kind="count", start=s, end=e, text=text[s:e], value=v, stage=self.name)
            for s, e, v in parse_spans(text, sentences)
        ]
        return doc.add(mentions, stage=self.name)
