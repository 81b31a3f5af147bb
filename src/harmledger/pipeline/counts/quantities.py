"""Reading quantities: digits ("1,566", "4.2 million"), number words ("Seventy-three",
"two hundred and fifty", "a dozen"), fixed phrases ("half a dozen"), vague words
("dozens", "several hundred", "tens of thousands"), zero words ("no", "nobody"), and the
qualifiers that bound them ("at least", "more than", "possibly").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from harmledger.limits import WORLD_POPULATION
from harmledger.pipeline.counts.state import Sentence
from harmledger.pipeline.counts.tokens import NUM, WORD

_DIGITS_OK = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")
#: What any number above the world's population is read as: it cannot be a count of
#: people (the stage drops it with a note), and a number of thousands of digits
#: ("1e308", a 5,000-digit number) is never built.
TOO_MANY = WORLD_POPULATION + 1


@dataclass(slots=True)
class Qty:
    """A quantity before qualifiers: [lo, hi] with flags, over tokens [start, end)."""

    lo: int | None
    hi: int | None
    start: int
    end: int
    kind: str  # "num" (digits/words), "fixed", "vague", "zero", "article"
    approx: bool = False
    scaled: int = 1  # the scale word it carried ("4.2 million": 1_000_000)
    person: bool = False  # the quantity is itself a person ("nobody", "no one")


def digits(s: Sentence, k: int) -> Qty | int | None:
    """Digits with an optional scale word. An int result means "skip to here"."""
    raw = s.raw[k]
    if not _DIGITS_OK.fullmatch(raw) or (raw[0] == "0" and len(raw) > 1 and raw[1] != "."):
        return k + 1
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:  # an exponent too large for any arithmetic ("1e99999999999999999999")
        return k + 1
    if value > TOO_MANY:
        value = Decimal(TOO_MANY)  # before any arithmetic: "1e999999999" is never expanded
    end = k + 1
    scale = s.t.scales.get(s.w(end), 1)
    if scale > 1:
        end += 1
    value *= scale
    if value != value.to_integral_value():  # "2.5 people": not a count
        return end
    n = TOO_MANY if value > TOO_MANY else int(value)
    return Qty(n, n, k, end, "num", scaled=scale)


def number_words(s: Sentence, k: int) -> Qty | None:
    """English number words: "Seventy-three", "two hundred and fifty", "a dozen"."""
    t = s.t
    total = current = 0
    last: str | None = None  # what the previous word was
    end = k
    approx = False
    scaled = 1
    j = k
    while j < s.n and s.kind[j] == WORD:
        w = s.low[j]
        if w in ("a", "an"):
            # "a hundred", "a thousand", "a dozen": only as the first word
            if last is not None or s.w(j + 1) not in t.scales | t.multipliers.keys():
                break
            last = "article"
            j += 1
            continue
        if w == "and":
            # "two hundred and fifty": only after a scale, before a unit or tens word
            nxt = s.w(j + 1).split("-", 1)[0]
            if last not in ("hundred", "scale") or not (nxt in t.units or nxt in t.tens):
                break
            last = "and"
            j += 1
            continue
        if w in t.multipliers:
            # "a dozen", "two dozen": a round figure, so approximate
            if last not in ("article", "unit", "teen", "tens"):
                break
            total = min((total + (current or 1)) * t.multipliers[w], TOO_MANY)
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
                current = min((current or 1) * 100, TOO_MANY)
                last = "hundred"
                scaled = max(scaled, 100)
            elif p in t.scales:
                if last not in ("unit", "teen", "tens", "hundred", "article"):
                    ok = False
                    break
                total = min(total + (current or 1) * t.scales[p], TOO_MANY)
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
    value = min(total + current, TOO_MANY)
    return Qty(value, value, k, end, "num", approx=approx, scaled=scaled)


def quantity(s: Sentence, k: int) -> Qty | int | None:
    """The quantity starting at token k, an int ("skip to here") or None."""
    t = s.t
    if k >= s.n:
        return None
    if s.kind[k] == NUM:
        return digits(s, k)
    if s.kind[k] != WORD:
        return None
    # "several hundred", "a few dozen": a vague factor times a scale: vague, min only
    m = s.match(t.vague_factors, k)
    if m:
        end, factor = m
        w = s.w(end)
        mult = t.scales.get(w) or t.multipliers.get(w)
        if mult:
            return Qty(factor * mult, None, k, end + 1, "vague")
    m = s.match(t.zero, k)
    if m:
        end = m[0]
        words = " ".join(s.low[k:end])
        return Qty(0, 0, k, end, "zero", person=words in t.zero_persons)
    m = s.match(t.fixed, k)
    if m:
        end, (value, approx) = m
        return Qty(value, value, k, end, "fixed", approx=approx)
    m = s.match(t.vague, k)
    if m and s.low[k] == "all" and not all_is_count(s, k, m[0]):
        m = None
    if m:
        end, (lo, hi) = m
        # "tens of thousands", "hundreds of thousands": multiply the lower bound
        if s.w(end) == "of" and s.w(end + 1) in ("hundreds", "thousands", "millions"):
            scale = t.scales[s.w(end + 1)[:-1]]
            lo = lo * scale if lo is not None else None
            end += 2
        return Qty(lo, hi, k, end, "vague")
    q = number_words(s, k)
    if q is not None:
        return q
    if s.low[k] in ("a", "an"):
        return Qty(1, 1, k, k + 1, "article")
    if s.low[k] in t.definites:  # "the driver", "his son": one person, if singular
        return Qty(1, 1, k, k + 1, "definite")
    if s.low[k] in t.object_pronouns and t.role_tokens & {s.w(k - 1), s.w(k + 1)}:
        return Qty(1, 1, k, k + 1, "pronoun")  # "killing him", "left him dead"
    return None


def all_is_count(s: Sentence, k: int, end: int) -> bool:
    """ "all" counts only the objects of harm ("killing all those on board"); "they were
    all killed" and "all 12 passengers" leave the counting to other words."""
    if s.w(k - 1) not in s.t.role_tokens:
        return False
    return not (end < s.n and (s.kind[end] == NUM or number_words(s, end) is not None))


def qualify(
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
