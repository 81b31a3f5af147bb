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
no SQLite-only SQL; timestamps are stored as naive UTC.

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

from sqlalchemy import (
    JSON,
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
    UniqueConstraint,
)

#: Bump when the tables change, and add a migration to MIGRATIONS.
SCHEMA_VERSION = 2

ID = String(64)  # text hashes, incident ids, version strings

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
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", ID, primary_key=True),  # Document.id: text hash
    Column("name", Text, nullable=False),  # the name it was first seen under
    Column("text", Text, nullable=False),  # cleaned text: every offset points here
    Column("raw", Text, nullable=False),  # the input as read
    Column("title", Text),
    Column("byline", Text),
    Column("publisher", Text),
    Column("published", Date),
    Column("url", Text),
    Column("section", Text),
    Column("language", String(16)),
    Column("extra", JSON, nullable=False),
    Column("reader", ID, nullable=False),  # versioned reader name
    Column("media_type", String(100), nullable=False),
    Column("removed", JSON, nullable=False),  # boilerplate removed: [Removal as dict]
    Column("first_seen", DateTime, nullable=False, index=True),
)

document_names = Table(
    "document_names",
    metadata,
    Column("document_id", ID, ForeignKey("documents.id"), primary_key=True),
    Column("name", String(1000), primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", DateTime, nullable=False),
    Column("finished", DateTime),
    Column("pipeline_version", Text, nullable=False),
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
    Column("name", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

processings = Table(
    "processings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # higher = newer
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("pipeline_version", Text, nullable=False),
    Column("doc_name", Text, nullable=False),  # the name it was processed under
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
    Column("text", Text, nullable=False),
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
    Column("pipeline_version", Text, nullable=False),
    Column("doc_name", Text, nullable=False),
    Column("event_type", String(100), index=True),
    Column("sub_event_type", String(100)),
    Column("fatalities", Integer, nullable=False),
    Column("confidence", Float, nullable=False, index=True),
    Column("evidence", JSON, nullable=False),  # [[start, end], ...]
    Column("evidence_start", Integer, nullable=False),  # ordering within a document
    Column("stage", ID, nullable=False),
    Column("versions", JSON, nullable=False),
    Column("doc_country", String(200)),  # Incident.country (the document's country)
    # denormalised from the chosen mentions, for filtering and export
    Column("date_start", Date, index=True),
    Column("date_end", Date, index=True),
    Column("date_precision", Integer),
    Column("location_name", String(500), index=True),
    Column("admin1", String(500), index=True),
    Column("admin2", String(500)),
    Column("country", String(200), index=True),  # location's country, else doc_country
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("actor1_name", String(500), index=True),
    Column("actor2_name", String(500), index=True),
    UniqueConstraint("incident_id", "processing_id"),
)

incident_violations = Table(
    "incident_violations",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("violation", String(100), nullable=False, index=True),
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
    Column("signature", Text, nullable=False),  # MinHash, neardup.encode()
    Column("method", ID, nullable=False),  # neardup.v1
)

fused_incidents = Table(
    "fused_incidents",
    metadata,
    Column("id", ID, primary_key=True),  # fused id: fixed by its first report
    Column("event_type", String(100), index=True),
    Column("sub_event_type", String(100)),
    Column("violations", JSON, nullable=False),
    Column("date_start", Date, index=True),
    Column("date_end", Date, index=True),
    Column("date_precision", Integer),
    Column("location_name", String(500), index=True),
    Column("admin1", String(500), index=True),
    Column("country", String(200), index=True),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("actor1_name", String(500), index=True),
    Column("actor2_name", String(500)),
    Column("fatalities", Integer, nullable=False),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("counts", JSON, nullable=False),  # role -> [min, max]
    Column("sources", Integer, nullable=False),  # independent sources
    Column("reports", Integer, nullable=False),
    Column("disagreements", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("confidence", Float, nullable=False, index=True),
    Column("manual", Boolean, nullable=False),
    Column("version", ID, nullable=False),  # fuse.v1
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
    Column("note", Text),
    Column("made_by", String(200)),
    Column("made_at", DateTime, nullable=False),
)

_V2_TABLES = (stories, fused_incidents, fused_members, fusion_decisions)


def _to_v2(conn: Connection) -> None:
    """Version 2 adds fusion: stories, fused incidents, members, decisions (new tables
    only; existing incidents are fused by the next ``harmledger fuse``, ``run`` or
    ``export``)."""
    metadata.create_all(conn, tables=list(_V2_TABLES), checkfirst=True)


#: target version -> function upgrading a database from ``target - 1``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _to_v2}
