"""``harmledger eval``: one tiny made-up file of each format, tables, --json, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def run(*args: str):
    return CliRunner().invoke(main, ["eval", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "name, fmt, documents, fields",
    [
        ("gold.jsonl", "gold", 6, {"event_type", "fatalities", "incident", "counts.killed"}),
        (
            "acled.csv",
            "acled",
            6,
            {"event_type", "sub_event_type", "fatalities", "location", "date", "actor1"},
        ),
        ("fakes.csv", "fakes", 5, {"governorate", "civilian_deaths"}),
        ("ucdp.csv", "ucdp", 4, {"date", "location", "fatalities", "actor1"}),
    ],
)
def test_eval_cli_json_guesses_format(name, fmt, documents, fields):
    result = run(str(FIXTURES / name), "--json")
    assert result.exit_code == 0
    d = json.loads(result.output)
    assert d["format"] == fmt
    assert d["documents"] == documents
    assert fields <= set(d["fields"])
    for score in d["fields"].values():
        assert 0 <= score["correct"] <= score["total"]


@pytest.mark.parametrize("name", ["gold.jsonl", "acled.csv", "fakes.csv", "ucdp.csv"])
def test_eval_cli_table(name):
    result = run(str(FIXTURES / name))
    assert result.exit_code == 0  # a measurement, not a gate
    assert "field" in result.output and "accuracy" in result.output
    assert "correct/total" in result.output


def test_eval_cli_explicit_format_limit_and_errors(tmp_path):
    # a wrong answer on purpose: the label says Battles, the text is a protest
    p = tmp_path / "one.jsonl"
    p.write_text(
        json.dumps(
            {
                "id": "p1",
                "text": "Hundreds of students protested peacefully in Basra on Monday "
                "demanding jobs.",
                "published": "2021-01-12",
                "expected": {"event_type": "Battles"},
            }
        )
        + "\n"
        + json.dumps({"id": "p2", "text": "Gunmen shot dead a lawyer in Basra.", "expected": {}})
        + "\n"
    )
    result = run(str(p), "--format", "gold", "--limit", "1", "--errors", "5")
    assert result.exit_code == 0
    assert "1 documents (gold)" in result.output
    assert "event_type" in result.output
    assert "top confusions" in result.output
    assert "- p1  event_type: expected Battles" in result.output
    assert "Hundreds of students protested" in result.output


def test_eval_cli_unknown_header_is_a_clear_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["eval", str(p)])
    assert result.exit_code == 2
    assert "--format" in result.output


def test_eval_cli_help_has_example():
    result = CliRunner().invoke(main, ["eval", "--help"])
    assert "Example: harmledger eval" in result.output
    for opt in ("--format", "--limit", "--errors", "--json"):
        assert opt in result.output
