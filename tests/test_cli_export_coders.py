"""Exports as coders expect them (issue 12): ACLED's columns filled, the publisher (never a
file name) as the source, incidents placed only to a country kept on the map, filters that
refuse values no incident can have, and one way of showing an unknown toll."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from harmledger.cli import main

REPORTS = [
    {
        "id": "wire-mopti",
        "publisher": "Sahel Wire",
        "url": "https://example.org/sahel/mopti-teachers",
        "published": "2022-04-13",
        "text": "Gunmen abducted four teachers from a school near Mopti, Mali, on Tuesday, a "
        "local official said. Their families have had no news of them.",
    },
    {
        "id": "wire-gao",
        "publisher": "Sahel Wire",
        "published": "2022-04-20",
        "text": "Jihadist fighters shot dead three traders on the road outside Gao, in northern "
        "Mali, on Monday, a local official said.",
    },
]
UNPLACED = (
    "Soldiers tortured five detainees held at a military base in Nigeria on Saturday, a rights "
    "group said."
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("coders")
    jsonl = tmp / "reports.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    saved = tmp / "notes" / "torture-note.txt"
    saved.parent.mkdir()
    saved.write_text(UNPLACED, encoding="utf-8")
    db = str(tmp / "ledger.db")
    for path in (jsonl, saved):
        result = CliRunner().invoke(
            main, ["run", str(path), "--db", db, "--published", "2022-04-20"]
        )
        assert result.exit_code == 0, result.output
    return db


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.mark.parametrize("per_report", [False, True])
def test_cli_export_source_is_the_publisher_never_a_file(ledger: str, per_report: bool) -> None:
    args = ["export", "--db", ledger] + (["--per-report"] if per_report else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    got = rows(result.stdout)
    assert {r["source"] for r in got} == {"Sahel Wire", ""}
    assert not any("torture-note" in r["source"] or "/" in r["source"] for r in got)
    mopti = next(r for r in got if "teachers" in r["notes"])
    assert mopti["url"] == "https://example.org/sahel/mopti-teachers"
    assert (mopti["iso"], mopti["region"]) == ("466", "Western Africa")
    assert mopti["disorder_type"] == "Political violence"
    assert mopti["civilian_targeting"] == "Civilian targeting"


def test_cli_export_geojson_keeps_the_incident_placed_only_to_a_country(ledger: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", ledger, "--format", "geojson"])
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout)["features"]
    kinds = {f["properties"]["hl_point"] for f in features}
    assert "country" in kinds
    assert "left out" not in result.stderr


@pytest.mark.parametrize(
    ("command", "option", "value", "says"),
    [
        ("incidents", "--violation", "rape", "'sexual violence'"),
        ("fused", "--violation", "murder", "'killing'"),
        ("export", "--event-type", "Bombing", "'Explosions/Remote violence'"),
    ],
)
def test_cli_filters_answer_an_unknown_value_with_the_vocabulary(
    ledger: str, command: str, option: str, value: str, says: str
) -> None:
    result = CliRunner().invoke(main, [command, "--db", ledger, option, value])
    assert result.exit_code != 0
    assert f"{option} '{value}' is not" in result.output
    assert says in result.output


def test_cli_incidents_and_fused_show_an_unknown_toll_alike(ledger: str) -> None:
    runner = CliRunner()
    incidents = runner.invoke(main, ["incidents", "--db", ledger, "--format", "table"])
    fused = runner.invoke(main, ["fused", "--db", ledger, "--format", "table"])
    assert incidents.exit_code == 0 and fused.exit_code == 0
    # the abduction reports no one killed: "-" in both lists, never "0" in one and "-" in
    # the other; the shooting's toll is 3 in both
    for table in (incidents.stdout, fused.stdout):
        lines = table.splitlines()
        col = lines[0].index("killed")
        cells = {line[col : col + 6].strip() for line in lines[2:]}
        assert "-" in cells and "3" in cells and "0" not in cells
