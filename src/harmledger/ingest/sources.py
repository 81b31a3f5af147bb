"""Where documents come from: files, folders and standard input.

:func:`read_inputs` never raises for a bad document: it yields a :class:`ReadError` for it
and goes on, so one unreadable file does not stop a batch.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from harmledger.config import Settings
from harmledger.errors import (
    MSG_FOLDER_UNREADABLE,
    MSG_FORMAT,
    MSG_INTERNAL,
    MSG_NOT_FOUND,
    MSG_NOT_REGULAR,
    MSG_OS_ERROR,
    MSG_SYMLINK_OUTSIDE,
    MSG_TOO_LARGE,
    MSG_UNSUPPORTED,
    ReadError,
)
from harmledger.ingest.html import read_html
from harmledger.ingest.jsonl import read_jsonl_lines
from harmledger.ingest.text import binary_format, read_text
from harmledger.ingest.warc import count_warc, read_warc
from harmledger.model import Document
from harmledger.safe import path_name, shown

#: File suffixes harmledger reads, and the reader for each (``.gz``: compressed).
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
}
#: Readers that read many documents from one file and limit the size of each instead.
_MANY = frozenset({"jsonl", "warc"})


def kind_of(path: Path) -> str | None:
    """The reader for ``path`` by its suffix (``.warc.gz`` before ``.gz``), or None."""
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return SUFFIXES[suffix]
    return None


STDIN_NAME = "<stdin>"
STDIN = "-"

_CHUNK = 1 << 16


def iter_paths(
    inputs: Iterable[str | os.PathLike[str]], *, follow_symlinks: bool = False
) -> Iterator[Path]:
    """The files named by ``inputs``, in order; a directory gives its readable files
    (see :data:`SUFFIXES`) recursively in sorted order, skipping hidden files and
    folders (and what :func:`walk` reports as a failure). Files named explicitly come back
    as given (even a missing one or one of another type, so that the caller can report
    it); ``"-"`` (standard input) is skipped."""
    for item in inputs:
        if str(item) == STDIN:
            continue
        path = Path(item)
        if path.is_dir():
            yield from (
                p for p in walk(path, follow_symlinks=follow_symlinks) if isinstance(p, Path)
            )
        else:
            yield path


def walk(root: Path, *, follow_symlinks: bool = False) -> Iterator[Path | ReadError]:
    """The files of folder ``root`` that harmledger reads (by suffix), recursively, sorted
    by their path in it; hidden files and folders are left out. A folder that cannot be
    read, and a symbolic link that leads out of ``root`` (unless ``follow_symlinks``), are
    failures (:class:`ReadError`, in their place in the order); a link within ``root`` is
    followed, each folder read once."""
    found: list[tuple[tuple[str, ...], Path | ReadError]] = []
    top = os.path.realpath(root)
    seen = {top}

    def inside(real: str) -> bool:
        return real == top or real.startswith(top.rstrip(os.sep) + os.sep)

    def visit(folder: Path, rel: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            reason = MSG_FOLDER_UNREADABLE.format(detail=e.strerror or str(e))
            found.append((rel, ReadError(path_name(folder), reason)))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, here = Path(entry.path), (*rel, entry.name)
            wanted = kind_of(Path(entry.name)) is not None
            try:
                is_dir = entry.is_dir()  # follows a link
            except OSError:
                is_dir = False
            if entry.is_symlink():
                real = os.path.realpath(path)
                if not (inside(real) or follow_symlinks):
                    if is_dir or wanted:
                        reason = MSG_SYMLINK_OUTSIDE.format(target=shown(real))
                        found.append((here, ReadError(path_name(path), reason)))
                    continue
            if is_dir:
                real = os.path.realpath(path)
                if real not in seen:  # a link back up, or to a folder already read
                    seen.add(real)
                    visit(path, here)
            elif wanted:
                found.append((here, path))

    visit(root, ())
    found.sort(key=lambda x: x[0])
    for _, item in found:
        yield item


def check_size(path: Path, settings: Settings, *, name: str | None = None) -> int:
    """The file's size in bytes (from ``stat``, nothing is read); raises :class:`ReadError`
    when it is over ``settings.max_bytes``. JSON Lines files and web archives are limited
    per document instead."""
    name = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(name, _os_reason(e)) from None
    if size > settings.max_bytes and kind_of(path) not in _MANY:
        raise ReadError(name, MSG_TOO_LARGE.format(size=size, limit=settings.max_bytes))
    return size


def read_inputs(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Document | ReadError]:
    """Read every input (file, directory, or ``"-"`` for standard input; none means standard
    input). Yields Documents in input order and a ReadError for each one that cannot be read."""
    for item in list(inputs) or [STDIN]:
        if item == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded(STDIN_NAME, read_stdin(stream, settings))
            continue
        path = Path(item)
        if not path.exists():
            yield ReadError(path_name(item), MSG_NOT_FOUND)
            continue
        if not path.is_dir():
            yield from _guarded(path_name(path), read_path(path, settings))
            continue
        for p in walk(path, follow_symlinks=settings.follow_symlinks):
            if isinstance(p, ReadError):
                yield p
            else:
                yield from _guarded(path_name(p), read_path(p, settings))


def _guarded(name: str, docs: Iterator[Document | ReadError]) -> Iterator[Document | ReadError]:
    """Turn a raised error into a yielded one (the generator ends there)."""
    try:
        yield from docs
    except ReadError as e:
        yield e
    except Exception as e:
        yield ReadError(name, MSG_INTERNAL.format(detail=f"{type(e).__name__}: {e}"))


def read_path(path: Path, settings: Settings) -> Iterator[Document | ReadError]:
    """Read one file by its suffix. Raises ReadError (the caller yields it)."""
    name = path_name(path)
    try:
        special = _special(os.stat(path).st_mode)
    except OSError as e:
        raise ReadError(name, _os_reason(e)) from None
    if special is not None:  # a pipe, a device, a socket: whatever its name says
        raise ReadError(name, MSG_NOT_REGULAR.format(kind=special))
    kind = kind_of(path)
    if kind is None:
        raise ReadError(name, MSG_UNSUPPORTED.format(suffix=path.suffix or "(none)"))
    check_size(path, settings, name=name)
    try:
        with _open(path, name) as f:
            if kind == "jsonl":
                head = f.peek(_SNIFF)[:_SNIFF]
                if (found := binary_format(head)) is not None:
                    raise ReadError(name, MSG_FORMAT.format(what=found.what, fix=found.fix))
                yield from read_jsonl_lines(name, _lines(f, settings.max_bytes), settings)
                return
            if kind == "warc":
                yield from read_warc(name, f, settings)
                return
            data = f.read(settings.max_bytes + 1)
    except (OSError, EOFError) as e:  # gzip: a broken or cut-off file
        raise ReadError(name, _os_reason(e)) from None
    if kind == "html":
        yield read_html(name, data, settings)
    else:
        yield read_text(name, data, settings)


@contextmanager
def _open(path: Path, name: str) -> Iterator[io.BufferedReader]:
    """The file's bytes (a regular file only: see :func:`open_regular`); a ``.jsonl.gz``
    file's uncompressed (a ``.warc.gz`` file is uncompressed record by record by its
    reader)."""
    with open_regular(path, name) as raw:
        if path.name.lower().endswith(".jsonl.gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
                yield cast(io.BufferedReader, unpacked)  # it reads, peeks and reads lines alike
        else:
            yield raw


def count_documents(inputs: Sequence[str], settings: Settings) -> int | None:
    """How many documents (and failures) :func:`read_inputs` will give for ``inputs``,
    found by a quick pass that extracts nothing (JSON Lines: non-blank lines; web
    archives: page records); None when standard input is among them."""
    total = 0
    for item in inputs:
        if item == STDIN:
            return None
        path = Path(item)
        for p in iter_paths([path]) if path.is_dir() else [path]:
            total += _count(p)
    return total


def _count(path: Path) -> int:
    kind = kind_of(path)
    if kind not in _MANY:
        return 1
    try:
        with _open(path, str(path)) as f:
            if kind == "warc":
                return count_warc(f)
            lines = 0
            for line in f:
                lines += bool(line.strip())
            return lines
    except Exception:  # reading will say what is wrong with it
        return 1


#: Bytes of a JSON Lines file looked at for a binary format's signature.
_SNIFF = 512


def open_regular(path: Path, name: str) -> io.BufferedReader:
    """``path`` opened for reading, if it is a regular file (or a link to one): a named
    pipe, a device or a socket is refused by name (opening a pipe would wait for a
    writer). Raises :class:`ReadError`."""
    try:
        kind = _special(os.stat(path).st_mode)
        if kind is not None:
            raise ReadError(name, MSG_NOT_REGULAR.format(kind=kind))
        # not blocking, and checked again on what was opened: the file may have changed
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise ReadError(name, _os_reason(e)) from None
    try:
        kind = _special(os.fstat(fd).st_mode)
        if kind is not None:
            raise ReadError(name, MSG_NOT_REGULAR.format(kind=kind))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _special(mode: int) -> str | None:
    """What a file that is not a regular one is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def read_stdin(stream: BinaryIO, settings: Settings) -> Iterator[Document | ReadError]:
    """Standard input: JSON Lines when its first non-blank character is ``{``, else text."""
    head = b""
    while len(head) <= settings.max_bytes:
        chunk = stream.read1(_CHUNK) if hasattr(stream, "read1") else stream.read(_CHUNK)
        if not chunk:
            break
        head += chunk
        if head.removeprefix(b"\xef\xbb\xbf").strip():
            break
    reader = _Prefixed(head, stream)
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        yield from read_jsonl_lines(STDIN_NAME, _lines(reader, settings.max_bytes), settings)
        return
    data = reader.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        size = len(data) + sum(iter(lambda: len(reader.read(_CHUNK)), 0))
        raise ReadError(STDIN_NAME, MSG_TOO_LARGE.format(size=size, limit=settings.max_bytes))
    yield read_text(STDIN_NAME, data, settings)


class _Prefixed:
    """A binary stream with some bytes already read from it put back in front."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._buf = prefix
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        if not self._buf:
            return self._stream.readline(limit)
        cut = self._buf.find(b"\n") + 1
        if cut == 0 and 0 <= limit <= len(self._buf):
            line, self._buf = self._buf[:limit], self._buf[limit:]
            return line
        if cut == 0:  # no newline buffered: finish the line from the stream
            want = -1 if limit < 0 else max(limit - len(self._buf), 0)
            line, self._buf = self._buf + self._stream.readline(want), b""
            return line
        if 0 <= limit < cut:
            cut = limit
        line, self._buf = self._buf[:cut], self._buf[cut:]
        return line

    def read(self, n: int = -1) -> bytes:
        if n < 0:
            data, self._buf = self._buf + self._stream.read(), b""
            return data
        data, self._buf = self._buf[:n], self._buf[n:]
        if len(data) < n:
            data += self._stream.read(n - len(data))
        return data


def _lines(f: BinaryIO | _Prefixed, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, line without its newline, size)``; a line longer than ``limit`` comes
    back as ``None`` (with its size) and is skipped without holding it in memory."""
    lineno = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the over-long line
                chunk = f.readline(_CHUNK)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None, size
            continue
        yield lineno, line.rstrip(b"\n").rstrip(b"\r"), len(line)


def _os_reason(e: OSError | EOFError) -> str:
    return MSG_OS_ERROR.format(detail=getattr(e, "strerror", None) or str(e))
