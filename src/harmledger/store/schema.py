"""The ledger's tables (SQLAlchemy Core). SQLite by default; portable to PostgreSQL.

One row per thing the pipeline made, each with its provenance::

    meta                 key/value: the schema version (and who created the ledger)
    documents            one row per distinct cleaned text (id = text hash)
    document_names       every name a document was seen under (copies of a file)
    runs                 one row per ``harmledger`` run: inputs, versions, counts
    read_errors          documents a run could not read, and why
    processings          one row per (document, pipeline version): what ran, when
    mentions             every mention a processing produced (span + stage + value)
    incidents            one row per incident, with the fields filters and exports use
                         denormalised into columns (dates, place, actor names)
    incident_violations  an incident's violations, one per row (filterable, ordered)
    incident_mentions    which mention fills which field of an incident
    stories              each document's near-duplicate story (copies share one story id)
    fused_incidents      one row per fused incident: values chosen across its reports,
                         ranges, independent sources, disagreements, the reason
    fused_members        which current incident (report) belongs to which fused incident
    fusion_decisions     merges and splits a person made (kept; re-applied on every fuse)

Portability: only generic types (String, Text, Integer, Float, Date, DateTime, JSON),
no SQLite-only SQL; timestamps are stored as naive UTC. Tested on SQLite and PostgreSQL
(``HARMLEDGER_TEST_POSTGRES``, see the README). What PostgreSQL enforces and SQLite does
not is allowed for here: text that comes from documents, resources or people (names,
places, actors, metadata) is unbounded :data:`FreeText`, not ``VARCHAR(n)`` (PostgreSQL
refuses longer values); counts are 64-bit; PostgreSQL's text cannot hold NUL characters,
so :class:`FreeText` stores a NUL as U+FFFD there (cleaned document text never has one:
only raw input and metadata can).

Migrations
----------
``SCHEMA_VERSION`` is stored in ``meta`` when a ledger is created. To change the schema:

1. change the tables below and bump ``SCHEMA_VERSION`` (say to 2);
2. add a function ``_to_v2(conn)`` to :data:`MIGRATIONS` under key ``2`` that brings a
   version-1 database to version 2 using portable DDL/DML (``op``-style statements through
   ``conn.execute(text(...))`` or Core constructs; e.g. ``ALTER TABLE incidents ADD COLUMN
   admin2 VARCHAR``, then back-fill it from ``mentions``);
3. add a test that opens a version-1 ledger file and checks the upgraded rows.

:func:`harmledger.store.ledger.Ledger` runs every pending migration in order, each in its
own transaction, updating ``meta.schema_version`` after each, and refuses (with a clear
message) a ledger written by a newer schema than it knows. If migrations ever get complex,
switch to Alembic with this table's version as the starting revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

#: Bump when the tables change, and add a migration to MIGRATIONS.
SCHEMA_VERSION = 2

ID = String(64)  # text hashes, incident ids, version strings: made by the code


class FreeText(TypeDecorator[str]):
    """Unbounded text from outside the code (``TEXT`` on every backend). PostgreSQL
    cannot store NUL characters: there a NUL is stored as U+FFFD, the replacement
    character (SQLite keeps it)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, str) and dialect.name == "postgresql" and "\x00" in value:
            return value.replace("\x00", "\ufffd")
        return value


#: A count of people: 64-bit (a parser's outlier must not fail a PostgreSQL insert).
Count = BigInteger

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", FreeText, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", ID, primary_key=True),  # Document.id: text hash
    Column("name", FreeText, nullable=False),  # the name it was first seen under
    Column("text", FreeText, nullable=False),  # cleaned text: every offset points here
    Column("raw", FreeText, nullable=False),  # the input as read
    Column("title", FreeText),
    Column("byline", FreeText),
    Column("publisher", FreeText),
    Column("published", Date),
    Column("url", FreeText),
    Column("section", FreeText),
    Column("language", FreeText),
    Column("extra", JSON, nullable=False),
    Column("reader", ID, nullable=False),  # versioned reader name
    Column("media_type", FreeText, nullable=False),
    Column("removed", JSON, nullable=False),  # boilerplate removed: [Removal as dict]
    Column("first_seen", DateTime, nullable=False, index=True),
)

document_names = Table(
    "document_names",
    metadata,
    Column("document_id", ID, ForeignKey("documents.id"), primary_key=True),
    Column("name", FreeText, primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", DateTime, nullable=False),
    Column("finished", DateTime),
    Column("pipeline_version", FreeText, nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("documents_read", Integer),
    Column("documents_new", Integer),
    Column("documents_skipped", Integer),
    Column("documents_failed", Integer),
    Column("stats", JSON),  # everything finish_run was given
)

read_errors = Table(
    "read_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("name", FreeText, nullable=False),
    Column("reason", FreeText, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

processings = Table(
    "processings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # higher = newer
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("pipeline_version", FreeText, nullable=False),
    Column("doc_name", FreeText, nullable=False),  # the name it was processed under
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("stored_at", DateTime, nullable=False),
    Column("stages", JSON, nullable=False),  # Annotated.stages
    Column("sentences", JSON, nullable=False),  # [[start, end], ...]
    UniqueConstraint("document_id", "pipeline_version"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("processing_id", Integer, ForeignKey("processings.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", FreeText, nullable=False),
    Column("stage", ID, nullable=False),
    Column("value", JSON, nullable=False),  # Mention.to_dict()["value"]
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", ID, nullable=False, index=True),
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("processing_id", Integer, ForeignKey("processings.id"), nullable=False, index=True),
    Column("pipeline_version", FreeText, nullable=False),
    Column("doc_name", FreeText, nullable=False),
    Column("event_type", FreeText, index=True),
    Column("sub_event_type", FreeText),
    Column("fatalities", Count, nullable=False),
    Column("confidence", Float, nullable=False, index=True),
    Column("evidence", JSON, nullable=False),  # [[start, end], ...]
    Column("evidence_start", Integer, nullable=False),  # ordering within a document
    Column("stage", ID, nullable=False),
    Column("versions", JSON, nullable=False),
    Column("doc_country", FreeText),  # Incident.country (the document's country)
    # denormalised from the chosen mentions, for filtering and export
    Column("date_start", Date, index=True),
    Column("date_end", Date, index=True),
    Column("date_precision", Integer),
    Column("location_name", FreeText, index=True),
    Column("admin1", FreeText, index=True),
    Column("admin2", FreeText),
    Column("country", FreeText, index=True),  # location's country, else doc_country
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("actor1_name", FreeText, index=True),
    Column("actor2_name", FreeText, index=True),
    UniqueConstraint("incident_id", "processing_id"),
)

incident_violations = Table(
    "incident_violations",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("violation", FreeText, nullable=False, index=True),
)

#: ``field`` is one of actor1, actor2, date, location, count, quote, trigger; ``role`` is
#: the count role for ``count``; ``position`` keeps the order of counts, quotes, triggers.
incident_mentions = Table(
    "incident_mentions",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("field", String(16), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("role", String(32)),
    Column("mention_id", Integer, ForeignKey("mentions.id"), nullable=False, index=True),
)

Index(None, incidents.c.document_id, incidents.c.evidence_start)

stories = Table(
    "stories",
    metadata,
    Column("document_id", ID, ForeignKey("documents.id"), primary_key=True),
    Column("story_id", ID, nullable=False, index=True),  # the story's first document
    Column("similarity", Float, nullable=False),  # to that document (1.0: its own story)
    Column("signature", FreeText, nullable=False),  # MinHash, neardup.encode()
    Column("method", ID, nullable=False),  # neardup.v1
)

fused_incidents = Table(
    "fused_incidents",
    metadata,
    Column("id", ID, primary_key=True),  # fused id: fixed by its first report
    Column("event_type", FreeText, index=True),
    Column("sub_event_type", FreeText),
    Column("violations", JSON, nullable=False),
    Column("date_start", Date, index=True),
    Column("date_end", Date, index=True),
    Column("date_precision", Integer),
    Column("location_name", FreeText, index=True),
    Column("admin1", FreeText, index=True),
    Column("country", FreeText, index=True),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("actor1_name", FreeText, index=True),
    Column("actor2_name", FreeText),
    Column("fatalities", Count, nullable=False),
    Column("killed_min", Count),
    Column("killed_max", Count),
    Column("counts", JSON, nullable=False),  # role -> [min, max]
    Column("sources", Integer, nullable=False),  # independent sources
    Column("reports", Integer, nullable=False),
    Column("disagreements", JSON, nullable=False),
    Column("reason", FreeText, nullable=False),
    Column("confidence", Float, nullable=False, index=True),
    Column("manual", Boolean, nullable=False),
    Column("version", ID, nullable=False),  # fuse.v4
    Column("first_pk", Integer, nullable=False, index=True),  # ordering: first report's row
    Column("updated", DateTime, nullable=False),
)

fused_members = Table(
    "fused_members",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("fused_id", ID, ForeignKey("fused_incidents.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
)

#: ``action`` is "merge" (``incident_ids`` are one event) or "split" (``incident_ids`` are
#: not the same event as ``others``); later decisions override earlier ones.
fusion_decisions = Table(
    "fusion_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(16), nullable=False),
    Column("incident_ids", JSON, nullable=False),
    Column("others", JSON, nullable=False),
    Column("note", FreeText),
    Column("made_by", FreeText),
    Column("made_at", DateTime, nullable=False),
)

_V2_TABLES = (stories, fused_incidents, fused_members, fusion_decisions)


def _to_v2(conn: Connection) -> None:
    """Version 2 adds fusion: stories, fused incidents, members, decisions (new tables
    only; existing incidents are fused by the next ``harmledger fuse`` or ``run``)."""
    metadata.create_all(conn, tables=list(_V2_TABLES), checkfirst=True)


#: target version -> function upgrading a database from ``target - 1``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _to_v2}
