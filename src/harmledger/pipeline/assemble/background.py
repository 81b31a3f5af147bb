"""What is told but is no incident: cumulative tolls, corrections, toll updates.

A coder records specific events at an identifiable time or place. A report also tells
running and cumulative tolls ("the insurgency has killed more than 40,000 people since 2009",
"at least 13 journalists have been killed in Mexico in 2022"), corrections of earlier
figures ("an earlier report that eight protesters had been killed was wrong": the retracted
figure is not recorded) and later tolls of an event already told ("the toll from the strike
has risen to 15": the same event, its range widened). These are judged here per unit (a
sentence or a clause); grouping skips the first two and joins the third to the event it
updates.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from harmledger.model import CountValue, DateValue, Mention, Span, TriggerValue, mentions_of
from harmledger.pipeline.assemble.common import (
    NAME,
    AnyMention,
    CountMention,
    Group,
    PlaceMention,
    words,
)

#: How far before a date "since", "from" may stand to make it a period's start.
PERIOD_WINDOW = 24


def _day_of_its_own(
    text: str, ms: Sequence[AnyMention], sentence: Span, skip: Span | None = None
) -> bool:
    """Does the unit date an event to a day or a few days ("on Tuesday", "on 5 May"), other
    than as the start of a period ("since April 15") or as the day something was said ("the
    UN said last week that ...")? A date within ``skip`` does not count."""
    for m in mentions_of(ms, DateValue):
        if m.value.start is None or m.value.precision not in (1, 2):
            continue
        if skip is not None and skip.start <= m.start < skip.end:
            continue
        before = text[max(sentence.start, m.start - PERIOD_WINDOW) : m.start]
        if not (words().period_start.search(before) or words().told_on.search(before)):
            return True
    return False


def cumulative(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """A running or cumulative toll: harm counted over a period up to now or a whole year
    ("since 2017", "so far this year", "over the past decade", "in 2022"), or done by a war,
    a conflict or an insurgency as such ("the war has killed hundreds of thousands"), with
    no day of its own. A unit that counts no one is no toll."""
    if not any(m.kind == "count" for m in ms):
        return False  # no toll: "the ongoing assault has so far failed" sums up nothing
    words_of = span.of(text)
    if not (words().cumulative.search(words_of) or words().campaign_subject.search(words_of)):
        return False
    return not _day_of_its_own(text, ms, sentence)


def ongoing(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """A campaign summed up as it goes on, or a place ranked by its harm ("fighting has
    raged in Amhara since early August", "has recorded more murders than any other state
    for four years running"), with no day of its own: no event, whether it counts anyone
    or not."""
    return bool(words().ongoing.search(span.of(text))) and not _day_of_its_own(text, ms, sentence)


def national_sum(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """A toll that opens with a whole country as its place ("17:45 - Across Ukraine, at
    least 37 people were killed in today's attacks on Kyiv, Kryvyi Rih, Dnipro and
    Pokrovsk"): the sum of the events a report tells one place at a time."""
    return any(m.kind == "count" for m in ms) and bool(words().national_sum.search(span.of(text)))


def headlines(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """A bulletin's list of the stories it will tell ("In the headlines: three travellers
    killed on the Juba-Nimule road; fighting between communities in Tonj North"): each item
    is told again below with its own day and place, so the list is no event of its own."""
    return bool(words().headlines.search(sentence.of(text)))


def breakdown(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """A toll told before split by doer or kind ("Of these, 12 were killed by government
    forces and 9 by Russian forces"): parts of that toll, no event of their own."""
    return any(m.kind == "count" for m in ms) and bool(words().breakdown.match(text, span.start))


#: How far before a word of violence "ten years after" may stand to make it a past event.
RETRO_REACH = 80


def retrospective(text: str, span: Span, ms: Sequence[AnyMention], sentence: Span) -> bool:
    """An event told as years past ("Ten years after Boko Haram fighters abducted 276
    schoolgirls from Chibok, 82 are still missing"), or the start of a movement long under
    way ("The protests began two weeks ago"), with no other day of its own: the history
    behind the news, not an event a coder records from it."""
    words_of = span.of(text)
    triggers = [m.start - span.start for m in mentions_of(ms, TriggerValue) if m.value.live]
    for m in words().retrospective.finditer(words_of):
        # "years after" heads the event it dates; "killed a man released two years ago" is
        # an event of its own
        if m.group("began") or any(0 <= t - m.end() <= RETRO_REACH for t in triggers):
            found = Span(span.start + m.start(), span.start + m.end())
            return not _day_of_its_own(text, ms, sentence, skip=found)
    return False


#: A court's or prosecutor's act on an offence ("charged two police officers with the
#: murder of ...", "convicted", "sentenced").
_COURT_ACT = re.compile(
    r"\b(?:charged|convicted|sentenced|acquitted|indicted|jailed|prosecuted|tried)\b", re.IGNORECASE
)
#: Just before a word of violence, the words that make it the offence a court's act is
#: for ("sentenced ... for crimes against humanity over the massacre of 14 villagers").
_CHARGE_OF = re.compile(r"\b(?:for|over|of)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)


def tried(text: str, span: Span, ms: Sequence[AnyMention]) -> bool:
    """A court's act on a past event, its words of violence all told as the offence ("A
    court on Wednesday charged two police officers with the murder of a man who was shot
    dead during protests in Kisumu last July"): the first word of violence is the charge (a
    reference, or named as what the act is for: "sentenced ... over the massacre of 14
    villagers"), after a court's verb, and every live one follows it."""
    triggers = sorted(
        (t for t in mentions_of(ms, TriggerValue) if t.value.cls != "nonconflict"),
        key=lambda t: t.start,
    )
    if not triggers:
        return False
    first = triggers[0]
    charge = _CHARGE_OF.search(text, max(span.start, first.start - 30), first.start)
    if not (first.value.reference or charge):
        return False
    if not _COURT_ACT.search(text, span.start, first.start):
        return False
    return all(t.start >= first.start for t in triggers if t.value.live)


def correction(text: str, span: Span) -> bool:
    """A correction or retraction of an earlier figure: the unit records nothing."""
    return bool(words().correction.search(span.of(text)))


#: The characters a sentence's end is found in (an arrest's sentence, either side of it),
#: a blank line (a headline's end) among them.
SENTENCE_END = re.compile(r"[.;!?]\s|\n\s*\n")


def _sentence_of(text: str, trigger: Span) -> str:
    """The words of a trigger's sentence (up to 200 characters either side)."""
    a = max(0, trigger.start - 200)
    before = SENTENCE_END.split(text[a : trigger.start])[-1]
    after = SENTENCE_END.split(text[trigger.end : trigger.end + 200])[0]
    return f"{before}{text[trigger.start : trigger.end]}{after}"


def held_for_event(text: str, trigger: Span) -> bool:
    """Does an arrest's sentence tie the detainee to an event the report tells ("detained a
    man suspected of guiding the strike")?"""
    return bool(words().held_for_event.search(_sentence_of(text, trigger)))


def suspect_arrest(text: str, trigger: Span) -> bool:
    """Does an arrest's sentence make the detainee a suspect of a crime ("police arrested
    four kidnap suspects", "arrested for allegedly kidnapping an NGO employee")? One of the
    readings of :func:`arrest_of_suspects`."""
    return bool(words().suspect_arrest.search(_sentence_of(text, trigger)))


#: The people whose rights such reports are about: defenders, reporters, critics.
DEFENDERS = re.compile(
    r"\b(?:journalists?|reporters?|activists?|lawyers?|attorneys?|defenders?|bloggers?|"
    r"unionists?|dissidents?|critics?|editors?|photographers?|campaigners?|human\s+rights|"
    r"opposition|leaders?|students?|poets?|writers?|artists?|priests?|environmentalists?|"
    r"indigenous)\b",
    re.IGNORECASE,
)
#: Right after a word of violence, the people suspected of it ("four kidnap suspects", "a
#: murder suspect"): the word names a charge, not a violation done here.
_CHARGE_OF_SUSPECTS = re.compile(r"\s+suspects?\b", re.IGNORECASE)
#: Whom an arrest holds when it holds the doers of a crime ("arrested some drug traffickers").
_CRIMINALS = re.compile(
    r"\b(?:arrest\w*|detain\w*|captur\w*|nabb\w*|held)\s+(?:\w+\s+){0,4}?"
    r"(?:(?:drug\s+)?traffickers?|robbers?|kidnappers?|gang(?:sters?|\s+members?)?|"
    r"militants?|terrorists?|killers?|gunmen|bandits?|smugglers?|murderers?|"
    r"rapists?|thie(?:f|ves)|cultists?|culprits?|perpetrators?|assailants?|attackers?|"
    r"accomplices?|criminals?(?!\s+(?:charges?|cases?|complaints?|proceedings|"
    r"investigations?|offen[cs]es?|code|conspiracy|intimidation|trespass|defamation|"
    r"contempt|records?)\b))\b",
    re.IGNORECASE,
)


def sentence_before(sentences: Sequence[Span], at: int) -> Span | None:
    """The sentence before the one that holds (or last starts before) offset ``at``: where
    :func:`arrest_of_suspects` reads whether an arrest's detainee is a suspect."""
    k = bisect_right(sentences, at, key=lambda s: s.start) - 1
    return sentences[k - 1] if k > 0 else None


def arrest_of_suspects(
    text: str,
    trigger: Span,
    violation: str,
    before: Span | None = None,
    headline: Span | None = None,
) -> bool:
    """Is a trigger's ``violation`` told as the policing of a crime rather than as a
    violation done here? The one notion of "an arrest of suspects" the assembler and the
    focus model both read:

    * the word names the charge of suspects ("police arrested four kidnap suspects": no
      kidnapping), whatever its violation; or, for an arbitrary detention,
    * the arrest's sentence makes the detainee a suspect of a crime ("arrested for allegedly
      kidnapping an NGO employee", "a fugitive wanted for killing a real estate agent") or
      holds the doers of one ("arrested some drug traffickers"), or
    * the sentence ``before`` it does ("a fugitive wanted for the killing ... He was arrested
      in Illinois"), or the ``headline`` tells of suspects held ("Police arrest suspect in
      herdsman's kidnapping"), unless the arrest's own sentence names a defender, reporter
      or critic ("police arrested the journalist Musa Bello") as the one held.

    Such an arrest is no arbitrary detention (HRDsAttack's coders record the kidnapping,
    not the kidnapper's arrest); an arrest for what someone said or wrote ("arrested for
    inciting subversion") stays one."""
    if _CHARGE_OF_SUSPECTS.match(text, trigger.end):
        return True
    if violation != "arbitrary detention":
        return False
    sentence = _sentence_of(text, trigger)
    if words().suspect_arrest.search(sentence) or _CRIMINALS.search(sentence):
        return True
    if DEFENDERS.search(done_to(text, trigger)):
        return False  # "police arrested the journalist Musa Bello": whatever the headline
    if words().held_for_event.search(sentence):
        return True  # "detained five people over the killing of an investigative journalist"
    return any(
        s is not None and bool(words().suspect_arrest.search(s.of(text)))
        for s in (before, headline)
    )


#: Where the words of whom a violation is done to end: its reason, place or time, or the clause.
_HELD_END = re.compile(
    r"[,;:()\n]|[.!?](?:\s|$)|\s(?:over|for|in\s+connection|on|after|at|in|during|while|"
    r"since|because|when|who|which)\b",
    re.IGNORECASE,
)
#: A passive before a word of violence ("was arrested", "have been detained").
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def done_to(text: str, trigger: Span) -> str:
    """The words of whom a word of violence is done to (whom an arrest holds): the subject
    of a passive ("the journalist Musa Bello was arrested"), else the object after the verb
    or noun ("arrested the journalist Musa Bello on Tuesday", "the killing of a reporter"),
    up to its reason, place or time ("detained five people over the killing of a
    journalist": five people, not the journalist)."""
    sentence_start = trigger.start - len(_sentence_of(text, Span(trigger.start, trigger.start)))
    before = text[max(0, sentence_start) : trigger.start]
    if _PASSIVE.search(before):
        parts = re.split(r"[,;:()]|\b(?:who|which|after|when|and)\b", before)
        # "The journalist, who had written on the killing, was detained": the subject
        # stands before the clause that describes it
        return parts[-1] if _PASSIVE.sub("", parts[-1]).strip() else parts[0]
    after = text[trigger.end : trigger.end + 200]
    end = _HELD_END.search(after)
    return after[: end.start()] if end else after


def toll_update(text: str, span: Span) -> bool:
    """A later toll of an event already told ("the death toll ... has risen to 25")."""
    return bool(words().toll_update.search(span.of(text)))


def earlier_toll(text: str, span: Span) -> bool:
    """The toll an earlier telling gave an event already told ("the governor had earlier
    reported a toll of eight"): a figure the report's own replaces."""
    return bool(words().earlier_toll.search(span.of(text)))


def updated(
    groups: Sequence[Group], counts: dict[str, CountMention], place: PlaceMention | None = None
) -> Group | None:
    """The event a toll update is about: the last one told that counts the same role, in
    the place the update names if one was told there ("The toll in Kyiv has risen to 20"
    after a strike on Kryvyi Rih told since)."""
    tolled = [g for g in groups if any(r in g.counts for r in counts)]
    if place is not None:
        name = place.value.name
        there = [g for g in tolled if g.place is not None and g.place.value.name == name]
        tolled = there or tolled
    return tolled[-1] if tolled else None


def widen(old: CountMention, new: CountMention) -> CountMention:
    """One count from an event's toll and a later toll of it: the range of both (the lower
    bound stays the most conservative figure), on the first telling's words."""
    a, b = old.value, new.value
    if a == b:
        return old
    lows = [x for x in (a.min, b.min) if x is not None]
    highs = [x for x in (a.max, b.max, b.min) if x is not None]
    value = CountValue(
        min=min(lows) if lows else None,
        max=None if a.max is None and b.max is None else max(highs, default=None),
        role=a.role or b.role,
        approximate=a.approximate or b.approximate,
        vague=a.vague and b.vague,
        children=a.children,
        women=a.women,
        victim=a.victim or b.victim,
    )
    return Mention("count", old.start, old.end, old.text, value, NAME)
