"""Who: the perpetrator (actor1), the victim (actor2), the initiator of a demonstration and
the actors the assembler infers when the report names no one.

The perpetrator is the armed actor nearest a trigger, preferring "X attacked" and "attacked by
X", never an actor the words make a target, an owner of what was hit or the source of the
report. The victim is a civilian-type actor, else one inferred from the counted noun ("12 men
and four boys" -> Civilians). Generic actors take the incident's country.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from harmledger.model import ActorValue, Mention, Span
from harmledger.pipeline.actor_names import (
    acled_name,
    actor_value,
    country_form,
    unit_name,
)
from harmledger.pipeline.assemble.common import (
    ARMED,
    INFERRED,
    LOCALISED,
    NAME,
    ROLE_GROUPS,
    VICTIM_CATEGORIES,
    ActorMention,
    CountMention,
    TriggerMention,
    crowd_acting,
    words,
)
from harmledger.pipeline.assemble.crowds import CLAUSE_END
from harmledger.pipeline.assemble.event_type import DEMO, REMOTE
from harmledger.pipeline.assemble.memo import TextMemo
from harmledger.pipeline.trigger_lexicon import is_background, is_grievance

#: A perpetrator score below this says the words make the actor the doer (subject or agent).
AGENT_SCORE = 20


#: Event types whose unnamed doer is an unidentified armed group (ACLED's convention).
_UNNAMED_ARMED = ("Explosions/Remote violence", "Violence against civilians", "Battles")
#: Event types whose doer a group's claim of responsibility names.
CLAIMABLE = (*_UNNAMED_ARMED, "Strategic developments")


def acting(text: str, count: CountMention) -> bool:
    """A counted group that does the act ("around 10 armed men stormed the village", "a
    number of people killed a presumed thief")."""
    return bool(
        words().active_verb.match(text, count.end)
        or words().active_object.match(text, count.end)
        or crowd_acting(text, count)
    )


#: Right before a word of violence inside a count's words, what makes it the means of the
#: harm counted, not the victims' description ("Fourteen people were killed in the
#: bombing", not "killed 2 IS suicide bombers").
_MEANS = re.compile(r"\b(?:in|by|during)\s+(?:the|an?)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def acts(
    text: str, triggers: list[TriggerMention], counts: dict[str, CountMention]
) -> list[TriggerMention]:
    """Triggers that report what happened: not the ones inside the victims' description
    ("killed 2 IS suicide bombers", "3 explosive experts were injured"), and at a
    demonstration not what the crowd protests about ("demanding justice for the killing
    of protesters", "protested the US attack on PMF bases")."""
    victims = [Span(c.start, c.end) for r, c in counts.items() if ROLE_GROUPS[r] != "displaced"]
    out = [
        t
        for t in triggers
        if not any(v.contains(Span(t.start, t.end)) for v in victims)
        or _MEANS.search(text, max(0, t.start - 24), t.start)
    ]
    # "an activist who took part in demonstrations was shot": the victim's background
    out = [t for t in out if not (t.value.cls in DEMO and is_background(text, t.start))]
    classes = {t.value.cls for t in out}
    if classes & set(DEMO):
        out = [t for t in out if t.value.cls in DEMO or not is_grievance(text, t.start)]
    return out


def forces_injured(counts: dict[str, CountMention]) -> bool:
    """The people counted as injured are police or soldiers ("40 police were injured")."""
    c = counts.get("injured")
    return c is not None and bool(words().armed_nouns.search(c.value.victim or ""))


#: A fight told in so many words ("clashes ensued", "exchanged fire"): a battle, whatever
#: weapons it used.
_FIGHT = re.compile(r"clash|fight|fire|battle|engag|shoot", re.IGNORECASE)
#: Other arms beside a remote weapon ("with mortar shells and light weapons").
_OTHER_ARMS = re.compile(r"\s*(?:,|and)\s+(?:[\w-]+\s+)?(?:weapons|arms|guns|gunfire|rifles)\b")


def remote_means(text: str, triggers: Sequence[TriggerMention]) -> bool:
    """A remote weapon told as the sole means of an attack ("ambushed the convoy with a
    landmine"), in an incident that tells no fight in so many words."""
    live = [t for t in triggers if t.value.live]
    if any(t.value.cls == "battle" and _FIGHT.search(t.text) for t in live):
        return False
    return any(
        t.value.cls in REMOTE
        and words().remote_means.search(text[max(0, t.start - 40) : t.start])
        and not _OTHER_ARMS.match(text, t.end)
        for t in live
    )


def protesters_harmed(counts: dict[str, CountMention], actor2: ActorMention | None) -> bool:
    """The people killed or injured were protesters ("shot dead at least five protesters"):
    a demonstration met with force, though the report names it by its victims only."""
    if actor2 is not None and actor2.value.category == "Protesters":
        return True
    for role in ("killed", "injured"):
        c = counts.get(role)
        if c is not None and words().protester_nouns.search(c.value.victim or ""):
            return True
    return False


def harmed(counts: dict[str, CountMention], triggers: Sequence[TriggerMention]) -> bool:
    """People were killed or injured: a count of them, or a live word of harm."""
    for role in ("killed", "injured"):
        c = counts.get(role)
        if c is not None and (c.value.min or c.value.max or c.value.vague):
            return True
    return any(t.value.live and t.value.cls in ("killing", "injury", "attack") for t in triggers)


def _inferred(name: str, at: TriggerMention, made: list[ActorMention]) -> ActorMention:
    m = Mention("actor", at.start, at.end, at.text, actor_value(name, source=INFERRED), NAME)
    made.append(m)
    return m


#: A coder's label of a development the authorities made ("Security measures: a curfew was
#: imposed"), or of people who fled ("Displacement: ...").
_BY_AUTHORITIES = re.compile(r"Security measures?\b")
_DISPLACED = re.compile(r"Displacement\b")
#: Trigger classes of armed violence: a development told with one and no doer ("the telecom
#: tower was bombed and destroyed") is the act of an unidentified armed group.
_ARMED_ACTS = (*REMOTE, "attack", "shooting")
#: Weapons of war told beside a destruction, and how far from it.
_WAR_MEANS = re.compile(
    r"\b(?:bomb(?:ed|s|ing)?|explosives?|explosions?|exploded|grenades?|landmines?|IEDs?|"
    r"rockets?|mortars?|shelled|shelling|drones?)\b",
    re.IGNORECASE,
)
MEANS_REACH = 40


def _developer(
    text: str, live: Sequence[TriggerMention], made: list[ActorMention]
) -> ActorMention | None:
    """Who made a strategic development the report names no one for, as ACLED codes it: the
    government for security measures, civilians for a displacement, an unidentified armed
    group for an attack or a destruction by bombs; None otherwise."""
    for t in live:
        if t.value.cls == "label" and _BY_AUTHORITIES.match(t.text):
            return _inferred("Government", t, made)
        if t.value.cls == "label" and _DISPLACED.match(t.text):
            return _inferred("Civilians", t, made)
    armed = next((t for t in live if t.value.cls in _ARMED_ACTS), None)
    if armed is None:
        # "the telecom tower was bombed and destroyed": destruction by a weapon of war
        armed = next(
            (
                t
                for t in live
                if t.value.cls == "looting"
                and _WAR_MEANS.search(text, max(0, t.start - MEANS_REACH), t.end + MEANS_REACH)
            ),
            None,
        )
    return _inferred("Unidentified Armed Group", armed, made) if armed is not None else None


def initiator(
    event_type: str | None,
    actor1: ActorMention | None,
    actor2: ActorMention | None,
    actors: Sequence[ActorMention],
    triggers: Sequence[TriggerMention],
    made: list[ActorMention],
    text: str = "",
) -> tuple[ActorMention | None, ActorMention | None]:
    """ACLED's actor1 is who started the event: the protesters of a protest, the rioters
    of a riot (the forces facing them are actor2), and for violence an unidentified armed
    group when the report names no one ("an IED exploded")."""
    live = [t for t in triggers if t.value.live]
    if event_type in ("Protests", "Riots"):
        want = "Protesters" if event_type == "Protests" else "Rioters"
        crowd = [a for a in actors if a.value.category == want]
        if not crowd and want == "Rioters":
            crowd = [a for a in actors if a.value.category == "Protesters"]
        forces = actor1 if actor1 is not None and actor1.value.category in ARMED else None
        if crowd:
            who = crowd[0]
            if who.value.name != want:
                value = replace(actor_value(want), country=who.value.country)
                who = Mention("actor", who.start, who.end, who.text, value, NAME)
                made.append(who)
        else:
            at = next((t for t in live if t.value.actor in (want, "Protesters")), None)
            if at is None:
                return actor1, actor2
            who = _inferred(want, at, made)
        return who, forces or (actor2 if actor2 is not None and actor2 is not who else None)
    if actor1 is None and event_type == "Strategic developments":
        return _developer(text, live, made), actor2
    if actor1 is None and event_type in _UNNAMED_ARMED:
        for t in live:
            name = t.value.actor
            if name and name not in ("Protesters", "Rioters"):
                return _inferred(name, t, made), actor2
        at = live[0] if live else None
        if at is not None:
            return _inferred("Unidentified Armed Group", at, made), actor2
    return actor1, actor2


#: An ACLED name made of a group's name and its region in brackets ("Islamic State (Sahel)").
#: Categories whose ACLED names carry the country in brackets whether generic or named.
_BY_COUNTRY = ("Identity Militias",)
_REGIONAL = re.compile(r"[^():]+ \([A-Z][^()]*\)")


#: A coder's label of an interception ("Interception: On 1 December, ...").
_INTERCEPTION = re.compile(r"Interception\b")


def interceptor(
    triggers: Sequence[TriggerMention],
    actor1: ActorMention | None,
    country: str | None,
    made: list[ActorMention],
) -> ActorMention | None:
    """ACLED's actor1 of an interception is the force that intercepted, the military of the
    country over which it happened ("Interception: ... rockets fired toward Sderot were
    intercepted" is an act of the Military Forces of Israel), not who fired what it
    intercepted. A state force the words make the doer stays."""
    if country is None or (actor1 is not None and actor1.value.category == "State Forces"):
        return actor1
    label = next(
        (t for t in triggers if t.value.cls == "label" and _INTERCEPTION.match(t.text)), None
    )
    if label is None:
        return actor1
    value = actor_value("Military Forces", source=INFERRED)
    value = replace(value, name=acled_name(value, country=country), country=country)
    m = Mention("actor", label.start, label.end, label.text, value, NAME)
    made.append(m)
    return m


def localise(
    m: ActorMention | None, country: str | None, made: list[ActorMention]
) -> ActorMention | None:
    """The actor with the incident's country in its ACLED-style name, when it has none."""
    if m is None:
        return m
    v = m.value
    if v.category not in LOCALISED:
        # ACLED names an identity militia by its country ("Unidentified Communal Militia
        # (Benin)", "Fulani Ethnic Militia (Nigeria)") and some groups by their region ("Islamic
        # State Khorasan Province" is "Islamic State (Afghanistan)"); other named groups keep
        # their canonical name
        where = (v.country or country) if v.category in _BY_COUNTRY else None
        regional = acled_name(v, country=where)
        if regional == v.name and where and v.category in _BY_COUNTRY and ")" not in v.name:
            regional = f"{v.name} ({country_form(where)})"  # a people's militia, named here
        if regional == v.name or not _REGIONAL.fullmatch(regional):
            return m
        value = replace(v, name=regional, country=v.country or where)
        local = Mention(m.kind, m.start, m.end, m.text, value, NAME)
        made.append(local)
        return local
    if country is None or (v.category == "State Forces" and v.country):
        return m  # named forces ("Popular Mobilization Forces") keep their canonical name
    where = v.country or country
    name = acled_name(v, country=where)
    if name == v.name:
        return m
    local = Mention(m.kind, m.start, m.end, m.text, replace(v, name=name, country=where), NAME)
    made.append(local)
    return local


#: How far before a force's words the words naming its unit may stand ("civil and military
#: police agents").
UNIT_REACH = 24


def force_unit(text: str, m: ActorMention | None, made: list[ActorMention]) -> ActorMention | None:
    """A unit of a country's forces as ACLED names it after the force ("military police" in
    Brazil are the "Military Forces of Brazil Military Police", "Afghan commandos" the
    "Military Forces of Afghanistan Special Forces"); the actor unchanged otherwise."""
    if m is None or m.value.category != "State Forces" or not m.value.country:
        return m
    name = unit_name(m.value.country, text[max(0, m.start - UNIT_REACH) : m.end])
    if name is None or name == m.value.name:
        return m
    unit = Mention(m.kind, m.start, m.end, m.text, replace(m.value, name=name), NAME)
    made.append(unit)
    return unit


#: How far before a group's name its branch's township may stand ("Pauk township People
#: Defense Force": two words and "township").
BRANCH_REACH = 40
#: The words of a local branch's group in its mention ("PDF", "People's Defense Force").
_GROUP_WORDS = re.compile(r"\bPDFs?\b|\bPeople(?:['\u2019]?s)?\s+Defen[cs]e\b", re.IGNORECASE)
#: ACLED's name for a local branch the report does not name ("People's Defense Force - Local
#: Group").
LOCAL_GROUP = "Local Group"


def local_branch(
    text: str, m: ActorMention | None, made: list[ActorMention]
) -> ActorMention | None:
    """A local branch named by its township, as ACLED names it ("Kyaukse People's Defense
    Force" is "People's Defense Force - Kyaukse"; "the local PDF" is "People's Defense Force -
    Local Group"); the actor unchanged otherwise."""
    if m is None or not words().local_branch.match(m.value.name):
        return m
    w = words()
    # the group's own words in the mention ("Nay Pyi Taw PDF": the capital came with it)
    own = _GROUP_WORDS.search(m.text)
    anchor = m.start + own.start() if own else m.start
    place = None
    for found in (
        w.branch_after.match(text, m.end),
        w.branch_before.search(text, max(0, anchor - BRANCH_REACH), anchor),
    ):
        if found is None:
            continue
        named = found.groupdict()
        candidate = named.get("place") or named.get("dashed") or ""
        head, _, rest = candidate.partition(" ")
        if rest and w.not_branch.fullmatch(head):
            candidate = rest  # "The Shwebo PDF" at a sentence's start
        first = candidate.split()[0].split("-")[0] if candidate else ""
        if first and not w.not_branch.fullmatch(first) and candidate not in (m.value.country or ""):
            place = candidate
            break
    if place is None:
        # "the local PDF", "a local people defense group": a branch the report does not name
        first = m.text.split()[0] if m.text.split() else ""
        if not w.local_group.search(text[max(0, m.start - BRANCH_REACH) : m.start] + first):
            return m
        place = LOCAL_GROUP
    value = replace(m.value, name=f"{m.value.name} - {place}")
    branch = Mention(m.kind, m.start, m.end, m.text, value, NAME)
    made.append(branch)
    return branch


def perpetrator(
    text: str, actors: list[ActorMention], triggers: list[TriggerMention]
) -> ActorMention | None:
    """The armed actor that did it: "X attacked", "attacked by X", "X's airstrikes", else
    the nearest. An actor the words make a target ("airstrikes against the PKK", "an IED
    planted on a police vehicle") is not the doer; when only such actors are named, the
    doer is unknown (None). Sources ("HPG reported that") are left out by the caller."""
    armed = [a for a in actors if a.value.category in ARMED]
    targets = [a for a in armed if _is_target(text, a)]
    # "attacked the Myanmar military troops": "troops" is more of the target named before it
    doers = [
        a for a in armed if a not in targets and not any(0 <= a.start - t.end <= 1 for t in targets)
    ]
    blasts = [t for t in triggers if t.value.live and t.value.cls in _PLANTED]
    fought = any(t.value.live and t.value.cls in _FOUGHT for t in triggers)
    if blasts and not fought:
        # "bombs exploded at the ward administration office; soldiers arrived": a force told
        # after a blast, not as its agent ("planted by X") or its claimant, is its target or
        # came after it
        first = min(t.start for t in blasts)
        doers = [
            a
            for a in doers
            if a.start < first or _agent_after(text, a) or _PLANTED_BY.match(text, a.end)
        ]
        # an office of the administration is where a bomb went off, never who set it
        doers = [a for a in doers if not a.value.name.startswith("Government")]
    if not doers:
        return None
    placed = {a.value.category for a in doers if a.value.country}
    near = _Nearest(triggers)

    def score(a: ActorMention) -> float:
        best = near.distance(text, a)
        v = a.value
        if v.country is None and v.category in placed:
            best += 25  # "artillery" after "Turkish forces": the same force, named better
        return best

    scored = sorted(((score(a), a.start, a) for a in doers), key=lambda x: x[:2])
    # a group the report names ("NOHR blamed Islamic State militants") beats "gunmen", when
    # the words make it a doer too (its subject or "by" agent), not a bystander
    named = [
        x
        for x in scored
        if x[2].value.category != "Unidentified"
        and x[0] < AGENT_SCORE
        and not _FOUGHT_WITH.search(text, max(0, x[2].start - FOUGHT_REACH), x[2].start)
    ]
    chosen = (named or scored)[0][2]
    if words().backer.search(text[max(0, chosen.start - 30) : chosen.start]):
        # "police backed by the Iraqi air force": the backed force did it, the backer helped
        backed = [a for a in doers if a.end <= chosen.start and chosen.start - a.end <= 60]
        if backed:
            chosen = max(backed, key=lambda a: a.end)
    if _FOUGHT_WITH.search(text, max(0, chosen.start - FOUGHT_REACH), chosen.start):
        # "Russian forces advanced near Sieverne, clashing with the Ukrainian military": the
        # side that fought the one named after "with", told before it in its sentence
        before = [
            x
            for x in scored
            if x[2].end <= chosen.start and not CLAUSE_END.search(text, x[2].end, chosen.start)
        ]
        if before:
            chosen = max(before, key=lambda x: x[2].end)[2]
    for a in sorted(doers, key=lambda a: -a.end):
        # "Iraqi police and military forces": ACLED's actor1 is the first named
        gap = text[a.end : chosen.start] if a.end <= chosen.start else ""
        if a.value.name == chosen.value.name:
            gap = _NAMES_BETWEEN.sub("", gap)  # two branches of one group
        if a.end <= chosen.start and words().coordinated.match(gap):
            chosen = a
    if chosen.value.category == "State Forces" and chosen.value.country is None:
        # "Israeli warplanes struck ... Also, the artillery struck": the same force, named
        # better before; its country, not the place's
        forces = [a for a in doers if a.value.category == "State Forces" and a.value.country]
        if len({a.value.country for a in forces}) == 1 and forces[0].start < chosen.start:
            chosen = forces[0]
    return coalition(text, _parent_force(text, chosen, armed), doers)


#: An attack the doer's words say was repelled ("police repulsed their attack", "repelled an IS
#: attack", "their attack on a check point was repulsed by local policemen").
_REPELLED = re.compile(
    r"\b(?:repuls|repell?|thwart|foil)\w*\s+(?:(?:an?|the|their|its|his|several|multiple)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:attacks?|assaults?|offensives?)\b|"
    r"\b(?:attacks?|assaults?)\s+(?:[\w-]+\s+){0,6}?(?:was|were)\s+(?:repulsed|repelled|"
    r"thwarted|foiled)\b",
    re.IGNORECASE,
)


def repelled(
    text: str, actor1: ActorMention | None, actors: Sequence[ActorMention]
) -> ActorMention | None:
    """ACLED's actor1 of a repelled attack is the attacker, not the force that repelled it
    ("6 Taliban militants were killed when police forces repulsed their attack": the Taliban;
    "Iraqi forces repelled an IS attack": the Islamic State)."""
    if actor1 is None or actor1.value.category != "State Forces":
        return actor1
    sent_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, actor1.start)), default=0)
    end = CLAUSE_END.search(text, actor1.end)
    hit = _REPELLED.search(text, sent_start, end.start() if end else len(text))
    if hit is None:
        return actor1
    others = [
        a
        for a in actors
        if a.value.category in ARMED - {"State Forces"}
        and a.value.category != "Unidentified"
        and sent_start <= a.start < hit.end()
    ]
    inside = [a for a in others if a.start >= hit.start()]
    return (inside or others or [actor1])[0]


#: Between two groups either of which did it ("suspected JNIM or IS Sahel", "Syrian or Russian
#: warplanes").
_EITHER = re.compile(r"\s*,?\s*(?:or|and/or)\s+(?:the\s+)?(?:suspected\s+)?$")
#: ACLED's name for Syria's and Russia's forces when the report does not tell which of them.
SYRIA_RUSSIA = "Allied Syrian and/or Russian Forces"


def coalition(text: str, chosen: ActorMention, doers: Sequence[ActorMention]) -> ActorMention:
    """Two groups either of which did it, as ACLED names them together ("JNIM: Group for
    Support of Islam and Muslims and/or Islamic State (Sahel)"; Syria's or Russia's forces
    are the "Allied Syrian and/or Russian Forces"); ``chosen`` when it is named alone."""
    after = [
        b for b in doers if b.start >= chosen.end and _EITHER.fullmatch(text[chosen.end : b.start])
    ]
    before = [
        a for a in doers if a.end <= chosen.start and _EITHER.fullmatch(text[a.end : chosen.start])
    ]
    if after:
        first, second = chosen, after[0]
    elif before:
        first, second = before[-1], chosen
    else:
        return chosen
    if first.value.name == second.value.name:
        return chosen
    if {first.value.country, second.value.country} == {"Syria", "Russia"} and all(
        x.value.category == "State Forces" for x in (first, second)
    ):
        name = SYRIA_RUSSIA
    else:
        name = f"{acled_name(first.value)} and/or {acled_name(second.value)}"
    value = replace(first.value, name=name, country=None)
    return Mention(first.kind, first.start, second.end, text[first.start : second.end], value, NAME)


#: The names of two coordinated branches of one group, between them ("the Yesagyo PDF and Myaing
#: PDF", "PDF - Thayet and PDF - Kamma"): left out when asking whether they are coordinated.
_NAMES_BETWEEN = re.compile(
    r"^\s*[-\u2013]\s*[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?(?=\s)|(?<=\s)(?:[A-Z][\w'-]*\s+){1,2}$"
)


#: Words that make an actor the other side of a fight ("an unidentified armed group exchanged
#: fire with Beninese soldiers") or a partner of the doer ("TMF in cooperation with Iraqi
#: forces"): no doer to prefer over the one told as the subject.
_FOUGHT_WITH = re.compile(
    r"\b(?:clash\w*|fight\w*|fought|battl\w*|fire|gunfire|shots|engag\w*|skirmish\w*|"
    r"firefights?|gunfights?|confront\w*)\s+(?:[\w-]+\s+){0,3}?with\s+(?:the\s+)?$|"
    r"\b(?:in\s+(?:coordination|cooperation|collaboration|conjunction)|together|along|jointly)"
    r"\s+with\s+(?:the\s+)?$|\bagainst\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: How far before an actor :data:`_FOUGHT_WITH` looks.
FOUGHT_REACH = 50


#: Bonuses :func:`_distance` gives a subject just before a trigger and a "by" agent after it:
#: how much nearer than its gap an actor can score (so a search may stop beyond it).
_SUBJECT_BONUS = 20
_AGENT_BONUS = 30


def _distance(text: str, a: ActorMention, t: TriggerMention) -> float:
    """How far actor ``a`` stands from being the doer of trigger ``t`` (lower: the doer)."""
    if a.start <= t.start and t.end <= a.end and (a.start, a.end) != (t.start, t.end):
        return -40.0  # "Turkish airstrikes", "IS suicide attack": the actor's own act
    if a.start < t.end and t.start < a.end:
        return 10.0  # a bare "artillery", "drones": the weapon; whose it is is told elsewhere
    if a.end <= t.start:
        gap = text[a.end : t.start]
        d = len(gap)
        if d < 40 and not words().not_subject.search(gap):
            d -= _SUBJECT_BONUS  # "ISIS attack", "IS militants shot": the subject
        return d
    d = a.start - t.end + 5
    if re.match(r"^\W*(?:\w+\W+){0,3}?by\b", text[t.end : a.start]):
        d -= _AGENT_BONUS  # "were executed by X"
    return d


class _Nearest:
    """The triggers of an incident sorted by position, so that an actor's distance to the
    nearest (:func:`_distance`, minimised over the triggers) looks only at the triggers
    that can be nearest: linear in a group's size, not actors times triggers."""

    def __init__(self, triggers: Sequence[TriggerMention]) -> None:
        self.triggers = sorted(triggers, key=lambda t: (t.start, t.end))
        self.starts = [t.start for t in self.triggers]
        self.longest = max((t.end - t.start for t in self.triggers), default=0)

    def distance(self, text: str, a: ActorMention) -> float:
        best = 1e9
        ts = self.triggers
        k = bisect_left(self.starts, a.end)
        # triggers after the actor: a gap of g scores at least g - _SUBJECT_BONUS
        for j in range(k, len(ts)):
            if ts[j].start - a.end - _SUBJECT_BONUS >= best:
                break
            best = min(best, _distance(text, a, ts[j]))
        # triggers starting inside or before the actor: one before it ends at most
        # ``longest`` after its start, and a gap of g scores at least g + 5 - _AGENT_BONUS
        # (one inside it scores -40, below any bound reached before it)
        for j in range(k - 1, -1, -1):
            if a.start - ts[j].start - self.longest + 5 - _AGENT_BONUS >= best:
                break
            best = min(best, _distance(text, a, ts[j]))
        return best


#: Between a state force and a unit named as part of it: "the PMF's Badr Organization
#: (brigade 23)", "Saraya al-Salam fighters of the PMF".
_UNIT_OF = re.compile(r"['’]s\s+(?:[\w()-]+\s+){0,4}$")


_UNIT_CATEGORIES = ("Political Militias", "Identity Militias")


def _parent_force(text: str, a: ActorMention, armed: Sequence[ActorMention]) -> ActorMention:
    """A militia the report names as a unit of a state force acts as that force (ACLED codes
    "the PMF's Badr Organization" as the Popular Mobilization Forces)."""
    if a.value.category not in _UNIT_CATEGORIES:
        return a
    for b in armed:
        if b.value.category != "State Forces" or b is a:
            continue
        if b.end <= a.start and _UNIT_OF.search(text[b.start : a.start]):
            return b
        if a.end <= b.start and words().of_parent.match(text[a.end : b.start]):
            return b
    return a


#: Trigger classes of a device left or thrown to go off ("a bomb exploded"): who set it off
#: is told as the subject, the agent ("planted by") or the claimant, never as a bystander.
_PLANTED = ("ied", "grenade", "suicide")
#: Trigger classes of a fight or an attack by someone present, beside which a force told
#: after a blast may be the attacker.
_FOUGHT = ("battle", "attack", "shooting", "assault", "air", "shelling", "abduction")
_AGENT_BEFORE = re.compile(r"\bby\s+(?:\S+\s+){0,3}$|\bof\s+an?\s+$")
_CLAIMS = re.compile(r"\s*(?:later\s+|reportedly\s+)?(?:claimed|admitted|said\s+it\s+carried)\b")


#: A claim of responsibility right after a group's name ("the Yesagyo PDF claimed
#: responsibility", "IS later claimed the bombing", "claimed that they did it").
_CLAIMED = re.compile(
    r"\s*(?:\([^()]{1,20}\)\s*)?(?:later\s+|reportedly\s+|also\s+|has\s+|have\s+)?"
    r"(?:claimed\s+(?:(?:the\s+)?responsibility|credit|the\s+(?:attack|bombing|explosion|"
    r"blast|strike|killing|ambush)|(?:that\s+)?(?:they|it)\s+(?:did|carried|were|was|had|"
    r"bombed|attacked|killed|planted|detonated|set|launched))|took\s+responsibility|"
    r"said\s+(?:they|it)\s+(?:carried|were\s+responsible|was\s+responsible|did))",
    re.IGNORECASE,
)
#: An attack attributed to a group in so many words, right before its name ("The attack was
#: carried out by the People's Defense Force", "The mortar was likely fired by Hamas").
_DONE_BY = re.compile(
    r"\b(?:carried\s+out|led|conducted|fired|launched|planted|claimed|perpetrated|committed|"
    r"staged|orchestrated)\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: How far after an incident's words a claim of it may be told ("An explosion took place at
#: the university. ... The Taunggyi PDF later claimed responsibility.").
CLAIM_REACH = 400


def claimant(
    text: str,
    actors: Sequence[ActorMention],
    evidence: Span,
    actor1: ActorMention | None,
) -> ActorMention | None:
    """The group that claimed an attack whose doer the words leave unnamed: ACLED codes a
    claimed attack to its claimant ("there was an explosion at the police station ... The
    Shwebo PDF claimed responsibility"). ``actor1`` unchanged when it is named already, or
    when no armed group claims it in or just after the incident's words."""
    if actor1 is not None and actor1.value.category != "Unidentified":
        return actor1
    for a in sorted(actors, key=lambda a: a.start):
        if not evidence.start <= a.start <= evidence.end + CLAIM_REACH:
            continue
        if a.value.category not in ARMED or a.value.category == "Unidentified":
            continue
        if _CLAIMED.match(text, a.end) or _DONE_BY.search(text, max(0, a.start - 40), a.start):
            return a
    return actor1


def _agent_after(text: str, a: ActorMention) -> bool:
    """An actor told after the act as its agent ("planted by IS", "the explosion of an IS
    remnant device") or its claimant ("IS claimed the attack")."""
    return bool(
        _AGENT_BEFORE.search(text[max(0, a.start - 40) : a.start]) or _CLAIMS.match(text, a.end)
    )


#: A group's name joined to the act it did ("a Taliban-planted mine", "Hamas-fired rockets").
_PLANTED_BY = re.compile(r"[-\u2010\u2011]\s*(?:planted|laid|placed|fired|launched|made)\b")


#: A force's name used for a place of it ("police station", "army base", "a military-owned
#: telecom tower"); not its vehicles,
#: which may carry the doers ("US military vehicles entered Iraq").
_FACILITY = re.compile(
    r"\s+(?:stations?|outposts?|posts?|bases?|camps?|checkpoints?|headquarters|barracks|"
    r"offices?|compounds?|buildings?)\b|[-\u2010\u2011]\s*(?:owned|run|operated)\b",
    re.IGNORECASE,
)


def _is_target(text: str, a: ActorMention) -> bool:
    """Words just before the actor make it the target ("targeting PKK positions")."""
    return _TARGETS.get(text, (a.start, a.end), lambda: _is_target_at(text, a))


#: :func:`_is_target` per actor's place in the document (an incident is built again each
#: time a telling joins it).
_TARGETS: TextMemo[bool] = TextMemo()


def _is_target_at(text: str, a: ActorMention) -> bool:
    before = text[max(0, a.start - 40) : a.start]
    if _PLANTED_BY.match(text, a.end):
        return False  # "a Taliban-planted IED": the group set it
    if words().custody_place.match(text[a.end : a.end + 30]) and words().custody_verb.search(
        before
    ):
        return False
    if _FACILITY.match(text, a.end):
        return True  # "a bomb exploded inside Ye township police station": a place
    return bool(
        words().target_cue.search(before[-30:])
        or words().owner_cue.search(before)
        or words().victim_after.match(text[a.end : a.end + 50])
    )


def is_source(text: str, a: ActorMention) -> bool:
    """Words just after the actor make it the source of the report ("HPG reported")."""
    return bool(words().source_cue.match(text[a.end : a.end + 30]))


def victim(actors: list[ActorMention], actor1: ActorMention | None) -> ActorMention | None:
    for a in actors:
        if a is not actor1 and a.value.category in VICTIM_CATEGORIES:
            return a
    others = [
        a
        for a in actors
        if a is not actor1 and a.value.name != (actor1.value.name if actor1 else None)
    ]
    return others[0] if others else None


def _civilian_member(c: CountMention) -> bool:
    """Is the counted "member" one of a council, not of an armed group ("a municipal
    council member")?"""
    return (c.value.victim or "").lower().startswith("member") and bool(
        words().civilian_role.search(c.text)
    )


def victims(
    text: str,
    counts: dict[str, CountMention],
    actor2: ActorMention | None,
    made: list[ActorMention],
) -> tuple[ActorMention | None, bool]:
    """The victim actor and whether the victims are combatants: ``actor2`` as found, else
    civilians inferred from the counted noun ("12 men and four boys"), added to ``made``."""
    victims_armed = False
    # "a former FARC fighter": a civilian now; "a municipal council member": a civilian role
    victim_words = " ".join(
        (c.value.victim or "")
        for r, c in counts.items()
        if ROLE_GROUPS[r] == "harm"
        and not words().former_member.search(c.text)
        and not _civilian_member(c)
    )
    if actor2 is not None:
        victims_armed = actor2.value.category in ARMED
        # "a local SDF official", "a PMF employee": a civilian role in an armed organisation
        after = text[actor2.end : actor2.end + 25]
        before = text[max(0, actor2.start - 40) : actor2.start]
        if victims_armed and (
            words().civilian_role.match(after) or words().former_before.search(before)
        ):
            victims_armed = False
    if victim_words and words().armed_nouns.search(victim_words):
        victims_armed = True  # "a soldier and a civilian were killed": security forces hit
    if actor2 is None and not victims_armed:
        # victims named only by the counted noun ("12 men and four boys"): civilians
        for c in counts.values():
            if c.value.victim and words().civilian_nouns.search(c.value.victim):
                actor2 = Mention(
                    "actor",
                    c.start,
                    c.end,
                    c.text,
                    ActorValue("Civilians", "Civilians", None, None, None, "inferred-from-count"),
                    NAME,
                )
                made.append(actor2)
                break
    return actor2, victims_armed
