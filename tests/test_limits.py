"""Values that cannot be true are dropped with a note on the incident, never stored as
another number, never a crash: tolls beyond the world's population, dates before 1900 or
more than a year after publication, publication dates no report can have."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from harmledger.api import extract
from harmledger.cli import main
from harmledger.config import Settings
from harmledger.errors import ConfigError, ReadError
from harmledger.ingest import read_jsonl, read_text
from harmledger.limits import WORLD_POPULATION, implausible_date, plausible_publication
from harmledger.pipeline.counts import parse_counts
from harmledger.runner import ingest
from harmledger.store import Ledger


@pytest.mark.parametrize(
    "number",
    ["99999999999999999999", "1e308", "9" * 5000, "8,200,000,001", "1e999999999", "2E12"],
)
def test_limits_a_toll_beyond_the_world_population_is_dropped_with_a_note(number: str) -> None:
    text = f"On 3 May 2021 gunmen killed {number} civilians in Mosul, police said."
    (inc,) = extract(text, published="2021-05-04")
    out = inc.to_contract()
    assert out["counts"] == {} and out["fatalities"] == 0
    (note,) = out["dropped"]
    assert note["field"] == "counts.killed"
    assert note["text"].startswith(number) and text[note["start"] : note["end"]] == note["text"]
    assert "more people than live on Earth" in note["reason"]
    json.dumps(out)  # no integer of thousands of digits anywhere


def test_limits_counts_up_to_the_world_population_are_counts() -> None:
    assert parse_counts("The war killed 8,200,000,000 people.")[0][2].min == WORLD_POPULATION
    assert parse_counts("Clashes killed 1e3 people.")[0][2].min == 1000
    # "1e308" is one number, not "308 killed"
    assert all(v.min != 308 for _, _, v in parse_counts("1e308 killed in the blast."))


def test_limits_dates_before_1900_or_long_after_publication_are_dropped() -> None:
    text = (
        "Gunmen killed five civilians in Mosul on 3 May 1850, a post claimed. "
        "Militants killed two farmers in Kirkuk on 5 May 2031, officials said."
    )
    incidents = extract(text, published="2021-05-06")
    notes = [n for i in incidents for n in i.to_contract().get("dropped", [])]
    assert {n["text"] for n in notes} == {"on 3 May 1850", "on 5 May 2031"}
    assert {n["field"] for n in notes} == {"date"}
    for inc in incidents:
        d = inc.to_contract()["date"]
        assert d is None or ("1850" not in d["text"] and "2031" not in d["text"])


def test_limits_implausible_date_rules() -> None:
    pub = date(2021, 5, 6)
    assert implausible_date(date(1899, 12, 31), pub) == "early"
    assert implausible_date(date(1900, 1, 1), pub) is None
    assert implausible_date(date(2022, 5, 7), pub) is None
    assert implausible_date(date(2022, 5, 8), pub) == "late"
    assert implausible_date(date(2031, 1, 1), None, today=date(2021, 1, 1)) == "late"
    assert plausible_publication(date(2021, 5, 6))
    assert not plausible_publication(date(1, 1, 1))
    assert not plausible_publication(date(9999, 12, 31))


def test_limits_a_publication_date_no_report_can_have_is_refused_with_a_message() -> None:
    with pytest.raises(ConfigError, match="cannot be the date a report was published"):
        Settings(published=date(1, 1, 1))
    result = CliRunner().invoke(
        main, ["extract", "-", "--published", "0001-01-01"], input="Gunmen killed 5 on Monday."
    )
    assert result.exit_code == 2
    assert "cannot be the date a report was published" in result.output
    assert "report this as a bug" not in result.output
    line = json.dumps({"id": "x", "text": "Gunmen killed 5 on Monday.", "published": "0001-01-01"})
    (err,) = read_jsonl("x.jsonl", line, Settings())
    assert isinstance(err, ReadError) and "cannot be the date a report was published" in err.reason
    # a dateline no report can carry is not used as the publication date
    doc = read_text("d.txt", "BAGHDAD, 3 May 1066 (AFP) - Gunmen killed 5 people.", Settings())
    assert doc.meta.published is None


def test_limits_a_dropped_value_is_stored_and_read_back(db_url: str, tmp_path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("On 3 May 2021 gunmen killed 99999999999999999999 civilians in Mosul.")
    with Ledger(db_url) as lg:
        summary = ingest(lg, [str(path)], Settings(published=date(2021, 5, 4)))
        assert (summary.new, summary.failed) == (1, 0)
        (rec,) = lg.incidents()
    (note,) = rec.to_dict()["dropped"]
    assert note["field"] == "counts.killed" and note["start"] == 28
    assert rec.incident.fatalities == 0 and rec.incident.counts == {}
