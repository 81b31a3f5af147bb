"""Fusion keeps distinct events apart (issue 12, fuse.v4, fuse.v5): it merges on positive evidence
only. Distinct events of one day and kind, in one country, stay apart unless both reports
place them at one place; an unplaced report merges only with a copy of its text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from harmledger.fuse.evidence import (
    copies,
    counted,
    counted_alike,
    counts_agree,
    placed,
    same_people_or_harm,
    uncounted_wide,
    wide,
)
from harmledger.fuse.rules import candidate_pairs, cluster, compare, pair_limit_km
from test_fuse_compare import BASE, BASRA, MOSUL, NINEWA, NO_PLACE, moved, report


def test_fuse_unplaced_report_is_not_one_event_with_a_placed_one() -> None:
    """'A suicide bomber killed 12 people in northern Iraq' could be anywhere in Iraq."""
    c = compare(BASE, report(**NO_PLACE))
    assert c.veto == "no place stated by both reports"
    assert compare(report(**NO_PLACE), report(**NO_PLACE)).veto is not None


def test_fuse_report_with_no_country_is_not_placed() -> None:
    b = report(**NO_PLACE, country=None)
    assert not placed(b)
    assert compare(BASE, b).veto is not None


def test_fuse_country_alone_is_no_place() -> None:
    country = report(location_name="Iraq", feature="country", admin1=None, geo_precision=None)
    assert not placed(country)
    assert compare(BASE, country).veto == "no place stated by both reports"


def test_fuse_unplaced_copies_of_one_story_are_one_event() -> None:
    """A syndicated copy that names no place carries the same facts as its original."""
    original = report(**NO_PLACE, story_id="story-1")
    copy = report(**NO_PLACE, story_id="story-1")
    assert copies(original, copy)
    c = compare(original, copy)
    assert c.veto is None and c.matches()
    assert "copies of one story" in c.reasons
    assert candidate_pairs([original, copy]) == {(0, 1)}


def test_fuse_look_alike_texts_with_other_facts_are_no_copies() -> None:
    """Monitors' notes are written from one template: 'On 1 December, Russian forces
    shelled Bohdanivka' and '... shelled Hostre' look alike and are two events."""
    a = report(story_id="template", location_name="Bohdanivka", latitude=48.2, longitude=37.7)
    b = report(story_id="template", location_name="Hostre", latitude=48.1, longitude=37.4)
    assert not copies(a, b)
    c = compare(a, b)
    assert c.veto is not None and "copies of one story" not in c.reasons
    unplaced = [report(**NO_PLACE, story_id="t2", killed=(1, 1)), report(**NO_PLACE, story_id="t2")]
    assert not copies(*unplaced)
    assert compare(*unplaced).veto == "no place stated by both reports"


def test_fuse_different_provinces_veto_even_close_points() -> None:
    """Two towns 10 km apart on either side of a provincial border are two places."""
    b = report(location_name="Across the border", admin1="Duhok", latitude=36.45, longitude=42.5)
    c = compare(BASE, b)
    assert c.veto == "different provinces (Ninewa / Duhok)"


@pytest.mark.parametrize(
    ("pa", "pb", "km"),
    [(1, 1, 15.0), (1, 2, 22.5), (2, 2, 30.0), (1, 3, 67.5), (3, 3, 120.0)],
)
def test_fuse_distance_limit_set_by_both_precisions(pa: int, pb: int, km: float) -> None:
    assert pair_limit_km(pa, pb) == km


def test_fuse_two_places_near_towns_41_km_apart_are_two_places() -> None:
    """The issue's case: places 41 km apart merged; 'near' two towns allows 30 km."""
    a = report(geo_precision=2)
    b = report(**{**MOSUL, "latitude": 36.40, "longitude": 42.91}, geo_precision=2)
    assert "km apart" in (compare(a, b).veto or "")


def test_fuse_province_alone_needs_the_same_count() -> None:
    """'Twelve killed in Nineveh province' and 'twelve killed in Tal Afar' the same day
    are one event; 'a bomb in Nineveh province' and 'a bomb in Tal Afar' may be two."""
    same_toll = compare(BASE, report(**NINEWA))
    assert same_toll.veto is None and "same province (Ninewa)" in same_toll.reasons
    no_toll = compare(
        replace(BASE, killed=None, counts=MappingProxyType({}), fatalities=0),
        report(**NINEWA, killed=None, counts=MappingProxyType({}), fatalities=0),
    )
    assert no_toll.veto == "only the province in common"


def test_fuse_province_and_one_killed_is_not_enough() -> None:
    """One or two killed is too common a toll to tell events apart."""
    one = {"killed": (1, 1), "counts": MappingProxyType({"killed": (1, 1)}), "fatalities": 1}
    c = compare(report(**one), report(**NINEWA, **one))
    assert c.veto == "only the province in common"


def test_fuse_counts_agree_on_any_role() -> None:
    """Twenty abducted and twenty-one abducted from one village: the same people."""
    a = report(counts=MappingProxyType({"abducted": (20, 25)}), killed=None, fatalities=0)
    b = report(counts=MappingProxyType({"abducted": (21, 21)}), killed=None, fatalities=0)
    assert counts_agree(a, b)
    c = report(counts=MappingProxyType({"abducted": (2, 2)}), killed=None, fatalities=0)
    assert not counts_agree(a, c)  # 2 against 20
    assert not counts_agree(c, c)  # two is too few to tell events apart


def test_fuse_exact_days_apart_are_two_events_unless_the_counts_agree() -> None:
    """The same village struck on Monday and on Tuesday: two strikes. The same toll dated
    a day apart by two outlets (a night attack): one event."""
    no_toll = {"killed": None, "counts": MappingProxyType({}), "fatalities": 0}
    c = compare(replace(BASE, **no_toll), moved(1, **no_toll))
    assert c.veto == "dated to different days"
    same_toll = compare(BASE, moved(1))
    assert same_toll.veto is None and same_toll.matches()


def test_fuse_same_name_at_a_point_and_as_a_province_meet_in_blocking() -> None:
    """'Ghazni' the city (a point) and 'eastern Ghazni' (the province, no point): one name."""
    city = report(location_name="Ghazni", admin1=None, gazetteer_id="g:1", geo_precision=1)
    province = report(location_name="Ghazni", admin1=None, gazetteer_id="g:1", geo_precision=3)
    assert candidate_pairs([city, province]) == {(0, 1)}
    c = compare(city, province)
    assert c.veto is None and "same province (Ghazni)" in c.reasons


def test_fuse_a_day_of_distinct_events_in_one_country_stays_apart() -> None:
    """Six reports of one day and kind in one country, at six places 40+ km apart, two
    of them without a place: six events."""
    places = [
        ("Tall 'Afar", 36.379, 42.448),
        ("Mosul", 36.335, 43.119),
        ("Sinjar", 36.322, 41.876),
        ("Qayyarah", 35.807, 43.291),
    ]
    reports = [
        report(location_name=n, latitude=lat, longitude=lon, gazetteer_id=n, killed=(2, 2))
        for n, lat, lon in places
    ]
    reports += [report(**NO_PLACE, killed=(2, 2)), report(**NO_PLACE, killed=(2, 2))]
    assert cluster(reports) == [[i] for i in range(len(reports))]


def test_fuse_reports_of_one_event_still_fuse() -> None:
    wire = report(published=date(2019, 5, 31))
    local = report(location_name="Tal Afar", latitude=36.38, longitude=42.45, killed=(14, 14))
    ngo = report(**NINEWA, killed=(12, None))
    assert cluster([wire, local, ngo]) == [[0, 1, 2]]


# ------------------------------------------------ fuse.v5: what tells events apart

NO_COUNT = {"killed": None, "counts": MappingProxyType({}), "fatalities": 0}
PROTEST = {
    "event_type": "Protests",
    "sub_event_type": "Peaceful protest",
    "violations": (),
    "actor1": "Protesters (Iraq)",
    "actor2": None,
    **NO_COUNT,
}


def test_fuse_template_notes_without_a_place_or_a_count_are_no_copies() -> None:
    """A monitor's notes from one template: 'people blocked roads overnight in the town
    of X' for a dozen towns the gazetteer does not know. Near-duplicate texts with
    nothing to check but the date are each their own event."""
    a = report(**NO_PLACE, **NO_COUNT, story_id="overnight-roadblocks")
    b = report(**NO_PLACE, **NO_COUNT, story_id="overnight-roadblocks")
    assert not copies(a, b)
    assert compare(a, b).veto == "no place stated by both reports"


def test_fuse_unplaced_copies_count_the_same_people() -> None:
    """A copy without a place that counts the same people (twelve killed, thirty
    injured) is the same story; counting other people, it is not."""
    injured = MappingProxyType({"killed": (12, 12), "injured": (30, 30)})
    a = report(**NO_PLACE, story_id="s", counts=injured)
    assert copies(a, report(**NO_PLACE, story_id="s", counts=injured))
    other = MappingProxyType({"killed": (12, 12), "injured": (3, 3)})
    assert not copies(a, report(**NO_PLACE, story_id="s", counts=other))


@pytest.mark.parametrize("feature", ["city", "admin2", "area", None])
def test_fuse_uncounted_reports_in_a_city_are_not_one_event(feature: str | None) -> None:
    """Graduates outside one ministry and nurses outside a hospital, in Basra on one
    day: same place, day and kind, nobody counted. A city (a district, an area, a
    place of unknown size) holds many such events a day."""
    a = report(**BASRA, **PROTEST, feature=feature)
    b = report(**BASRA, **PROTEST, feature=feature)
    assert uncounted_wide(a, b)
    c = compare(a, b)
    assert c.veto == "no count of anyone, at a place that holds many events"
    assert "same day (2019-05-30)" in c.reasons


@pytest.mark.parametrize("feature", ["village", "town", "neighbourhood", "landmark"])
def test_fuse_uncounted_reports_of_a_small_place_may_be_one_event(feature: str) -> None:
    """The sit-in at one village's water plant, told by two outlets: a village holds
    one such event a day."""
    a = report(**BASRA, **PROTEST, feature=feature)
    b = report(**BASRA, **PROTEST, feature=feature)
    assert not uncounted_wide(a, b)
    assert compare(a, b).matches()


def test_fuse_a_count_in_common_makes_a_city_report_specific() -> None:
    """Two outlets on one strike in Basra city, one counting four wounded: a fact to
    weigh (not a veto); and copies of one story need no count."""
    wounded = MappingProxyType({"injured": (4, 4)})
    a = report(**BASRA, **NO_COUNT, feature="city")
    b = report(**BASRA, killed=None, fatalities=0, counts=wounded, feature="city")
    assert counted(b) == {"injured": 4} and not uncounted_wide(a, b)
    assert compare(a, b).veto is None
    copy = report(**BASRA, **NO_COUNT, feature="city", story_id=a.story_id)
    assert compare(a, copy).matches()


def test_fuse_a_days_protests_in_one_city_stay_apart() -> None:
    """Three protests in one city on one day, nobody counted: three events, all at once
    and through the blocking index; two reports that count the same wounded there fuse."""
    reports = [report(**BASRA, **PROTEST, feature="city") for _ in range(3)]
    assert cluster(reports) == [[0], [1], [2]]
    assert cluster(reports, pairs=candidate_pairs(reports)) == [[0], [1], [2]]
    wounded = {**PROTEST, "counts": MappingProxyType({"injured": (6, 6)})}
    reports += [report(**BASRA, **wounded, feature="city") for _ in range(2)]
    assert cluster(reports[3:]) == [[0, 1]]


def test_fuse_uncounted_reports_near_a_village_are_not_one_event() -> None:
    """'Air strikes near Kani Masi' twice on one day, nobody counted: 'near' a village is
    its surroundings, room for several strikes."""
    a = report(**BASRA, **PROTEST, feature="village", geo_precision=2)
    b = report(**BASRA, **PROTEST, feature="village", geo_precision=1)
    assert wide(a) and not wide(b)
    assert compare(a, b).veto == "no count of anyone, at a place that holds many events"


@pytest.mark.parametrize(
    ("other", "alike"),
    [
        ({"counts": MappingProxyType({"killed": (5, 5)})}, True),  # the same five dead
        ({"counts": MappingProxyType({"killed": (6, 6)})}, True),  # one outlet counts one more
        ({"counts": MappingProxyType({"killed": (1, 1)})}, False),  # one dead, not five
        ({"counts": MappingProxyType({"injured": (5, 5)})}, False),  # other people
        ({"counts": MappingProxyType({})}, False),  # nobody counted
    ],
)
def test_fuse_kinds_that_differ_need_a_count_alike(other: dict[str, Any], alike: bool) -> None:
    """A roadside bomb that killed five and an attack on civilians in the same town on
    one day: one event told two ways when they count the same dead, else two events (a
    clash and a bomb)."""
    killed = MappingProxyType({"killed": (5, 5)})
    bomb = report(
        sub_event_type="Remote explosive/landmine/IED",
        counts=killed,
        killed=(5, 5),
        violations=("killing",),
    )
    lo = other["counts"].get("killed", (None, None))[0]
    attack = report(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        killed=(lo, lo) if lo else None,
        fatalities=lo or 0,
        violations=("killing",),
        **other,
    )
    assert counted_alike(bomb, attack) is alike
    c = compare(bomb, attack)
    if alike:
        assert c.veto is None and c.matches()
    else:
        assert c.veto == (
            "different kinds of event (Explosions/Remote violence / Violence against "
            "civilians), nothing alike"
        )


def test_fuse_kinds_that_differ_may_name_the_same_harm() -> None:
    """Shelling that one outlet calls an attack on civilians and another an exchange of
    fire: the same harm named (an attack on civilians) though nobody is counted alike;
    killing and injury, which nearly every violent event reports, are not enough."""
    attack = ("attack on civilians", "killing")
    shell = report(sub_event_type="Shelling/artillery/missile attack", violations=attack)
    clash = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "killed": (2, 2),
        "counts": MappingProxyType({"killed": (2, 2)}),
    }
    named = report(**clash, violations=("attack on civilians",), fatalities=2)
    assert same_people_or_harm(shell, named) and compare(shell, named).veto is None
    killing = report(**clash, violations=("killing", "injury"), fatalities=2)
    assert not same_people_or_harm(shell, killing)
    assert "nothing alike" in (compare(shell, killing).veto or "")
