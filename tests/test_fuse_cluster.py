"""Fusion, many reports (issue 4): blocking (candidate_pairs), clustering (cluster) and
the fused incident (summarise). Reports come from the factory in test_fuse_compare."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmledger.fuse.rules import candidate_pairs, cluster, compare
from harmledger.fuse.summary import fuse, fused_id, independent_sources, summarise
from harmledger.model import Disagreement, Report
from test_fuse_compare import BASE, BASRA, DAY, NINEWA, NO_PLACE, moved, report

# ---------------------------------------------------------------- blocking


def test_fuse_blocking_pairs_reports_of_one_event() -> None:
    reps = [BASE, report(), moved(1)]
    assert candidate_pairs(reps) == {(0, 1), (0, 2), (1, 2)}


def test_fuse_blocking_pairs_are_ordered_and_never_self() -> None:
    reps = [BASE, report(), report(), moved(1), report(**NINEWA)]
    pairs = candidate_pairs(reps)
    assert pairs and all(i < j for i, j in pairs)


@pytest.mark.parametrize(
    "far",
    [
        moved(30),  # a month later, same town
        moved(-10),
        report(**BASRA),  # the same day, 500 km away
        report(location_name="Kirkuk", admin1="Kirkuk", latitude=35.468, longitude=44.392),
        report(country="Syria", admin1="Aleppo", latitude=36.2, longitude=37.16),
        report(
            date_start=None, date_end=None, date_precision=None, published=date(2019, 7, 1)
        ),  # undated, published a month later
    ],
    ids=["month-later", "10-days-before", "basra", "kirkuk", "aleppo", "undated-later"],
)
def test_fuse_blocking_leaves_far_reports_apart(far: Report) -> None:
    assert candidate_pairs([BASE, far]) == set()
    assert candidate_pairs([far, BASE]) == set()


def test_fuse_blocking_never_all_pairs() -> None:
    towns = [
        ("Tall 'Afar", "Ninewa", 36.379, 42.448),
        ("Kirkuk", "Kirkuk", 35.468, 44.392),
        ("Baqubah", "Diyala", 33.746, 44.643),
        ("Basrah", "Basrah", 30.508, 47.78),
        ("Ramadi", "Anbar", 33.42, 43.3),
    ]
    reps = [
        moved(
            7 * week,
            location_name=name,
            admin1=admin1,
            latitude=lat,
            longitude=lon,
            gazetteer_id=None,
        )
        for week in range(8)
        for name, admin1, lat, lon in towns
    ]
    pairs = candidate_pairs(reps)
    # different weeks never meet; towns meet only when their grid cells touch (~250 km)
    assert all(reps[i].date_start == reps[j].date_start for i, j in pairs)
    assert len(pairs) < len(reps)
    # two reports of each town and week: each meets its twin, not the other 78
    twins = reps + [replace_ids(r) for r in reps]
    pairs = candidate_pairs(twins)
    twin_pairs = {(i, i + len(reps)) for i in range(len(reps))}
    assert twin_pairs <= pairs
    assert all(twins[i].date_start == twins[j].date_start for i, j in pairs)


def replace_ids(r: Report) -> Report:
    return report(
        date_start=r.date_start,
        date_end=r.date_end,
        location_name=r.location_name,
        admin1=r.admin1,
        latitude=r.latitude,
        longitude=r.longitude,
        gazetteer_id=r.gazetteer_id,
    )


@pytest.mark.parametrize("province_first", [True, False])
def test_fuse_blocking_province_level_meets_towns_of_its_province(province_first: bool) -> None:
    town = report()
    province = report(**NINEWA)  # "in Nineveh province"
    other_province = report(**{**NINEWA, "admin1": "Kirkuk", "location_name": "Kirkuk"})
    reps = [province, town, other_province] if province_first else [town, province, other_province]
    pairs = candidate_pairs(reps)
    assert (0, 1) in pairs
    assert (0, 2) not in pairs and (1, 2) not in pairs


@pytest.mark.parametrize("unplaced_first", [True, False])
def test_fuse_blocking_report_without_place_meets_only_its_copies(unplaced_first: bool) -> None:
    unplaced = report(**NO_PLACE, story_id="story-1")  # "in northern Iraq"
    copy = report(**NO_PLACE, story_id="story-1")  # the same story under another masthead
    town = report()
    province = report(**NINEWA)
    syria = report(country="Syria", admin1="Aleppo", latitude=36.2, longitude=37.16)
    later = moved(20)
    others = [copy, town, province, syria, later]
    reps = [unplaced, *others] if unplaced_first else [*others, unplaced]
    u = 0 if unplaced_first else len(others)
    met = {j if i == u else i for i, j in candidate_pairs(reps) if u in (i, j)}
    assert {reps[k].incident_id for k in met} == {copy.incident_id}


def test_fuse_blocking_two_unplaced_reports_of_one_country_do_not_meet() -> None:
    assert candidate_pairs([report(**NO_PLACE), report(**NO_PLACE)]) == set()


def test_fuse_blocking_undated_report_meets_by_publication() -> None:
    undated = report(date_start=None, date_end=None, date_precision=None, published=DAY)
    assert candidate_pairs([BASE, undated]) == {(0, 1)}


def test_fuse_blocking_meets_by_overlapping_days_whatever_the_order_filed() -> None:
    """Reports of one place and kind meet when their ranges of days (date and slack)
    overlap, and only then, whichever was filed first: a month-long report filed before
    day reports is found from any of its days, a day report two days past a day's slack
    is not."""
    from harmledger.fuse.rules import Blocking

    month = report(date_start=date(2019, 5, 1), date_end=date(2019, 5, 31), date_precision=3)
    days = [moved(k) for k in (-40, -29, 0, 1, 2, 3)]  # DAY is 30 May 2019
    index = Blocking()
    for rep in [*days, month]:
        index.file(rep)
    assert index.look(month) == [1, 2, 3, 4, 6]  # 21 May to 2 June (slack 1) meet May
    assert index.look(moved(-29)) == [1, 6]  # 1 May (slack 1: 30 April - 2 May)
    assert index.look(BASE) == [2, 3, 4, 6]  # 30 May meets 29-31 May, 31 May, 1 June
    assert 5 not in index.look(BASE)  # 2 June is a day past 31 May's slack
    undated = report(date_start=None, date_end=None, date_precision=None, published=None)
    assert index.look(undated) == list(range(7))  # its day is unknown: every day
    index.file(undated)
    assert 7 in index.look(moved(300))  # and it is met from any day
    quiet = Blocking(undated=False)  # a set without undated reports
    for rep in [*days, month, undated]:
        quiet.file(rep)
    assert quiet.look(undated) == [7] and 7 not in quiet.look(BASE)


# The property: blocking loses nothing that matters. Reports are drawn from real towns
# (and province- and country-level places) of two countries, over two weeks.
TOWNS = [
    # name, admin1, country, lat, lon
    ("Tall 'Afar", "Ninewa", "Iraq", 36.379, 42.448),
    ("Mosul", "Ninewa", "Iraq", 36.335, 43.119),
    ("Sinjar", "Ninewa", "Iraq", 36.32, 41.88),
    ("Kirkuk", "Kirkuk", "Iraq", 35.468, 44.392),
    ("Hawija", "Kirkuk", "Iraq", 35.327, 43.768),
    ("Baqubah", "Diyala", "Iraq", 33.746, 44.643),
    ("Khalis", "Diyala", "Iraq", 33.808, 44.533),
    ("Aleppo", "Aleppo", "Syria", 36.2, 37.16),
    ("Al-Bab", "Aleppo", "Syria", 36.37, 37.52),
    ("Manbij", "Aleppo", "Syria", 36.528, 37.955),
]


def _place(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["town", "near", "province", "province-coords", "country"]))
    name, admin1, country, lat, lon = draw(st.sampled_from(TOWNS))
    if kind in ("town", "near"):
        return {
            "location_name": name,
            "admin1": admin1,
            "country": country,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": 1 if kind == "town" else 2,
            "gazetteer_id": f"g:{name}",
        }
    if kind.startswith("province"):
        coords = kind == "province-coords"
        return {
            "location_name": admin1,
            "admin1": admin1,
            "country": country,
            "latitude": lat + 0.2 if coords else None,
            "longitude": lon - 0.2 if coords else None,
            "geo_precision": 3,
            "gazetteer_id": f"g:{admin1}" if coords else None,
        }
    return {**NO_PLACE, "country": country}


@st.composite
def reports(draw: Any) -> Report:
    place = _place(draw)
    when = draw(st.sampled_from(["day", "week", "month", "undated"]))
    day = DAY + timedelta(days=draw(st.integers(0, 14)))
    dates: dict[str, Any]
    if when == "undated":
        dates = {"date_start": None, "date_end": None, "date_precision": None}
    elif when == "month":
        dates = {
            "date_start": day.replace(day=1),
            "date_end": date(day.year, day.month, 28),
            "date_precision": 3,
        }
    else:
        dates = {"date_start": day, "date_end": day, "date_precision": 1 if when == "day" else 2}
    published = day + timedelta(days=draw(st.integers(0, 3)))
    kind = draw(
        st.sampled_from(
            [
                ("Explosions/Remote violence", "Suicide bomb"),
                ("Violence against civilians", "Attack"),
                ("Battles", "Armed clash"),
            ]
        )
    )
    killed = draw(st.sampled_from([None, (2, 2), (12, 12), (15, None), (40, 40)]))
    actor = draw(st.sampled_from(["Islamic State", "Unidentified Armed Group (Iraq)"]))
    story = draw(st.sampled_from(["s1", "s2", None]))
    r = report(
        **place,
        **dates,
        published=published,
        event_type=kind[0],
        sub_event_type=kind[1],
        killed=killed,
        actor1=actor,
    )
    return report(**{**_fields(r), "story_id": story or r.story_id})


def _fields(r: Report) -> dict[str, Any]:
    return {f: getattr(r, f) for f in Report.__dataclass_fields__ if f not in ("pk",)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reports(), min_size=2, max_size=12))
def test_fuse_blocking_loses_no_matching_pair(reps: list[Report]) -> None:
    pairs = candidate_pairs(reps)
    for i in range(len(reps)):
        for j in range(i + 1, len(reps)):
            if compare(reps[i], reps[j]).matches():
                assert (i, j) in pairs, (reps[i], reps[j], compare(reps[i], reps[j]))


def test_fuse_blocking_near_place_reports_across_two_grid_cells() -> None:
    a = report(location_name="A", latitude=36.3, longitude=42.499, geo_precision=2)
    b = report(location_name="B", latitude=36.3, longitude=42.78, geo_precision=2)
    assert compare(a, b).matches()  # 25 km apart: within the 30 km of two places near towns
    assert candidate_pairs([a, b]) == {(0, 1)}


def test_fuse_blocking_report_without_country_meets_nothing() -> None:
    b = report(**NO_PLACE, country=None)
    assert not compare(BASE, b).matches()
    assert candidate_pairs([BASE, b]) == set()


def test_fuse_report_without_any_date_meets_dated_reports_of_its_place() -> None:
    # a saved wire story whose dateline has no year ("BAGHDAD, March 14 (Reuters) -"):
    # its day cannot be checked, so it meets the reports of its place and kind on any day
    b = report(date_start=None, date_end=None, date_precision=None, published=None)
    far = report(date_start=None, date_end=None, date_precision=None, published=None, latitude=30.5)
    later = moved(90, published=DAY + timedelta(days=91))
    assert candidate_pairs([BASE, later, b, far]) == {(0, 2), (1, 2)}  # not the far one
    assert candidate_pairs([BASE, b]) == candidate_pairs([b, BASE]) == {(0, 1)}


# ---------------------------------------------------------------- clustering


def _partition(groups: list[list[int]], n: int) -> None:
    flat = [i for g in groups for i in g]
    assert sorted(flat) == list(range(n))
    assert groups == sorted(groups, key=lambda g: g[0])
    assert all(g == sorted(g) for g in groups)


def test_fuse_cluster_reports_of_one_event_and_a_look_alike() -> None:
    copy = report(story_id=BASE.story_id, publisher="Gulf Daily")
    local = report(killed=(15, 15), publisher="Nineveh Today")
    next_day = moved(
        1, killed=(2, 2), actor1="Unidentified Armed Group (Iraq)", sub_event_type="Remote IED"
    )
    protest = report(
        **BASRA,
        event_type="Protests",
        sub_event_type="Peaceful protest",
        killed=None,
        actor1="Protesters (Iraq)",
    )
    reps = [BASE, local, copy, next_day, protest]
    groups = cluster(reps)
    _partition(groups, len(reps))
    assert groups == [[0, 1, 2], [3], [4]]


MOSUL_PLACE = {
    "location_name": "Mosul",
    "latitude": 36.335,
    "longitude": 43.119,
    "gazetteer_id": "geonames:99072",
}


def test_fuse_cluster_best_first() -> None:
    x = report(**NINEWA)  # "in Nineveh province"
    z = moved(1, **MOSUL_PLACE)  # a weaker match for x (a day later), 60 km from y
    y = report()  # the best match for x
    assert compare(x, y).score > compare(x, z).score
    assert compare(x, z).matches() and compare(y, z).veto
    # z comes before y: taking pairs in index order would join x and z
    assert cluster([x, z, y]) == [[0, 2], [1]]


def test_fuse_cluster_does_not_chain_incompatible_reports() -> None:
    a = report()  # Tal Afar
    b = report(**NINEWA)  # says only the province
    c = report(**MOSUL_PLACE)
    assert compare(a, b).matches() and compare(b, c).matches()
    assert "km apart" in (compare(a, c).veto or "")
    groups = cluster([a, b, c])
    _partition(groups, 3)
    assert not any(0 in g and 2 in g for g in groups)
    assert groups == [[0, 1], [2]]


def test_fuse_cluster_weak_matches_stay_apart() -> None:
    # a village 8 km away, a day later, unnamed attackers, no toll: too little in common
    a = report(killed=None)
    b = moved(1, killed=None, actor1="Unidentified Armed Group (Iraq)", **_near(8))
    assert compare(a, b).veto is None and not compare(a, b).matches()
    assert cluster([a, b]) == [[0], [1]]


def _near(km: int) -> dict[str, Any]:
    return {
        "location_name": f"village {km} km away",
        "latitude": BASE.latitude + km / 111.0,  # type: ignore[operator]
        "longitude": BASE.longitude,
        "gazetteer_id": None,
    }


def test_fuse_cluster_must_link_joins_what_the_rules_keep_apart() -> None:
    a = BASE
    b = report(**BASRA)  # vetoed: 500 km apart
    assert compare(a, b).veto
    assert cluster([a, b]) == [[0], [1]]
    assert cluster([a, b], must_link=[[0, 1]]) == [[0, 1]]


def test_fuse_cluster_cannot_link_keeps_apart_what_the_rules_join() -> None:
    a, b, c = BASE, report(), report()
    assert cluster([a, b, c]) == [[0, 1, 2]]
    groups = cluster([a, b, c], cannot_link=[(0, 1)])
    _partition(groups, 3)
    assert not any(0 in g and 1 in g for g in groups)
    assert [2] not in groups  # c still joins one of them


def test_fuse_cluster_must_link_and_cannot_link_together() -> None:
    reps = [BASE, report(**BASRA), report()]
    groups = cluster(reps, must_link=[[0, 1]], cannot_link=[(1, 2)])
    assert groups == [[0, 1], [2]]


def test_fuse_cluster_never_joins_two_incidents_of_one_document() -> None:
    a1 = report(doc_id="doc-x", story_id="doc-x")
    a2 = report(doc_id="doc-x", story_id="doc-x", killed=(11, 11))
    b = report()
    groups = cluster([a1, a2, b])
    _partition(groups, 3)
    assert not any(0 in g and 1 in g for g in groups)
    assert groups == [[0, 2], [1]]


def test_fuse_cluster_given_no_pairs_leaves_every_report_alone() -> None:
    assert cluster([BASE, report(), report()], pairs=set()) == [[0], [1], [2]]


def test_fuse_cluster_empty() -> None:
    assert cluster([]) == []
    assert fuse([]) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reports(), min_size=1, max_size=10))
def test_fuse_cluster_is_a_partition_without_vetoed_pairs(reps: list[Report]) -> None:
    groups = cluster(reps)
    _partition(groups, len(reps))
    for g in groups:
        for x in g:
            for y in g:
                if x < y:
                    assert compare(reps[x], reps[y]).veto is None


# ---------------------------------------------------------------- the fused incident


def test_fuse_summarise_ranges_and_fatalities() -> None:
    wire = report(killed=(12, 12), counts={"killed": (12, 12), "injured": (20, 20)})
    local = report(killed=(15, None), counts={"killed": (15, None), "injured": (23, None)})
    ngo = report(killed=(10, 20), counts={"killed": (10, 20)})
    silent = report(killed=None, fatalities=0, counts={})
    f = summarise([wire, local, ngo, silent])
    assert (f.killed_min, f.killed_max) == (10, 20)  # min of mins, max of every number
    assert f.counts["killed"] == (10, 20)
    assert f.counts["injured"] == (20, 23)
    assert f.fatalities == 10  # ACLED: the lowest non-zero toll


def test_fuse_summarise_fatalities_zero_when_nobody_gives_a_toll() -> None:
    f = summarise([report(killed=None), report(killed=None)])
    assert f.fatalities == 0 and f.killed_min is None and f.killed_max is None


def test_fuse_summarise_independent_sources() -> None:
    wire = report(publisher="Wire Service")
    copy = report(story_id=wire.story_id, publisher="Gulf Daily")  # syndicated copy
    copy2 = report(story_id=wire.story_id, publisher="Kurdistan 24")
    local = report(publisher="Nineveh Today")
    update = report(publisher="Nineveh Today")  # the same outlet's later toll
    assert independent_sources([wire]) == 1
    assert independent_sources([wire, copy, copy2]) == 1
    assert independent_sources([wire, local]) == 2
    assert independent_sources([wire, copy, local, update]) == 2
    assert independent_sources([local, update]) == 1
    f = summarise([wire, copy, local, update])
    assert f.sources == 2 and len(f.reports) == 4
    assert f.publishers == ("Wire Service", "Gulf Daily", "Nineveh Today")


def test_fuse_summarise_publisher_names_differ_only_in_case() -> None:
    assert independent_sources([report(publisher="Reuters"), report(publisher=" reuters")]) == 1


def test_fuse_summarise_copies_share_one_vote() -> None:
    wire = report(sub_event_type="Remote explosive/landmine/IED", confidence=0.9)
    copies = [
        report(story_id=wire.story_id, sub_event_type=wire.sub_event_type, confidence=0.9)
        for _ in range(3)
    ]
    local = report(sub_event_type="Suicide bomb", confidence=0.8)
    ngo = report(sub_event_type="Suicide bomb", confidence=0.8)
    f = summarise([wire, *copies, local, ngo])
    assert f.sub_event_type == "Suicide bomb"  # 1.6 against the story's 0.9
    f = summarise([wire, *copies, local])
    assert f.sub_event_type == "Remote explosive/landmine/IED"  # 0.9 against 0.8


def test_fuse_summarise_prefers_specific_actor_and_finest_place() -> None:
    generic = report(actor1="Unidentified Armed Group (Iraq)", confidence=0.9)
    named = report(actor1="Islamic State", confidence=0.6)
    province = report(**NINEWA, confidence=0.99)
    f = summarise([province, generic, named])
    assert f.actor1 == "Islamic State"
    assert f.location_name == "Tall 'Afar" and f.geo_precision == 1
    assert f.admin1 == "Ninewa" and f.country == "Iraq"


def test_fuse_summarise_disagreements_name_the_incidents() -> None:
    wire = report(killed=(12, 12))
    local = report(killed=(15, 15), actor1="Islamic State")
    other = report(killed=(12, 12), actor1="Al Qaeda")
    f = summarise([wire, local, other])
    by_field = {d.field: d for d in f.disagreements}
    assert by_field["killed"] == Disagreement(
        "killed",
        ((12, (wire.incident_id, other.incident_id)), (15, (local.incident_id,))),
    )
    assert by_field["actor1"].values[1] == ("Al Qaeda", (other.incident_id,))
    assert "event_type" not in by_field and "location" not in by_field


def test_fuse_summarise_generic_actors_and_province_places_are_no_disagreement() -> None:
    f = summarise([report(), report(actor1="Unidentified Armed Group (Iraq)", **NINEWA)])
    assert {d.field for d in f.disagreements} == set()


def test_fuse_summarise_event_type_disagreement() -> None:
    vac = report(event_type="Violence against civilians", sub_event_type="Attack")
    f = summarise([BASE, report(), vac])
    fields = {d.field: d for d in f.disagreements}
    assert f.event_type == "Explosions/Remote violence"
    assert fields["event_type"].values[1] == ("Violence against civilians", (vac.incident_id,))


def test_fuse_summarise_dates_a_day_apart() -> None:
    f = summarise([BASE, moved(1)])
    assert (f.date_start, f.date_end) == (DAY, DAY + timedelta(days=1))
    assert f.date_precision == 2  # within a few days


def test_fuse_summarise_dates_a_day_apart_are_a_disagreement() -> None:
    later = moved(1)
    f = summarise([BASE, later])
    assert "date" in {d.field for d in f.disagreements}


def test_fuse_summarise_finest_date_wins() -> None:
    week = report(date_precision=2, date_start=DAY - timedelta(days=3), date_end=DAY)
    f = summarise([week, BASE])
    assert (f.date_start, f.date_end, f.date_precision) == (DAY, DAY, 1)


def test_fuse_summarise_reason_names_the_evidence() -> None:
    wire = report(publisher="Wire Service")
    copy = report(story_id=wire.story_id, publisher="Gulf Daily")
    local = report(publisher="Nineveh Today", killed=(15, 15))
    f = summarise([wire, copy, local])
    assert f.reason.startswith(
        "3 reports from 2 independent source(s) (Wire Service, Gulf Daily, Nineveh Today) fused:"
    )
    for words in (
        "copies of one story",
        "same day (2019-05-30)",
        "same place (Tall 'Afar)",
        "same kind (Suicide bomb)",
        "close tolls (12 / 15 killed)",
        "same actor (Islamic State)",
    ):
        assert words in f.reason
    assert summarise([wire]).reason == "One report; nothing fused with it."
    manual = summarise([wire, report(**BASRA)], manual=True)
    assert manual.manual and manual.reason.endswith("merged by hand.")


def test_fuse_summarise_reason_uses_document_name_without_publisher() -> None:
    f = summarise([report(publisher=None, doc_name="hrw-statement"), report(publisher="AFP")])
    assert "(hrw-statement, AFP)" in f.reason


def test_fuse_summarise_fused_id_depends_only_on_the_first_report() -> None:
    a, b, c = report(), report(), report(killed=(15, 15))
    one = summarise([a])
    assert one.fused_id == fused_id(a)
    assert summarise([a, b]).fused_id == one.fused_id
    assert summarise([a, c, b]).fused_id == one.fused_id
    assert summarise([b, a]).fused_id != one.fused_id
    assert len(one.fused_id) == 16


def test_fuse_fused_id_survives_a_new_pipeline_version() -> None:
    # re-processing gives the document's incident a new id; where its words start in the
    # document does not change, nor does the fused id
    a = report(evidence_start=120)
    again = replace(a, incident_id="inc-reprocessed")
    assert fused_id(again) == fused_id(a)
    assert fused_id(replace(a, evidence_start=400)) != fused_id(a)
    # without a start, the incident id decides
    unknown = replace(a, evidence_start=None)
    assert fused_id(unknown) != fused_id(replace(again, evidence_start=None))


def test_fuse_summarise_confidence_grows_with_sources() -> None:
    a = report(confidence=0.7)
    assert summarise([a]).confidence == pytest.approx(0.7)
    assert summarise([a, report(confidence=0.6)]).confidence == pytest.approx(0.75)
    many = [report(confidence=0.97) for _ in range(5)]
    assert summarise(many).confidence <= 0.99


def test_fuse_summarise_needs_a_report() -> None:
    with pytest.raises(ValueError, match="at least one report"):
        summarise([])


def test_fuse_fuse_every_report_in_exactly_one_incident() -> None:
    reps = [BASE, report(), moved(1, killed=(2, 2)), report(**BASRA)]
    fused = fuse(reps)
    ids = [r.incident_id for f in fused for r in f.reports]
    assert sorted(ids) == sorted(r.incident_id for r in reps)
    assert [len(f.reports) for f in fused] == [2, 1, 1]
    assert fused[0].to_dict()["sources"] == 2


def test_fuse_blocking_a_district_meets_the_towns_of_its_province() -> None:
    district = report(
        location_name="Rutba",
        feature="admin2",
        admin1="Anbar",
        latitude=32.526,
        longitude=41.307,
        geo_precision=2,
    )
    town = report(
        location_name="Ar Rutbah",
        feature="town",
        admin1="Anbar",
        admin2="Rutba",
        latitude=33.037,
        longitude=40.286,
        geo_precision=2,
    )
    assert compare(district, town).matches()
    assert candidate_pairs([district, town]) == {(0, 1)}
    assert candidate_pairs([town, district]) == {(0, 1)}
