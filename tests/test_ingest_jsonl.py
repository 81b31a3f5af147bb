"""JSON Lines: one document per line; a bad line is an error for that line only."""

from __future__ import annotations

import json
from datetime import date

import pytest

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.ingest import read_jsonl
from harmledger.model import Document

SETTINGS = Settings()
TEXT = "Gunmen killed two farmers near Kirkuk on Sunday, police said."


def line(**obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def test_ingest_jsonl_reads_each_line() -> None:
    data = "\n".join(
        [
            line(id="IRQ1", text=TEXT, published="2020-05-15", title="Kirkuk attack", url="u"),
            "",
            line(id="IRQ2", html="<p>Two civilians were killed in Mosul on Monday.</p>"),
            line(text="No id here: a mortar round wounded four children in Tal Afar."),
        ]
    ).encode("utf-8")
    out = list(read_jsonl("batch.jsonl", data, SETTINGS))
    assert all(isinstance(d, Document) for d in out)
    assert [d.name for d in out] == ["IRQ1", "IRQ2", "batch.jsonl:4"]
    assert out[0].text == TEXT
    assert out[0].meta.published == date(2020, 5, 15)
    assert out[0].meta.title == "Kirkuk attack"
    assert out[0].meta.url == "u"
    assert out[1].text == "Two civilians were killed in Mosul on Monday."
    assert out[1].media_type == "text/html"
    assert {d.reader for d in out} == {"jsonl.v5"}


def test_ingest_jsonl_extra_keys_kept() -> None:
    data = line(id="a", text=TEXT, source="ACLED", country="Iraq", event_id_cnty="IRQ24427")
    (doc,) = read_jsonl("x.jsonl", data, SETTINGS)
    assert doc.meta.extra == {"source": "ACLED", "country": "Iraq", "event_id_cnty": "IRQ24427"}
    assert doc.meta.publisher == "ACLED"


def test_ingest_jsonl_published_timestamp_and_settings_fallback() -> None:
    s = SETTINGS.with_(published=date(2019, 1, 1))
    data = "\n".join(
        [line(id="a", text=TEXT, published="2020-05-15T08:00:00Z"), line(id="b", text=TEXT)]
    )
    a, b = read_jsonl("x.jsonl", data, s)
    assert a.meta.published == date(2020, 5, 15)
    assert b.meta.published == date(2019, 1, 1)


@pytest.mark.parametrize(
    ("bad", "name", "reason"),
    [
        ('{"id": "a", "text": ', "f.jsonl:2", "line 2: not valid JSON"),
        ("[1, 2, 3]", "f.jsonl:2", "needs a 'text' or 'html' string"),
        (line(id="n1", text=42), "n1", "line 2: a JSON Lines document needs a 'text'"),
        (line(id="n2", title="no text"), "n2", "needs a 'text' or 'html' string"),
        (line(text=["a", "list"]), "f.jsonl:2", "needs a 'text' or 'html' string"),
        (line(id="d1", text=TEXT, published="18/10/2016"), "d1", "not a date in the form"),
        (line(id="d2", text=TEXT, published="2016-02-30"), "d2", "not a date in the form"),
        (line(id="e1", text="   "), "e1", "line 2: no text left"),
        (line(id="b1", text="\x00\x00binary"), "b1", "binary"),
    ],
)
def test_ingest_jsonl_bad_line_is_reported_and_others_go_on(
    bad: str, name: str, reason: str
) -> None:
    data = "\n".join([line(id="ok1", text=TEXT), bad, line(id="ok3", text=TEXT)])
    out = list(read_jsonl("f.jsonl", data.encode("utf-8"), SETTINGS))
    assert [type(d).__name__ for d in out] == ["Document", "ReadError", "Document"]
    err = out[1]
    assert isinstance(err, ReadError)
    assert err.name == name
    assert reason in err.reason


def test_ingest_jsonl_line_too_large() -> None:
    data = "\n".join([line(id="big", text="x" * 500), line(id="ok", text=TEXT)])
    out = list(read_jsonl("f.jsonl", data.encode(), SETTINGS.with_(max_bytes=200)))
    assert isinstance(out[0], ReadError) and "too large" in out[0].reason
    assert out[0].name == "f.jsonl:1"
    assert isinstance(out[1], Document)


def test_ingest_jsonl_bom_and_crlf() -> None:
    data = ("\ufeff" + line(id="a", text=TEXT) + "\r\n" + line(id="b", text=TEXT) + "\r\n").encode()
    assert [d.name for d in read_jsonl("f.jsonl", data, SETTINGS)] == ["a", "b"]


def test_ingest_jsonl_boilerplate_removed_in_text_docs() -> None:
    text = f"{TEXT}\n\nFollow Jane Doe on Twitter\n\nSend tips to jane@example.org."
    (doc,) = read_jsonl("f.jsonl", line(id="a", text=text), SETTINGS)
    assert doc.text == TEXT
    assert doc.meta.byline == "Jane Doe"
