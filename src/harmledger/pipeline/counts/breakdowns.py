"""Breakdowns and sub-counts: the parts of a count ("12 men and four boys", "30 people,
including 8 women and 5 children", "16 farmers, 12 men and four boys") and which of them
are children and women.
"""

from __future__ import annotations

from harmledger.pipeline.counts.exclusions import excluded
from harmledger.pipeline.counts.nouns import Noun, noun_phrase, one_person
from harmledger.pipeline.counts.quantities import Qty, quantity
from harmledger.pipeline.counts.state import Cand, Sentence


def read_parts(s: Sentence, cand: Cand, q: Qty, noun: Noun, ranged: bool) -> None:
    """What follows a count's noun phrase and belongs to it: a composite ("12 men and four
    boys": one count of 16), a breakdown ("16 farmers, 12 men and four boys": the same 16 by
    sex and age) and sub-counts ("two civilians, including a child"). Sets ``cand``'s noun,
    children and women, and moves its end past the words read."""
    t = s.t
    if noun.noun is not None:
        set_noun(s, cand, noun.noun, q.lo if not ranged else None)
    # composite: "12 men and four boys", "three women and two children"
    if (
        noun.noun is not None
        and not ranged
        and q.kind in ("num", "fixed", "article", "definite")
        and s.low[noun.noun] not in t.role_nouns  # "12 deaths and 30 injuries"
    ):
        items, k = read_items(s, noun.end, more=True)
        if items and is_breakdown(s, cand, noun.end, items):
            # "16 farmers, 12 men and four boys": the same 16 by sex and age
            add_subcounts(s, cand, items)
            cand.end = k
        elif items:
            nouns = [cand.noun]
            total = 0
            for iq, inoun in items:
                assert inoun.noun is not None
                total += iq.lo or 0
                w = s.low[inoun.noun]
                nouns.append(s.raw[inoun.noun])
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
        k = cand.end + 1 if s.w(cand.end) == "," else cand.end
        lead = s.w(k)
        if lead == "including" or (lead, s.w(k + 1)) == ("among", "them"):
            items, k2 = read_items(s, k + (1 if lead == "including" else 2))
            if items:
                add_subcounts(s, cand, items)
                cand.end = k2


def read_item(s: Sentence, k: int) -> tuple[Qty, Noun] | None:
    """One item of a list ("four boys", "a child"): an exact quantity and a person."""
    q = quantity(s, k)
    if not isinstance(q, Qty) or q.kind not in ("num", "fixed", "article", "definite"):
        return None
    noun = noun_phrase(s, q.end)
    if noun is None or noun.noun is None:
        return None
    if q.kind == "definite" and not one_person(s, noun.noun):
        return None
    w = s.low[noun.noun]
    if w in s.t.role_nouns or w in s.t.casualty_nouns:
        return None
    if excluded(s, q, q.start, q.end, noun):
        return None
    return q, noun


def read_items(s: Sentence, k: int, *, more: bool = False) -> tuple[list[tuple[Qty, Noun]], int]:
    """Items joined by "and" / ", and" / ","; a comma-only list is not taken (a
    list is closed by "and": "12 men, four women and three children"). ``more``:
    the list continues an item that ends at k (so it starts with a separator)."""
    items: list[tuple[Qty, Noun]] = []
    seps: list[str] = []
    while True:
        if items or more:
            if s.w(k) == "and":
                sep, nk = "and", k + 1
            elif s.w(k) == "," and s.w(k + 1) == "and":
                sep, nk = "and", k + 2
            elif s.w(k) == ",":
                sep, nk = ",", k + 1
            else:
                break
        else:
            sep, nk = "", k
        it = read_item(s, nk)
        if it is None:
            break
        items.append(it)
        seps.append(sep)
        k = it[1].end
    if more:
        last_and = max((i for i, sp in enumerate(seps) if sp == "and"), default=-1)
    else:
        last_and = max((i for i, sp in enumerate(seps) if sp == "and"), default=0)
    items = items[: last_and + 1]
    return items, (items[-1][1].end if items else k)


def is_breakdown(s: Sentence, cand: Cand, at: int, items: list[tuple[Qty, Noun]]) -> bool:
    """Do ``items`` after a comma split ``cand``'s number by sex and age, adding up to it?"""
    t = s.t
    people = t.child_nouns | t.women_nouns | t.men_nouns
    return (
        s.w(at) == ","
        and len(items) >= 2
        and cand.lo is not None
        and sum(q.lo or 0 for q, _ in items) == cand.lo
        and all(s.low[n.noun or 0] in people for _, n in items)
    )


def add_subcounts(s: Sentence, cand: Cand, items: list[tuple[Qty, Noun]]) -> None:
    kids = [q.lo or 0 for q, n in items if s.low[n.noun or 0] in s.t.child_nouns]
    women = [q.lo or 0 for q, n in items if s.low[n.noun or 0] in s.t.women_nouns]
    if kids and cand.children is None:
        cand.children = sum(kids)
    if women and cand.women is None:
        cand.women = sum(women)


def set_noun(s: Sentence, cand: Cand, k: int, value: int | None) -> None:
    w = s.low[k]
    cand.noun = s.raw[k]
    cand.noun_low = w
    if value is not None:
        if w in s.t.child_nouns:
            cand.children = value
        elif w in s.t.women_nouns:
            cand.women = value


def subcount_of(s: Sentence, a: Cand, b: Cand) -> bool:
    """Fold ``b`` into ``a`` when it names some of ``a``'s people: "At least 30 people
    were killed, including 8 women and 5 children" (children 5, women 8)."""
    lead = s.w(b.start - 1)
    if lead not in ("including", "included", "includes", "include") and not (
        s.w(b.start - 2) == "among" and lead in ("them", "whom")
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
