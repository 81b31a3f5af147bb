"""Assembly: group mentions into incidents and fill the contract's fields.

How it works, in order:

1. **Seeds.** Every sentence with a non-negated trigger is a seed, except the headline
   (it summarises the story rather than reporting one event).
2. **Grouping.** Consecutive seed sentences of one paragraph form one incident unless the
   later sentence *conflicts*: it states its own date or place and they differ from the
   incident's, it gives a different number for a role the incident already counts, or it
   counts a different *kind* of harm (killed/injured/tortured vs missing/abducted vs detained
   vs displaced: "Seventy-three other men ... are still missing" after an execution is a
   second incident).
3. **Inheritance.** An incident with no date or place of its own takes them from the
   previous incident of the same paragraph (the report is still telling that story); the
   confidence drops and the field's mention shows where the value came from.
4. **Fields.** Event type from the triggers' classes by the lexicon's precedence and who
   did what to whom (:func:`decide_event_type`); counts per role (a count without a role
   takes the role of the nearest trigger in its sentence); perpetrator = the armed actor
   nearest a trigger, preferring "X attacked" and "attacked by X"; victim = a civilian-type
   actor, else one inferred from the counted noun ("12 men and four boys" -> Civilians).
5. **Confidence** grows with evidence: a specific trigger, a count, an own date and place,
   a perpetrator; it drops for inherited fields and vague sentences.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import ClassVar

from harmledger.config import Settings
from harmledger.gazetteer import km_between
from harmledger.model import (
    ActorValue,
    Annotated,
    CountValue,
    DateValue,
    Incident,
    Mention,
    PlaceValue,
    Span,
    TriggerValue,
)
from harmledger.pipeline.actor_names import acled_name, actor_value
from harmledger.pipeline.fatalities import acled_fatalities
from harmledger.pipeline.trigger_lexicon import is_background, is_grievance, load_lexicon
from harmledger.pipeline.triggers import implied_actor, trigger_class

NAME = "assemble.v16"

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
VICTIM_CATEGORIES = frozenset({"Civilians", "Protesters"})

#: Categories whose generic names take the incident's country ("security forces" in an
#: Iraqi report are "Military Forces of Iraq", "civilians" are "Civilians (Iraq)"); named
#: cross-border groups (Islamic State, PKK) keep their own name.
LOCALISED = frozenset({"State Forces", "Civilians", "Protesters", "Rioters", "Unidentified"})

#: Counted nouns that make the victims combatants (for Battles vs violence against civilians).
ARMED_NOUNS = re.compile(
    r"\b(?:soldiers?|troops?|fighters?|militants?|militiamen|(?<!family )members?|officers?|"
    r"policem[ae]n|personnel|servicem[ae]n|gunmen|jihadists?|terrorists?|insurgents?|recruits?|guards?|"
    r"peshmerga|cadres?|commanders?|elements?)\b",
    re.IGNORECASE,
)
CIVILIAN_NOUNS = re.compile(
    r"\b(?:civilians?|people|persons?|men|women|children|boys?|girls?|residents?|villagers?|"
    r"farmers?|shepherds?|families|relatives?|worshippers?|students?|workers?|"
    r"protesters?|demonstrators?|journalists?|doctors?|pilgrims?|displaced|refugees?|"
    r"individuals?|brothers?|sisters?|sons?|daughters?|teenagers?|infants?|babies|"
    r"Iraqis|Syrians|Kurds|Yazidis|Sunnis|Shias?|Christians|inhabitants?|citizens?)\b",
    re.IGNORECASE,
)
#: A civilian role right after an armed organisation's name ("SDF official"): the victim
#: works for it but does not fight.
CIVILIAN_ROLE = re.compile(
    r"\s*(?:officials?|employees?|administrators?|mukhtars?|council\s+members?|"
    r"spokes(?:man|woman|person)|teachers?|doctors?|engineers?|judges?|journalists?|clerks?)\b",
    re.IGNORECASE,
)
#: Words at a sentence start that refer back to the incident being told.
_REPORTED_AS = re.compile(r"^\W*(?:As )?reported(?: on)?\s*$", re.IGNORECASE)

_BREAKS = re.compile(r"\n+")
#: What follows a wire dateline's date: "BAGHDAD, Oct. 17, 2016 (Reuters) -"
_DATELINE_TAIL = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*[-–—]")

#: How many characters before a date the reporting words must be to make it a reporting
#: date ("the report released Tuesday", "told AFP on Sunday"), not the incident's date.
REPORTING_WINDOW = 28
#: Between reporting words and a date, these start the reported clause ("said that on ...").
_CLAUSE_OPENER = re.compile(r"\bthat\b|,")


#: How many characters from a count a trigger may stand to give it a role (the counts
#: stage binds the role words of the count's own clause; a trigger word it does not know,
#: "opened fire at several Kurds", still binds when it is this close).
ROLE_REACH = 40

#: Where a sentence that counts two kinds of harm splits into clauses.
CLAUSE_BOUNDARY = re.compile(r";|,\s+(?:with|while|whereas|and|but|as|after|before)\b|\s+while\b")
#: How close a place must stand before a reference trigger to be that event's name.
REFERENCE_NAME_GAP = 3


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence, or one clause of a sentence that reports two kinds of harm."""

    index: int  # the sentence's index (adjacency is counted in sentences)
    span: Span
    para: int
    mentions: tuple[Mention, ...]


@dataclass
class _Group:
    units: list[_Unit]
    para: int
    triggers: list[Mention] = field(default_factory=list)
    counts: dict[str, Mention] = field(default_factory=dict)
    date: Mention | None = None
    place: Mention | None = None
    inherited: set[str] = field(default_factory=set)


def _paragraphs(doc: Annotated) -> list[int]:
    """Paragraph number of each sentence (a line of the cleaned text is a paragraph)."""
    out, para, pos = [], 0, 0
    for s in doc.sentences:
        para += len(_BREAKS.findall(doc.text, pos, s.start))
        pos = s.start
        out.append(para)
    return out


def _by_sentence(doc: Annotated) -> dict[int, list[Mention]]:
    """Each sentence's mentions, without those of photo captions."""
    captions = _captions(doc)
    out: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        i = doc.sentence_index(m.start)
        if i is not None and not any(c.start <= m.start < c.end for c in captions):
            out.setdefault(i, []).append(m)
    return out


#: A photo credit after its caption, in text copied from a web page: "REUTERS/Bassam
#: Khabieh", "(Reuters Photo)", "(TRT World and Agencies)", "(AFP)" before the next sentence.
_PHOTO_CREDIT = re.compile(
    r"\b(?:REUTERS|AFP|AP|EPA)/[A-Z][\w-]+(?: [A-Z][\w-]+)?"
    r"|\((?:Reuters|AFP|AP|EPA|Getty|Anadolu)[^()\n]{0,25}(?:Photo|Images|Agency)\)"
    r"|\([A-Z][\w ]{2,30} and Agencies\)"
    r"|(?<=[.\d] )\((?:AFP|AP|Reuters|EPA)\)(?= \S)"
)


def _captions(doc: Annotated) -> list[Span]:
    """Photo captions ("A man runs with a stretcher after air strikes on Aleppo, September
    21 2016. (TRT World and Agencies)"): the sentence before a photo credit, to the end of
    the credit. A caption may show another day or place than the story (a file photo):
    a coder does not code from it."""
    text = doc.text
    out = []
    for m in _PHOTO_CREDIT.finditer(text):
        end = len(text[: m.start()].rstrip())
        i = doc.sentence_index(max(0, end - 1))
        if i is not None:
            out.append(Span(doc.sentences[i].start, m.end()))
    return out


def _is_reporting_date(doc: Annotated, m: Mention, sentence: Span) -> bool:
    """A date that says when something was reported, not when it happened."""
    if _DATELINE_TAIL.match(doc.text, m.end):
        return True
    before = doc.text[max(sentence.start, m.start - REPORTING_WINDOW) : m.start]
    said = None
    for said in load_lexicon().reporting.finditer(before):  # noqa: B007 - the last one
        pass
    # "HPG reported that on 26 May, ...", "As reported by HPG, on 19 September, ...": the
    # date opens the clause that tells the event; "told AFP on Sunday" dates the telling
    return said is not None and not _CLAUSE_OPENER.search(before, said.end())


#: "The death toll ... rose to 17 on Friday": the date of the count's rise, not the event's.
_TOLL_ROSE = re.compile(
    r"\b(?:rose|risen|climbed|increased|jumped|reached)\s+to\s+(?:at\s+least\s+)?[\w,.-]+"
    r"(?:\s+(?:people|dead|deaths|victims))?\s*$",
    re.IGNORECASE,
)


def _own_date(doc: Annotated, ms: Sequence[Mention], sentence: Span) -> Mention | None:
    dates = [m for m in ms if m.kind == "date" and m.value.start is not None]  # type: ignore[union-attr]
    event_dates = [m for m in dates if not _is_reporting_date(doc, m, sentence)]
    if event_dates:
        m = event_dates[0]
        before = doc.text[max(sentence.start, m.start - 48) : m.start]
        if m.value.precision == 1 and _TOLL_ROSE.search(before):  # type: ignore[union-attr]
            return _day_or_before(m)  # the event happened that day or before
        return m
    # ACLED-style notes open with "As reported on 5 May," which *is* the event's date
    if dates and _REPORTED_AS.match(doc.text[sentence.start : dates[0].start]):
        return dates[0]
    return None


#: News is written lead first: an incident told in a story's first sentence gains this
#: much over one told in its last (0.04 let a background paragraph with a named actor and
#: its own date outrank the lead: "Turkey took control of Afrin on March 18" under a story
#: of looting on Thursday; 0.08 and 0.12 measured the same on ACLED notes and the gold set,
#: 0.12 better on FA-KES governorates and on fusion's labelled set).
LEAD_WEIGHT = 0.12
#: "since late April", "since the army launched an offensive last October": a period up to
#: now; its incident sums up a campaign (background).
_SINCE = re.compile(r"\bsince\b[^.;:,]{0,60}$", re.IGNORECASE)
#: How much less sure such a summary is than an event of its own (enough that a report's
#: lead, "killed at least 16 people on Tuesday", stays its main incident).
SINCE_PENALTY = 0.3
#: An incident that ended this many days before publication is background when the report
#: also tells something newer, and ranks that much lower.
FRESH_DAYS = 10
STALE_PENALTY = 0.3
#: "said on Tuesday [,] that ...": the telling's date opens the news it tells.
_THAT_FOLLOWS = re.compile(r"\s*,?\s*that\b", re.IGNORECASE)


def _reported_date(doc: Annotated, ms: Sequence[Mention], sentence: Span) -> Mention | None:
    """When a news flash dates only its telling, before the news ("A security source said
    on Tuesday that a car bomb exploded in Khalis"), the event happened on that day or
    shortly before: a date of precision 2 from the day before the telling to that day,
    spanning the telling's date words. A report's release date after the event ("..., a
    rights group said in a report released Tuesday") says nothing of when it happened.
    None when the sentence has no such date."""
    for m in ms:
        v = m.value
        if m.kind != "date" or v.start is None or v.precision != 1:  # type: ignore[union-attr]
            continue
        if _THAT_FOLLOWS.match(doc.text, m.end) and _is_reporting_date(doc, m, sentence):
            return _day_or_before(m)
    return None


def _day_or_before(m: Mention) -> Mention:
    """Date mention ``m`` (a day) read as "that day or the day before": the event of a
    telling or of a toll's rise dated ``m``. Precision 2, spanning ``m``'s words."""
    v: DateValue = m.value  # type: ignore[assignment]
    day = v.end or v.start
    assert day is not None
    value = DateValue(day - timedelta(days=1), day, 2, relative=v.relative)
    return Mention("date", m.start, m.end, m.text, value, NAME)


def _context_date(
    doc: Annotated, by_sent: dict[int, list[Mention]], paras: list[int], u: _Unit
) -> Mention | None:
    """The last event date stated before ``u`` in its paragraph, by a sentence that reports
    no violence itself: "On 7 June 2020, a fight broke out between two tribes in Fuhud.
    Three people were injured." (the injuries happened that day)."""
    before = [m for m in by_sent.get(u.index, []) if m.end <= u.span.start]
    sentence = doc.sentences[u.index]
    i = u.index
    while True:
        found = _own_date(doc, before, sentence)
        if found is not None:
            return found
        i -= 1
        if i < 0 or paras[i] != u.para:
            return None
        before, sentence = by_sent.get(i, []), doc.sentences[i]


#: How specific a place is, by its gazetteer class (lower is more specific): a place
#: inside a less specific one the sentence also names is where the event happened ("in
#: the village of Daure, in the Kani Masi area of Duhok's Amedi district" is Daure).
PLACE_SPECIFICITY = MappingProxyType(
    {
        "landmark": 0,
        "military base": 0,
        "airport": 0,
        "camp": 0,
        "neighbourhood": 0,
        "village": 0,
        "town": 1,
        "city": 2,
        "admin3": 3,
        "admin2": 4,
        "region": 5,
        "admin1": 5,
    }
)
#: An opening quote (after a space or a bracket) and a closing one (before a space or
#: punctuation): "the 'Camp Speicher massacre'", "the so-called 'battle of Mosul'".
_OPEN_QUOTE = re.compile(r"(?:^|(?<=[\s(]))['‘\"“]")
_CLOSE_QUOTE = re.compile(r"['’\"”](?=[\s.,;:)!?]|$)")
#: How far back a quote may open and still hold a place name.
QUOTE_WINDOW = 120


def _quoted(text: str, start: int) -> bool:
    """Does the place at ``start`` stand inside quotation marks (a title, a name, a
    slogan) rather than in the report's own words?"""
    lo = max(0, start - QUOTE_WINDOW)
    opening = [m.end() for m in _OPEN_QUOTE.finditer(text, lo, start)]
    if not opening:
        return False
    return _CLOSE_QUOTE.search(text, opening[-1], start) is None


#: How far from a town's or city's centre a place counts as inside it.
TOWN_RADIUS_KM = MappingProxyType({"town": 10.0, "city": 20.0})


def _contains_another(v: PlaceValue, places: Sequence[Mention]) -> bool:
    """Is ``v`` the province, district, city or town another, more specific place of the
    sentence lies in ("Kirkuk's southern district of Daquq", "al Intisar in Mosul city",
    "near the village of Mukhaysah at the edge of the city of Khanaqin")?"""
    mine = PLACE_SPECIFICITY.get(v.feature or "", 3)
    radius = TOWN_RADIUS_KM.get(v.feature or "")
    for m in places:
        o: PlaceValue = m.value  # type: ignore[assignment]
        if o.name == v.name:
            continue
        if v.name in (o.admin1, o.admin2):
            return True
        if PLACE_SPECIFICITY.get(o.feature or "", 3) >= mine:
            continue
        if radius is not None and (d := km_between(o, v)) is not None and d <= radius:
            return True
    return False


#: Words before a place that make it an end of a road, not where the event is: "blocked
#: the road between Kut and Amarah in Ali al Sharqi".
_BETWEEN = re.compile(
    r"\bbetween(?:\s+the)?(?:\s+(?:cities|towns|provinces|villages)\s+of)?\s+$"
    r"|\bbetween\s+[^,.;()]{1,40}?\s+and(?:\s+the)?\s+$",
    re.IGNORECASE,
)
#: Words after a place that make it part of a unit's or an institution's name: "the
#: commander of Kerbala brigade in Sadr city", "the Samarra operations command shelled".
_UNIT_NAME_AFTER = re.compile(
    r"\s+(?:brigades?|battalions?|regiments?|divisions?|operations?\s+command|"
    r"court|courts|council|directorate|police\s+(?:command|directorate))\b",
    re.IGNORECASE,
)


def _not_venue(text: str, m: Mention) -> bool:
    """Is the place only an end of a road or a stretch ("between X and Y"), or part of a
    unit's name ("Kerbala brigade")?"""
    return bool(
        _BETWEEN.search(text, max(0, m.start - 60), m.start) or _UNIT_NAME_AFTER.match(text, m.end)
    )


def _own_place(
    ms: Sequence[Mention], *, text: str | None = None, country: str | None = None
) -> Mention | None:
    """The place of the event a sentence reports: the most specific place it names,
    passing over places it names only as the unit another lies in, places inside quotes,
    and places outside the document's country when it names one inside it."""
    places = [
        m
        for m in ms
        if m.kind == "place" and m.value.feature != "country"  # type: ignore[union-attr]
    ]
    if not places:
        return None
    if len(places) == 1:
        return places[0]  # nothing to rank it against
    at_home = country is not None and any(m.value.country == country for m in places)  # type: ignore[union-attr]

    def rank(m: Mention) -> tuple[int, int, int]:
        v: PlaceValue = m.value  # type: ignore[assignment]
        passed = 0
        if text is not None and _quoted(text, m.start):
            passed += 4
        if at_home and v.country != country:
            passed += 2
        if _contains_another(v, places):
            passed += 1
        if text is not None and _not_venue(text, m):
            passed += 1
        if text is not None and _in_dateline(text, m):
            passed += 1  # where the report was filed, when the sentence names the event's
        # the most precise place wins; among equals, the first named
        return (passed, v.precision or 9, m.start)

    return min(places, key=rank)


#: A dateline after a place at the start of a line: "Hasaka, SANA - ", "BAGHDAD (Reuters) - ".
_DATELINE_AFTER = re.compile(r"[^.\n]{0,60}?\s[-–—]\s")


def _in_dateline(text: str, m: Mention) -> bool:
    """The place opens a dateline: where the report was filed, not always where the event
    happened ("Hasaka, SANA - ... a car bomb in the al-Hilaliyeh neighborhood of Qamishli")."""
    at_line_start = m.start == 0 or text[m.start - 1] == "\n"
    return at_line_start and _DATELINE_AFTER.match(text, m.end) is not None


#: How many sentences after an event's own the place may come from when the sentence
#: names none: "At least 35 militants were killed overnight in northern Syria, a monitor
#: said. The Observatory said 30 were killed around the town of Shadadi."
PLACE_LOOKAHEAD = 2


def _context_place(
    doc: Annotated,
    by_sent: dict[int, list[Mention]],
    paras: list[int],
    u: _Unit,
    country: str | None,
) -> Mention | None:
    """A place for an event whose own words name none: the nearest place named before it
    in its paragraph (the report is still telling that story), else the first one named
    in the next PLACE_LOOKAHEAD sentences of the paragraph (a lead that says where only
    later)."""

    def place_of(i: int) -> Mention | None:
        ms = by_sent.get(i, [])
        names = _event_names(doc, ms)  # "the Speicher massacre" is no event's place
        ms = [m for m in ms if m not in names and not u.span.start <= m.start < u.span.end]
        return _own_place(ms, text=doc.text, country=country)

    found = place_of(u.index)
    i = u.index - 1
    while found is None and i >= 0 and paras[i] == u.para:
        found = place_of(i)
        i -= 1
    last = min(len(paras) - 1, u.index + PLACE_LOOKAHEAD)
    i = u.index + 1
    while found is None and i <= last and paras[i] == u.para:
        found = place_of(i)
        i += 1
    return found


def _role_of(count: Mention, triggers: Sequence[Mention]) -> str | None:
    v: CountValue = count.value  # type: ignore[assignment]
    if v.role:
        return v.role
    roled = [t for t in triggers if t.value.role and t.value.live]  # type: ignore[union-attr]

    def gap(t: Mention) -> int:
        return min(abs(t.start - count.end), abs(count.start - t.end))

    # a trigger far from the count tells of something else ("dozens of people protested
    # ... demanding justice for the killing of demonstrators")
    roled = [t for t in roled if gap(t) <= ROLE_REACH]
    if not roled:
        return None
    return min(roled, key=gap).value.role  # type: ignore[union-attr]


def _uncertain(v: CountValue) -> bool:
    """ "killed or injured": none of the people counted is known to have suffered it."""
    return v.min == 0 and v.max != 0


def _combine(old: Mention, new: Mention) -> Mention | None:
    """One count for a role from two counts of it in one incident, or None when they
    disagree (two incidents). A count that only says "killed or injured" gives way to a
    certain one ("5 were killed or injured ... HPG confirmed the killing of 2")."""
    a: CountValue = old.value  # type: ignore[assignment]
    b: CountValue = new.value  # type: ignore[assignment]
    if a == b or (_uncertain(b) and not _uncertain(a)):
        return old
    if _uncertain(a) and not _uncertain(b):
        return new
    return None


def _roles_group(counts: dict[str, Mention]) -> set[str]:
    return {ROLE_GROUPS[r] for r in counts}


#: Trigger classes grouped by what they say happened (ACLED's codebook asks who acted on whom
#: with what; these are the "with what" and "what").
_REMOTE = ("chemical", "suicide", "air", "ied", "grenade", "shelling")
_DEMO = ("protest", "protest_weak", "excessive_force", "protest_intervention")
_CROWD_FORCE = ("protest_intervention", "sound_bomb", "arrest")
_HARM = ("attack", "assault", "shooting", "killing", "injury")
#: Classes that name an act of conflict even next to words of an accident, disaster, court or
#: sport ("a suicide bomber blew himself up at a football stadium").
_CONFLICT = (*_DEMO, "sexual", "suicide", "air", "chemical", "battle", "abduction", "attack")
_CONFLICT += ("grenade", "riot", "mob", "regain", "territory")


def decide_event_type(
    triggers: Sequence[Mention],
    actor1: ActorValue | None,
    victims_armed: bool,
    *,
    harmed: bool = False,
    crowd_violence: bool = False,
    forces_injured: bool = False,
) -> tuple[str | None, str | None]:
    """ACLED event type and sub-event type for an incident's triggers and actors.

    ``harmed``: people were killed or injured (a count or a harm word); ``crowd_violence``:
    the crowd itself attacked, stormed, burned or clashed (not the forces facing it);
    ``forces_injured``: the people counted as injured are police or soldiers.
    The cascade follows ACLED's codebook: a coder's label wins; then remnants of war and
    disrupted weapons (no one used them); then demonstrations (rioters or protesters act
    first, so they decide between Riots and Protests); then the weapon that did the harm
    (remote violence), unless the report describes a ground fight; then who was harmed.
    """
    lex = load_lexicon()
    live = [t for t in triggers if t.value.live]  # type: ignore[union-attr]
    if not live:
        return None, None
    classes: dict[str, Mention] = {}
    for t in live:
        classes.setdefault(trigger_class(t.value), t)  # type: ignore[arg-type]

    def typed(c: str) -> tuple[str | None, str | None]:
        tv: TriggerValue = classes[c].value  # type: ignore[assignment]
        return tv.event_type, tv.sub_event_type

    has = classes.__contains__
    if has("label"):
        return typed("label")  # "Property destruction: On 3 May ..." is the coder's own call
    if has("nonconflict") and not any(has(c) for c in _CONFLICT):
        # a crash, flood, court sentence or match: deaths or "artillery" with no act of
        # conflict named
        return None, None
    if has("sexual"):
        return typed("sexual")
    if has("remnant"):
        if harmed and actor1 is not None and actor1.category in ARMED:
            # a device an armed group left behind ("an IS remnant IED exploded, killing a
            # farmer") is that group's explosion; a remnant of past wars is no one's act
            return "Explosions/Remote violence", "Remote explosive/landmine/IED"
        return typed("remnant")  # explosive remnants of war found or cleared
    if has("grave"):
        return typed("grave")  # a mass grave found: the killing was long before
    remote = [c for c in _REMOTE if has(c)]
    if has("disrupted") and not harmed and not has("air"):
        # "defused an IED", "seized rockets": the weapon never hit; but "airstrikes targeted
        # weapons caches" is the strike
        return typed("disrupted")
    demo = any(has(c) for c in _DEMO)
    battle = has("battle")
    if demo or has("riot"):
        if has("riot") or (demo and (crowd_violence or battle)):
            # the crowd's own violence makes it a riot, whatever the forces did in return
            return "Riots", "Violent demonstration"
        heavy = [c for c in remote if c not in ("grenade",)]
        if demo and forces_injured and not heavy:
            # "a police officer was injured during the demonstration": the crowd hurt them
            return "Riots", "Violent demonstration"
        if demo and not heavy:
            if has("excessive_force") or (
                not victims_armed and (harmed or has("shooting") or has("grenade"))
            ):
                return "Protests", "Excessive force against protesters"
            if any(has(c) for c in _CROWD_FORCE):
                return "Protests", "Protest with intervention"
            if has("protest") or has("protest_weak") or not (battle or remote):
                return "Protests", "Peaceful protest"
    if has("mob"):
        return typed("mob")
    if has("regain") or has("territory"):
        # a change of control is the event, whatever fighting or shelling won it; "retook",
        # "liberated" is the government's word, unless a non-state group is the doer
        state = actor1 is not None and actor1.category == "State Forces"
        armed_other = actor1 is not None and actor1.category in ARMED and not state
        if has("regain") and not armed_other:
            return "Battles", "Government regains territory"
        return "Battles", "Non-state actor overtakes territory"
    if remote and not battle:
        best = min(remote, key=lambda c: lex.precedence.get(c, 99))
        return typed(best)
    if battle:
        return typed("battle")  # clashes, also with mortars or an IED: the fight is the event
    harm = [c for c in _HARM if has(c)]
    if (
        victims_armed
        and harm
        and (any(c in ("killing", "injury") for c in harm) or (actor1 and actor1.category in ARMED))
    ):
        # armed men harmed by armed men: a battle, even when arrests or seizures followed
        return "Battles", "Armed clash"
    if has("abduction"):
        return typed("abduction")
    if has("attack") or has("torture") or (harmed and harm):
        return "Violence against civilians", "Attack"
    if has("arrest"):
        if actor1 is not None and actor1.category in ARMED - {"State Forces"}:
            # a non-state group "detaining" people is an abduction (ACLED codebook)
            return "Violence against civilians", "Abduction/forced disappearance"
        return typed("arrest")
    for c in ("disrupted", "looting", "sound_bomb", "discovery", "hq", "transfer", "agreement"):
        if has(c):
            return typed(c)
    if harm:
        if victims_armed:
            return "Battles", "Armed clash"
        return "Violence against civilians", "Attack"
    if has("group_change"):
        return typed("group_change")
    if has("change"):
        return typed("change")
    if has("disappearance"):
        return "Violence against civilians", "Abduction/forced disappearance"
    if has("torture"):
        return typed("torture")
    if has("crowd"):
        return typed("crowd")
    return None, None


class Assembler:
    """Builds :class:`Incident` objects from the mentions of earlier stages."""

    name: ClassVar[str] = NAME
    assigns: ClassVar[tuple[str, ...]] = ("incident",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        incidents, made = assemble(doc, min_confidence=self.settings.min_confidence)
        doc = doc.add(made, stage=self.name)
        return replace(doc, incidents=tuple(incidents))


def document_country(doc: Annotated) -> str | None:
    """The country the document is mostly about: places first, then actors' countries."""
    votes: Counter[str] = Counter()
    for m in doc.mentions:
        if m.kind == "place" and m.value.country:  # type: ignore[union-attr]
            votes[m.value.country] += 2  # type: ignore[union-attr]
        elif m.kind == "actor" and m.value.country:  # type: ignore[union-attr]
            votes[m.value.country] += 1  # type: ignore[union-attr]
    return votes.most_common(1)[0][0] if votes else None


def _event_names(doc: Annotated, ms: Sequence[Mention]) -> set[Mention]:
    """Places that only name an earlier event ("payback for the [Speicher] massacre")."""
    refs = [m for m in ms if m.kind == "trigger" and m.value.reference]  # type: ignore[union-attr]
    out = set()
    for m in ms:
        if m.kind == "place":
            for t in refs:
                gap = doc.text[m.end : t.start]
                if 0 <= len(gap) <= REFERENCE_NAME_GAP and not gap.strip():
                    out.add(m)
    return out


def _units(doc: Annotated, by_sent: dict[int, list[Mention]], paras: list[int]) -> list[_Unit]:
    """Sentences, with a sentence split into clauses when it counts two kinds of harm
    ("4.2 million were forced to flee ..., with thousands missing and killed ...")."""
    units = []
    for i, sent in enumerate(doc.sentences):
        ms = by_sent.get(i, [])
        names = _event_names(doc, ms)
        if names:
            ms = [m for m in ms if m not in names]
        triggers = [m for m in ms if m.kind == "trigger" and m.value.live]  # type: ignore[union-attr]
        roled = sorted(
            ((c, _role_of(c, triggers)) for c in ms if c.kind == "count"), key=lambda x: x[0].start
        )
        roled = [(c, r) for c, r in roled if r]
        cuts = []
        for (a, ra), (b, rb) in pairwise(roled):
            if ROLE_GROUPS[ra] != ROLE_GROUPS[rb]:  # type: ignore[index]
                cut = CLAUSE_BOUNDARY.search(doc.text, a.end, b.start)
                if cut:
                    cuts.append(cut.start())
        bounds = [sent.start, *cuts, sent.end]
        for lo, hi in pairwise(bounds):
            piece = Span(lo, hi)
            units.append(_Unit(i, piece, paras[i], tuple(m for m in ms if lo <= m.start < hi)))
    return units


def assemble(
    doc: Annotated, *, min_confidence: float = 0.0
) -> tuple[list[Incident], list[Mention]]:
    """Incidents of ``doc`` and the mentions assembly itself made (inferred victims)."""
    by_sent = _by_sentence(doc)
    paras = _paragraphs(doc)
    title = (doc.document.meta.title or "").strip()
    country = document_country(doc)
    groups: list[_Group] = []
    for u in _units(doc, by_sent, paras):
        ms = u.mentions
        triggers = [m for m in ms if m.kind == "trigger" and m.value.live]  # type: ignore[union-attr]
        if not triggers:
            continue
        if title and u.span.of(doc.text).strip() == title:
            continue
        date = _own_date(doc, ms, doc.sentences[u.index])
        place = _own_place(ms, text=doc.text, country=country)
        counts: dict[str, Mention] = {}
        for c in (m for m in ms if m.kind == "count"):
            role = _role_of(c, triggers)
            if role and role not in counts:
                counts[role] = c
            elif role:
                counts[role] = _combine(counts[role], c) or counts[role]
        g = groups[-1] if groups else None
        joins = (
            g is not None
            and g.para == u.para
            and u.index - g.units[-1].index <= 2
            and not (date and g.date and date.value != g.date.value)
            and not (place and g.place and place.value.name != g.place.value.name)  # type: ignore[union-attr]
            and not any(r in g.counts and _combine(g.counts[r], counts[r]) is None for r in counts)
            and not (counts and g.counts and _roles_group(counts) - _roles_group(g.counts))
        )
        if joins and g is not None:
            g.units.append(u)
            g.triggers += triggers
            for r, c in counts.items():
                g.counts[r] = (_combine(g.counts[r], c) if r in g.counts else c) or c
            g.date = g.date or date
            g.place = g.place or place
            continue
        if g is not None and _elaborates(doc, g, u, triggers, date, place, counts):
            # "The attack took place in the desert south of Mayadeen": the paragraph after
            # a story's event tells where (or when) that event happened
            g.units.append(u)
            g.triggers += triggers
            g.para = u.para
            g.date = g.date or date
            if place is not None and (g.place is None or "place" in g.inherited):
                g.place = place
                g.inherited.discard("place")
            for r, c in counts.items():
                g.counts[r] = (_combine(g.counts[r], c) if r in g.counts else c) or c
            continue
        anchored = g is not None and (
            (g.date and "date" not in g.inherited) or (g.place and "place" not in g.inherited)
        )
        quoted = any(m.kind == "quote" for m in ms)
        if (
            g is not None
            and anchored
            and u.para - g.para == 1
            and not (date or place or counts or quoted)
            and _same_kind(g, triggers)
        ):
            # a paragraph that adds no date, place, number or testimony to an event the
            # paragraph before anchored tells more of it ("Witnesses said two missiles hit
            # the market"); a new testimony is a new account
            g.units.append(u)
            g.triggers += triggers
            g.para = u.para
            continue
        new = _Group([u], u.para, triggers, counts, date, place)
        if g is not None and g.para == u.para:
            # still the same story: inherit what the sentence does not say
            if new.date is None and g.date is not None:
                new.date = g.date
                new.inherited.add("date")
            if new.place is None and g.place is not None:
                new.place = g.place
                new.inherited.add("place")
        if new.date is None:
            new.date = _context_date(doc, by_sent, paras, u)
            if new.date is not None:
                new.inherited.add("date")
        if new.date is None:
            new.date = _reported_date(doc, ms, doc.sentences[u.index])
            if new.date is not None:
                new.inherited.add("date")
        if new.place is None:
            new.place = _context_place(doc, by_sent, paras, u, country)
            if new.place is not None:
                new.inherited.add("place")
        groups.append(new)

    versions = MappingProxyType({s.split(".")[0]: s for s in doc.stages})
    n_sent = max(1, len(doc.sentences))
    built: list[tuple[_Group, Incident, list[Mention]]] = []
    for g in groups:
        inc, extra = _build(doc, g, country, versions, n_sent)
        if inc is None:
            continue
        # the headline, the lead and "state TV said a bomb went off in Aleppo, killing six"
        # tell one event; "to investigate the killings" refers to the last one told: one
        # incident from all their words
        if _refers_back(doc, g, inc):
            same = [
                k
                for k, (_, inc0, _) in enumerate(built)
                if inc0.event_type == inc.event_type and _near(g, inc0)
            ]
            targets = same[-1:]
        else:
            targets = [k for k, (g0, inc0, _) in enumerate(built) if _retells(inc0, g0, inc, g)]
        for k in targets:
            both = _joined(built[k][0], g)
            inc2, extra2 = _build(doc, both, country, versions, n_sent)
            if inc2 is not None:
                built[k] = (both, inc2, extra2)
                break
        else:
            built.append((g, inc, extra))
    incidents: list[Incident] = []
    made: list[Mention] = []
    for g, inc, extra in built:
        if inc.confidence >= min_confidence:
            incidents.append(inc)
            made += extra
            if g.date is not None and g.date.stage == NAME and g.date not in made:
                made.append(g.date)  # a date assembly derived (from the telling's date)
    return _attach_testimony(doc, _news_first(doc, incidents)), made


def _refers_back(doc: Annotated, g: _Group, inc: Incident) -> bool:
    """Is ``inc`` only a definite reference to an event told before ("calls on the
    authorities to investigate the killings")? Every trigger is a definite description,
    and it has no number and no date of its own."""
    if g.counts or (g.date is not None and "date" not in g.inherited):
        return False
    return all(_definite(doc.text, t) for t in g.triggers)


#: How far from an event a definite reference to it may place itself ("investigate the
#: killings ... in the villages west of Tal Afar" of killings 20 km west of Tal Afar).
REFERENCE_KM = 30.0


def _near(g: _Group, inc: Incident) -> bool:
    """Is group ``g``'s own place (if any) that of ``inc`` or close to it?"""
    if g.place is None or "place" in g.inherited or inc.location is None:
        return True
    a: PlaceValue = g.place.value  # type: ignore[assignment]
    b: PlaceValue = inc.location.value  # type: ignore[assignment]
    if a.name == b.name:
        return True
    d = km_between(a, b)
    return d is not None and d <= REFERENCE_KM


def _retells(a: Incident, ga: _Group, b: Incident, gb: _Group) -> bool:
    """Does incident ``b`` tell again the event of ``a``, told earlier in the same report?
    Same kind; the same place (stated, not only the country) and a compatible date, or the
    same date and the same toll where one states no place; no count and no named
    perpetrator that disagree."""
    if a.event_type is None or (a.event_type, a.sub_event_type) != (b.event_type, b.sub_event_type):
        return False
    da, db = (i.date.value if i.date else None for i in (a, b))
    # a place the sentence took from the one before, or only a country ("an airstrike in
    # Syria killed 10" twice may be two strikes), is no evidence of one place
    pa, pb = (
        i.location.value  # type: ignore[union-attr]
        if i.location and "place" not in g.inherited and i.location.value.feature != "country"  # type: ignore[union-attr]
        else None
        for i, g in ((a, ga), (b, gb))
    )
    same_date = da is not None and db is not None and (da.start, da.end) == (db.start, db.end)  # type: ignore[union-attr]
    if da is not None and db is not None and not same_date:
        return False
    ka, kb = a.counts.get("killed"), b.counts.get("killed")
    same_toll = bool(ka and kb and a.fatalities and _agree(ka, kb))
    if pa is not None and pb is not None:
        # two undated tellings of harm in one village without a toll may be two events
        if pa.name != pb.name or not (same_date or same_toll or (da is None) != (db is None)):  # type: ignore[union-attr]
            return False
    elif not (same_date and same_toll and _same_name(a.location, b.location)):
        return False
    if not all(_agree(c, b.counts[r]) for r, c in a.counts.items() if r in b.counts):
        return False
    # "unidentified gunmen" and a named group may be one doer told twice
    named = [
        i.actor1.value.name  # type: ignore[union-attr]
        for i in (a, b)
        if i.actor1 is not None
        and i.actor1.value.source != _INFERRED  # type: ignore[union-attr]
        and i.actor1.value.category != "Unidentified"  # type: ignore[union-attr]
    ]
    return len(set(named)) <= 1


def _same_name(a: Mention | None, b: Mention | None) -> bool:
    """The same place, or one of them unknown."""
    return a is None or b is None or a.value.name == b.value.name  # type: ignore[union-attr]


def _agree(a: Mention, b: Mention) -> bool:
    """Can two counts of one role be one number? The same lower bound ("six people",
    "at least 6"), or a vague, rough or open one whose range holds the other ("dozens" and
    "30"; "more than 200" and "213")."""
    va: CountValue = a.value  # type: ignore[assignment]
    vb: CountValue = b.value  # type: ignore[assignment]
    if (va.min is not None and va.min == vb.min) or _combine(a, b) is not None:
        return True
    loose = (va.vague, va.approximate, vb.vague, vb.approximate, va.max is None, vb.max is None)
    if not any(loose):
        return False
    lo_a, lo_b = va.min or 0, vb.min or 0
    hi_a = va.max if va.max is not None else float("inf")
    hi_b = vb.max if vb.max is not None else float("inf")
    return lo_a <= hi_b and lo_b <= hi_a


def _joined(a: _Group, b: _Group) -> _Group:
    """One group of the units of two groups that tell one event."""
    units = sorted({*a.units, *b.units}, key=lambda u: (u.index, u.span.start))
    counts = dict(b.counts)
    counts.update(a.counts)
    g = _Group(units, a.para, a.triggers + b.triggers, counts, a.date, a.place, set(a.inherited))
    for what in ("date", "place"):
        if getattr(g, what) is None or (what in a.inherited and what not in b.inherited):
            setattr(g, what, getattr(b, what))
            g.inherited.discard(what)
            if what in b.inherited:
                g.inherited.add(what)
    return g


def _news_first(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """News is new: when a report tells an event of the days before its publication, an
    incident dated well before them ("the town, which fell to rebels in May"; "the same
    weapons were used in Aleppo last year") is background and ranks below it. A report
    with no recent event (an NGO report on months past) keeps its ranking."""
    published = doc.document.meta.published
    if published is None:
        return incidents
    cutoff = published - timedelta(days=FRESH_DAYS)

    def last_day(i: Incident) -> date | None:
        v: DateValue | None = i.date.value if i.date is not None else None  # type: ignore[assignment]
        return (v.end or v.start) if v is not None else None

    days = [last_day(i) for i in incidents]
    if not any(d is not None and d >= cutoff for d in days):
        return incidents
    return [
        replace(i, confidence=i.confidence - STALE_PENALTY) if d is not None and d < cutoff else i
        for i, d in zip(incidents, days, strict=True)
    ]


#: "The attack", "the blast", "this bombing": a definite description of an event already
#: told (the words just before the trigger).
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


def _definite(text: str, trigger: Mention, start: int = 0) -> bool:
    """Is ``trigger`` a definite description ("the attack") in the words from ``start``?"""
    return _DEFINITE.search(text[max(start, trigger.start - 20) : trigger.start]) is not None


def _same_kind(g: _Group, triggers: Sequence[Mention]) -> bool:
    """Do ``triggers`` tell no other kind of event than group ``g``'s? ("the protest that
    followed" after a bombing tells another event)."""
    told = {t.value.event_type for t in g.triggers if t.value.event_type}  # type: ignore[union-attr]
    kinds = {t.value.event_type for t in triggers if t.value.event_type}  # type: ignore[union-attr]
    return not told or kinds <= told


def _elaborates(
    doc: Annotated,
    g: _Group,
    u: _Unit,
    triggers: Sequence[Mention],
    date: Mention | None,
    place: Mention | None,
    counts: dict[str, Mention],
) -> bool:
    """Does unit ``u`` (in the paragraph after group ``g``'s) tell more of g's event? Its
    first trigger must be a definite description of an event ("The attack took place in
    the desert south of Mayadeen"), of g's kind, adding only what g lacks: a place when g
    has none of its own, a date equal to g's, counts that do not contradict g's."""
    if u.para - g.para != 1 or not triggers:
        return False
    if not _definite(doc.text, triggers[0], doc.sentences[u.index].start):
        return False
    if not _same_kind(g, triggers):
        return False
    if date is not None and (g.date is None or date.value != g.date.value):
        return False
    if place is not None and g.place is not None and "place" not in g.inherited:
        return False
    return not any(r in g.counts and _combine(g.counts[r], c) is None for r, c in counts.items())


def _attach_testimony(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """A quote that is part of no incident is testimony about the incident told just
    before it (at most one paragraph break between them)."""
    used = {m for inc in incidents for m in inc.quotes}
    out = list(incidents)
    for q in doc.of_kind("quote"):
        if q in used:
            continue
        before = [
            (k, inc)
            for k, inc in enumerate(out)
            if inc.evidence and inc.evidence[-1].end <= q.start
        ]
        if not before:
            continue
        k, inc = max(before, key=lambda x: x[1].evidence[-1].end)
        if len(_BREAKS.findall(doc.text, inc.evidence[-1].end, q.start)) <= 1:
            out[k] = replace(inc, quotes=(*inc.quotes, q))
    return out


def _build(
    doc: Annotated,
    g: _Group,
    country: str | None,
    versions: MappingProxyType[str, str],
    n_sent: int,
) -> tuple[Incident | None, list[Mention]]:
    text = doc.text
    ms = [m for u in g.units for m in u.mentions]
    spans = [u.span for u in g.units]
    evidence = Span(spans[0].start, spans[-1].end)
    # reporting bodies ("Amnesty") and whoever the words make the source ("the provincial
    # police said") tell of the event; they are neither its doer nor its victim
    actors = [
        m
        for m in ms
        if m.kind == "actor" and m.value.category != "Source" and not _is_source(text, m)  # type: ignore[union-attr]
    ]
    counted = [Span(c.start, c.end) for c in g.counts.values() if not _acting(text, c)]
    triggers = _acts(text, g.triggers, g.counts)
    actor1 = _perpetrator(
        text, [a for a in actors if not any(c.contains(a.span) for c in counted)], triggers
    )
    actor2 = _victim(actors, actor1)
    made: list[Mention] = []
    victims_armed = False
    victim_words = " ".join(
        (c.value.victim or "")
        for r, c in g.counts.items()  # type: ignore[union-attr]
        if ROLE_GROUPS[r] == "harm"
    )
    if actor2 is not None:
        victims_armed = actor2.value.category in ARMED  # type: ignore[union-attr]
        # "a local SDF official", "a PMF employee": a civilian role in an armed organisation
        after = text[actor2.end : actor2.end + 25]
        if victims_armed and CIVILIAN_ROLE.match(after):
            victims_armed = False
    if victim_words and ARMED_NOUNS.search(victim_words):
        victims_armed = True  # "a soldier and a civilian were killed": security forces hit
    if actor2 is None and not victims_armed:
        # victims named only by the counted noun ("12 men and four boys"): civilians
        for c in g.counts.values():
            if c.value.victim and CIVILIAN_NOUNS.search(c.value.victim):  # type: ignore[union-attr]
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
    event_type, sub_event_type = decide_event_type(
        triggers,
        actor1.value if actor1 else None,  # type: ignore[arg-type]
        victims_armed,
        harmed=_harmed(g.counts, triggers),
        crowd_violence=_crowd_violence(text, actors, triggers),
        forces_injured=_forces_injured(g.counts),
    )
    if event_type is None and any(trigger_class(t.value) == "nonconflict" for t in triggers):  # type: ignore[arg-type]
        return None, []  # deaths in an accident or disaster: no one's act of violence
    actor1, actor2 = _initiator(event_type, actor1, actor2, actors, triggers, made)
    violations: list[str] = []
    # all the incident's words, the victims' description included: "raped a detained woman"
    # is sexual violence and arbitrary detention, though only the rape sets the event type
    for t in g.triggers:
        for v in t.value.violations:  # type: ignore[union-attr]
            if v not in violations:
                violations.append(v)
    if event_type == "Violence against civilians" and g.counts.get("killed"):
        killed: CountValue = g.counts["killed"].value  # type: ignore[assignment]
        if (killed.min or killed.max or killed.vague) and "killing" not in violations:
            violations.append("killing")
    civilian_victims = actor2 is not None and not victims_armed
    if civilian_victims and event_type in ("Explosions/Remote violence", "Battles"):
        violations.append("attack on civilians")
    if victims_armed:
        # harm to combatants in battle is not a human-rights violation by itself
        violations = [v for v in violations if v not in ("killing", "injury")]
    violations = [v for v in violations if civilian_victims or v != "attack on civilians"]
    if not violations and event_type is None:
        return None, []
    named = actor1 is not None and actor1.value.source != _INFERRED  # type: ignore[union-attr]
    if not (g.counts or g.date or g.place or named):
        # words of violence with no number, date, place or perpetrator ("the process often
        # leads to captives going missing") give a reviewer nothing to check
        return None, []

    killed_m = g.counts.get("killed")
    fatalities = 0
    if killed_m is not None:
        # the lower bound; a vague number by ACLED's convention ("a number of" -> 3)
        fatalities = acled_fatalities(killed_m.text, killed_m.value)  # type: ignore[arg-type]

    location = g.place
    inc_country = location.value.country if location else country  # type: ignore[union-attr]
    actor1, actor2 = (_localise(a, inc_country, made) for a in (actor1, actor2))
    quotes = tuple(
        m for m in doc.of_kind("quote") if any(s.overlaps(Span(m.start, m.end)) for s in spans)
    )
    specific = any(t.value.event_type for t in g.triggers)  # type: ignore[union-attr]
    confidence = 0.3
    confidence += 0.15 if specific else 0.0
    confidence += 0.15 if g.counts else 0.0
    confidence += 0.1 if g.date and "date" not in g.inherited else 0.0
    confidence += 0.1 if g.place and "place" not in g.inherited else 0.0
    confidence += 0.05 if g.inherited else 0.0
    confidence += 0.1 if named else 0.0  # an inferred doer is no evidence
    confidence += 0.05 if actor2 else 0.0
    # the lead of a story usually reports its main event
    confidence += LEAD_WEIGHT * (1 - g.units[0].index / n_sent)
    # a period running up to now ("Hundreds of civilians have been killed since late
    # April") sums up a campaign: the background of a report, not its news
    if g.date is not None and _SINCE.search(doc.text[max(0, g.date.start - 64) : g.date.start]):
        confidence -= SINCE_PENALTY
    confidence = min(confidence, 0.99)

    key = f"{doc.document.id}|{','.join(sorted(versions.values()))}|{evidence.start}:{evidence.end}"
    incident_id = hashlib.sha256(key.encode()).hexdigest()[:16]
    inc = Incident(
        doc_id=doc.document.id,
        doc_name=doc.document.name,
        incident_id=incident_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        violations=tuple(violations),
        actor1=actor1,
        actor2=actor2,
        counts=MappingProxyType(dict(g.counts)),
        fatalities=fatalities,
        date=g.date,
        location=location,
        quotes=quotes,
        triggers=tuple(g.triggers),
        evidence=tuple(spans),
        confidence=confidence,
        stage=NAME,
        versions=MappingProxyType({**versions, "assemble": NAME}),
        country=inc_country,
    )
    return inc, made


#: A verb right after a counted group that makes the group the doer ("10 armed men stormed").
_ACTIVE_VERB = re.compile(
    r"\s+(?!(?:killed|injured|wounded|died|detained|arrested|abducted|kidnapped|captured|"
    r"displaced|executed|missing)\b)(?:[a-z]+ed|shot|threw|broke|took|set|blew|hit|led|fought|"
    r"stole|hurled|opened|fired|launched)\b(?!\s+by\b)"
)
#: Words before an actor that make it the target, not the doer ("airstrikes against the PKK").
_TARGET_CUE = re.compile(
    r"\b(?:(?:on|at|near|outside|inside)\s+(?:(?:the|a|an)\s+)?$|"
    r"(?:against|targeting|targeted|target|hit|hitting|struck|striking|killing|killed|shot|"
    r"injuring|injured|wounding|wounded|arrested|arresting|detained|detaining|captured|"
    r"capturing|kidnapped|abducted|attacked|attacking|ambushed|shelled|shelling|bombed|"
    r"pounded|belonging to|neutrali[sz]ed|neutrali[sz]ing|pursue|pursuing|pursued|hunting|"
    r"destroyed|destroying|seized|seizing|positions of|hideouts of)\s+"
    r"(?:(?:the|a|an|two|three|\d+|several|some)\s+)?(?:(?!(?:by|in|on|at|during|with|from|near|after|before|when|while|and|or|as|for|to|of|"
    r"that|who|which)\b)[\w-]+\s+)?$)",
    re.IGNORECASE,
)
#: Words before an actor that make it the owner of what was hit ("targeted the vehicle of a
#: police officer", "planted at the home of a PMF member"): the owner is the target too.
_OWNER_CUE = re.compile(
    r"\b(?:vehicles?|cars?|houses?|homes?|convoys?|patrols?|checkpoints?|doorsteps?|"
    r"residences?|offices?|headquarters|families|family|relatives|shops?|farms?|tents?|"
    r"trucks?|bases?|posts?|sites?|depots?|positions?)\s+of\s+(?:(?:the|a|an|one|two)\s+)?"
    r"(?:[\w-]+\s+)?$"
    r"|\b(?:destroy(?:ed|ing)|target(?:ed|ing)|struck|hit|kill(?:ed|ing)|arrest(?:ed|ing)|"
    r"found|bomb(?:ed|ing)|shell(?:ed|ing)|attack(?:ed|ing))\s+(?:(?:a|an|the|several)\s+)?"
    r"(?:(?:large|small|big)\s+)?(?:number|group|series|cell|gathering|convoy)s?\s+(?:of|if)\s+$",
    re.IGNORECASE,
)
#: Words after an actor that make it the one harmed ("police forces were injured by the
#: explosion", "two soldiers were killed"): a victim, not the doer.
_VICTIM_AFTER = re.compile(
    r"^\s+(?:\w+\s+)?(?:was|were|had been|have been|has been|got)\s+(?:\w+ly\s+)?"
    r"(?:killed|injured|wounded|hurt|shot|kidnapped|abducted|targeted|attacked|ambushed|"
    r"executed|assassinated|martyred|hit|struck)\b",
    re.IGNORECASE,
)
#: Between an actor and a trigger, words that end the actor's clause ("coalition forces were
#: present, injuring ...": not the coalition's act).
_NOT_SUBJECT = re.compile(r"[.;,]|\b(?:while|when|whereas|after|before|where|who|which)\b")
#: A perpetrator score below this says the words make the actor the doer (subject or agent).
AGENT_SCORE = 20
#: Words after an actor that make it the source of the report ("HPG reported that").
_SOURCE_CUE = re.compile(
    r"^\s*(?:reported|reports|said|says|stated|announced|confirmed|"
    r"published|sources?|media|statement|news)\b",
    re.IGNORECASE,
)
#: An auxiliary just before a verb: the doer comes after "by" ("were attacked by police").
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
#: Trigger classes whose doer, in a demonstration, may be the crowd (riot) or the forces.
_CROWD_ACTS = ("assault", "battle", "looting")
#: The source of an actor the assembler infers from what happened, not from a name.
_INFERRED = "inferred-from-event"
#: Event types whose unnamed doer is an unidentified armed group (ACLED's convention).
_UNNAMED_ARMED = ("Explosions/Remote violence", "Violence against civilians", "Battles")


def _acting(text: str, count: Mention) -> bool:
    """A counted group that does the act ("around 10 armed men stormed the village")."""
    return bool(_ACTIVE_VERB.match(text, count.end))


def _acts(text: str, triggers: list[Mention], counts: dict[str, Mention]) -> list[Mention]:
    """Triggers that report what happened: not the ones inside the victims' description
    ("killed 2 IS suicide bombers", "3 explosive experts were injured"), and at a
    demonstration not what the crowd protests about ("demanding justice for the killing
    of protesters", "protested the US attack on PMF bases")."""
    victims = [Span(c.start, c.end) for r, c in counts.items() if ROLE_GROUPS[r] != "displaced"]
    out = [t for t in triggers if not any(v.contains(Span(t.start, t.end)) for v in victims)]
    # "an activist who took part in demonstrations was shot": the victim's background
    out = [t for t in out if not (trigger_class(t.value) in _DEMO and is_background(text, t.start))]  # type: ignore[arg-type]
    classes = {trigger_class(t.value) for t in out}  # type: ignore[arg-type]
    if classes & set(_DEMO):
        out = [
            t
            for t in out
            if trigger_class(t.value) in _DEMO or not is_grievance(text, t.start)  # type: ignore[arg-type]
        ]
    return out


def _forces_injured(counts: dict[str, Mention]) -> bool:
    """The people counted as injured are police or soldiers ("40 police were injured")."""
    c = counts.get("injured")
    return c is not None and bool(ARMED_NOUNS.search(c.value.victim or ""))  # type: ignore[union-attr]


def _harmed(counts: dict[str, Mention], triggers: Sequence[Mention]) -> bool:
    """People were killed or injured: a count of them, or a live word of harm."""
    for role in ("killed", "injured"):
        c = counts.get(role)
        if c is not None and (c.value.min or c.value.max or c.value.vague):  # type: ignore[union-attr]
            return True
    return any(
        t.value.live and trigger_class(t.value) in ("killing", "injury", "attack")  # type: ignore[union-attr,arg-type]
        for t in triggers
    )


def _subject(text: str, actors: Sequence[Mention], t: Mention) -> Mention | None:
    """The doer of a trigger's verb: "by X" after a passive ("were attacked by police"),
    else the nearest actor before it in its sentence that is not itself an object
    ("militiamen opened fire on protesters and burned their tents": the militiamen)."""
    sent_end = re.search(r"[.;]", text[t.end :])
    limit = t.end + (sent_end.start() if sent_end else len(text) - t.end)
    if _PASSIVE.search(text[max(0, t.start - 20) : t.start]):
        after = [a for a in actors if t.end <= a.start < limit]
        for a in sorted(after, key=lambda a: a.start):
            if re.search(r"\bby\s+(?:\S+\s+){0,3}$", text[t.end : a.start]):
                return a
        return None
    before = [
        a for a in actors if a.end <= t.start and not re.search(r"[.;]", text[a.end : t.start])
    ]
    for a in sorted(before, key=lambda a: -a.end):
        if t.start - a.end > 120:
            break
        if not _TARGET_CUE.search(text[max(0, a.start - 30) : a.start]):
            return a
    return None


def _crowd_violence(text: str, actors: Sequence[Mention], triggers: Sequence[Mention]) -> bool:
    """At a demonstration, the crowd itself attacked, stormed, burned or clashed: the doer
    of such a word is not a state force or another armed group."""
    for t in triggers:
        if not t.value.live or trigger_class(t.value) not in _CROWD_ACTS:  # type: ignore[union-attr,arg-type]
            continue
        who = _subject(text, actors, t)
        if who is None or who.value.category not in ARMED - {"Rioters"}:  # type: ignore[union-attr]
            return True
    return False


def _inferred(name: str, at: Mention, made: list[Mention]) -> Mention:
    m = Mention("actor", at.start, at.end, at.text, actor_value(name, source=_INFERRED), NAME)
    made.append(m)
    return m


def _initiator(
    event_type: str | None,
    actor1: Mention | None,
    actor2: Mention | None,
    actors: Sequence[Mention],
    triggers: Sequence[Mention],
    made: list[Mention],
) -> tuple[Mention | None, Mention | None]:
    """ACLED's actor1 is who started the event: the protesters of a protest, the rioters
    of a riot (the forces facing them are actor2), and for violence an unidentified armed
    group when the report names no one ("an IED exploded")."""
    live = [t for t in triggers if t.value.live]  # type: ignore[union-attr]
    if event_type in ("Protests", "Riots"):
        want = "Protesters" if event_type == "Protests" else "Rioters"
        crowd = [a for a in actors if a.value.category == want]  # type: ignore[union-attr]
        if not crowd and want == "Rioters":
            crowd = [a for a in actors if a.value.category == "Protesters"]  # type: ignore[union-attr]
        forces = actor1 if actor1 is not None and actor1.value.category in ARMED else None  # type: ignore[union-attr]
        if crowd:
            who = crowd[0]
            if who.value.name != want:  # type: ignore[union-attr]
                value = replace(actor_value(want), country=who.value.country)  # type: ignore[union-attr]
                who = Mention("actor", who.start, who.end, who.text, value, NAME)
                made.append(who)
        else:
            at = next((t for t in live if implied_actor(t.value) in (want, "Protesters")), None)  # type: ignore[arg-type]
            if at is None:
                return actor1, actor2
            who = _inferred(want, at, made)
        return who, forces or (actor2 if actor2 is not None and actor2 is not who else None)
    if actor1 is None and event_type in _UNNAMED_ARMED:
        for t in live:
            name = implied_actor(t.value)  # type: ignore[arg-type]
            if name and name not in ("Protesters", "Rioters"):
                return _inferred(name, t, made), actor2
        at = live[0] if live else None
        if at is not None:
            return _inferred("Unidentified Armed Group", at, made), actor2
    return actor1, actor2


def _localise(m: Mention | None, country: str | None, made: list[Mention]) -> Mention | None:
    """The actor with the incident's country in its ACLED-style name, when it has none."""
    if m is None or country is None:
        return m
    v: ActorValue = m.value  # type: ignore[assignment]
    if v.category not in LOCALISED or (v.category == "State Forces" and v.country):
        return m  # named forces ("Popular Mobilization Forces") keep their canonical name
    where = v.country or country
    name = acled_name(v, country=where)
    if name == v.name:
        return m
    local = Mention(m.kind, m.start, m.end, m.text, replace(v, name=name, country=where), NAME)
    made.append(local)
    return local


def _perpetrator(text: str, actors: list[Mention], triggers: list[Mention]) -> Mention | None:
    """The armed actor that did it: "X attacked", "attacked by X", "X's airstrikes", else
    the nearest. An actor the words make a target ("airstrikes against the PKK", "an IED
    planted on a police vehicle") is not the doer; when only such actors are named, the
    doer is unknown (None). Sources ("HPG reported that") are left out by the caller."""
    armed = [a for a in actors if a.value.category in ARMED]  # type: ignore[union-attr]
    doers = [a for a in armed if not _is_target(text, a)]
    if not doers:
        return None
    placed = {a.value.category for a in doers if a.value.country}  # type: ignore[union-attr]

    def score(a: Mention) -> float:
        best = 1e9
        for t in triggers:
            if a.start <= t.start and t.end <= a.end and (a.start, a.end) != (t.start, t.end):
                d = -40.0  # "Turkish airstrikes", "IS suicide attack": the actor's own act
            elif a.start < t.end and t.start < a.end:
                d = 10.0  # a bare "artillery", "drones": the weapon; whose it is is told elsewhere
            elif a.end <= t.start:
                gap = text[a.end : t.start]
                d = len(gap)
                if d < 40 and not _NOT_SUBJECT.search(gap):
                    d -= 20  # "ISIS attack", "IS militants shot": the subject
            else:
                gap = text[t.end : a.start] if a.start >= t.end else ""
                d = abs(a.start - t.end) + 5
                if re.match(r"^\W*(?:\w+\W+){0,3}?by\b", gap):
                    d -= 30  # "were executed by X"
            best = min(best, d)
        v: ActorValue = a.value  # type: ignore[assignment]
        if v.country is None and v.category in placed:
            best += 25  # "artillery" after "Turkish forces": the same force, named better
        return best

    scored = sorted(((score(a), a.start, a) for a in doers), key=lambda x: x[:2])
    # a group the report names ("NOHR blamed Islamic State militants") beats "gunmen", when
    # the words make it a doer too (its subject or "by" agent), not a bystander
    named = [x for x in scored if x[2].value.category != "Unidentified" and x[0] < AGENT_SCORE]  # type: ignore[union-attr]
    chosen = (named or scored)[0][2]
    if _BACKER.search(text[max(0, chosen.start - 30) : chosen.start]):
        # "police backed by the Iraqi air force": the backed force did it, the backer helped
        backed = [a for a in doers if a.end <= chosen.start and chosen.start - a.end <= 60]
        if backed:
            chosen = max(backed, key=lambda a: a.end)
    for a in sorted(doers, key=lambda a: -a.end):
        # "Iraqi police and military forces": ACLED's actor1 is the first named
        if a.end <= chosen.start and _COORDINATED.match(text[a.end : chosen.start]):
            chosen = a
    return _parent_force(text, chosen, armed)


#: Words before an actor that make it the backer of another ("backed by the coalition").
_BACKER = re.compile(
    r"\b(?:backed|supported|assisted|aided|covered|accompanied)\s+by\s+(?:the\s+)?(?:[\w-]+\s+)?$"
    r"|\b(?:with|under)\s+(?:the\s+)?(?:support|backing|cover|help)\s+(?:of|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: Between two actors named together as the doers: "police and army", "PMF, police".
_COORDINATED = re.compile(r"^\s*(?:,|and|as well as|along with|together with)\s+(?:the\s+)?$")


#: Between a state force and a unit named as part of it: "the PMF's Badr Organization
#: (brigade 23)", "Saraya al-Salam fighters of the PMF".
_UNIT_OF = re.compile(r"['’]s\s+(?:[\w()-]+\s+){0,4}$")
_OF_PARENT = re.compile(
    r"^\s*(?:\([^()]{0,40}\)\s*)?(?:(?:brigades?|fighters?|members?|units?|forces)\s+)?"
    r"(?:of|from|within) the\s+$"
)
_UNIT_CATEGORIES = ("Political Militias", "Identity Militias")


def _parent_force(text: str, a: Mention, armed: Sequence[Mention]) -> Mention:
    """A militia the report names as a unit of a state force acts as that force (ACLED codes
    "the PMF's Badr Organization" as the Popular Mobilization Forces)."""
    if a.value.category not in _UNIT_CATEGORIES:  # type: ignore[union-attr]
        return a
    for b in armed:
        if b.value.category != "State Forces" or b is a:  # type: ignore[union-attr]
            continue
        if b.end <= a.start and _UNIT_OF.search(text[b.start : a.start]):
            return b
        if a.end <= b.start and _OF_PARENT.match(text[a.end : b.start]):
            return b
    return a


#: "tortured at an Iraqi military facility": the force that holds a place of custody is
#: the one that tortured or detained there, not the target of an attack on it.
_CUSTODY_PLACE = re.compile(
    r"^\s+(?:facility|facilities|prison|jail|detention|base|camp|compound|headquarters|"
    r"barracks|cells?|station)\b",
    re.IGNORECASE,
)
_CUSTODY_VERB = re.compile(r"\b(?:tortur\w*|held|detain\w*|imprison\w*|beat\w*|abused)\b", re.I)


def _is_target(text: str, a: Mention) -> bool:
    """Words just before the actor make it the target ("targeting PKK positions")."""
    before = text[max(0, a.start - 40) : a.start]
    if _CUSTODY_PLACE.match(text[a.end : a.end + 30]) and _CUSTODY_VERB.search(before):
        return False
    return bool(
        _TARGET_CUE.search(before[-30:])
        or _OWNER_CUE.search(before)
        or _VICTIM_AFTER.match(text[a.end : a.end + 50])
    )


def _is_source(text: str, a: Mention) -> bool:
    """Words just after the actor make it the source of the report ("HPG reported")."""
    return bool(_SOURCE_CUE.match(text[a.end : a.end + 30]))


def _victim(actors: list[Mention], actor1: Mention | None) -> Mention | None:
    for a in actors:
        if a is not actor1 and a.value.category in VICTIM_CATEGORIES:  # type: ignore[union-attr]
            return a
    others = [
        a
        for a in actors
        if a is not actor1 and a.value.name != (actor1.value.name if actor1 else None)
    ]  # type: ignore[union-attr]
    return others[0] if others else None


__all__ = ["Assembler", "assemble", "decide_event_type", "document_country"]
