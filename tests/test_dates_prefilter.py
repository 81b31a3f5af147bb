"""The dates prefilter finds exactly what running every pattern over every window finds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.pipeline.dates import (
    _matches,
    _windows,
    load_grammar,
    lower_for_prefixes,
    parse_dates,
)


def _plain(text: str) -> list[tuple[int, int, int]]:
    """(pattern, start, end) of every match, the slow way: finditer over each window."""
    g = load_grammar()
    out = []
    for lo, hi, kinds in _windows(text, g.anchors):
        for i, (pattern, _, kind) in enumerate(g.patterns):
            if kind in kinds:
                out += [(i, m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
    return out


def _filtered(text: str) -> list[tuple[int, int, int]]:
    g = load_grammar()
    pf = g.prefilter
    assert pf is not None
    low = lower_for_prefixes(text, pf.fold, pf.fold_scan)
    out = []
    for lo, hi, kinds in _windows(text, g.anchors):
        out += [(i, m.start(), m.end()) for i, m in _matches(g, text, low, lo, hi, kinds)]
    return out


SENTENCES = [
    "On 15 May 2020, IS militants shot and killed a Kurdish resident near Khanaqin.",
    "Between 3 and 5 June 2019 the village was shelled; on the night of 15-16 May more died.",
    "The attack took place on Tuesday, 12/05/2020, and again on 2020-05-15 and 15.05.2020.",
    "In late May, mid-June 2014 and from March to July 2016, the camp was besieged.",
    "Three weeks ago, last week and earlier this month, the militia detained 40 men.",
    "Since 2014, and as of 1 January 2015, until Sept. 30, nothing changed in Jan. 2016.",
    "ON 15 MAY 2020 THE WEEKEND OF 5 MAY, on the 3rd of June and the first week of May.",
    "They may march on Monday night; in March 40 people died; Resolution 2254 of 2015.",
]
ODD = ["İstanbul on 5 May 2020", "ſeptember 5, 2018 and \u212aelvin", "5\u00a0May\u00a02020", ""]


@pytest.mark.parametrize("text", SENTENCES + ODD)
def test_dates_prefilter_same_matches(text: str) -> None:
    assert _filtered(text) == _plain(text)


@pytest.mark.parametrize("text", ["İstanbul, on 5 May 2020", "ǅ ﬁ, on 5 May 2020"])
def test_dates_prefilter_offsets_after_odd_letters(text: str) -> None:
    # "İ" lower-cases to two characters and "ﬁ" is one ligature: offsets must not drift
    g = load_grammar()
    assert g.prefilter is not None
    low = lower_for_prefixes(text, g.prefilter.fold, g.prefilter.fold_scan)
    assert low == "" or len(low) == len(text)
    got = [(text[s:e], v.start) for s, e, v in parse_dates(text, published=None)]
    assert got == [("on 5 May 2020", date(2020, 5, 5))]


_PIECES = st.sampled_from(
    [
        "on ",
        "in ",
        "the ",
        "night of ",
        "May",
        "MAY",
        "may",
        "June",
        "Sept.",
        "Tuesday",
        "last ",
        "week",
        "ago",
        "between ",
        "and ",
        "to ",
        "-",
        "–",
        "/",
        ".",
        ",",
        " ",
        "\n",
        "\u00a0",
        "ſ",
        "3",
        "15",
        "31",
        "2019",
        "2020",
        "05",
        "x",
        "early ",
        "mid-",
        "since ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_dates_prefilter_property(text: str) -> None:
    assert _filtered(text) == _plain(text)


def test_dates_prefilter_values_unchanged() -> None:
    text = "On 15 May 2020, and between 3 and 5 June, three weeks ago, militants struck."
    got = parse_dates(text, published=date(2020, 6, 20))
    assert [(text[s:e], v.start.isoformat(), v.precision) for s, e, v in got] == [
        ("On 15 May 2020", "2020-05-15", 1),
        ("between 3 and 5 June", "2020-06-03", 2),
        ("three weeks ago", "2020-05-25", 2),
    ]
