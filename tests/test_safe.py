"""Safe output: CSV cells no spreadsheet runs, names that cannot forge lines or reach the
terminal with escape sequences, JSON that is valid UTF-8 whatever the input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main
from harmledger.export import COLUMNS, FUSED_COLUMNS
from harmledger.safe import cell, path_name, shown, unicode_text

REPORT = "Gunmen killed five civilians in Mosul on 3 May 2021, police said."


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),
        ("a\rb", "a\nb"),
        ("x\x00y", "x\ufffdy"),
        ("Mosul", "Mosul"),
        (-12.5, -12.5),
        (3, 3),
    ],
)
def test_safe_cell_neutralises_formulas(value: object, written: object) -> None:
    assert cell(value) == written


def test_safe_shown_escapes_what_acts_on_a_terminal() -> None:
    assert shown("a\nerror: forged") == "a\\nerror: forged"
    assert shown("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert shown("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert shown("caf\udcff") == "caf\\udcff"
    assert shown("Mosul — الموصل") == "Mosul — الموصل"


def test_safe_unicode_and_path_names_are_valid_utf8() -> None:
    assert unicode_text("a\udc80b\ud800") == "a\ufffdb\ufffd"
    assert path_name("/tmp/caf\udcff.txt") == "/tmp/caf\\xff.txt"
    assert path_name("/tmp/café.txt") == "/tmp/café.txt"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [
        {"id": '=HYPERLINK("http://evil")', "text": REPORT, "source": "@SUM(1+1)*cmd|x"},
        {"id": "\x1b[2J\x1b[31mred", "text": REPORT.replace("five", "six"), "source": "-2+3"},
        {"id": "s\udc80", "text": REPORT.replace("Mosul", "Kirkuk"), "source": "\udc80x"},
    ]
    (folder / "r.jsonl").write_text(
        "\n".join(json.dumps({**r, "published": "2021-05-04"}) for r in rows), encoding="utf-8"
    )
    (folder / "bad\nerror: forged.txt").write_bytes(b"%PDF-1.7 binary")
    return folder


def test_safe_csv_exports_run_no_formula(hostile: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    runner = CliRunner()
    runner.invoke(main, ["run", str(hostile), "--db", db, "-q"])
    for extra, columns in (([], FUSED_COLUMNS), (["--per-report"], COLUMNS)):
        out = tmp_path / "x.csv"
        result = runner.invoke(main, ["export", "--db", db, "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert tuple(rows[0]) == columns and len(rows) >= 3
        assert result.output.startswith(f"{len(rows) - 1} ")  # the rows it really wrote
        cells = [c for r in rows[1:] for c in r]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert any(c.startswith('\'=HYPERLINK("http://evil")') for c in cells)
        assert any(c.startswith("'@SUM(1+1)*cmd|x") for c in cells)
    extracted = runner.invoke(main, ["extract", str(hostile / "r.jsonl"), "--format", "csv"])
    cells = [c for r in csv.reader(io.StringIO(extracted.stdout)) for c in r]
    assert '\'=HYPERLINK("http://evil")' in cells


def test_safe_names_cannot_forge_lines_or_reach_the_terminal(hostile: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(hostile), "--format", "table"])
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "bad\\nerror: forged.txt: a PDF document" in errors[0]
    assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout
    db = str(tmp_path / "l.db")
    run = runner.invoke(main, ["run", str(hostile), "--db", db])
    assert run.exit_code == 1
    assert [ln for ln in run.stderr.splitlines() if ln.startswith("error:")] == errors
    table = runner.invoke(main, ["incidents", "--db", db, "--format", "table"])
    assert "\x1b" not in table.stdout


def test_safe_json_outputs_are_valid_utf8(hostile: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("jsonl", "json"):
        result = runner.invoke(main, ["extract", str(hostile / "r.jsonl"), "--format", fmt])
        result.stdout_bytes.decode("utf-8")  # strict
        assert "\ufffd" in result.stdout
    db = str(tmp_path / "l.db")
    runner.invoke(main, ["run", str(hostile), "--db", db, "-q"])
    for fmt in ("json", "geojson", "csv"):
        out = tmp_path / f"x.{fmt}"
        assert (
            runner.invoke(main, ["export", "--db", db, "--format", fmt, "-o", str(out)]).exit_code
            == 0
        )
        out.read_bytes().decode("utf-8")
    fused = runner.invoke(main, ["fused", "--db", db, "--format", "jsonl"])
    fused.stdout_bytes.decode("utf-8")
