"""One bad document never costs the batch: a failure reading, extracting or storing it is
reported with its name and recorded, a document over its time budget fails by name, and
the others go on (exit status 1 at the end)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main
from harmledger.config import Settings
from harmledger.errors import LedgerError, ReadError
from harmledger.model import Annotated
from harmledger.pipeline.budget import Deadline
from harmledger.pipeline.pipeline import Pipeline, default_stages
from harmledger.runner import annotate, extracted, ingest
from harmledger.store import Ledger

SETTINGS = Settings(published=date(2021, 5, 4))
REPORTS = {
    "a.txt": "Gunmen killed five civilians in Mosul on 3 May 2021, police said.",
    "b.txt": "Militants killed two farmers in Kirkuk on 2 May 2021, officials said.",
    "c.txt": "A roadside bomb killed three soldiers near Tikrit on 1 May 2021.",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name, text in REPORTS.items():
        (d / name).write_text(text)
    return d


class _Slow:
    """A stage that takes ``seconds`` on documents mentioning Kirkuk."""

    name = "slow.v1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, doc: Annotated) -> Annotated:
        if "Kirkuk" in doc.text:
            end = time.monotonic() + self.seconds
            while time.monotonic() < end:  # busy, as a slow rule would be
                pass
        return doc


def test_runner_a_document_over_its_time_budget_fails_by_name(folder: Path) -> None:
    settings = SETTINGS.with_(time_budget=3.0)
    stages = [*default_stages(settings)[:2], _Slow(120), *default_stages(settings)[2:]]
    pipeline = Pipeline(settings, stages)
    docs = _documents(folder, settings)
    pipeline(docs[0])  # resources load once, outside the budget
    started = time.monotonic()
    out = [annotate(pipeline, d) for d in docs]
    assert time.monotonic() - started < 60  # stopped, not waited for
    assert [type(x).__name__ for x in out] == ["Annotated", "ReadError", "Annotated"]
    err = out[1]
    assert isinstance(err, ReadError) and err.name == str(folder / "b.txt")
    assert "longer than its time budget of 3 s" in err.reason
    assert "--time-budget" in err.reason


def test_runner_the_deadline_is_checked_between_stages_outside_the_main_thread() -> None:
    deadline = Deadline(0.0)
    with pytest.raises(Exception, match="time budget"):
        deadline.check()


def _documents(folder: Path, settings: Settings):
    from harmledger.ingest import read_inputs

    return [d for d in read_inputs([str(folder)], settings) if not isinstance(d, ReadError)]


def test_runner_a_bug_in_a_stage_fails_that_document_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harmledger.pipeline import counts

    real = counts.parse_spans

    def broken(text: str, sentences):  # type: ignore[no-untyped-def]
        if "Kirkuk" in text:
            raise ZeroDivisionError("a bug")
        return real(text, sentences)

    monkeypatch.setattr(counts, "parse_spans", broken)
    out = list(extracted([str(folder)], SETTINGS))
    assert [type(x).__name__ for x in out] == ["Annotated", "ReadError", "Annotated"]
    assert "ZeroDivisionError: a bug" in out[1].reason  # type: ignore[union-attr]


def test_runner_a_document_that_cannot_be_stored_is_recorded_and_the_batch_goes_on(
    folder: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Ledger.add_many

    def add_many(self: Ledger, items, **kw):  # type: ignore[no-untyped-def]
        for annotated in items:  # the whole chunk's transaction is refused, as a database would
            if "Kirkuk" in annotated.document.text:
                raise LedgerError(f"cannot store {annotated.document.name}: a value too big")
        return real(self, items, **kw)

    monkeypatch.setattr(Ledger, "add_many", add_many)
    with Ledger(db_url) as lg:
        summary = ingest(lg, [str(folder)], SETTINGS)
        assert (summary.new, summary.failed) == (2, 1)
        (err,) = lg.errors(summary.run_id)
        assert err["name"] == str(folder / "b.txt") and "a value too big" in err["reason"]
        assert lg.stats()["documents"] == 2 and lg.pending() == 0  # the others fused


def test_runner_values_the_database_cannot_hold_fail_one_document(db_url: str) -> None:
    from harmledger.api import extract  # noqa: F401 (the pipeline, built once)
    from harmledger.ingest import read_text
    from harmledger.pipeline.pipeline import pipeline_for

    doc = read_text("x.txt", REPORTS["a.txt"], SETTINGS)
    ann = pipeline_for(SETTINGS)(doc)
    (inc,) = ann.incidents
    bad = replace(ann, incidents=(replace(inc, fatalities=10**30),))
    with Ledger(db_url) as lg, pytest.raises(LedgerError, match=r"cannot store x\.txt"):
        lg.add(bad, pipeline_version="v")


def test_runner_cli_exit_status_and_time_budget_option(folder: Path, tmp_path: Path) -> None:
    (folder / "d.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    runner = CliRunner()
    result = runner.invoke(
        main, ["run", str(folder), "--db", str(tmp_path / "l.db"), "--time-budget", "120"]
    )
    assert result.exit_code == 1
    assert "3 new" in result.stderr and "1 failed" in result.stderr
    assert f"error: {folder / 'd.txt'}: a PNG image" in result.stderr
    bad = runner.invoke(main, ["extract", str(folder), "--time-budget", "-1"])
    assert bad.exit_code == 2 and "--time-budget" in bad.output
    assert runner.invoke(main, ["extract", str(folder), "--time-budget", "0"]).exit_code == 1
