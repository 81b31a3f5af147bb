"""Fusion, one pair (issue 4): compare() adds up evidence of one event and vetoes what
rules it out. Reports are built with a small factory on one base report: the Tal Afar
market bombing of Thursday 30 May 2019."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import pytest

from harmledger.fuse.rules import (
    candidate_pairs,
    compare,
    day_range,
    is_specific,
    rules,
    toll,
)
from harmledger.model import Report

DAY = date(2019, 5, 30)

BASE = Report(
    incident_id="inc-wire",
    doc_id="doc-wire",
    doc_name="wire-talafar",
    story_id="doc-wire",
    publisher="Wire Service",
    published=date(2019, 5, 31),
    event_type="Explosions/Remote violence",
    sub_event_type="Suicide bomb",
    violations=("attack on civilians", "killing"),
    date_start=DAY,
    date_end=DAY,
    date_precision=1,
    location_name="Tall 'Afar",
    admin1="Ninewa",
    country="Iraq",
    latitude=36.37913,
    longitude=42.44806,
    geo_precision=1,
    gazetteer_id="geonames:90393",
    actor1="Islamic State",
    actor2="Civilians (Iraq)",
    fatalities=12,
    killed=(12, 12),
    counts=MappingProxyType({"killed": (12, 12), "injured": (20, 20)}),
    confidence=0.9,
)

_SERIAL = iter(range(10**6))


def report(**changes: Any) -> Report:
    """A report of another document (its own story) unless told otherwise."""
    n = next(_SERIAL)
    defaults: dict[str, Any] = {
        "incident_id": f"inc-{n}",
        "doc_id": f"doc-{n}",
        "doc_name": f"report-{n}",
        "story_id": f"doc-{n}",
        "publisher": f"Outlet {n}",
    }
    if "killed" in changes and "fatalities" not in changes:
        k = changes["killed"]
        changes["fatalities"] = (k[0] or 0) if k else 0
    return replace(BASE, **{**defaults, **changes})


def moved(days: int, **changes: Any) -> Report:
    d = DAY + timedelta(days=days)
    return report(date_start=d, date_end=d, **changes)


MOSUL = {  # 60 km east of Tal Afar
    "location_name": "Mosul",
    "latitude": 36.335,
    "longitude": 43.119,
    "gazetteer_id": "geonames:99072",
}
NEAR = {  # a village 8 km from Tal Afar
    "location_name": "Al-Kisik",
    "latitude": 36.44,
    "longitude": 42.50,
    "gazetteer_id": "geonames:1",
}
SAME_TOWN = {  # another point of the town, under 2 km away
    "location_name": "Tal Afar market",
    "latitude": 36.39,
    "longitude": 42.46,
    "gazetteer_id": None,
}
NINEWA = {  # the province only
    "location_name": "Ninewa",
    "latitude": 36.3,
    "longitude": 42.8,
    "geo_precision": 3,
    "gazetteer_id": "geonames:2",
}
BASRA = {
    "location_name": "Basrah",
    "admin1": "Basrah",
    "latitude": 30.508,
    "longitude": 47.78,
    "gazetteer_id": "geonames:99532",
}
NO_PLACE = {
    "location_name": None,
    "admin1": None,
    "latitude": None,
    "longitude": None,
    "geo_precision": None,
    "gazetteer_id": None,
}

# ---------------------------------------------------------------- vetoes


VETOED = [
    # (id, b, words in the veto)
    ("same document", report(doc_id="doc-wire"), "one document"),
    ("other country", report(country="Syria", admin1="Aleppo"), "different countries"),
    ("3 days later, exact dates", moved(3), "dates too far apart"),
    ("a week later, within a few days", moved(8, date_precision=2), "dates too far apart"),
    (
        "undated, published a fortnight later",
        report(date_start=None, date_end=None, date_precision=None, published=date(2019, 6, 14)),
        "publication too far apart",
    ),
    (
        "undated, published before the bombing",
        report(date_start=None, date_end=None, date_precision=None, published=date(2019, 5, 20)),
        "publication too far apart",
    ),
    ("Mosul, both exact places", report(**MOSUL), "places 60 km apart"),
    ("Mosul, one near a place", report(**MOSUL, geo_precision=2), "places 60 km apart"),
    ("Basra, province-level", report(**BASRA, geo_precision=3), "different provinces"),
    (
        "other province, no coordinates",
        report(**{**NO_PLACE, "location_name": "Anbar", "admin1": "Anbar", "geo_precision": 3}),
        "different provinces (",
    ),
    ("no place stated", report(**NO_PLACE), "no place stated by both reports"),
    ("no country either", report(**NO_PLACE, country=None), "no place stated by both reports"),
    ("a protest", report(event_type="Protests", sub_event_type="Peaceful protest"), "kinds"),
    (
        "an arrest vs a looting",
        report(event_type="Strategic developments", sub_event_type="Arrests"),
        "kinds",
    ),
    (
        "untyped report with nothing in common",
        report(event_type=None, sub_event_type=None, violations=("arbitrary detention",)),
        "different kinds of event",
    ),
]


@pytest.mark.parametrize(("b", "why"), [v[1:] for v in VETOED], ids=[v[0] for v in VETOED])
def test_fuse_compare_vetoes(b: Report, why: str) -> None:
    a = BASE
    if b.event_type == "Strategic developments":
        a = replace(BASE, event_type="Strategic developments", sub_event_type="Looting")
    c = compare(a, b)
    assert c.veto is not None and why in c.veto, c
    assert not c.matches()
    # symmetric: vetoed either way round
    back = compare(b, a).veto
    assert back is not None and why.split(" (")[0] in back


def test_fuse_compare_same_document_is_vetoed_even_when_identical() -> None:
    twin = replace(BASE, incident_id="inc-wire-2")
    c = compare(BASE, twin)
    assert c.veto == "two incidents of one document"
    assert c.score == 0.0 and c.reasons == ()


def test_fuse_compare_protests_and_explosions_are_vetoed() -> None:
    protest = report(event_type="Protests", sub_event_type="Peaceful protest")
    c = compare(BASE, protest)
    assert c.veto == "different kinds of event (Explosions/Remote violence / Protests)"


# ---------------------------------------------------------------- matches and scores


def test_fuse_compare_independent_report_of_the_same_event() -> None:
    c = compare(BASE, report())
    assert c.veto is None and c.matches()
    # every piece of evidence, in words
    assert c.reasons == (
        "both report attack on civilians",
        "same kind (Suicide bomb)",
        "same day (2019-05-30)",
        "same place (Tall 'Afar)",
        "same toll (12 killed)",
        "same actor (Islamic State)",
    )
    s = rules().scores
    expected = sum(
        s[k]
        for k in (
            "shared_violation",
            "same_sub_event_type",
            "same_day",
            "same_place",
            "same_toll",
            "same_actor",
        )
    )
    assert c.score == pytest.approx(expected)


def _score(b: Report, a: Report = BASE) -> float:
    return compare(a, b).score


def test_fuse_compare_a_day_apart_is_a_penalty_not_a_veto() -> None:
    c = compare(BASE, moved(1))
    assert c.veto is None
    assert "dates a day apart (2019-05-30 / 2019-05-31)" in c.reasons
    assert c.matches()
    assert c.score == pytest.approx(
        _score(report()) - rules().scores["same_day"] + rules().scores["day_apart"]
    )


def test_fuse_compare_day_before_is_the_same_penalty() -> None:
    assert compare(BASE, moved(-1)).score == compare(BASE, moved(1)).score


def test_fuse_compare_dates_within_a_few_days_overlap() -> None:
    c = compare(BASE, moved(4, date_precision=2))  # "earlier this week"
    assert c.veto is None
    assert "dates overlap" in c.reasons


@pytest.mark.parametrize(
    ("published", "vetoed"),
    [
        (date(2019, 5, 30), False),  # the same day
        (date(2019, 6, 4), False),  # within the window before publication
        (date(2019, 6, 6), False),  # the window's edge (7 days) plus the date's slack
        (date(2019, 6, 8), True),
    ],
)
def test_fuse_compare_undated_report_and_its_publication_window(
    published: date, vetoed: bool
) -> None:
    undated = report(date_start=None, date_end=None, date_precision=None, published=published)
    c = compare(BASE, undated)
    assert (c.veto is not None) is vetoed, c
    if not vetoed:
        assert not any("day" in why for why in c.reasons)  # no date evidence either way


def test_fuse_compare_two_undated_reports_are_compared_by_publication() -> None:
    a = report(date_start=None, date_end=None, date_precision=None, published=date(2019, 6, 1))
    b = report(date_start=None, date_end=None, date_precision=None, published=date(2019, 6, 5))
    c = report(date_start=None, date_end=None, date_precision=None, published=date(2019, 6, 20))
    assert compare(a, b).veto is None
    assert "publication" in (compare(a, c).veto or "")


def test_fuse_compare_report_without_any_date_needs_the_rest_of_the_evidence() -> None:
    b = report(date_start=None, date_end=None, date_precision=None, published=None)
    assert day_range(b) is None
    c = compare(BASE, b)
    assert c.veto is None and c.matches()  # same place, kind, toll and actor
    assert "a report without any date" in c.reasons
    assert c.score < compare(BASE, replace(BASE, doc_id="o", incident_id="x")).score
    # with only the kind in common, an undated report is not the same event
    vague = replace(b, location_name="Iraq", latitude=None, longitude=None, geo_precision=3)
    vague = replace(vague, admin1=None, killed=None, counts={}, fatalities=0, actor1=None)
    assert not compare(BASE, vague).matches()


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        (SAME_TOWN, "same place (Tall 'Afar / Tal Afar market)"),
        # one name, two gazetteer entries 8 km apart (the town and its district)
        ({"latitude": 36.44, "longitude": 42.50, "gazetteer_id": "x"}, "same place (Tall 'Afar)"),
        (NEAR, "places 8 km apart (Tall 'Afar / Al-Kisik)"),
        ({**NINEWA}, "same province (Ninewa)"),
        (
            {**NO_PLACE, "location_name": "Ninewa", "admin1": "Ninewa", "geo_precision": 3},
            "same province (Ninewa)",
        ),
    ],
)
def test_fuse_compare_place_evidence(place: dict[str, Any], reason: str) -> None:
    c = compare(BASE, report(**place))
    assert c.veto is None
    assert reason in c.reasons


def test_fuse_compare_close_points_with_other_names_are_the_same_place() -> None:
    b = report(location_name="Tal Afar", latitude=36.38, longitude=42.45, gazetteer_id=None)
    assert "same place (Tall 'Afar / Tal Afar)" in compare(BASE, b).reasons


def test_fuse_compare_distance_limit_grows_with_imprecision() -> None:
    sinjar = {"location_name": "Sinjar", "latitude": 36.32, "longitude": 41.88}  # ~51 km
    assert "km apart" in (compare(BASE, report(**sinjar)).veto or "")
    assert "km apart" in (compare(BASE, report(**sinjar, geo_precision=2)).veto or "")
    near_mosul = {**MOSUL, "latitude": 36.37, "longitude": 42.68}  # ~21 km
    assert compare(BASE, report(**near_mosul)).veto is not None  # two towns: 15 km
    c = compare(BASE, report(**near_mosul, geo_precision=2))  # a town, near a town: 22.5 km
    assert c.veto is None and "places 21 km apart (Tall 'Afar / Mosul)" in c.reasons
    further = {**MOSUL, "latitude": 36.37, "longitude": 42.75}  # ~27 km
    assert compare(BASE, report(**further, geo_precision=2)).veto is not None
    both_near = compare(replace(BASE, geo_precision=2), report(**further, geo_precision=2))
    assert both_near.veto is None  # near two towns: 30 km


# ---------------------------------------------------------------- kinds of event


FAMILIES = [
    # (type a, sub a, type b, sub b, vetoed)
    ("Battles", "Armed clash", "Explosions/Remote violence", "Suicide bomb", False),
    ("Battles", "Armed clash", "Violence against civilians", "Attack", False),
    ("Explosions/Remote violence", "Suicide bomb", "Violence against civilians", "Attack", False),
    ("Protests", "Peaceful protest", "Riots", "Violent demonstration", False),
    ("Protests", "Peaceful protest", "Explosions/Remote violence", "Suicide bomb", True),
    ("Riots", "Mob violence", "Battles", "Armed clash", True),
    ("Strategic developments", "Arrests", "Strategic developments", "Arrests", False),
    ("Strategic developments", "Arrests", "Strategic developments", "Looting/property", True),
    ("Strategic developments", "Arrests", "Violence against civilians", "Attack", True),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
        "Battles",
        "Government regains territory",
        False,
    ),
    ("Violence against civilians", "Attack", "Violence against civilians", "Abduction", False),
]


@pytest.mark.parametrize(("ta", "sa", "tb", "sb", "vetoed"), FAMILIES)
def test_fuse_compare_event_families(ta: str, sa: str, tb: str, sb: str, vetoed: bool) -> None:
    a = report(event_type=ta, sub_event_type=sa)
    b = report(event_type=tb, sub_event_type=sb)
    for x, y in ((a, b), (b, a)):
        c = compare(x, y)
        assert (c.veto is not None) is vetoed, c
        if vetoed:
            assert c.veto.startswith("different kinds of event")


def test_fuse_compare_kind_scores() -> None:
    same_sub = compare(BASE, report())
    same_type = compare(BASE, report(sub_event_type="Remote explosive/landmine/IED"))
    family = compare(BASE, report(event_type="Violence against civilians", sub_event_type="Attack"))
    assert "same kind (Suicide bomb)" in same_sub.reasons
    assert "same kind (Explosions/Remote violence)" in same_type.reasons
    assert not any(w.startswith("same kind") for w in family.reasons)
    assert same_sub.score > same_type.score > family.score


def test_fuse_compare_untyped_reports_sharing_a_violation() -> None:
    a = report(event_type=None, sub_event_type=None, violations=("forced displacement",))
    b = report(violations=("forced displacement", "killing"))
    c = compare(a, b)
    assert c.veto is None
    assert "both report forced displacement" in c.reasons


# ---------------------------------------------------------------- tolls


TOLLS = [
    # (killed a, killed b, reason or veto)
    ((12, 12), (12, 12), "same toll (12 killed)"),
    ((12, 12), (15, 15), "close tolls (12 / 15 killed)"),  # a later, higher toll
    ((3, 3), (5, 5), "close tolls (3 / 5 killed)"),  # within two, from three up
    ((1, 1), (2, 2), "close tolls (1 / 2 killed)"),  # one apart
    ((2, 2), (4, 4), "different tolls (2 / 4 killed)"),  # twice as many (fuse.v8)
    ((1, 1), (3, 3), "different tolls (1 / 3 killed)"),  # three times as many
    ((12, 12), (30, 30), "different tolls (12 / 30 killed)"),
    ((12, 12), (49, 49), "tolls far apart (12 / 49 killed)"),  # 4 times, 8 more
    ((2, 2), (11, 11), "tolls far apart (2 / 11 killed)"),
    ((2, 2), (10, 10), "different tolls (2 / 10 killed)"),  # 8 more is not yet far apart
    ((12, None), (14, 14), "close tolls (12 / 14 killed)"),  # "at least 12"
    ((None, 14), (14, 14), "same toll (14 killed)"),  # "up to 14"
]


@pytest.mark.parametrize(("ka", "kb", "why"), TOLLS)
def test_fuse_compare_tolls(ka: tuple[int, int], kb: tuple[int, int], why: str) -> None:
    c = compare(report(killed=ka), report(killed=kb))
    # never a veto: a first report's toll and a later day-total can differ this much
    assert c.veto is None
    assert why in c.reasons


@pytest.mark.parametrize("killed", [None, (0, 0)])
def test_fuse_compare_no_toll_is_no_evidence(killed: tuple[int, int] | None) -> None:
    c = compare(BASE, report(killed=killed))
    assert c.veto is None
    assert not any("toll" in why for why in c.reasons)


def test_fuse_compare_toll_helper() -> None:
    assert toll(report(killed=(3, 5))) == 3
    assert toll(report(killed=(None, 5))) == 5
    assert toll(report(killed=None)) is None


def test_fuse_compare_different_toll_costs_score() -> None:
    same = compare(BASE, report()).score
    close = compare(BASE, report(killed=(15, 15))).score
    different = compare(BASE, report(killed=(30, 30))).score
    far = compare(BASE, report(killed=(60, 60))).score
    assert same > close > different > far


# ---------------------------------------------------------------- story and actors


def test_fuse_compare_copies_of_one_story_get_a_bonus() -> None:
    copy = report(story_id="doc-wire", publisher="Gulf Daily")
    c = compare(BASE, copy)
    assert c.reasons[0] == "copies of one story"
    assert c.score == pytest.approx(compare(BASE, report()).score + rules().scores["same_story"])


def test_fuse_compare_same_story_does_not_override_a_veto() -> None:
    copy = report(story_id="doc-wire", country="Syria")
    c = compare(BASE, copy)
    assert c.veto is not None and "copies of one story" in c.reasons


ACTORS = [
    # (actor1 a, actor2 a, actor1 b, actor2 b, reason or None)
    ("Islamic State", None, "Islamic State", None, "same actor (Islamic State)"),
    ("Islamic State", None, "Al Qaeda", None, "different actors (Islamic State / Al Qaeda)"),
    ("Islamic State", None, "Unidentified Armed Group (Iraq)", None, None),
    ("Unidentified Armed Group (Iraq)", None, "Unidentified Armed Group (Iraq)", None, None),
    ("Civilians (Iraq)", None, "Civilians (Iraq)", None, None),
    ("Protesters (Iraq)", None, "Protesters (Iraq)", None, None),
    (
        "Military Forces of Iraq (2014-)",
        "Islamic State",
        "Islamic State",
        "Military Forces of Iraq (2014-)",
        "same actor (Military Forces of Iraq (2014-))",
    ),
    ("Military Forces of Iraq (2014-)", None, "Police Forces of Iraq (2014-)", None, None),
]


@pytest.mark.parametrize(("a1", "a2", "b1", "b2", "why"), ACTORS)
def test_fuse_compare_actors(
    a1: str, a2: str | None, b1: str, b2: str | None, why: str | None
) -> None:
    c = compare(report(actor1=a1, actor2=a2), report(actor1=b1, actor2=b2))
    assert c.veto is None
    actor_reasons = [w for w in c.reasons if "actor" in w]
    assert actor_reasons == ([why] if why else [])


def test_fuse_compare_specific_actors_move_the_score() -> None:
    generic = compare(BASE, report(actor1="Unidentified Armed Group (Iraq)")).score
    same = compare(BASE, report()).score
    other = compare(BASE, report(actor1="Al Qaeda")).score
    assert same - generic == pytest.approx(rules().scores["same_actor"])
    assert other - generic == pytest.approx(rules().scores["different_actor"])


@pytest.mark.parametrize(
    ("actor", "specific"),
    [
        ("Islamic State", True),
        ("Military Forces of Iraq (2014-)", True),
        ("Unidentified Armed Group (Iraq)", False),
        ("Civilians (Iraq)", False),
        ("Protesters (Iraq)", False),
        (None, False),
        ("", False),
    ],
)
def test_fuse_compare_is_specific(actor: str | None, specific: bool) -> None:
    assert is_specific(actor) is specific


# ---------------------------------------------------------------- symmetry


@pytest.mark.parametrize(
    "b",
    [report(), moved(1), report(**NEAR), report(killed=(15, 15)), report(actor1="Al Qaeda")],
    ids=["same", "day-apart", "near", "close-toll", "other-actor"],
)
def test_fuse_compare_is_symmetric_in_score(b: Report) -> None:
    assert compare(BASE, b).score == pytest.approx(compare(b, BASE).score)


def test_fuse_compare_exact_dates_two_days_apart_are_not_vetoed() -> None:
    # each exact date has a day's slack: 30 May and 1 June may be one event
    c = compare(BASE, moved(2))
    assert c.veto is None


def test_fuse_compare_two_days_apart_is_not_called_a_day_apart() -> None:
    c = compare(BASE, moved(2))
    assert not any("a day apart" in why for why in c.reasons)


RUTBA_DISTRICT = {
    "location_name": "Rutba",
    "feature": "admin2",
    "admin1": "Anbar",
    "admin2": None,
    "latitude": 32.526,
    "longitude": 41.307,
    "geo_precision": 2,
    "gazetteer_id": "district:rutba",
}
RUTBA_TOWN = {
    "location_name": "Ar Rutbah",
    "feature": "town",
    "admin1": "Anbar",
    "admin2": "Rutba",
    "latitude": 33.037,
    "longitude": 40.286,
    "geo_precision": 2,
    "gazetteer_id": "town:rutbah",
}


def test_fuse_compare_a_district_contains_its_towns() -> None:
    # "east of Rutba district" / "near the town of Rutba": 110 km apart as points
    c = compare(report(**RUTBA_DISTRICT), report(**RUTBA_TOWN))
    assert c.veto is None
    assert "same district (Rutba / Ar Rutbah)" in c.reasons


@pytest.mark.parametrize(
    ("district_toll", "town_toll", "one"),
    [
        (3, 1, False),  # three soldiers at a post, a policeman shot: two events (fuse.v8)
        (12, 4, False),
        (2, 2, True),  # the same two dead
        (4, 5, True),  # a first toll and a later one
        (None, 2, True),  # one outlet gives no toll: nothing differs
    ],
)
def test_fuse_compare_a_district_and_a_town_in_it_need_tolls_that_agree(
    district_toll: int | None, town_toll: int | None, one: bool
) -> None:
    def told(toll: int | None, **place: Any) -> Report:
        counts = {"killed": (toll, toll)} if toll else {}
        return report(**place, killed=(toll, toll) if toll else None, counts=counts)

    c = compare(told(district_toll, **RUTBA_DISTRICT), told(town_toll, **RUTBA_TOWN))
    assert "same district (Rutba / Ar Rutbah)" in c.reasons
    assert (c.veto is None) == one, c.veto
    if not one:
        assert c.veto == "a district and a town in it, tolls differ"


def test_fuse_compare_a_town_of_another_district_is_another_place() -> None:
    other = {**RUTBA_TOWN, "admin2": "Al-Qa'im", "location_name": "Akashat"}
    veto = compare(report(**RUTBA_DISTRICT), report(**other)).veto
    assert veto == "Akashat is outside Rutba district"


def test_fuse_compare_province_level_places_are_compared_by_name_not_distance() -> None:
    # a province's centroid can be 250 km from a town in it (Anbar and Ar Rutbah)
    anbar = {**NO_PLACE, "location_name": "Anbar", "admin1": "Anbar", "geo_precision": 3}
    anbar.update(latitude=33.0, longitude=43.0, feature="admin1")
    c = compare(report(**anbar), report(**RUTBA_TOWN))
    assert c.veto is None
    assert "same province (Anbar)" in c.reasons


NORTH_OF_TIKRIT = {
    "location_name": "Tikrit",
    "admin1": "Salah ad Din",
    "latitude": 34.616,
    "longitude": 43.679,
    "geo_precision": 2,
    "relation": "north of",
    "gazetteer_id": "tikrit",
}
SHIRQAT = {
    "location_name": "Ash Sharqat",
    "admin1": "Salah ad Din",
    "latitude": 35.510,
    "longitude": 43.230,
    "geo_precision": 2,
    "relation": "south of",
    "gazetteer_id": "shirqat",
}


def test_fuse_compare_a_direction_from_a_town_may_be_far_from_it() -> None:
    # "south of Shirqat district, north of Tikrit": 107 km apart as points
    assert compare(report(**NORTH_OF_TIKRIT), report(**SHIRQAT)).veto is None
    near_tikrit = {**NORTH_OF_TIKRIT, "relation": "near"}
    in_shirqat = {**SHIRQAT, "relation": None}
    assert "km apart" in (compare(report(**near_tikrit), report(**in_shirqat)).veto or "")


def test_fuse_blocking_a_direction_reaches_two_grid_cells() -> None:
    # 57 km north-south, in two 1-degree cells, within the 67.5 km of a direction and a town
    a = report(**{**NORTH_OF_TIKRIT, "latitude": 34.99, "longitude": 43.5})
    b = report(**{**SHIRQAT, "relation": None, "latitude": 35.5, "longitude": 43.5})
    assert compare(a, b).matches()
    assert candidate_pairs([a, b]) == candidate_pairs([b, a]) == {(0, 1)}


@pytest.mark.parametrize(
    ("other", "vetoed"),
    [
        # men taken by armed men in uniform: "detained" to one, "abducted" to another
        (("Violence against civilians", "Abduction/forced disappearance"), False),
        (("Violence against civilians", "Attack"), True),
        (("Strategic developments", "Looting/property destruction"), True),
    ],
)
def test_fuse_compare_arrests_and_abductions_may_be_one_event(other, vetoed) -> None:
    arrest = report(event_type="Strategic developments", sub_event_type="Arrests")
    taken = report(event_type=other[0], sub_event_type=other[1])
    assert (compare(arrest, taken).veto is not None) is vetoed


def test_fuse_compare_who_attacked_and_who_repelled_are_the_same_two_sides() -> None:
    attacked = report(actor1="Islamic State", actor2="Popular Mobilization Forces")
    repelled = report(actor1="Government of Iraq", actor2="Islamic State")
    c = compare(attacked, repelled)
    assert not any("different actors" in why for why in c.reasons)
    other = report(actor1="Hayat Tahrir al-Sham", actor2="Military Forces of Syria")
    assert any("different actors" in why for why in compare(attacked, other).reasons)
