"""The grammar applied to one sentence: find its counts, bind their roles, keep those the
evidence supports, and make their values (one per role: "killed or injured" gives two).
"""

from __future__ import annotations

from dataclasses import replace

from harmledger.model import CountValue
from harmledger.pipeline.counts.breakdowns import subcount_of
from harmledger.pipeline.counts.candidates import count_at
from harmledger.pipeline.counts.roles import harmed_pronoun, role_of, role_words
from harmledger.pipeline.counts.state import Cand, Sentence
from harmledger.pipeline.counts.tokens import NUM
from harmledger.pipeline.counts.words import JOINT, UNCERTAIN


def parse_sentence(s: Sentence) -> list[tuple[int, int, CountValue]]:
    """The counts of the sentence: (start, end, value) with offsets into its text."""
    t = s.t
    cands: list[Cand] = []
    i = 0
    while i < s.n:
        w = s.low[i]
        if (
            s.kind[i] != NUM
            and w not in t.starters
            and ("-" not in w or w.split("-", 1)[0] not in t.starters)  # "Seventy-three"
        ):
            i += 1
            continue
        res = count_at(s, i)
        if res is None:
            i += 1
        elif isinstance(res, int):
            i = max(res, i + 1)
        else:
            cands.append(res)
            i = max(res.end, i + 1)
    if not cands:
        return []
    roles = role_words(s, cands)
    kept: list[tuple[Cand, str | None]] = []
    for c in cands:
        role, how = role_of(s, c, cands, roles)
        if c.kind == "pronoun" and not harmed_pronoun(s, c, roles):
            continue
        if c.kind == "definite" and how == "tied" and s.w(c.end) == ",":
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
        if kept and subcount_of(s, kept[-1][0], c):
            if kept[-1][1] is None:  # "Five members..., including three children, were"
                kept[-1] = (kept[-1][0], role)
            continue
        kept.append((c, role))
    out: list[tuple[int, int, CountValue]] = []
    for c, role in kept:
        start, end = s.st[c.start], s.en[c.end - 1]
        if role == "casualties":
            # "no casualties": nobody killed and nobody injured
            out.append((start, end, count_value(c, "killed")))
            out.append((start, end, count_value(c, "injured")))
        elif role is not None and UNCERTAIN in role:
            # "5 militants were killed or injured": up to 5 each, none for certain
            for r in role.split(UNCERTAIN):
                out.append((start, end, replace(count_value(c, r), min=0)))
        elif role is not None and JOINT in role:
            # "killing and injuring 5 soldiers": at least one of each, at most 4
            for r in role.split(JOINT):
                v = count_value(c, r)
                lo = min(1, v.min) if v.min is not None else None
                hi = v.max - 1 if v.max is not None and v.max > 1 else v.max
                out.append((start, end, replace(v, min=lo, max=hi)))
        else:
            out.append((start, end, count_value(c, role)))
    return out


def count_value(c: Cand, role: str | None) -> CountValue:
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
