"""What PostgreSQL enforces and SQLite lets pass: every test runs on both backends (see
tests/pg.py) and failed on PostgreSQL before the store allowed for it."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import make_url

from harmledger.fuse.ledger import Fuser
from harmledger.model import ActorValue, Annotated, Document, Mention, PlaceValue
from harmledger.store import Filters, Ledger, resolve_url
from test_store_samples import army_base, sijir, tal_shair


def on_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture
def ledger(db_url: str):
    with Ledger(db_url) as lg:
        yield lg


# ---------------------------------------------------------------- lengths and sizes


def test_store_long_names_and_metadata_are_kept(ledger: Ledger) -> None:
    """VARCHAR(n) is a hard limit on PostgreSQL: a long URL used as a document's name,
    a browser-style language list or a long media type failed the whole add."""
    name = "https://reliefweb.int/report/iraq/" + "sinjar-survivors-testimony-" * 45
    doc = sijir(name=name)
    d = doc.document
    meta = replace(d.meta, language="en-GB,en;q=0.9,ar-IQ;q=0.8,ku;q=0.7")
    media = "text/html; charset=utf-8; profile=" + "x" * 120
    doc = replace(doc, document=replace(d, meta=meta, media_type=media))
    assert ledger.add(doc, pipeline_version="v1").incidents_added == 2
    assert ledger.document_names(d.id) == [name]
    loaded = ledger.document(d.id)
    assert loaded is not None
    assert (loaded.meta.language, loaded.media_type) == (meta.language, media)


def test_store_long_actor_and_place_names_are_kept(ledger: Ledger) -> None:
    doc = tal_shair()
    inc = doc.incidents[0]
    actor = "Unidentified armed men in military uniforms driving pick-up trucks " * 10
    place = "Tal al-Sha'ir village, west of the road between two districts " * 10
    a1 = replace(inc.actor1, value=replace(inc.actor1.value, name=actor))  # type: ignore[union-attr]
    loc = replace(inc.location, value=replace(inc.location.value, name=place))  # type: ignore[union-attr]
    changed = replace(inc, actor1=a1, location=loc)
    ledger.add(replace(doc, incidents=(changed,), mentions=()), pipeline_version="v1")
    assert ledger.get(inc.incident_id).incident == changed  # type: ignore[union-attr]
    assert [r.incident.incident_id for r in ledger.incidents(Filters(actor="pick-up trucks"))] == [
        inc.incident_id
    ]


def test_store_counts_beyond_32_bits_are_kept(ledger: Ledger) -> None:
    """INTEGER is 32-bit on PostgreSQL: an outlier count failed the add."""
    doc = army_base()
    inc = replace(doc.incidents[0], fatalities=3_000_000_000)
    ledger.add(replace(doc, incidents=(inc,)), pipeline_version="v1")
    assert ledger.get(inc.incident_id).incident.fatalities == 3_000_000_000  # type: ignore[union-attr]
    Fuser(ledger).pending()
    (fused,) = ledger.fused()
    assert fused.fatalities == 3_000_000_000


# ---------------------------------------------------------------- NUL characters


def test_store_nul_in_raw_input_and_metadata(ledger: Ledger, db_url: str) -> None:
    """PostgreSQL's text cannot hold NUL: it is stored as U+FFFD there (kept on SQLite).
    Cleaned text never has one; raw input can, after the reader's binary sniff."""
    text = "Gunmen shot dead two farmers near Kirkuk on 3 May 2020."
    raw = text + "\n" + "padding " * 20 + "\x00trailer"
    base = Document.build(name="feed.jsonl:7\x00", text=text, raw=raw, reader="jsonl.v2")
    doc = replace(base, meta=replace(base.meta, title="Kirkuk\x00 attack", extra={"k": "a\x00b"}))
    ledger.add(Annotated(document=doc), pipeline_version="v1")
    loaded = ledger.document(doc.id)
    assert loaded is not None
    nul = "\ufffd" if on_postgres(db_url) else "\x00"
    assert loaded.text == text
    assert loaded.raw == raw.replace("\x00", nul)
    assert loaded.name == "feed.jsonl:7" + nul
    assert loaded.meta.title == f"Kirkuk{nul} attack"
    assert dict(loaded.meta.extra) == {"k": "a\x00b"}  # JSON escapes it: kept everywhere


def test_store_nul_in_a_mention_value(ledger: Ledger, db_url: str) -> None:
    doc = army_base()
    t = doc.document.text
    loc = Mention("place", 0, 8, t[:8], PlaceValue("Maidu\x00guri", "Nigeria"), "places.v1")
    actor = replace(doc.incidents[0].actor1, value=ActorValue("Army\x00", "State Forces"))
    inc = replace(doc.incidents[0], location=loc, actor1=actor)
    ledger.add(replace(doc, incidents=(inc,)), pipeline_version="v1")
    # the mention (JSON) keeps it; the filter columns hold it as U+FFFD on PostgreSQL
    assert ledger.get(inc.incident_id).incident == inc  # type: ignore[union-attr]
    (record,) = ledger.incidents(Filters(place="maidu"))
    assert record.incident.location == loc
    del db_url


# ---------------------------------------------------------------- many ids


def test_store_fuse_pending_takes_more_ids_than_a_statement_can(ledger: Ledger) -> None:
    """PostgreSQL caps a statement at 65,535 parameters: a long ``IN (...)`` failed."""
    docs = [sijir(), tal_shair(), army_base()]
    for d in docs:
        ledger.add(d, pipeline_version="v1")
    real = [d.document.id for d in docs[:2]]
    ids = [f"{n:016x}" for n in range(70_000)] + real
    result = Fuser(ledger).pending(ids)
    assert result.reports == 3  # sijir's two incidents and tal_shair's; army_base waits
    assert len(ledger.texts(ids)) == 2
    assert Fuser(ledger).pending([docs[2].document.id]).reports == 1
    assert Fuser(ledger).pending(ids).reports == 0


# ---------------------------------------------------------------- several processes


def _together(n: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def go() -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_store_ledgers_opened_at_once_create_the_tables_once(db_url: str) -> None:
    """Several `harmledger run` processes starting on a new ledger: on PostgreSQL the
    second CREATE TABLE failed (duplicate key), on SQLite 'table already exists'."""

    def open_one() -> None:
        with Ledger(db_url) as lg:
            lg.stats()

    assert _together(6, open_one) == []
    with Ledger(db_url) as lg:
        assert lg.schema_version() >= 2


def test_store_same_document_added_at_once_is_stored_once(pg_url: str) -> None:
    with Ledger(pg_url) as lg:
        lg.stats()  # tables exist

    def add() -> None:
        with Ledger(pg_url) as lg:
            lg.add(sijir(), pipeline_version="v1")

    assert _together(6, add) == []
    with Ledger(pg_url) as lg:
        stats = lg.stats()
    assert (stats["documents"], stats["incidents"], stats["document_names"]) == (1, 2, 1)


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "given", ["postgresql://coder@db.example.org/ledger", "postgres://coder@db.example.org/ledger"]
)
def test_store_libpq_style_urls_use_psycopg(given: str) -> None:
    """SQLAlchemy 2.0's default PostgreSQL driver is psycopg2, which the `postgres`
    extra does not install (2.1's is psycopg); postgres:// was no URL at all."""
    url = resolve_url(given)
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.database) == ("db.example.org", "ledger")


def test_store_plain_postgresql_url_opens(pg_url: str) -> None:
    plain = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    assert plain.startswith("postgresql://")
    with Ledger(plain) as lg:
        lg.add(army_base(), pipeline_version="v1")
        assert lg.stats()["incidents"] == 1
