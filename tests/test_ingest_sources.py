"""Files, folders and standard input: dispatch, order, and errors that never stop a batch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.ingest import check_size, iter_paths, read_inputs
from harmledger.model import Document

SETTINGS = Settings()
TEXT = "Gunmen killed two farmers near Kirkuk on Sunday, police said."
HTML = "<html><body><article><p>A car bomb killed six people in Baghdad.</p></article></body>"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(TEXT)
    (tmp_path / "b" / "page.HTM").write_text(HTML)
    (tmp_path / "a.txt").write_text(TEXT + " Two were wounded.")
    (tmp_path / "docs.jsonl").write_text(
        json.dumps({"id": "j1", "text": TEXT}) + "\n" + json.dumps({"id": "j2", "text": TEXT})
    )
    (tmp_path / "notes.md").write_text("not read")
    (tmp_path / ".hidden.txt").write_text(TEXT)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(TEXT)
    return tmp_path


def test_ingest_sources_iter_paths_sorted_recursive_filtered(tree: Path) -> None:
    got = [p.relative_to(tree).as_posix() for p in iter_paths([tree])]
    assert got == ["a.txt", "b/page.HTM", "b/z.txt", "docs.jsonl"]


def test_ingest_sources_iter_paths_keeps_explicit_files_and_skips_stdin(tree: Path) -> None:
    got = list(iter_paths([str(tree / "notes.md"), "-", str(tree / "missing.txt")]))
    assert got == [tree / "notes.md", tree / "missing.txt"]


def test_ingest_sources_read_directory(tree: Path) -> None:
    out = list(read_inputs([str(tree)], SETTINGS))
    assert all(isinstance(d, Document) for d in out)
    assert [Path(d.name).name if "/" in d.name else d.name for d in out] == [
        "a.txt",
        "page.HTM",
        "z.txt",
        "j1",
        "j2",
    ]
    assert [d.reader for d in out] == ["text.v5", "html.v5", "text.v5", "jsonl.v5", "jsonl.v5"]


def test_ingest_sources_errors_do_not_stop_the_batch(tree: Path) -> None:
    (tree / "bin.txt").write_bytes(b"\x00\x01\x02\x03")
    inputs = [
        str(tree / "missing.txt"),
        str(tree / "notes.md"),
        str(tree / "bin.txt"),
        str(tree / "a.txt"),
    ]
    out = list(read_inputs(inputs, SETTINGS))
    assert [type(d).__name__ for d in out] == ["ReadError", "ReadError", "ReadError", "Document"]
    missing, unsupported, binary, _ = out
    assert missing.name.endswith("missing.txt") and missing.reason == "no such file or directory"
    assert "unsupported file type '.md'" in unsupported.reason
    assert "binary" in binary.reason


def test_ingest_sources_too_large_file_is_refused_before_reading(tree: Path) -> None:
    small = SETTINGS.with_(max_bytes=20)
    with pytest.raises(ReadError, match="too large"):
        check_size(tree / "a.txt", small)
    assert check_size(tree / "a.txt", SETTINGS) == len(TEXT) + len(" Two were wounded.")
    (err,) = read_inputs([str(tree / "a.txt")], small)
    assert isinstance(err, ReadError) and "too large" in err.reason
    # JSON Lines files are limited per line (per document), not as a whole
    jsonl = list(read_inputs([str(tree / "docs.jsonl")], SETTINGS.with_(max_bytes=100)))
    assert [d.name for d in jsonl] == ["j1", "j2"]


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (TEXT.encode(), ["<stdin>"]),
        (b"\n  \n" + TEXT.encode() + b"\n\nSecond paragraph here.", ["<stdin>"]),
        (
            b"\n\n  " + json.dumps({"id": "s1", "text": TEXT}).encode() + b"\n{bad",
            ["s1", "<stdin>:4"],
        ),
        (b"\xef\xbb\xbf" + json.dumps({"id": "s2", "text": TEXT}).encode(), ["s2"]),
        (TEXT.encode("utf-16"), ["<stdin>"]),
    ],
)
def test_ingest_sources_stdin(data: bytes, names: list[str]) -> None:
    out = list(read_inputs([], SETTINGS, stdin=io.BytesIO(data)))
    assert [d.name for d in out] == names
    assert TEXT in out[0].text


def test_ingest_sources_stdin_dash_and_too_large(tree: Path) -> None:
    out = list(read_inputs([str(tree / "a.txt"), "-"], SETTINGS, stdin=io.BytesIO(TEXT.encode())))
    assert [d.name for d in out][1] == "<stdin>"
    (err,) = read_inputs(["-"], SETTINGS.with_(max_bytes=10), stdin=io.BytesIO(TEXT.encode()))
    assert isinstance(err, ReadError)
    assert f"too large ({len(TEXT)} bytes > limit 10)" in err.reason


def test_ingest_sources_stdin_long_jsonl_line_is_skipped() -> None:
    long = json.dumps({"id": "big", "text": "x" * 5000}).encode()
    data = json.dumps({"id": "a", "text": TEXT}).encode() + b"\n" + long + b"\n"
    data += json.dumps({"id": "c", "text": TEXT}).encode()
    out = list(read_inputs(["-"], SETTINGS.with_(max_bytes=500), stdin=io.BytesIO(data)))
    assert [getattr(d, "name", None) for d in out] == ["a", "<stdin>:2", "c"]
    assert isinstance(out[1], ReadError) and "too large" in out[1].reason


def test_ingest_sources_unreadable_file_is_an_error(tree: Path) -> None:
    path = tree / "locked.txt"
    path.write_text(TEXT)
    path.chmod(0)
    try:
        out = list(read_inputs([str(path)], SETTINGS))
    finally:
        path.chmod(0o644)
    assert len(out) == 1
    if isinstance(out[0], ReadError):  # root may read anything
        assert "cannot read it" in out[0].reason
