"""Datelines: the words opening a story that say where and when it was filed, not where and
when its events happened ("KYIV (Reuters) -", "MOGADISHU, Somalia —", "GENEVA (9 November
2023) -", "(Kyiv Wire)", "BAGHDAD, 14 March 2023 (AFP) -"). A stage-free helper: the places
stage does not take a dateline's town for an event's place, and assembly does not take its
date for an event's date (the reader takes it for the publication date).
"""

from __future__ import annotations

import re
from functools import cache

from harmledger.model import Span

#: How far into the text a dateline may start: after a headline and a byline, not deeper.
DATELINE_WITHIN = 400

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
#: A town in capitals ("KYIV", "PORT-AU-PRINCE", "N'DJAMENA"), or one to three capitalised
#: words when a bracket or a dash closes the dateline ("Mogadishu, Somalia -")
_CAPS_TOWN = r"[A-Z][A-Z.'’ -]{1,40}[A-Z.]"
_TOWN = r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,2}"
_REGION = r"(?:,\s*[A-Z][\w'’. -]{1,30}?)?"
_BRACKET = r"\([A-Z0-9][^()\n]{0,39}\)"
_DASH = r"\s*(?:[-–—]+|:(?=\s))"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return (
        # "KYIV (Reuters) -", "GENEVA (9 November 2023) -", "MOGADISHU, Somalia —",
        # "BAGHDAD, Oct. 17, 2016 (Reuters) -", "LASHKAR GAH (Pajhwok): " (a dateline's date
        # is on its town's line: "VERIFIED INCIDENTS" over "03 Jan 2024 - Mali - ..." is none)
        re.compile(
            rf"(?P<town>{_CAPS_TOWN}){_REGION}(?:,?[ \t]+{_DATE})?\s*(?:{_BRACKET})?{_DASH}"
        ),
        # "Mogadishu, Somalia (AFP) -", "Geneva, 3 May 2019 -": a town not in capitals
        # needs a bracket or a date before its dash
        re.compile(
            rf"(?P<town>{_TOWN}){_REGION}(?:(?:,?[ \t]+{_DATE})\s*(?:{_BRACKET})?|\s*{_BRACKET})"
            rf"{_DASH}"
        ),
        # "(Kyiv Wire) Russian shelling ...", "(Mogadishu) -": a bracket opening the story
        re.compile(rf"{_BRACKET}(?:{_DASH}|\s+(?=[A-Z]))"),
    )


#: Words that open a sentence and are no town ("On Tuesday (local time) -" is no dateline)
_NOT_TOWNS = frozenset(
    "on in at by from since until before after during last early late yesterday today the "
    "as also a an and but".split()
)


def find_dateline(text: str) -> Span | None:
    """The dateline opening the story (at the start of one of its first lines), or None:
    from its first word to the dash or bracket that closes it."""
    for m in re.finditer(r"(?m)^[ \t]*(?=\S)", text[:DATELINE_WITHIN]):
        start = m.end()
        for pattern in _patterns():
            d = pattern.match(text, start)
            if d is None:
                continue
            town = d.groupdict().get("town")
            if town is not None and town.split()[0].lower().strip(",") in _NOT_TOWNS:
                continue
            end = d.end()
            while end > start and text[end - 1] in " \t-–—:":
                end -= 1
            return Span(start, end)
    return None
