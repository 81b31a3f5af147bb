"""Who's On First places: reading an export (a flattened TSV such as harmledger's build input,
WOF's ``meta`` CSV files, or a WOF SQLite distribution) and turning its rows into
:class:`Place` rows, regions as admin1 and counties as admin2 with every locality in its
region. Names in Cyrillic with no Latin variant are transliterated (Ukraine's official 2010
system, and with G for Г, the Russian-style spelling reports also use)."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import math
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from harmledger.errors import ResourceError
from harmledger.gazetteer.names import feature_of, is_latin, latin_alternates
from harmledger.gazetteer.place import Place

csv.field_size_limit(sys.maxsize)

#: A WOF locality with at least this many Latin-script names is a known town even without
#: a population figure (WOF lists a village under one or two names; a district seat such
#: as "Qoryooley" carries a dozen exonyms).
KNOWN_TOWN_VARIANTS = 4
#: A place without a region takes the region of the nearest place that has one, when that
#: place is at most this far (WOF leaves about 6% of localities without a region).
NEAREST_ADMIN_KM = 50.0
#: How many alternates a village keeps (its own name first): enough for the spellings a
#: report uses, few enough to keep 627,000 villages small.
VILLAGE_ALTERNATES = 8
#: The WOF place types kept: units, and places down to villages.
UNIT_TYPES = {"region": "admin1", "county": "admin2", "localadmin": "admin2"}
PLACE_TYPES = {"locality": None, "neighbourhood": "neighbourhood", "campus": "airport"}

# Ukrainian transliteration (Cabinet of Ministers resolution 55, 2010), Russian letters too.
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ы": "y", "э": "e", "ё": "e", "ъ": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
#: at the start of a word these letters are written with a Y
_CYR_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def transliterate(name: str, *, g: bool = False) -> str:
    """A Cyrillic name in Latin letters ("Серебрянка" -> "Serebrianka"); ``g``: Г as G
    ("Горлівка" -> "Gorlivka" besides "Horlivka")."""
    out: list[str] = []
    start = True
    for ch in name:
        low = ch.lower()
        if low in _CYR:
            t = (_CYR_INITIAL.get(low) if start else None) or _CYR[low]
            if g and low == "г":
                t = "g"
            if ch != low and t:
                t = t[0].upper() + t[1:]
            out.append(t)
            start = False
        else:
            out.append(ch)
            start = not ch.isalpha()
    return "".join(out)


def _cyrillic(name: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in name)


def _all_cyrillic(name: str) -> bool:
    return _cyrillic(name) and all(_cyrillic(ch) or not ch.isalpha() for ch in name)


def latin_names(names: Iterable[str]) -> list[str]:
    """The Latin-script names among ``names``, with names written in Cyrillic alone
    transliterated (both spellings of Г)."""
    out: list[str] = []
    for v in (v.strip() for v in names):
        if not v:
            continue
        if is_latin(v):
            out.append(v)
        elif _all_cyrillic(v):
            out.extend(dict.fromkeys([transliterate(v), transliterate(v, g=True)]))
    return out


def no_codes(names: Iterable[str]) -> list[str]:
    """``names`` without codes: airport and postal codes ("BUR", "KMU") that GeoNames and
    WOF list among a place's names would make "Bur" in "Ceel Buur" a Californian city."""
    return [n for n in names if not (n.isupper() and len(n.replace(" ", "")) <= CODE_MAX)]


#: The longest all-capital name taken for a code (IATA 3, ICAO 4 letters)
CODE_MAX = 4


def display_name(name: str) -> str:
    """A display name without diacritics, with plain apostrophes ("Ḩājj ‘Alī" ->
    "Hajj 'Ali")."""
    for a in "‘’ʿʾʼ`´":
        name = name.replace(a, "'")
    out = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in out if not unicodedata.combining(ch))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km on a flat map (enough for neighbours within tens of km)."""
    dy = (lat2 - lat1) * 111.2
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


# --------------------------------------------------------------------------- reading


#: A WOF row as the converter reads it (the columns of harmledger's flattened TSV).
Row = dict[str, str]


def read_wof(path: Path) -> Iterator[Row]:
    """The rows of a Who's On First export: a flattened TSV (``wof_id``, ``placetype``,
    ``wof_name``, ``variants``...; gzip allowed), a WOF ``meta`` CSV (``id``, ``name``,
    ``placetype``, ``lbl_latitude``...) or a WOF SQLite distribution (its ``spr``,
    ``names`` and ``ancestors`` tables)."""
    path = Path(path)
    with open(path, "rb") as f:
        magic = f.read(16)
    if magic.startswith(b"SQLite format 3"):
        yield from _sqlite_rows(path)
        return
    with _open_text(path, gzipped=magic[:2] == b"\x1f\x8b") as f:
        first = f.readline()
        tabs = first.count("\t") > first.count(",")
        header = first.rstrip("\r\n").split("\t" if tabs else ",")
        # a TSV is not quoted (a name may hold a quote mark); a CSV is
        reader = (
            csv.DictReader(f, fieldnames=header, delimiter="\t", quoting=csv.QUOTE_NONE)
            if tabs
            else csv.DictReader(f, fieldnames=header)
        )
        if "wof_id" in header:
            yield from reader
        elif {"id", "name", "placetype"} <= set(header):
            for r in reader:
                yield _meta_row(r)
        else:
            raise ResourceError(
                f"{path}: not a Who's On First export (columns {header[:4]}...); give a WOF "
                "meta CSV (id, name, placetype, ...), a WOF SQLite file or a GeoNames dump"
            )


def _open_text(path: Path, *, gzipped: bool) -> IO[str]:
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _meta_row(r: dict[str, str]) -> Row:
    def first(*keys: str) -> str:
        return next((r[k] for k in keys if r.get(k)), "")

    return {
        "wof_id": r["id"],
        "country": first("wof_country", "iso_country", "country", "iso"),
        "placetype": r["placetype"],
        "wof_name": r["name"],
        "variants": "",
        "lat": first("lbl_latitude", "geom_latitude", "latitude"),
        "lon": first("lbl_longitude", "geom_longitude", "longitude"),
        "region_id": first("region_id"),
        "county_id": first("county_id"),
        "gn_geonameid": "",
        "gn_feature_code": "",
        "gn_name": "",
        "gn_asciiname": "",
        "deprecated": first("deprecated", "is_deprecated"),
    }


def _sqlite_rows(path: Path) -> Iterator[Row]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise ResourceError(f"{path}: cannot open the SQLite file ({e})") from e
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "spr" not in tables:
            raise ResourceError(f"{path}: a SQLite file without WOF's 'spr' table")
        names: dict[str, list[str]] = defaultdict(list)
        if "names" in tables:
            for pid, name in con.execute("SELECT id, name FROM names"):
                names[str(pid)].append(name)
        parents: dict[str, dict[str, str]] = defaultdict(dict)
        if "ancestors" in tables:
            for pid, aid, kind in con.execute(
                "SELECT id, ancestor_id, ancestor_placetype FROM ancestors"
            ):
                parents[str(pid)][kind] = str(aid)
        for pid, name, kind, country, lat, lon, deprecated in con.execute(
            "SELECT id, name, placetype, country, latitude, longitude, is_deprecated FROM spr"
        ):
            pid = str(pid)
            yield {
                "wof_id": pid,
                "country": country or "",
                "placetype": kind,
                "wof_name": name or "",
                "variants": " | ".join(dict.fromkeys(names.get(pid, []))),
                "lat": str(lat),
                "lon": str(lon),
                "region_id": parents[pid].get("region", ""),
                "county_id": parents[pid].get("county", ""),
                "gn_geonameid": "",
                "gn_feature_code": "",
                "gn_name": "",
                "gn_asciiname": "",
                "deprecated": str(deprecated or ""),
            }
    except sqlite3.Error as e:
        raise ResourceError(f"{path}: not a WOF SQLite distribution ({e})") from e
    finally:
        con.close()


# --------------------------------------------------------------------------- converting


def wof_places(
    rows: Iterable[Row],
    countries: dict[str, str],
    *,
    population: Callable[[str], int] | None = None,
    more_names: Callable[[str], list[str]] | None = None,
) -> list[Place]:
    """The places of WOF rows: regions (admin1), counties (admin2), and localities,
    neighbourhoods and campuses, each with its region and county by name (or, without a
    region, the region of the nearest place that has one).

    ``countries``: ISO code -> country name; ``population`` and ``more_names`` give a
    GeoNames id's population and names (the build reads them from GeoNames)."""
    rows = [r for r in rows if r.get("deprecated", "") in ("", "0", "-1")]
    units: dict[str, str] = {}  # wof id -> unit name
    out: list[Place] = []
    for r in rows:
        feature = UNIT_TYPES.get(r["placetype"])
        if feature is None:
            continue
        names = [n for n in [r["wof_name"], *latin_names(r["variants"].split(" | "))] if n]
        names = [n for n in names if is_latin(n)] or latin_names([r["wof_name"]])
        if not names:
            continue
        name = display_name(names[0])
        units[r["wof_id"]] = name
        alts = [n for n in names if len(n.split()) <= 3]
        out.append(
            Place(
                id=f"wof:{r['wof_id']}",
                name=name,
                feature=feature,
                cc=r["country"],
                country=countries.get(r["country"], r["country"]),
                admin1=None,
                admin2=None,
                latitude=_coord(r["lat"]),
                longitude=_coord(r["lon"]),
                alternates=tuple(latin_alternates(name, alts, limit=VILLAGE_ALTERNATES)),
            )
        )
    region_of = {r["wof_id"]: r["region_id"] for r in rows if r["placetype"] == "county"}
    out = [
        _with(p, admin1=units.get(region_of.get(p.id.removeprefix("wof:"), "")))
        if p.feature == "admin2"
        else p
        for p in out
    ]
    places: list[Place] = []
    for r in rows:
        if r["placetype"] not in PLACE_TYPES:
            continue
        lat, lon = _coord(r["lat"]), _coord(r["lon"])
        if lat is None or lon is None:
            continue
        latin = no_codes(latin_names(r["variants"].split(" | ")))
        own = r["wof_name"] if is_latin(r["wof_name"]) else ""
        if not own and _all_cyrillic(r["wof_name"]):
            own = transliterate(r["wof_name"])
        gid = r.get("gn_geonameid", "")
        names = [n for n in [own, r.get("gn_name", ""), r.get("gn_asciiname", ""), *latin] if n]
        if not names:
            continue
        name = display_name(names[0])
        pop = population(gid) if gid and population else 0
        feature = PLACE_TYPES[r["placetype"]]
        if feature is None:
            feature = feature_of(f"P.{r.get('gn_feature_code') or 'PPL'}", pop) or "village"
            if feature == "village" and not pop and len(latin) >= KNOWN_TOWN_VARIANTS:
                feature = "town"
        if gid and more_names:
            names += no_codes(more_names(gid))
        places.append(
            Place(
                id=f"geonames:{gid}" if gid else f"wof:{r['wof_id']}",
                name=name,
                feature=feature,
                cc=r["country"],
                country=countries.get(r["country"], r["country"]),
                admin1=units.get(r["region_id"]),
                admin2=units.get(r["county_id"]),
                latitude=lat,
                longitude=lon,
                population=pop,
                alternates=tuple(latin_alternates(name, names, limit=VILLAGE_ALTERNATES)),
            )
        )
    fill_nearest_admin1(places)
    return out + places


def fill_nearest_admin1(places: list[Place]) -> list[Place]:
    """Give each place without an admin1 the admin1 of the nearest place with one (within
    NEAREST_ADMIN_KM), in place; returns the places changed."""
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for p in places:
        if p.admin1 and p.latitude is not None and p.longitude is not None:
            grid[(int(p.latitude * 2), int(p.longitude * 2))].append(p)  # half-degree cells
    changed: list[Place] = []
    for i, p in enumerate(places):
        if p.admin1 or p.latitude is None or p.longitude is None:
            continue
        if p.feature in ("admin1", "country"):
            continue
        gy, gx = int(p.latitude * 2), int(p.longitude * 2)
        best, best_d = None, NEAREST_ADMIN_KM
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for q in grid.get((gy + dy, gx + dx), ()):
                    d = km(p.latitude, p.longitude, q.latitude, q.longitude)  # type: ignore[arg-type]
                    if d < best_d:
                        best, best_d = q, d
        if best is not None:
            places[i] = _with(p, admin1=best.admin1)
            changed.append(places[i])
    return changed


def _with(p: Place, **changes: object) -> Place:
    return dataclasses.replace(p, **changes)  # type: ignore[arg-type]


def _coord(v: str | float | None) -> float | None:
    try:
        out = round(float(v), 5)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out
