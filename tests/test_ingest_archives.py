"""Gzipped JSON Lines and web archives (WARC): how news archives and crawls come."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.ingest import count_documents, iter_paths, read_inputs
from harmledger.model import Document

SETTINGS = Settings()
WIRE = (
    "BAGHDAD, 14 March 2023 (AFP) - Gunmen killed two shepherds near the village of Tal "
    "Ali in Kirkuk province on Monday, police said."
)
PAGE = (
    "<html><head><title>Market blast kills six in Aleppo</title>"
    '<meta property="article:published_time" content="2016-10-18T09:00:00Z"></head>'
    "<body><nav>Home | World | Sport</nav><article><h1>Market blast kills six in Aleppo</h1>"
    "<p>A car bomb tore through a vegetable market in the Syrian city of Aleppo on Tuesday, "
    "killing six people and wounding at least twenty, state television said.</p>"
    "<p>Witnesses said the blast hit at the busiest hour, when farmers from the "
    "countryside were selling their produce.</p></article></body></html>"
)


def _response(w: WARCWriter, uri: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    w.write_record(
        w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
    )


def crawl(path: Path, *, gzipped: bool = True) -> Path:
    """A small crawl: a news page, a redirect, an image, a request, a stored text."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gzipped)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test crawler"}))
        _response(w, "https://news.example.org/aleppo", PAGE.encode(), "text/html; charset=utf-8")
        _response(w, "https://news.example.org/old", b"", "text/html", status="301 Moved")
        _response(w, "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        req = StatusAndHeaders(
            "GET /aleppo HTTP/1.1", [("Host", "news.example.org")], is_http_request=True
        )
        w.write_record(
            w.create_warc_record("https://news.example.org/aleppo", "request", http_headers=req)
        )
        w.write_record(
            w.create_warc_record(
                "urn:text:wire-1",
                "resource",
                payload=io.BytesIO(WIRE.encode()),
                warc_content_type="text/plain",
            )
        )
    return path


@pytest.mark.parametrize("gzipped", [True, False])
def test_ingest_archives_warc_pages_and_texts_are_documents(tmp_path: Path, gzipped: bool) -> None:
    path = crawl(tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"), gzipped=gzipped)
    docs = list(read_inputs([str(path)], SETTINGS))
    assert all(isinstance(d, Document) for d in docs)
    assert [d.name for d in docs] == ["https://news.example.org/aleppo", "urn:text:wire-1"]
    page, wire = docs
    assert page.reader == wire.reader == "warc.v1"
    assert "car bomb tore through a vegetable market" in page.text
    assert "Home | World" not in page.text
    assert page.meta.url == "https://news.example.org/aleppo"
    assert str(page.meta.published) == "2016-10-18"
    assert page.meta.extra["warc_file"] == str(path)
    assert page.meta.extra["warc_date"]  # when it was crawled, not published
    assert wire.text.endswith("police said.")
    assert count_documents([str(path)], SETTINGS) == 2


def test_ingest_archives_found_in_folders(tmp_path: Path) -> None:
    crawl(tmp_path / "a.warc.gz")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "n1", "text": WIRE}) + "\n")
    (tmp_path / "c.gz").write_bytes(gzip.compress(b"not ours"))
    assert [p.name for p in iter_paths([tmp_path])] == ["a.warc.gz", "b.jsonl.gz"]


def test_ingest_archives_gzipped_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    lines = [
        json.dumps({"id": "n1", "text": WIRE, "published": "2023-03-14"}),
        "",
        "{not json",
        json.dumps({"id": "n2", "html": PAGE}),
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    got = list(read_inputs([str(path)], SETTINGS))
    assert [type(x).__name__ for x in got] == ["Document", "ReadError", "Document"]
    assert [x.name for x in got] == ["n1", f"{path}:3", "n2"]
    assert count_documents([str(path)], SETTINGS) == 3


def test_ingest_archives_too_large_record_is_named_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        _response(w, "https://x.example.org/huge", b"<p>" + b"word " * 5000 + b"</p>", "text/html")
        _response(w, "https://news.example.org/aleppo", PAGE.encode(), "text/html")
    got = list(read_inputs([str(path)], SETTINGS.with_(max_bytes=10_000)))
    assert isinstance(got[0], ReadError) and got[0].name == "https://x.example.org/huge"
    assert "too large (25,007 bytes" in got[0].reason
    assert isinstance(got[1], Document)


@pytest.mark.parametrize("name", ["broken.warc.gz", "broken.jsonl.gz"])
def test_ingest_archives_broken_archive_is_one_named_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"this is not an archive at all\n" * 10)
    got = list(read_inputs([str(path)], SETTINGS))
    assert len(got) == 1 and isinstance(got[0], ReadError)
    assert got[0].name == str(path)


def test_ingest_archives_cut_off_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(
        "".join(json.dumps({"id": f"n{i}", "text": WIRE}) + "\n" for i in range(50)).encode()
    )
    path.write_bytes(whole[: len(whole) - 20])
    got = list(read_inputs([str(path)], SETTINGS))
    assert isinstance(got[-1], ReadError) and got[-1].name == str(path)
    assert all(isinstance(d, Document) for d in got[:-1]) and got[:-1]
