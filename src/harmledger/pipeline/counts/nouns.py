"""Noun phrases: who a quantity counts ("1,566 Shia cadets", "five of them", "the driver").

    noun-phrase := ["of" [determiner]] modifier{0,3} person-noun | "of" pronoun

A number counts people only when a person noun heads its noun phrase (or a role word is
tied to it, see :mod:`roles`); "three shells", "10 km" and "two houses" count things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harmledger.pipeline.counts.state import Sentence
from harmledger.pipeline.counts.tokens import NUM, WORD

#: Modifiers allowed between a number and its person noun: "1,566 Shia cadets",
#: "three unarmed young men". English rarely stacks more; a larger window would let
#: "three shells hit the civilians" count civilians.
NP_WINDOW = 3


@dataclass(slots=True)
class Noun:
    """The noun phrase after a quantity."""

    end: int  # token index after the phrase (== quantity end when there is no noun)
    noun: int | None = None  # token index of the person noun
    pronoun: bool = False  # "five of them"
    inner_roles: list[str] = field(default_factory=list)  # "12 wounded civilians"
    thing: bool = False  # no person noun, but a noun phrase of something else ("many buffalo")


def noun_phrase(s: Sentence, j: int) -> Noun | None:
    """The person noun after token j. None: the number counts something else."""
    t = s.t
    k = j
    if s.w(k) == "of":
        k += 1
        if s.w(k) in t.pronouns:
            return Noun(end=k + 1, pronoun=True)
        if s.w(k) in t.determiners:
            k += 1
    inner: list[str] = []
    mods = 0
    thing = False
    while k < s.n and mods <= NP_WINDOW:
        if s.kind[k] == NUM and s.w(k + 1) == "-" and s.adjacent(k, k + 1):
            k += 3  # "two 17-year-old boys": an age inside the noun phrase
            mods += 1
            continue
        if s.kind[k] != WORD:
            break
        w = s.low[k]
        if is_person(s, k):
            noun = k
            # "family members", "dead civilians": take the second noun, and the
            # role of the first; but not "cadets dead" (a role noun after the noun)
            if w in t.attributive_nouns and is_person(s, k + 1):
                if w in t.role_nouns:
                    inner.append(t.role_nouns[w])
                noun = k + 1
            end = noun + 1
            # "five members of one family", "men of the same tribe"
            if s.w(end) == "of":
                m = end + 1
                while m < s.n and m - end <= 3 and s.low[m] in t.np_of_fillers:
                    m += 1
                if s.w(m) in t.np_of_tails:
                    end = m + 1
            return Noun(end=end, noun=noun, inner_roles=inner)
        if w in t.unit_words and k == j:
            return None  # "10 km", "3 pm", "5 percent"
        if acronym(s, k):
            mods += 1  # "4 IS militants", "an PMF fighter": a name, not the verb "is"
            k += 1
            continue
        if w in t.np_breakers:
            break
        role = s.match(t.roles, k)
        if role and role[0] == k + 1:
            inner.append(role[1])  # "12 wounded civilians", "three missing children"
        elif (looks_plural(w) or w in t.unit_words) and not names_people(s, k):
            return None  # "three shells", "two houses", "17 airstrikes"
        if not role and w not in t.glue_after and w != "more":
            thing = True
        mods += 1
        k += 1
    return Noun(end=j, thing=thing)


def is_person(s: Sentence, k: int) -> bool:
    if k >= s.n or s.kind[k] != WORD:
        return False
    w = s.low[k]
    if w in s.t.person_nouns:
        return True
    r = s.raw[k]
    # a capitalised plural demonym ("Syrians", "Chadians"), not an all-caps word
    return len(w) > 4 and r[0].isupper() and not r.isupper() and w.endswith(s.t.demonym_suffixes)


def one_person(s: Sentence, k: int | None) -> bool:
    """Token k is a singular person noun that names one person ("the driver", not
    "the family", "the bodies", "the staff")."""
    if k is None:
        return False
    w = s.low[k]
    t = s.t
    return (
        singular(w)
        and w not in t.collective_nouns
        and w not in t.role_nouns
        and w not in t.casualty_nouns
    )


def acronym(s: Sentence, k: int) -> bool:
    """An all-capitals name ("IS", "PMF", "YBS") inside a noun phrase."""
    r = s.raw[k] if 0 <= k < s.n else ""
    return len(r) >= 2 and r.isalpha() and r.isupper()


def names_people(s: Sentence, k: int) -> bool:
    """A plural word that only names the unit of the person noun right after it:
    "1 military forces member", "2 Hizbollah Brigades members" (not "3 shells hit")."""
    w, r = s.low[k], s.raw[k]
    if w not in s.t.plural_modifiers and not (r[0].isupper() and not r.isupper()):
        return False
    return is_person(s, k + 1) or acronym(s, k + 1)


def singular(w: str) -> bool:
    return not looks_plural(w) and not w.endswith(
        ("men", "people", "children", "police", "staff", "personnel", "troops")
    )


def looks_plural(w: str) -> bool:
    """A plural noun ("shells", "houses"); adjectives in -ous/-ss/-us/-is are not."""
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))
