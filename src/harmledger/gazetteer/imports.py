"""Importing gazetteers a user downloads: a GeoNames country dump (``IQ.txt``) and a Who's
On First export, each into a file of ``Settings.user_gazetteer_dir``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from harmledger.errors import ResourceError
from harmledger.gazetteer.index import Gazetteer, _load, write_places
from harmledger.gazetteer.names import feature_of, is_latin, latin_alternates, places_data
from harmledger.gazetteer.place import Place
from harmledger.gazetteer.wof import read_wof, wof_places


def admin1_table() -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> canonical admin1 name, for Iraq and Syria."""
    out: dict[tuple[str, str], str] = {}
    for cc, rows in places_data()["admin1"].items():
        for row in rows:
            out[(cc, row["gn"])] = row["name"]
    return out


def import_geonames_dump(path: Path, dest_dir: Path) -> int:
    """Convert a GeoNames country dump (``IQ.txt``, ``allCountries.txt``) into a gazetteer
    file in ``dest_dir``; returns the number of places written.

    Keeps populated places (P.*), administrative divisions (ADM1-3, countries) and the
    spots worth geocoding (bases, airports, camps, prisons, dams). Admin names come from
    the dump's own ADM1/ADM2 rows, or harmledger's canonical names for Iraq and Syria.
    """
    path = Path(path)
    if not path.is_file():
        raise ResourceError(f"{path}: no such file; download e.g. IQ.zip from GeoNames")
    canonical = admin1_table()
    countries = {p.cc: p.country for p in Gazetteer.load(None) if p.feature == "country"}

    adm1: dict[tuple[str, str], str] = {}
    adm2: dict[tuple[str, str, str], str] = {}
    for cells in _dump_rows(path):
        code = f"{cells[6]}.{cells[7]}"
        if code == "A.ADM1":
            adm1[(cells[8], cells[10])] = cells[2] or cells[1]
        elif code == "A.ADM2":
            adm2[(cells[8], cells[10], cells[11])] = cells[2] or cells[1]
    adm1.update(canonical)

    def places() -> Iterator[Place]:
        for cells in _dump_rows(path):
            population = int(cells[14] or 0) if cells[14].isdigit() else 0
            feature = feature_of(f"{cells[6]}.{cells[7]}", population)
            if feature is None:
                continue
            cc = cells[8]
            name = cells[1] if is_latin(cells[1]) else (cells[2] or cells[1])
            alternates = latin_alternates(name, [cells[2], *cells[3].split(",")])
            admin1 = adm1.get((cc, cells[10]))
            if feature == "admin1" and (cc, cells[10]) in canonical:
                alternates = latin_alternates(admin1 or name, [name, *alternates])
                name = admin1 or name
            yield Place(
                id=f"geonames:{cells[0]}",
                name=name,
                feature=feature,
                cc=cc,
                country=countries.get(cc, cc),
                admin1=None if feature in ("admin1", "country") else admin1,
                admin2=adm2.get((cc, cells[10], cells[11]))
                if feature
                not in (
                    "admin1",
                    "admin2",
                    "country",
                )
                else None,
                latitude=round(float(cells[4]), 5),
                longitude=round(float(cells[5]), 5),
                population=population,
                alternates=tuple(alternates),
            )

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    out = dest_dir / (path.stem.replace(" ", "_") + ".geonames.tsv.gz")
    tmp = out.with_suffix(".tmp")
    n = write_places(tmp, places())
    tmp.replace(out)
    _load.cache_clear()
    return n


def _dump_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 15:
                raise ResourceError(
                    f"{path}, line {n}: not a GeoNames dump row ({len(cells)} columns, "
                    "expected 19: geonameid, name, asciiname, alternatenames, ...)"
                )
            try:
                float(cells[4]), float(cells[5])
            except ValueError as e:
                raise ResourceError(f"{path}, line {n}: bad coordinates ({e})") from e
            yield cells


def import_wof(path: Path, dest_dir: Path) -> int:
    """Convert a Who's On First export (a WOF SQLite distribution, a WOF ``meta`` CSV, or
    a flattened TSV with ``wof_id``, ``placetype``, ``wof_name``, ``variants``...) into a
    gazetteer file in ``dest_dir``; returns the number of places written. Regions become
    admin1, counties admin2, localities and neighbourhoods places in their region."""
    path = Path(path)
    if not path.is_file():
        raise ResourceError(f"{path}: no such file; download a Who's On First export")
    countries = {p.cc: p.country for p in Gazetteer.load(None) if p.feature == "country"}
    places = wof_places(read_wof(path), countries)
    if not places:
        raise ResourceError(f"{path}: no Who's On First region, county or locality in it")
    return _write(places, dest_dir, path, "wof")


def import_file(path: Path, dest_dir: Path) -> tuple[str, int]:
    """Import a GeoNames dump or a Who's On First export, whichever ``path`` is (a WOF
    SQLite file, or a text file whose header names WOF's columns); returns the kind
    ("geonames" or "wof") and the number of places written."""
    path = Path(path)
    if not path.is_file():
        raise ResourceError(f"{path}: no such file")
    if _is_wof(path):
        return "wof", import_wof(path, dest_dir)
    return "geonames", import_geonames_dump(path, dest_dir)


def _is_wof(path: Path) -> bool:
    import gzip

    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"SQLite format 3"):
        return True
    if head[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as g:
            head = g.read(4096)
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    cells = {c.strip() for c in first.replace("\t", ",").split(",")}
    return "wof_id" in cells or {"id", "name", "placetype"} <= cells


def _write(places: list[Place], dest_dir: Path, source: Path, kind: str) -> int:
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = source.name.split(".")[0].replace(" ", "_")
    out = dest_dir / f"{stem}.{kind}.tsv.gz"
    tmp = out.with_suffix(".tmp")
    n = write_places(tmp, places)
    tmp.replace(out)
    _load.cache_clear()
    return n
