"""Fusion on the command line (issue 4): run, fused, show, merge, split, fuse, export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main
from pg import POSTGRES, SQLITE, database

FIXTURES = Path(__file__).parent / "fixtures" / "fusion"
SHEPHERDS = FIXTURES / "hawija_shepherds.jsonl"
UPDATE = FIXTURES / "hawija_update.jsonl"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def built(module_db_url: str) -> tuple[str, str]:
    """A ledger of the Hawija reports (made once, on each backend), and the output of `run`."""
    result = CliRunner().invoke(main, ["run", str(SHEPHERDS), "--db", module_db_url])
    assert result.exit_code == 0, result.output
    return module_db_url, result.stderr


@pytest.fixture
def db(built: tuple[str, str], tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the built ledger for each test (tests change it)."""
    backend = POSTGRES if "://" in built[0] else SQLITE
    with database(backend, tmp_path, template=built[0]) as copy:
        yield copy


def fused_rows(runner: CliRunner, db: str, *args: str) -> list[dict]:
    result = runner.invoke(main, ["fused", "--db", db, "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(x) for x in result.stdout.splitlines()]


def event_of(rows: list[dict], doc_name: str) -> dict:
    (found,) = [f for f in rows if any(r["doc_name"] == doc_name for r in f["reports"])]
    return found


def incident_id(rows: list[dict], doc_name: str) -> str:
    return next(r["incident_id"] for f in rows for r in f["reports"] if r["doc_name"] == doc_name)


# ---------------------------------------------------------------- run and fused


def test_cli_fusion_run_summary_mentions_fused_incidents(built: tuple[str, str]) -> None:
    _, stderr = built
    assert "4 document(s), 4 incident(s), 2 fused incident(s) of which 1 from 2+ reports" in (
        stderr
    )


def test_cli_fusion_run_no_fuse(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(main, ["run", str(SHEPHERDS), "--db", db_url, "--no-fuse"])
    assert result.exit_code == 0, result.output
    assert "0 fused incident(s)" in result.stderr
    # listing fused incidents reads only: it lists none and says why
    listed = runner.invoke(main, ["fused", "--db", db_url, "--format", "jsonl"])
    assert listed.exit_code == 0 and listed.stdout == ""
    assert "4 incident(s) are not fused yet" in listed.stderr
    counts = runner.invoke(main, ["stats", "--db", db_url]).output.split()
    assert counts[counts.index("fused_pending") + 1] == "4"
    # the next run fuses what was left unfused, before it reads anything
    again = runner.invoke(main, ["run", str(SHEPHERDS), "--db", db_url])
    assert again.exit_code == 0, again.output
    assert "2 fused incident(s) of which 1 from 2+ reports" in again.stderr
    assert len(fused_rows(runner, db_url)) == 2


def test_cli_fusion_fused_jsonl(runner: CliRunner, db: str) -> None:
    rows = fused_rows(runner, db)
    assert len(rows) == 2
    event = event_of(rows, "wire-hawija")
    assert event["sources"] == 3 and len(event["reports"]) == 3
    assert event["killed"] == {"min": 7, "max": 8}
    assert event["publishers"] == ["Wire Service", "Kirkuk Now", "Iraq Rights Watch"]
    assert "killed" in [d["field"] for d in event["disagreements"]]
    assert fused_rows(runner, db, "--min-sources", "2") == [event]


def test_cli_fusion_fused_table(runner: CliRunner, db: str) -> None:
    result = runner.invoke(main, ["fused", "--db", db, "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["fused", "event", "killed", "date", "place", "actor1", "src", "rep"]
    assert len(lines) == 4
    event = event_of(fused_rows(runner, db), "wire-hawija")
    row = next(x for x in lines if x.startswith(event["fused_id"][:8]))
    assert "7-8" in row and "2020-03-09" in row and "Al Hawijah" in row
    assert row.split()[-2:] == ["3", "3"]


def test_cli_fusion_later_report_joins_on_run(runner: CliRunner, db: str) -> None:
    before = event_of(fused_rows(runner, db), "wire-hawija")
    result = runner.invoke(main, ["run", str(UPDATE), "--db", db])
    assert result.exit_code == 0, result.output
    assert "2 fused incident(s) of which 1 from 2+ reports" in result.stderr
    after = event_of(fused_rows(runner, db), "update-hawija")
    assert after["fused_id"] == before["fused_id"]
    assert len(after["reports"]) == 4


# ---------------------------------------------------------------- show


def test_cli_fusion_show_fused_incident(runner: CliRunner, db: str) -> None:
    event = event_of(fused_rows(runner, db), "wire-hawija")
    result = runner.invoke(main, ["show", event["fused_id"][:8], "--db", db])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Fused incident {event['fused_id']}" in out
    assert "why: 3 reports from 3 independent source(s)" in out
    assert "3 independent, 3 report(s)" in out
    for r in event["reports"]:
        assert r["incident_id"][:8] in out and r["doc_name"] in out
    assert "disagreements:" in out and "- killed: 7 (2); 8 (1)" in out
    as_json = runner.invoke(main, ["show", event["fused_id"], "--db", db, "--json"])
    assert json.loads(as_json.stdout)["fused_id"] == event["fused_id"]


def test_cli_fusion_show_incident_points_to_its_fused_incident(runner: CliRunner, db: str) -> None:
    rows = fused_rows(runner, db)
    event = event_of(rows, "wire-hawija")
    result = runner.invoke(main, ["show", incident_id(rows, "ngo-hawija")[:8], "--db", db])
    assert result.exit_code == 0, result.output
    assert f"Part of fused incident {event['fused_id']} (3 reports" in result.stdout
    assert f"harmledger show {event['fused_id'][:8]}" in result.stdout
    alone = runner.invoke(main, ["show", incident_id(rows, "lookalike-tuz"), "--db", db])
    assert "Part of fused incident" not in alone.stdout


def test_cli_fusion_show_unknown_id(runner: CliRunner, db: str) -> None:
    result = runner.invoke(main, ["show", "ffffffffffff", "--db", db])
    assert result.exit_code != 0
    assert "no incident or fused incident 'ffffffffffff'" in result.output


# ---------------------------------------------------------------- merge, split, fuse


def test_cli_fusion_merge(runner: CliRunner, db: str) -> None:
    rows = fused_rows(runner, db)
    a, b = event_of(rows, "wire-hawija"), event_of(rows, "lookalike-tuz")
    result = runner.invoke(
        main, ["merge", a["fused_id"][:8], b["fused_id"], "--note", "one raid", "--db", db]
    )
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{a['fused_id']}  4 report(s)  ")
    assert line.endswith("merged by hand.")
    merged = fused_rows(runner, db)
    assert len(merged) == 1 and merged[0]["manual"] is True
    # merging again: they are one already (the look-alike's old fused id is gone)
    tuz = incident_id(rows, "lookalike-tuz")
    again = runner.invoke(main, ["merge", a["fused_id"], tuz[:8], "--db", db])
    assert again.exit_code == 2
    assert "already one fused incident" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "ffffffffffff", "eeeeeeeeeeee"], "no fused incident or incident 'ffffffffffff'"),
        (["merge", "ffffffffffff"], "merge needs at least two ids"),
        (["split", "ffffffffffff"], "no fused incident 'ffffffffffff'"),
    ],
)
def test_cli_fusion_decision_errors(
    runner: CliRunner, db: str, args: list[str], message: str
) -> None:
    result = runner.invoke(main, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_fusion_split(runner: CliRunner, db: str) -> None:
    rows = fused_rows(runner, db)
    event = event_of(rows, "wire-hawija")
    ngo = incident_id(rows, "ngo-hawija")
    result = runner.invoke(main, ["split", event["fused_id"][:8], ngo[:8], "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{event['fused_id']}  2 report(s)")
    assert "1 report(s)  One report; nothing fused with it." in lines[1]
    assert len(fused_rows(runner, db)) == 3
    stranger = incident_id(rows, "lookalike-tuz")
    bad = runner.invoke(main, ["split", event["fused_id"], stranger, "--db", db])
    assert bad.exit_code == 2
    assert "is not one of this fused incident's reports" in bad.output
    # the split is kept by a whole fuse
    fuse = runner.invoke(main, ["fuse", "--db", db])
    assert fuse.exit_code == 0, fuse.output
    assert "4 report(s) -> 3 fused incident(s), 1 of them from 2+ reports" in fuse.stderr


def test_cli_fusion_split_everything_and_single(runner: CliRunner, db: str) -> None:
    rows = fused_rows(runner, db)
    event = event_of(rows, "wire-hawija")
    result = runner.invoke(main, ["split", event["fused_id"], "--db", db])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3
    again = runner.invoke(main, ["split", event["fused_id"], "--db", db])
    assert again.exit_code == 2
    assert "has one report; nothing to split" in again.output


def test_cli_fusion_fuse_and_undo(runner: CliRunner, db: str) -> None:
    result = runner.invoke(main, ["fuse", "--db", db])
    assert result.exit_code == 0, result.output
    assert "4 report(s) -> 2 fused incident(s), 1 of them from 2+ reports" in result.stderr
    undo = runner.invoke(main, ["fuse", "--undo", "--db", db])
    assert undo.exit_code == 0, undo.output
    assert "4 report(s) -> 4 fused incident(s), 0 of them from 2+ reports" in undo.stderr
    rows = fused_rows(runner, db)
    assert len(rows) == 4 and all(len(f["reports"]) == 1 for f in rows)


def test_cli_fusion_fuse_missing_ledger(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["fuse", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0 and "no ledger" in result.output


# ---------------------------------------------------------------- export


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_fusion_export_csv_one_row_per_event(runner: CliRunner, db: str, tmp_path) -> None:
    out = tmp_path / "fused.csv"
    result = runner.invoke(main, ["export", "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 fused incident(s) written to" in result.stderr
    rows = _csv(out.read_text(encoding="utf-8"))
    assert len(rows) == 2
    assert {"hl_sources", "hl_reports", "hl_killed_min", "hl_killed_max", "notes"} <= rows[0].keys()
    event = next(r for r in rows if r["hl_reports"] == "3")
    assert (event["hl_sources"], event["hl_killed_min"], event["hl_killed_max"]) == ("3", "7", "8")
    assert event["fatalities"] == "7"
    assert event["source"] == "Wire Service; Kirkuk Now; Iraq Rights Watch"
    assert event["hl_doc_names"].split(";") == ["wire-hawija", "local-hawija", "ngo-hawija"]
    assert "killed" in event["hl_disagreements"].split(";")
    assert "shepherds" in event["notes"]


def test_cli_fusion_export_per_report(runner: CliRunner, db: str) -> None:
    result = runner.invoke(main, ["export", "--db", db, "--per-report"])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert len(rows) == 4
    assert "hl_sources" not in rows[0]


def test_cli_fusion_export_min_sources(runner: CliRunner, db: str) -> None:
    result = runner.invoke(main, ["export", "--db", db, "--min-sources", "2"])
    assert [r["hl_reports"] for r in _csv(result.stdout)] == ["3"]
    bad = runner.invoke(main, ["export", "--db", db, "--per-report", "--min-sources", "2"])
    assert bad.exit_code == 2
    assert "--min-sources applies to fused incidents" in bad.output


def test_cli_fusion_export_geojson_and_json(runner: CliRunner, db: str) -> None:
    fused = fused_rows(runner, db)
    gj = runner.invoke(main, ["export", "--db", db, "--format", "geojson"])
    assert gj.exit_code == 0, gj.output
    features = json.loads(gj.stdout)["features"]
    assert sorted(f["id"] for f in features) == sorted(f["fused_id"] for f in fused)
    event = next(f for f in features if f["properties"]["hl_reports"] == 3)
    assert event["properties"]["hl_sources"] == 3
    lon, lat = event["geometry"]["coordinates"]
    assert 35 < lat < 36 and 43 < lon < 44  # Hawija
    js = runner.invoke(main, ["export", "--db", db, "--format", "json"])
    assert sorted(f["fused_id"] for f in json.loads(js.stdout)) == sorted(
        f["fused_id"] for f in fused
    )
    per_report = runner.invoke(main, ["export", "--db", db, "--format", "json", "--per-report"])
    assert len(json.loads(per_report.stdout)) == 4


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("name", ["run", "fused", "fuse", "merge", "split", "show", "export"])
def test_cli_fusion_commands_have_help_with_an_example(runner: CliRunner, name: str) -> None:
    assert name in main.commands
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example: harmledger " + name in result.stdout
