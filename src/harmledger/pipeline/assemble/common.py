"""What the assembler's modules share: its versioned name, the vocabularies of roles and
actor categories, the units and groups of sentences being assembled, and its word patterns
(``resources/assemble.json``, compiled on first use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.model import (
    ActorValue,
    CountValue,
    DateValue,
    Mention,
    MentionValue,
    PlaceValue,
    Span,
    TriggerValue,
)

#: Mentions by the type of their value.
AnyMention = Mention[MentionValue]
ActorMention = Mention[ActorValue]
TriggerMention = Mention[TriggerValue]
CountMention = Mention[CountValue]
DateMention = Mention[DateValue]
PlaceMention = Mention[PlaceValue]

#: The assembler's versioned name (exported by the package, which holds the stage class):
#: here so that every module that makes a mention can stamp it without an import cycle.
NAME = "assemble.v33"


#: Roles that belong to one act of violence; a sentence counting another group is a new incident.
ROLE_GROUPS = {
    "killed": "harm",
    "injured": "harm",
    "tortured": "harm",
    "missing": "taken",
    "abducted": "taken",
    "detained": "detained",
    "displaced": "displaced",
}


#: Actor categories that do violence (can be a perpetrator).
ARMED = frozenset(
    {
        "State Forces",
        "Rebel Groups",
        "Political Militias",
        "Identity Militias",
        "External/Other Forces",
        "Unidentified",
        "Rioters",
    }
)
#: Actor categories of people harmed rather than harming (a victim, actor2).
VICTIM_CATEGORIES = frozenset({"Civilians", "Protesters"})


#: Categories whose generic names take the incident's country ("security forces" in an
#: Iraqi report are "Military Forces of Iraq", "civilians" are "Civilians (Iraq)"); named
#: cross-border groups (Islamic State, PKK) keep their own name.
LOCALISED = frozenset({"State Forces", "Civilians", "Protesters", "Rioters", "Unidentified"})


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, or one clause of a sentence that reports two kinds of harm."""

    index: int  # the sentence's index (adjacency is counted in sentences)
    span: Span
    para: int
    mentions: tuple[AnyMention, ...]


@dataclass
class Group:
    """Units that tell one incident, and what they say of it so far (``inherited``: the
    fields taken from the story told before rather than from the units' own words)."""

    units: list[Unit]
    para: int
    triggers: list[TriggerMention] = field(default_factory=list)
    counts: dict[str, CountMention] = field(default_factory=dict)
    date: DateMention | None = None
    place: PlaceMention | None = None
    inherited: set[str] = field(default_factory=set)


#: The source of an actor the assembler infers from what happened, not from a name.
INFERRED = "inferred-from-event"


@dataclass(frozen=True, slots=True)
class Words:
    """The assembler's word patterns (``resources/assemble.json``), compiled."""

    armed_nouns: re.Pattern[str]
    civilian_nouns: re.Pattern[str]
    civilian_role: re.Pattern[str]
    former_member: re.Pattern[str]
    former_before: re.Pattern[str]
    reported_as: re.Pattern[str]
    clause_opener: re.Pattern[str]
    clause_boundary: re.Pattern[str]
    photo_credit: re.Pattern[str]
    toll_rose: re.Pattern[str]
    since: re.Pattern[str]
    that_follows: re.Pattern[str]
    between: re.Pattern[str]
    unit_name_after: re.Pattern[str]
    definite: re.Pattern[str]
    active_verb: re.Pattern[str]
    target_cue: re.Pattern[str]
    owner_cue: re.Pattern[str]
    victim_after: re.Pattern[str]
    not_subject: re.Pattern[str]
    source_cue: re.Pattern[str]
    passive: re.Pattern[str]
    backer: re.Pattern[str]
    coordinated: re.Pattern[str]
    of_parent: re.Pattern[str]
    custody_place: re.Pattern[str]
    custody_verb: re.Pattern[str]
    cumulative: re.Pattern[str]
    campaign_subject: re.Pattern[str]
    period_start: re.Pattern[str]
    ongoing: re.Pattern[str]
    retrospective: re.Pattern[str]
    told_on: re.Pattern[str]
    breakdown: re.Pattern[str]
    court_account: re.Pattern[str]
    national_sum: re.Pattern[str]
    headlines: re.Pattern[str]
    correction: re.Pattern[str]
    toll_update: re.Pattern[str]
    earlier_toll: re.Pattern[str]
    another: re.Pattern[str]
    communal: re.Pattern[str]
    victim_name: re.Pattern[str]
    victim_name_before: re.Pattern[str]
    victim_name_not: re.Pattern[str]
    protester_nouns: re.Pattern[str]
    same_day: re.Pattern[str]
    fatalities_coded: re.Pattern[str]
    active_object: re.Pattern[str]
    crowd: re.Pattern[str]
    remote_means: re.Pattern[str]
    collective_doer: re.Pattern[str]
    collective: re.Pattern[str]
    killed_named: re.Pattern[str]
    killing_verb: re.Pattern[str]
    year_event: re.Pattern[str]
    local_branch: re.Pattern[str]
    branch_before: re.Pattern[str]
    branch_after: re.Pattern[str]
    local_group: re.Pattern[str]
    not_branch: re.Pattern[str]
    suspect_arrest: re.Pattern[str]
    killed_named_before: re.Pattern[str]
    killed_named_aged: re.Pattern[str]
    spontaneous: re.Pattern[str]
    crowd_subject: re.Pattern[str]
    riot_cause: re.Pattern[str]
    held_for_event: re.Pattern[str]


#: The word patterns' resource file.
RESOURCE = "assemble.json"


@cache
def words() -> Words:
    """The word patterns, compiled on first use (once per process)."""
    return resources.load(
        RESOURCE, lambda data: Words(**{f.name: _compile(data[f.name]) for f in fields(Words)})
    )


def crowd_acting(text: str, count: Mention[CountValue]) -> bool:
    """A crowd counted by a collective word that does the act ("a number of locals ...
    severely wounded two suspected thieves"): the doers, not the toll."""
    w = words()
    return bool(w.collective.match(count.text) and w.collective_doer.match(text, count.end))


@cache
def victim_types() -> dict[str, re.Pattern[str]]:
    """Victim type -> the words that say a victim was one ("journalist": reporter, ...)."""
    return resources.load(
        RESOURCE,
        lambda data: {k: re.compile(v, re.IGNORECASE) for k, v in data["victim_types"].items()},
    )


def _compile(entry: dict[str, Any]) -> re.Pattern[str]:
    """An entry's pattern: whole words (``words``) or a regular expression (``pattern``, one
    string or pieces joined into one)."""
    if "words" in entry:
        pattern = r"\b(?:" + "|".join(entry["words"]) + r")\b"
    else:
        pattern = (
            entry["pattern"] if isinstance(entry["pattern"], str) else "".join(entry["pattern"])
        )
    return re.compile(pattern, re.IGNORECASE if entry["ignore_case"] else 0)
