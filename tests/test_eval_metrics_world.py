"""harmledger eval: scoring old ACLED rows and HRDsAttack articles, on hand-made predictions
(no extraction involved)."""

from __future__ import annotations

import pytest

from harmledger.eval.metrics import (
    country_name,
    hrds_date,
    perpetrator_side,
    same_country,
    score_acled,
    score_hrdsattack,
)


def by_field(checks):
    out: dict[str, list] = {}
    for c in checks:
        out.setdefault(c.field, []).append(c)
    return out


def test_eval_old_acled_split_type_is_right_either_way():
    gold = {"event_type": ("Protests", "Riots"), "sub_event_type": None, "fatalities": 0}
    gold["actor1"] = "Protesters (Nigeria)"
    for got, ok in (("Riots", True), ("Protests", True), ("Battles", False)):
        checks = by_field(score_acled(gold, {"event_type": got}))
        assert checks["event_type"][0].ok is ok
        assert checks["event_type"][0].expected == "Protests or Riots"
        assert "sub_event_type" not in checks  # an old row says no sub-event type


@pytest.mark.parametrize(
    ("label", "ours", "ok"),
    [
        ("People's Republic of China", "China", True),
        ("Democratic Republic of the Congo", "DR Congo", True),
        ("Greece and India", "India", True),
        ("Turkey", "Türkiye", True),
        ("Kenya", "Uganda", False),
        ("Kenya", None, False),
        # a coder's spelling: the people's adjective, a short form, a one-letter typo
        ("Ethiopian", "Ethiopia", True),
        ("Somali", "Somalia", True),
        ("Bosnia", "Bosnia and Herzegovina", True),
        ("USA", "Puerto Rico", True),  # a territory is labelled by its state, as Hong Kong
        ("Turrkey", "Turkey", True),
        ("Ethiopian", "Eritrea", False),
        ("Nigerian", "Niger", False),  # Nigeria's people
        ("Nigerien", "Niger", True),
        # a typo is only read as one when it names no other country
        ("Gambia", "Zambia", False),
        ("Iraq", "Iran", False),
        # a state, province or constituent country in the country's place
        ("Texas", "United States", True),
        ("Scotland", "United Kingdom", True),
        ("Wales", "Ireland", False),
        ("Punjab", "India", False),  # India's and Pakistan's: names neither
        ("Georgia", "United States", False),  # a country first
    ],
)
def test_eval_same_country_by_any_name(label, ours, ok):
    assert same_country(label, ours) is ok


def test_eval_continent_label_is_not_scored_as_a_country():
    gold = {"country": "Africa", "violation_types": []}
    checks = by_field(score_hrdsattack(gold, {"location": {"country": "Rwanda"}}))
    assert "country" not in checks
    assert [c.expected for c in checks["country.region_label"]] == ["Africa"]
    kenya = by_field(score_hrdsattack({"country": "Kenyan"}, {"location": {"country": "Kenya"}}))
    assert kenya["country"][0].ok


def test_incident_matching_uses_the_same_country_rule():
    from harmledger.eval import incidents, metrics

    assert incidents.same_country is metrics.same_country


@pytest.mark.parametrize("label", ["None", "", None, " unknown "])
def test_eval_country_label_missing(label):
    assert country_name(label) is None


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"year": "2021.0", "month": "02", "date": "26.0"}, ("day", "2021-02-26")),
        ({"year": "2019", "month": "09", "date": None}, ("month", "2019-09")),
        ({"year": "2016.0", "month": None, "date": None}, None),
        ({"year": "2020", "month": "02", "date": "31.0"}, None),
    ],
)
def test_eval_hrds_date_at_its_precision(labels, expected):
    assert hrds_date(labels) == expected


@pytest.mark.parametrize(
    ("actor", "side"),
    [
        ({"name": "Police Forces of Kenya (2013-)"}, "state"),
        ({"name": "Military Forces of Myanmar", "category": "State Forces"}, "state"),
        ({"name": "Unidentified Armed Group (Mexico)", "category": "Unidentified"}, "non-state"),
        ({"name": "Al Shabaab", "category": "Rebel Groups"}, "non-state"),
        (None, None),
    ],
)
def test_eval_perpetrator_side(actor, side):
    assert perpetrator_side(actor) == side


LABELS = {
    "perpetrator_type": "other actors without permissions",
    "violation_types": ["kidnapping", "killing", "other"],
    "year": "2021.0",
    "month": "02",
    "date": "26.0",
    "country": "Nigeria",
    "victims": [
        {"victim_name": "Musa Bello", "victim_type": ["journalist"]},
        {"victim_name": None, "victim_type": ["insufficient information"]},
    ],
}


def test_eval_score_hrdsattack_violations_over_all_incidents():
    main = {
        "violations": ["abduction"],
        "actor1": {"name": "Unidentified Armed Group (Nigeria)"},
        "location": {"country": "Nigeria"},
        "date": {"start": "2021-02-26"},
        "victims": {"types": ["journalists"], "names": [{"text": "Musa Bello"}]},
    }
    other = {"violations": ["torture", "injury"]}
    checks = by_field(score_hrdsattack(LABELS, main, [main, other]))
    # abduction is right, torture is not labelled; injury is no label HRDsAttack has
    assert [(c.got, c.ok) for c in checks["violations.precision"]] == [
        ("abduction", True),
        ("torture", False),
    ]
    # kidnapping was found, killing was not; "other" is not scored
    assert [(c.expected, c.ok) for c in checks["violations.recall"]] == [
        ("abduction", True),
        ("killing", False),
    ]
    assert checks["perpetrator"][0].ok
    assert checks["country"][0].ok
    assert checks["date"][0].ok
    assert checks["victims.type"][0].ok
    assert checks["victims.name"][0].ok


def test_eval_score_hrdsattack_nothing_found():
    checks = by_field(score_hrdsattack(LABELS, {}, []))
    assert "violations.precision" not in checks
    assert [c.ok for c in checks["violations.recall"]] == [False, False]
    assert not checks["perpetrator"][0].ok and not checks["country"][0].ok
    assert not checks["victims.name"][0].ok and not checks["victims.type"][0].ok


def test_eval_score_hrdsattack_unlabelled_fields_are_not_scored():
    labels = {"violation_types": ["other"], "perpetrator_type": "insufficient info"}
    labels.update(country="None", year="2016.0", month=None, date=None, victims=[])
    assert score_hrdsattack(labels, {"violations": ["injury"]}, []) == []
