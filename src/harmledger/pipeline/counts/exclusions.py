"""Exclusions: numbers that are not counts of people, whatever follows them: ages ("aged
30", "a boy of about 15", "Ahmad al-Masri, 17,"), dates and years ("May 30", "in 2014"),
times and codes ("3:30", "F-16"), money ("$5 million"), measures ("5 percent", "10 km"),
ordinals ("3rd") and numbers inside names ("Camp 1", "Resolution 2254").
"""

from __future__ import annotations

import re

from harmledger.pipeline.counts.nouns import Noun, is_person, singular
from harmledger.pipeline.counts.quantities import Qty
from harmledger.pipeline.counts.state import Sentence
from harmledger.pipeline.counts.tokens import NUM, WORD

#: A word of a name: capitalised, or after a prefix ("al-Masri", "bin-Laden").
_NAME_WORD = re.compile(r"^[A-Z]|-[A-Z]")


def excluded(s: Sentence, q: Qty, start: int, end: int, noun: Noun | None) -> bool:
    """Numbers that are not counts of people: ages, dates, times, money, names."""
    t = s.t
    prev = s.w(start - 1)
    prev2 = s.w(start - 2)
    # ages: "aged 30", "ages 15 to 65", "at the age of 12"
    if prev in t.age_before or (prev == "of" and prev2 in t.age_before):
        return True
    # "a boy of about 15", "children under 15"
    if (
        prev in t.age_after_person_noun
        and is_person(s, start - 2)
        and prev2 not in t.role_nouns  # "the bodies of 12 men"
        and prev2 not in t.casualty_nouns
        # "of" makes an age only after one person: not "members of 5 families"
        and (prev != "of" or singular(prev2))
    ):
        return True
    if q.kind != "num":
        return False
    k = q.start
    if s.kind[k] != NUM:
        return False
    text = s.text
    after = s.en[k]
    # digits glued to letters: "3rd", "30s", "10km", "5pm"
    if after < len(text) and text[after].isalpha():
        return True
    before = s.st[k]
    # "COVID-19", "F-16", "MH-17"; "30/05/2016", "3:30", "1.2.3"
    if before >= 2 and text[before - 1] in "-/:." and text[before - 2].isalnum():
        return True
    if after + 1 < len(text) and text[after] in "/:" and text[after + 1].isdigit():
        return True
    # money: "$5 million", "US$ 3"
    if prev in t.money_before or s.raw[start - 1 : start] == ("$",):
        return True
    # an age in apposition: "Ahmad al-Masri, 17, was shot dead"
    if (
        start == k
        and end == k + 1
        and prev == ","
        and s.w(end) == ","
        and start >= 2
        and s.kind[start - 2] == WORD
        and _NAME_WORD.search(s.raw[start - 2]) is not None
    ):
        return True
    # a unit after the whole expression: "5 percent", "5%", "10 km"
    if s.w(end) in t.unit_words and noun is not None and noun.noun is None:
        return True
    # dates: "May 30", "30 May 2016", "May 30, 2016"
    if (prev in t.months and s.raw[start - 1][:1].isupper()) or (
        s.w(k + 1) in t.months and s.raw[k + 1][:1].isupper()
    ):
        return True
    raw = s.raw[k]
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
            and s.kind[start - 1] == WORD
            and s.raw[start - 1][0].isupper()
            and prev not in t.known_capitals
            and not is_person(s, start - 1)
        ):
            return True
    return False
