"""Tests for the dates stage (pipeline/dates.py).

The publication date is Tuesday 18 October 2016 (the seed report's) unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.model import Annotated, DateValue, Document, DocumentMeta
from harmledger.pipeline.dates import DateTagger, load_grammar, parse_dates

PUB = date(2016, 10, 18)  # a Tuesday
D = date.fromisoformat


def found(text: str, published: date | None = PUB) -> list[tuple[str, DateValue]]:
    return [(text[s:e], v) for s, e, v in parse_dates(text, published=published)]


def window(spec: str) -> tuple[date, date]:
    """ "2016-06-01..30" is 1-30 June 2016; "2016-05-30..06-02" crosses a month."""
    start, _, end = spec.partition("..")
    return D(start), D(start[: 10 - len(end)] + end)


# sentence, covered words, "start..end" (or one day), ACLED precision, relative
EXPLICIT = [
    # --- one day, no year: the most recent such day not after publication + 1 day
    ("executed by men in uniforms May 30. The report", "May 30", "2016-05-30", 1, True),
    ("They were shot on 30 May near the river.", "on 30 May", "2016-05-30", 1, True),
    ("On Mar 1, troops entered the town.", "On Mar 1", "2016-03-01", 1, True),
    ("Police raided homes on 1 March in Mosul.", "on 1 March", "2016-03-01", 1, True),
    ("As reported on July 07, the camp was shelled.", "on July 07", "2016-07-07", 1, True),
    ("He vanished on the 30th of May.", "on the 30th of May", "2016-05-30", 1, True),
    ("Gunmen struck on Dec. 2, killing four.", "on Dec. 2", "2015-12-02", 1, True),
    ("The raid on 19 October was the first.", "on 19 October", "2016-10-19", 1, True),
    ("The raid on 20 October was not reported.", "on 20 October", "2015-10-20", 1, True),
    ("They were last seen on 29 February.", "on 29 February", "2016-02-29", 1, True),
    ("The attack came May 3rd, witnesses said.", "May 3rd", "2016-05-03", 1, True),
    # --- one day with a year
    ("The bodies were found May 30, 2016, in a ditch.", "May 30, 2016", "2016-05-30", 1, False),
    ("The bodies were found 30 May 2016 in a ditch.", "30 May 2016", "2016-05-30", 1, False),
    ("On 15 May 2020, gunmen killed a resident.", "On 15 May 2020", "2020-05-15", 1, False),
    ("Troops fired on protesters on Sept. 30, 2019.", "on Sept. 30, 2019", "2019-09-30", 1, False),
    ("It happened on 3rd June, 2015 at dawn.", "on 3rd June, 2015", "2015-06-03", 1, False),
    ("They attacked on Tuesday, 15 May 2018.", "on Tuesday, 15 May 2018", "2018-05-15", 1, False),
    ("It began on Monday, January 4, 2016.", "on Monday, January 4, 2016", "2016-01-04", 1, False),
    (
        "A strike in the early hours of 3 June 2017",
        "in the early hours of 3 June 2017",
        "2017-06-03",
        1,
        False,
    ),
    ("DATE: 12 MARCH 2019", "12 MARCH 2019", "2019-03-12", 1, False),
    # --- numeric: ISO and day first
    ("Incident date 2020-05-15, Diyala.", "2020-05-15", "2020-05-15", 1, False),
    ("Recorded on 2020/05/15 by the monitor.", "on 2020/05/15", "2020-05-15", 1, False),
    ("Date of incident: 15/05/2020.", "15/05/2020", "2020-05-15", 1, False),
    ("Date of incident: 03/05/2020.", "03/05/2020", "2020-05-03", 1, False),
    ("Date of incident: 15.05.2020.", "15.05.2020", "2020-05-15", 1, False),
    ("Date of incident: 05/15/2020.", "05/15/2020", "2020-05-15", 1, False),
    # numeric, day month year apart by spaces (coding sheets)
    ("On 09 06 2019, gunmen set fire to a field.", "On 09 06 2019", "2019-06-09", 1, False),
    ("Reported on 05 06 2019 police found a body.", "on 05 06 2019", "2019-06-05", 1, False),
    ("On 3 7 2019, a bomb exploded in Kirkuk.", "On 3 7 2019", "2019-07-03", 1, False),
    ("Attack date 21 10 2019 Diyala", "21 10 2019", "2019-10-21", 1, False),
    # --- months
    ("He was tortured near Hajj Ali in June, 2016.", "in June, 2016", "2016-06-01..30", 3, False),
    ("Cadets were killed in June 2014 at the base.", "in June 2014", "2014-06-01..30", 3, False),
    ("Cadets were killed June, 2014 at the base.", "June, 2014", "2014-06-01..30", 3, False),
    ("An order was issued in February, 2016.", "in February, 2016", "2016-02-01..29", 3, False),
    ("Clashes resumed in May, residents said.", "in May", "2016-05-01..31", 3, True),
    ("Clashes resumed in November, residents said.", "in November", "2015-11-01..30", 3, True),
    ("During March the militia detained dozens.", "During March", "2016-03-01..31", 3, True),
    ("Shelling intensified last May.", "last May", "2016-05-01..31", 3, True),
    ("Shelling intensified last October.", "last October", "2015-10-01..31", 3, True),
    ("No arrests have been made since January 2015.", "January 2015", "2015-01-01..31", 3, False),
    # --- parts of months: early 1-10, mid 11-20, late 21-end, all precision 3
    ("The village was burned in mid-June.", "in mid-June", "2016-06-11..20", 3, True),
    ("The village was burned in early May.", "in early May", "2016-05-01..10", 3, True),
    ("The village was burned late May 2015.", "late May 2015", "2015-05-21..31", 3, False),
    (
        "It peaked at the end of February 2016.",
        "the end of February 2016",
        "2016-02-21..29",
        3,
        False,
    ),
    ("Fighting peaked in the middle of July.", "in the middle of July", "2016-07-11..20", 3, True),
    (
        "Many fled during the first week of May 2016",
        "during the first week of May 2016",
        "2016-05-01..07",
        2,
        False,
    ),
    (
        "Many fled in the last week of February 2015",
        "in the last week of February 2015",
        "2015-02-22..28",
        2,
        False,
    ),
    # --- ranges
    ("Raids took place between 1 and 5 June.", "between 1 and 5 June", "2016-06-01..05", 2, True),
    ("Raids took place from 3 to 7 May 2019.", "from 3 to 7 May 2019", "2019-05-03..07", 2, False),
    ("Raids took place May 3-7, officials said.", "May 3-7", "2016-05-03..07", 2, True),
    (
        "Raids came between May 3 and 7, 2019.",
        "between May 3 and 7, 2019",
        "2019-05-03..07",
        2,
        False,
    ),
    ("Shots on the night of 15-16 May.", "on the night of 15-16 May", "2016-05-15..16", 2, True),
    (
        "A siege from 30 May to 2 June 2016.",
        "from 30 May to 2 June 2016",
        "2016-05-30..06-02",
        2,
        False,
    ),
    ("Curfews from 1 to 20 June 2016 began.", "from 1 to 20 June 2016", "2016-06-01..20", 3, False),
    ("Arrests rose from May to July 2016.", "from May to July 2016", "2016-05-01..07-31", 3, False),
    ("Detentions rose May-July 2016.", "May-July 2016", "2016-05-01..07-31", 3, False),
    ("Raids from Dec. 28 to Jan. 3.", "from Dec. 28 to Jan. 3", "2015-12-28..2016-01-03", 2, True),
    # --- years: precision None (ACLED has no year code), the whole year
    ("Thousands disappeared in 2014.", "in 2014", "2014-01-01..12-31", None, False),
    ("Thousands vanished during 2015.", "during 2015", "2015-01-01..12-31", None, False),
    ("Thousands disappeared in mid-2014.", "in mid-2014", "2014-05-01..08-31", None, False),
    (
        "Many vanished between 2014 and 2016.",
        "between 2014 and 2016",
        "2014-01-01..2016-12-31",
        None,
        False,
    ),
]

# sentence, covered words, "start..end" (or one day), ACLED precision; all relative
RELATIVE = [
    ("according to the Amnesty International report released Tuesday.", "Tuesday", "2016-10-18", 1),
    ("The militia raided the camp on Tuesday.", "on Tuesday", "2016-10-18", 1),
    ("The militia raided the camp last Tuesday.", "last Tuesday", "2016-10-18", 1),
    ("Four were shot on Monday night near the checkpoint.", "on Monday night", "2016-10-17", 1),
    ("The convoy was hit on Wednesday.", "on Wednesday", "2016-10-12", 1),
    ("The convoy was hit early Sunday.", "early Sunday", "2016-10-16", 1),
    ("The convoy was hit Friday morning.", "Friday morning", "2016-10-14", 1),
    ("Two civilians were killed yesterday.", "yesterday", "2016-10-17", 1),
    ("Yesterday, two civilians were killed.", "Yesterday", "2016-10-17", 1),
    ("Two civilians were killed today.", "today", "2016-10-18", 1),
    ("A mortar hit the market last night.", "last night", "2016-10-17", 1),
    ("Air strikes killed 35 fighters overnight.", "overnight", "2016-10-17..18", 2),
    ("A mortar hit it the day before yesterday.", "the day before yesterday", "2016-10-16", 1),
    ("A mortar hit the market two days ago.", "two days ago", "2016-10-16", 1),
    ("A mortar hit the market 3 days ago.", "3 days ago", "2016-10-15", 1),
    ("Dozens were arrested last week.", "last week", "2016-10-10..16", 2),
    ("Dozens were arrested this week.", "this week", "2016-10-17..18", 2),
    ("Dozens were arrested earlier this week.", "earlier this week", "2016-10-17..18", 2),
    ("Dozens were arrested over the weekend.", "over the weekend", "2016-10-15..16", 2),
    ("Dozens were arrested three weeks ago.", "three weeks ago", "2016-09-26..10-02", 2),
    ("Five were killed in the past week.", "in the past week", "2016-10-12..18", 2),
    ("Homes were looted earlier this month.", "earlier this month", "2016-10-01..18", 3),
    ("Homes were looted last month.", "last month", "2016-09-01..30", 3),
    ("Homes were looted two months ago.", "two months ago", "2016-08-01..31", 3),
    ("Homes were looted last year.", "last year", "2015-01-01..12-31", None),
    ("Homes were looted earlier this year.", "earlier this year", "2016-01-01..10-18", None),
    ("Since last week's attack, families have fled.", "last week", "2016-10-10..16", 2),
]

NOT_DATES = [
    "The survivor said that 17 of his relatives are still missing, including his 17-year-old son.",
    "All men and boys of fighting age, typically ages 15 to 65, are screened.",
    "One of the most deadly examples included 12 men and four boys.",
    "Seventy-three other men of the same tribe are still missing.",
    "Officials said they may return to the village once it is cleared.",
    "Thousands joined a march through the city centre.",
    "Protesters marched to the governor's office.",
    "The attack left at least 1,566 Shia cadets dead.",
    "The council adopted Resolution 2254 unanimously.",
    "The shooting started at 10:30 and lasted until 11.45.",
    "Prime Minister Theresa May said the attack was appalling.",
    "The militia is believed to have about 2000 fighters.",
    "Commemorations of Bloody Sunday drew thousands.",
    "An editorial in the Sunday Times condemned the raids.",
    "The newspaper ran the 2014 report in full.",
    "He was detained in Cell 4/11 of the prison.",
    "Refugees in Mar Elias camp were shelled.",
    "The vote split 7 2 2019 delegates.",
    "On 31 02 2019 nothing happened.",
    "Aid was blocked, as noted in Jan Egeland's statement.",
]


@pytest.mark.parametrize("sentence,words,span,precision,relative", EXPLICIT)
def test_dates_explicit(sentence, words, span, precision, relative):
    assert found(sentence) == [(words, DateValue(*window(span), precision, relative))]


@pytest.mark.parametrize("sentence,words,span,precision", RELATIVE)
def test_dates_relative(sentence, words, span, precision):
    assert found(sentence) == [(words, DateValue(*window(span), precision, True))]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_dates_not_dates(sentence):
    assert found(sentence) == []


@pytest.mark.parametrize(
    "sentence,words",
    [
        ("Fighters returned in May after the truce.", "in May"),
        ("In March 40 people were killed in the town.", "In March"),
        ("In May 12 men were executed.", "In May"),
        ("the militia took control since March 2016", "March 2016"),
        ("the siege lasted until 4 July", "4 July"),
    ],
)
def test_dates_span_stops_before_counts_and_open_range_words(sentence, words):
    assert [w for w, _ in found(sentence)] == [words]


def test_dates_weekday_on_publication_day_is_that_day():
    # 2016-10-18 is a Tuesday; "Tuesday" in a Tuesday paper is the same day
    assert found("released Tuesday")[0][1].start == PUB
    # published on Wednesday, "Tuesday" is the day before
    assert found("released Tuesday", published=D("2016-10-19"))[0][1].start == D("2016-10-18")


def test_dates_next_weekday_is_after_publication():
    assert found("a hearing next Tuesday")[0][1].start == D("2016-10-25")


def test_dates_yearless_date_uses_one_day_slack_across_new_year():
    # a paper dated 31 December reporting "January 1" means the next day
    assert found("clashes on January 1", published=D("2016-12-31"))[0][1].start == D("2017-01-01")


def test_dates_list_of_two_dates_is_not_a_range():
    got = found("They were seized on 3 May and 5 June.")
    assert [w for w, _ in got] == ["on 3 May", "5 June"]
    assert [v.precision for _, v in got] == [1, 1]


def test_dates_two_full_dates_joined_by_and_stay_separate():
    got = found("May 30, 2016 and 30 May 2016")
    assert [w for w, _ in got] == ["May 30, 2016", "30 May 2016"]


def test_dates_invalid_calendar_dates_are_dropped():
    assert found("on 31 June") == []
    assert found("2016-02-30") == []
    assert found("30/02/2016") == []
    # the day is impossible but the month and year stand: the month is what the text supports
    assert found("on 29 February 2015") == [
        ("February 2015", DateValue(D("2015-02-01"), D("2015-02-28"), 3))
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The militia raided the camp on Tuesday.",
        "executed May 30.",
        "killed in early May",
        "arrested last week",
        "three weeks ago",
        "last year",
        "between 1 and 5 June",
    ],
)
def test_dates_without_publication_date_are_unknown_not_guessed(sentence):
    got = found(sentence, published=None)
    assert len(got) == 1
    assert got[0][1] == DateValue(None, None, None, relative=True)


def test_dates_explicit_year_does_not_need_publication_date():
    assert found("On 15 May 2020, gunmen", published=None) == [
        ("On 15 May 2020", DateValue(D("2020-05-15"), D("2020-05-15"), 1, False))
    ]


def test_dates_seed_report_sentences():
    text = (
        "according to the Amnesty International report released Tuesday. "
        "which left at least 1,566 Shia cadets dead in June, 2014. "
        "including his own 17-year-old son. "
        "near the village of Hajj Ali in June, 2016. "
        "military and federal police uniforms May 30. The report noted. "
        "Seventy-three other men of the same tribe. typically ages 15 to 65. "
        "Prime Minister Haider al-Abadi in February, 2016."
    )
    got = [(w, v.start, v.end, v.precision) for w, v in found(text)]
    assert got == [
        ("Tuesday", PUB, PUB, 1),
        ("in June, 2014", D("2014-06-01"), D("2014-06-30"), 3),
        ("in June, 2016", D("2016-06-01"), D("2016-06-30"), 3),
        ("May 30", D("2016-05-30"), D("2016-05-30"), 1),
        ("in February, 2016", D("2016-02-01"), D("2016-02-29"), 3),
    ]


def test_dates_longest_expression_wins_and_offsets_are_exact():
    text = "Witnesses said raids took place from 3 to 7 May 2019 in the district."
    (s, e, v), *rest = parse_dates(text, published=PUB)
    assert rest == []
    assert text[s:e] == "from 3 to 7 May 2019"
    assert (v.start, v.end) == (D("2019-05-03"), D("2019-05-07"))


def test_dates_windows_give_the_same_result_as_sentence_by_sentence():
    # parse_dates only matches around anchor words; a long text must give the same
    # mentions as its sentences one by one (shifted by their offsets).
    sentences = [row[0] for row in EXPLICIT + RELATIVE] + NOT_DATES
    text = ""
    expected = []
    for s in sentences:
        off = len(text)
        expected += [(a + off, b + off, v) for a, b, v in parse_dates(s, published=PUB)]
        text += s + " "
    assert parse_dates(text, published=PUB) == expected


def test_dates_text_whose_lowercase_changes_length():
    text = "İstanbul: gunmen attacked a bus on 3 June 2016."
    assert found(text) == [("on 3 June 2016", DateValue(D("2016-06-03"), D("2016-06-03"), 1))]


def test_dates_tagger_uses_document_date_then_settings():
    text = "Militants executed 12 men on Tuesday."

    def tag(meta_published: date | None, settings_published: date | None):
        doc = Document.build(
            name="t",
            text=text,
            raw=text,
            meta=DocumentMeta(published=meta_published),
            reader="test",
        )
        tagger = DateTagger(Settings(published=settings_published))
        out = tagger(Annotated(document=doc))
        assert out.stages == ("dates.v4",)
        return out.of_kind("date")

    (m,) = tag(PUB, D("2020-01-01"))
    assert (m.text, m.stage, m.value.start) == ("on Tuesday", "dates.v4", PUB)
    assert text[m.start : m.end] == m.text
    (m,) = tag(None, D("2016-10-20"))  # a Thursday
    assert m.value.start == D("2016-10-18")
    (m,) = tag(None, None)
    assert m.value == DateValue(None, None, None, relative=True)


def test_dates_tagger_declares_itself():
    assert DateTagger.name == "dates.v4"
    assert DateTagger.assigns == ("mentions:date", "mentions:dropped")


def test_dates_grammar_is_loaded_once():
    assert load_grammar() is load_grammar()


# --------------------------------------------------------------------------- properties

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    d=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    style=st.sampled_from(["dmy", "mdy", "iso", "abbr", "num"]),
)
def test_dates_property_explicit_dates_round_trip(d: date, style: str):
    name = MONTHS[d.month - 1]
    written = {
        "dmy": f"{d.day} {name} {d.year}",
        "mdy": f"{name} {d.day}, {d.year}",
        "iso": d.isoformat(),
        "abbr": f"{name[:3]} {d.day}, {d.year}",
        "num": f"{d.day:02d}/{d.month:02d}/{d.year}",
    }[style]
    text = f"Gunmen killed two farmers on {written}, the monitoring group said."
    got = parse_dates(text, published=PUB)
    assert len(got) == 1
    s, e, v = got[0]
    assert text[s:e] == f"on {written}"
    assert v == DateValue(d, d, 1, relative=False)


@settings(max_examples=200, deadline=None)
@given(pub=st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)))
def test_dates_property_yearless_date_is_never_after_publication_plus_one(pub: date):
    month = MONTHS[(pub.toordinal() * 7) % 12]
    (_, _, v), *_ = parse_dates(f"killed on 28 {month}", published=pub)
    assert v.start is not None
    assert v.start <= pub + timedelta(days=1)
    assert v.start > pub + timedelta(days=1) - timedelta(days=366)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_dates_property_any_text_gives_valid_spans(text: str):
    for s, e, v in parse_dates(text, published=PUB):
        assert 0 <= s < e <= len(text)
        if v.start is not None:
            assert v.end is not None and v.start <= v.end


@pytest.mark.parametrize("text", ["İ tueſday", "İ laſt week", "İstanbul, on Tueſday 3 March 2019"])
def test_dates_letters_that_case_fold_to_ascii_do_not_crash(text):
    # regression: "ſ" matches "s" when case is ignored, and the lookups must fold it too
    parse_dates(text, published=date(2020, 5, 20))
