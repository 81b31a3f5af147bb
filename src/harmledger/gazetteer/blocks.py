"""One country's detail places in independently compressed blocks (``CC.gzb``): a lookup
reads the country's sorted key index and decompresses only the blocks its key points at;
no country file is ever decompressed whole (:class:`CountryTable`, :func:`write_country_file`).

The file, all integers little-endian::

    b"HLGZB1\n"                 the magic
    u32 n, n bytes              a JSON header: columns, rules (the key rules' fingerprint),
                                rows, block_rows, blocks, exact, skel (entry counts), and
                                the compressed sizes of the index and the dictionary
    index                       zlib of the exact keys' 32-bit hashes (short_hash, sorted,
                                as differences, u32) and the block of each (u16, u32 when
                                a file has more than 65,535 blocks); the skeletons' hashes
                                and the row of each (u32: a common skeleton has hundreds of
                                rows, each checked alone); the blocks' end offsets (u32);
                                each array's
                                bytes stored by significance (low bytes first), which
                                compresses better
    dictionary                  zlib of rows sampled over the file: every block is
                                compressed with it as zlib's preset dictionary
    blocks                      zlib of block_rows rows each, one a line: a place's TSV
                                cells, then its exact keys ("|"-separated); its skeletons
                                are made from those (names.skeleton_keys)

A lookup checks the rows of a block for the key itself, so two keys of one 32-bit hash
never mix: the rows found are those whose keys are the key.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from harmledger.errors import ResourceError
from harmledger.gazetteer.names import place_keys, rules_fingerprint, skeleton_keys
from harmledger.gazetteer.place import COLUMNS, Place

#: The file name ending of a country's detail file (``SO.gzb``).
SUFFIX = ".gzb"
MAGIC = b"HLGZB1\n"
#: Rows a block: a lookup that finds a row decompresses this many (about 4 KB compressed).
BLOCK_ROWS = 128
#: Decoded blocks each table keeps (cleared when full): the same names recur in a text.
BLOCK_MEMO = 64
#: Rows whose skeleton keys each table keeps (cleared when full).
SKELETON_MEMO = 8192
#: Answers of :meth:`CountryTable.rows` each table keeps (cleared when full): the same names
#: are asked of a country in every text that points to it, each time through a view of
#: other countries with it.
ROWS_MEMO = 8192
#: The preset dictionary's size: rows sampled evenly over the file, at most this many bytes.
DICTIONARY_BYTES = 32_768
_KEYS_CELL = len(COLUMNS)  # the exact keys' cell, after the place's cells


def key_hash(key: str) -> int:
    """A stable 63-bit hash of an index key (Python's own ``hash`` of a str changes from
    process to process)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") >> 1


def short_hash(key: str) -> int:
    """The 32 bits of :func:`key_hash` that ``names.npz`` and the country files index."""
    return key_hash(key) >> 31


def equal_range(hashes: np.ndarray, values: np.ndarray, h: np.integer | int) -> list[int]:
    """The ``values`` of the entries of hash ``h`` in ``hashes`` (sorted), in their order:
    the array's own searchsorted and a slice, not a loop over numpy scalars. Give ``h`` of
    the array's type (``np.uint32`` for a 32-bit index): numpy converts the whole array to
    compare it with a number of another type."""
    i = int(hashes.searchsorted(h))
    if i == len(hashes) or hashes[i] != h:
        return []
    out: list[int] = values[i : int(hashes.searchsorted(h, side="right"))].tolist()
    return out


def encode_country(
    rows: Iterable[tuple[str, tuple[str, ...]]], rules: str, *, level: int = 9
) -> bytes:
    """The bytes of a country file of ``rows`` (a place's TSV row, :meth:`Place.to_row`, and
    its exact keys, made under the rules of fingerprint ``rules``; the skeletons are made
    from those). The same rows give the same bytes."""
    lines: list[bytes] = []
    exact: set[tuple[int, int]] = set()
    skel: set[tuple[int, int]] = set()
    for n, (row, exact_keys) in enumerate(rows):
        b = n // BLOCK_ROWS
        exact.update((short_hash(k), b) for k in exact_keys)
        skel.update((short_hash(k), n) for k in skeleton_keys(exact_keys))
        lines.append(f"{row}\t{'|'.join(exact_keys)}".encode())
    step = max(1, len(lines) * 120 // DICTIONARY_BYTES)
    dictionary = b"\n".join(lines[::step])[-DICTIONARY_BYTES:]
    blocks: list[bytes] = []
    for i in range(0, len(lines), BLOCK_ROWS):
        z = zlib.compressobj(level, zdict=dictionary) if dictionary else zlib.compressobj(level)
        blocks.append(z.compress(b"\n".join(lines[i : i + BLOCK_ROWS])) + z.flush())
    wide = len(blocks) > 0xFFFF
    block_type = np.dtype("<u4" if wide else "<u2")

    def columns(pairs: set[tuple[int, int]], second: np.dtype) -> list[bytes]:
        ordered = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
        hashes = np.diff(ordered[:, 0], prepend=0).astype("<u4")
        return [_planes(hashes), _planes(ordered[:, 1].astype(second))]

    ends = np.cumsum([len(b) for b in blocks], dtype=np.int64).astype("<u4")
    arrays = [*columns(exact, block_type), *columns(skel, np.dtype("<u4")), _planes(ends)]
    index = zlib.compress(b"".join(arrays), level)
    packed_dictionary = zlib.compress(dictionary, level)
    header = json.dumps(
        {
            "columns": [*COLUMNS, "keys"],
            "rules": rules,
            "rows": len(lines),
            "block_rows": BLOCK_ROWS,
            "blocks": len(blocks),
            "wide": wide,
            "exact": len(exact),
            "skel": len(skel),
            "index": len(index),
            "dictionary": len(packed_dictionary),
        },
        sort_keys=True,
    ).encode()
    return b"".join(
        [MAGIC, struct.pack("<I", len(header)), header, index, packed_dictionary, *blocks]
    )


def _planes(a: np.ndarray) -> bytes:
    """An array's bytes by significance: every item's lowest byte, then the next..."""
    return a.view(np.uint8).reshape(-1, a.itemsize).T.tobytes()


def _unplanes(data: bytes, dtype: str) -> np.ndarray:
    size = np.dtype(dtype).itemsize
    planes = np.frombuffer(data, np.uint8).reshape(size, -1)
    return np.ascontiguousarray(planes.T).view(dtype).ravel()


def write_country_file(path: Path, places: Iterable[Place]) -> int:
    """Write ``places`` as a country file (keys made now); returns the number of rows."""
    rows = [(p.to_row(), place_keys(p)[0]) for p in places]
    path.write_bytes(encode_country(rows, rules_fingerprint()))
    return len(rows)


class CountryTable:
    """One country's detail places: its file (mapped) of compressed blocks and two sorted
    arrays of 32-bit key hashes, the exact keys' with the block of each, the skeletons'
    with the row of each. A lookup decompresses the blocks its key points at (a few
    kilobytes each) and keeps the rows whose own keys are the key; a row becomes a
    :class:`Place` only when a lookup finds it. Pakistan's 130,000 villages take a few MB
    this way (the index and the pages of the blocks used), and open in a few
    milliseconds: nothing is parsed until asked for."""

    def __init__(self, cc: str, path: Path) -> None:
        self.cc = cc
        self.path = path
        self._places: dict[int, Place] = {}
        #: decoded blocks (their rows), and the skeleton keys of the rows a fuzzy lookup
        #: checked
        self._blocks: dict[int, list[bytes]] = {}
        self._skels: dict[int, tuple[str, ...]] = {}
        #: rows() by (key, fuzzy)
        self._found: dict[tuple[str, bool], tuple[int, ...]] = {}
        try:
            # mapped, not read: only the pages of the index and of the blocks used are read
            # (and shared by the processes that map the same file)
            with path.open("rb") as f:
                data: bytes | mmap.mmap = (
                    mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                    if path.stat().st_size
                    else b""
                )
        except (OSError, ValueError) as e:
            raise ResourceError(f"cannot read gazetteer file {path}: {e}") from e
        rules = self._open(data)
        if rules != rules_fingerprint():
            # keys made under other rules: every row's keys are made again (every block
            # decompressed once, here) and indexed in a table made in memory
            fresh: list[tuple[str, tuple[str, ...]]] = []
            for r, line in enumerate(self._lines()):
                cells = line.decode("utf-8").split("\t")[:_KEYS_CELL]
                place = self._parse_cells(r, cells)
                fresh.append(("\t".join(cells), place_keys(place)[0]))
            self._blocks.clear()
            self._open(encode_country(fresh, rules_fingerprint(), level=1))

    def _open(self, data: bytes | mmap.mmap) -> str:
        """Read the header, index and dictionary of a file's bytes; the rules it was made
        under."""
        path = self.path
        if data[: len(MAGIC)] != MAGIC:
            raise ResourceError(f"{path} is not a harmledger country file; reinstall harmledger")
        try:
            (n,) = struct.unpack_from("<I", data, len(MAGIC))
            at = len(MAGIC) + 4
            header = json.loads(data[at : at + n])
            at += n
            if header["columns"][: len(COLUMNS)] != list(COLUMNS):
                raise ValueError(f"columns {header['columns'][:3]}...")
            e, s, b = int(header["exact"]), int(header["skel"]), int(header["blocks"])
            block_type = "<u4" if header["wide"] else "<u2"
            index = zlib.decompress(data[at : at + header["index"]])
            at += header["index"]
            self._dictionary = zlib.decompress(data[at : at + header["dictionary"]])
            at += header["dictionary"]
            wide = np.dtype(block_type).itemsize
            sizes = [4 * e, wide * e, 4 * s, 4 * s, 4 * b]
            if len(index) != sum(sizes):
                raise ValueError("index of the wrong size")
            parts = []
            types = ("<u4", block_type, "<u4", "<u4", "<u4")
            for size, dtype in zip(sizes, types, strict=True):
                parts.append(_unplanes(index[:size], dtype))
                index = index[size:]
        except (ValueError, KeyError, TypeError, struct.error, zlib.error) as err:
            raise ResourceError(
                f"{path}: damaged country file ({err}); reinstall harmledger"
            ) from err
        self._exact = (np.cumsum(parts[0], dtype=np.uint32), parts[1])
        self._skel = (np.cumsum(parts[2], dtype=np.uint32), parts[3])
        ends = (parts[4].astype(np.int64) + at).tolist()
        self._bounds = list(zip([at, *ends[:-1]], ends, strict=True))
        self._data = data
        self._rows = int(header["rows"])
        self._block_rows = int(header["block_rows"])
        return str(header["rules"])

    def __len__(self) -> int:
        return self._rows

    def _block(self, b: int) -> list[bytes]:
        lines = self._blocks.get(b)
        if lines is None:
            start, end = self._bounds[b]
            try:
                if self._dictionary:
                    z = zlib.decompressobj(zdict=self._dictionary)
                    text = z.decompress(self._data[start:end])
                    if not z.eof:
                        raise zlib.error("the block is cut short")
                else:
                    text = zlib.decompress(self._data[start:end])
            except zlib.error as e:
                raise ResourceError(
                    f"{self.path}: damaged block {b} ({e}); reinstall harmledger"
                ) from e
            lines = text.split(b"\n")
            if len(self._blocks) >= BLOCK_MEMO:
                self._blocks.clear()
            self._blocks[b] = lines
        return lines

    def _line(self, row: int) -> bytes:
        return self._block(row // self._block_rows)[row % self._block_rows]

    def _lines(self) -> Iterator[bytes]:
        for b in range(len(self._bounds)):
            yield from self._block(b)

    def _parse_cells(self, row: int, cells: list[str]) -> Place:
        try:
            return Place.from_cells(cells)
        except ValueError as e:
            raise ResourceError(f"{self.path}, row {row + 1}: {e}; reinstall harmledger") from e

    def place(self, row: int) -> Place:
        p = self._places.get(row)
        if p is None:
            cells = self._line(row).decode("utf-8").split("\t")
            p = self._places[row] = self._parse_cells(row, cells)
        return p

    def rows(self, key: str, *, fuzzy: bool = False) -> list[int]:
        """The rows with this exact key (or skeleton, when ``fuzzy``), in file order."""
        rows = self._found.get((key, fuzzy))
        if rows is None:
            rows = tuple(self._rows_of(key, fuzzy))
            if len(self._found) >= ROWS_MEMO:
                self._found.clear()
            self._found[(key, fuzzy)] = rows
        return list(rows)

    def _rows_of(self, key: str, fuzzy: bool) -> list[int]:
        hashes, found = self._skel if fuzzy else self._exact
        hits = equal_range(hashes, found, np.uint32(short_hash(key)))
        if fuzzy:
            return [r for r in hits if key in self._row_skeletons(r)]
        want = key.encode()
        out: list[int] = []
        for b in hits:
            first = b * self._block_rows
            for r, line in enumerate(self._block(b), start=first):
                cell = line.rpartition(b"\t")[2]
                if want in cell and want in cell.split(b"|"):
                    out.append(r)
        return out

    def _row_skeletons(self, row: int) -> tuple[str, ...]:
        """The skeleton keys of a row (made from its exact keys)."""
        found = self._skels.get(row)
        if found is None:
            cell = self._line(row).rpartition(b"\t")[2].decode("utf-8")
            found = skeleton_keys(tuple(cell.split("|")) if cell else ())
            if len(self._skels) >= SKELETON_MEMO:
                self._skels.clear()
            self._skels[row] = found
        return found

    def __iter__(self) -> Iterator[Place]:
        return (self.place(r) for r in range(len(self)))
