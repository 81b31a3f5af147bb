"""The index over the places: :class:`Gazetteer` (the core file and imported files in sorted
hash indexes, each country's detail file a :class:`CountryTable` of compressed blocks opened
on demand),
:class:`GazetteerView` (the core with some countries' detail), reading and writing files."""

from __future__ import annotations

import gzip
import io
import itertools
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.gazetteer.blocks import SUFFIX, CountryTable, equal_range, short_hash
from harmledger.gazetteer.names import (
    MEMO_SIZE,
    MIN_SHORT_SKELETON,
    MIN_SKELETON,
    Keys,
    close_spelling,
    name_keys,
    normalize,
    place_keys,
    rules_fingerprint,
    skeleton,
    unglued_keys,
)
from harmledger.gazetteer.place import (
    COLUMNS,
    COUNTRY_DIR,
    NAME_INDEX,
    SHIPPED,
    Place,
    importance_key,
)


class PlaceIndex(Protocol):
    """What the places stage looks places up in: a :class:`Gazetteer`, or a
    :class:`GazetteerView` of it with some countries' detail places."""

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]: ...

    def lookup_fuzzy(
        self, name: str, *, country: str | None = None, min_skeleton: int = ...
    ) -> list[Place]: ...

    def get(self, place_id: str) -> Place | None: ...


def _sorted_index(hashes: array[int], rows: array[int]) -> tuple[np.ndarray, np.ndarray]:
    h = np.frombuffer(hashes, dtype=np.int64)
    r = np.frombuffer(rows, dtype=np.int32)
    order = np.argsort(h, kind="stable")
    return h[order], r[order]


class _KeyIndex:
    """Index keys -> place numbers, as two arrays sorted by the keys' hashes (12 bytes an
    entry, against about 100 for a dict of strings: the core's 90,000 places have 300,000
    keys). Keys added are sorted in on the next lookup; the numbers of one key come back
    in the order they were added."""

    __slots__ = ("_hashes", "_lock", "_new_hashes", "_new_rows", "_rows")

    def __init__(self) -> None:
        self._hashes = np.empty(0, np.int64)
        self._rows = np.empty(0, np.int32)
        self._new_hashes: array[int] = array("q")
        self._new_rows: array[int] = array("i")
        self._lock = threading.Lock()

    def add(self, key: str, i: int) -> None:
        # Python's own hash: the index lives in this process only
        self._new_hashes.append(hash(key))
        self._new_rows.append(i)

    def merge(self) -> None:
        """Sort the keys added since the last lookup in."""
        with self._lock:
            if not self._new_hashes:
                return
            new_h, new_r = _sorted_index(self._new_hashes, self._new_rows)
            h = np.concatenate((self._hashes, new_h))
            order = np.argsort(h, kind="stable")  # the older entries first among equals
            self._hashes, self._rows = h[order], np.concatenate((self._rows, new_r))[order]
            self._new_hashes, self._new_rows = array("q"), array("i")

    def get(self, key: str) -> list[int]:
        if self._new_hashes:
            self.merge()
        return equal_range(self._hashes, self._rows, hash(key))


#: At most this many detail places' tables stay open (their key indexes, about 8 bytes a
#: key, and the places their lookups parsed); the countries used longest ago are dropped
#: first and opened again when a document needs them (a few milliseconds each: a table
#: reads its index, and its blocks only when a lookup points at them). Above the 806,518
#: rows of all the shipped countries' files (about 52 MB with every one open): a stream
#: of the world's news that dropped a country to open another opened some 90 tables again
#: every 3,150 documents, and forgot every remembered answer that held their places.
DETAIL_ROWS_CAP = 1_000_000


class Gazetteer:
    """Places and two indexes over them (exact key, consonant skeleton)."""

    def __init__(self, places: Iterable[Place | tuple[Place, Keys | None]]) -> None:
        self.places: list[Place] = []
        #: key -> the place number, or the numbers when several places share the key (most
        #: keys name one place: a bare int costs nothing next to a list of one, 64 bytes)
        self._exact = _KeyIndex()
        self._skeleton = _KeyIndex()
        self._ids: dict[str, int] = {}
        #: answers of lookup()/lookup_fuzzy() by their arguments: the same names recur in
        #: every document, and a lookup sorts its candidates
        self._memo: dict[tuple[str, str, str | None, int, frozenset[str]], tuple[Place, ...]] = {}
        #: the countries that have a detail file, and the detail tables loaded, oldest
        #: use first
        self._country_files: dict[str, Path] = {}
        self._tables: OrderedDict[str, CountryTable] = OrderedDict()
        self._lock = threading.Lock()
        self._codes: dict[str, str] | None = None
        #: names.npz, read on first use: the exact keys' (hashes, country numbers), the
        #: skeleton keys' (when the file has them), and the countries' ISO codes by number
        self._names: tuple[np.ndarray, np.ndarray] | None = None
        self._skel_names: tuple[np.ndarray, np.ndarray] | None = None
        self._codes_of: list[str] = []
        self._names_read = False
        for p in places:
            if isinstance(p, Place):
                self._add(p, None)
            else:
                self._add(*p)
        self._exact.merge()
        self._skeleton.merge()

    def _add(self, place: Place, keys: Keys | None) -> None:
        if place.id in self._ids:  # the first source wins (shipped before user imports)
            return
        self._memo.clear()
        i = len(self.places)
        self.places.append(place)
        self._ids[place.id] = i
        exact, skels = keys if keys is not None else place_keys(place)
        for k in exact:
            self._exact.add(k, i)
        for k in skels:
            self._skeleton.add(k, i)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def get(self, place_id: str) -> Place | None:
        """The place of that id: of the core and the imported files, or of a detail table
        loaded now (a place a lookup returned)."""
        i = self._ids.get(place_id)
        if i is not None:
            return self.places[i]
        for table in list(self._tables.values()):
            for p in table._places.values():
                if p.id == place_id:
                    return p
        return None

    def lookup(
        self, name: str, *, country: str | None = None, detail: frozenset[str] = frozenset()
    ) -> list[Place]:
        """Places whose name or an alternate has the same :func:`normalize` key as ``name``,
        most important first. ``country`` (a name such as "Iraq" or an ISO code "IQ")
        keeps only that country's places; ``detail``: the ISO codes of the countries whose
        detail places (villages, small towns) are looked in too (see :meth:`view`)."""
        memo = ("exact", name, country, 0, detail)
        found = self._memo.get(memo)
        if found is None:
            # the answer depends on the detail countries only through those whose files may
            # hold a key of the name (as written or unglued): asked with another view whose
            # countries narrow to the same, the answer is the one remembered for those
            narrowed = self._narrowed(detail, lambda: [*name_keys(name), *unglued_keys(name)])
            shared = None
            if narrowed is not detail:
                shared = self._memo.get(("exact", name, country, 0, narrowed))
            if shared is None:

                def look(keys: list[str]) -> tuple[list[int], list[Place]]:
                    hits = [i for k in keys for i in self._exact.get(k)]
                    tables = self._detail_tables(detail, keys)
                    return hits, [t.place(r) for t in tables for k in keys for r in t.rows(k)]

                hits, extra = look(name_keys(name))
                if not hits and not extra:
                    # "Elnaqus", "Almayadin": an article written onto the name, tried only
                    # when the name as written is unknown ("Aleppo" is never "eppo")
                    hits, extra = look(unglued_keys(name))
                shared = tuple(self._select(hits, country, extra))
                if narrowed is not detail:
                    self._remember(("exact", name, country, 0, narrowed), shared)
            found = self._remember(memo, shared)
        return list(found)

    def _narrowed(self, detail: frozenset[str], keys: Callable[[], list[str]]) -> frozenset[str]:
        """The countries of ``detail`` whose files may hold one of ``keys()`` (by
        ``names.npz``); ``detail`` itself (the same object) when that is all of them, or
        when there is no detail or no usable index. A lookup's answer with ``detail`` is its
        answer with these countries alone: a file that holds none of the keys adds nothing."""
        if not detail:
            return detail
        found = self._may_hold(keys(), detail, fuzzy=False)
        return detail if found == detail else found

    def _remember(
        self,
        memo: tuple[str, str, str | None, int, frozenset[str]],
        found: list[Place] | tuple[Place, ...],
    ) -> tuple[Place, ...]:
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        out = self._memo[memo] = tuple(found)
        return out

    def lookup_fuzzy(
        self,
        name: str,
        *,
        country: str | None = None,
        min_skeleton: int = MIN_SKELETON,
        detail: frozenset[str] = frozenset(),
    ) -> list[Place]:
        """Places whose :func:`skeleton` equals ``name``'s. Many false friends: use only
        when :meth:`lookup` finds nothing and the context supports a candidate. A caller
        that filters the candidates itself (by distance) may lower ``min_skeleton``; keys
        shorter than MIN_SKELETON are only indexed down to MIN_SHORT_SKELETON letters."""
        memo = ("fuzzy", name, country, min_skeleton, detail)
        found = self._memo.get(memo)
        if found is None:
            s = skeleton(normalize(name))
            if len(s) < max(min_skeleton, MIN_SHORT_SKELETON):
                return []
            # as for lookup(): only the countries whose files may hold the skeleton count
            narrowed = detail
            shared = None
            if detail:
                held = self._may_hold([s], detail, fuzzy=True)
                if held != detail:
                    narrowed = held
                    shared = self._memo.get(("fuzzy", name, country, min_skeleton, narrowed))
            if shared is None:
                tables = self._detail_tables(detail, [s], fuzzy=True)
                extra = [t.place(r) for t in tables for r in t.rows(s, fuzzy=True)]
                hits = self._select(self._skeleton.get(s), country, extra)
                shared = tuple(p for p in hits if close_spelling(name, (p.name, *p.alternates)))
                if narrowed is not detail:
                    self._remember(("fuzzy", name, country, min_skeleton, narrowed), shared)
            found = self._remember(memo, shared)
        return list(found)

    def _select(
        self, hits: Iterable[int], country: str | None, extra: Iterable[Place] = ()
    ) -> list[Place]:
        seen: set[str] = set()
        out: list[Place] = []
        want = None if country is None else country.casefold()
        for p in itertools.chain((self.places[i] for i in hits), extra):
            if p.id in seen:
                continue
            seen.add(p.id)
            if want is None or want in (p.country.casefold(), p.cc.casefold()):
                out.append(p)
        out.sort(key=importance_key, reverse=True)  # stable: core first, then by country
        return out

    # ---------------------------------------------------------------- detail by country

    def country_codes(self) -> dict[str, str]:
        """Country name -> ISO code, for every country of the gazetteer."""
        if self._codes is None:
            self._codes = {p.country: p.cc for p in self.places if p.feature == "country"}
        return self._codes

    def detail_countries(self) -> frozenset[str]:
        """The ISO codes of the countries with a detail file."""
        return frozenset(self._country_files)

    def add_country_files(self, folder: Path) -> None:
        """Register every ``CC.gzb`` of ``folder`` as the detail file of country CC (opened
        only when a lookup asks for that country)."""
        if folder.is_dir():
            for f in sorted(folder.glob(f"*{SUFFIX}")):
                cc = f.name.split(".")[0].upper()
                if len(cc) == 2:
                    self._country_files.setdefault(cc, f)

    def view(self, countries: Iterable[str] = ()) -> GazetteerView:
        """This gazetteer with the detail places of ``countries`` (ISO codes; those without a
        detail file are ignored). Lookups through a view see the core places and those
        countries' villages, whatever other documents loaded before: the same text gives
        the same places."""
        return GazetteerView(self, frozenset(c for c in countries if c in self._country_files))

    def _detail_tables(
        self, detail: frozenset[str], keys: list[str] | None = None, *, fuzzy: bool = False
    ) -> list[CountryTable]:
        """The detail tables of ``detail`` (loaded when not in memory); with ``keys`` (exact
        keys, or skeletons when ``fuzzy``), only those whose files may hold one of them
        (``names.npz``): a table that holds none adds nothing to a lookup."""
        if not detail:
            return []
        wanted = detail if keys is None else self._may_hold(keys, detail, fuzzy=fuzzy)
        out = []
        for cc in sorted(wanted):
            table = self._tables.get(cc)
            if table is None:
                table = self._load_table(cc, keep=detail)
            else:
                self._tables.move_to_end(cc)
            if table is not None:
                out.append(table)
        return out

    def _load_table(self, cc: str, *, keep: frozenset[str]) -> CountryTable | None:
        path = self._country_files.get(cc)
        if path is None:
            return None
        with self._lock:
            table = self._tables.get(cc)
            if table is not None:
                return table
            table = CountryTable(cc, path)
            loaded = sum(len(t) for t in self._tables.values())
            dropped: set[str] = set()
            for old in list(self._tables):
                if loaded + len(table) <= DETAIL_ROWS_CAP:
                    break
                if old not in keep:
                    loaded -= len(self._tables.pop(old))
                    dropped.add(old)
            if dropped:
                # remembered answers with the dropped countries' detail hold their places;
                # the others (the core's, other countries') stay true
                self._memo = {k: v for k, v in self._memo.items() if dropped.isdisjoint(k[4])}
            self._tables[cc] = table
            return table

    def _may_hold(self, keys: list[str], detail: frozenset[str], *, fuzzy: bool) -> frozenset[str]:
        """The countries of ``detail`` whose files may hold one of ``keys`` by ``names.npz``
        (32-bit hashes: now and then one that holds none); all of ``detail`` when the index
        is missing or made under other rules."""
        found = self._countries_holding(keys, fuzzy=fuzzy)
        return detail if found is None else detail.intersection(found)

    def countries_naming(self, name: str) -> frozenset[str]:
        """The ISO codes of the countries whose detail files have a place of that name
        (from ``names.npz``, 32-bit hashes: now and then a country that has none; the caller
        loads it and looks). Empty when the index is missing or made under other rules."""
        return self._countries_holding(name_keys(name)) or frozenset()

    def _countries_holding(
        self, keys: Iterable[str], *, fuzzy: bool = False
    ) -> frozenset[str] | None:
        """The ISO codes of the countries whose files may hold one of ``keys`` (exact keys,
        or skeletons when ``fuzzy``) by ``names.npz``; ``None`` when it is missing, made
        under other rules, or (``fuzzy``) has no skeletons."""
        self._name_index()  # names.npz read once; its arrays stay None when unusable
        index = self._skel_names if fuzzy else self._names
        if index is None:
            return None
        hashes, country = index
        codes = self._codes_of
        return frozenset(
            codes[c] for k in keys for c in equal_range(hashes, country, np.uint32(short_hash(k)))
        )

    def _name_index(self) -> tuple[np.ndarray, np.ndarray] | None:
        if not self._names_read:
            self._names_read = True
            path = next(iter(self._country_files.values()), None)
            index = path.parent / NAME_INDEX if path is not None else None
            if index is not None and index.exists():
                with np.load(index, allow_pickle=False) as z:
                    if str(z["rules"][0]) == rules_fingerprint():
                        self._codes_of = [str(c) for c in z["countries"]]
                        if "skel_hashes" in z.files:
                            self._skel_names = (z["skel_hashes"], z["skel_country"])
                        self._names = (z["hashes"], z["country"])
        return self._names

    def loaded_countries(self) -> list[str]:
        """The countries whose detail places are in memory now, oldest use first."""
        return list(self._tables)

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> Gazetteer:
        """The shipped gazetteer plus every ``*.tsv.gz`` in ``extra_dir`` (cached per
        process per directory)."""
        return _load(str(extra_dir) if extra_dir is not None else None)


def read_places(path: Path) -> Iterator[tuple[Place, Keys | None]]:
    """Rows of one gazetteer file (gzip TSV with a header line), with their stored index
    keys when they were made under the current rules (else None: compute them)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            if tuple(header[: len(COLUMNS)]) != COLUMNS:
                raise ResourceError(
                    f"{path} is not a harmledger gazetteer file (header {header[:3]}...); "
                    "rebuild it with 'harmledger gazetteer import'"
                )
            fresh = len(header) == len(COLUMNS) + 2 and header[-1] == f"skel:{rules_fingerprint()}"
            n_cols = len(COLUMNS)
            for n, line in enumerate(f, start=2):
                cells = line.rstrip("\n").split("\t")
                if len(cells) < 2:
                    continue
                try:
                    place = Place.from_cells(cells)
                except ValueError as e:
                    raise ResourceError(f"{path}, line {n}: {e}; rebuild this file") from e
                if fresh and len(cells) == n_cols + 2:
                    exact, skels = cells[n_cols], cells[n_cols + 1]
                    keys = (
                        tuple(exact.split("|")) if exact else (),
                        tuple(skels.split("|")) if skels else (),
                    )
                    yield place, keys
                else:
                    yield place, None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise ResourceError(f"cannot read gazetteer file {path}: {e}") from e


def write_places(path: Path, places: Iterable[Place]) -> int:
    """Write places in the gazetteer format, with their index keys precomputed (so that
    loading is a split, not a normalisation); returns the number of rows. The same places
    give the same bytes (no time stamp in the gzip header)."""
    n = 0
    fp = rules_fingerprint()
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8") as f,
    ):
        f.write("\t".join([*COLUMNS, "keys", f"skel:{fp}"]) + "\n")
        for p in places:
            exact, skels = place_keys(p)
            f.write(f"{p.to_row()}\t{'|'.join(exact)}\t{'|'.join(skels)}\n")
            n += 1
    return n


@cache
def _load(extra_dir: str | None) -> Gazetteer:
    def rows() -> Iterator[tuple[Place, Keys | None]]:
        yield from read_places(resources.path(SHIPPED))
        if extra_dir is not None:
            d = Path(extra_dir)
            if d.is_dir():
                for f in sorted(d.glob("*.tsv.gz")):
                    yield from read_places(f)

    gaz = Gazetteer(rows())
    gaz.add_country_files(resources.path(COUNTRY_DIR))
    return gaz


class GazetteerView:
    """A :class:`Gazetteer` with the detail places of some countries (see
    :meth:`Gazetteer.view`); a :class:`PlaceIndex`."""

    __slots__ = ("countries", "gazetteer")

    def __init__(self, gazetteer: Gazetteer, countries: frozenset[str]) -> None:
        self.gazetteer = gazetteer
        self.countries = countries

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]:
        return self.gazetteer.lookup(name, country=country, detail=self.countries)

    def lookup_fuzzy(
        self, name: str, *, country: str | None = None, min_skeleton: int = MIN_SKELETON
    ) -> list[Place]:
        return self.gazetteer.lookup_fuzzy(
            name, country=country, min_skeleton=min_skeleton, detail=self.countries
        )

    def get(self, place_id: str) -> Place | None:
        return self.gazetteer.get(place_id)
