"""Dates: explicit and relative date expressions, resolved against the publication date.

Every expression becomes a :class:`~harmledger.model.DateValue` ``(start, end, precision,
relative)`` with ACLED's time-precision codes:

- ``1`` one day ("May 30", "30 May 2016", "2020-05-15", "yesterday", "on Tuesday");
- ``2`` a window of two to seven days ("15-16 May", "last week", "earlier this week",
  "over the weekend", "the first week of May", "three weeks ago");
- ``3`` a window longer than a week, up to months ("in June 2014", "June, 2016", "early May",
  "mid-June", "late May", "last month", "earlier this month", "from May to July 2016");
- ``None`` coarser than a month: a year alone ("in 2014": 1 January to 31 December), a part of
  a year ("late 2014"), a year range, "last year". ACLED has no code for these; ``start``/``end``
  still say which year.

Rules, so that nothing is guessed silently:

- Day ranges get their precision from their length (1 day -> 1, up to 7 days -> 2, more -> 3).
- "early"/"mid"/"late" Month are days 1-10, 11-20 and 21-end: ten or eleven days, so
  precision 3 (more than a week). "the beginning/middle/end of May" are the same windows;
  "the first/second/third/fourth/last week of May" are 7-day windows with precision 2.
- Numeric dates are day first: "15/05/2020" and "15.05.2020" are 15 May. Only when the second
  field cannot be a month ("05/15/2020") is the date read month first. Year first is ISO order
  ("2020-05-15", "2020/05/15").
- A date without a year ("May 30", "in late May") is the most recent such date or window that
  starts no later than the day after publication (papers are often dated the morning after).
- A weekday ("Tuesday", "on Tuesday", "last Tuesday", "Monday night") is the most recent such
  day on or before the publication date: the publication day itself if it is that weekday.
  "next Tuesday" is the first one after it.
- "last week" is Monday to Sunday of the previous calendar week; "this week"/"earlier this week"
  run from this week's Monday to the publication date; "last month"/"last year" are the previous
  calendar month/year; "N weeks ago" is the calendar week containing the day N weeks back.
- An impossible day is dropped ("31 June" gives nothing; "31 June 2016" keeps "June 2016",
  precision 3). "3 May and 5 June" is two dates; "between 3 May and 5 June" is one range.
- Every value that needed the publication date has ``relative=True``. When the publication date
  is unknown such values have ``start``, ``end`` and ``precision`` all ``None``.
- A mention covers the whole phrase including a preposition that belongs to it ("On 15 May",
  "in June, 2016", "between 1 and 5 June", "on the night of 15-16 May"). Prepositions that
  change the meaning to an open range ("since", "until", "before", "after", "by", "from" before
  a single date) are left out of the span; the value is the date itself.

Not dates: month names in lower case ("they may return", "a march through the city"), bare
"May"/"March"/"June" without a day, a year or a leading word ("in", "during", "early",
"last", ...), numbers followed by a counted noun ("In March 40 people died" gives "In March"),
ages, times, years without a leading word ("Resolution 2254", "the 2014 war").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, ClassVar

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import MSG_DATE_TOO_EARLY, MSG_DATE_TOO_LATE, ResourceError
from harmledger.limits import EARLIEST_DATE, implausible_date
from harmledger.model import Annotated, DateValue, DroppedValue, Mention
from harmledger.pipeline.base import mention_kind
from harmledger.pipeline.prefilter import PatternPrefilter, lower_for_prefixes, pattern_prefilter

NAME = "dates.v4"

#: A year-less date is resolved to an occurrence starting at most this long after publication.
PUBLICATION_SLACK = timedelta(days=1)
#: Length of the literal prefixes of the prefilter (see :func:`_matches`): long enough that
#: a window has few positions where a pattern can start, short enough that the number
#: patterns ("01 ", "1-1") keep a small prefix set.
PREFIX_LEN = 3
#: Characters looked at before / after each anchor word (see :func:`_windows`).
WINDOW_BEFORE = 40
WINDOW_AFTER = 60
#: How many years back a year-less date is searched for (29 February needs up to eight).
YEARLESS_LOOKBACK = 8

_UNKNOWN = DateValue(None, None, None, relative=True)
_BY_LENGTH = 0  # not an ACLED code: "derive the precision from the window's length"

# Spacing: blanks or one line break (a paragraph break never joins two halves of a date).
_S = r"(?:[ \t\u00a0]+|[ \t\u00a0]*\n[ \t\u00a0]*)"
_S0 = r"[ \t\u00a0]*"
_B = r"(?<![\w])"  # a match starts at a word start
_SEP = rf"(?:{_S0}[-–—]{_S0}|{_S}(?P<sep>(?i:to|and|until|till|through|thru)){_S})"
_NIGHT_OF = (
    rf"(?:(?i:the){_S}(?:(?i:early|small){_S})?"
    rf"(?i:night|morning|evening|afternoon|hours|weekend){_S}(?i:of){_S})"
)
_INCL = "on|in|during|throughout"
_TRIM = r"since|until|till|before|after|by|as{_S}of"


@dataclass(frozen=True, slots=True)
class Anchors:
    """Finds the words and numbers every date expression contains (see :func:`_windows`)."""

    lower: re.Pattern[str]  # runs over ``text.lower()``
    any_case: re.Pattern[str]  # for the rare text whose lower-casing changes its length
    kinds: dict[str, str]  # anchor word -> "month" | "weekday" | "relative"


@dataclass(frozen=True, slots=True)
class DateGrammar:
    """The compiled grammar: patterns with their handlers, and the vocabulary they read."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    relative: dict[str, dict[str, Any]]
    month_parts: dict[str, str]
    month_part_days: dict[str, tuple[int, int]]
    month_weeks: dict[str, int]
    year_part_months: dict[str, tuple[int, int]]
    weekday_not_after: frozenset[str]
    weekday_not_before: frozenset[str]
    patterns: tuple[tuple[re.Pattern[str], Callable[..., DateValue | None], str], ...]
    #: words and numbers that every date expression contains (see :func:`_windows`)
    anchors: Anchors
    #: where each pattern can start (see :func:`_matches`); None: run them everywhere
    prefilter: PatternPrefilter | None = None


def _alt(words: list[str]) -> str:
    """An alternation, longest first; the blanks inside a phrase match any spacing."""
    return "|".join(
        _S.join(re.escape(part) for part in w.split()) for w in sorted(words, key=len, reverse=True)
    )


def _cased(words: list[str]) -> str:
    """Title-case and upper-case variants only: 'May'/'MAY' match, 'may' does not."""
    return _alt([v for w in words for v in (w.title(), w.upper())])


@cache
def load_grammar() -> DateGrammar:
    """Build the date grammar from ``resources/dates.json`` (once per process)."""
    return resources.load("dates.json", _grammar)


def _grammar(data: dict[str, Any]) -> DateGrammar:
    patterns, anchors = _compile(data)
    return DateGrammar(
        months={**data["months"], **data["month_abbreviations"]},
        weekdays=data["weekdays"],
        numbers=data["numbers"],
        relative=data["relative"],
        month_parts=data["month_parts"],
        month_part_days={k: (v[0], v[1]) for k, v in data["month_part_days"].items()},
        month_weeks=data["month_weeks"],
        year_part_months={k: (v[0], v[1]) for k, v in data["year_part_months"].items()},
        weekday_not_after=frozenset(data["weekday_not_after"]),
        weekday_not_before=frozenset(data["weekday_not_before"]),
        patterns=patterns,
        anchors=anchors,
        prefilter=pattern_prefilter([p for p, _, _ in patterns], length=PREFIX_LEN),
    )


def _compile(
    data: dict[str, Any],
) -> tuple[tuple[tuple[re.Pattern[str], Callable[..., DateValue | None], str], ...], Anchors]:
    full = _cased(list(data["months"]))
    abbr = _cased(list(data["month_abbreviations"]))
    wd_names = _cased(list(data["weekdays"]))
    parts = _alt(data["day_parts"])
    nouns = _alt(data["count_nouns"])
    mparts = _alt(list(data["month_parts"]))
    weeks = _alt(list(data["month_weeks"]))
    ymods = _alt(
        [k for k in data["month_parts"] if data["month_parts"][k] in data["year_part_months"]]
    )
    nums = _alt(list(data["numbers"]))

    def month(n: str) -> str:
        # an abbreviation keeps its full stop only before a number ("Sept. 30", "Jan. 2016")
        return rf"(?P<{n}>(?:{full})(?![A-Za-z])|(?:{abbr})(?:\.(?={_S0}\d))?(?![A-Za-z]))"

    def day(n: str) -> str:
        return (
            rf"(?<![\d.,/:])(?P<{n}>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
            rf"(?![0-9A-Za-z]|[:.,][0-9]|{_S0}%|-?{_S0}(?i:year|yr))"
        )

    def year(n: str) -> str:
        return rf"(?<![\d.,])(?P<{n}>(?:19|20)[0-9]{{2}})(?![0-9]|[.,][0-9]|{_S0}%)"

    no_count = rf"(?!{_S}(?i:{nouns})\b)"
    weekday_opt = rf"(?:(?:{wd_names}),?{_S}(?:(?i:{parts}),?{_S})?)?"
    the = rf"(?:(?i:the){_S})?"
    trim = _TRIM.format(_S=_S)

    def lead(incl: str, trims: str) -> str:
        return rf"(?:(?:(?P<incl>(?i:{incl}))|(?P<trim>(?i:{trims}))){_S})?{_NIGHT_OF}?"

    lead_1 = lead(_INCL, trim + "|from")
    lead_r = lead(_INCL + "|from|between", trim)
    mod = rf"(?P<mod>(?i:{mparts})|(?i:the){_S}(?P<wk>(?i:{weeks})){_S}(?i:week){_S}(?i:of))"
    mod_join = rf"(?:{_S}|-(?=[A-Z]))"  # "early May", "mid-June"
    mod_ahead = rf"(?=(?i:{mparts}|the{_S}(?:{weeks}){_S}week))"
    ymod = rf"(?:(?P<mod>(?i:{ymods}))(?:{_S}|-(?=[0-9])))"  # "late 2014", "mid-2014"

    # (pattern, handler, the anchor kind every match of the pattern contains)
    patterns: list[tuple[str, Callable[..., DateValue | None], str]] = [
        # 2020-05-15, 2020/05/15
        (
            rf"{_B}{lead_1}(?P<y1>(?:19|20)[0-9]{{2}})(?P<s>[-/.])(?P<m1>1[0-2]|0?[1-9])"
            rf"(?P=s)(?P<d1>3[01]|[12][0-9]|0?[1-9])(?![0-9])",
            _h_numeric_ymd,
            "numeric",
        ),
        # 15/05/2020, 15.05.2020, 15-05-2020 (day first)
        (
            rf"{_B}{lead_1}(?<![\d.,/:])(?P<a>[0-9]{{1,2}})(?P<s>[-/.])(?P<b>[0-9]{{1,2}})"
            rf"(?P=s)(?P<y1>(?:19|20)[0-9]{{2}})(?![0-9])",
            _h_numeric_dmy,
            "numeric",
        ),
        # 15 05 2020: day month year apart by single spaces (coding sheets, ACLED notes);
        # each field has two digits or a leading "on" says it is a date, so that a list
        # of numbers ("7 2 2019 figures") is not read as one
        (
            rf"{_B}(?:(?P<incl>(?i:on)) (?<![\d.,/:])(?P<a>[0-9]{{1,2}}) (?P<b>[0-9]{{1,2}})"
            rf"|(?<![\d.,/:])(?P<a2>[0-3][0-9]) (?P<b2>[01][0-9]))"
            rf" (?P<y1>(?:19|20)[0-9]{{2}})(?![0-9]|[.,][0-9])",
            _h_numeric_dmy,
            "spaced",
        ),
        # 30 May, the 30th of May, 30 May 2016, Tuesday 15 May 2016
        (
            rf"{_B}{lead_1}{weekday_opt}{the}{day('d1')}(?:{_S}(?i:of))?{_S}{month('m1')}"
            rf"(?:,?{_S}{year('y1')})?",
            _h_days,
            "month",
        ),
        # 15-16 May, between 1 and 5 June, from 30 May to 2 June 2016
        (
            rf"{_B}{lead_r}{the}{day('d0')}(?:(?:{_S}(?i:of))?{_S}{month('m0')}"
            rf"(?:,?{_S}{year('y0')})?)?{_SEP}{the}{day('d1')}(?:{_S}(?i:of))?{_S}{month('m1')}"
            rf"(?:,?{_S}{year('y1')})?",
            _h_days,
            "month",
        ),
        # May 30, May 30, 2016, On Mar 1, Tuesday, May 30
        (
            rf"{_B}{lead_1}{weekday_opt}{month('m1')}{_S}{day('d1')}"
            rf"(?:,?{_S}{year('y1')}|{no_count})",
            _h_days,
            "month",
        ),
        # May 3-7, between May 3 and 7, 2019, May 30 to June 2
        (
            rf"{_B}{lead_r}{month('m0')}{_S}{day('d0')}(?:,?{_S}{year('y0')})?{_SEP}"
            rf"(?:{month('m1')}{_S})?{day('d1')}(?:,?{_S}{year('y1')}|{no_count})",
            _h_days,
            "month",
        ),
        # June, 2016; in June 2014; late May 2016; the first week of May 2016
        (
            rf"{_B}{lead_1}(?:{mod}{mod_join})?{month('m1')},?{_S}{year('y1')}",
            _h_month,
            "month",
        ),
        # in May, early May, mid-June, the end of May, last May (a leading word is required;
        # full names only: "in Mar Elias camp", "in Jan Egeland's words" are not months)
        (
            rf"{_B}(?:(?:(?P<incl>(?i:{_INCL}))|(?P<trim>(?i:{trim}|from))){_S}"
            rf"|(?P<rel>(?i:last|this|next)){_S}|{mod_ahead})(?:{mod}{mod_join})?"
            rf"(?P<m1>{full})(?![A-Za-z])",
            _h_month,
            "month",
        ),
        # from May to July 2016, between May and June, May-July 2016
        (
            rf"{_B}(?:(?P<incl>(?i:from|between|in|during)){_S})?{month('m0')}"
            rf"(?:,?{_S}{year('y0')})?{_SEP}{month('m1')}(?:,?{_S}{year('y1')})?",
            _h_month_range,
            "month",
        ),
        # in 2014, during 2014, late 2014, mid-2014, since 2014
        (
            rf"{_B}(?:(?:(?P<incl>(?i:in|during|throughout))|(?P<trim>(?i:{trim}|from))){_S}"
            rf"|(?=(?i:{ymods})))(?:{ymod})?{year('y1')}{no_count}(?!{_S0}[-–]{_S0}\d)",
            _h_year,
            "year",
        ),
        # from 2014 to 2016, between 2014 and 2016 (a leading word is required)
        (
            rf"{_B}(?P<incl>(?i:from|between|in|during)){_S}{year('y0')}{_SEP}{year('y1')}",
            _h_year,
            "year",
        ),
        # Tuesday, on Tuesday, last Tuesday, on Monday night
        (
            rf"{_B}(?:(?P<rel>(?i:on|last|this{_S}past|this|past|next|early|late|overnight)"
            rf"(?:{_S}(?i:on))?){_S})?{_NIGHT_OF}?(?P<wd>{wd_names})(?![A-Za-z])"
            rf"(?:{_S}(?i:{parts})\b)?",
            _h_weekday,
            "weekday",
        ),
        # yesterday, last week, over the weekend, earlier this month, last year
        (
            rf"{_B}(?:(?P<lead>(?i:in|over|during|within)){_S})?"
            rf"(?P<phrase>(?i:{_alt(list(data['relative']))}))(?![\w-])",
            _h_relative,
            "relative",
        ),
        # two days ago, three weeks ago, a month ago
        (
            rf"{_B}(?P<n>[0-9]{{1,3}}|(?i:{nums})){_S}(?P<unit>(?i:day|week|month|year))s?{_S}"
            rf"(?i:ago)\b",
            _h_ago,
            "relative",
        ),
    ]
    compiled = tuple((re.compile(p), h, k) for p, h, k in patterns)
    # Every expression contains one of these; windows around them are all that is matched.
    # Relative phrases all end in one of the relative words ("earlier this >month<").
    # The anchor runs over the lower-cased text (several times faster than ignoring case).
    kinds = {w: "month" for w in (*data["months"], *data["month_abbreviations"])}
    kinds |= {w: "weekday" for w in data["weekdays"]}
    kinds |= {phrase.split()[-1]: "relative" for phrase in data["relative"]} | {"ago": "relative"}
    anchor = (
        rf"\b(?:(?P<word>{_alt(list(kinds))})\b"
        rf"|(?P<numeric>[0-9]{{1,4}}[-/.][0-9]{{1,2}}[-/.][0-9])"
        rf"|(?P<spaced>[0-9]{{1,2}} [0-9]{{1,2}} (?:19|20)[0-9]{{2}})\b"
        rf"|(?P<year>(?:19|20)[0-9]{{2}})\b)"
    )
    return compiled, Anchors(re.compile(anchor), re.compile(anchor, re.IGNORECASE), kinds)


# --------------------------------------------------------------------------- resolution helpers


def _precision(start: date, end: date) -> int:
    """ACLED precision of a window of days: 1 day -> 1, up to a week -> 2, longer -> 3."""
    days = (end - start).days + 1
    return 1 if days <= 1 else 2 if days <= 7 else 3


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _yearless(
    build: Callable[[int], tuple[date, date]], published: date
) -> tuple[date, date] | None:
    """The most recent window (built for a year) starting no later than publication + slack."""
    limit = published + PUBLICATION_SLACK
    for y in range(published.year + 1, published.year - YEARLESS_LOOKBACK - 1, -1):
        try:
            start, end = build(y)
        except ValueError:
            continue
        if start <= limit:
            return start, end
    return None


def _value(
    build: Callable[[int], tuple[date, date]],
    y: int | None,
    published: date | None,
    *,
    precision: int | None = _BY_LENGTH,
) -> DateValue | None:
    """Resolve a window for an explicit year, or for the year implied by publication."""
    if y is not None:
        try:
            start, end = build(y)
        except ValueError:
            return None
        relative = False
    else:
        if published is None:
            return _UNKNOWN
        got = _yearless(build, published)
        if got is None:
            return None
        start, end = got
        relative = True
    if end < start:
        return None
    p = _precision(start, end) if precision == _BY_LENGTH else precision
    return DateValue(start, end, p, relative=relative)


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _month_no(g: DateGrammar, s: str | None) -> int | None:
    return g.months[s.casefold().rstrip(".")] if s else None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


# --------------------------------------------------------------------------- handlers
# Each handler takes (match, grammar, published, text) and returns a DateValue or None
# (None: the words looked like a date but are not a valid one, e.g. "31 June").


def _h_numeric_ymd(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue:
    d = date(int(m["y1"]), int(m["m1"]), int(m["d1"]))
    return DateValue(d, d, 1)


def _h_numeric_dmy(
    m: re.Match[str], g: DateGrammar, pub: date | None, text: str
) -> DateValue | None:
    a, b, y = int(m["a"] or m["a2"]), int(m["b"] or m["b2"]), int(m["y1"])
    day_, mon = (b, a) if b > 12 and a <= 12 else (a, b)  # 05/15/2020 can only be month first
    d = date(y, mon, day_)
    return DateValue(d, d, 1)


def _h_days(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    gd = m.groupdict()
    d1, m1, y1 = int(m["d1"]), _month_no(g, m["m1"]), _int(m["y1"])
    d0 = _int(gd.get("d0"))
    if d0 is None:  # one day
        month = m1
        assert month is not None  # the pattern of one day always has its month
        return _value(lambda y: (date(y, month, d1), date(y, month, d1)), y1, pub)
    m0, y0 = _month_no(g, gd.get("m0")), _int(gd.get("y0"))
    if y0 is not None and m1 is None:  # "May 30, 2016 and 30 ...": not one range
        return None
    # "3 May and 5 June" is a list, not a range, unless it says "between"
    if (
        (gd.get("sep") or "").casefold() == "and"
        and m0 is not None
        and m1 is not None
        and (gd.get("incl") or "").casefold() != "between"
    ):
        return None
    if m1 is None:  # "May 3-7": the month is given once, before the first day
        m1 = m0
    if m0 is None:  # "3-7 May"
        m0 = m1
    if y0 is not None and y1 is None:
        y1 = y0
    mm0, mm1 = m0, m1
    assert mm0 is not None and mm1 is not None

    def build(y: int) -> tuple[date, date]:
        start_year = y0 if y0 is not None else (y - 1 if mm0 > mm1 else y)
        return date(start_year, mm0, d0), date(y, mm1, d1)

    return _value(build, y1, pub)  # a year-less range is placed by its start


def _month_window(g: DateGrammar, mod: str | None, wk: str | None, mon: int):
    def build(y: int) -> tuple[date, date]:
        last = _last_day(y, mon)
        if wk:
            n = g.month_weeks[wk.casefold()]
            first = last - 6 if n < 0 else 7 * (n - 1) + 1
            return date(y, mon, first), date(y, mon, first + 6)
        if mod:
            lo, hi = g.month_part_days[g.month_parts[re.sub(r"\s+", " ", mod.casefold())]]
            return date(y, mon, lo), date(y, mon, min(hi, last))
        return date(y, mon, 1), date(y, mon, last)

    return build


def _h_month(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    gd = m.groupdict()
    mon = _month_no(g, m["m1"])
    assert mon is not None
    build = _month_window(g, gd.get("mod"), gd.get("wk"), mon)
    y = _int(gd.get("y1"))
    rel = (gd.get("rel") or "").casefold()
    if y is None and rel:
        if pub is None:
            return _UNKNOWN
        if rel == "this":
            y = pub.year
        elif rel == "last":
            y = pub.year if mon < pub.month else pub.year - 1
        else:  # next
            y = pub.year if mon > pub.month else pub.year + 1
        start, end = build(y)
        return DateValue(start, end, _precision(start, end), relative=True)
    return _value(build, y, pub)


def _h_month_range(
    m: re.Match[str], g: DateGrammar, pub: date | None, text: str
) -> DateValue | None:
    m0, m1 = _month_no(g, m["m0"]), _month_no(g, m["m1"])
    assert m0 is not None and m1 is not None
    y0, y1 = _int(m["y0"]), _int(m["y1"])
    incl = (m["incl"] or "").casefold()
    if not incl and y1 is None:  # "May and June" alone could be names
        return None
    if (m["sep"] or "").casefold() == "and" and incl not in ("between", "in", "during"):
        return None
    if y0 is not None and y1 is None:
        y1 = y0

    def build(y: int) -> tuple[date, date]:
        start_year = y0 if y0 is not None else (y - 1 if m0 > m1 else y)
        return date(start_year, m0, 1), date(y, m1, _last_day(y, m1))

    return _value(build, y1, pub, precision=3)


def _h_year(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    gd = m.groupdict()
    y1 = int(m["y1"])
    y0 = _int(gd.get("y0"))
    if y0 is not None:
        return DateValue(date(y0, 1, 1), date(y1, 12, 31), None) if y0 <= y1 else None
    lo, hi = 1, 12
    if gd.get("mod"):
        part = g.month_parts[re.sub(r"\s+", " ", gd["mod"].casefold())]
        lo, hi = g.year_part_months[part]
    return DateValue(date(y1, lo, 1), date(y1, hi, _last_day(y1, hi)), None)


def _h_weekday(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    before = text[max(0, m.start() - 12) : m.start()].split()
    after = text[m.end() : m.end() + 14].split()
    if before and before[-1] in g.weekday_not_after:
        return None
    if after and re.sub(r"['’]s$", "", after[0].strip(".,;:")) in g.weekday_not_before:
        return None
    if pub is None:
        return _UNKNOWN
    wd = g.weekdays[m["wd"].casefold()]
    rel = re.sub(r"\s+", " ", (m["rel"] or "").casefold())
    if rel == "next":
        d = pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    else:
        d = pub - timedelta(days=(pub.weekday() - wd) % 7)
    return DateValue(d, d, 1, relative=True)


def _h_relative(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    rule = g.relative[re.sub(r"\s+", " ", m["phrase"].casefold())]
    if pub is None:
        return _UNKNOWN
    unit, prec = rule["unit"], rule.get("precision")
    if unit == "days":
        start, end = pub + timedelta(days=rule["from"]), pub + timedelta(days=rule["to"])
    elif unit == "week":
        start = pub - timedelta(days=pub.weekday()) + timedelta(weeks=rule["offset"])
        end = pub if rule.get("to_date") else start + timedelta(days=6)
    elif unit == "weekend":
        start = pub - timedelta(days=(pub.weekday() - 5) % 7)
        end = start + timedelta(days=1)
    elif unit == "month":
        y, mo = _shift_month(pub.year, pub.month, rule["offset"])
        start = date(y, mo, 1)
        end = pub if rule.get("to_date") else date(y, mo, _last_day(y, mo))
    elif unit == "year":
        y = pub.year + rule["offset"]
        start, end = date(y, 1, 1), pub if rule.get("to_date") else date(y, 12, 31)
    else:
        raise ResourceError(f"dates.json: unknown relative unit {unit!r} for {m['phrase']!r}")
    return DateValue(start, end, prec, relative=True)


def _h_ago(m: re.Match[str], g: DateGrammar, pub: date | None, text: str) -> DateValue | None:
    n_text = m["n"].casefold()
    n = int(n_text) if n_text.isdigit() else g.numbers[n_text]
    if pub is None:
        return _UNKNOWN
    unit = m["unit"].casefold()
    if unit == "day":
        d = pub - timedelta(days=n)
        return DateValue(d, d, 1, relative=True)
    if unit == "week":
        back = pub - timedelta(weeks=n)
        start = back - timedelta(days=back.weekday())
        return DateValue(start, start + timedelta(days=6), 2, relative=True)
    if unit == "month":
        y, mo = _shift_month(pub.year, pub.month, -n)
        return DateValue(date(y, mo, 1), date(y, mo, _last_day(y, mo)), 3, relative=True)
    y = pub.year - n
    return DateValue(date(y, 1, 1), date(y, 12, 31), None, relative=True)


# --------------------------------------------------------------------------- public API


def _span_start(m: re.Match[str], g: DateGrammar, text: str) -> int:
    """Where the mention starts: after a meaning-changing preposition ("since"), if any,
    and after "in"/"over" unless the relative phrase is a rolling window ("in the past week")."""
    gd = m.groupdict()
    if gd.get("trim"):
        i = m.end("trim")
        while i < m.end() and text[i].isspace():
            i += 1
        return i
    if gd.get("lead") and gd.get("phrase"):
        phrase = re.sub(r"\s+", " ", gd["phrase"].casefold())
        if not g.relative[phrase].get("rolling"):
            return m.start("phrase")
    return m.start()


def _windows(text: str, anchors: Anchors) -> list[tuple[int, int, frozenset[str]]]:
    """The stretches of text worth matching, with the anchor kinds they contain.

    An anchor is a month or weekday name, a year, a numeric date or a relative word; its
    window reaches :data:`WINDOW_BEFORE` characters back (the longest lead, "in the early
    hours of ") and :data:`WINDOW_AFTER` forward, widened to whitespace and merged with its
    neighbours. A pattern only runs over windows holding its anchor kind: on news prose this is
    several times faster than running every pattern over the whole text.
    """
    low = text.lower()
    finder = anchors.lower
    if len(low) != len(text):  # lower-casing changed offsets ("İ"): match ignoring case
        low, finder = text, anchors.any_case
    out: list[tuple[int, int, frozenset[str]]] = []
    n = len(text)
    for m in finder.finditer(low):
        kind = frozenset((anchors.kinds[m["word"].casefold()] if m["word"] else m.lastgroup or "",))
        lo = max(0, m.start() - WINDOW_BEFORE)
        hi = min(n, m.end() + WINDOW_AFTER)
        if out and lo <= out[-1][1]:
            plo, phi, pk = out[-1]
            out[-1] = (plo, max(phi, hi), pk | kind)
            continue
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        if out and lo <= out[-1][1]:
            plo, phi, pk = out[-1]
            out[-1] = (plo, hi, pk | kind)
        else:
            out.append((lo, hi, kind))
    # a window never ends inside a word or number
    widened = []
    for lo, hi, kinds in out:
        while hi < n and not text[hi].isspace():
            hi += 1
        widened.append((lo, hi, kinds))
    return widened


def _matches(
    g: DateGrammar, text: str, low: str, lo: int, hi: int, kinds: frozenset[str]
) -> list[tuple[int, re.Match[str]]]:
    """``(pattern index, match)`` for what ``pattern.finditer(text, lo, hi)`` finds, for each
    pattern of ``kinds`` in grammar order, then in text order.

    With the prefilter (``low`` is then the text lower-cased for it, else ""), a pattern is
    only tried with ``match`` at the positions where one of its prefixes starts, left to right,
    skipping those inside its previous match: the same matches as ``finditer`` (which tries
    every position), found without trying the others.
    """
    pf = g.prefilter
    out: list[tuple[int, re.Match[str]]] = []
    if pf is None or not low:
        for i, (pattern, _, kind) in enumerate(g.patterns):
            if kind in kinds:
                out += ((i, m) for m in pattern.finditer(text, lo, hi))
        return out
    patterns = g.patterns
    found: list[list[re.Match[str]] | None] = [
        ([] if kind in kinds else None) for _, _, kind in patterns
    ]
    last = [lo] * len(patterns)  # where each pattern's next match may start
    for c in pf.scan.finditer(low, lo, hi):
        pos = c.start()
        for i in pf.starts_at(low[pos : min(pos + PREFIX_LEN, hi)]):
            mine = found[i]
            if mine is None or pos < last[i]:
                continue
            m = patterns[i][0].match(text, pos, hi)
            if m is not None:
                mine.append(m)
                # finditer goes on after the match (one character on after an empty one)
                last[i] = m.end() if m.end() > pos else pos + 1
    for i, (pattern, _, _) in enumerate(patterns):
        mine = found[i]
        if mine is None:
            continue
        if i in pf.unfiltered:
            out += ((i, m) for m in pattern.finditer(text, lo, hi))
        else:
            out += ((i, m) for m in mine)
    return out


def parse_dates(text: str, *, published: date | None) -> list[tuple[int, int, DateValue]]:
    """Every date expression in ``text`` as ``(start, end, value)``, in text order.

    Where expressions overlap the longest wins ("from 3 to 7 May 2019" over "7 May 2019").
    """
    g = load_grammar()
    found: list[tuple[int, int, DateValue]] = []
    windows = _windows(text, g.anchors)
    pf = g.prefilter
    low = lower_for_prefixes(text, pf.fold, pf.fold_scan) if pf is not None and windows else ""
    for lo, hi, kinds in windows:
        for i, m in _matches(g, text, low, lo, hi, kinds):
            handler = g.patterns[i][1]
            try:
                value = handler(m, g, published, text)
            except (ValueError, OverflowError):  # "31 June", "29 February 2015"
                value = None
            if value is not None:
                found.append((_span_start(m, g, text), m.end(), value))
    # longest first, then leftmost; keep those that do not overlap a kept one
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    kept: list[tuple[int, int, DateValue]] = []
    for f in found:
        if all(f[1] <= k[0] or k[1] <= f[0] for k in kept):
            kept.append(f)
    kept.sort(key=lambda f: (f[0], f[1]))
    return kept


class DateTagger:
    """Adds ``date`` mentions, resolved against the document's publication date
    (falling back to ``settings.published``), and a ``dropped`` mention for a date that
    cannot be an event's (before 1900, or more than a year after the publication)."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("date"), mention_kind("dropped"))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        published = doc.document.meta.published or self.settings.published
        text = doc.text
        today = date.today()
        mentions: list[Mention[DateValue | DroppedValue]] = []
        for s, e, v in parse_dates(text, published=published):
            value: DateValue | DroppedValue = v
            why = dropped_date(v, published, today)
            far = _FAR_YEAR.match(text, e) if v.relative else None
            if far is not None:
                # "on 3 May 1850,": the grammar reads years 1900-2099, and this day and
                # month are not this year's: the year given cannot be an event's
                e, year = far.end("year"), int(far["year"])
                why = MSG_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE.year)
                why = why if year < EARLIEST_DATE.year else MSG_DATE_TOO_LATE
            if why is not None:  # "on 3 May 1258": no event's date, a note instead
                value = DroppedValue("date", why)
            kind = "dropped" if isinstance(value, DroppedValue) else "date"
            mentions.append(Mention(kind, s, e, text[s:e], value, self.name))
        return doc.add(mentions, stage=self.name)


#: A year outside the grammar's (1900-2099) right after a year-less date, then punctuation
#: or the end: "on 3 May 1850, a post claimed" (not "on 3 May 1500 people marched").
_FAR_YEAR = re.compile(r",?[ \t]*(?P<year>1[0-8][0-9]{2}|2[1-9][0-9]{2})(?=[ \t]*(?:[,.;:)]|$))")


def dropped_date(v: DateValue, published: date | None, today: date | None = None) -> str | None:
    """Why date ``v`` cannot be an event's date in a report published on ``published``
    (see :func:`harmledger.limits.implausible_date`), or None when it can."""
    for day in (v.start, v.end):
        why = implausible_date(day, published, today) if day is not None else None
        if why == "early":
            return MSG_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE.year)
        if why == "late":
            return MSG_DATE_TOO_LATE
    return None
