"""The audit chain: entries appended with the change they record, hashes chained, and
`harmledger audit verify` failing on the first entry that was altered or removed."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from harmledger import audit
from harmledger.cli import main
from harmledger.fuse.ledger import Fuser
from harmledger.store import audit as store_audit
from harmledger.store.ledger import Ledger
from workspace import REPORT, make_ledger


def entry(**changes: object) -> audit.Entry:
    fields: dict[str, object] = {
        "id": 1,
        "at": datetime(2024, 5, 1, 12, 0, 0, 123456),
        "actor": "maria",
        "via": "cli",
        "action": "merge",
        "target": "fused:abc",
        "before": {"fused": ["a", "b"]},
        "after": {"fused": ["a"]},
        "reason": "same market bombing",
        "prev_hash": audit.GENESIS,
    }
    fields.update(changes)
    return audit.Entry(**fields, hash=audit.digest(**fields))  # type: ignore[arg-type]


def test_audit_hash_covers_every_field_and_the_previous_hash() -> None:
    base = entry()
    for name, other in [
        ("actor", "someone"),
        ("action", "split"),
        ("target", "fused:abd"),
        ("before", {"fused": ["a"]}),
        ("after", None),
        ("reason", "another"),
        ("prev_hash", "1" * 64),
        ("at", datetime(2024, 5, 1, 12, 0, 0, 123457)),
    ]:
        assert entry(**{name: other}).hash != base.hash, name


def test_audit_verify_finds_the_first_bad_entry() -> None:
    a = entry()
    b = entry(id=2, prev_hash=a.hash, action="split")
    c = entry(id=3, prev_hash=b.hash, action="fuse")
    assert audit.verify([a, b, c]) == (3, None)
    altered = audit.Entry(**{**b.to_dict(), "at": b.at, "reason": "edited later"})
    _, problem = audit.verify([a, altered, c])
    assert problem is not None and problem.id == 2 and "altered" in problem.reason
    _, problem = audit.verify([a, c])  # b removed
    assert problem is not None and problem.id == 3


def test_audit_entries_are_written_with_the_changes(db_url: str) -> None:
    ledger = make_ledger(db_url, REPORT)
    fused = ledger.fused()
    Fuser(ledger).merge([fused[0].fused_id, fused[1].fused_id], note="one raid", by="maria")
    Fuser(ledger).all(by="maria")
    actions = [e.action for e in ledger.audit_log()]
    assert actions[0] == "run"
    assert actions[1:4] == ["user.add"] * 3
    assert actions[4:] == ["merge", "fuse"]
    run = ledger.audit_log()[0]
    assert run.after["stats"]["new"] == 1
    assert run.after["documents"]["stored"] == 1
    # a count and a fingerprint, not every document: anyone can recompute it from the
    # ledger (the sorted lines "document id:SHA-256 of its raw input")
    assert set(run.after["documents"]) == {"stored", "manifest_sha256"}
    (doc_id,) = {r.incident.doc_id for r in ledger.incidents()}
    line = f"{doc_id}:{ledger.raw_sha256(doc_id)}\n"
    assert run.after["documents"]["manifest_sha256"] == hashlib.sha256(line.encode()).hexdigest()
    merge = ledger.audit_log(action="merge")[0]
    assert merge.actor == "maria" and merge.reason == "one raid"
    with ledger.engine.connect() as conn:
        assert audit.verify(store_audit.every(conn)) == (6, None)
    ledger.close()


def test_audit_a_failed_change_leaves_no_entry(db_url: str) -> None:
    ledger = make_ledger(db_url, REPORT)
    before = len(ledger.audit_log())
    with pytest.raises(Exception, match="already one fused incident"):
        one = ledger.fused()[0].fused_id
        Fuser(ledger).merge([one, one[:8]])
    assert len(ledger.audit_log()) == before
    ledger.close()


def test_audit_verify_cli_passes_then_fails_after_a_row_is_altered(db_url: str) -> None:
    make_ledger(db_url, REPORT).close()
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify", "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "4 audit entries verify" in ok.output
    with Ledger(db_url) as ledger, ledger.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE id = 2"))
    bad = runner.invoke(main, ["audit", "verify", "--db", db_url])
    assert bad.exit_code == 1
    assert "audit entry 2 does not verify" in bad.output


def test_audit_verify_cli_names_a_removed_entry(db_url: str) -> None:
    make_ledger(db_url, REPORT).close()
    with Ledger(db_url) as ledger, ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 3"))
    bad = CliRunner().invoke(main, ["audit", "verify", "--db", db_url])
    assert bad.exit_code == 1
    assert "audit entry 4 does not verify" in bad.output


def test_audit_log_cli_lists_entries(db_url: str) -> None:
    make_ledger(db_url, REPORT).close()
    out = CliRunner().invoke(main, ["audit", "log", "--db", db_url]).output
    lines = out.strip().splitlines()
    assert len(lines) == 4
    assert " run " in lines[0] and "user:admin" in lines[1]
    js = CliRunner().invoke(main, ["audit", "log", "--json", "--limit", "1", "--db", db_url])
    assert '"action": "user.add"' in js.output and '"hash"' in js.output


def test_audit_chain_cannot_fork(db_url: str) -> None:
    """Two entries naming the same previous hash: the second is refused."""
    ledger = make_ledger(db_url, REPORT)
    last = ledger.audit_log()[-1]
    with pytest.raises(Exception), ledger.engine.begin() as conn:  # noqa: B017
        conn.execute(
            store_audit.s.audit_log.insert().values(
                id=last.id + 5,
                at=last.at,
                actor="x",
                via="cli",
                action="fork",
                target="t",
                prev_hash=last.prev_hash,
                hash="f" * 64,
            )
        )
    ledger.close()


def test_audit_documents_keep_their_raw_hash(db_url: str) -> None:
    import hashlib

    ledger = make_ledger(db_url, REPORT)
    doc = ledger.incidents()[0].incident.doc_id
    stored = ledger.document(doc)
    assert stored is not None
    assert ledger.raw_sha256(doc) == hashlib.sha256(stored.raw.encode()).hexdigest()
    ledger.close()


def test_audit_gazetteer_import_is_recorded(db_url: str, tmp_path, monkeypatch) -> None:
    dump = tmp_path / "IQ.txt"
    row = [
        "99999001",
        "Tall Bashir",
        "Tall Bashir",
        "Bashir,Tal Bashir",
        "35.31",
        "44.28",
        "P",
        "PPL",
        "IQ",
        "",
        "13",
        "",
        "",
        "",
        "900",
        "",
        "300",
        "Asia/Baghdad",
        "2020-01-01",
    ]
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    monkeypatch.setenv("HARMLEDGER_HOME", str(tmp_path / "home"))
    make_ledger(db_url, REPORT).close()
    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump), "--db", db_url])
    assert result.exit_code == 0, result.output
    with Ledger(db_url) as ledger:
        entry = ledger.audit_log(action="gazetteer.import")[0]
    assert entry.after["file"] == "IQ.txt" and entry.after["places"] == 1
    assert len(entry.after["sha256"]) == 64


def test_audit_version_2_ledger_is_migrated(db_url: str) -> None:
    """A schema-2 ledger (before the workspace): its documents get their raw hash, its
    incidents their current flag (only the newest processing's), and the new tables."""
    import hashlib
    from dataclasses import replace

    from sqlalchemy import inspect

    from harmledger.config import Settings
    from harmledger.runner import extracted
    from harmledger.store.schema import SCHEMA_VERSION

    annotated = next(
        x for x in extracted([str(REPORT)], Settings()) if not isinstance(x, Exception)
    )
    with Ledger(db_url) as ledger:
        ledger.add(annotated, pipeline_version="v1")
        ledger.add(replace(annotated, incidents=annotated.incidents[:1]), pipeline_version="v2")
        with ledger.engine.begin() as conn:  # back to what a version-2 ledger held
            for table in ("audit_log", "protected_marks", "reviews", "sessions", "users"):
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DROP TABLE filter_names"))  # and version 6's
            for column in ("location_name", "admin1", "country"):
                conn.execute(text(f"DROP INDEX ix_incidents_{column}_current_date_start"))
                conn.execute(text(f"CREATE INDEX ix_incidents_{column} ON incidents ({column})"))
            conn.execute(text("ALTER TABLE documents DROP COLUMN raw_sha256"))
            conn.execute(text("ALTER TABLE incidents DROP COLUMN current"))
            conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    with Ledger(db_url) as ledger:
        assert ledger.schema_version() == SCHEMA_VERSION
        current = ledger.incidents()
        assert [r.pipeline_version for r in current] == ["v2"]
        assert len(ledger.incidents(all_versions=True)) == len(annotated.incidents) + 1
        doc = annotated.document
        assert ledger.raw_sha256(doc.id) == hashlib.sha256(doc.raw.encode()).hexdigest()
        assert {"users", "audit_log"} <= set(inspect(ledger.engine).get_table_names())
        indexed = {i["name"] for i in inspect(ledger.engine).get_indexes("incidents")}
        assert "ix_incidents_admin1_current_date_start" in indexed
        assert "ix_incidents_admin1" not in indexed  # the index it replaces
        Fuser(ledger).all(by="maria")
        assert [e.action for e in ledger.audit_log()] == ["fuse"]
