"""Flatten a Who's On First admin repository (``whosonfirst-data-admin-CC``: one GeoJSON file
per place under ``data/``) into the TSV that ``scripts/build_gazetteer.py`` reads from
``gazetteer/wof/CC.tsv.gz`` (the columns of the shared ``wof_iq_sy_places.tsv``)::

    python scripts/wof_flatten.py path/to/whosonfirst-data-admin-bj bj.tsv.gz

The checkout may be a work tree or a bare git directory (read at HEAD). Regions, counties,
local admin units, localities and neighbourhoods are kept; deprecated and superseded records
are not. WOF is CC0, its GeoNames fields CC BY 4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

COLUMNS = (
    "wof_id",
    "country",
    "placetype",
    "wof_name",
    "gn_geonameid",
    "gn_name",
    "gn_asciiname",
    "gn_feature_code",
    "gn_admin1",
    "gn_admin2",
    "name_ara",
    "variants",
    "lat",
    "lon",
    "parent_id",
    "region_id",
    "county_id",
    "wof_path",
)
KEPT = frozenset({"region", "county", "localadmin", "locality", "neighbourhood"})
#: how many variant names a row keeps (Latin-script names first)
MAX_VARIANTS = 12


def _records_git(git_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    names = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "HEAD", "data"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        if not name.endswith(".geojson") or "-alt-" in name:
            continue
        blob = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"HEAD:{name}"],
            check=True,
            capture_output=True,
        ).stdout
        yield name, json.loads(blob)


def _records_dir(root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for f in sorted((root / "data").rglob("*.geojson")):
        if "-alt-" not in f.name:
            yield str(f.relative_to(root)), json.loads(f.read_text(encoding="utf-8"))


def _variants(props: dict[str, Any]) -> list[str]:
    latin: list[str] = []
    other: list[str] = []
    for k, v in props.items():
        if not k.startswith("name:") or not isinstance(v, list):
            continue
        for n in v:
            n = str(n).strip()
            if not n or n in latin or n in other:
                continue
            (latin if all(ord(c) < 0x250 for c in n) else other).append(n)
    return [*latin, *other][:MAX_VARIANTS]


def flatten(records: Iterator[tuple[str, dict[str, Any]]], repo: str) -> Iterator[list[str]]:
    for path, rec in records:
        p = rec.get("properties", {})
        placetype = p.get("wof:placetype", "")
        if placetype not in KEPT:
            continue
        if p.get("wof:superseded_by") or str(p.get("edtf:deprecated", "")) not in ("", "uuuu"):
            continue
        hier = (p.get("wof:hierarchy") or [{}])[0]
        lat = p.get("lbl:latitude", p.get("geom:latitude", ""))
        lon = p.get("lbl:longitude", p.get("geom:longitude", ""))
        ara = p.get("name:ara_x_preferred") or [""]
        yield [
            str(p.get("wof:id", rec.get("id", ""))),
            str(p.get("wof:country") or p.get("iso:country") or ""),
            placetype,
            str(p.get("wof:name", "")),
            str(p.get("gn:geonameid", "") or ""),
            str(p.get("gn:name", "") or ""),
            str(p.get("gn:asciiname", "") or ""),
            str(p.get("gn:feature_code", "") or ""),
            str(p.get("gn:admin1_code", "") or ""),
            str(p.get("gn:admin2_code", "") or ""),
            str(ara[0]),
            " | ".join(_variants(p)),
            str(lat),
            str(lon),
            str(p.get("wof:parent_id", "")),
            str(hier.get("region_id", "") or ""),
            str(hier.get("county_id", "") or ""),
            f"{repo}/{path}",
        ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path, help="a whosonfirst-data-admin-CC checkout or git dir")
    ap.add_argument("out", type=Path, help="the TSV to write (.gz: gzipped)")
    args = ap.parse_args()
    bare = (args.repo / "HEAD").exists() and not (args.repo / "data").is_dir()
    records = _records_git(args.repo) if bare else _records_dir(args.repo)
    name = args.repo.resolve().name
    if name in ("repo", ".git"):
        name = args.repo.resolve().parent.name
    name = name.split("+")[-1]  # a mirror named owner+repo
    rows = sorted(flatten(records, name), key=lambda r: int(r[0]))
    opener = gzip.open if args.out.suffix == ".gz" else open
    with opener(args.out, "wt", encoding="utf-8") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) + "\n")
    print(f"wrote {len(rows)} places to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
