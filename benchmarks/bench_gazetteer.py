"""Size, load time and memory of the world gazetteer.

Prints the size of the shipped files; the time and resident memory (RSS) to load the core;
the time to read each of the biggest country files; the RSS with every country's villages
read once (the cap keeps at most DETAIL_ROWS_CAP of them); and the RSS of a loaded
extractor after reading ACLED notes from many countries (the world dev file, if given).

Usage: python benchmarks/bench_gazetteer.py [ACLED_CSV] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path

from harmledger import resources
from harmledger.gazetteer import COUNTRY_DIR, DETAIL_ROWS_CAP, SHIPPED, Gazetteer

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "acled" / "acled_world_dev.csv"


def rss_mb() -> float:
    """The process's resident memory now (not its peak), in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()

    core = resources.path(SHIPPED)
    folder = resources.path(COUNTRY_DIR)
    files = sorted(folder.glob("*.tsv.gz"), key=lambda f: -f.stat().st_size)
    detail = sum(f.stat().st_size for f in folder.iterdir())
    print(f"core file        {core.stat().st_size / 1e6:6.2f} MB")
    print(f"country files    {detail / 1e6:6.2f} MB in {len(files)} files (+ names index)")

    base = rss_mb()
    t0 = time.perf_counter()
    gaz = Gazetteer.load(None)
    print(
        f"core load        {time.perf_counter() - t0:6.2f} s, {len(gaz)} places, "
        f"RSS {rss_mb():.0f} MB (+{rss_mb() - base:.0f} MB)"
    )

    for f in files[:5]:
        cc = f.name.split(".")[0]
        t0 = time.perf_counter()
        gaz._detail_tables(frozenset({cc}))  # read, whatever names it has
        print(f"read {cc}          {time.perf_counter() - t0:6.2f} s")
    t0 = time.perf_counter()
    for f in files:
        gaz._detail_tables(frozenset({f.name.split(".")[0]}))
    loaded = sum(len(gaz._tables[c]) for c in gaz.loaded_countries())
    print(
        f"every country    {time.perf_counter() - t0:6.2f} s; {loaded} villages kept "
        f"(cap {DETAIL_ROWS_CAP}), RSS {rss_mb():.0f} MB"
    )

    path = Path(args.csv)
    if path.exists():
        import harmledger

        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))[: args.limit]
        t0 = time.perf_counter()
        for r in rows:
            # some rows date as "01-01-19": no publication date then (extract refuses it)
            day = r["event_date"][:10]
            harmledger.extract(r["notes"], published=day if ISO_DAY.match(day) else None)
        secs = time.perf_counter() - t0
        print(
            f"extract {len(rows)} notes {secs:6.1f} s ({len(rows) / secs:.0f}/s), "
            f"RSS {rss_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
