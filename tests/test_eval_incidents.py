"""The incident precision/recall evaluation: reading labelled articles and matching."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main as cli
from harmledger.errors import ReadError
from harmledger.eval.incidents import (
    LabelledIncident,
    agreement,
    evaluate_incidents,
    match,
    read_incident_articles,
)

SETS = Path(__file__).parent / "incidents"

GOLD = LabelledIncident(
    event_type="Explosions/Remote violence",
    start=date(2023, 3, 14),
    end=date(2023, 3, 14),
    places=("Kherson",),
    country="Ukraine",
    killed=(3, 4),
)


def pred(**kw):
    out = {
        "event_type": "Explosions/Remote violence",
        "fatalities": 3,
        "date": {"start": "2023-03-14", "end": "2023-03-14"},
        "location": {"name": "Kherson", "admin1": None, "country": "Ukraine"},
    }
    out.update(kw)
    return out


@pytest.mark.parametrize(
    ("changes", "ok", "strict"),
    [
        ({}, True, True),
        ({"fatalities": 4}, True, True),
        ({"fatalities": 8}, False, False),  # a toll outside the credible range
        ({"event_type": "Battles"}, False, False),
        ({"date": {"start": "2023-03-10", "end": "2023-03-10"}}, False, False),
        ({"date": {"start": "2023-03-13", "end": "2023-03-19"}}, True, True),  # a week's range
        ({"date": None}, True, False),  # no date is no disagreement, but not strict
        ({"location": {"name": "Kharkiv", "country": "Ukraine"}}, False, False),
        ({"location": {"name": None, "country": "Ukraine"}}, True, False),
        ({"location": {"name": None, "country": "Russia"}}, False, False),
        ({"location": None}, True, False),
    ],
)
def test_incidents_agreement(changes, ok, strict):
    assert agreement(pred(**changes), GOLD) == (ok, strict)


def test_incidents_match_is_one_to_one():
    # the same strike told twice is one match and one false positive
    assert match([pred(), pred(fatalities=4)], [GOLD]) == [(0, 0, True)]


def test_incidents_match_finds_the_largest_assignment():
    other = LabelledIncident(
        event_type="Explosions/Remote violence",
        start=GOLD.start,
        end=GOLD.end,
        places=("Kherson",),
        country="Ukraine",
        killed=(3, 3),
    )
    # the first prediction fits both labels, the second only the first: both must match
    got = match([pred(fatalities=3), pred(fatalities=4)], [other, GOLD])
    assert sorted((i, j) for i, j, _ in got) == [(0, 0), (1, 1)]


@pytest.mark.parametrize("name", ["dev.jsonl", "heldout.jsonl"])
def test_incident_sets_are_readable_and_large_enough(name):
    articles = list(read_incident_articles(SETS / name))
    assert len(articles) >= 30
    assert len({a.id for a in articles}) == len(articles)
    countries = {i.country for a in articles for i in a.incidents}
    assert len(countries) >= 15
    for a in articles:
        for i in a.incidents:
            assert a.published is None or i.start <= a.published, a.id


def test_incident_reader_names_a_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    line = {
        "id": "x",
        "text": "Gunmen killed two men in Gao.",
        "incidents": [{"event_type": "War"}],
    }
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(ReadError, match="line 1"):
        list(read_incident_articles(path))


def test_incidents_evaluation_scores_a_small_set(tmp_path):
    path = tmp_path / "set.jsonl"
    article = {
        "id": "t1",
        "published": "2022-05-04",
        "text": "Gunmen shot dead four traders at a market in Gao on Tuesday, a local official "
        "said. Violence in the region has killed more than 2,000 people since 2012.",
        "incidents": [
            {
                "event_type": "Violence against civilians",
                "date": ["2022-05-03", "2022-05-03"],
                "place": ["Gao"],
                "country": "Mali",
                "killed": [4, 4],
            }
        ],
    }
    path.write_text(json.dumps(article) + "\n")
    report = evaluate_incidents(path)
    assert (report.articles, report.labelled) == (1, 1)
    assert report.matched == 1
    assert report.recall == 1.0
    out = CliRunner().invoke(cli, ["eval", str(path), "--incidents", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["matched"] == 1
