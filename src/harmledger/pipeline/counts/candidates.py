"""One count: the grammar rule that reads a count at a token, before its role is bound.

    count    := qualifier* [between|from] quantity [range] [trailing] noun-phrase
                [composite] [sub-counts]
    range    := (to | - | – | or | and-after-between) quantity

A quantity gives a count when a person noun, a pronoun ("five of them") or nothing at all
(a bare number, for a role word to claim) follows it; not when it counts things ("three
shells") or is no count at all (:mod:`.exclusions`: ages, dates, money, names...).
"""

from __future__ import annotations

from harmledger.pipeline.counts.breakdowns import read_parts
from harmledger.pipeline.counts.exclusions import excluded
from harmledger.pipeline.counts.nouns import Noun, noun_phrase, one_person
from harmledger.pipeline.counts.quantities import Qty, qualify, quantity
from harmledger.pipeline.counts.state import Cand, Sentence
from harmledger.pipeline.counts.tokens import WORD

#: Words before "a/an" that make what follows the thing the doers rode or hid in, not a
#: person counted ("on a motorcycle", "in a car", "from a pickup truck").
_CARRIERS = frozenset({"on", "in", "from", "aboard", "inside", "onboard"})


def count_at(s: Sentence, i: int) -> Cand | int | None:
    """The count starting at token i; an int means "no count, go on from this token"."""
    t = s.t
    start = i
    quals: list[str] = []
    for _ in range(2):  # "potentially as many as", "an estimated at least"
        m = s.match(t.qualifiers, i)
        if not m:
            break
        i, kind = m
        quals.append(kind)
    opener = s.w(i) if s.w(i) in t.range_open else None
    q = quantity(s, i + 1 if opener else i)
    if q is None or isinstance(q, int):
        if opener and not quals and q is None:
            return None
        return q
    lo, hi, end = q.lo, q.hi, q.end
    ranged = False
    # range: "between 10 and 15", "10 to 15", "10-15", "two or three"
    if q.kind in ("num", "fixed"):
        joiner = s.w(end)
        ok = joiner in t.range_joiners or (opener == "between" and joiner == "and")
        if ok and not (joiner == "-" and q.kind != "num"):
            q2 = quantity(s, end + 1)
            if isinstance(q2, Qty) and q2.kind == "num" and q2.lo is not None:
                a, b = q.lo or 0, q2.lo
                if q.scaled == 1 and q2.scaled > 1 and a * q2.scaled <= b:
                    a *= q2.scaled  # "3 to 4 million"
                if a <= b:
                    lo, hi, end, ranged = a, b, q2.end, True
                    # "the toll rose from 10 to 15": the value is the second number
                    if opener == "from" and (
                        s.w(i - 1) in t.rise_verbs or s.w(i - 2) in t.rise_verbs
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
        k = end + 1 if s.w(end) == "-" and s.adjacent(end - 1, end) else end
        m = s.match(t.trailing, k)
        if m:
            end = m[0]
            quals.append(m[1])
    # "17-year-old", "10-km", "3-day": a compound adjective, not a count
    if (
        q.kind == "num"
        and s.w(end) == "-"
        and s.adjacent(end - 1, end)
        and s.kind[end + 1 if end + 1 < s.n else end] == WORD
        and s.adjacent(end, end + 1)
    ):
        return end + 2
    noun = Noun(end=end) if q.kind == "pronoun" else noun_phrase(s, end)
    if excluded(s, q, start, end, noun):
        return max(end, i + 1)
    if noun is None:
        return max(end, i + 1)
    if q.kind == "article" and noun.noun is None:
        return None
    if q.kind == "article" and (noun.noun or 0) > end and s.w(q.start - 1) in _CARRIERS:
        return None  # "gunmen on a motorcycle shot dead a candidate": what carried the doers
    if q.kind == "definite" and (
        not one_person(s, noun.noun)
        or any(s.low[x].endswith(("'s", "’s")) or s.low[x] == "of" for x in range(end, noun.end))
    ):
        if noun.noun is not None or s.low[q.start] not in t.object_pronouns:
            return None
        if not t.role_tokens & {s.w(q.start - 1), s.w(q.start + 1)}:
            return None
        q.kind = "pronoun"  # "killed her"
        noun = Noun(end=end)
    if q.kind == "vague" and noun.noun is None and noun.thing:
        return None  # "killed many buffalo"
    if (
        q.kind == "vague"
        and s.low[q.start] in t.role_noun_only
        and (noun.noun is None or s.low[noun.noun] not in t.role_nouns.keys() | t.casualty_nouns)
    ):
        return None  # "unknown fatalities" is a count, "unknown gunmen" is not
    if (
        q.kind == "zero"
        and noun.noun is None
        and not q.person
        and not noun.pronoun
        and s.low[q.start] != "none"
    ):
        return None  # "no" alone is not a count; "none" is ("none were hurt")
    # apply qualifiers
    for kind in quals:
        lo, hi, approx, vague = qualify(kind, lo, hi, approx, vague, q.kind)
    cand = Cand(
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
    read_parts(s, cand, q, noun, ranged)
    return cand
