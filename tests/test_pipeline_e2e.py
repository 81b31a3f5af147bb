"""The whole pipeline on reports written in the style of wire stories and NGO pages."""

from pathlib import Path

import pytest

import harmledger
from harmledger.config import Settings
from harmledger.export import dataframe
from harmledger.ingest import read_text
from harmledger.model import Document
from harmledger.pipeline.pipeline import pipeline_for
from harmledger.store import Filters

REPORTS = Path(__file__).parent / "fixtures" / "reports"
EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def militia():
    text = (REPORTS / "militia-revenge.txt").read_text()
    return text, [i.to_contract() for i in harmledger.extract(text, published="2017-03-08")]


def _one(incidents, predicate):
    found = [i for i in incidents if predicate(i)]
    assert found, [(i["sub_event_type"], i["counts"]) for i in incidents]
    return found[0]


def _cleaned(text: str) -> str:
    return read_text("x", text, Settings()).text


def test_pipeline_boilerplate_is_not_in_the_text(militia):
    text, _ = militia
    cleaned = _cleaned(text)
    for junk in (
        "No featured image available",
        "Follow Dana Kareem",
        "Send tips",
        "All content created",
    ):
        assert junk not in cleaned
    assert "Imam Gharbi" in cleaned


def test_pipeline_executions_with_composite_count(militia):
    _, incidents = militia
    inc = _one(incidents, lambda i: i["counts"].get("killed", {}).get("min") == 12)
    assert inc["counts"]["killed"] == {
        **inc["counts"]["killed"],
        "min": 12,
        "max": 12,
        "children": 3,
    }
    assert inc["fatalities"] == 12
    assert (inc["event_type"], inc["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert "killing" in inc["violations"]
    assert inc["date"]["start"] == inc["date"]["end"] == "2016-06-14"
    assert inc["date"]["precision"] == 1
    assert inc["location"]["name"] == "Qaryat Imam Gharbi"
    assert inc["location"]["admin1"] == "Ninewa" and inc["location"]["country"] == "Iraq"
    assert inc["location"]["precision"] == 1
    assert inc["actor1"]["name"] == "Popular Mobilization Forces"
    assert inc["actor1"]["text"] == "fighters in PMF uniforms"
    assert inc["actor2"]["name"] == "Civilians (Iraq)"


def test_pipeline_missing_men_inherit_date_and_place(militia):
    _, incidents = militia
    inc = _one(incidents, lambda i: "missing" in i["counts"])
    assert inc["counts"]["missing"]["min"] == inc["counts"]["missing"]["max"] == 22
    assert inc["sub_event_type"] == "Abduction/forced disappearance"
    assert "enforced disappearance" in inc["violations"]
    assert inc["date"]["start"] == "2016-06-14"
    assert inc["location"]["name"] == "Qaryat Imam Gharbi"


def test_pipeline_a_cumulative_displacement_total_is_no_incident(militia):
    # "More than 3 million Iraqis have been displaced by the conflict since 2014": a total
    # over years of war, which a coder records as no event
    _, incidents = militia
    assert not [i for i in incidents if "displaced" in i["counts"]]


def test_pipeline_testimonies_keep_identity_status(militia):
    _, incidents = militia
    quotes = {(q["speaker"], q["identity"]) for i in incidents for q in i["quotes"]}
    assert ("one survivor", "anonymous") in quotes
    assert ("Noor", "pseudonym") in quotes


def test_pipeline_place_relative_to_a_city_has_precision_2(militia):
    _, incidents = militia
    inc = _one(incidents, lambda i: (i["location"] or {}).get("name") == "Mosul")
    assert inc["location"]["precision"] == 2
    assert inc["location"]["text"] == "west of Mosul"


def test_pipeline_every_span_points_at_its_words(militia):
    text, incidents = militia
    cleaned = _cleaned(text)
    for inc in incidents:
        for key in ("actor1", "actor2", "location"):
            v = inc[key]
            if v and v.get("text"):
                assert cleaned[v["start"] : v["end"]] == v["text"]
        for c in inc["counts"].values():
            assert cleaned[c["start"] : c["end"]] == c["text"]
        if inc["date"]:
            d = inc["date"]
            assert cleaned[d["start_char"] : d["end_char"]] == d["text"]
        for e in inc["evidence"]:
            assert 0 <= e["start"] < e["end"] <= len(cleaned)
            assert e["text"] == cleaned[e["start"] : e["end"]]  # the contract carries the words


def test_pipeline_versions_are_recorded(militia):
    _, incidents = militia
    versions = incidents[0]["versions"]
    for stage in (
        "sentences",
        "triggers",
        "actors",
        "counts",
        "dates",
        "places",
        "quotes",
        "assemble",
    ):
        assert versions[stage].startswith(stage + ".v")


def test_pipeline_api_matches_the_cli_ids(militia):
    text, incidents = militia
    again = harmledger.extract(text, published="2017-03-08")
    assert [i.incident_id for i in again] == [i["incident_id"] for i in incidents]
    other_day = harmledger.extract(text, published="2017-03-09")
    assert len(other_day) == len(incidents)


def test_pipeline_html_page(tmp_path):
    html = (EXAMPLES / "ngo-idlib-airstrike.html").read_text()
    incidents = [i.to_contract() for i in harmledger.extract(html, html=True)]
    main = max(incidents, key=lambda i: i["confidence"])
    assert main["sub_event_type"] == "Air/drone strike"
    assert main["counts"]["killed"]["min"] == 14 and main["counts"]["killed"]["max"] is None
    assert main["counts"]["killed"]["children"] == 3
    assert main["date"]["start"] == "2019-07-22"  # "on Monday", published 24 July 2019
    assert main["location"]["country"] == "Syria" and main["location"]["admin1"] == "Idleb"
    assert any(q["speaker"] == "Abu Hassan" and q["identity"] == "named" for q in main["quotes"])


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "On 15 May 2020, IS militants shot and killed a Kurdish resident near Khanaqin district, Diyala province.",
            "2020-05-18",
            {
                "event_type": "Violence against civilians",
                "fatalities": 1,
                "actor1": "Islamic State",
                "actor2": "Civilians (Iraq)",
                "place": "Khanaqin",
                "precision": 2,
            },
        ),
        (
            "On 20 September 2019, Turkish artillery shelled the village of Kani Masi in Amedi district, Duhok province. No casualties were reported.",
            "2019-09-23",
            {
                "event_type": "Explosions/Remote violence",
                "fatalities": 0,
                "actor1": "Military Forces of Turkey",
            },
        ),
        (
            "On 1 July 2020, clashes broke out between the Iraqi army and IS militants in the Makhmour mountains. Two soldiers and five militants were killed.",
            "2020-07-03",
            {"event_type": "Battles", "fatalities": 7},
        ),
        (
            "As reported on June 7, police forces arrested 4 suspected IS members in Hawija district, Kirkuk province.",
            "2019-06-09",
            {"event_type": "Strategic developments", "date": "2019-06-07"},
        ),
        (
            "On 25 October 2019, security forces fired live ammunition at protesters in Tahrir Square in Baghdad, killing 3 demonstrators.",
            "2019-10-28",
            {"event_type": "Protests", "fatalities": 3, "place": "Tahrir Square"},
        ),
    ],
)
def test_pipeline_coder_notes(text, published, expected):
    incidents = harmledger.extract(text, published=published)
    main = max(incidents, key=lambda i: i.confidence).to_contract()
    assert main["event_type"] == expected["event_type"]
    if "fatalities" in expected:
        assert main["fatalities"] == expected["fatalities"]
    if "actor1" in expected:
        assert main["actor1"]["name"] == expected["actor1"]
    if "actor2" in expected:
        assert main["actor2"]["name"] == expected["actor2"]
    if "place" in expected:
        assert main["location"]["name"] == expected["place"]
    if "precision" in expected:
        assert main["location"]["precision"] == expected["precision"]
    if "date" in expected:
        assert main["date"]["start"] == expected["date"]


def test_pipeline_document_without_events_gives_no_incident():
    text = "The ministry announced a new budget for schools in Basra on Monday."
    assert harmledger.extract(text, published="2020-01-01") == []


def test_pipeline_ledger_dataframe(tmp_path):
    settings = Settings()
    pipeline = pipeline_for(settings)
    doc: Document = read_text("r.txt", (REPORTS / "militia-revenge.txt").read_text(), settings)
    with harmledger.Ledger(tmp_path / "l.db") as ledger:
        ledger.add(pipeline(doc), pipeline_version=pipeline.version)
        df = dataframe(ledger, Filters(violation="killing"))
    assert len(df) >= 2
    assert {"event_type", "fatalities", "actor1", "location"} <= set(df.columns)
    assert df["fatalities"].max() == 12


def test_pipeline_api_uses_one_pipeline_for_any_publication_date():
    from harmledger.pipeline.pipeline import pipeline_for

    pipeline_for.cache_clear()
    text = "On Tuesday gunmen shot dead three farmers in the village of Albu Ajil."
    first = harmledger.extract(text, published="2020-05-21")[0].to_contract()
    second = harmledger.extract(text, published="2020-06-25")[0].to_contract()
    assert (first["date"]["start"], second["date"]["start"]) == ("2020-05-19", "2020-06-23")
    assert pipeline_for.cache_info().currsize == 1
