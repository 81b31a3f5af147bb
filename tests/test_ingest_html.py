"""HTML pages: main text by trafilatura, metadata, then the same cleaning as plain text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.ingest import read_html
from harmledger.model import DocumentMeta

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()


@pytest.fixture(scope="module")
def article():
    path = FIXTURES / "article.html"
    return read_html(str(path), path.read_bytes(), SETTINGS)


def test_ingest_html_keeps_the_story(article) -> None:
    text = article.text
    assert text.startswith("Militia Accused of Executing Men Fleeing Siege\n\n")
    for phrase in (
        "executed at least nine men who had fled the besieged town of Karma",
        "taken to a nearby farm",
        "said a woman who asked to be identified only as Huda.",
        "Another 40 men from the same area remain missing",
    ):
        assert phrase in text
    assert article.reader == "html.v5"
    assert article.media_type == "text/html"
    assert article.raw.lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "junk",
    [
        "World News Desk",  # navigation
        "Subscribe to our Premium Edition",
        "Floods hit coastal farms",  # related links
        "We use cookies",  # cookie banner
        "Accept all cookies",
        "Contact the newsroom",  # footer
        "All rights reserved",
        "Share on Facebook",  # share buttons
        "Advertisement",
        "Follow Jane Doe on Twitter",
        "Send tips",
        "window.dataLayer",  # script
    ],
)
def test_ingest_html_drops_page_furniture(article, junk: str) -> None:
    assert junk not in article.text


def test_ingest_html_metadata(article) -> None:
    meta = article.meta
    assert meta.title == "Militia Accused of Executing Men Fleeing Siege"
    assert meta.byline == "Jane Doe"
    assert meta.published == date(2016, 10, 18)
    assert meta.publisher == "The Northern Observer"
    assert meta.url == "https://observer.example.org/world/militia-executions"
    assert meta.section == "World"
    assert meta.language == "en"


def test_ingest_html_removals_are_recorded(article) -> None:
    assert [r.rule for r in article.removed] == ["advertisement", "social-follow", "social-tips"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><div><p>Gunmen killed three farmers near Kirkuk on Sunday, police said."
        "<p>The attackers fled in a car",  # unclosed tags
        "<p>Two civilians were killed in Mosul on Monday.</p>",  # fragment
    ],
)
def test_ingest_html_malformed_but_readable(html: str) -> None:
    doc = read_html("m.html", html, SETTINGS)
    assert "killed" in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "\x02<<<>>><&&& ))) <p",
        "",
        "<html><head><title>Only a title</title></head></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_ingest_html_nothing_to_extract_is_a_clear_error(html: str) -> None:
    with pytest.raises(ReadError) as err:
        read_html("junk.html", html, SETTINGS)
    assert err.value.name == "junk.html"
    assert "HTML" in err.value.reason or "no text left" in err.value.reason


def test_ingest_html_declared_charset() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body>'
        "<p>Les miliciens ont tué neuf hommes près de Karma, a déclaré l’ONG mardi.</p>"
        "</body></html>"
    ).encode("cp1252")
    doc = read_html("fr.html", html, SETTINGS)
    assert "tué neuf hommes près de Karma" in doc.text


def test_ingest_html_binary_and_size() -> None:
    with pytest.raises(ReadError, match="binary"):
        read_html("x.html", b"<html>\x00\x00\x00\x01", SETTINGS)
    with pytest.raises(ReadError, match="too large"):
        read_html("x.html", "<p>" + "a" * 200 + "</p>", SETTINGS.with_(max_bytes=100))


def test_ingest_html_explicit_meta_and_settings_date() -> None:
    html = "<html><body><article><p>Two civilians were killed in Mosul on Monday.</p></article>"
    meta = DocumentMeta(title="Given", url="https://example.org/x")
    doc = read_html("h", html, SETTINGS.with_(published=date(2020, 1, 7)), meta=meta)
    assert doc.meta.title == "Given"
    assert doc.meta.published == date(2020, 1, 7)
