"""harmledger eval: the matching rules (actor names, governorates, places, counts) and the
per-format scorers, on hand-made predictions (no extraction involved)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.eval.metrics import (
    actor_match,
    governorate,
    killed_value,
    normalise_actor,
    our_governorate,
    same_place,
    score_acled,
    score_fakes,
    score_gold,
    score_ucdp,
    sub_unit,
    ucdp_actor_match,
)
from harmledger.gazetteer import distance_km as km


def by_field(checks):
    return {c.field: c for c in checks}


# --------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Military Forces of Iraq (2020-)", "military forces of iraq"),
        ("Military Forces of Iraq (2018-2020)", "military forces of iraq"),
        ("Islamic State (Iraq)", "islamic state"),
        ("Civilians  (Iraq)", "civilians"),
        ("Global Coalition Against Daesh", "global coalition against daesh"),
        ("Kurdistan Workers' Party", "kurdistan workers party"),
        (None, ""),
    ],
)
def test_eval_normalise_actor(name, expected):
    assert normalise_actor(name) == expected


@pytest.mark.parametrize(
    "name, unit",
    [
        (
            "Military Forces of Iraq (2020-) Popular Mobilization Forces",
            "popular mobilization forces",
        ),
        ("Police Forces of Iraq (2018-2020) Rapid Reaction Force", "rapid reaction force"),
        ("Military Forces of Iraq (2020-)", None),
        ("Islamic State (Iraq)", None),
    ],
)
def test_eval_sub_unit(name, unit):
    assert sub_unit(name) == unit


@pytest.mark.parametrize(
    "acled, ours, ok",
    [
        ("Islamic State (Iraq)", "Islamic State", True),
        ("Military Forces of Turkey (2016-)", "Military Forces of Turkey", True),
        (
            "Military Forces of Iraq (2020-) Popular Mobilization Forces",
            "Popular Mobilization Forces",
            True,
        ),
        (
            "Military Forces of Iraq (2018-2020) Popular Mobilization Forces",
            "Military Forces of Iraq Popular Mobilization Forces",
            True,
        ),
        ("PKK: Kurdistan Workers Party", "PKK: Kurdistan Workers Party", True),
        ("PKK: Kurdistan Workers Party", "Kurdistan Workers Party", True),
        ("PKK: Kurdistan Workers Party", "Kurdistan Workers' Party", True),
        ("PKK: Kurdistan Workers Party", "PKK", True),
        ("Protesters (Iraq)", "protesters", True),
        # a parent force is not its sub-unit, nor the other way round
        (
            "Military Forces of Iraq (2020-) Popular Mobilization Forces",
            "Military Forces of Iraq",
            False,
        ),
        ("Military Forces of Iraq (2020-)", "Popular Mobilization Forces", False),
        # a shared tail is not a sub-unit
        ("Unidentified Armed Group (Iraq)", "Armed Group", False),
        ("Islamic State (Iraq)", "Military Forces of Iraq", False),
        ("Protesters (Iraq)", None, False),
        ("PKK-YJA STAR: Kurdistan Workers Party-YJA STAR", "PKK: Kurdistan Workers Party", False),
    ],
)
def test_eval_actor_match(acled, ours, ok):
    assert actor_match(acled, ours) is ok
    assert actor_match(ours, acled) is ok  # the rule is symmetric


@pytest.mark.parametrize(
    "side, ours, ok",
    [
        ("IS", "Islamic State", True),
        ("IS", "Islamic State (Iraq)", True),
        ("Government of Iraq", "Military Forces of Iraq", True),
        ("Government of Iraq", "Police Forces of Iraq", True),
        ("Government of Iraq", "Military Forces of Iraq Counter-Terrorism Service", True),
        ("Government of Turkey", "Military Forces of Turkey", True),
        ("Government of Iraq", "Military Forces of Turkey", False),
        ("IS", "Military Forces of Iraq", False),
        ("IS", None, False),
        ("Jaysh al-Mukhtar", "Jaysh al-Mukhtar", True),
    ],
)
def test_eval_ucdp_actor_match(side, ours, ok):
    assert ucdp_actor_match(side, ours) is ok


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    "spelling, canonical",
    [
        ("idlib", "idlib"),
        ("Idleb", "idlib"),
        ("Deir-ez-Zor", "deir ezzor"),
        ("Dayr az Zawr", "deir ezzor"),
        ("deir ezzor", "deir ezzor"),
        ("Al-Hasakah", "hasakeh"),
        ("Hasakeh", "hasakeh"),
        ("Ar-Raqqa", "raqqa"),
        ("Dar'a", "daraa"),
        ("Deraa", "daraa"),
        ("Latakia", "lattakia"),
        ("Rural Damascus", "rif dimashq"),
        ("Rif Dimashq", "rif dimashq"),
        ("As-Suwayda", "sweida"),
        ("Quneitra", "quneitra"),
        ("Hama Governorate", "hama"),
        ("Tartous", "tartus"),
        ("Damascus", "damascus"),
        ("Nineveh", None),
        (None, None),
    ],
)
def test_eval_governorate_spellings(spelling, canonical):
    assert governorate(spelling) == canonical


@pytest.mark.parametrize(
    "location, expected",
    [
        ({"name": "Maarat al-Numan", "admin1": "Idleb"}, "idlib"),
        ({"name": "Azaz", "admin1": None}, "aleppo"),  # from the gazetteer
        ({"name": "Homs", "admin1": None}, "homs"),
        ({"name": None, "admin1": None, "country": "Syria"}, None),
        (None, None),
    ],
)
def test_eval_our_governorate(location, expected):
    assert our_governorate({"location": location}) == expected


@pytest.mark.parametrize(
    "a, b, ok",
    [
        ("Basra", "Basrah", True),
        ("Dhi Qar", "Thi-Qar", True),
        ("Nasiriyah", "an-Nasiriyah", True),
        ("Mosul", "Basrah", False),
        ("Mosul", None, False),
    ],
)
def test_eval_same_place(a, b, ok):
    assert same_place(a, b) is ok


def test_eval_km():
    assert km(33.3406, 44.4009, 33.3406, 44.4009) == pytest.approx(0.0)
    # Baghdad to Mosul is about 340 km
    assert 330 < km(33.3406, 44.4009, 36.335, 43.1189) < 360


@given(
    st.floats(-80, 80),
    st.floats(-179, 179),
    st.floats(-80, 80),
    st.floats(-179, 179),
)
def test_eval_km_symmetric_and_bounded(a, b, c, d):
    assert km(a, b, c, d) == pytest.approx(km(c, d, a, b), abs=1e-6)
    assert 0 <= km(a, b, c, d) <= 20016


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    "killed, value",
    [
        ({"min": 5, "max": 5}, 5),
        ({"min": 12, "max": None}, 12),
        ({"min": None, "max": 30}, 30),
        ({"min": 10, "max": 20}, 10),
        ({"min": None, "max": None, "vague": True}, None),
        ({"min": 100, "max": None, "vague": True}, None),
        (None, None),
    ],
)
def test_eval_killed_value(killed, value):
    counts = {"killed": killed} if killed is not None else {}
    assert killed_value({"counts": counts}) == value


# --------------------------------------------------------------------------- scorers

ACLED_GOLD = {
    "event_type": "Violence against civilians",
    "sub_event_type": "Attack",
    "fatalities": 2,
    "latitude": 35.32,
    "longitude": 43.76,
    "location": "Hawija",
    "date": "2021-03-04",
    "actor1": "Islamic State (Iraq)",
}


def test_eval_score_acled_all_right():
    pred = {
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "fatalities": 2,
        "location": {"name": "Hawija", "latitude": 35.40, "longitude": 43.80},
        "date": {"start": "2021-03-04"},
        "actor1": {"name": "Islamic State"},
    }
    checks = by_field(score_acled(ACLED_GOLD, pred))
    assert set(checks) == {
        "event_type",
        "sub_event_type",
        "fatalities",
        "location",
        "date",
        "actor1",
    }
    assert all(c.ok for c in checks.values())


def test_eval_score_acled_misses_and_severity():
    pred = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "fatalities": 9,
        "location": {"name": "Kirkuk", "latitude": 35.4681, "longitude": 44.3922},
        "date": {"start": "2021-03-03"},
    }
    checks = by_field(score_acled(ACLED_GOLD, pred))
    assert not any(c.ok for c in checks.values())
    assert checks["fatalities"].severity == 7
    assert 50 < checks["location"].severity < 70
    assert checks["actor1"].got is None


def test_eval_score_acled_only_exact_rows_for_place_and_date():
    gold = {**ACLED_GOLD, "latitude": None, "longitude": None, "date": None}
    assert set(by_field(score_acled(gold, {}))) == {
        "event_type",
        "sub_event_type",
        "fatalities",
        "actor1",
    }


def test_eval_score_acled_no_incident_means_zero_fatalities():
    gold = {**ACLED_GOLD, "fatalities": 0}
    assert by_field(score_acled(gold, {}))["fatalities"].ok


@pytest.mark.parametrize(
    "nb_civilians, killed, ok",
    [
        (10, {"min": 10, "max": 10}, True),
        (10, {"min": 12, "max": 12}, True),  # within 20 %
        (10, {"min": 8, "max": None}, True),
        (10, {"min": 13, "max": 13}, False),
        (10, {"min": 7, "max": 7}, False),
        (10, None, False),
        (10, {"min": None, "max": None, "vague": True}, False),
        (0, None, True),  # no civilian deaths and none reported
        (0, {"min": None, "max": None, "vague": True}, True),  # vague counts as none
        (0, {"min": 3, "max": 3}, False),
    ],
)
def test_eval_score_fakes_civilian_deaths(nb_civilians, killed, ok):
    pred = {"counts": {"killed": killed} if killed else {}}
    checks = by_field(score_fakes({"governorate": None, "civilian_deaths": nb_civilians}, pred))
    assert set(checks) == {"civilian_deaths"}
    assert checks["civilian_deaths"].ok is ok


@pytest.mark.parametrize(
    "label, location, ok",
    [
        ("idlib", {"name": "Idlib", "admin1": "Idleb"}, True),
        ("deir ezzor", {"name": "Deir-ez-Zor", "admin1": "Deir-ez-Zor"}, True),
        ("hasakeh", {"name": "Qamishli", "admin1": "Hasakeh"}, True),
        ("aleppo", {"name": "Idlib", "admin1": "Idleb"}, False),
        ("damascus", {"name": "Douma", "admin1": "Rural Damascus"}, True),  # no rif label
        ("raqqa", None, False),
    ],
)
def test_eval_score_fakes_governorate(label, location, ok):
    checks = by_field(
        score_fakes({"governorate": label, "civilian_deaths": None}, {"location": location})
    )
    assert checks["governorate"].ok is ok


@pytest.mark.parametrize("got, ok", [(0, False), (7, True), (8, True), (9, True), (12, False)])
def test_eval_score_ucdp_fatalities_in_range(got, ok):
    gold = {"date": None, "latitude": None, "longitude": None, "low": 7, "best": 7, "high": 9}
    gold["side_a"] = "IS"
    checks = by_field(score_ucdp(gold, {"fatalities": got}))
    assert checks["fatalities"].ok is ok
    assert set(checks) == {"fatalities", "actor1"}


# --------------------------------------------------------------------------- gold


GOLD_PRED = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Remote explosive/landmine/IED",
    "violations": ["killing", "attack on civilians"],
    "fatalities": 3,
    "counts": {
        "killed": {"min": 3, "max": 3, "text": "killed three"},
        "injured": {"min": 5, "max": None},
    },
    "date": {"start": "2021-05-12", "end": "2021-05-12", "precision": 1},
    "location": {
        "name": "Tarmiyah",
        "admin1": "Baghdad",
        "country": "Iraq",
        "latitude": 33.67,
        "longitude": 44.39,
        "precision": 1,
    },
    "actor1": {"name": "Unidentified Armed Group (Iraq)"},
    "actor2": {"name": "Civilians (Iraq)"},
}


@pytest.mark.parametrize(
    "expected, field, ok",
    [
        ({"event_type": "Explosions/Remote violence"}, "event_type", True),
        ({"event_type": "Battles"}, "event_type", False),
        ({"sub_event_type": None}, "sub_event_type", False),
        ({"fatalities": 3}, "fatalities", True),
        ({"fatalities": 4}, "fatalities", False),
        ({"counts": {"killed": {"min": 3, "max": 3}}}, "counts.killed", True),
        ({"counts": {"killed": {"min": 3}}}, "counts.killed", True),
        ({"counts": {"injured": {"min": 5, "max": 5}}}, "counts.injured", False),
        ({"counts": {"injured": {"min": 5, "max": None}}}, "counts.injured", True),
        ({"counts": {"missing": None}}, "counts.missing", True),
        ({"counts": {"missing": {"min": 1, "max": 1}}}, "counts.missing", False),
        ({"date": {"start": "2021-05-12"}}, "date.start", True),
        ({"date": {"end": "2021-05-13"}}, "date.end", False),
        ({"date": {"precision": 1}}, "date.precision", True),
        ({"location": {"name": "Tarmiyah"}}, "location.name", True),
        ({"location": {"name": "Taji"}}, "location.name", False),
        ({"location": {"admin1": "Baghdad"}}, "location.admin1", True),
        ({"location": {"country": "Iraq"}}, "location.country", True),
        ({"location": {"precision": 2}}, "location.precision", False),
        ({"location": {"latitude": 33.75, "longitude": 44.45}}, "location.coordinates", True),
        ({"location": {"latitude": 36.34, "longitude": 43.12}}, "location.coordinates", False),
        ({"actor1": "Unidentified Armed Group (Iraq)"}, "actor1", True),
        ({"actor1": "Islamic State"}, "actor1", False),
        ({"actor2": "Civilians (Iraq)"}, "actor2", True),
        ({"violations": ["attack on civilians", "killing"]}, "violations", True),
        ({"violations": ["killing"]}, "violations", False),
        ({"incident": True}, "incident", True),
        ({"incident": False}, "incident", False),
    ],
)
def test_eval_score_gold_fields(expected, field, ok):
    checks = by_field(score_gold(expected, GOLD_PRED))
    assert set(checks) == {field}  # only what is labelled is scored
    assert checks[field].ok is ok


def test_eval_score_gold_no_incident_expected_and_none_found():
    checks = score_gold({"incident": False, "event_type": "Battles"}, None)
    assert [(c.field, c.ok) for c in checks] == [("incident", True)]


def test_eval_score_gold_missing_incident_fails_every_field():
    checks = by_field(score_gold({"event_type": "Protests", "fatalities": 0, "actor1": "X"}, None))
    assert checks["event_type"].ok is False
    assert checks["fatalities"].ok is True  # no incident = nobody reported killed
    assert checks["actor1"].ok is False


def test_eval_fakes_damascus_label_covers_rural_damascus():
    from harmledger.eval.metrics import score_fakes

    pred = {"location": {"name": "Douma", "admin1": "Rural Damascus", "country": "Syria"}}
    (check,) = score_fakes({"governorate": "damascus"}, pred)
    assert check.ok
    (check,) = score_fakes({"governorate": "aleppo"}, pred)
    assert not check.ok
