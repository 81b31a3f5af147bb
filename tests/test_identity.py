"""A document's identity is its text with whitespace normalised: re-wrapped or re-spaced
copies add nothing; a ledger made before (keyed by the exact text) is migrated."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import text, update

from harmledger.config import Settings
from harmledger.fuse.ledger import Fuser
from harmledger.model import text_hash
from harmledger.runner import ingest
from harmledger.store import Ledger
from harmledger.store import schema as s

SETTINGS = Settings(published=date(2021, 5, 6))
STORY = (
    "Gunmen killed five civilians in Mosul on 3 May 2021, police said. The attackers fled "
    "in two cars.\n\nMilitants abducted three shepherds near Hawija on 4 May 2021."
)
REWRAPPED = (
    "Gunmen killed five civilians in Mosul on 3 May 2021,\npolice said.  The attackers\n"
    "fled in two cars.\n\n\nMilitants abducted three shepherds\nnear Hawija on 4 May 2021.\n"
)
OTHER = "A roadside bomb wounded two soldiers near Tikrit on 2 May 2021, officials said."


def test_identity_ignores_how_the_text_is_spaced() -> None:
    assert text_hash(STORY) == text_hash(REWRAPPED) == text_hash(" ".join(STORY.split()))
    assert text_hash(STORY) != text_hash(STORY.replace("five", "six"))


def test_identity_a_rewrapped_copy_adds_nothing(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text(REWRAPPED)
    with Ledger(db_url) as lg:
        first = ingest(lg, [str(tmp_path / "a.txt")], SETTINGS)
        again = ingest(lg, [str(tmp_path / "b.txt")], SETTINGS)
        assert (first.new, again.new, again.skipped) == (1, 0, 1)
        assert lg.stats()["documents"] == 1 and lg.stats()["document_names"] == 2
        doc = lg.document(text_hash(STORY))
        assert doc is not None and doc.raw == STORY  # the first copy's raw input, as read


def _exact(t: str) -> str:
    return hashlib.sha256(t.encode("utf-8")).hexdigest()[:16]


def test_identity_a_ledger_made_before_is_migrated(db_url: str, tmp_path: Path) -> None:
    for name, body in (("a.txt", STORY), ("b.txt", REWRAPPED), ("c.txt", OTHER)):
        (tmp_path / name).write_text(body)
    with Ledger(db_url) as lg:
        ingest(lg, [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")], SETTINGS)
        # what a version-2 ledger held: documents keyed by their exact text, and the
        # re-wrapped copy stored as a document of its own
        ingest(lg, [str(tmp_path / "b.txt")], SETTINGS.with_(min_confidence=0.0))
        with lg.engine.begin() as conn:
            for body in (STORY, OTHER):  # OTHER is one line: keyed the same both ways
                if text_hash(body) != _exact(body):
                    _rekey(conn, text_hash(body), _exact(body))
            conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
        before = lg.stats()
        assert lg.document(text_hash(STORY)) is None
        with lg.engine.begin() as conn:
            # the copy as a version-2 ledger held it: a document of its own, with incidents
            _store_old_copy(conn, tmp_path)
    with Ledger(db_url) as lg:
        assert lg.schema_version() == s.SCHEMA_VERSION
        after = lg.stats()
        assert after["documents"] == 2 and before["documents"] == 2
        assert lg.document(text_hash(STORY)) is not None
        assert lg.document(text_hash(OTHER)) is not None
        names = {r.document_name for r in lg.incidents()}
        assert str(tmp_path / "a.txt") in names
        assert after["incidents"] == before["incidents"]  # the copy's were removed
        assert after["document_names"] == 3
        assert lg.fused() == [] and lg.pending() == after["incidents_current"]
        Fuser(lg).pending()
        assert lg.pending() == 0
        again = ingest(lg, [str(tmp_path / "b.txt"), str(tmp_path / "c.txt")], SETTINGS)
        assert (again.new, again.skipped) == (0, 2)


def _rekey(conn, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """Key document ``old`` as ``new`` (a row under the new id first, as foreign keys ask)."""
    d = s.documents
    row = conn.execute(d.select().where(d.c.id == old)).mappings().one()
    conn.execute(d.insert().values({**row, "id": new}))
    for t in (s.document_names, s.processings, s.mentions, s.incidents):
        conn.execute(update(t).where(t.c.document_id == old).values(document_id=new))
    conn.execute(s.stories.delete().where(s.stories.c.document_id == old))
    conn.execute(d.delete().where(d.c.id == old))


def _store_old_copy(conn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Add the re-wrapped copy as an old ledger would have: its own document row (keyed by
    its exact text) with a processing and incidents copied from the story's."""
    old, copy = _exact(STORY), _exact(REWRAPPED)
    row = conn.execute(s.documents.select().where(s.documents.c.id == old)).mappings().one()
    conn.execute(
        s.documents.insert().values(
            {**row, "id": copy, "text": REWRAPPED, "raw": REWRAPPED, "name": "b"}
        )
    )
    conn.execute(
        s.document_names.insert().values(
            document_id=copy, name=str(tmp_path / "b.txt"), first_seen=row["first_seen"]
        )
    )
    proc = (
        conn.execute(s.processings.select().where(s.processings.c.document_id == old))
        .mappings()
        .first()
    )
    new_proc = conn.execute(
        s.processings.insert()
        .values({**{k: v for k, v in proc.items() if k != "id"}, "document_id": copy})
        .returning(s.processings.c.id)
    ).scalar_one()
    for inc in conn.execute(
        s.incidents.select().where(s.incidents.c.document_id == old)
    ).mappings():
        conn.execute(
            s.incidents.insert().values(
                {
                    **{k: v for k, v in inc.items() if k != "id"},
                    "document_id": copy,
                    "processing_id": new_proc,
                    "incident_id": inc["incident_id"][::-1],
                }
            )
        )
