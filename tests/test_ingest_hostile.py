"""Hostile and unlucky inputs: what is not a regular file, links out of a folder, binary
formats, NUL characters, names that are not UTF-8, entities, lone surrogates, nesting. Each
is refused by name (a ReadError) or read as it should be, and the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.ingest import read_html, read_inputs, read_jsonl, read_text
from harmledger.model import Document

SETTINGS = Settings()
TEXT = "Gunmen killed two farmers near Kirkuk on Sunday, police said."


def _read(*inputs: str | Path, settings: Settings = SETTINGS) -> list[Document | ReadError]:
    return list(read_inputs([str(i) for i in inputs], settings))


def _errors(items: list[Document | ReadError]) -> dict[str, str]:
    return {e.name: e.reason for e in items if isinstance(e, ReadError)}


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (not hang) a test that blocks for more than 20 seconds."""

    def stop(*_: object) -> None:
        raise TimeoutError("blocked")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- what is not a regular file


def test_ingest_sources_named_pipe_in_a_folder_is_refused_and_does_not_block(
    tmp_path: Path, no_hang: None
) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    os.mkfifo(tmp_path / "b.txt")  # nobody ever writes to it
    (tmp_path / "c.txt").write_text(TEXT.replace("two", "three"))
    out = _read(tmp_path)
    assert [type(x).__name__ for x in out] == ["Document", "ReadError", "Document"]
    assert "not a regular file (a named pipe)" in _errors(out)[str(tmp_path / "b.txt")]


def test_ingest_sources_socket_and_device_are_refused_by_name(
    tmp_path: Path, no_hang: None
) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.txt"))
    try:
        errors = _errors(_read(tmp_path / "s.txt", "/dev/zero"))
    finally:
        sock.close()
    assert "(a socket)" in errors[str(tmp_path / "s.txt")]
    assert "(a device)" in errors["/dev/zero"]


# ---------------------------------------------------------------- links and folders


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash " + TEXT)
    (outside / "more").mkdir()
    (outside / "more" / "x.txt").write_text(TEXT)
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT)
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "dir").symlink_to(outside / "more")
    (root / "sub").mkdir()
    (root / "sub" / "b.txt").write_text(TEXT.replace("two", "four"))
    (root / "same.txt").symlink_to(root / "sub" / "b.txt")  # inside: followed
    (root / "sub" / "up").symlink_to(root)  # a loop: each folder is read once
    return root


def test_ingest_sources_links_out_of_the_folder_are_not_followed(linked: Path) -> None:
    out = _read(linked)
    errors = _errors(out)
    assert set(errors) == {str(linked / "dir"), str(linked / "link.txt")}
    assert all("outside the input folder; not followed" in r for r in errors.values())
    assert all("--follow-symlinks" in r for r in errors.values())
    names = [d.name for d in out if isinstance(d, Document)]
    assert names == [str(linked / "a.txt"), str(linked / "same.txt"), str(linked / "sub/b.txt")]
    assert not any("root:x" in d.text for d in out if isinstance(d, Document))


def test_ingest_sources_follow_symlinks_reads_what_links_point_to(linked: Path) -> None:
    out = _read(linked, settings=SETTINGS.with_(follow_symlinks=True))
    assert _errors(out) == {}
    names = {Path(d.name).relative_to(linked).as_posix() for d in out if isinstance(d, Document)}
    assert names == {"a.txt", "dir/x.txt", "link.txt", "same.txt", "sub/b.txt"}


def test_ingest_sources_unreadable_folder_is_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(TEXT)
    real = os.scandir

    def scandir(path: os.PathLike[str] | str):  # root reads any folder: refuse it here
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = _read(tmp_path)
    errors = _errors(out)
    assert list(errors) == [str(tmp_path / "locked")]
    assert "cannot read this folder (Permission denied)" in errors[str(tmp_path / "locked")]
    assert [d.name for d in out if isinstance(d, Document)] == [str(tmp_path / "a.txt")]


# ---------------------------------------------------------------- binary content


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("report.txt", TEXT)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (gzip.compress(TEXT.encode() * 100), "a gzip archive"),
        (_zip(), "a ZIP archive"),
    ],
)
def test_ingest_text_binary_formats_are_named(tmp_path: Path, data: bytes, named: str) -> None:
    for suffix in (".txt", ".html", ".jsonl"):
        path = tmp_path / f"file{suffix}"
        path.write_bytes(data)
        (err,) = _read(path)
        assert isinstance(err, ReadError), suffix
        assert err.reason.startswith(named), (suffix, err.reason)
        assert "not a text document" in err.reason


def test_ingest_text_random_high_bytes_are_not_read_as_windows_1252() -> None:
    data = bytes(range(0xA0, 0x100)) * 20  # every byte decodes as Windows-1252
    with pytest.raises(ReadError) as err:
        read_text("noise.txt", data, SETTINGS)
    assert "are above 127 and it is not UTF-8" in err.value.reason
    # French in Windows-1252 is still read
    doc = read_text(
        "fr.txt",
        "Des hommes armés ont tué deux fermiers près de Kirkouk.".encode("cp1252"),
        SETTINGS,
    )
    assert "armés" in doc.text


@pytest.mark.parametrize("where", [0, 100, 9000, 50_000])
def test_ingest_text_a_nul_is_refused_wherever_it_is(where: int) -> None:
    body = (TEXT + "\n") * 1000
    data = (body[:where] + "\x00" + body[where:]).encode()
    with pytest.raises(ReadError) as err:
        read_text("nul.txt", data, SETTINGS)
    assert f"NUL character (at offset {where:,})" in err.value.reason
    # the same in a JSON Lines text and an HTML string
    line = json.dumps({"id": "j", "text": body[:where] + "\x00" + body[where:]})
    (got,) = read_jsonl("n.jsonl", line, SETTINGS)
    assert isinstance(got, ReadError) and "NUL character" in got.reason
    with pytest.raises(ReadError, match="NUL character"):
        read_html("n.html", f"<p>{body[:where]}\x00{body[where:]}</p>", SETTINGS)


# ---------------------------------------------------------------- names and strings


def test_ingest_sources_a_name_that_is_not_utf8_is_named_with_escapes(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xff.txt"
    with open(raw, "w") as f:
        f.write(TEXT)
    (doc,) = _read(tmp_path)
    assert isinstance(doc, Document)
    assert doc.name == str(tmp_path) + "/caf\\xff.txt"
    doc.name.encode("utf-8")  # valid UTF-8


def test_ingest_jsonl_lone_surrogates_become_replacement_characters() -> None:
    line = '{"id": "s\\udc80", "text": "%s \\ud800", "source": "\\udc80Agency", "tag": ["\\udfff"]}'
    (doc,) = read_jsonl("s.jsonl", line % TEXT, SETTINGS)
    assert isinstance(doc, Document)
    assert doc.name == "s\ufffd" and doc.text.endswith("\ufffd")
    assert doc.meta.publisher == "\ufffdAgency" and doc.meta.extra["tag"] == ["\ufffd"]
    json.dumps(doc.meta.to_dict(), ensure_ascii=False).encode("utf-8")


def test_ingest_html_entities_are_decoded_once() -> None:
    page = (
        "<html><head><title>AT&amp;T &amp;amp; co</title></head><body><article>"
        f"<p>{TEXT} The page shows the code &amp;lt;script&amp;gt; and AT&amp;T, R&amp;D "
        "&#38; &lt;b&gt; and &amp;amp;copy.</p></article></body></html>"
    )
    doc = read_html("e.html", page, SETTINGS)
    assert "&lt;script&gt; and AT&T, R&D & <b> and &amp;copy." in doc.text
    assert "<script>" not in doc.text


def test_ingest_html_deep_nesting_is_read_or_refused_by_name() -> None:
    page = "<div>" * 100_000 + f"<p>{TEXT}</p>" + "</div>" * 100_000
    try:
        doc = read_html("deep.html", page, SETTINGS.with_(max_bytes=10_000_000))
    except ReadError as e:
        assert e.name == "deep.html" and e.reason
    else:
        assert TEXT in doc.text


def test_ingest_jsonl_deep_nesting_and_long_numbers_are_refused_by_line() -> None:
    lines = [
        f'{{"id": "a", "text": "{TEXT}", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        f'{{"id": "b", "text": "{TEXT}", "n": ' + "9" * 5000 + "}",
        json.dumps({"id": "c", "text": TEXT}),
    ]
    a, b, c = read_jsonl("d.jsonl", "\n".join(lines), SETTINGS.with_(max_bytes=1_000_000))
    assert isinstance(a, ReadError) and "nest too deeply" in a.reason and a.name == "d.jsonl:1"
    assert isinstance(b, ReadError) and "a number too long to read" in b.reason
    assert isinstance(c, Document)
