"""Remembered answers shared between views: a lookup through a view of several countries is
answered from what was remembered for the countries among them whose files may hold the
name, and a country table remembers the rows of a key. Asked in any order, through any
views, every answer is the one a gazetteer that remembers nothing would give."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmledger.gazetteer import Gazetteer
from harmledger.gazetteer.blocks import CountryTable

#: real names: core cities, villages of one country's file, names several countries share,
#: names written with a glued article, misspellings only the fuzzy tier finds, no place
NAMES = (
    "Baghdad",
    "Mosul",
    "Hawija",
    "Tal Afar",
    "Kirkuk",
    "Temyrivka",
    "Zaporizhia",
    "Zaporizhzhia",
    "Kismayo",
    "Ceel Waaq",
    "Dhobley",
    "Maiduguri",
    "Gwoza",
    "Kot Addu",
    "Ali Khel",
    "Elnaqus",
    "Almayadin",
    "al-Sijir",
    "Sajar",
    "Gayara",
    "Qayyarah",
    "Tuz Khurmato",
    "Springfield",
    "Nowhere Qwzx",
)
COUNTRIES = ("IQ", "SY", "UA", "SO", "KE", "NG", "PK", "AF")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(None)


def _fresh(gaz: Gazetteer, name: str, detail: list[str], fuzzy: bool) -> list[str]:
    """The answer computed now, with nothing remembered (the remembered answers put back
    after, so that the order of the questions still matters to the gazetteer under test)."""
    kept = gaz._memo
    gaz._memo = {}
    try:
        view = gaz.view(detail)
        found = view.lookup_fuzzy(name) if fuzzy else view.lookup(name)
        return [p.id for p in found]
    finally:
        gaz._memo = kept


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.lists(st.sampled_from(COUNTRIES), max_size=4, unique=True),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_gazetteer_views_share_answers_only_when_they_are_the_same(
    gaz: Gazetteer, questions: list[tuple[str, list[str], bool]]
) -> None:
    for name, detail, fuzzy in questions:
        view = gaz.view(detail)
        found = view.lookup_fuzzy(name) if fuzzy else view.lookup(name)
        assert [p.id for p in found] == _fresh(gaz, name, detail, fuzzy), (name, detail, fuzzy)


def test_gazetteer_a_view_of_countries_that_hold_none_of_a_name_answers_as_the_core(
    gaz: Gazetteer,
) -> None:
    core = [p.id for p in gaz.lookup("Kirkuk")]
    # Somalia's and Kenya's villages hold no Kirkuk: the answer is the core's, remembered
    assert [p.id for p in gaz.view(["SO", "KE"]).lookup("Kirkuk")] == core
    assert ("exact", "Kirkuk", None, 0, frozenset()) in gaz._memo
    # Ukraine's villages hold a Temyrivka: the core has none
    assert gaz.lookup("Temyrivka") == []
    assert gaz.view(["UA", "SO"]).lookup("Temyrivka")
    assert ("exact", "Temyrivka", None, 0, frozenset({"UA"})) in gaz._memo


def test_gazetteer_table_remembers_the_rows_of_a_key(gaz: Gazetteer) -> None:
    path = gaz._country_files["UA"]
    table, fresh = CountryTable("UA", path), CountryTable("UA", path)
    for key, fuzzy in (("temyrivka", False), ("tmrvk", True), ("nowhere", False)):
        first = table.rows(key, fuzzy=fuzzy)
        assert table.rows(key, fuzzy=fuzzy) == first == fresh._rows_of(key, fuzzy)
    assert table.rows("temyrivka")  # a village of Ukraine's file
