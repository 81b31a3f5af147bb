"""The world gazetteer: villages of every country loaded per country, compactly; names in
other scripts and spellings; Who's On First imports."""

import gzip
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from harmledger.errors import ResourceError
from harmledger.gazetteer import (
    CountryTable,
    Gazetteer,
    Place,
    close_spelling,
    import_file,
    latin_names,
    name_keys,
    normalize,
    skeleton,
    transliterate,
    unglued_keys,
    write_country_file,
)
from harmledger.gazetteer import blocks as gazetteer_blocks
from harmledger.gazetteer import index as gazetteer_index
from harmledger.pipeline.places import find_places


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(None)


def fresh() -> Gazetteer:
    """A gazetteer of the shipped files with no country's villages loaded yet (the
    process-wide one may have loaded some in other tests)."""
    return gazetteer_index._load.__wrapped__(None)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Серебрянка", "Serebrianka"),
        ("Темирівка", "Temyrivka"),
        ("Юр'ївка", "Yurivka"),
        ("Запоріжжя", "Zaporizhzhia"),
    ],
)
def test_gazetteer_transliterates_ukrainian(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic) == latin


def test_gazetteer_cyrillic_names_get_both_spellings_of_g() -> None:
    # Ukrainian H, and the Russian-style G that reports also write
    assert latin_names(["Горлівка"]) == ["Horlivka", "Gorlivka"]
    assert latin_names(["Gorlovka", "Горлівка", "Ґорлівка"])[:3] == [
        "Gorlovka",
        "Horlivka",
        "Gorlivka",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ceel Buur", "El Bur"),  # Somali writes the Arabic "el" as "Ceel"
        ("Kherbet al-Naqus", "Khirbat an Naqus"),
    ],
)
def test_gazetteer_spellings_share_an_exact_key(a: str, b: str) -> None:
    assert set(name_keys(a)) & set(name_keys(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Atacora", "Atakora"),  # French c for k
        ("Gayara", "Qayyarah"),  # Arabic q spoken and written g
        ("Kandahar", "Qandahar"),
        ("Daung Gyi", "Daunggyi"),  # Burmese syllables with and without spaces
        ("Ceel Waaq", "El Wak"),  # Somali spelling, and q for k
    ],
)
def test_gazetteer_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(normalize(a)) == skeleton(normalize(b))


def test_gazetteer_burmese_syllables_are_keyed_with_and_without_spaces() -> None:
    assert "daunggyi" in name_keys("Daung Gyi")
    assert name_keys("Daunggyi") == ["daunggyi"]
    # long words are not run together ("Abu Ghraib" is two names' worth of letters)
    assert name_keys("Abu Ghraib") == ["abu ghraib"]


def test_gazetteer_an_article_written_onto_a_name_is_tried_last() -> None:
    assert unglued_keys("Kherbet Elnaqus") == ["kherbet naqus", "naqus"]
    assert unglued_keys("Aleppo") == []  # a vowel after "Al": part of the name


# --------------------------------------------------------------------------- shipped world


def test_gazetteer_core_knows_every_countrys_provinces(gaz: Gazetteer) -> None:
    def provinces(name: str) -> set[str]:
        return {p.cc for p in gaz.lookup(name) if p.feature == "admin1"}

    assert "BJ" in provinces("Atacora")  # Benin (OCHA, placed by its towns)
    assert "MM" in provinces("Sagaing")  # Myanmar (Who's On First)
    assert "UA" in provinces("Zaporizhia")
    assert "KE" in provinces("Kajiado")


def test_gazetteer_villages_only_through_their_country(gaz: Gazetteer) -> None:
    assert gaz.lookup("Temyrivka") == []  # a Ukrainian village: not in the core
    (village,) = gaz.view(["UA"]).lookup("Temyrivka")
    assert (village.country, village.admin1, village.feature) == (
        "Ukraine",
        "Zaporizhia",
        "village",
    )
    assert gaz.view(["SO"]).lookup("Temyrivka") == []


def test_gazetteer_a_somali_town_under_its_somali_name(gaz: Gazetteer) -> None:
    names = {p.name for p in gaz.view(["SO"]).lookup("Ceel Buur") if p.cc == "SO"}
    assert "El Bur" in names


def test_gazetteer_every_wof_village_has_a_province(gaz: Gazetteer) -> None:
    table = CountryTable("SO", gaz._country_files["SO"])
    places = list(table)
    assert len(places) > 4000
    without = [p for p in places if not p.admin1]
    # WOF leaves some villages without a region; the nearest place's region fills them
    assert len(without) / len(places) < 0.01


def test_gazetteer_a_report_about_iraq_loads_no_other_countrys_villages() -> None:
    g = fresh()
    find_places("Gunmen killed two farmers near Tarmiyah, north of Baghdad.", gazetteer=g)
    assert g.loaded_countries() == []
    find_places("Al-Shabaab fighters attacked a base in Ceel Buur, Galgaduud.", gazetteer=g)
    assert g.loaded_countries() == ["SO"]


def test_gazetteer_the_same_text_gives_the_same_places_whatever_was_loaded() -> None:
    text = "Russian forces shelled Temyrivka, Zaporizhia, wounding two residents."
    first = [h.value for h in find_places(text, gazetteer=fresh())]
    g = fresh()
    for other in ("Gunmen killed a herder in Ceel Buur, Galgaduud.", "A bomb hit Kabul."):
        find_places(other, gazetteer=g)
    assert [h.value for h in find_places(text, gazetteer=g)] == first


def test_gazetteer_a_lookup_reads_only_the_countries_that_hold_the_name() -> None:
    g = fresh()
    view = g.view(["SO", "UA", "KE"])
    assert view.lookup("Zzyzzyva Qqq") == []
    assert g.loaded_countries() == []  # no country's villages have that name
    assert {p.cc for p in view.lookup("Temyrivka")} == {"UA"}
    assert g.loaded_countries() == ["UA"]
    # the skeleton index: a misspelling reads Ukraine's villages, no other country's
    assert "UA" in {p.cc for p in view.lookup_fuzzy("Temirivka")}
    assert "SO" not in g.loaded_countries() and "KE" not in g.loaded_countries()


def test_gazetteer_lookups_find_what_every_countrys_table_finds() -> None:
    gated = fresh()
    every = fresh()
    every._names_read = True  # no names index: every country of a view is read
    countries = ["SO", "UA", "KE", "NG"]
    for name in ("Temyrivka", "Ceel Buur", "El Bur", "Likoni", "Kano", "Marigat", "Mogadishu"):
        assert gated.view(countries).lookup(name) == every.view(countries).lookup(name), name
        fuzzy = gated.view(countries).lookup_fuzzy(name)
        assert fuzzy == every.view(countries).lookup_fuzzy(name), name
    assert sorted(every.loaded_countries()) == sorted(countries)


def test_gazetteer_countries_naming_a_village(gaz: Gazetteer) -> None:
    assert gaz.countries_naming("Temyrivka") == {"UA"}
    assert gaz.countries_naming("Zzyzzyva Qqq") == frozenset()


# --------------------------------------------------------------------------- the table


def _villages() -> list[Place]:
    def village(i: str, name: str, alts: tuple[str, ...] = ()) -> Place:
        return Place(
            f"test:{i}", name, "village", "SO", "Somalia", "Bay", None, 3.1, 43.6, 0, 0, alts
        )

    return [
        village("1", "Ceel Cali", ("El Ali",)),
        village("2", "Buur Hakaba", ("Bur Acaba",)),
        village("3", "Qansax Dheere", ("Kansah Dere",)),
        village("4", "Ceel Cali"),  # a namesake
    ]


def test_gazetteer_country_table_finds_what_the_dict_index_finds(tmp_path: Path) -> None:
    path = tmp_path / "SO.gzb"
    write_country_file(path, _villages())
    table = CountryTable("SO", path)
    index = Gazetteer(_villages())
    for name in ("El Ali", "Ceel Cali", "Bur Acaba", "Buur Hakaba", "Kansah Dere", "Nowhere"):
        by_table = sorted({table.place(r).id for k in name_keys(name) for r in table.rows(k)})
        assert by_table == sorted(p.id for p in index.lookup(name)), name
    fuzzy = [table.place(r).id for r in table.rows(skeleton(normalize("Qansah Dhere")), fuzzy=True)]
    assert fuzzy == ["test:3"]


def test_gazetteer_country_table_keeps_rows_in_compressed_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gazetteer_blocks, "BLOCK_ROWS", 2)
    path = tmp_path / "SO.gzb"
    assert write_country_file(path, _villages()) == 4
    data = path.read_bytes()
    assert b"Buur Hakaba" not in data  # compressed
    table = CountryTable("SO", path)
    assert len(table) == 4
    # a lookup decompresses only the block of the rows its key points at
    assert [table.place(r).id for r in table.rows(normalize("Kansah Dere"))] == ["test:3"]
    assert sorted(table._blocks) == [1]
    assert [p.id for p in table] == ["test:1", "test:2", "test:3", "test:4"]
    assert table.place(0) == _villages()[0]
    assert table.place(2).alternates == ("Kansah Dere",)
    # the namesakes of two blocks, in file order
    found = [table.place(r).id for r in table.rows(normalize("Ceel Cali"))]
    assert found == ["test:1", "test:4"]
    # the same places give the same bytes
    write_country_file(tmp_path / "again.gzb", _villages())
    assert (tmp_path / "again.gzb").read_bytes() == data


def test_gazetteer_country_table_checks_a_rows_own_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the index keeps 32 bits of each key's hash: a key of the same 32 bits that no row
    # has finds no row
    path = tmp_path / "SO.gzb"
    write_country_file(path, _villages())
    monkeypatch.setattr(gazetteer_blocks, "short_hash", lambda key: 7)
    table = CountryTable("SO", path)
    table._exact = (np.full(1, 7, np.uint32), np.zeros(1, np.uint16))
    table._skel = (np.full(2, 7, np.uint32), np.array([0, 2], np.uint32))  # rows
    assert [table.place(r).id for r in table.rows(normalize("Ceel Cali"))] == ["test:1", "test:4"]
    assert table.rows(normalize("El Ali")) == [0]
    assert table.rows(normalize("Bur Acaba")) == [1]
    assert table.rows(normalize("Nowhere")) == []
    assert table.rows(skeleton(normalize("Kansah Dere")), fuzzy=True) == [2]
    assert table.rows("zzq", fuzzy=True) == []


def test_gazetteer_country_table_of_a_file_made_under_other_rules(tmp_path: Path) -> None:
    # a file whose keys were made under other rules (or by hand): they are made again
    path = tmp_path / "SO.gzb"
    rows = [(p.to_row(), ("wrong key",)) for p in _villages()]
    path.write_bytes(gazetteer_blocks.encode_country(rows, "old-rules"))
    table = CountryTable("SO", path)
    assert [p.id for p in table] == ["test:1", "test:2", "test:3", "test:4"]
    assert [table.place(r).id for r in table.rows(normalize("Bur Acaba"))] == ["test:2"]
    assert table.rows("wrong key") == []


def test_gazetteer_country_table_of_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "SO.gzb"
    path.write_bytes(b"id\tname\n")
    with pytest.raises(ResourceError, match=r"SO\.gzb is not a harmledger country file"):
        CountryTable("SO", path)
    write_country_file(path, _villages())
    data = path.read_bytes()
    path.write_bytes(data[:-5])
    table = CountryTable("SO", path)  # the index is whole; the last block is cut
    with pytest.raises(ResourceError, match=r"SO\.gzb: damaged block 0"):
        table.rows(normalize("Ceel Cali"))


def test_gazetteer_loaded_countries_stay_under_the_cap(tmp_path: Path, monkeypatch) -> None:
    for cc in ("SO", "KE"):
        rows = [
            Place(**{**{f: getattr(p, f) for f in Place.__slots__}, "id": f"{cc}{p.id}", "cc": cc})
            for p in _villages()
        ]
        write_country_file(tmp_path / f"{cc}.gzb", rows)
    g = Gazetteer([])
    g.add_country_files(tmp_path)
    monkeypatch.setattr(gazetteer_index, "DETAIL_ROWS_CAP", 5)
    assert len(g.view(["SO"]).lookup("Ceel Cali")) == 2
    assert len(g.view(["KE"]).lookup("Ceel Cali")) == 2
    assert g.loaded_countries() == ["KE"]  # Somalia's 4 rows made way for Kenya's 4
    assert len(g.view(["SO"]).lookup("Ceel Cali")) == 2  # and come back when asked for


# --------------------------------------------------------------------------- WOF import


_WOF_HEADER = (
    "wof_id\tcountry\tplacetype\twof_name\tgn_geonameid\tgn_name\tgn_asciiname\t"
    "gn_feature_code\tgn_admin1\tgn_admin2\tname_ara\tvariants\tlat\tlon\tparent_id\t"
    "region_id\tcounty_id\twof_path"
)


def _wof_row(wid, kind, name, variants, lat, lon, region="", county="") -> str:
    return "\t".join(
        [
            wid,
            "UA",
            kind,
            name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            variants,
            lat,
            lon,
            "",
            region,
            county,
            "",
        ]
    )


def test_gazetteer_import_a_wof_tsv(tmp_path: Path) -> None:
    export = tmp_path / "ua-small.tsv.gz"
    rows = [
        _WOF_HEADER,
        _wof_row("1", "region", "Zaporizhia", "Zaporiz'ka | Запорізька область", "47.5", "35.5"),
        _wof_row("2", "county", "Polohivskyi", "Пологівський район", "47.4", "36.2", "1"),
        _wof_row("3", "locality", "Новоандріївка", "", "47.45", "35.9", "1", "2"),
        _wof_row("4", "locality", "Kamianske", "Kamenskoye", "47.47", "35.3"),  # no region
    ]
    with gzip.open(export, "wt", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    kind, n = import_file(export, tmp_path / "home")
    assert (kind, n) == ("wof", 4)
    g = Gazetteer.load(tmp_path / "home")
    (village,) = [p for p in g.lookup("Novoandriivka") if p.id == "wof:3"]
    assert (village.admin1, village.admin2, village.feature) == (
        "Zaporizhia",
        "Polohivskyi",
        "village",
    )
    (other,) = [p for p in g.lookup("Kamenskoye") if p.id == "wof:4"]
    assert other.admin1 == "Zaporizhia"  # the nearest place's region


def test_gazetteer_import_a_wof_sqlite_distribution(tmp_path: Path) -> None:
    db = tmp_path / "whosonfirst-data-admin-so-latest.db"
    con = sqlite3.connect(db)
    con.executescript(
        """
        CREATE TABLE spr (id INTEGER, parent_id INTEGER, name TEXT, placetype TEXT,
            country TEXT, latitude REAL, longitude REAL, is_deprecated INTEGER);
        CREATE TABLE names (id INTEGER, placetype TEXT, language TEXT, name TEXT);
        CREATE TABLE ancestors (id INTEGER, ancestor_id INTEGER, ancestor_placetype TEXT);
        INSERT INTO spr VALUES (10, 0, 'Galguduud', 'region', 'SO', 5.2, 46.6, 0),
            (11, 10, 'Ceel Dheere', 'locality', 'SO', 3.85, 47.18, 0),
            (12, 10, 'Old Camp', 'locality', 'SO', 3.9, 47.2, 1);
        INSERT INTO names VALUES (11, 'locality', 'eng', 'El Dhere'),
            (11, 'locality', 'ara', 'عيل طير');
        INSERT INTO ancestors VALUES (11, 10, 'region'), (12, 10, 'region');
        """
    )
    con.commit()
    con.close()
    kind, n = import_file(db, tmp_path / "home")
    assert (kind, n) == ("wof", 2)  # the region and the village; not the deprecated record
    g = Gazetteer.load(tmp_path / "home")
    (village,) = [p for p in g.lookup("El Dhere") if p.id == "wof:11"]
    assert village.admin1 == "Galguduud" and village.name == "Ceel Dheere"


def test_gazetteer_import_refuses_what_is_no_gazetteer(tmp_path: Path) -> None:
    from harmledger.errors import ResourceError

    bad = tmp_path / "notes.csv"
    bad.write_text("id,name,text\n1,a,b\n")
    with pytest.raises(ResourceError):
        import_file(bad, tmp_path / "home")


@pytest.mark.parametrize(
    ("name", "place", "close"),
    [
        ("Atacora", "Atakora", True),  # French c before a, o, u is k
        ("Gayara", "Qayyarah", True),  # Arabic q spoken g
        ("Cemco", "Kemeka", False),  # Kurdish c before e is j, never k
        # the same consonants in words of very different lengths are other names
        ("Gango", "Gouniako", False),
        ("Barienou", "Birni", False),
        ("Doura", "Dora", True),
    ],
)
def test_gazetteer_a_soft_c_is_no_k(name: str, place: str, close: bool) -> None:
    assert close_spelling(name, [place]) is close
