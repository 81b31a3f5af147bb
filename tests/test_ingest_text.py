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
    assert doc.reader == "text.v2"
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
    "data",
    [
        b"%PDF-1.4\x00\x00\x01\x02binary",
        bytes(range(1, 9)) * 100,  # mostly control characters, no NUL
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_ingest_text_binary_is_refused(data: bytes) -> None:
    with pytest.raises(ReadError) as err:
        read_text("blob.txt", data, SETTINGS)
    assert err.value.reason == MSG_BINARY


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
