import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.errors import ResourceError
from harmledger.gazetteer import (
    COLUMNS,
    Gazetteer,
    Place,
    import_geonames_dump,
    is_latin,
    latin_alternates,
    normalize,
    read_places,
    skeleton,
    write_places,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(None)


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("al-Sijir", "sijir"),
        ("Al Sijir", "sijir"),
        ("Qaryat as Sajar", "sajar"),
        ("Al Fallūjah", "falluja"),
        ("Fallujah", "falluja"),
        ("Falluja", "falluja"),
        ("Deir ez-Zor", "deir zor"),
        ("Deir-ez-Zor", "deir zor"),
        ("Tell Abyad", "tall abyad"),
        ("Tal Abyad", "tall abyad"),
        ("Qaryat Ḩājjī ‘Alī", "hajji ali"),
        ("Ḩājj ‘Alī", "hajj ali"),
        ("Hajj Ali", "hajj ali"),
        ("Daqouq", "daquq"),
        ("Sa'adiyah", "sadiya"),
        ("Heet", "hit"),
        ("the village of Hajj Ali", "hajj ali"),
        ("Anbar Governorate", "anbar"),
        ("Salah ad-Din", "sala din"),
        ("Salah al-Din", "sala din"),
        ("", ""),
        ("Al", "al"),
    ],
)
def test_gazetteer_normalize(name: str, key: str) -> None:
    assert normalize(name) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("al-Sijir", "Qaryat as Sajar"),
        ("Hawija", "Al Huwayjah"),
        ("Karbala", "Kerbela"),
        ("Dhi Qar", "Dhiqar"),
        ("Khanaqin", "Khanaqeen"),
        ("Qaim", "Al Kaim"),
        ("Tuz Khurmato", "Tuz Khurmatu"),
    ],
)
def test_gazetteer_skeleton_folds_transliterations(a: str, b: str) -> None:
    assert skeleton(normalize(a)) == skeleton(normalize(b))


@pytest.mark.parametrize(("a", "b"), [("Tikrit", "Tuz Khurmato"), ("Mosul", "Basra")])
def test_gazetteer_skeleton_keeps_different_names_apart(a: str, b: str) -> None:
    assert skeleton(normalize(a)) != skeleton(normalize(b))


@given(st.text(max_size=40))
def test_gazetteer_normalize_makes_plain_keys(text: str) -> None:
    key = normalize(text)
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in key)
    assert key == key.strip() and "  " not in key
    assert not set(skeleton(key)) & set("aeiouyw ")


def test_gazetteer_latin_alternates_drop_other_scripts_and_duplicates() -> None:
    alts = latin_alternates(
        "Fallujah", ["الفلوجة", "Falluja", "Al Fallūjah", "alfallwjt", "Faluja"]
    )
    assert alts == ["Faluja"]  # Falluja/Al Fallūjah have Fallujah's key; lower-case dropped
    assert is_latin("Ḩājj ‘Alī") and not is_latin("حاجي علي")


# --------------------------------------------------------------------------- shipped data


@pytest.mark.parametrize(
    ("name", "place_id", "admin1"),
    [
        ("Fallujah", "geonames:99454", "Anbar"),
        ("Al Fallujah", "geonames:99454", "Anbar"),
        ("Tikrit", "geonames:90150", "Salah al-Din"),
        ("Camp Speicher", "curated:camp-speicher", "Salah al-Din"),
        ("Kafr Nabl", "geonames:168661", "Idleb"),
    ],
)
def test_gazetteer_lookup_finds_the_place(
    gaz: Gazetteer, name: str, place_id: str, admin1: str
) -> None:
    hits = gaz.lookup(name)
    assert place_id in [p.id for p in hits]
    assert gaz.get(place_id).admin1 == admin1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("spelling", "canonical", "country"),
    [
        ("Nineveh", "Ninewa", "Iraq"),
        ("Ninawa", "Ninewa", "Iraq"),
        ("Salahuddin", "Salah al-Din", "Iraq"),
        ("Dhi Qar", "Thi-Qar", "Iraq"),
        ("Duhok", "Dahuk", "Iraq"),
        ("Idlib", "Idleb", "Syria"),
        ("Deir ez-Zor", "Deir-ez-Zor", "Syria"),
        ("Rif Dimashq", "Rural Damascus", "Syria"),
        ("Hasakah", "Hasakeh", "Syria"),
    ],
)
def test_gazetteer_admin1_spellings_share_one_canonical_name(
    gaz: Gazetteer, spelling: str, canonical: str, country: str
) -> None:
    admin1 = [p for p in gaz.lookup(spelling, country=country) if p.feature == "admin1"]
    assert [p.name for p in admin1] == [canonical]


def test_gazetteer_repeated_names_are_all_kept(gaz: Gazetteer) -> None:
    hajj_ali = gaz.lookup("Hajj Ali", country="Iraq")
    assert len(hajj_ali) >= 4
    assert "geonames:96282" in [p.id for p in hajj_ali]


def test_gazetteer_fuzzy_tier_reaches_other_transliterations(gaz: Gazetteer) -> None:
    assert gaz.lookup("al-Sijir") == []
    fuzzy = gaz.lookup_fuzzy("al-Sijir", country="IQ")
    assert [p.id for p in fuzzy] == ["geonames:448443"]
    sajar = fuzzy[0]
    assert (round(sajar.latitude, 2), round(sajar.longitude, 2)) == (33.41, 43.80)  # type: ignore[arg-type]


def test_gazetteer_country_filter_accepts_names_and_codes(gaz: Gazetteer) -> None:
    assert all(p.country == "Syria" for p in gaz.lookup("Anbar", country="Syria"))
    assert all(p.cc == "IQ" for p in gaz.lookup("Anbar", country="iq"))
    assert gaz.lookup("Iraq")[0].feature == "country"


def test_gazetteer_world_part_is_present(gaz: Gazetteer) -> None:
    assert gaz.lookup("Paris", country="France")[0].feature == "city"
    assert gaz.lookup("Syrian Arab Republic")[0].name == "Syria"


def test_gazetteer_load_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.load(None) is gaz


def test_gazetteer_shipped_file_is_compact() -> None:
    from harmledger import resources

    assert resources.path("gazetteer.tsv.gz").stat().st_size < 6_000_000


# --------------------------------------------------------------------------- file format


places_strategy = st.builds(
    Place,
    id=st.from_regex(r"geonames:[0-9]{1,9}", fullmatch=True),
    name=st.text(st.characters(blacklist_characters="\t\n\r|"), min_size=1, max_size=20),
    feature=st.sampled_from(["village", "city", "admin1"]),
    cc=st.sampled_from(["IQ", "SY", "FR"]),
    country=st.sampled_from(["Iraq", "Syria", "France"]),
    admin1=st.none() | st.sampled_from(["Anbar", "Idleb"]),
    admin2=st.none(),
    latitude=st.none() | st.floats(-90, 90).map(lambda x: round(x, 5)),
    longitude=st.none() | st.floats(-180, 180).map(lambda x: round(x, 5)),
    population=st.integers(0, 10**8),
    events=st.integers(0, 1000),
    alternates=st.lists(
        st.text(st.characters(blacklist_characters="\t\n\r|"), min_size=1, max_size=12),
        max_size=3,
    ).map(tuple),
)


@given(places_strategy)
def test_gazetteer_row_round_trip(place: Place) -> None:
    back = Place.from_row(place.to_row())
    assert back.id == place.id and back.alternates == place.alternates
    assert back.latitude == place.latitude and back.population == place.population


def test_gazetteer_write_read_and_extra_dir(tmp_path: Path) -> None:
    mine = Place(
        id="user:1",
        name="Wadi Zzyzx",
        feature="village",
        cc="IQ",
        country="Iraq",
        admin1="Anbar",
        admin2=None,
        latitude=33.0,
        longitude=42.0,
        alternates=("Zzyzx Valley",),
    )
    assert write_places(tmp_path / "mine.tsv.gz", [mine]) == 1
    [(back, keys)] = list(read_places(tmp_path / "mine.tsv.gz"))
    assert back == mine and keys is not None and "wadi zzyzx" in keys[0]
    gaz = Gazetteer.load(tmp_path)
    assert [p.id for p in gaz.lookup("Wadi Zzyzx")] == ["user:1"]
    assert gaz.lookup("Fallujah")  # the shipped places are still there
    # the same places give the same bytes (no time stamp): a rebuild changes nothing
    data = (tmp_path / "mine.tsv.gz").read_bytes()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(gzip.time, "time", lambda: 2_000_000_000.0)  # written years later
        write_places(tmp_path / "mine.tsv.gz", [mine])
    assert (tmp_path / "mine.tsv.gz").read_bytes() == data


def test_gazetteer_rejects_a_foreign_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv.gz"
    with gzip.open(bad, "wt") as f:
        f.write("a\tb\n1\t2\n")
    with pytest.raises(ResourceError, match="not a harmledger gazetteer"):
        list(read_places(bad))


# --------------------------------------------------------------------------- GeoNames import


def _dump_row(gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, a1, a2, pop) -> str:
    cells = [gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, "", a1, a2, "", "", pop]
    cells += ["", "40", "Asia/Baghdad", "2020-01-01"]
    return "\t".join(str(c) for c in cells)


def test_gazetteer_import_geonames_dump(tmp_path: Path) -> None:
    dump = tmp_path / "IQ.txt"
    rows = [
        _dump_row(
            99592,
            "Anbar",
            "Anbar",
            "Al Anbar,الأنبار",
            33.0,
            42.0,
            "A",
            "ADM1",
            "IQ",
            "01",
            "",
            1500000,
        ),
        _dump_row(
            900001,
            "Qaryat Zubaydat",
            "Qaryat Zubaydat",
            "Zubaydat,Zubaidat,زبيدات,zbydat",
            33.41,
            43.7,
            "P",
            "PPL",
            "IQ",
            "01",
            "",
            0,
        ),
        _dump_row(
            900002,
            "Bayji",
            "Bayji",
            "Baiji,Beiji",
            34.93,
            43.49,
            "P",
            "PPLA2",
            "IQ",
            "18",
            "",
            120000,
        ),
        _dump_row(
            900003,
            "Ḩabbānīyah Air Base",
            "Habbaniyah Air Base",
            "",
            33.37,
            43.57,
            "S",
            "MILB",
            "IQ",
            "01",
            "",
            0,
        ),
        _dump_row(
            900004, "Nahr al Furat", "Nahr al Furat", "", 33.4, 43.6, "H", "STM", "IQ", "01", "", 0
        ),
    ]
    dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dest = tmp_path / "gaz"
    assert import_geonames_dump(dump, dest) == 4  # the stream (H.STM) is skipped
    [(path)] = list(dest.glob("*.tsv.gz"))
    places = {p.id: p for p, _ in read_places(path)}
    village = places["geonames:900001"]
    assert (village.feature, village.admin1, village.country) == ("village", "Anbar", "Iraq")
    # Arabic script and lower case dropped; "Zubaydat" adds no key to "Qaryat Zubaydat"
    assert village.alternates == ("Zubaidat",)
    assert places["geonames:900002"].feature == "city"
    assert places["geonames:900002"].admin1 == "Salah al-Din"
    assert places["geonames:900003"].feature == "military base"
    assert places["geonames:99592"].name == "Anbar"
    gaz = Gazetteer.load(dest)
    assert [p.id for p in gaz.lookup("Zubaydat")] == ["geonames:900001"]


def test_gazetteer_import_refuses_a_non_dump(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just\tsome\ttext\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="not a GeoNames dump row"):
        import_geonames_dump(bad, tmp_path / "out")
    with pytest.raises(ResourceError, match="no such file"):
        import_geonames_dump(tmp_path / "missing.txt", tmp_path / "out")


def test_gazetteer_columns_are_stable() -> None:
    assert COLUMNS[:3] == ("id", "name", "feature")


# --------------------------------------------------------------------------- curated data (v3 keys)


@pytest.mark.parametrize(
    ("spelling", "name", "feature", "admin1"),
    [
        # a city written like the province or district named after it
        ("Sulaimani", "As Sulaymaniyah", "city", "Sulaymaniyah"),
        ("Nassriya", "An Nasiriyah", "city", "Thi-Qar"),
        # awkward preferred names replaced, the old one kept as an alternate
        ("Sadr City", "Sadr City", "neighbourhood", "Baghdad"),
        ("Saddam City", "Sadr City", "neighbourhood", "Baghdad"),
        ("Tuz Khurmato", "Tuz Khurmatu", "town", "Salah al-Din"),
        # mountains, operation zones, oil fields and regions the sources lack
        ("Haftanin", "Haftanin", "area", "Dahuk"),
        ("Qandil", "Qandil Mountains", "area", "Sulaymaniyah"),
        ("Khwakurk", "Khwakurk", "area", "Erbil"),
        ("Metina", "Metina", "area", "Dahuk"),
        ("Lake Hamrin", "Lake Hamrin", "area", "Diyala"),
        ("Rumaila oilfield", "Rumaila oil field", "area", "Basrah"),
        ("Golan Heights", "Golan Heights", "area", "Quneitra"),
        ("Eastern Ghouta", "Eastern Ghouta", "area", "Rural Damascus"),
    ],
)
def test_gazetteer_curated_and_seat_spellings(
    gaz: Gazetteer, spelling: str, name: str, feature: str, admin1: str
) -> None:
    hits = [p for p in gaz.lookup(spelling) if p.feature == feature]
    assert hits, gaz.lookup(spelling)
    assert (hits[0].name, hits[0].admin1) == (name, admin1)


def test_gazetteer_hamrin_has_one_entry_per_province(gaz: Gazetteer) -> None:
    ridge = [p for p in gaz.lookup("Hamrin Mountains") if p.id.startswith("curated:hamrin-")]
    assert sorted(p.admin1 for p in ridge) == ["Diyala", "Kirkuk", "Salah al-Din"]  # type: ignore[type-var]


def test_gazetteer_iraqi_and_syrian_towns_have_a_province(gaz: Gazetteer) -> None:
    towns = [p for p in gaz if p.cc in ("IQ", "SY") and p.feature in ("city", "town")]
    assert sum(p.admin1 is None for p in towns) / len(towns) < 0.01
    midaina = [p for p in gaz.lookup("Al-Midaina") if p.feature == "city"]
    assert midaina and midaina[0].admin1 == "Basrah"


def test_gazetteer_short_skeletons_only_on_request(gaz: Gazetteer) -> None:
    # "Doura" ~ "Dora" (consonants "dr") is too vague alone; the places stage asks for
    # it only when it keeps candidates near a city the text names
    assert all(p.name != "Dora" for p in gaz.lookup_fuzzy("Doura"))
    assert "Dora" in [p.name for p in gaz.lookup_fuzzy("Doura", min_skeleton=2)]


def _village(pid: str, name: str, lat: float) -> Place:
    return Place(pid, name, "village", "IQ", "Iraq", "Diyala", None, lat, 44.9)


def test_gazetteer_lookup_answers_are_remembered_but_not_shared() -> None:
    g = Gazetteer([_village("t:1", "Qaryat al Mahbubiyah", 33.9)])
    first = g.lookup("al-Mahbubiyah")
    first.clear()  # a caller's edit does not reach the remembered answer
    assert [p.id for p in g.lookup("Mahbubiya")] == ["t:1"]
    fuzzy = g.lookup_fuzzy("Mahbebiya")
    fuzzy.clear()
    assert [p.id for p in g.lookup_fuzzy("Mahbebiya")] == ["t:1"]


def test_gazetteer_adding_a_place_forgets_remembered_answers() -> None:
    g = Gazetteer([_village("t:1", "Qaryat al Islah", 33.9)])
    assert len(g.lookup("Islah")) == 1
    g._add(_village("t:2", "Al Islah", 34.1), None)
    assert {p.id for p in g.lookup("Islah")} == {"t:1", "t:2"}


def test_gazetteer_namesakes_come_back_in_the_order_they_were_added() -> None:
    # equally important namesakes: the index keeps the order of the files (core first)
    g = Gazetteer([_village(f"t:{i}", "Al Islah", 33.0 + i / 10) for i in (3, 1, 2)])
    assert [p.id for p in g.lookup("Islah")] == ["t:3", "t:1", "t:2"]
    g._add(_village("t:0", "Islah", 34.0), None)  # added after a lookup: sorted in
    assert [p.id for p in g.lookup("al-Islah")] == ["t:3", "t:1", "t:2", "t:0"]
    assert [p.id for p in g.lookup_fuzzy("Islah", min_skeleton=2)] == ["t:3", "t:1", "t:2", "t:0"]
    assert g.lookup("Isla Verde") == []
