"""Grouping: which sentences tell one incident.

Sentences (or clauses, when one sentence counts two kinds of harm) with a live trigger are
grouped with the next ones of their paragraph unless these conflict; a group takes what a
sentence leaves unsaid from the story being told; the paragraph after an event may tell where
it happened; a later sentence may tell an event again or refer back to it; a quote that is
part of no incident is testimony about the one told just before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date as calendar_day
from itertools import pairwise

from harmledger.gazetteer import km_between
from harmledger.model import (
    Annotated,
    CountValue,
    DateValue,
    Incident,
    Mention,
    PlaceValue,
    QuoteValue,
    Span,
    TriggerValue,
    mentions_of,
)
from harmledger.pipeline.assemble.background import (
    breakdown,
    correction,
    cumulative,
    earlier_toll,
    headlines,
    national_sum,
    ongoing,
    retrospective,
    toll_update,
    tried,
    updated,
    widen,
)
from harmledger.pipeline.assemble.common import (
    INFERRED,
    NAME,
    ROLE_GROUPS,
    AnyMention,
    CountMention,
    DateMention,
    Group,
    PlaceMention,
    TriggerMention,
    Unit,
    crowd_acting,
    words,
)
from harmledger.pipeline.assemble.when import context_date, own_date, reported_date
from harmledger.pipeline.assemble.where import context_place, event_names, own_place
from harmledger.pipeline.spans import SpanIndex

_BREAKS = re.compile(r"\n+")


#: How many characters from a count a trigger may stand to give it a role (the counts
#: stage binds the role words of the count's own clause; a trigger word it does not know,
#: "opened fire at several Kurds", still binds when it is this close).
ROLE_REACH = 40
#: How far after a counted crowd a word of protest may start to make the count its size
#: ("hundreds of people protesting", "thousands of people who marched"): a space, or "who".
CROWD_GAP = 5


def _paragraphs(doc: Annotated) -> list[int]:
    """Paragraph number of each sentence (a line of the cleaned text is a paragraph)."""
    # counted from the first sentence: only equal and neighbouring numbers matter, and a
    # section of a long document then costs no scan of the text before it
    out, para = [], 0
    pos = doc.sentences[0].start if doc.sentences else 0
    for s in doc.sentences:
        para += len(_BREAKS.findall(doc.text, pos, s.start))
        pos = s.start
        out.append(para)
    return out


def _by_sentence(doc: Annotated, captions: SpanIndex[Span]) -> dict[int, list[AnyMention]]:
    """Each sentence's mentions, without those of photo captions."""
    out: dict[int, list[AnyMention]] = {}
    for m in doc.mentions:
        i = doc.sentence_index(m.start)
        if i is not None and not captions.holds(m.start):
            out.setdefault(i, []).append(m)
    return out


def captions_of(doc: Annotated) -> SpanIndex[Span]:
    """The document's photo captions (see :func:`_captions`), indexed by position."""
    return SpanIndex(_captions(doc))


def _captions(doc: Annotated) -> list[Span]:
    """Photo captions ("A man runs with a stretcher after air strikes on Aleppo, September
    21 2016. (TRT World and Agencies)"): the sentence before a photo credit, to the end of
    the credit. A caption may show another day or place than the story (a file photo):
    a coder does not code from it."""
    text = doc.text
    out = []
    for m in words().photo_credit.finditer(text):
        end = len(text[: m.start()].rstrip())
        i = doc.sentence_index(max(0, end - 1))
        if i is not None:
            out.append(Span(doc.sentences[i].start, m.end()))
    return out


#: Right after a count, the people's ages ("Two brothers, aged 19 and 23, were shot dead"):
#: words about who they were, no distance from what was done to them.
_AGES = re.compile(r",\s*(?:aged\s+)?\d{1,3}(?:(?:,\s*|\s+and\s+)\d{1,3})*(?:\s+years?\s+old)?\s*,")


def _role_of(count: CountMention, triggers: Sequence[TriggerMention], text: str = "") -> str | None:
    """The count's own role, else that of the nearest live trigger close enough (the
    people's ages between them not counted). A crowd counted as it demonstrates ("fired
    tear gas at hundreds of people protesting") is the size of a demonstration, not a toll."""
    v = count.value
    ages = _AGES.match(text, count.end) if text else None
    end = ages.end() if ages else count.end
    if any(t.value.cls == "protest" and 0 <= t.start - count.end <= CROWD_GAP for t in triggers):
        return None
    if v.role:
        return v.role
    roled = [t for t in triggers if t.value.role and t.value.live]

    def gap(t: TriggerMention) -> int:
        return min(abs(t.start - end), abs(count.start - t.end))

    # a trigger far from the count tells of something else ("dozens of people protested
    # ... demanding justice for the killing of demonstrators")
    roled = [t for t in roled if gap(t) <= ROLE_REACH]
    if not roled:
        return None
    return min(roled, key=gap).value.role


def _uncertain(v: CountValue) -> bool:
    """ "killed or injured": none of the people counted is known to have suffered it."""
    return v.min == 0 and v.max != 0


def _combine(old: CountMention, new: CountMention) -> CountMention | None:
    """One count for a role from two counts of it in one incident, or None when they
    disagree (two incidents). A count that only says "killed or injured" gives way to a
    certain one ("5 were killed or injured ... HPG confirmed the killing of 2")."""
    a, b = old.value, new.value
    if a == b or (_uncertain(b) and not _uncertain(a)):
        return old
    if _uncertain(a) and not _uncertain(b):
        return new
    return None


def _roles_group(counts: dict[str, CountMention]) -> set[str]:
    return {ROLE_GROUPS[r] for r in counts}


def _units(doc: Annotated, by_sent: dict[int, list[AnyMention]], paras: list[int]) -> list[Unit]:
    """Sentences, with a sentence split into clauses when it counts two kinds of harm
    ("4.2 million were forced to flee ..., with thousands missing and killed ...")."""
    units = []
    for i, sent in enumerate(doc.sentences):
        ms = by_sent.get(i, [])
        names = event_names(doc, ms)
        if names:
            ms = [m for m in ms if m not in names]
        triggers = [m for m in mentions_of(ms, TriggerValue) if m.value.live]
        roles = sorted(
            ((c, _role_of(c, triggers, doc.text)) for c in mentions_of(ms, CountValue)),
            key=lambda x: x[0].start,
        )
        roled = [(c, r) for c, r in roles if r]
        cuts = []
        for (a, ra), (b, rb) in pairwise(roled):
            if ROLE_GROUPS[ra] != ROLE_GROUPS[rb]:
                cut = words().clause_boundary.search(doc.text, a.end, b.start)
                if cut:
                    cuts.append(cut.start())
        bounds = [sent.start, *cuts, sent.end]
        for lo, hi in pairwise(bounds):
            piece = Span(lo, hi)
            units.append(Unit(i, piece, paras[i], tuple(m for m in ms if lo <= m.start < hi)))
    return units


def group_units(
    doc: Annotated, country: str | None, *, captions: SpanIndex[Span] | None = None
) -> list[Group]:
    """The units that report violence, grouped into the events they tell (see the module
    docstring: grouping, inheritance, elaboration, follow-up paragraphs). ``captions``: the
    whole document's photo captions, when ``doc`` is one section of it."""
    by_sent = _by_sentence(doc, captions if captions is not None else captions_of(doc))
    paras = _paragraphs(doc)
    title = (doc.document.meta.title or "").strip()
    groups: list[Group] = []
    # the event a toll update was just joined to, and the update's unit
    update: tuple[Group, Unit] | None = None
    for u in _units(doc, by_sent, paras):
        ms = u.mentions
        triggers = [m for m in mentions_of(ms, TriggerValue) if m.value.live]
        if triggers and all(_status(doc.text, t, ms) for t in triggers):
            continue  # "hot meals for 3,100 displaced people": who they are, not an act
        if not triggers and not toll_update(doc.text, u.span):
            continue  # ("The toll in Kyiv has risen to 20" names no act: it updates one)
        if title and u.span.of(doc.text).strip() == title:
            continue
        if u.span.of(doc.text).rstrip().endswith("?"):
            continue  # a question ("How many died?") tells no event; its answer may
        sentence = doc.sentences[u.index]
        if (
            correction(doc.text, u.span)
            or tried(doc.text, u.span, ms)
            or any(
                no_event(doc.text, u.span, ms, sentence)
                for no_event in (
                    cumulative,
                    ongoing,
                    retrospective,
                    national_sum,
                    breakdown,
                    headlines,
                )
            )
        ):
            # a retracted figure, a court's act on a past event, a running or cumulative
            # toll, a campaign going on, the history behind the news, a country's sum: no
            # event
            continue
        # "the anniversary of the 1995 death of X, who was killed by the Taliban": the year
        # names the event though its word is a reference
        named = list(mentions_of(ms, TriggerValue))
        date = own_date(doc, ms, sentence) or _event_year(doc.text, u.span, named)
        if _heard_in_court(doc, u, date):
            continue  # "prosecutors said fighters entered the village on 9 March 2022"
        place = own_place(ms, text=doc.text, country=country)
        counts: dict[str, CountMention] = {}
        for c in mentions_of(ms, CountValue):
            if words().active_object.match(doc.text, c.end) or crowd_acting(doc.text, c):
                continue  # "a number of people killed a presumed thief": the doers
            if words().year_event.match(c.text):
                continue  # "the 1995 death of Hazara leader ...": a year, not a toll
            role = _role_of(c, triggers, doc.text)
            if role and role not in counts:
                counts[role] = c
            elif role:
                counts[role] = _combine(counts[role], c) or counts[role]
        if "killed" not in counts and (one := _named_killed(doc.text, triggers, ms)):
            counts["killed"] = one
        # "the governor had earlier reported a toll of eight": a figure the event's own
        # replaces, one more telling of it that leaves its toll as it is
        earlier = bool(counts) and earlier_toll(doc.text, u.span)
        target = (
            updated(groups, counts, place)
            if counts and (earlier or toll_update(doc.text, u.span))
            else None
        )
        if (
            target is None
            and update is not None
            and _adds_to_update(update[1], u, triggers, date, place, counts)
        ):
            target = update[0]
        if target is not None:
            # "the toll from the strike has risen to 25": the event told before, its range
            # widened by the later figure, the update one more telling of it (and "Another
            # 73 people were wounded" right after the update, more of its toll)
            target.units.append(u)
            for r, c in counts.items():
                if r not in target.counts:
                    target.counts[r] = c
                elif not earlier:
                    target.counts[r] = widen(target.counts[r], c)
            update = (target, u)
            continue
        update = None
        if not triggers:
            continue  # a toll of no event told
        g = groups[-1] if groups else None
        joins = (
            g is not None
            and g.para == u.para
            and u.index - g.units[-1].index <= 2
            and not (date and g.date and date.value != g.date.value)
            and not (place and g.place and place.value.name != g.place.value.name)
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
        if (
            g is not None
            and _elaborates(doc, g, u, triggers, date, place, counts)
            and not _told_before_at(groups, g, place)
        ):
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
            and not _headed_elsewhere(doc, by_sent, paras, u, g, country)
        ):
            # a paragraph that adds no date, place, number or testimony to an event the
            # paragraph before anchored tells more of it ("Witnesses said two missiles hit
            # the market"); a new testimony is a new account
            g.units.append(u)
            g.triggers += triggers
            g.para = u.para
            continue
        new = Group([u], u.para, triggers, counts, date, place)
        if new.place is None:
            # "- Kupiansk. At 10:40 a guided aerial bomb hit a private house.": a list
            # item's heading names the place of the event its item tells
            new.place = _heading(doc, by_sent, paras, u, country)
        if g is not None and g.para == u.para:
            # still the same story: inherit what the sentence does not say
            if new.date is None and g.date is not None:
                new.date = g.date
                new.inherited.add("date")
            if new.place is None and g.place is not None:
                new.place = g.place
                new.inherited.add("place")
        if new.date is None and words().same_day.match(doc.text, doc.sentences[u.index].start):
            # "On the same day, gunmen killed ...": the day of the event told before
            dated = [x for x in groups if x.date is not None]
            if dated:
                new.date = dated[-1].date
                new.inherited.add("date")
        if new.date is None:
            new.date = context_date(doc, by_sent, paras, u)
            if new.date is not None:
                new.inherited.add("date")
        if new.date is None:
            new.date = reported_date(doc, ms, doc.sentences[u.index])
            if new.date is not None:
                new.inherited.add("date")
        if new.place is None:
            new.place = context_place(doc, by_sent, paras, u, country)
            if new.place is not None:
                new.inherited.add("place")
        groups.append(new)
    return groups


#: A list item's heading: a place's name alone, with a bullet and a word for its kind of
#: unit at most ("- Marhanets hromada.", "Kupiansk:", "* Kharkiv, Kyivskyi district.").
_HEADING = re.compile(
    r"\W*(?:[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,2}(?:,\s*)?){1,2}"
    r"(?:\s+(?:hromada|district|raion|region|oblast|province|town|city|village|community|"
    r"municipality|county|township))?\s*[.:]?\s*",
)


def _heading(
    doc: Annotated,
    by_sent: dict[int, list[AnyMention]],
    paras: list[int],
    u: Unit,
    country: str | None,
) -> PlaceMention | None:
    """The place a list item's heading names, when unit ``u`` is the first sentence after
    it in its paragraph ("- Marhanets hromada. Enemy shelling damaged two houses")."""
    i = u.index - 1
    if i < 0 or paras[i] != u.para or u.span.start != doc.sentences[u.index].start:
        return None
    head = doc.sentences[i]
    if not _HEADING.fullmatch(head.of(doc.text)):
        return None
    ms = by_sent.get(i, [])
    if any(m.kind == "trigger" for m in ms):
        return None
    return own_place(ms, text=doc.text, country=country)


def _headed_elsewhere(
    doc: Annotated,
    by_sent: dict[int, list[AnyMention]],
    paras: list[int],
    u: Unit,
    g: Group,
    country: str | None,
) -> bool:
    """Does unit ``u``'s paragraph name, before it, another place than group ``g``'s (a
    list item's heading: "- Marhanets hromada. Enemy shelling damaged two houses" after an
    item on Nikopol)? Then the paragraph tells an event there, not more of ``g``."""
    if g.place is None:
        return False
    i = u.index - 1
    while i >= 0 and paras[i] == u.para:
        here = own_place(by_sent.get(i, []), text=doc.text, country=country)
        if here is not None:
            return here.value.name != g.place.value.name
        i -= 1
    return False


#: Right after "displaced", the people it describes ("3,100 displaced people", "internally
#: displaced persons"): a word of who they are, not of an act.
_STATUS_NOUN = re.compile(
    r"\s+(?:people|persons|civilians|families|households|residents|children|women|men|"
    r"populations?|communities|Syrians|Sudanese|Palestinians|Haitians)\b"
)
#: Just before it, words that make it a verb ("were displaced people", "has displaced").
_STATUS_VERB = re.compile(r"\b(?:was|were|been|being|be|is|are|has|have|had)\s+$", re.IGNORECASE)


#: Before "displaced", the word that makes people internally displaced persons, a status.
_INTERNALLY = re.compile(r"\binternally\s+$", re.IGNORECASE)


def _status(text: str, t: TriggerMention, ms: Sequence[AnyMention]) -> bool:
    """Is the displacement word ``t`` only an adjective in a figure of who people are
    ("distributed hot meals to 3,100 displaced people in nine sites", "KEY FIGURES: 4.5
    million internally displaced")? Not in words of what was done to them ("taken from a
    column of displaced families near Saqlawiyah", "were internally displaced by the
    fighting")."""
    if t.value.cls != "displacement" or t.text.lower() != "displaced":
        return False
    internally = _INTERNALLY.search(text, max(0, t.start - 12), t.start)
    if internally is not None:
        # "4.5 million internally displaced": who they are, unless a verb makes it an act
        return not _STATUS_VERB.search(text, max(0, internally.start() - 12), internally.start())
    return (
        any(m.kind == "count" and m.start < t.start and t.end <= m.end for m in ms)
        and bool(_STATUS_NOUN.match(text, t.end))
        and not _STATUS_VERB.search(text, max(0, t.start - 12), t.start)
    )


#: How long before its report an event told in a court's words is a past one.
COURT_PAST_DAYS = 60


def _heard_in_court(doc: Annotated, u: Unit, date: DateMention | None) -> bool:
    """Does unit ``u`` tell an event as a court hears it, on a day long before the report
    ("Prosecutors said fighters ... entered the village of Bushaku on the night of 9 March
    2022", in a story of the 2024 verdict)? A trial's account of a past event."""
    published = doc.document.meta.published
    if date is None or date.value.end is None or published is None:
        return False
    if (published - date.value.end).days < COURT_PAST_DAYS:
        return False
    return bool(words().court_account.search(u.span.of(doc.text)))


def _adds_to_update(
    last: Unit,
    u: Unit,
    triggers: Sequence[TriggerMention],
    date: DateMention | None,
    place: PlaceMention | None,
    counts: dict[str, CountMention],
) -> bool:
    """Does unit ``u``, right after a toll update (``last``) in its paragraph, only count
    more of that event's harm ("... has risen to 20, officials say. Another 73 people were
    wounded."): killed or injured, no day, place or kind of event of its own?"""
    return (
        bool(counts)
        and u.para == last.para
        and u.index - last.index <= 1
        and date is None
        and place is None
        and _roles_group(counts) == {"harm"}
        and not any(t.value.event_type for t in triggers)
    )


def _event_year(text: str, span: Span, triggers: Sequence[TriggerMention]) -> DateMention | None:
    """The year of an event the words name by it ("the 2018 acid attack that killed activist
    Kateryna Handziuk would go to a retrial"), when a trigger of the unit lies in that name:
    the event's date is that year (a date the assembler makes), so a past event retold is
    dated in the past, not on the day of the telling."""
    for m in words().year_event.finditer(text, span.start, span.end):
        if any(m.start() <= t.start < m.end() for t in triggers):
            y = int(m.group()[:4])
            value = DateValue(calendar_day(y, 1, 1), calendar_day(y, 12, 31), precision=None)
            return Mention("date", m.start(), m.start() + 4, m.group()[:4], value, NAME)
    return None


def _named_killed(
    text: str, triggers: Sequence[TriggerMention], ms: Sequence[AnyMention]
) -> CountMention | None:
    """One person killed, when the words of a killing name them and give no number ("shot
    dead Mohammad Ismail", "killed Reuters videographer Issam Abdallah"): a count the
    assembler makes, on the name's words. A name that is an actor or a place the earlier
    stages know ("killed Islamic State fighters") is no person."""
    taken = [m for m in ms if m.kind in ("actor", "place", "date")]
    for t in triggers:
        if t.value.role != "killed" or t.value.negated or t.value.reference:
            continue
        if not words().killing_verb.search(t.text):
            continue  # "condemning the killing of activist X": a reference to an event
        m = words().killed_named.match(text, t.end)
        if m is None:
            # "the killing of reporter Juan Arjon Lopez, who was found shot dead"
            w = max(0, t.start - 160)
            m = words().killed_named_before.search(text[w : t.start])
            # "Funes, 54, was shot dead": an age after a name makes it a person's
            m = m or words().killed_named_aged.search(text[w : t.start])
            if m is None:
                continue
            start, end = w + m.start("name"), w + m.end("name")
            # after "reporter", a name is a person's, even where a place has its word
            clash = [a for a in taken if a.kind == "actor"]
        else:
            start, end = m.start("name"), m.end("name")
            clash = taken
        if any(a.start < end and start < a.end for a in clash):
            continue
        value = CountValue(min=1, max=1, role="killed")
        return Mention("count", start, end, text[start:end], value, NAME)
    return None


def refers_back(doc: Annotated, g: Group, inc: Incident) -> bool:
    """Is ``inc`` only a definite reference to an event told before ("calls on the
    authorities to investigate the killings")? Every trigger is a definite description,
    and it has no number and no date of its own. People who fled it are its aftermath,
    not another event ("The attack has caused panic, and many displaced people have fled
    towards Bule")."""
    if any(r != "displaced" for r in g.counts):
        return False
    if g.date is not None and "date" not in g.inherited and not _dated_reference(doc.text, g):
        return False
    told = [t for t in g.triggers if t.value.cls != "displacement"]
    if g.counts and not told:
        return False
    return all(_definite(doc.text, t) for t in told or g.triggers)


#: Between a day and the event it names: "Friday's attack", "Sunday's suicide bombing".
_POSSESSIVE_DAY = re.compile(r"['’]s\s+(?:[\w-]+\s+)?")


#: Words of reacting to an event just before its definite name ("condemned the killing",
#: "called for an investigation into the attack"): the day they stand with is the reaction's.
_REACTION = re.compile(
    r"\b(?:condemn|denounc|deplor|decr(?:y|ied)|mourn|lament|investigat|prob(?:e|ed|ing)\b)"
    r"[\w-]*\s+(?:(?:an?\s+)?(?:[\w-]+\s+)?(?:into|of)\s+)?$",
    re.IGNORECASE,
)


def _dated_reference(text: str, g: Group) -> bool:
    """Is the group's own date only part of a name for an event told before ("denied any
    involvement in Friday's attack"), or the day of a reaction to it ("condemned the
    killing on Friday")?"""
    d = g.date
    if d is None:
        return False
    if any(_POSSESSIVE_DAY.fullmatch(text, d.end, t.start) for t in g.triggers if t.start >= d.end):
        return True
    return bool(g.triggers) and all(
        _definite(text, t) and _REACTION.search(text, max(0, t.start - 60), _article_start(text, t))
        for t in g.triggers
    )


def _article_start(text: str, t: TriggerMention) -> int:
    """Where the definite words before a trigger begin ("the killing": at "the")."""
    m = words().definite.search(text, max(0, t.start - 20), t.start)
    return m.start() if m else t.start


#: How far from an event a definite reference to it may place itself ("investigate the
#: killings ... in the villages west of Tal Afar" of killings 20 km west of Tal Afar).
REFERENCE_KM = 30.0


def near(g: Group, inc: Incident) -> bool:
    """Is group ``g``'s own place (if any) that of ``inc``, close to it, or the region that
    holds it ("in Balochistan, police are investigating the killings" of killings in
    Noshki)?"""
    if g.place is None or "place" in g.inherited or inc.location is None:
        return True
    a, b = g.place.value, inc.location.value
    if a.name == b.name:
        return True
    if a.feature == "admin1" and a.name == b.admin1 and a.country == b.country:
        return True
    d = km_between(a, b)
    return d is not None and d <= REFERENCE_KM


def recaps(g: Group, told: Sequence[Incident]) -> bool:
    """Does group ``g`` sum up events the report has told, one place each ("A recap of
    today: shelling killed 19 people at the El Fasher livestock market, the army and the
    RSF fought at Jebel Moya, and a drone hit a fuel depot in Kosti")? Its words name two
    or more places, every one the place of an incident told before, and no day other
    than theirs."""
    places = {
        m.value.name
        for u in g.units
        for m in mentions_of(u.mentions, PlaceValue)
        if m.value.feature != "country"
    }
    where = {i.location.value.name for i in told if i.location is not None}
    if len(places) < 2 or not places <= where:
        return False
    if g.date is None or "date" in g.inherited:
        return True
    return any(i.date is not None and i.date.value == g.date.value for i in told)


def retells(a: Incident, ga: Group, b: Incident, gb: Group) -> bool:
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
        i.location.value
        if i.location and "place" not in g.inherited and i.location.value.feature != "country"
        else None
        for i, g in ((a, ga), (b, gb))
    )
    same_date = da is not None and db is not None and (da.start, da.end) == (db.start, db.end)
    if da is not None and db is not None and not same_date:
        return False
    ka, kb = a.counts.get("killed"), b.counts.get("killed")
    same_toll = bool(ka and kb and a.fatalities and _agree(ka, kb))
    if pa is not None and pb is not None:
        # two undated tellings of harm in one village without a toll may be two events
        if pa.name != pb.name or not (same_date or same_toll or (da is None) != (db is None)):
            return False
    elif not (same_date and same_toll and _same_name(a.location, b.location)):
        return False
    if not all(
        _agree(c, b.counts[r]) or _other_side(a, c, b.counts[r])
        for r, c in a.counts.items()
        if r in b.counts
    ):
        return False
    # "unidentified gunmen" and a named group may be one doer told twice
    named = [
        i.actor1.value.name
        for i in (a, b)
        if i.actor1 is not None
        and i.actor1.value.source != INFERRED
        and i.actor1.value.category != "Unidentified"
    ]
    if len(set(named)) <= 1:
        return True
    # a battle told by each side: one side's doer is the other's target ("ISWAP fighters
    # attacked the base" and "the army repelled the Monguno attack")
    if a.event_type != "Battles":
        return False
    sa, sb = _sides(a), _sides(b)
    # or one side's doer is the other telling's target or doer
    return sa == sb or any(
        i.actor1 is not None and i.actor1.value.name in other for i, other in ((a, sb), (b, sa))
    )


def _other_side(a: Incident, ca: CountMention, cb: CountMention) -> bool:
    """In a battle, do two counts of one role count different people ("killed 7 soldiers"
    and "neutralised 15 terrorists": each side's dead), not two figures for the same?"""
    va, vb = ca.value.victim, cb.value.victim
    return a.event_type == "Battles" and bool(va and vb) and va != vb


def _sides(i: Incident) -> frozenset[str]:
    return frozenset(m.value.name for m in (i.actor1, i.actor2) if m is not None)


def _own(g: Group, what: str) -> bool:
    """Does group ``g`` state its ``what`` ("date" or "place") in its own words?"""
    return getattr(g, what) is not None and what not in g.inherited


def thin(g: Group) -> bool:
    """Does group ``g`` tell no day, no place and no count of its own? ("Protesters are
    demanding the resignation of the president", "the security service said it had detained
    a man suspected of guiding the strike"): one event per place and day is all a coder can
    record, and such words give neither; in a report that tells an event, they tell of it
    or of its background, not of another event."""
    return not (_own(g, "date") or _own(g, "place") or g.counts)


def continues(doc: Annotated, a: Incident, ga: Group, b: Incident, gb: Group) -> bool:
    """Is ``b`` more of the story of ``a``, the incident told just before it: the same kind
    of event, no day and no place of its own, no word of another event, and no count that
    disagrees with ``a``'s or counts a kind of harm ``a`` does not ("09:45 - The governor
    says 28 people have been wounded" after a missile strike on a convoy killed 23)?"""
    if a.event_type is None:
        return False
    # words of harm alone ("28 people have been wounded") name no kind of event: the
    # kind their incident was given is a guess, not a disagreement
    if a.event_type != b.event_type and any(t.value.event_type for t in gb.triggers):
        return False
    # a day or place of its own must be the event's ("11:40 - At least seven people have
    # been killed in Kyiv" after missiles hit Kyiv)
    # (or the day its dead were found: "nine bodies were recovered this morning")
    own_day = _own(gb, "date") and not (a.date and gb.date and a.date.value == gb.date.value)
    if own_day and not _found_after(doc.text, a, gb):
        return False
    if _own(gb, "place") and not _same_place(a, gb):
        return False
    if _set_by_its_paragraph(doc.text, a, ga, gb):
        return False
    if words().another.search(" ".join(u.span.of(doc.text) for u in gb.units)):
        return False
    # (the people who fled it are its aftermath: "many families have fled towards Bunia")
    harm = {r: c for r, c in b.counts.items() if r != "displaced"}
    if a.counts and _roles_group(harm) - _roles_group(dict(a.counts)):
        return False  # a count of a kind of harm the event has none of tells another
    # the attackers killed ("Security forces killed four attackers and ended the siege")
    # are more of the event's toll, not a figure that disagrees with its victims'
    return all(
        _agree(c, a.counts[r]) or _ATTACKERS.search(c.value.victim or "")
        for r, c in b.counts.items()
        if r in a.counts
    )


def _set_by_its_paragraph(text: str, a: Incident, ga: Group, gb: Group) -> bool:
    """Does the paragraph of ``gb`` open with a day other than ``a``'s, in a sentence that
    tells no violence ("Two weeks later, on 2 March, a patrol entered the Bedaka
    neighbourhood of Paoua. Soldiers went from house to house ...")? Then it tells another
    event, though its words of violence name no day. (A place alone is weaker evidence: "the
    vehicle was travelling from Nimule to Torit" names a road, not another event.)"""
    first = gb.units[0].span.start
    d = gb.date
    return (
        gb.units[0].para > ga.units[-1].para  # a paragraph of its own, after a's
        and d is not None
        and a.date is not None
        and d.end <= first
        and "\n" not in text[d.end : first]
        and d.value.precision == 1
        and d.value != a.date.value
    )


#: Words of the dead themselves, which count a toll without telling how it came about.
_BODIES = re.compile(r"\b(?:bodies|corpses|remains)\b", re.IGNORECASE)
#: How many days after an event its dead may be found, counted or buried.
FOUND_DAYS = 2


def _found_after(text: str, a: Incident, gb: Group) -> bool:
    """Does ``gb`` tell only of the dead of ``a``'s event, dated by their finding a day or
    two later ("nine bodies were recovered this morning" after an attack last night; "he
    helped bury 14 bodies the next day")? Its only words of harm are of bodies, besides
    the event named again ("the attack") and the flight it caused ("The bodies were buried
    this morning. The attack has caused panic, and many families have fled")."""
    if a.date is None or gb.date is None or not gb.triggers:
        return False
    harm = [
        t
        for t in gb.triggers
        if t.value.cls != "displacement" and (_BODIES.search(t.text) or not _definite(text, t))
    ]
    if not harm or not all(t.value.event_type is None and _BODIES.search(t.text) for t in harm):
        return False
    found, told = gb.date.value.start, a.date.value.end
    return found is not None and told is not None and 0 <= (found - told).days <= FOUND_DAYS


#: The people counted who did the attack itself.
_ATTACKERS = re.compile(r"\b(?:attackers?|assailants?|(?:suicide\s+)?bombers?)\b", re.IGNORECASE)


def _same_place(a: Incident, gb: Group) -> bool:
    """Is group ``gb``'s place the one incident ``a`` states (a place finer than a country)?"""
    pa = a.location.value if a.location is not None else None
    pb = gb.place.value if gb.place is not None else None
    return bool(pa and pb and pa.feature != "country" and pa.name == pb.name)


def part_of(doc: Annotated, a: Incident, ga: Group, b: Incident, gb: Group) -> bool:
    """Is ``b`` a breakdown of ``a``'s toll told right after it ("Forty-one people were
    killed at the Al Noor mosque and seven at the Linwood mosque" after "killed 49 people at
    two mosques")? Same kind, the paragraph after at most, no date or place of its own, no
    word of another event, every count within ``a``'s."""
    if a.event_type is None or a.event_type != b.event_type:
        return False
    if gb.units[0].para - ga.units[-1].para > 1:
        return False
    if any(w not in gb.inherited for w in ("date", "place") if getattr(gb, w) is not None):
        return False
    if _set_by_its_paragraph(doc.text, a, ga, gb):
        return False
    if not b.counts or words().another.search(" ".join(u.span.of(doc.text) for u in gb.units)):
        return False
    for role, c in b.counts.items():
        whole = a.counts.get(role)
        if whole is None or whole.value.min is None or c.value.min is None:
            return False
        if c.value.min > whole.value.min:
            return False
    return True


def _same_name(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    """The same place, or one of them unknown."""
    return a is None or b is None or a.value.name == b.value.name


def _agree(a: CountMention, b: CountMention) -> bool:
    """Can two counts of one role be one number? The same lower bound ("six people",
    "at least 6"), or a vague, rough or open one whose range holds the other ("dozens" and
    "30"; "more than 200" and "213")."""
    va, vb = a.value, b.value
    if (va.min is not None and va.min == vb.min) or _combine(a, b) is not None:
        return True
    loose = (va.vague, va.approximate, vb.vague, vb.approximate, va.max is None, vb.max is None)
    if not any(loose):
        return False
    lo_a, lo_b = va.min or 0, vb.min or 0
    hi_a = va.max if va.max is not None else float("inf")
    hi_b = vb.max if vb.max is not None else float("inf")
    return lo_a <= hi_b and lo_b <= hi_a


def joined(a: Group, b: Group) -> Group:
    """One group of the units of two groups that tell one event."""
    units = sorted({*a.units, *b.units}, key=lambda u: (u.index, u.span.start))
    counts = dict(b.counts)
    counts.update(a.counts)
    g = Group(units, a.para, a.triggers + b.triggers, counts, a.date, a.place, set(a.inherited))
    for what in ("date", "place"):
        if getattr(b, what) is None:
            continue  # b says nothing of it: a's, own or inherited, stands
        if getattr(g, what) is None or (what in a.inherited and what not in b.inherited):
            setattr(g, what, getattr(b, what))
            g.inherited.discard(what)
            if what in b.inherited:
                g.inherited.add(what)
    return g


def _definite(text: str, trigger: TriggerMention, start: int = 0) -> bool:
    """Is ``trigger`` a definite description ("the attack") in the words from ``start``?"""
    return words().definite.search(text[max(start, trigger.start - 20) : trigger.start]) is not None


def _same_kind(g: Group, triggers: Sequence[TriggerMention]) -> bool:
    """Do ``triggers`` tell no other kind of event than group ``g``'s? ("the protest that
    followed" after a bombing tells another event)."""
    told = {t.value.event_type for t in g.triggers if t.value.event_type}
    kinds = {t.value.event_type for t in triggers if t.value.event_type}
    return not told or kinds <= told


def _told_before_at(groups: Sequence[Group], g: Group, place: PlaceMention | None) -> bool:
    """Is ``place`` the own place of an event told before ``g`` ("those killed near
    Bocaranga were rebels", a paragraph after a raid on Paoua)? Then a definite reference
    naming it is to that event, not more of ``g``'s."""
    return place is not None and any(
        x is not g
        and x.place is not None
        and "place" not in x.inherited
        and x.place.value.name == place.value.name
        for x in groups
    )


def _elaborates(
    doc: Annotated,
    g: Group,
    u: Unit,
    triggers: Sequence[TriggerMention],
    date: DateMention | None,
    place: PlaceMention | None,
    counts: dict[str, CountMention],
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


def attach_testimony(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """A quote that is part of no incident is testimony about the incident told just
    before it (at most one paragraph break between them)."""
    used = {m for inc in incidents for m in inc.quotes}
    out = list(incidents)
    # the incident whose words end last before a quote (the first one, of those ending there)
    last: dict[int, int] = {}
    for k, inc in enumerate(out):
        if inc.evidence:
            last.setdefault(inc.evidence[-1].end, k)
    ends = sorted(last)
    for q in doc.of_type(QuoteValue):
        if q in used:
            continue
        n = bisect_right(ends, q.start)
        if not n:
            continue
        k = last[ends[n - 1]]
        inc = out[k]
        if _breaks_at_most(doc.text, inc.evidence[-1].end, q.start, 1):
            out[k] = replace(inc, quotes=(*inc.quotes, q))
    return out


def _breaks_at_most(text: str, start: int, end: int, most: int) -> bool:
    """Are there at most ``most`` paragraph breaks in ``text[start:end]``? (stops counting
    there: a quote far from any incident costs no scan of the words between)."""
    return all(n < most for n, _ in enumerate(_BREAKS.finditer(text, start, end)))
