"""Plain text: decoding, bad input, normalisation and wire-copy metadata."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.errors import MSG_BINARY, MSG_EMPTY, ReadError
from harmledger.ingest import normalise, read_text
from harmledger.ingest.text import parse_date
from harmledger.model import DocumentMeta

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()
SENTENCE = "Gunmen killed two farmers near Kirkuk on Sunday, police said."


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "data",
    [
        SENTENCE.encode("utf-8"),
        codecs.BOM_UTF8 + SENTENCE.encode("utf-8"),
        SENTENCE.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"),
        SENTENCE.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_ingest_text_decodes(data: bytes) -> None:
    doc = read_text("a.txt", data, SETTINGS)
    assert doc.text == SENTENCE
    assert doc.reader == "text.v5"
    assert doc.media_type == "text/plain"


def test_ingest_text_windows_1252_curly_quotes() -> None:
    data = "\u201cThey took my brothers,\u201d said Huda \u2013 a widow.".encode("cp1252")
    assert (
        read_text("q.txt", data, SETTINGS).text == "“They took my brothers,” said Huda – a widow."
    )


def test_ingest_text_bad_encoding_names_first_bad_byte() -> None:
    data = b"Five men were killed \x81\x8d near Mosul."  # not UTF-8, undefined in Windows-1252
    with pytest.raises(ReadError) as err:
        read_text("bad.txt", data, SETTINGS)
    assert err.value.name == "bad.txt"
    assert "0x81 at offset 21" in err.value.reason
    assert "UTF-8" in err.value.reason


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"%PDF-1.4\x00\x00\x01\x02binary", "a PDF document, not a text document"),
        (bytes(range(1, 9)) * 100, MSG_BINARY),  # mostly control characters, no NUL
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image, not a text document"),
    ],
)
def test_ingest_text_binary_is_refused(data: bytes, said: str) -> None:
    with pytest.raises(ReadError) as err:
        read_text("blob.txt", data, SETTINGS)
    assert said in err.value.reason


def test_ingest_text_too_large() -> None:
    with pytest.raises(ReadError) as err:
        read_text("big.txt", b"x" * 101, SETTINGS.with_(max_bytes=100))
    assert "too large (101 bytes > limit 100)" in err.value.reason


@pytest.mark.parametrize("data", [b"", b"   \n\n \t\n", b"Advertisement\n\nShare this article\n"])
def test_ingest_text_empty_after_cleaning(data: bytes) -> None:
    with pytest.raises(ReadError) as err:
        read_text("empty.txt", data, SETTINGS)
    assert err.value.reason == MSG_EMPTY


# --------------------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("ten\u00a0people\u2009were\u202fkilled", "ten people were killed"),
        ("trailing   \nspaces\t\n", "trailing\nspaces"),
        ("one\n\n\n\n\ntwo", "one\n\ntwo"),
        ("one\n \n\t\n\ntwo", "one\n\ntwo"),
        ("\ufeffzero\u200bwidth", "zerowidth"),
        ("  \n\nstory\n\n  ", "story"),
        ("cafe\u0301", "café"),
    ],
)
def test_ingest_text_normalise(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


@given(st.text())
def test_ingest_text_normalise_is_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once
    assert "\r" not in once and "\u00a0" not in once and "\n\n\n" not in once
    assert all(not line.endswith(" ") for line in once.split("\n"))


# --------------------------------------------------------------------------- metadata


def test_ingest_text_wire_metadata() -> None:
    doc = read_text("wire_story.txt", (FIXTURES / "wire_story.txt").read_bytes(), SETTINGS)
    assert doc.meta.section == "Middle East"
    assert doc.meta.title == "Militia Gunmen Kill Villagers Returning Home After Siege Lifted"
    assert doc.meta.byline == "Jane Doe"
    assert doc.meta.publisher == "Northern Wire Foundation"
    assert doc.meta.published is None
    # the headline is part of the story and stays in the text
    assert doc.text.startswith("Middle East\n\nMilitia Gunmen Kill Villagers")


def test_ingest_text_byline_and_dateline_lines() -> None:
    raw = (
        "Iraq: Gunmen Kill Farmers Near Kirkuk\n"
        "By JANE DOE and JOHN ROE, Staff Writers\n"
        "Published: Tuesday, October 18, 2016 10:30 GMT\n\n"
        f"{SENTENCE} The attackers fled in a white pickup truck, they added.\n\n"
        "(Reporting by Ahmed Rasheed; Editing by Tom Heneghan)\n"
        "© 2016 Northern Wire Ltd. All rights reserved."
    )
    doc = read_text("r.txt", raw, SETTINGS)
    assert doc.meta.title == "Iraq: Gunmen Kill Farmers Near Kirkuk"
    assert doc.meta.section is None
    assert doc.meta.byline == "JANE DOE and JOHN ROE"
    assert doc.meta.published == date(2016, 10, 18)
    assert doc.meta.publisher == "Northern Wire Ltd"
    assert doc.text == (
        "Iraq: Gunmen Kill Farmers Near Kirkuk\n\n"
        f"{SENTENCE} The attackers fled in a white pickup truck, they added."
    )
    assert [r.rule for r in doc.removed] == ["byline", "dateline-line", "credits-line", "copyright"]


def test_ingest_text_reuters_dateline() -> None:
    raw = f"BAGHDAD, Oct. 18, 2016 (Reuters) - {SENTENCE} Three others were wounded in the raid."
    doc = read_text("d.txt", raw, SETTINGS)
    assert doc.meta.published == date(2016, 10, 18)
    assert doc.meta.publisher == "Reuters"
    assert doc.text == raw


def test_ingest_text_credits_give_byline_when_none() -> None:
    raw = f"{SENTENCE}\n\n(Reporting by Maher Chmaytelli in Erbil; Editing by Tom Heneghan)"
    doc = read_text("c.txt", raw, SETTINGS)
    assert doc.meta.byline == "Maher Chmaytelli"
    assert doc.text == SENTENCE


def test_ingest_text_published_falls_back_to_settings() -> None:
    doc = read_text("p.txt", SENTENCE, SETTINGS.with_(published=date(2020, 5, 15)))
    assert doc.meta.published == date(2020, 5, 15)
    dated = "October 18, 2016\n\n" + SENTENCE + " Three others were wounded in the raid, they said."
    doc = read_text("p.txt", dated, SETTINGS.with_(published=date(2020, 5, 15)))
    assert doc.meta.published == date(2016, 10, 18)


def test_ingest_text_explicit_meta_wins() -> None:
    raw = (FIXTURES / "wire_story.txt").read_text(encoding="utf-8")
    meta = DocumentMeta(title="Given title", url="https://example.org/a")
    doc = read_text("w", raw, SETTINGS, meta=meta)
    assert doc.meta.title == "Given title"
    assert doc.meta.url == "https://example.org/a"
    assert doc.meta.byline == "Jane Doe"  # still found in the text


def test_ingest_text_single_sentence_has_no_headline() -> None:
    doc = read_text("s.txt", SENTENCE, SETTINGS)
    assert doc.meta.title is None
    assert doc.id == read_text("other-name.txt", SENTENCE.encode(), SETTINGS).id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-10-18", date(2016, 10, 18)),
        ("October 18, 2016", date(2016, 10, 18)),
        ("Oct. 18 2016", date(2016, 10, 18)),
        ("18 October 2016", date(2016, 10, 18)),
        ("3rd May, 2019", date(2019, 5, 3)),
        ("February 30, 2016", None),
        ("Tuesday", None),
        # web formats
        ("2022/06/15", date(2022, 6, 15)),
        ("2016-10-18T10:30:00+03:00", date(2016, 10, 18)),
        ("November 18 - 2020", date(2020, 11, 18)),
        ("Sept. 4, 2021", date(2021, 9, 4)),
        # numeric: day first when the first number is > 12
        ("13/08/2020", date(2020, 8, 13)),
        ("15-06-2022", date(2022, 6, 15)),
        ("24.10.2017", date(2017, 10, 24)),
        # month first only when the second number is > 12
        ("08/13/2020", date(2020, 8, 13)),
        # both <= 12: day first, the international convention
        ("08/11/2022", date(2022, 11, 8)),
        ("11/04/2017", date(2017, 4, 11)),
        ("3/5/2019", date(2019, 5, 3)),
        ("13/13/2020", None),
        ("31/02/2020", None),
        ("08/11/22", None),  # two-digit years are too ambiguous
        ("15/06-2022", None),  # mixed separators
        # French and Spanish month names
        ("16 mars 2022", date(2022, 3, 16)),
        ("12 août 2020", date(2020, 8, 12)),
        ("12 aout 2020", date(2020, 8, 12)),
        ("1er décembre 2021", date(2021, 12, 1)),
        ("3 de marzo de 2022", date(2022, 3, 3)),
        ("9 septiembre 2019", date(2019, 9, 9)),
        ("16 Marsh 2022", None),
    ],
)
def test_ingest_text_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("opening", "published"),
    [
        ("BAGHDAD, Oct. 18, 2016 (Reuters) - ", date(2016, 10, 18)),
        ("MOSUL, Iraq, 3 May 2019 - ", date(2019, 5, 3)),
        ("1 November 2016 ", date(2016, 11, 1)),
        ("On 1 November 2016 ", None),  # an event date, not a dateline
        ("Baghdad, 15 March 2023 - ", date(2023, 3, 15)),
        ("Geneva, Switzerland, 3 May 2019 (OCHA) – ", date(2019, 5, 3)),
        ("On Tuesday, 14 March 2023, ", None),  # an event date: no dash closes it
    ],
)
def test_ingest_text_dateline_in_first_paragraph(opening: str, published: date | None) -> None:
    doc = read_text(
        "d.txt", opening + SENTENCE + " Three others were wounded in the raid.", SETTINGS
    )
    assert doc.meta.published == published


# --------------------------------------------------------------------------- publication dates

HEADLINE = "Gunmen Kill Four Farmers Near Hawija"
STORY = (
    "Gunmen killed four farmers and wounded two others in an orchard near Hawija on Tuesday "
    "evening, a local official said.\n\n"
    "The attackers fled towards the Hamrin mountains, the official said, asking not to be named."
)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("October 24, 2017 / 6:31 PM", date(2017, 10, 24)),
        ("April 11, 2017 / 12:41 PM", date(2017, 4, 11)),
        ("Published: 11/04/2017 14:20", date(2017, 4, 11)),
        ("Published 10:48 AM GMT, February 21, 2023", date(2023, 2, 21)),
        ("April 5, 2022 12:00AM EDT", date(2022, 4, 5)),
        ("Updated: Sun 3 Jul 2022 09.15 BST", date(2022, 7, 3)),
        ("13/08/2020", date(2020, 8, 13)),
        ("15-06-2022 04:35 PM", date(2022, 6, 15)),
        ("24-10-2017", date(2017, 10, 24)),
        ("08/11/2022", date(2022, 11, 8)),  # ambiguous: day first
        ("Statement - 25 February 2022", date(2022, 2, 25)),
        (
            "Statement of the Nineveh Observatory for Human Rights, 17 October 2016",
            date(2016, 10, 17),
        ),
        ("Press release by Amnesty International, 3 May 2019", date(2019, 5, 3)),
        ("Press release: 4 March 2021", date(2021, 3, 4)),
        ("Zawiya - Al-Wasat: Wednesday 09 November 2022 | 10:15 am", date(2022, 11, 9)),
        ("Baghdad, 16 June 2022", date(2022, 6, 16)),
        ("Kirkuk, Iraq, 2 May 2019", date(2019, 5, 2)),
        ("November 18 - 2020 EL GENEINA", date(2020, 11, 18)),
        ("Publié le : 15/03/2022 - 18:40", date(2022, 3, 15)),
        ("Jeudi 3 septembre 2020", date(2020, 9, 3)),
        ("Mercredi 12 août 2020 - 10:22", date(2020, 8, 12)),
        ("16 mars 2022", date(2022, 3, 16)),
        ("Bamako, le 14 mars 2022", date(2022, 3, 14)),
        ("Publicado el 3 de marzo de 2022", date(2022, 3, 3)),
    ],
)
def test_ingest_text_date_line_in_header(line: str, published: date) -> None:
    doc = read_text("page.txt", f"{HEADLINE}\n\n{line}\n\n{STORY}", SETTINGS)
    assert doc.meta.published == published
    assert doc.meta.title == HEADLINE
    # the date line is boilerplate: it leaves the text, the headline and story stay
    assert [r.rule for r in doc.removed] == ["dateline-line"]
    assert doc.text == f"{HEADLINE}\n\n{STORY}"


def test_ingest_text_date_line_with_time_and_timezone() -> None:
    raw = (
        f"Iraq\n\n{HEADLINE}\n\nBy Sara Kamal\n\nPublished 7:05 PM GMT+3, March 14, 2023\n\n{STORY}"
    )
    # "GMT+3" is not a time zone the TIME macro knows: the line is not a date line
    assert read_text("a.txt", raw, SETTINGS).meta.published is None
    raw = raw.replace("GMT+3", "AST")
    doc = read_text("a.txt", raw, SETTINGS)
    assert doc.meta.published == date(2023, 3, 14)
    assert (doc.meta.section, doc.meta.byline) == ("Iraq", "Sara Kamal")
    assert [r.rule for r in doc.removed] == ["byline", "dateline-line"]


def test_ingest_text_outlet_in_date_line_is_publisher() -> None:
    line = "Sabratha - Libya Herald: Tuesday 08 November 2022 | 4:30 pm"
    doc = read_text("l.txt", f"{HEADLINE}\n\n{line}\n\n{STORY}", SETTINGS)
    assert doc.meta.published == date(2022, 11, 8)
    assert doc.meta.publisher == "Libya Herald"


@pytest.mark.parametrize(
    "line",
    [
        "Incident date: June 15, 2022",  # an event date with a label: stays in the text
        "Date of incident - 14 March 2023",
        "On 14 March 2023",
        "TI092 - June 15, 2022",  # an incident code and its date, as a headline
        "Between 13/08/2020 and 15/08/2020",
    ],
)
def test_ingest_text_event_date_lines_are_not_date_lines(line: str) -> None:
    doc = read_text("r.txt", f"{HEADLINE}\n\n{line}\n\n{STORY}", SETTINGS)
    assert doc.meta.published is None
    assert line in doc.text
    assert doc.removed == ()


@pytest.mark.parametrize(
    "opening",
    [
        "On Tuesday, 14 March 2023, gunmen ",
        "On Tuesday, 14 March 2023 Gunmen ",
        "Tuesday, 14 March 2023 Gunmen ",
        "In Kirkuk, 14 March 2023 Gunmen ",
        "Early on 14 March 2023, gunmen ",
        "On 13/08/2020 gunmen ",
        "13/08/2020 Gunmen ",  # numeric dates are read from date lines only
        "Last March 14, 2023 Gunmen ",
        "Since 14 March 2023 Gunmen ",
    ],
)
def test_ingest_text_event_date_in_first_sentence_is_not_published(opening: str) -> None:
    doc = read_text(
        "e.txt", opening + "killed four farmers near Hawija, a local official said.", SETTINGS
    )
    assert doc.meta.published is None


@pytest.mark.parametrize(
    ("opening", "published"),
    [
        ("Baghdad, 16 June 2022 The ", date(2022, 6, 16)),
        ("Kirkuk, 3 May 2019 The ", date(2019, 5, 3)),
        ("Baghdad, 16 June 2022, the ", None),  # a comma goes on the sentence
        ("Baghdad, 16 June 2022 the ", None),
    ],
)
def test_ingest_text_mixed_case_dateline_without_dash(opening: str, published: date | None) -> None:
    doc = read_text(
        "m.txt",
        opening + "Security Media Cell said gunmen killed four farmers near Hawija.",
        SETTINGS,
    )
    assert doc.meta.published == published


def test_ingest_text_date_in_middle_of_story_is_not_read() -> None:
    raw = f"{HEADLINE}\n\n{STORY}\n\n3 May 2019\n\nA second attack followed in the same week."
    doc = read_text("m.txt", raw, SETTINGS)
    assert doc.meta.published is None
    assert "3 May 2019" in doc.text


def test_ingest_text_header_date_wins_over_incident_date_below() -> None:
    raw = (
        "Incident report: Hawija district\n\n13/08/2020\n\n"
        "11/08/2020 - Kirkuk governorate, Hawija district, about 10 km west of the town.\n\n"
        "Gunmen killed four farmers in an orchard and wounded two others, relatives said."
    )
    doc = read_text("k.txt", raw, SETTINGS)
    assert doc.meta.published == date(2020, 8, 13)
    assert doc.text.count("11/08/2020") == 1


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_ingest_text_parse_date_round_trips(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day} {day:%B} {day.year}") == day
    assert parse_date(f"{day:%b}. {day.day}, {day.year}") == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day  # day first: always
    us = parse_date(f"{day.month:02d}/{day.day:02d}/{day.year}")  # month first: only if clear
    assert (us == day) == (day.day > 12 or day.day == day.month)


# --------------------------------------------------------------------------- publishers


@pytest.mark.parametrize(
    ("raw", "publisher", "byline"),
    [
        (f"{HEADLINE}\n\nBy Jane Doe, Reuters\n\n{STORY}", "Reuters", "Jane Doe"),
        (f"{HEADLINE}\n\nBy Ali Hassan | AFP\n\n{STORY}", "AFP", "Ali Hassan"),
        (f"{HEADLINE}\n\nBy Jane Doe, Staff Writer\n\n{STORY}", None, "Jane Doe"),
        (f"{HEADLINE}\n\n{STORY}\n\nSource: Al Jazeera and news agencies", "Al Jazeera", None),
        (f"{HEADLINE}\n\n{STORY}\n\nSOURCE: AFP", "AFP", None),
        (f"{HEADLINE}\n\nPublished by Radio Dabanga\n\n{STORY}", "Radio Dabanga", None),
        (f"{HEADLINE}\n\n{STORY}\n\nSources: local residents, medics.", None, None),
        ("KIRKUK (Reuters) - " + STORY, "Reuters", None),
        ("LASHKAR GAH (Pajhwok): " + STORY, "Pajhwok", None),
        ("Hawija, Iraq (AFP) - " + STORY, "AFP", None),
        ("Hawija (Xinhua) -- " + STORY, "Xinhua", None),
        # a mixed-case name then an unknown acronym: an organisation, not a dateline
        ("Human Rights Watch (HRW) - " + STORY, None, None),
        ("Hawija (HOL) - " + STORY, None, None),
        ("The Islamic State (IS): " + STORY, None, None),
    ],
)
def test_ingest_text_publisher(raw: str, publisher: str | None, byline: str | None) -> None:
    doc = read_text("p.txt", raw, SETTINGS)
    assert doc.meta.publisher == publisher
    assert doc.meta.byline == byline


def test_ingest_text_source_line_leaves_the_text() -> None:
    doc = read_text("s.txt", f"{HEADLINE}\n\n{STORY}\n\nSource: Al Jazeera", SETTINGS)
    assert doc.text == f"{HEADLINE}\n\n{STORY}"
    assert [r.rule for r in doc.removed] == ["source-line"]
