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
from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import ClassVar

from harmledger.config import Settings
from harmledger.model import ActorValue, Annotated, Incident, QuoteValue, Span, mentions_of
from harmledger.pipeline.assemble.common import (
    INFERRED,
    NAME,
    ActorMention,
    AnyMention,
    Group,
    words,
)
from harmledger.pipeline.assemble.event_type import decide_event_type
from harmledger.pipeline.assemble.grouping import (
    attach_testimony,
    group_units,
    joined,
    near,
    refers_back,
    retells,
)
from harmledger.pipeline.assemble.when import publication_date
from harmledger.pipeline.assemble.where import document_country
from harmledger.pipeline.assemble.who import (
    acting,
    acts,
    crowd_violence,
    forces_injured,
    harmed,
    initiator,
    is_source,
    localise,
    perpetrator,
    victim,
    victims,
)
from harmledger.pipeline.base import INCIDENTS, SENTENCES, mention_kind
from harmledger.pipeline.fatalities import acled_fatalities

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
        incidents, made = assemble(doc, min_confidence=self.settings.min_confidence)
        doc = doc.add(made, stage=self.name)
        return replace(doc, incidents=tuple(incidents))


def assemble(
    doc: Annotated, *, min_confidence: float = 0.0
) -> tuple[list[Incident], list[AnyMention]]:
    """Incidents of ``doc`` and the mentions assembly itself made (inferred victims)."""
    country = document_country(doc)
    groups = group_units(doc, country)

    versions = MappingProxyType({s.split(".")[0]: s for s in doc.stages})
    n_sent = max(1, len(doc.sentences))
    built: list[tuple[Group, Incident, list[ActorMention]]] = []
    for g in groups:
        inc, extra = _build(doc, g, country, versions, n_sent)
        if inc is None:
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
        else:
            targets = [k for k, (g0, inc0, _) in enumerate(built) if retells(inc0, g0, inc, g)]
        for k in targets:
            both = joined(built[k][0], g)
            inc2, extra2 = _build(doc, both, country, versions, n_sent)
            if inc2 is not None:
                built[k] = (both, inc2, extra2)
                break
        else:
            built.append((g, inc, extra))
    incidents: list[Incident] = []
    made: list[AnyMention] = []
    for _g, inc, extra in built:
        if inc.confidence >= min_confidence:
            incidents.append(inc)
            made += extra
            if inc.date is not None and inc.date.stage == NAME and inc.date not in made:
                # a date assembly derived (from the telling's or the publication's date)
                made.append(inc.date)
    return attach_testimony(doc, _news_first(doc, incidents)), made


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
        v = i.date.value if i.date is not None else None
        return (v.end or v.start) if v is not None else None

    days = [last_day(i) for i in incidents]
    if not any(d is not None and d >= cutoff for d in days):
        return incidents
    return [
        replace(i, confidence=i.confidence - STALE_PENALTY) if d is not None and d < cutoff else i
        for i, d in zip(incidents, days, strict=True)
    ]


def _build(
    doc: Annotated,
    g: Group,
    country: str | None,
    versions: MappingProxyType[str, str],
    n_sent: int,
) -> tuple[Incident | None, list[ActorMention]]:
    text = doc.text
    ms = [m for u in g.units for m in u.mentions]
    spans = [u.span for u in g.units]
    evidence = Span(spans[0].start, spans[-1].end)
    # reporting bodies ("Amnesty") and whoever the words make the source ("the provincial
    # police said") tell of the event; they are neither its doer nor its victim
    actors = [
        m
        for m in mentions_of(ms, ActorValue)
        if m.value.category != "Source" and not is_source(text, m)
    ]
    counted = [Span(c.start, c.end) for c in g.counts.values() if not acting(text, c)]
    triggers = acts(text, g.triggers, g.counts)
    actor1 = perpetrator(
        text, [a for a in actors if not any(c.contains(a.span) for c in counted)], triggers
    )
    actor2 = victim(actors, actor1)
    made: list[ActorMention] = []
    actor2, victims_armed = victims(text, g.counts, actor2, made)
    event_type, sub_event_type = decide_event_type(
        triggers,
        actor1.value if actor1 else None,
        victims_armed,
        harmed=harmed(g.counts, triggers),
        crowd_violence=crowd_violence(text, actors, triggers),
        forces_injured=forces_injured(g.counts),
    )
    if event_type is None and any(t.value.cls == "nonconflict" for t in triggers):
        return None, []  # deaths in an accident or disaster: no one's act of violence
    actor1, actor2 = initiator(event_type, actor1, actor2, actors, triggers, made)
    violations: list[str] = []
    # all the incident's words, the victims' description included: "raped a detained woman"
    # is sexual violence and arbitrary detention, though only the rape sets the event type
    for t in g.triggers:
        for v in t.value.violations:
            if v not in violations:
                violations.append(v)
    if event_type == "Violence against civilians" and g.counts.get("killed"):
        killed = g.counts["killed"].value
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
    named = actor1 is not None and actor1.value.source != INFERRED
    if not (g.counts or g.date or g.place or named):
        # words of violence with no number, date, place or perpetrator ("the process often
        # leads to captives going missing") give a reviewer nothing to check
        return None, []

    killed_m = g.counts.get("killed")
    fatalities = 0
    if killed_m is not None:
        # the lower bound; a vague number by ACLED's convention ("a number of" -> 3)
        fatalities = acled_fatalities(killed_m.text, killed_m.value)

    location = g.place
    inc_country = location.value.country if location else country
    actor1, actor2 = (localise(a, inc_country, made) for a in (actor1, actor2))
    quotes = tuple(
        m for m in doc.of_type(QuoteValue) if any(s.overlaps(Span(m.start, m.end)) for s in spans)
    )
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
    confidence += LEAD_WEIGHT * (1 - g.units[0].index / n_sent)
    # a period running up to now ("Hundreds of civilians have been killed since late
    # April") sums up a campaign: the background of a report, not its news
    if g.date is not None and words().since.search(
        doc.text[max(0, g.date.start - 64) : g.date.start]
    ):
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
        # a report that names no day dates its event from its publication
        date=g.date if g.date is not None else publication_date(doc, evidence.start),
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


__all__ = ["NAME", "Assembler", "assemble", "decide_event_type", "document_country"]
