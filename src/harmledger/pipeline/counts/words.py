"""The counts stage's word tables: number words, qualifiers, vague quantities and the
ranges they stand for, person nouns, role words, units (``resources/numbers.json``), read
once per process and indexed for the grammar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.model import COUNT_ROLES
from harmledger.pipeline.counts.tokens import TOKEN

#: Joins the roles of an uncertain role phrase ("killed or injured" -> "killed|injured").
UNCERTAIN = "|"
#: Joins the roles of a joint role phrase ("killing and injuring" -> "killed&injured").
JOINT = "&"

Phrases = dict[str, list[tuple[tuple[str, ...], Any]]]


def _index(entries: Iterable[tuple[str, Any]], *, tokens: bool = False) -> Phrases:
    """First word -> [(words, value)], longest phrase first. ``tokens``: split the phrases
    as sentences are split (punctuation is a word: "killed , injured or captured")."""
    out: Phrases = {}
    for phrase, value in entries:
        if tokens:
            words = tuple(m.group().lower() for m in TOKEN.finditer(phrase))
        else:
            words = tuple(phrase.lower().split())
        out.setdefault(words[0], []).append((words, value))
    for lst in out.values():
        lst.sort(key=lambda e: -len(e[0]))
    return out


@dataclass(frozen=True, slots=True)
class Tables:
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    multipliers: dict[str, int]
    fixed: Phrases
    vague: Phrases
    vague_factors: Phrases
    zero: Phrases
    zero_persons: frozenset[str]
    qualifiers: Phrases
    trailing: Phrases
    roles: Phrases
    toll_words: frozenset[str]
    range_open: frozenset[str]
    range_joiners: frozenset[str]
    rise_verbs: frozenset[str]
    person_nouns: frozenset[str]
    child_nouns: frozenset[str]
    women_nouns: frozenset[str]
    men_nouns: frozenset[str]
    role_nouns: dict[str, str]
    casualty_nouns: frozenset[str]
    implied_role_nouns: dict[str, str]
    demonym_suffixes: tuple[str, ...]
    attributive_nouns: frozenset[str]
    plural_modifiers: frozenset[str]
    definites: frozenset[str]
    object_pronouns: frozenset[str]
    collective_nouns: frozenset[str]
    role_noun_only: frozenset[str]
    role_tokens: frozenset[str]
    np_of_tails: frozenset[str]
    np_of_fillers: frozenset[str]
    pronouns: frozenset[str]
    determiners: frozenset[str]
    glue_after: frozenset[str]
    glue_before: frozenset[str]
    aux: frozenset[str]
    aux_adverbs: frozenset[str]
    relative_pronouns: frozenset[str]
    np_breakers: frozenset[str]
    unit_words: frozenset[str]
    money_before: frozenset[str]
    age_before: frozenset[str]
    age_after_person_noun: frozenset[str]
    months: frozenset[str]
    year_before: frozenset[str]
    name_prefixes: frozenset[str]
    known_capitals: frozenset[str]
    #: words that can start a count (a fast test before trying the grammar)
    starters: frozenset[str]
    #: words whose presence makes a sentence worth tokenizing
    anchors: frozenset[str]


@cache
def tables() -> Tables:
    """The counts tables from ``resources/numbers.json``, loaded once per process."""
    return resources.load("numbers.json", _with_calendar)


def _with_calendar(data: dict[str, Any]) -> Tables:
    # month and weekday names are the dates stage's (resources/dates.json)
    calendar = resources.read_json("dates.json")
    months = [*calendar["months"], *calendar["month_abbreviations"]]
    return _build_tables({**data, "months": months, "weekdays": list(calendar["weekdays"])})


def _build_tables(d: dict[str, Any]) -> Tables:
    def fs(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in d[key])

    roles_entries = []
    for role, phrases in d["roles"].items():
        if role not in COUNT_ROLES:
            raise ValueError(f"unknown role {role!r}")
        roles_entries += [(p, role) for p in phrases]
    for phrase, either in d["uncertain_roles"].items():
        if not either or any(r not in COUNT_ROLES for r in either):
            raise ValueError(f"bad roles for {phrase!r}")
        # "killed or injured": a joined role, split into one count per role by parse()
        roles_entries.append((phrase, UNCERTAIN.join(either)))
    for phrase, both in d["joint_roles"].items():
        if not both or any(r not in COUNT_ROLES for r in both):
            raise ValueError(f"bad roles for {phrase!r}")
        roles_entries.append((phrase, JOINT.join(both)))  # "killing and injuring"
    fixed = {k: (v["value"], bool(v["approximate"])) for k, v in d["fixed"].items()}
    vague = {k: (v["min"], v["max"]) for k, v in d["vague"].items()}
    qualifiers = _index(d["qualifiers"].items())
    zero = _index((z, True) for z in d["zero"])
    number_words = set(d["units"]) | set(d["tens"])
    starters = (
        set(qualifiers)
        | number_words
        | set(_index(fixed.items()))
        | set(_index(vague.items()))
        | set(_index(d["vague_factors"].items()))
        | set(zero)
        | fs("range_open")
        | {"a", "an", "half"}
        | fs("definites")
        | fs("object_pronouns")
    )
    role_words = {m.group().lower() for p, _ in roles_entries for m in TOKEN.finditer(p)}
    # words that make a sentence worth tokenizing: the words of quantities except the
    # very common "a"/"an"/"of" (an "a civilian" count needs a role word anyway), role
    # words except function words ("in custody", "bodies of"), role and casualty nouns
    quantity_words = number_words | set(d["scales"]) | set(d["multipliers"])
    for key in ("fixed", "vague", "vague_factors"):
        quantity_words |= {w for p in d[key] for w in p.split()}
    quantity_words |= {w for p in d["zero"] for w in p.split()}
    anchors = (
        (quantity_words - {"a", "an", "of"})
        | (role_words - fs("np_breakers") - {"of", "their", "his", "her"})
        | set(d["role_nouns"])
        | fs("casualty_nouns")
    )
    known = (
        set(qualifiers)
        | starters
        | role_words
        | fs("person_nouns")
        | fs("months")
        | fs("weekdays")
        | fs("count_context_capitals")
        | fs("glue_before")
        | fs("year_before")
    )
    return Tables(
        units=dict(d["units"]),
        tens=dict(d["tens"]),
        scales=dict(d["scales"]),
        multipliers=dict(d["multipliers"]),
        fixed=_index(fixed.items()),
        vague=_index(vague.items()),
        vague_factors=_index(d["vague_factors"].items()),
        zero=zero,
        zero_persons=fs("zero_persons"),
        qualifiers=qualifiers,
        trailing=_index(d["trailing"].items()),
        roles=_index(roles_entries, tokens=True),
        toll_words=fs("toll_words"),
        range_open=fs("range_open"),
        range_joiners=fs("range_joiners"),
        rise_verbs=fs("rise_verbs"),
        person_nouns=fs("person_nouns"),
        child_nouns=fs("child_nouns"),
        women_nouns=fs("women_nouns"),
        men_nouns=fs("men_nouns"),
        role_nouns=dict(d["role_nouns"]),
        casualty_nouns=fs("casualty_nouns"),
        implied_role_nouns=dict(d["implied_role_nouns"]),
        demonym_suffixes=tuple(d["demonym_suffixes"]),
        attributive_nouns=fs("attributive_nouns"),
        plural_modifiers=fs("plural_modifiers"),
        definites=fs("definites"),
        object_pronouns=fs("object_pronouns"),
        collective_nouns=fs("collective_nouns"),
        role_noun_only=fs("vague_role_noun_only"),
        role_tokens=frozenset(role_words),
        np_of_tails=fs("np_of_tails"),
        np_of_fillers=fs("np_of_fillers"),
        pronouns=fs("pronouns"),
        determiners=fs("determiners"),
        glue_after=fs("glue_after"),
        glue_before=fs("glue_before"),
        aux=fs("aux"),
        aux_adverbs=fs("aux_adverbs"),
        relative_pronouns=fs("relative_pronouns"),
        np_breakers=fs("np_breakers") | number_words,
        unit_words=fs("non_person_units"),
        money_before=fs("money_before"),
        age_before=fs("age_before"),
        age_after_person_noun=fs("age_after_person_noun"),
        months=fs("months"),
        year_before=fs("year_before"),
        name_prefixes=fs("name_prefixes"),
        known_capitals=frozenset(known),
        starters=frozenset(starters),
        anchors=frozenset(anchors),
    )
