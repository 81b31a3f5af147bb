"""Who the victims were, in the ledger: stored with each incident and read back, their
names protected by default — masked for viewers, left out of public exports — and a
ledger an earlier build made upgraded. Each test on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from harmledger.cli import main
from harmledger.privacy import name_words
from harmledger.store import schema as s
from harmledger.store.ledger import Ledger
from workspace import HERE, answers, client, make_ledger

REPORT = HERE / "fixtures" / "workspace" / "jalalabad_journalist.txt"
NAME = "Ahmad Wali Rahimi"


@pytest.fixture
def ledger(db_url: str):
    lg = make_ledger(db_url, REPORT, published="2024-03-04")
    yield lg
    lg.close()


def killing(ledger: Ledger):
    return next(r for r in ledger.incidents() if r.incident.victims is not None)


def test_victims_are_stored_and_read_back(ledger: Ledger) -> None:
    victims = killing(ledger).incident.victims
    assert victims is not None
    assert victims.types == ("journalist",)
    assert [(n.text, n.protected) for n in victims.names] == [(NAME, True)]
    name = victims.names[0]
    assert (
        ledger.texts([killing(ledger).incident.doc_id]).popitem()[1][name.start : name.end] == NAME
    )


def test_victims_name_and_surname_are_withheld_from_viewers(ledger: Ledger) -> None:
    viewer, analyst = client(ledger, "viewer"), client(ledger, "analyst")
    for where, _, body in answers(viewer, ledger):
        assert NAME not in body, where
        assert "Rahimi" not in body, where  # "Rahimi, 41, had worked..." gives him away too
    ident = killing(ledger).incident.incident_id
    seen = viewer.get(f"/api/incidents/{ident}").json()
    assert seen["victims"]["types"] == ["journalist"]
    assert seen["victims"]["names"] == [] and seen["victims"]["protected_names"] == 1
    full = analyst.get(f"/api/incidents/{ident}").json()
    assert [n["text"] for n in full["victims"]["names"]] == [NAME]
    assert NAME in analyst.get(f"/incidents/{ident}").text


def test_public_export_leaves_out_victims_names(ledger: Ledger, db_url: str) -> None:
    runner = CliRunner()
    for args in (["--per-report", "--format", "json"], ["--format", "json"], ["--per-report"]):
        public = runner.invoke(main, ["export", "--db", db_url, "--public", *args])
        assert public.exit_code == 0, public.output
        assert "Rahimi" not in public.output, args
    full = runner.invoke(main, ["export", "--db", db_url, "--per-report", "--format", "json"])
    assert full.exit_code == 0, full.output
    (item,) = (i for i in json.loads(full.output) if i["victims"])
    assert item["victims"]["names"][0]["text"] == NAME


def test_a_version_7_ledger_is_upgraded_and_reads_without_victims(db_url: str) -> None:
    made = make_ledger(db_url, REPORT, published="2024-03-04")
    with made as ledger, ledger.engine.begin() as conn:  # what an earlier build left
        conn.execute(text("ALTER TABLE incidents DROP COLUMN victims"))
        conn.execute(text("UPDATE meta SET value = '7' WHERE key = 'schema_version'"))
    with Ledger(db_url) as ledger:
        assert ledger.schema_version() == s.SCHEMA_VERSION
        records = ledger.incidents()
        assert records and all(r.incident.victims is None for r in records)


def test_a_surname_too_short_to_search_is_protected_only_with_the_name() -> None:
    assert name_words("Ahmad Wali Rahimi") == ("Ahmad Wali Rahimi", "Rahimi")
    assert name_words("Omar Ali") == ("Omar Ali",)
    assert name_words("Rahimi") == ("Rahimi",)
