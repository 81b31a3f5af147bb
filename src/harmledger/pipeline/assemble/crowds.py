"""Crowds and peoples as doers: civilians who did violence themselves (a mob, a communal
militia), the ethnic militia of a people named as the doer, a demonstration's crowd that
attacked, and who did a trigger's verb (its subject, or its agent after a passive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from harmledger.model import ActorValue, Mention, Span
from harmledger.pipeline.actor_names import actor_value, people_named
from harmledger.pipeline.assemble.common import (
    ARMED,
    INFERRED,
    NAME,
    ActorMention,
    TriggerMention,
    words,
)
from harmledger.pipeline.assemble.event_type import REMOTE
from harmledger.pipeline.trigger_lexicon import is_grievance

#: Trigger classes whose doer, in a demonstration, may be the crowd (riot) or the forces.
_CROWD_ACTS = ("assault", "battle", "looting")


#: Where a sentence or clause ends, for who did a trigger's verb.
CLAUSE_END = re.compile(r"[.;]")


def _subject(text: str, actors: Sequence[ActorMention], t: TriggerMention) -> ActorMention | None:
    """The doer of a trigger's verb: "by X" after a passive ("were attacked by police"),
    else the nearest actor before it in its sentence that is not itself an object
    ("militiamen opened fire on protesters and burned their tents": the militiamen)."""
    sent_end = CLAUSE_END.search(text, t.end)
    limit = sent_end.start() if sent_end else len(text)
    if words().passive.search(text[max(0, t.start - 20) : t.start]):
        after = [a for a in actors if t.end <= a.start < limit]
        for a in sorted(after, key=lambda a: a.start):
            if re.search(r"\bby\s+(?:\S+\s+){0,3}$", text[t.end : a.start]):
                return a
        return None
    before = [a for a in actors if a.end <= t.start and not CLAUSE_END.search(text, a.end, t.start)]
    for a in sorted(before, key=lambda a: -a.end):
        if t.start - a.end > 120:
            break
        if not words().target_cue.search(text[max(0, a.start - 30) : a.start]):
            return a
    return None


#: Trigger classes of violence that civilians may do themselves ("villagers beat a suspected
#: thief to death", "supporters of two candidates clashed").
CIVIL_ACTS = ("attack", "assault", "shooting", "killing", "injury", "battle", "looting", "mob")


#: Between a civilian subject and its verb of violence: words that make the civilians the
#: harmed or a bystander ("a reporter who was found shot dead", "a camp for displaced people
#: near Sake, killing": a clause of its own after a comma), not the doers. Brackets are left
#: out first ("villagers in Tchanwassaga (Tanguieta, Atacora) killed").
_BRACKETED = re.compile(r"\([^()]*\)")
#: Where a crowd is from, right after it ("locals in Za-Sounta, Zakpota Commune chased down
#: and killed"): capitalised names after "in", "of" or "from" are no words between the
#: crowd and its verb.
_WHERE_FROM = re.compile(
    r"^\s*(?:in|of|from)\s+(?:the\s+)?(?:(?:village|town|city|area|locality|hamlet|commune|"
    r"district|neighbou?rhood)\s+of\s+)?(?:[A-Z][\w'’-]*(?:\s+(?:of\s+)?|,\s*)?)+"
)
#: What a crowd was armed with, right after it ("farmers equipped with machetes and batons
#: attacked"): no words between the crowd and its verb.
_ARMED_WITH = re.compile(
    r"^\s*,?\s*(?:(?:armed|equipped)\s+)?with\s+(?:(?:an?|their|artisanal|crude|homemade)\s+)*"
    r"(?:[\w-]+\s+)?(?:guns?|machetes?|knives|knife|clubs?|sticks?|weapons?|firearms?|rifles?|"
    r"batons?|stones?|arrows?|spears?|cutlass(?:es)?|axes?)"
    r"(?:\s*,?\s*(?:and\s+)?(?:[\w-]+\s+)?(?:guns?|machetes?|knives|clubs?|sticks?|"
    r"batons?|stones?|arrows?|spears?))*\s*,?"
)
#: Other verbs of the crowd before the one of violence ("youths tied up and fatally
#: assaulted", "residents captured, tied up, and burned alive"): no words between doer and act.
_VERB_LIST = re.compile(
    r"^\s*(?:[a-z]+(?:\s+(?:up|down|out|alive))?\s*,\s*)*[a-z]+(?:\s+(?:up|down|out|alive))?"
    r"\s*,?\s+and\s+(?:[a-z]+ly\s+)?$"
)
#: How many words may stand between civilians and their verb of violence ("locals beat and
#: killed", "villagers in Tangbe killed"), or of a clash ("partisans of two political
#: parties clashed"): further away, the civilians are rarely the verb's subject.
VERB_WORDS = 3
CLASH_WORDS = 8
_NOT_ACTIVE = re.compile(
    r"[.;:\"“”]|,\s*$|\b(?:who|whose|which|that|was|were|been|being|is|are|had|has|survived|escaped|fled)\b"
)


def civilian_doer(
    text: str,
    actors: Sequence[ActorMention],
    triggers: Sequence[TriggerMention],
    quoted: Sequence[Span] = (),
) -> ActorMention | None:
    """Civilians who did the violence themselves, as the active subject of a word of
    violence ("villagers assaulted and killed a tea seller") or its agent ("was killed by a
    mob"); never in quoted testimony ("they lined up the young men and shot them"), and
    never for a strike, a shelling or a bomb, which civilians do not carry out."""
    if any(t.value.live and t.value.cls in REMOTE for t in triggers):
        return None
    violent = any(t.value.live and t.value.cls in CIVIL_ACTS for t in triggers)
    for t in triggers:
        if not t.value.live:
            continue
        # "residents captured a burglar ... and burned him to death": a crowd that seizes
        # someone and harms them; a capture alone is no violence of a crowd
        if t.value.cls not in CIVIL_ACTS and not (violent and t.value.cls == "arrest"):
            continue
        if any(q.start <= t.start < q.end for q in quoted) or is_grievance(text, t.start):
            continue  # testimony, or what someone condemns ("condemns the killing of")
        who = _subject(text, actors, t)
        if who is None or who.value.category != "Civilians":
            continue
        if not words().crowd.search(who.text) and not words().communal.search(who.text):
            continue  # "a young man opened fire": one man is no mob (a farmer may be a militia)
        gap = _BRACKETED.sub("", text[who.end : t.start]) if who.end <= t.start else ""
        gap = _WHERE_FROM.sub("", gap, count=1)  # "locals in Za-Sounta, Zakpota Commune"
        gap = _ARMED_WITH.sub("", gap, count=1)  # "a farmer with an artisanal gun shot"
        # the subject right before its verb ("villagers beat and killed"), or a little
        # further for a clash of two crowds ("supporters of two candidates clashed")
        reach = CLASH_WORDS if t.value.cls == "battle" else VERB_WORDS
        if _VERB_LIST.match(gap) and not _NOT_ACTIVE.search(gap.replace(",", " ")):
            return who
        if _NOT_ACTIVE.search(gap) or len(gap.split()) > reach:
            continue
        return who
    return None


def crowd_doer(
    doer: ActorMention, made: list[ActorMention], text: str = ""
) -> tuple[ActorMention, bool]:
    """The actor ACLED codes for civilians who did violence, and whether it is a mob: a
    community, trade or kin group (farmers, pastoralists, a family) is a communal militia,
    unless ``text`` counts it loosely ("a number of farmers assaulted": a crowd on the
    spot); any other crowd (villagers, residents, supporters) rioters, its violence mob
    violence."""
    loose = bool(words().spontaneous.search(text[max(0, doer.start - 40) : doer.start]))
    communal = bool(words().communal.search(doer.text)) and not loose
    name = "Unidentified Communal Militia" if communal else "Rioters"
    value = replace(actor_value(name), country=doer.value.country)
    m = Mention("actor", doer.start, doer.end, doer.text, value, NAME)
    made.append(m)
    return m, not communal


#: Doers a people's name makes more precise: none named, an unidentified group, a crowd
#: told as a community or a trade ("Bariba farmers attacked a Fulani camp").
_VAGUE_DOERS = ("Unidentified Communal Militia", "Unidentified Tribal Militia")
#: Words around a people's name that make it a place's ("West Pokot county", "Turkana South").
_PLACE_AFTER = re.compile(
    r"\s+(?:county|district|region|state|province|town|village|road|area|land|north|south|east|"
    r"west|central)\b",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(r"\b(?:West|East|North|South|Central|Upper|Lower)\s+$")
#: How far after a passive word of violence its agent may be a people ("was shot dead ...
#: allegedly by Turkana herders").
PEOPLE_AGENT_REACH = 60


def ethnic_doer(
    text: str,
    triggers: Sequence[TriggerMention],
    actor1: ActorMention | None,
    made: list[ActorMention],
) -> ActorMention | None:
    """Members of a people who did the violence as a group are ACLED's ethnic militia of that
    people ("members of the Fulani community killed a farmer", "Bariba farmers attacked a
    Fulani camp": the Fulani, the Bariba Ethnic Militia): the people named in the clause
    before the first word of violence, or as its agent after a passive ("killed ... by Turkana
    herders"). A named or state actor, and a riot's rioters, stay."""
    if actor1 is not None:
        v = actor1.value
        if v.category != "Unidentified" and not v.name.startswith(_VAGUE_DOERS):
            return actor1
    acts = [t for t in triggers if t.value.live and t.value.cls in CIVIL_ACTS]
    if not acts:
        return actor1
    t = min(acts, key=lambda t: t.start)
    if words().passive.search(text[max(0, t.start - 20) : t.start]):
        by = re.compile(r"\bby\b").search(text, t.end, t.end + PEOPLE_AGENT_REACH)
        found = people_named(text, by.end(), by.end() + 40) if by else None
    else:
        ends = [m.end() for m in CLAUSE_END.finditer(text, 0, t.start)]
        found = people_named(text, ends[-1] if ends else 0, t.start)
    if found is None:
        return actor1
    at, people = found
    if _PLACE_AFTER.match(text, at + len(people)) or _PLACE_BEFORE.search(text, 0, at):
        return actor1  # "in West Pokot county": a place named after the people
    if actor1 is not None and actor1.value.source != INFERRED and actor1.start < at:
        return actor1  # "armed farmers and Fulani pastoralists clashed": the first named
    value = ActorValue(
        f"{people} Ethnic Militia", "Identity Militias", actor1.value.country if actor1 else None
    )
    m = Mention("actor", at, at + len(people), text[at : at + len(people)], value, NAME)
    made.append(m)
    return m


def crowd_violence(
    text: str, actors: Sequence[ActorMention], triggers: Sequence[TriggerMention]
) -> bool:
    """At a demonstration, the crowd itself attacked, stormed, burned or clashed: the doer
    of such a word is not a state force or another armed group."""
    for t in triggers:
        if not t.value.live or t.value.cls not in _CROWD_ACTS:
            continue
        who = _subject(text, actors, t)
        if who is None or who.value.category not in ARMED - {"Rioters"}:
            return True
    return False
