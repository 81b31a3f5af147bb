"""The role of a count: what happened to the people counted (one of
``model.COUNT_ROLES``: killed, injured, ...), bound from the role words of the same clause,
strongest evidence first (see :func:`role_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harmledger.pipeline.counts.state import Cand, Sentence

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


@dataclass(slots=True)
class Role:
    """A role phrase of the sentence over tokens [start, end): its role, and whether it is a
    toll word ("death toll") that can carry a bare number after it."""

    start: int
    end: int
    role: str
    toll: bool


def role_words(s: Sentence, cands: Sequence[Cand]) -> list[Role]:
    """Role words in the sentence outside the counts' own spans."""
    inside = [False] * (s.n + 1)
    for c in cands:
        for k in range(c.start, c.end):
            inside[k] = True
    out: list[Role] = []
    roles = s.t.roles
    k = 0
    while k < s.n:
        m = s.match(roles, k) if s.low[k] in roles and not inside[k] else None
        if m:
            end, role = m
            words = " ".join(s.low[k:end])
            out.append(Role(k, end, role, words in s.t.toll_words))
            k = end
        else:
            k += 1
    return out


def role_of(
    s: Sentence, c: Cand, cands: Sequence[Cand], roles: list[Role]
) -> tuple[str | None, str]:
    """The role of a count and how strong the evidence is.

    Cascade, strongest first: the counted noun is the role ("12 deaths"); a role word
    tied to the count by glue words only ("5 were killed", "killing 12 civilians");
    a role word inside the noun phrase ("12 wounded civilians"); a toll word a few
    words before a bare number; the predicate of the clause whose subject the count is
    ("12 men ... who fled ..., and were executed"); the nearest role word within
    NEAR_WINDOW words; the role a noun implies ("refugees" -> displaced).
    """
    t = s.t
    if c.noun_low in t.role_nouns:
        return t.role_nouns[c.noun_low], "noun"
    starts = {r.start: r for r in roles}
    ends = {r.end: r for r in roles}
    # tied after: count [glue]{0,5} role
    after: tuple[int, Role] | None = None
    k, glue = c.end, 0
    while k < s.n and glue <= GLUE_AFTER:
        if k in starts:
            if not has_object(s, starts[k], cands):
                after = (glue, starts[k])
            break
        w = s.low[k]
        if w in t.relative_pronouns and s.w(k + 1) in t.aux:
            glue += 1  # "12 people who were killed" (not "who fled")
        elif w in t.glue_after or (w == "," and glue == 0):
            glue += 1
        else:
            break
        k += 1
    # tied before: role [glue]{0,3} count
    before: tuple[int, Role] | None = None
    k, glue = c.start - 1, 0
    while k >= 0 and glue <= GLUE_BEFORE:
        if k + 1 in ends:
            before = (glue, ends[k + 1])
            break
        if s.low[k] in t.glue_before:
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
    clause_lo, clause_hi = clause(s, c.start)
    # toll: "the death toll from Friday's bombing rose to 12" (a bare number only)
    if c.noun is None:
        # "the death toll from a car bomb that tore through a market on Tuesday has
        # risen to 14": after a rise verb ("risen to"), the toll word may be further
        # back in the sentence, across the relative clause that names the event
        rise = s.w(c.start - 1) in t.rise_verbs or (
            s.w(c.start - 1) in ("to", "at") and s.w(c.start - 2) in t.rise_verbs
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
        if s.low[k] in t.aux:
            m = k + 1
            while m < s.n and m - k <= 3 and s.low[m] in t.aux_adverbs | t.aux:
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
        d = sum(COMMA_COST if s.low[x] == "," else 1 for x in range(a, b))
        if d < best_d:
            best_d, best_r = d, r
    if best_r is not None:
        return best_r.role, "near"
    if c.noun_low in t.implied_role_nouns:
        return t.implied_role_nouns[c.noun_low], "implied"
    return None, "none"


def has_object(s: Sentence, r: Role, cands: Sequence[Cand]) -> bool:
    """The role word is a verb with its own object ("a gunman killed 3 people"), so
    the count before it is not what it happened to."""
    k = r.end
    while k < s.n and k - r.end <= GLUE_BEFORE and s.low[k] in s.t.glue_before:
        k += 1
    return any(r.end <= o.start <= k for o in cands)


def clause(s: Sentence, k: int) -> tuple[int, int]:
    """Token range of the clause (split at ';') around token k."""
    lo = k
    while lo > 0 and s.raw[lo - 1] != ";":
        lo -= 1
    hi = k
    while hi < s.n and s.raw[hi] != ";":
        hi += 1
    return lo, hi


def harmed_pronoun(s: Sentence, c: Cand, roles: Sequence[Role]) -> bool:
    """ "killing him", "leaving him dead": a pronoun right next to a role word in a
    form that says the harm was done (not "threatened to kill him")."""
    for r in roles:
        if r.end == c.start or r.start == c.end:
            last = s.low[r.end - 1]
            if last.endswith(("ed", "ing")) or last in ("dead", "slain", "shot", "hurt"):
                return True
    return False
