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
from itertools import pairwise
from types import MappingProxyType
from typing import ClassVar

from harmledger.config import Settings
from harmledger.model import (
    ActorValue,
    Annotated,
    CountValue,
    Incident,
    Mention,
    Span,
    TriggerValue,
)
from harmledger.pipeline.actors import acled_name
from harmledger.pipeline.violations import load_lexicon, trigger_class

NAME = "assemble.v1"

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
    r"\b(?:soldiers?|troops?|fighters?|militants?|militiamen|members?|officers?|policem[ae]n|"
    r"personnel|servicem[ae]n|gunmen|jihadists?|terrorists?|insurgents?|recruits?|guards?|"
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
#: Words at a sentence start that refer back to the incident being told.
_REPORTED_AS = re.compile(r"^\W*(?:As )?reported(?: on)?\s*$", re.IGNORECASE)

_BREAKS = re.compile(r"\n+")
#: What follows a wire dateline's date: "BAGHDAD, Oct. 17, 2016 (Reuters) -"
_DATELINE_TAIL = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*[-–—]")

#: How many characters before a date the reporting words must be to make it a reporting
#: date ("the report released Tuesday", "told AFP on Sunday"), not the incident's date.
REPORTING_WINDOW = 28


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
    out: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        i = doc.sentence_index(m.start)
        if i is not None:
            out.setdefault(i, []).append(m)
    return out


def _is_reporting_date(doc: Annotated, m: Mention, sentence: Span) -> bool:
    """A date that says when something was reported, not when it happened."""
    if _DATELINE_TAIL.match(doc.text, m.end):
        return True
    before = doc.text[max(sentence.start, m.start - REPORTING_WINDOW) : m.start]
    return bool(load_lexicon().reporting.search(before))


def _own_date(doc: Annotated, ms: Sequence[Mention], sentence: Span) -> Mention | None:
    dates = [m for m in ms if m.kind == "date" and m.value.start is not None]  # type: ignore[union-attr]
    event_dates = [m for m in dates if not _is_reporting_date(doc, m, sentence)]
    if event_dates:
        return event_dates[0]
    # ACLED-style notes open with "As reported on 5 May," which *is* the event's date
    if dates and _REPORTED_AS.match(doc.text[sentence.start : dates[0].start]):
        return dates[0]
    return None


def _own_place(ms: Sequence[Mention]) -> Mention | None:
    places = [
        m
        for m in ms
        if m.kind == "place" and m.value.feature != "country"  # type: ignore[union-attr]
    ]
    if not places:
        return None
    # the most precise place wins; among equals, the first named
    return min(places, key=lambda m: (m.value.precision or 9, m.start))  # type: ignore[union-attr]


def _role_of(count: Mention, triggers: Sequence[Mention]) -> str | None:
    v: CountValue = count.value  # type: ignore[assignment]
    if v.role:
        return v.role
    roled = [t for t in triggers if t.value.role and t.value.live]  # type: ignore[union-attr]
    if not roled:
        return None
    nearest = min(roled, key=lambda t: min(abs(t.start - count.end), abs(count.start - t.end)))
    return nearest.value.role  # type: ignore[union-attr]


def _roles_group(counts: dict[str, Mention]) -> set[str]:
    return {ROLE_GROUPS[r] for r in counts}


def decide_event_type(
    triggers: Sequence[Mention], actor1: ActorValue | None, victims_armed: bool
) -> tuple[str | None, str | None]:
    """ACLED event type and sub-event type for an incident's triggers and actors."""
    lex = load_lexicon()
    live = [t for t in triggers if t.value.live]  # type: ignore[union-attr]
    if not live:
        return None, None
    classes = {trigger_class(t.value): t for t in live}
    ranked = sorted(classes, key=lambda c: lex.precedence.get(c, 99))
    best = ranked[0]
    tv: TriggerValue = classes[best].value  # type: ignore[assignment]
    protest = any(c in classes for c in ("protest", "excessive_force", "protest_intervention"))
    if best == "excessive_force" and not protest:
        best = "attack"
    if best == "assault":
        best = "attack"  # a generic "raid", "stormed", "shot" counts as an attack
    if protest and best in ("attack", "killing", "injury", "battle", "riot") and not victims_armed:
        # violence at a protest: by the protesters (riot) or against them (excessive force)
        if best == "riot":
            return "Riots", "Violent demonstration"
        return "Protests", "Excessive force against protesters"
    if best == "arrest" and actor1 is not None and actor1.category in ARMED - {"State Forces"}:
        # a non-state group "detaining" people is an abduction (ACLED codebook)
        return "Violence against civilians", "Abduction/forced disappearance"
    if best in ("attack", "killing", "injury", "torture"):
        armed_actor = actor1 is not None and actor1.category in ARMED
        if victims_armed and armed_actor and best != "torture":
            return "Battles", "Armed clash"
        if victims_armed and best in ("killing", "injury"):
            return "Battles", "Armed clash"
        return "Violence against civilians", "Attack"
    if best in ("displacement", "destruction", "death"):
        return None, None
    if best == "disappearance":
        return "Violence against civilians", "Abduction/forced disappearance"
    return tv.event_type, tv.sub_event_type


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
        ms = [m for m in ms if m not in _event_names(doc, ms)]
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
    groups: list[_Group] = []
    for u in _units(doc, by_sent, paras):
        ms = u.mentions
        triggers = [m for m in ms if m.kind == "trigger" and m.value.live]  # type: ignore[union-attr]
        if not triggers:
            continue
        if title and u.span.of(doc.text).strip() == title:
            continue
        date = _own_date(doc, ms, doc.sentences[u.index])
        place = _own_place(ms)
        counts: dict[str, Mention] = {}
        for c in (m for m in ms if m.kind == "count"):
            role = _role_of(c, triggers)
            if role and role not in counts:
                counts[role] = c
        g = groups[-1] if groups else None
        joins = (
            g is not None
            and g.para == u.para
            and u.index - g.units[-1].index <= 2
            and not (date and g.date and date.value != g.date.value)
            and not (place and g.place and place.value.name != g.place.value.name)  # type: ignore[union-attr]
            and not any(r in g.counts and g.counts[r].value != counts[r].value for r in counts)
            and not (counts and g.counts and _roles_group(counts) - _roles_group(g.counts))
        )
        if joins and g is not None:
            g.units.append(u)
            g.triggers += triggers
            for r, c in counts.items():
                g.counts.setdefault(r, c)
            g.date = g.date or date
            g.place = g.place or place
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
                new.date, _ = g.date, new.inherited.add("date")
            if new.place is None and g.place is not None:
                new.place, _ = g.place, new.inherited.add("place")
        groups.append(new)

    country = document_country(doc)
    versions = MappingProxyType({s.split(".")[0]: s for s in doc.stages})
    incidents: list[Incident] = []
    made: list[Mention] = []
    n_sent = max(1, len(doc.sentences))
    for g in groups:
        inc, extra = _build(doc, g, country, versions, n_sent)
        if inc is not None and inc.confidence >= min_confidence:
            incidents.append(inc)
            made += extra
    return _attach_testimony(doc, incidents), made


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
    actors = [m for m in ms if m.kind == "actor" and m.value.category != "Source"]  # type: ignore[union-attr]
    counted = [Span(c.start, c.end) for c in g.counts.values()]
    actor1 = _perpetrator(
        text, [a for a in actors if not any(c.contains(a.span) for c in counted)], g.triggers
    )
    actor2 = _victim(actors, actor1)
    made: list[Mention] = []
    victims_armed = False
    victim_words = " ".join(
        (c.value.victim or "")
        for c in g.counts.values()  # type: ignore[union-attr]
    )
    if actor2 is not None:
        victims_armed = actor2.value.category in ARMED  # type: ignore[union-attr]
    elif victim_words and ARMED_NOUNS.search(victim_words):
        victims_armed = True
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
        g.triggers,
        actor1.value if actor1 else None,  # type: ignore[arg-type]
        victims_armed,
    )
    violations: list[str] = []
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
    if not (g.counts or g.date or g.place or actor1):
        # words of violence with no number, date, place or perpetrator ("the process often
        # leads to captives going missing") give a reviewer nothing to check
        return None, []

    killed_m = g.counts.get("killed")
    fatalities = 0
    if killed_m is not None and killed_m.value.min is not None:  # type: ignore[union-attr]
        fatalities = killed_m.value.min  # type: ignore[union-attr]

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
    confidence += 0.1 if actor1 else 0.0
    confidence += 0.05 if actor2 else 0.0
    # the lead of a story usually reports its main event
    confidence += 0.04 * (1 - g.units[0].index / n_sent)
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
    """The armed actor that did it: "X attacked", "attacked by X", else the nearest."""
    armed = [a for a in actors if a.value.category in ARMED]  # type: ignore[union-attr]
    named = [a for a in armed if a.value.category != "Unidentified"]  # type: ignore[union-attr]
    # a group the report names ("NOHR blamed Islamic State militants") beats "gunmen"
    armed = named or armed
    if not armed:
        return None

    def score(a: Mention) -> float:
        best = 1e9
        for t in triggers:
            if a.end <= t.start:
                gap = text[a.end : t.start]
                d = len(gap)
                if d < 40 and not re.search(r"[.;]", gap):
                    d -= 20  # "ISIS attack", "IS militants shot": the subject
            else:
                gap = text[t.end : a.start] if a.start >= t.end else ""
                d = abs(a.start - t.end) + 5
                if re.match(r"^\W*(?:\w+\W+){0,3}?by\b", gap):
                    d -= 30  # "were executed by X"
            best = min(best, d)
        return best

    return min(armed, key=score)


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
