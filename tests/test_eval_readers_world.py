"""harmledger eval reads labelled data as users download it: ACLED exports of every vintage
(pre-2019 event types, upper-case columns, other orders, semicolons), UCDP GED with or
without a source_headline column, and HRDsAttack's JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from harmledger.errors import ReadError
from harmledger.eval import evaluate
from harmledger.eval.readers import (
    acled_types,
    column_name,
    guess_format,
    paragraphs,
    read_acled,
    read_hrdsattack,
    read_ucdp,
    ucdp_text,
)
from harmledger.eval.training import read_labelled

#: an ACLED export made before 2019 (version 8 and older): upper-case columns, ALLY_ACTOR_1,
#: no SUB_EVENT_TYPE, the old event types
OLD_ACLED = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n"
    "475,NIG1201,1201,14/03/2015,2015,1,Battle-No change of territory,Boko Haram,,2,"
    "Military Forces of Nigeria (2015-),,1,12,Nigeria,Borno,Gwoza,,Gwoza,11.0833,13.6950,1,"
    'Reuters,"Troops fought Boko Haram fighters outside Gwoza on Saturday; nine insurgents '
    'were killed.",9\n'
    "475,NIG1202,1202,15/03/2015,2015,1,Riots/Protests,Protesters (Nigeria),,6,,,0,60,"
    'Nigeria,Lagos,Ikeja,,Ikeja,6.6018,3.3515,1,Punch,"Traders marched in Ikeja against '
    'the closure of the market.",0\n'
    "475,NIG1203,1203,16/03/2015,2015,1,Remote violence,Boko Haram,,2,Civilians (Nigeria),,7,"
    '27,Nigeria,Yobe,Damaturu,,Damaturu,11.7470,11.9608,1,AFP,"A bomb hidden in a '
    'bag exploded at a bus stop in Damaturu, killing four travellers.",4\n'
)


def test_eval_old_acled_export_is_recognised_and_read(tmp_path):
    p = tmp_path / "acled_2015.csv"
    p.write_text(OLD_ACLED)
    assert guess_format(p) == "acled"
    battle, protest, bomb = read_acled(p)
    assert battle.id == "NIG1201"
    assert battle.published is not None and 0 <= (battle.published - date(2015, 3, 14)).days <= 3
    assert (battle.gold["event_type"], battle.gold["sub_event_type"]) == ("Battles", "Armed clash")
    assert battle.gold["fatalities"] == 9 and battle.gold["date"] == "2015-03-14"
    assert protest.gold["event_type"] == ("Protests", "Riots")  # split in 2019: either is right
    assert protest.gold["sub_event_type"] is None  # the old type does not say it
    assert bomb.gold["event_type"] == "Explosions/Remote violence"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Battle-Government regains territory", ("Battles", "Government regains territory")),
        (
            "Battle - Non-state actor overtakes territory",
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            "Headquarters or base established",
            ("Strategic developments", "Headquarters or base established"),
        ),
        ("Violence against civilians", ("Violence against civilians", None)),
        ("Strategic development", ("Strategic developments", None)),
    ],
)
def test_eval_acled_old_event_types_become_2019_types(old, new):
    assert acled_types(old, "") == new


def test_eval_acled_new_types_are_kept_as_they_are():
    assert acled_types("Violence against civilians", "Attack") == (
        "Violence against civilians",
        "Attack",
    )
    assert acled_types("", "") == (None, None)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("EVENT_ID_CNTY", "event_id_cnty"),
        (" Event Date ", "event_date"),
        ("\ufeffevent_id_cnty", "event_id_cnty"),
        ("ALLY_ACTOR_1", "assoc_actor_1"),
        ("sub-event-type", "sub_event_type"),
    ],
)
def test_eval_column_names_any_case_or_vintage(header, name):
    assert column_name(header) == name


def test_eval_acled_semicolons_and_other_column_order(tmp_path):
    """A spreadsheet's "save as CSV" in many locales separates cells with semicolons."""
    p = tmp_path / "acled_semicolons.csv"
    p.write_text(
        "notes;fatalities;Event_Type;Sub_Event_Type;event_date;event_id_cnty;time_precision\n"
        '"On 2 May 2022, gunmen; shot a trader dead in Gao.";1;Violence against civilians;'
        "Attack;2 May 2022;MLI9001;1\n"
        ";;;;;;\n"
    )
    assert guess_format(p) == "acled"
    (e,) = read_acled(p)
    assert e.id == "MLI9001"
    assert e.text == "On 2 May 2022, gunmen; shot a trader dead in Gao."
    assert e.gold["date"] == "2022-05-02" and e.gold["fatalities"] == 1


def test_eval_acled_rows_without_notes_are_no_examples(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,notes\n"
        "SOM1,2020-01-01,Battles,Armed clash,\n"
        'SOM2,2020-01-02,Battles,Armed clash,"Al Shabaab attacked a base near Afgooye."\n'
    )
    assert [e.id for e in read_acled(p)] == ["SOM2"]


def test_eval_train_reads_an_old_acled_export(tmp_path):
    p = tmp_path / "acled_2015.csv"
    p.write_text(OLD_ACLED)
    rows = read_labelled(p)
    assert [r.label for r in rows] == [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", None),
    ]
    # a row split into two types in 2019 teaches no single type
    assert "NIG1202" not in {r.id for r in rows}


# --------------------------------------------------------------------------- UCDP GED

UCDP_HEADER = (
    "id,year,type_of_violence,side_a,side_b,source_article,source_headline,where_prec,"
    "where_coordinates,latitude,longitude,date_prec,date_start,date_end,low,best,high\n"
)


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (
            {"source_headline": "Troops kill six militants near Baiji;Six IS fighters die"},
            "Troops kill six militants near Baiji\n\nSix IS fighters die",
        ),
        (
            {
                "source_article": '"Agence France Presse,2014-01-25,Bomb kills nine in '
                'Baquba market";"Reuters News,2014-01-25,Car bomb hits Baquba"'
            },
            "Bomb kills nine in Baquba market\n\nCar bomb hits Baquba",
        ),
        (
            {"source_article": "AFP 2009-03-15 Kurdish rebels say four fighters killed"},
            "Kurdish rebels say four fighters killed",
        ),
        ({"source_article": "r 25/2"}, ""),
        ({"text": "The whole article.", "source_headline": "A headline"}, "The whole article."),
    ],
)
def test_eval_ucdp_text_from_headlines_or_citations(row, text):
    assert ucdp_text(row) == text


def test_eval_ucdp_export_without_a_headline_column(tmp_path):
    """Older GED versions carry the headline only inside the source_article citation."""
    p = tmp_path / "ged.csv"
    p.write_text(
        "id,side_a,side_b,source_article,where_prec,where_coordinates,latitude,longitude,"
        "date_prec,date_start,date_end,low,best,high\n"
        '81,Government of Iraq,IS,"AFP 2015-04-02 Iraqi troops kill seven jihadists near '
        'Baiji",1,Bayji town,34.929,43.493,1,2015-04-02 00:00:00.000,2015-04-02,7,7,9\n'
        "82,Government of Iraq,IS,r 7/4,1,Ramadi town,33.42,43.29,1,2015-04-07,2015-04-07,1,1,1\n"
    )
    assert guess_format(p) == "ucdp"
    (e,) = read_ucdp(p)
    assert e.id == "81"
    assert e.text == "Iraqi troops kill seven jihadists near Baiji"
    assert e.gold["date"] == "2015-04-02" and e.gold["low"] == 7


# --------------------------------------------------------------------------- HRDsAttack


def hrds_sample(n: int, **labels: object) -> dict:
    merged = {
        "perpetrator_mention": True,
        "perpetrator_type": "state actor",
        "violation_types": ["arbitrary detention"],
        "year": "2021.0",
        "month": "06",
        "date": "3.0",
        "city": "None",
        "region": "None",
        "country": "Kenya",
        "victims": [],
    }
    merged.update(labels)
    return {
        "sample": {
            "Input.GLOBALEVENTID": 1000 + n,
            "Input.title": "Police detain radio reporter in Kisumu",
            "Input.publish_date": "2021-06-05 08:10:00",
            "Input.article_interface": (
                "<p>Police in Kisumu arrested Jane Atieno, a reporter for a community radio "
                "station, on Thursday as she covered a protest over evictions.</p> "
                "<p>Her editor said she was held overnight &amp; released without charge.</p>"
            ),
            "Input.batch_idx": 1,
            "HIT_id": f"HIT{n}",
        },
        "annotations": [],
        "merged_sample": merged,
    }


def test_eval_hrdsattack_json_is_recognised_and_read(tmp_path):
    p = tmp_path / "dev.json"
    p.write_text(json.dumps([hrds_sample(1), hrds_sample(2, country="Uganda")]))
    assert guess_format(p) == "hrdsattack"
    first, second = read_hrdsattack(p)
    assert first.id == "1001"
    assert first.published == date(2021, 6, 5)
    assert first.text.startswith("Police detain radio reporter in Kisumu\n\nPolice in Kisumu")
    assert "held overnight & released" in first.text
    assert first.gold["violation_types"] == ["arbitrary detention"]
    assert second.gold["country"] == "Uganda"


def test_eval_hrdsattack_json_lines_too(tmp_path):
    p = tmp_path / "dev.jsonl"
    p.write_text(json.dumps(hrds_sample(1)) + "\n" + json.dumps(hrds_sample(2)) + "\n")
    assert guess_format(p) == "hrdsattack"
    assert [e.id for e in read_hrdsattack(p)] == ["1001", "1002"]


def test_eval_hrdsattack_rejects_other_json(tmp_path):
    p = tmp_path / "other.json"
    p.write_text(json.dumps([{"sample": {}, "merged_sample": {}}, {"title": "x"}]))
    with pytest.raises(ReadError, match="sample 2: not an HRDsAttack sample"):
        list(read_hrdsattack(p))


def test_eval_paragraphs_of_article_html():
    html = "<p>First &quot;part&quot;.</p>\n<p><b>Second</b> part<br>goes on.</p><p> </p>"
    assert paragraphs(html) == 'First "part".\n\nSecond part\n\ngoes on.'


def test_eval_hrdsattack_end_to_end(tmp_path):
    """Extraction on an article written for this test, scored against its labels."""
    p = tmp_path / "dev.json"
    p.write_text(json.dumps([hrds_sample(1)]))
    report = evaluate(p, format="hrdsattack")
    assert report.documents == 1
    assert report.fields["violations.recall"].total == 1
    assert report.fields["country"].total == 1
    assert report.fields["perpetrator"].total == 1
    assert report.fields["date"].total == 1
