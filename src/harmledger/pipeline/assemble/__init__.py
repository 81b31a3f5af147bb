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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import ClassVar

from harmledger.config import SECTION_CHARS, Settings
from harmledger.model import (
    ActorValue,
    Annotated,
    DroppedValue,
    Incident,
    Mention,
    QuoteValue,
    Span,
    TriggerValue,
    mentions_of,
)
from harmledger.pipeline.actor_names import actor_value
from harmledger.pipeline.assemble.background import (
    arrest_of_suspects,
    held_for_event,
    sentence_before,
)
from harmledger.pipeline.assemble.common import (
    INFERRED,
    NAME,
    ActorMention,
    AnyMention,
    Group,
    TriggerMention,
    words,
)
from harmledger.pipeline.assemble.crowds import (
    CIVIL_ACTS,
    civilian_doer,
    crowd_doer,
    crowd_violence,
    ethnic_doer,
)
from harmledger.pipeline.assemble.event_type import decide_event_type, no_conflict
from harmledger.pipeline.assemble.focus import judge
from harmledger.pipeline.assemble.grouping import (
    attach_testimony,
    captions_of,
    continues,
    group_units,
    joined,
    near,
    part_of,
    recaps,
    refers_back,
    retells,
    thin,
)
from harmledger.pipeline.assemble.memo import TextMemo
from harmledger.pipeline.assemble.sections import sections
from harmledger.pipeline.assemble.victims import describe_victims
from harmledger.pipeline.assemble.when import publication_date
from harmledger.pipeline.assemble.where import (
    document_countries,
    document_country,
    heading_country,
    own_country,
)
from harmledger.pipeline.assemble.who import (
    CLAIMABLE,
    acting,
    acts,
    claimant,
    force_unit,
    forces_injured,
    harmed,
    initiator,
    interceptor,
    is_source,
    local_branch,
    localise,
    perpetrator,
    protesters_harmed,
    remote_means,
    repelled,
    victim,
    victims,
)
from harmledger.pipeline.base import INCIDENTS, SENTENCES, mention_kind
from harmledger.pipeline.fatalities import acled_fatalities
from harmledger.pipeline.spans import SpanIndex

#: News is written lead first: an incident told in a story's first sentence gains this
#: much over one told in its last (0.04 let a background paragraph with a named actor and
#: its own date outrank the lead: "Turkey took control of Afrin on March 18" under a story
#: of looting on Thursday; 0.08 and 0.12 measured the same on ACLED notes and the gold set,
#: 0.12 better on FA-KES governorates and on fusion's labelled set).
LEAD_WEIGHT = 0.12
#: How much less sure an incident dated by a period up to now is ("since late April", "since
#: the army launched an offensive last October": the word pattern "since" of assemble.json),
#: which sums up a campaign, than an event of its own (enough that a report's lead, "killed
#: at least 16 people on Tuesday", stays its main incident).
SINCE_PENALTY = 0.3
#: An incident that ended this many days before publication is background when the report
#: also tells something newer, and ranks that much lower.
FRESH_DAYS = 10
STALE_PENALTY = 0.3
#: An incident placed outside the country the report is mostly about (a statement by a
#: body in Washington, the victim's home town abroad, a rally in solidarity in London)
#: ranks this much lower than one in it: the report's main incident is where the report
#: is (see :func:`.where.document_country`).
ABROAD_PENALTY = 0.2
#: An incident that ended this many days before publication, in a report that tells
#: something newer, is no incident at all: a month is about the longest a news report
#: waits to tell an event as news; older events in it are background, comparisons ("a
#: similar attack in April last year"), anniversaries or trials of past events, which a
#: coder does not record from this report.
BACKGROUND_DAYS = 31
#: A date this coarse or coarser (a month; a year has no precision) names no identifiable
#: day: an incident so dated before the news ("Last month, a bomb exploded at a restaurant
#: in Kampala") is background too, however recent the month.
COARSE_PRECISION = 3


class Assembler:
    """Builds :class:`Incident` objects from the mentions of earlier stages; the doers it
    infers where the text names none ("Unidentified Armed Group (Iraq)") are actor mentions
    of its own."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = (
        SENTENCES,
        *(mention_kind(k) for k in ("trigger", "actor", "count", "date", "place", "quote")),
    )
    # the doers it infers, and the dates it derives (from a telling, or the publication)
    assigns: ClassVar[tuple[str, ...]] = (INCIDENTS, mention_kind("actor"), mention_kind("date"))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        incidents, made = assemble(
            doc,
            min_confidence=self.settings.min_confidence,
            section_chars=self.settings.section_chars,
        )
        doc = doc.add(made, stage=self.name)
        return replace(doc, incidents=tuple(incidents))


@dataclass(frozen=True, slots=True)
class _Whole:
    """What every part of a document's assembly reads of the whole document: its countries,
    the stages' versions, its sentence count (for the lead weight), its quotes and the
    sentence index at which the section being assembled starts."""

    country: str | None
    #: the country the document's places name more than any other (None on a tie)
    leading: str | None
    versions: MappingProxyType[str, str]
    n_sent: int
    quotes: SpanIndex[Mention[QuoteValue]]
    first: int = 0


def assemble(
    doc: Annotated, *, min_confidence: float = 0.0, section_chars: int = SECTION_CHARS
) -> tuple[list[Incident], list[AnyMention]]:
    """Incidents of ``doc`` and the mentions assembly itself made (inferred victims). A
    document longer than ``section_chars`` is grouped a section at a time (:mod:`.sections`)."""
    country, leading = document_countries(doc)
    whole = _Whole(
        country=country,
        leading=leading,
        versions=MappingProxyType({s.split(".")[0]: s for s in doc.stages}),
        n_sent=max(1, len(doc.sentences)),
        quotes=SpanIndex(doc.of_type(QuoteValue)),
    )
    captions = captions_of(doc)
    incidents: list[Incident] = []
    made: list[AnyMention] = []
    seen: set[AnyMention] = set()
    for section in sections(doc, section_chars):
        part = replace(whole, first=section.first)
        built = _assemble(section.view, part, captions)
        # words with no day, place or count of their own are no event of their own when
        # the report tells one that has them (see :func:`.grouping.thin`); but a violation
        # of someone's rights ("the activist was detained and tortured") is what a monitor
        # records, dated from the report when it names no day (HRDsAttack's coders do)
        if not all(thin(g) for g, _, _ in built):
            built = [b for b in built if not (thin(b[0]) and not b[1].violations)]
        # harm told in general terms, at no place finer than a region and on no day ("Between
        # 3 and 9 January, forces killed 11 Palestinians in the West Bank", "attacks on
        # workers have increased this year"), sums up events or a trend: not one of its own
        # when the report tells a specific one (the rule: one place, one day)
        # (a violation of someone's rights other than the harm of a toll, "activists have
        # been detained", is what a monitor records, as above)
        if not all(general(g, inc) for g, inc, _ in built):
            built = [b for b in built if not (general(b[0], b[1]) and not _rights(b[1]))]
        for g, inc, extra in built:
            if inc.confidence >= min_confidence:
                incidents.append(inc)
                made += extra
                seen.update(extra)
                if inc.date is not None and inc.date.stage == NAME and inc.date not in seen:
                    # a date assembly derived (from the telling's or the publication's date)
                    made.append(inc.date)
                    seen.add(inc.date)
                for c in g.counts.values():
                    if c.stage == NAME and c not in seen:
                        made.append(c)  # a toll widened by a later telling
                        seen.add(c)
    incidents = _home_first(_news_first(doc, _coded_fatalities(doc, incidents)), whole.leading)
    # the violations its sentences tell as events, and the report's main incidents
    incidents = judge(doc, _dated(doc, incidents, made, seen))
    return attach_testimony(doc, incidents), made


#: A period this many days long or longer names no day: "between 3 and 9 January", "in
#: January", "this year" (ACLED's week precision is a report's days, not an event's day).
GENERAL_DAYS = 6
#: Places no finer than these name no identifiable place of an event.
_REGIONS = ("country", "admin1")


#: Violations that a toll tells (harm done), not a violation of someone's rights a monitor
#: records however general the words.
_TOLL_VIOLATIONS = frozenset({"killing", "injury", "attack on civilians"})


#: Violations of someone's rights a monitor records even when the words give no number,
#: date, place or doer of their own.
_RIGHTS_DONE = frozenset({"abduction", "torture", "arbitrary detention", "enforced disappearance"})
#: Words that tell what tends or may happen, not what was done: "the process often leads to
#: captives going missing", "critics could be detained".
_GENERIC = re.compile(
    r"\b(?:often|usually|routinely|regularly|systematic(?:ally)?|typically|frequently|"
    r"commonly|generally|leads?\s+to|can|may|might|could|would|risk\w*)\b",
    re.IGNORECASE,
)


def _rights_done(text: str, spans: Sequence[Span], violations: Sequence[str]) -> bool:
    """Do the words tell a violation of someone's rights (:data:`_RIGHTS_DONE`) as done,
    not as what tends or may happen (:data:`_GENERIC`)?"""
    if not _RIGHTS_DONE.intersection(violations):
        return False
    return not any(_GENERIC.search(text, s.start, s.end) for s in spans)


def _rights(inc: Incident) -> bool:
    """Does the incident tell a violation of rights beyond a toll's harm (a detention, a
    disappearance, torture, a threat)?"""
    return any(v not in _TOLL_VIOLATIONS for v in inc.violations)


def general(g: Group, inc: Incident) -> bool:
    """Is ``inc`` told only in general terms: placed nowhere finer than a region (a
    province, a state, a country) and dated to no day of its own words, neither by its
    sentence nor by its paragraph's story (a period of a week or more, a month, a year, or
    no date, and then with no one counted)? Such words sum up or describe events ("In
    January 2024, our partners recorded nine incidents ... in which six health workers were
    killed"); an event is at an identifiable place and time."""
    loc = inc.location
    if loc is not None and loc.value.feature not in _REGIONS:
        return False
    d = g.date
    start = d.value.start if d is not None else None
    if d is None or start is None:
        return not g.counts
    v = d.value
    if v.precision is None or v.precision >= COARSE_PRECISION:
        return True
    return ((v.end or start) - start).days >= GENERAL_DAYS


def _dated(
    doc: Annotated, incidents: list[Incident], made: list[AnyMention], seen: set[AnyMention]
) -> list[Incident]:
    """A report that names no day dates its events from its publication (as a coder does):
    done last, once the tellings are joined and the news told apart from the background,
    so that a date the words do not give neither keeps two tellings of one event apart
    nor makes an event news."""
    out = []
    for inc in incidents:
        if inc.date is None and inc.evidence:
            day = publication_date(doc, inc.evidence[0].start)
            if day is not None:
                inc = replace(inc, date=day)
                if day not in seen:
                    made.append(day)
                    seen.add(day)
        out.append(inc)
    return out


def _assemble(
    doc: Annotated, whole: _Whole, captions: SpanIndex[Span]
) -> list[tuple[Group, Incident, list[ActorMention]]]:
    """The groups of ``doc`` (a document or one of its sections) and their incidents."""
    groups = group_units(doc, whole.country, captions=captions)
    built: list[tuple[Group, Incident, list[ActorMention]]] = []
    for g in groups:
        inc, extra = _build(doc, g, whole)
        if inc is None:
            continue
        if built and recaps(g, [b[1] for b in built]) and not _rights(inc):
            # a recap of the events told, one place each: none of its own (a violation of
            # rights told at those places is what a monitor records)
            continue
        if built and _suspects_held(doc.text, g, inc):
            # "the security service said it had detained a man suspected of guiding the
            # strike": the investigation of an event told, not an event of its own
            continue
        # the headline, the lead and "state TV said a bomb went off in Aleppo, killing six"
        # tell one event; "to investigate the killings" refers to the last one told: one
        # incident from all their words
        if refers_back(doc, g, inc):
            same = [
                k
                for k, (_, inc0, _) in enumerate(built)
                if inc0.event_type == inc.event_type and near(g, inc0)
            ]
            targets = same[-1:]
            if not targets and any(_placed_at(g, inc0) for _, inc0, _ in built):
                # "those killed in Merawi were armed fighters": the event told at that
                # place, claimed to be another kind, not a new event
                continue
            if not targets and built and (g.place is None or "place" in g.inherited):
                # a reference to an event ("the Taliban denied any involvement in Friday's
                # attack"), placed nowhere else, in a report that has told an event: not a new
                # event ("in Basra, police are investigating the killings" may be one)
                continue
        else:
            targets = [
                k
                for k, (g0, inc0, _) in enumerate(built)
                if retells(inc0, g0, inc, g) or part_of(doc, inc0, g0, inc, g)
            ]
            if not targets and built and continues(doc, built[-1][1], built[-1][0], inc, g):
                targets = [len(built) - 1]
        for k in targets:
            both = joined(built[k][0], g)
            inc2, extra2 = _build(doc, both, whole)
            if inc2 is not None:
                built[k] = (both, inc2, extra2)
                break
        else:
            built.append((g, inc, extra))
    return built


def _placed_at(g: Group, inc: Incident) -> bool:
    """Does group ``g`` name, as its own place, the place of incident ``inc``?"""
    return (
        g.place is not None
        and "place" not in g.inherited
        and inc.location is not None
        and inc.location.value.name == g.place.value.name
    )


def _suspects_held(text: str, g: Group, inc: Incident) -> bool:
    """Is the incident only the arrest of people suspected of an event the report tells
    (every live trigger an arrest of suspects, :func:`.background.held_for_event`), or of
    suspects of a crime as its own sentence calls them ("Two suspects were arrested on
    Monday", "arrested a man suspected of taking part in the murder of a shopkeeper in
    May"), with no one harmed? Policing that follows the news, not an event of it."""
    if inc.sub_event_type != "Arrests" or inc.fatalities:
        return False
    live = [t for t in g.triggers if t.value.live]
    return bool(live) and all(
        t.value.cls == "arrest"
        and (
            held_for_event(text, Span(t.start, t.end))
            or arrest_of_suspects(text, Span(t.start, t.end), "arbitrary detention")
        )
        for t in live
    )


def _coded_fatalities(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """A coder's own figure in a conflict-data note ("Fatalities coded as 0 (VoJ reported
    2)", "Fatalities are split across 4 events (1)") is the fatalities of the incidents told
    before it (since the last such statement), as a coder's label is an incident's type."""
    since = 0  # a statement covers the incidents told after the one before it
    for m in words().fatalities_coded.finditer(doc.text):
        figure = m.group("n") or m.group("share") or m.group("closing")
        for k, i in enumerate(incidents):
            if figure is not None and i.evidence and since <= i.evidence[0].start < m.start():
                incidents[k] = replace(i, fatalities=int(figure))
        since = m.end()
    return incidents


def _substantial(i: Incident) -> bool:
    """Is the incident news of its own: dated in its own words, with a toll, a place finer
    than a country or a doer the report names?"""
    d = i.date
    if d is None or not any(e.start <= d.start < e.end for e in i.evidence):
        return False
    placed = i.location is not None and i.location.value.feature != "country"
    named = i.actor1 is not None and i.actor1.value.source != INFERRED
    return bool(i.counts) or placed or named


def _home_first(incidents: list[Incident], country: str | None) -> list[Incident]:
    """A report is about events in one country: when some of its incidents are placed in
    the country its places name more than any other, those placed elsewhere ("the U.S.
    House passed a bill on the protests"; "a solidarity rally in London") rank below them."""
    if country is None:
        return incidents

    def abroad(i: Incident) -> bool:
        there = i.location.value.country if i.location is not None else None
        return there is not None and there != country

    if all(abroad(i) for i in incidents):
        return incidents
    return [
        replace(i, confidence=max(0.0, i.confidence - ABROAD_PENALTY)) if abroad(i) else i
        for i in incidents
    ]


def _news_first(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """News is new: when a report tells an event of the days before its publication, an
    incident dated well before them ("the town, which fell to rebels in May"; "the same
    weapons were used in Aleppo last year") is background and ranks below it. A report
    with no recent event (an NGO report on months past) keeps its ranking."""
    published = doc.document.meta.published
    if published is None or published - date.min < timedelta(days=FRESH_DAYS):
        return incidents  # (a document built by hand may carry any date)
    cutoff = published - timedelta(days=FRESH_DAYS)

    def last_day(i: Incident) -> date | None:
        v = i.date.value if i.date is not None else None
        return (v.end or v.start) if v is not None else None

    days = [last_day(i) for i in incidents]
    # news is an event with substance, dated in its own words with a toll, a place or a
    # named doer, not a date taken from the telling ("U.N. inspectors will go to Syria
    # to investigate ...")
    if not any(
        d is not None and d >= cutoff and _substantial(i)
        for i, d in zip(incidents, days, strict=True)
    ):
        return incidents
    background = published - timedelta(days=BACKGROUND_DAYS)

    def coarse(i: Incident) -> bool:
        # dated only to a month or a year ("last month, a bomb exploded at a restaurant"):
        # no identifiable day, told as the background of the news
        v = i.date.value if i.date is not None else None
        return v is not None and (v.precision is None or v.precision >= COARSE_PRECISION)

    return [
        replace(i, confidence=max(0.0, i.confidence - STALE_PENALTY))
        if d is not None and d < cutoff
        else i
        for i, d in zip(incidents, days, strict=True)
        if d is None or d >= cutoff or (d >= background and not coarse(i))
    ]


#: Trigger classes of violence a crowd may do itself (:data:`.crowds.CIVIL_ACTS`) that harm
#: people (not looting).
_CROWD_HARM = frozenset(CIVIL_ACTS) - {"looting"}


_CROWD_WORDS = re.compile(r"\b(?:[Aa]|[Aa]nother)\s+(?:group|crowd|mob)\b")


def _unnamed_crowd(
    text: str, triggers: list[TriggerMention], country: str | None
) -> ActorMention | None:
    """A crowd that names no one as the subject of a word of violence ("a group beat a
    suspected robber", "a group, armed with knives and clubs, attacked a patrol"): the
    civilians who did it, as an actor on the crowd's words."""
    for t in triggers:
        if not t.value.live or t.value.cls not in _CROWD_HARM:
            continue
        a = max(0, t.start - 90)
        m = words().crowd_subject.search(text[a : t.start])
        if m is None:
            continue
        found = _CROWD_WORDS.search(m.group())
        if found is None:  # pragma: no cover - the pattern holds these words
            continue
        start = a + m.start() + found.start()
        end = a + m.start() + len(m.group().rstrip())
        value = replace(actor_value("Civilians"), country=country)
        return Mention("actor", start, end, text[start:end], value, NAME)
    return None


#: :func:`_riot_cause` per unit of the document (a group's incident is built again each
#: time a telling joins it).
_RIOT_CAUSES: TextMemo[bool] = TextMemo()


def _riot_cause(text: str, span: Span) -> bool:
    """Does the unit tell a riot's cause or demand?"""
    return _RIOT_CAUSES.get(
        text, (span.start, span.end), lambda: bool(words().riot_cause.search(span.of(text)))
    )


#: A fight word that is one side's act: an ambush (whose victims decide what it was).
_AMBUSH = re.compile(r"ambush", re.IGNORECASE)


def _ambushed_civilians(
    triggers: Sequence[TriggerMention], actor2: ActorMention | None, victims_armed: bool
) -> bool:
    """Is the incident's only fight an ambush of civilians ("gunmen ambushed a passenger
    vehicle near Magwi, killing three people")?"""
    fights = [t for t in triggers if t.value.live and t.value.cls == "battle"]
    return (
        bool(fights)
        and all(_AMBUSH.match(t.text) for t in fights)
        and actor2 is not None
        and actor2.value.category == "Civilians"
        and not victims_armed
    )


def _build(doc: Annotated, g: Group, whole: _Whole) -> tuple[Incident | None, list[ActorMention]]:
    text = doc.text
    country, versions = whole.country, whole.versions
    ms = [m for u in g.units for m in u.mentions]
    spans = [u.span for u in g.units]
    evidence = Span(spans[0].start, spans[-1].end)
    # reporting bodies ("Amnesty") and whoever the words make the source ("the provincial
    # police said") tell of the event; they are neither its doer nor its victim
    # a coder's label ("Change to armed group: ...") names no actor
    labels = [t for t in g.triggers if t.value.cls == "label"]
    actors = [
        m
        for m in mentions_of(ms, ActorValue)
        if m.value.category != "Source"
        and not is_source(text, m)
        and not any(t.start <= m.start < t.end for t in labels)
    ]
    counted = [Span(c.start, c.end) for c in g.counts.values() if not acting(text, c)]
    triggers = acts(text, g.triggers, g.counts)
    uncounted = [a for a in actors if not any(c.contains(a.span) for c in counted)]
    actor1 = repelled(text, perpetrator(text, uncounted, triggers), actors)
    made: list[ActorMention] = []
    if actor1 is not None and actor1.stage == NAME:
        made.append(actor1)  # two groups named together ("JNIM or IS Sahel")
    mob = False
    fighters_hit = any(
        words().armed_nouns.search(c.value.victim or "")
        and not words().former_member.search(c.text)  # "a former FARC fighter"
        for c in g.counts.values()
    )
    # civilians who fought armed men ("ambushed by local residents") are no mob
    doer = (
        None
        if actor1 is not None or fighters_hit
        else civilian_doer(
            text, uncounted, triggers, [Span(q.start, q.end) for q in doc.of_type(QuoteValue)]
        )
    )
    if doer is None and actor1 is None and not fighters_hit:
        doer = _unnamed_crowd(text, triggers, country)  # "a group beat a suspected thief"
    elif (
        doer is None
        and (crowd := _unnamed_crowd(text, triggers, country)) is not None
        and (actor1 is None or actor1.start > crowd.end)
    ):
        # a crowd that is the subject of the violence is its doer, whoever else is named
        # after it ("A crowd ... beat and burned to death 13 suspected gang members whom
        # police had pulled from a minibus")
        doer, actor1 = crowd, None
    if doer is not None:
        # civilians did it themselves: rioters (mob violence) or a communal militia
        actor1, mob = crowd_doer(doer, made, text)
        actors = [a for a in actors if a is not doer]
    actor2 = victim(actors, actor1)
    actor2, victims_armed = victims(text, g.counts, actor2, made)
    event_type, sub_event_type = decide_event_type(
        triggers,
        actor1.value if actor1 else None,
        victims_armed,
        harmed=harmed(g.counts, triggers),
        crowd_violence=crowd_violence(text, actors, triggers) or mob,
        forces_injured=forces_injured(g.counts),
        mob=mob,
        protesters_harmed=protesters_harmed(g.counts, actor2),
        remote_means=remote_means(text, triggers),
        riot_cause=any(a.value.category == "State Forces" for a in actors)
        or any(_riot_cause(text, s) for s in spans),
        ambushed_civilians=_ambushed_civilians(triggers, actor2, victims_armed),
    )
    if event_type is None and any(t.value.cls == "nonconflict" for t in triggers):
        return None, []  # deaths in an accident or disaster: no one's act of violence
    actor1, actor2 = initiator(event_type, actor1, actor2, actors, triggers, made, text)
    if event_type not in ("Riots", "Protests"):
        actor1 = ethnic_doer(text, triggers, actor1, made)
    if event_type in CLAIMABLE:
        claimed = [m for m in doc.of_type(ActorValue) if m.value.category != "Source"]
        actor1 = claimant(text, claimed, evidence, actor1)
        if actor1 is not None and actor2 is not None and actor2.span == actor1.span:
            actor2 = None
    violations: list[str] = []
    # all the incident's words, the victims' description included: "raped a detained woman"
    # is sexual violence and arbitrary detention, though only the rape sets the event type
    # a sentence of deaths from illness, suicide or a court's sentence tells no violation
    calm = [
        u.span
        for u in g.units
        if no_conflict({m.value.cls for m in mentions_of(u.mentions, TriggerValue) if m.value.live})
    ]
    headline = doc.sentences[0] if doc.sentences else None  # may tell of suspects held
    for t in g.triggers:
        if any(s.start <= t.start < s.end for s in calm):
            continue
        before = sentence_before(doc.sentences, t.start)
        for v in t.value.violations:
            if arrest_of_suspects(text, Span(t.start, t.end), v, before, headline):
                continue  # policing a crime: no arbitrary detention, the charge no violation
            if v not in violations:
                violations.append(v)
    if event_type == "Violence against civilians" and g.counts.get("killed"):
        killed = g.counts["killed"].value
        if (killed.min or killed.max or killed.vague) and "killing" not in violations:
            violations.append("killing")
    civilian_victims = actor2 is not None and not victims_armed
    if (
        civilian_victims
        and event_type in ("Explosions/Remote violence", "Battles")
        and "attack on civilians" not in violations
    ):
        violations.append("attack on civilians")
    if victims_armed:
        # harm to combatants in battle is not a human-rights violation by itself
        violations = [v for v in violations if v not in ("killing", "injury")]
    violations = [v for v in violations if civilian_victims or v != "attack on civilians"]
    if not violations and event_type is None:
        return None, []
    named = actor1 is not None and actor1.value.source != INFERRED
    if not (g.counts or g.date or g.place or named or _rights_done(text, spans, violations)):
        # words of violence with no number, date, place or perpetrator ("the process often
        # leads to captives going missing") give a reviewer nothing to check; but a
        # violation of someone's rights told as done ("the blogger said he had been tortured
        # in detention", "reports of torture, arbitrary arrest and enforced disappearances")
        # is what a monitor records, placed and dated from the report (HRDsAttack's coders do)
        return None, []

    killed_m = g.counts.get("killed")
    fatalities = 0
    if killed_m is not None:
        # the lower bound; a vague number by ACLED's convention ("a number of" -> 3)
        fatalities = acled_fatalities(killed_m.text, killed_m.value)

    location = g.place
    # no place finer than a country: the country the event's own words name, else the
    # document's
    inc_country = (
        location.value.country
        if location
        else (own_country(ms, text, country) or heading_country(doc, evidence.start) or country)
    )
    actor1 = interceptor(g.triggers, actor1, inc_country, made)
    actor1, actor2 = (localise(a, inc_country, made) for a in (actor1, actor2))
    actor1 = force_unit(text, local_branch(text, actor1, made), made)
    found: set[int] = set()
    for s in spans:
        found.update(whole.quotes.overlapping(s.start, s.end))
    told = tuple(whole.quotes.items[k] for k in sorted(found))
    specific = any(t.value.event_type for t in g.triggers)
    confidence = 0.3
    confidence += 0.15 if specific else 0.0
    confidence += 0.15 if g.counts else 0.0
    confidence += 0.1 if g.date and "date" not in g.inherited else 0.0
    confidence += 0.1 if g.place and "place" not in g.inherited else 0.0
    confidence += 0.05 if g.inherited else 0.0
    confidence += 0.1 if named else 0.0  # an inferred doer is no evidence
    confidence += 0.05 if actor2 else 0.0
    # the lead of a story usually reports its main event
    confidence += LEAD_WEIGHT * (1 - (whole.first + g.units[0].index) / whole.n_sent)
    # a period running up to now ("Hundreds of civilians have been killed since late
    # April") sums up a campaign: the background of a report, not its news
    if g.date is not None and words().since.search(
        doc.text[max(0, g.date.start - 64) : g.date.start]
    ):
        confidence -= SINCE_PENALTY
    confidence = max(0.0, min(confidence, 0.99))  # the contract's 0..1

    described = describe_victims(text, spans, dict(g.counts), actor1, actor2, uncounted)
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
        quotes=told,
        triggers=tuple(g.triggers),
        evidence=tuple(spans),
        evidence_text=tuple(s.of(doc.text) for s in spans),
        confidence=confidence,
        stage=NAME,
        versions=MappingProxyType({**versions, "assemble": NAME}),
        country=inc_country,
        # values its words give that cannot be true ("99999999999999999999 killed"): noted
        dropped=tuple(mentions_of(ms, DroppedValue)),
        victims=described,
    )
    return inc, made


__all__ = ["NAME", "Assembler", "assemble", "decide_event_type", "document_country"]
