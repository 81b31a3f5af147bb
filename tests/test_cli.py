"""The command line, driven through click's CliRunner."""

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from harmledger.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
REPORT = FIXTURES / "militia-revenge.txt"
EXAMPLES = Path(__file__).parents[1] / "examples"

NOTE = (
    '{"id": "n1", "published": "2020-05-18", "text": "On 15 May 2020, IS militants shot and '
    'killed two shepherds near Khanaqin, Diyala province."}\n'
)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def db(db_url: str) -> str:
    """A fresh ledger for --db: a SQLite file, then a PostgreSQL URL (tests/pg.py)."""
    return db_url


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((prefix + name, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + name + " ")
    return out


@pytest.mark.parametrize(("name", "cmd"), _commands(main))
def test_cli_every_command_has_help_with_an_example(name, cmd):
    assert cmd.help and "Example:" in cmd.help, name


@pytest.mark.parametrize(("name", "cmd"), _commands(main))
def test_cli_every_command_is_in_the_readme(name, cmd):
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert f"harmledger {name.split()[0]}" in readme, name


def test_cli_extract_jsonl_follows_the_contract(runner):
    result = runner.invoke(main, ["extract", str(REPORT), "--published", "2017-03-08"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    keys = {
        "doc_id",
        "incident_id",
        "event_type",
        "sub_event_type",
        "violations",
        "actor1",
        "actor2",
        "counts",
        "fatalities",
        "date",
        "location",
        "quotes",
        "evidence",
        "confidence",
    }
    text = REPORT.read_text()
    for row in rows:
        assert keys <= row.keys()
        assert row["doc_id"] == str(REPORT)
        assert 0 <= row["confidence"] <= 1
        for c in row["counts"].values():
            assert c["text"] in text
    # incident ids are stable across runs
    again = runner.invoke(main, ["extract", str(REPORT), "--published", "2017-03-08"])
    assert [json.loads(x)["incident_id"] for x in again.stdout.splitlines()] == [
        r["incident_id"] for r in rows
    ]


def test_cli_extract_reads_jsonl_from_stdin(runner):
    result = runner.invoke(main, ["extract", "--format", "json"], input=NOTE)
    assert result.exit_code == 0, result.output
    (inc,) = json.loads(result.stdout)
    assert inc["doc_id"] == "n1"
    assert inc["fatalities"] == 2
    assert inc["date"]["start"] == "2020-05-15"


def test_cli_extract_plain_text_from_stdin(runner):
    text = "On Tuesday gunmen shot dead three farmers in the village of Albu Ajil."
    result = runner.invoke(main, ["extract", "-", "--published", "2020-05-21"], input=text)
    assert result.exit_code == 0, result.output
    (inc,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert inc["doc_id"] == "<stdin>"
    assert inc["counts"]["killed"]["min"] == 3
    assert inc["date"]["start"] == "2020-05-19"


def test_cli_extract_csv_has_acled_columns(runner):
    result = runner.invoke(main, ["extract", "--format", "csv"], input=NOTE)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["event_type"] == "Violence against civilians"
    assert rows[0]["fatalities"] == "2"
    assert "shepherds" in rows[0]["notes"]


def test_cli_extract_table(runner):
    result = runner.invoke(main, ["extract", "--format", "table"], input=NOTE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "document", "event"]
    assert "n1" in lines[2]


def test_cli_extract_bad_input_reports_and_goes_on(runner, tmp_path):
    (tmp_path / "good.txt").write_text("Gunmen shot dead two farmers near Kirkuk on 3 May 2020.")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": "ok"\nnot json\n')
    result = runner.invoke(main, ["extract", str(tmp_path), "--published", "2020-05-05"])
    assert result.exit_code == 1
    assert "binary.txt" in result.stderr and "binary" in result.stderr
    assert "bad.jsonl" in result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert any(r["doc_id"].endswith("good.txt") for r in rows)


def test_cli_extract_bad_published_date_is_a_usage_error(runner):
    result = runner.invoke(main, ["extract", "--published", "18/10/2016"], input="text")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_run_is_idempotent_and_lists_incidents(runner, db):
    first = runner.invoke(main, ["run", str(EXAMPLES), "--db", db])
    assert first.exit_code == 0, first.output
    assert "0 failed" in first.stderr

    def stored():
        lines = runner.invoke(main, ["stats", "--db", db]).stdout.splitlines()
        return [x for x in lines if x.split()[0] in ("documents", "incidents", "mentions")]

    stats1 = stored()
    second = runner.invoke(main, ["run", str(EXAMPLES), "--db", db])
    assert second.exit_code == 0
    assert " 0 new" in second.stderr
    assert stored() == stats1  # a second run records a run, and stores nothing more

    listed = runner.invoke(main, ["incidents", "--db", db, "--format", "jsonl"])
    rows = [json.loads(x) for x in listed.stdout.splitlines()]
    assert len(rows) >= 6
    assert all("stored_at" in r and "document" in r for r in rows)

    torture = runner.invoke(
        main, ["incidents", "--db", db, "--format", "jsonl", "--event-type", "Battles"]
    )
    battles = [json.loads(x) for x in torture.stdout.splitlines()]
    assert battles and all(r["event_type"] == "Battles" for r in battles)


def test_cli_run_keeps_going_after_bad_input_and_stores_nothing_twice(runner, tmp_path, db):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Gunmen shot dead two farmers near Kirkuk on 3 May 2020."
    )
    (tmp_path / "in" / "b.html").write_bytes(b"\xff\xfe\x00\x00garbage\x00\x00")
    result = runner.invoke(
        main, ["run", str(tmp_path / "in"), "--db", db, "--published", "2020-05-05"]
    )
    assert result.exit_code == 1
    assert "b.html" in result.stderr
    again = runner.invoke(
        main, ["run", str(tmp_path / "in"), "--db", db, "--published", "2020-05-05"]
    )
    assert again.exit_code == 1
    stats = runner.invoke(main, ["stats", "--db", db]).stdout
    assert "documents  1" in stats


def test_cli_show_gives_source_words_in_context(runner, db):
    runner.invoke(main, ["run", "-", "--db", db], input=NOTE)
    rows = [
        json.loads(x)
        for x in runner.invoke(
            main, ["incidents", "--db", db, "--format", "jsonl"]
        ).stdout.splitlines()
    ]
    shown = runner.invoke(main, ["show", rows[0]["incident_id"][:8], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "[IS militants]" in shown.stdout
    assert "[shot and killed]" in shown.stdout or "[killed]" in shown.stdout
    assert "dates.v4" in shown.stdout
    missing = runner.invoke(main, ["show", "ffffffffff", "--db", db])
    assert missing.exit_code != 0 and "no incident" in missing.output


def test_cli_export_formats(runner, tmp_path, db):
    runner.invoke(main, ["run", str(EXAMPLES / "notes.jsonl"), "--db", db])
    out = tmp_path / "x.csv"
    result = runner.invoke(main, ["export", "--db", db, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert {"event_date", "event_type", "actor1", "latitude", "fatalities", "notes"} <= rows[
        0
    ].keys()
    gj = runner.invoke(main, ["export", "--db", db, "--format", "geojson"])
    assert json.loads(gj.stdout)["type"] == "FeatureCollection"
    js = runner.invoke(main, ["export", "--db", db, "--format", "json"])
    assert len(json.loads(js.stdout)) == len(rows)


def test_cli_missing_ledger_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["incidents", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0
    assert "no ledger" in result.output


def test_cli_gazetteer_import(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("HARMLEDGER_HOME", str(tmp_path / "home"))
    dump = tmp_path / "XX.txt"
    dump.write_text(
        "9990001\tZarqa Nahr\tZarqa Nahr\tZarqa Nahr,Zarqa al-Nahr\t33.1\t44.2\tP\tPPL\tIQ\t\t01\t\t\t\t1200\t\t40\tAsia/Baghdad\t2020-01-01\n"
    )
    result = runner.invoke(main, ["gazetteer", "import", str(dump)])
    assert result.exit_code == 0, result.output
    assert "1 place(s)" in result.stdout


def test_cli_show_describes_triggers_in_words(runner, tmp_path):
    db = str(tmp_path / "l.db")
    runner.invoke(main, ["run", "-", "--db", db], input=NOTE)
    rows = [
        json.loads(x) for x in runner.invoke(main, ["incidents", "--db", db]).stdout.splitlines()
    ]
    shown = runner.invoke(main, ["show", rows[0]["incident_id"], "--db", db]).stdout
    assert "Trigger: 'execute': Violence against civilians / Attack; killing" in shown
    assert "TriggerValue(" not in shown


def test_cli_a_failing_stage_fails_one_document_not_the_batch(runner, tmp_path, monkeypatch):
    from harmledger.pipeline.counts import CountTagger

    real = CountTagger.__call__

    def flaky(self, doc):
        if "BOOM" in doc.text:
            raise RuntimeError("simulated bug")
        return real(self, doc)

    monkeypatch.setattr(CountTagger, "__call__", flaky)
    (tmp_path / "a.txt").write_text("Gunmen shot dead two farmers near Kirkuk on 3 May 2020.")
    (tmp_path / "b.txt").write_text(
        "BOOM. Gunmen shot dead four farmers near Kirkuk on 4 May 2020."
    )
    db = str(tmp_path / "l.db")
    for args in (["extract", str(tmp_path)], ["run", str(tmp_path), "--db", db]):
        result = runner.invoke(main, [*args, "--published", "2020-05-05"])
        assert result.exit_code == 1, result.output
        assert "b.txt" in result.stderr and "simulated bug" in result.stderr
    rows = runner.invoke(main, ["extract", str(tmp_path / "a.txt"), "--published", "2020-05-05"])
    assert json.loads(rows.stdout.splitlines()[0])["fatalities"] == 2
    assert "documents  1" in runner.invoke(main, ["stats", "--db", db]).stdout


def test_cli_runs_as_python_dash_m_harmledger(tmp_path):
    """``python -m harmledger`` is the same command as the console script: it extracts."""
    import subprocess
    import sys

    report = tmp_path / "report.txt"
    report.write_text(
        "Gunmen killed three farmers in the village of Zawiya on Tuesday, police said.",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "harmledger", "extract", str(report), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = done.stdout.splitlines()  # one incident a line
    incident = json.loads(line)
    assert incident["counts"]["killed"]["min"] == 3
    assert incident["violations"] == ["killing"]
    usage = subprocess.run(
        [sys.executable, "-m", "harmledger", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert usage.startswith("Usage: harmledger ")
