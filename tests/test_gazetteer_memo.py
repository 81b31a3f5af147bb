"""The gazetteer's remembered answers when a country's villages are dropped to stay under
the cap: only the answers that hold that country's places are forgotten."""

from pathlib import Path

import pytest

from harmledger.gazetteer import Gazetteer, Place, write_country_file
from harmledger.gazetteer import index as gazetteer_index


def _town(i: str, name: str, cc: str, country: str, feature: str = "village") -> Place:
    return Place(f"test:{cc}{i}", name, feature, cc, country, None, None, 2.0, 45.0, 0, 0, ())


def test_gazetteer_dropping_a_country_forgets_only_its_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for cc, country in (("SO", "Somalia"), ("KE", "Kenya")):
        write_country_file(
            tmp_path / f"{cc}.gzb",
            [_town("1", "Ceel Waaq", cc, country), _town("2", "Dhobley", cc, country)],
        )
    g = Gazetteer([_town("0", "Mogadishu", "SO", "Somalia", "city")])
    g.add_country_files(tmp_path)
    monkeypatch.setattr(gazetteer_index, "DETAIL_ROWS_CAP", 3)
    assert [p.id for p in g.lookup("Mogadishu")] == ["test:SO0"]
    assert [p.id for p in g.view(["SO"]).lookup("Ceel Waaq")] == ["test:SO1"]
    assert [p.id for p in g.view(["KE"]).lookup("Dhobley")] == ["test:KE2"]
    assert g.loaded_countries() == ["KE"]  # Somalia's villages made way for Kenya's
    remembered = {(name, detail) for _, name, _, _, detail in g._memo}
    assert ("Mogadishu", frozenset()) in remembered  # the core's answer stays
    assert ("Dhobley", frozenset({"KE"})) in remembered
    assert ("Ceel Waaq", frozenset({"SO"})) not in remembered  # it held a dropped place
    # and Somalia's villages come back when asked for
    assert [p.id for p in g.view(["SO"]).lookup("Ceel Waaq")] == ["test:SO1"]
