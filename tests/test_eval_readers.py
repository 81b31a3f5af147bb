"""harmledger eval: reading labelled files (gold JSON Lines, ACLED, FA-KES, UCDP GED)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.errors import ReadError
from harmledger.eval.readers import (
    guess_format,
    lag_days,
    parse_acled_date,
    parse_fakes_date,
    read_acled,
    read_examples,
    read_fakes,
    read_gold,
    read_ucdp,
)

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


@pytest.mark.parametrize(
    "name, fmt",
    [("gold.jsonl", "gold"), ("acled.csv", "acled"), ("fakes.csv", "fakes"), ("ucdp.csv", "ucdp")],
)
def test_eval_guess_format(name, fmt):
    assert guess_format(FIXTURES / name) == fmt


def test_eval_guess_format_unknown_header(tmp_path):
    p = tmp_path / "other.csv"
    p.write_text("id,title,body\n1,a,b\n")
    with pytest.raises(ReadError, match="--format"):
        guess_format(p)


def test_eval_read_gold():
    examples = list(read_gold(FIXTURES / "gold.jsonl"))
    assert [e.id for e in examples] == ["g1", "g2", "g3", "g4", "g5", "g6"]
    g1 = examples[0]
    assert g1.published == date(2021, 4, 5)
    assert g1.tags == ("event:vac", "count:simple")
    assert g1.gold["counts"] == {"killed": {"min": 2, "max": 2}}
    assert examples[3].gold == {"incident": False}


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "x", "text": ', "line 2: not JSON"),
        ('{"id": "x"}', "line 2: an example needs a non-empty 'text'"),
        ('{"id": "x", "text": "A bomb.", "expected": []}', "'expected' must be an object"),
        ('{"id": "x", "text": "A bomb.", "tags": "a"}', "'tags' must be a list"),
        ('{"id": "x", "text": "A bomb.", "published": "12/05/21"}', "'published' must be"),
        ('["x"]', "must be a JSON object"),
    ],
)
def test_eval_read_gold_errors(tmp_path, line, message):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "ok", "text": "Fine."}\n' + line + "\n")
    with pytest.raises(ReadError, match=message):
        list(read_gold(p))


def test_eval_read_gold_skips_blank_lines_and_numbers_missing_ids(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text('\n{"text": "Gunmen killed a man."}\n')
    [e] = read_gold(p)
    assert e.id == "line-2"
    assert e.published is None and e.gold == {} and e.tags == ()


def test_eval_read_acled():
    examples = list(read_acled(FIXTURES / "acled.csv"))
    assert len(examples) == 6
    first = examples[0]
    assert first.text.startswith("On 4 March 2021, Islamic State")
    assert 0 <= (first.published - date(2021, 3, 4)).days <= 3
    assert first.gold["event_type"] == "Violence against civilians"
    assert first.gold["fatalities"] == 2
    assert first.gold["date"] == "2021-03-04"
    assert first.gold["latitude"] == pytest.approx(35.3213)
    by_id = {e.id: e for e in examples}
    assert by_id["TST003"].gold["latitude"] is None  # geo_precision 2: not scored
    assert by_id["TST004"].gold["date"] is None  # time_precision 2: not scored


def test_eval_read_acled_missing_columns(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("event_id,event_date,notes\nX1,2020-01-01,Something.\n")
    with pytest.raises(ReadError, match="missing column"):
        list(read_acled(p))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-01", date(2025, 4, 1)),
        ("2021-01-04T00:00:00Z", date(2021, 1, 4)),
        ("9-May-20", date(2020, 5, 9)),
        ("1-Dec-23", date(2023, 12, 1)),
        ("28 December 2022", date(2022, 12, 28)),
        ("01-05-19", date(2019, 5, 1)),  # ACLED writes the day first
        ("31-01-19", date(2019, 1, 31)),
        (" 2020-03-01 ", date(2020, 3, 1)),
        ("yesterday", None),
        ("2020-13-01", None),
    ],
)
def test_eval_parse_acled_date(value, expected):
    assert parse_acled_date(value) == expected


def test_eval_read_acled_export_as_downloaded(tmp_path):
    """ACLED's own exports call the id event_id_cnty and write dates as 9-May-20."""
    p = tmp_path / "export.csv"
    p.write_text(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
        "location,latitude,longitude,geo_precision,fatalities,notes\n"
        "SOM51234,9-May-20,2020,1,Battles,Armed clash,Al Shabaab,Afgooye,2.1417,45.1208,1,3,"
        '"On 9 May 2020, Al Shabaab attacked a military base in Afgooye."\n'
    )
    assert guess_format(p) == "acled"
    (e,) = read_acled(p)
    assert e.id == "SOM51234"
    assert e.gold["date"] == "2020-05-09"
    assert 0 <= (e.published - date(2020, 5, 9)).days <= 3


def test_eval_read_acled_unreadable_date_names_the_row(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,notes\n"
        "IRQ1,2020-01-01,Battles,Armed clash,One.\nIRQ2,sometime,Battles,Armed clash,Two.\n"
    )
    with pytest.raises(ReadError, match=r"bad.csv:3.*IRQ2.*'sometime'"):
        list(read_acled(p))


def test_eval_read_fakes():
    examples = list(read_fakes(FIXTURES / "fakes.csv"))
    assert [e.gold["governorate"] for e in examples] == [
        "idlib",
        "aleppo",
        "deir ezzor",
        "raqqa",
        "damascus",
    ]
    assert examples[0].published == date(2017, 3, 5)
    assert examples[2].gold["civilian_deaths"] == 0


def test_eval_read_ucdp_keeps_rows_with_a_headline():
    examples = list(read_ucdp(FIXTURES / "ucdp.csv"))
    assert [e.id for e in examples] == ["900001", "900002", "900003", "900005"]
    first = examples[0]
    assert first.text == "Iraqi troops kill seven Islamic State fighters near Baiji"
    assert first.gold["date"] == "2015-04-02"
    assert (first.gold["low"], first.gold["high"]) == (7, 9)
    assert examples[1].gold["date"] is None  # date_prec 2
    assert examples[1].gold["latitude"] is None  # where_prec 2


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3/22/17", date(2017, 3, 22)),
        ("12/1/16", date(2016, 12, 1)),
        ("2016-12-01", date(2016, 12, 1)),
        ("yesterday", None),
    ],
)
def test_eval_parse_fakes_date(value, expected):
    assert parse_fakes_date(value) == expected


@given(st.text(min_size=1, max_size=30))
def test_eval_lag_is_fixed_and_small(key):
    assert lag_days(key) == lag_days(key)
    assert 0 <= lag_days(key) <= 3


def test_eval_lag_known_value():
    # sha256 is the same everywhere, so the lag of a row never changes between machines
    assert [lag_days(k) for k in ("IRQ1", "IRQ2", "IRQ3")] == [
        int(__import__("hashlib").sha256(k.encode()).hexdigest(), 16) % 4
        for k in ("IRQ1", "IRQ2", "IRQ3")
    ]


def test_eval_read_examples_unknown_format():
    with pytest.raises(ValueError, match="unknown format"):
        read_examples(FIXTURES / "gold.jsonl", format="gdelt")
