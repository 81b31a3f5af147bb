"""When: the date of an incident.

A sentence's own event date, passing over dates of the telling ("told AFP on Sunday", a wire
dateline); else the date stated before it in its paragraph by a sentence that reports no
violence; else, for a news flash dated only by its telling, "that day or the day before".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from harmledger.model import Annotated, DateValue, Mention, Span, mentions_of
from harmledger.pipeline.assemble.common import NAME, AnyMention, DateMention, Unit, words
from harmledger.pipeline.datelines import find_dateline
from harmledger.pipeline.trigger_lexicon import load_lexicon

#: What follows a wire dateline's date: "BAGHDAD, Oct. 17, 2016 (Reuters) -"
_DATELINE_TAIL = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*[-–—]")


#: A date right before a verb of speech is the day of the statement ("UN experts today
#: condemned the killing", "Police on Monday said"): no comma between (ACLED's "On 5 May,
#: the army said it killed..." dates the event); or the day a report was issued ("the
#: monitor today released its monthly report, which documents ...")
_STATEMENT_AFTER = re.compile(
    r"[ \t]+(?:also[ \t]+|again[ \t]+|publicly[ \t]+|strongly[ \t]+)?"
    r"(?:said|says|told|condemned|condemns|denounced|denounces|announced|confirmed|stated|"
    r"warned|urged|called[ \t]+(?:on|for)|released|published|issued|unveiled)\b"
)


#: ... and of those, the verbs of a news flash, which tells the news of that day or the day
#: before ("Police on Monday said gunmen killed two"); a condemnation may come days later
_NEWS_AFTER = re.compile(r"[ \t]+(?:also[ \t]+)?(?:said|says|told|announced|confirmed|stated)\b")
#: Before a date, an earlier figure it dates ("137 people had been killed, up from 133 on
#: Saturday"): the day that figure was given, not the event's.
_EARLIER_FIGURE = re.compile(r"\bup\s+from\s+(?:at\s+least\s+)?[\d,]+\s+(?:on\s+)?$", re.IGNORECASE)


#: How many characters before a date the reporting words must be to make it a reporting
#: date ("the report released Tuesday", "told AFP on Sunday"), not the incident's date.
REPORTING_WINDOW = 28


def _opens_line(text: str, at: int) -> bool:
    """Does nothing but spaces stand between the start of its line and ``at``?"""
    return not text[text.rfind("\n", 0, at) + 1 : at].strip()


def _is_reporting_date(doc: Annotated, m: DateMention, sentence: Span) -> bool:
    """A date that says when something was reported, not when it happened."""
    if _DATELINE_TAIL.match(doc.text, m.end) and not _opens_line(doc.text, m.start):
        # "BAGHDAD, Oct. 17, 2016 (Reuters) -"; but a date that opens its line is the
        # first cell of a list of incidents ("03 Jan 2024 - Mali - Boni: an ambulance ...")
        return True
    dateline = find_dateline(doc.text)
    if dateline is not None and dateline.start <= m.start and m.end <= dateline.end:
        return True  # "GENEVA (9 November 2023) -": when the story was filed
    if _STATEMENT_AFTER.match(doc.text, m.end):
        return True  # "UN experts today condemned the killing": the day of the statement
    before = doc.text[max(sentence.start, m.start - REPORTING_WINDOW) : m.start]
    said = None
    for said in load_lexicon().reporting.finditer(before):  # noqa: B007 - the last one
        pass
    # "HPG reported that on 26 May, ...", "As reported by HPG, on 19 September, ...": the
    # date opens the clause that tells the event; "told AFP on Sunday" dates the telling
    return said is not None and not words().clause_opener.search(before, said.end())


def own_date(doc: Annotated, ms: Sequence[AnyMention], sentence: Span) -> DateMention | None:
    """The date of the event a sentence reports (its mentions ``ms``), if it says."""
    dates = [m for m in mentions_of(ms, DateValue) if m.value.start is not None]
    event_dates = [
        m
        for m in dates
        if not _is_reporting_date(doc, m, sentence)
        and not _EARLIER_FIGURE.search(doc.text, max(sentence.start, m.start - 40), m.start)
    ]
    if event_dates:
        m = event_dates[0]
        before = doc.text[max(sentence.start, m.start - 48) : m.start]
        if m.value.precision == 1 and words().toll_rose.search(before):
            return _day_or_before(m)  # the event happened that day or before
        return m
    # ACLED-style notes open with "As reported on 5 May," which *is* the event's date
    if dates and words().reported_as.match(doc.text[sentence.start : dates[0].start]):
        return dates[0]
    return None


def reported_date(doc: Annotated, ms: Sequence[AnyMention], sentence: Span) -> DateMention | None:
    """When a news flash dates only its telling, before the news ("A security source said
    on Tuesday that a car bomb exploded in Khalis"), the event happened on that day or
    shortly before: a date of precision 2 from the day before the telling to that day,
    spanning the telling's date words. A report's release date after the event ("..., a
    rights group said in a report released Tuesday") says nothing of when it happened.
    None when the sentence has no such date."""
    for m in mentions_of(ms, DateValue):
        v = m.value
        if v.start is None or v.precision != 1:
            continue
        if words().that_follows.match(doc.text, m.end) and _is_reporting_date(doc, m, sentence):
            return _day_or_before(m)
        if _NEWS_AFTER.match(doc.text, m.end):
            return _day_or_before(m)  # "Police on Monday said gunmen killed two farmers"
    return None


def _day_or_before(m: DateMention) -> DateMention:
    """Date mention ``m`` (a day) read as "that day or the day before": the event of a
    telling or of a toll's rise dated ``m``. Precision 2, spanning ``m``'s words."""
    v = m.value
    day = v.end or v.start
    assert day is not None
    value = DateValue(day - timedelta(days=1), day, 2, relative=v.relative)
    return Mention("date", m.start, m.end, m.text, value, NAME)


def context_date(
    doc: Annotated, by_sent: dict[int, list[AnyMention]], paras: list[int], u: Unit
) -> DateMention | None:
    """The last event date stated before ``u`` in its paragraph, by a sentence that reports
    no violence itself: "On 7 June 2020, a fight broke out between two tribes in Fuhud.
    Three people were injured." (the injuries happened that day)."""
    before = [m for m in by_sent.get(u.index, []) if m.end <= u.span.start]
    sentence = doc.sentences[u.index]
    i = u.index
    while True:
        found = own_date(doc, before, sentence)
        if found is not None:
            return found
        i -= 1
        if i < 0 or paras[i] != u.para:
            return None
        before, sentence = by_sent.get(i, []), doc.sentences[i]


#: A report that names no day for its event tells of the days up to its publication: the
#: event is dated from the publication date, as the week that ends on it (ACLED's precision
#: 2, "within a week"), the way ACLED's coders date an undated report.
PUBLICATION_WINDOW = timedelta(days=6)


def publication_date(doc: Annotated, at: int) -> DateMention | None:
    """The date of an event whose report names no day: the week up to the publication date,
    spanning the dateline's date when the story has one ("GENEVA (9 November 2023) -"), else
    no words (an empty span at ``at``). None when the publication date is unknown."""
    published = doc.document.meta.published
    if published is None:
        return None
    start = end = at
    dateline = find_dateline(doc.text)
    if dateline is not None:
        for m in doc.of_type(DateValue):
            if dateline.start <= m.start and m.end <= dateline.end and m.value.end == published:
                start, end = m.start, m.end
                break
    value = DateValue(published - PUBLICATION_WINDOW, published, 2, relative=True)
    return Mention("date", start, end, doc.text[start:end], value, NAME)
