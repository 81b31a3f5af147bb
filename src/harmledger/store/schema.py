"""The ledger's tables (SQLAlchemy Core). SQLite by default; portable to PostgreSQL.

One row per thing the pipeline made, each with its provenance::

    meta                 key/value: the schema version (and who created the ledger)
    documents            one row per distinct cleaned text (id = text hash)
    document_names       every name a document was seen under (copies of a file)
    runs                 one row per ``harmledger`` run: inputs, versions, counts, and
                         whether it finished, runs (its machine and process) or was
                         interrupted
    read_errors          documents a run could not read, and why
    processings          one row per (document, pipeline version): what ran, when
    mentions             every mention a processing produced (span + stage + value)
    incidents            one row per incident, with the fields filters and exports use
                         denormalised into columns (dates, place, actor names)
    incident_violations  an incident's violations, one per row (filterable, ordered)
    incident_mentions    which mention fills which field of an incident
    stories              each document's near-duplicate story (copies share one story id)
    story_bands          the band keys of each story signature: where a new document's
                         near-duplicates are looked up (schema 9)
    fused_incidents      one row per fused incident: values chosen across its reports,
                         ranges, independent sources, disagreements, the reason
    fused_members        which current incident (report) belongs to which fused incident
    fusion_decisions     merges and splits a person made (kept; re-applied on every fuse)
    users                the workspace's accounts: name, role, argon2 password hash
    sessions             signed-in browsers: a hash of the cookie's token, CSRF token, expiry
    reviews              a person's review of an incident: state, reason, who, when, and the
                         reviewed values (a layer over the machine's values, which stay)
    protected_marks      words a person marked protected (names, quotes) in a document
    audit_log            every change, append-only, each entry's SHA-256 covering the
                         previous entry's (see :mod:`harmledger.audit`)
    filter_names         every distinct place and actor name the incidents' columns hold,
                         casefolded beside it: what a place or actor filter is matched
                         against before the incidents' indexes are searched

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

import hashlib
from collections.abc import Callable, Iterable
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
    delete,
    exists,
    false,
    insert,
    inspect,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.engine import Dialect

from harmledger.model import text_hash

#: Bump when the tables change, and add a migration to MIGRATIONS.
SCHEMA_VERSION = 9

#: ``meta`` key set by the migration to schema 9: the stories stored before have no band
#: keys yet (the next fusion gives them theirs).
BANDS_TO_FILL = "story_bands_to_fill"

ID = String(64)  # text hashes, incident ids, version strings: made by the code


class FreeText(TypeDecorator[str]):
    """Unbounded text from outside the code (``TEXT`` on every backend). PostgreSQL
    cannot store NUL characters: there a NUL is stored as U+FFFD, the replacement
    character (SQLite keeps it)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return without_nul(value) if dialect.name == "postgresql" else value


def without_nul(value: Any) -> Any:
    """``value`` as PostgreSQL stores free text: a NUL as U+FFFD (:class:`FreeText`)."""
    if isinstance(value, str) and "\x00" in value:
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
    # chain of custody: SHA-256 (hex) of the raw input as read, UTF-8 (schema 5)
    Column("raw_sha256", String(64)),
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
    Column("status", String(16)),  # running, finished, interrupted (v3)
    Column("host", FreeText),  # the machine and process that ran it (v3)
    Column("pid", Integer),
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
    # Incident.focus: one of the events the report is about (schema 7)
    Column("focus", Boolean, nullable=False, default=False, server_default=false()),
    # Incident.victims (Victims.to_dict(); None when it names no victim; schema 8): names
    # protected by default are masked for readers without the right (privacy.py)
    Column("victims", JSON(none_as_null=True)),
    # what its evidence's words name, as fusion compares them (the sorted ints of
    # model.words.fingerprint) and the name of the rules that made them (words.v1;
    # schema 9): fusion reads these, not the document's text and place mentions. None
    # (an incident a person added) or another name: fusion makes them from the document.
    Column("words", JSON(none_as_null=True)),
    Column("words_method", ID),
    # denormalised from the chosen mentions, for filtering and export: the effective
    # values (a person's reviewed value where there is one, else the machine's; schema 6)
    Column("date_start", Date, index=True),
    Column("date_end", Date, index=True),
    Column("date_precision", Integer),
    Column("location_name", FreeText),  # indexed with current and date_start, below
    Column("admin1", FreeText),
    Column("admin2", FreeText),
    Column("country", FreeText),  # location's country, else doc_country
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("actor1_name", FreeText, index=True),
    Column("actor2_name", FreeText, index=True),
    # of its document's newest processing (schema 5): set when stored, cleared when a
    # newer processing of the document is stored, in the same transaction
    Column("current", Boolean, nullable=False, default=True, server_default=true()),
    UniqueConstraint("incident_id", "processing_id"),
)

incident_violations = Table(
    "incident_violations",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("violation", FreeText, nullable=False, index=True),
)

#: ``field`` is one of actor1, actor2, date, location, count, quote, trigger, dropped (a
#: value its words give that cannot be true, see ``model.DroppedValue``); ``role`` is
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
#: a place filter searches each of these for the names it matched, newest first, without
#: reading a row (schema 6; before, one index per column)
PLACE_INDEXES = tuple(
    Index(None, incidents.c[name], incidents.c.current, incidents.c.date_start)
    for name in ("location_name", "admin1", "country")
)

stories = Table(
    "stories",
    metadata,
    Column("document_id", ID, ForeignKey("documents.id"), primary_key=True),
    Column("story_id", ID, nullable=False, index=True),  # the story's first document
    Column("similarity", Float, nullable=False),  # to that document (1.0: its own story)
    Column("signature", FreeText, nullable=False),  # MinHash, neardup.encode()
    Column("method", ID, nullable=False),  # neardup.v1
)

#: The band keys of each story signature (:func:`harmledger.fuse.neardup.band_keys`, as
#: signed 64-bit integers; schema 9): a new document's near-duplicates are the documents
#: sharing a band key with it, looked up here, so that fusion holds no index of every
#: signature in memory. ``seq``: the order documents were placed in stories (a tie of
#: similarity goes to the earliest).
story_bands = Table(
    "story_bands",
    metadata,
    Column("band", BigInteger, primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("document_id", ID, nullable=False, index=True),
    sqlite_with_rowid=False,
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

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # admin, analyst, viewer
    Column("password_hash", FreeText, nullable=False),  # argon2id, PHC string
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=False),
)

#: A signed-in browser. The cookie holds a random token; only its SHA-256 is stored.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

#: One row per reviewed incident (stored row). ``state``: accepted, edited, rejected (an
#: incident without a row, or with ``pending``, waits for review). ``reviewed`` holds the
#: reviewed values, field -> value or mention dict (see :meth:`harmledger.model.Review`);
#: the machine's values stay in ``incidents`` and ``mentions``. ``flag``: ``carried`` (moved
#: from ``carried_from`` when the document was extracted again), ``orphaned`` (no new
#: incident matched it: re-review), ``added`` (a person added the incident).
reviews = Table(
    "reviews",
    metadata,
    Column("incident_pk", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("incident_id", ID, nullable=False, index=True),
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("state", String(16), nullable=False, index=True),
    Column("reason", FreeText),
    Column("reviewed", JSON, nullable=False),
    Column("reviewed_by", FreeText, nullable=False),
    Column("reviewed_at", DateTime, nullable=False),
    Column("flag", String(16), index=True),
    Column("carried_from", ID),
    # the incident's own columns the reviewed values replaced in its ``incidents`` row
    # (event_type, sub_event_type, fatalities, doc_country, violations): what the
    # machine read, which the mentions do not keep (schema 6)
    Column("machine", JSON),
)

#: ``kind``: ``place`` (a value of location_name, admin1 or country) or ``actor``
#: (actor1_name, actor2_name). ``folded``: the name casefolded. Names are added as
#: incidents are stored or reviewed, never removed (a name no incident holds matches none).
filter_names = Table(
    "filter_names",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("name", FreeText, primary_key=True),
    Column("folded", FreeText, nullable=False),
)

#: incidents columns -> the kind of name they hold, for :data:`filter_names`
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "place": ("location_name", "admin1", "country"),
    "actor": ("actor1_name", "actor2_name"),
}

protected_marks = Table(
    "protected_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", ID, ForeignKey("documents.id"), nullable=False, index=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", FreeText, nullable=False),
    Column("kind", String(16), nullable=False),  # name, quote, speaker
    Column("made_by", FreeText, nullable=False),
    Column("made_at", DateTime, nullable=False),
)

#: Append-only. ``prev_hash`` is unique, so the chain cannot fork; ``hash`` is the SHA-256
#: of the entry's canonical form (which includes ``prev_hash``).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", FreeText, nullable=False),
    Column("via", String(16), nullable=False),  # cli, web, python
    Column("action", String(32), nullable=False, index=True),
    Column("target", FreeText, nullable=False, index=True),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", FreeText),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
)

_V2_TABLES = (stories, fused_incidents, fused_members, fusion_decisions)
_V5_TABLES = (users, sessions, reviews, protected_marks, audit_log)


def _to_v2(conn: Connection) -> None:
    """Version 2 adds fusion: stories, fused incidents, members, decisions (new tables
    only; existing incidents are fused by the next ``harmledger fuse`` or ``run``)."""
    metadata.create_all(conn, tables=list(_V2_TABLES), checkfirst=True)


def _to_v3(conn: Connection) -> None:
    """Version 3 gives each run its status and owner (machine, process), so that a run
    whose process was killed can be told from one still running and closed."""
    have = {c["name"] for c in inspect(conn).get_columns("runs")}
    for column in ("status VARCHAR(16)", "host TEXT", "pid INTEGER"):
        if column.split()[0] not in have:
            conn.execute(text(f"ALTER TABLE runs ADD COLUMN {column}"))
    conn.execute(text("UPDATE runs SET status = 'finished' WHERE finished IS NOT NULL"))


#: Tables whose rows name a document (``document_id``), in the order they are moved.
_DOCUMENT_ROWS = (document_names, processings, mentions, incidents)


def _to_v4(conn: Connection) -> None:
    """Version 4 keys a document by its text with whitespace normalised
    (:func:`harmledger.model.text_hash`), not by its exact text: each document's id is
    made again from its stored text, and the rows that name it follow. Documents that
    differ only in their spacing are one now: the first seen keeps its rows and gains the
    others' names; the others' processings, mentions and incidents are removed (they were
    the same report counted again). Incident ids stay as they were. The fused incidents
    and stories are made from document ids, so they are removed: the next ``harmledger
    run`` or ``harmledger fuse`` fuses the ledger again (a person's merges and splits are
    kept, and name incidents, whose ids stay)."""
    d = documents
    found = conn.execute(
        select(d.c.id, d.c.text).order_by(d.c.first_seen, d.c.id).execution_options(yield_per=500)
    )
    groups: dict[str, list[str]] = {}
    for old, text_ in found:
        groups.setdefault(text_hash(text_), []).append(old)
    if all(olds == [new] for new, olds in groups.items()):
        return
    for t in (fused_members, fused_incidents, stories):  # made from document ids
        conn.execute(delete(t))
    moves: list[dict[str, str]] = []  # keeper's old id -> its new id
    dropped: list[str] = []
    for new, olds in groups.items():
        keeper = new if new in olds else olds[0]  # a row already keyed right stays
        dropped += [o for o in olds if o != keeper]
        if keeper != new:
            moves.append({"old": keeper, "new": new})
        for other in olds:
            if other != keeper:
                _move_names(conn, other, new if keeper == new else keeper)
    _drop_documents(conn, dropped)
    # the columns a version-3 ledger has (later versions add some)
    have = {c["name"] for c in inspect(conn).get_columns("documents")}
    kept = [c for c in d.c if c.name in have]
    for move in moves:  # a row under the new id first, the rows naming it, then the old row
        row = conn.execute(select(*kept).where(d.c.id == move["old"])).mappings().one()
        conn.execute(insert(d).values({**row, "id": move["new"]}))
        for t in _DOCUMENT_ROWS:
            conn.execute(
                update(t).where(t.c.document_id == move["old"]).values(document_id=move["new"])
            )
        conn.execute(delete(d).where(d.c.id == move["old"]))


def _move_names(conn: Connection, source: str, target: str) -> None:
    """The names document ``source`` was seen under, given to ``target`` too."""
    n = document_names
    have = set(conn.scalars(select(n.c.name).where(n.c.document_id == target)))
    for name, seen in conn.execute(
        select(n.c.name, n.c.first_seen).where(n.c.document_id == source)
    ):
        if name not in have:
            conn.execute(insert(n).values(document_id=target, name=name, first_seen=seen))


def _drop_documents(conn: Connection, ids: list[str]) -> None:
    """Remove documents and every row made from them (in an order foreign keys allow)."""
    for part in (ids[k : k + 500] for k in range(0, len(ids), 500)):
        pks = select(incidents.c.id).where(incidents.c.document_id.in_(part))
        for t in (incident_mentions, incident_violations):
            conn.execute(delete(t).where(t.c.incident_pk.in_(pks)))
        for t in (incidents, mentions, processings, document_names):
            conn.execute(delete(t).where(t.c.document_id.in_(part)))
        conn.execute(delete(documents).where(documents.c.id.in_(part)))


def _to_v5(conn: Connection) -> None:
    """Version 5 adds the review workspace (users, sessions, reviews, protected marks, the
    audit log), each document's raw-input SHA-256, back-filled from the stored raw, and
    each incident's ``current`` flag, back-filled from its document's processings."""
    have = {c["name"] for c in inspect(conn).get_columns("documents")}
    if "raw_sha256" not in have:
        conn.execute(text("ALTER TABLE documents ADD COLUMN raw_sha256 VARCHAR(64)"))
    if "current" not in {c["name"] for c in inspect(conn).get_columns("incidents")}:
        yes = "true" if conn.dialect.name == "postgresql" else "1"
        conn.execute(
            text(f"ALTER TABLE incidents ADD COLUMN current BOOLEAN NOT NULL DEFAULT {yes}")
        )
        newer = processings.alias("newer")
        conn.execute(
            update(incidents)
            .where(
                exists().where(
                    newer.c.document_id == incidents.c.document_id,
                    newer.c.id > incidents.c.processing_id,
                )
            )
            .values(current=False)
        )
    metadata.create_all(conn, tables=list(_V5_TABLES), checkfirst=True)
    d = documents
    last = ""
    while True:  # in parts: raw inputs can be large
        part = conn.execute(
            select(d.c.id, d.c.raw).where(d.c.id > last).order_by(d.c.id).limit(200)
        ).all()
        if not part:
            break
        for row in part:
            conn.execute(update(d).where(d.c.id == row.id).values(raw_sha256=raw_sha256(row.raw)))
        last = part[-1].id


def raw_sha256(raw: str) -> str:
    """The chain-of-custody hash of a document's raw input (UTF-8)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def fold(name: str) -> str:
    """A name as :data:`filter_names` and the filters compare it: casefolded."""
    return name.casefold()


def _to_v6(conn: Connection) -> None:
    """Version 6 makes corrections count and name filters lookups: each review keeps
    the machine's own columns it replaces (``reviews.machine``), ``filter_names``
    holds every distinct place and actor name of the incidents, and each place column
    is indexed with the current flag and the date (:data:`PLACE_INDEXES`). The reviewed values of
    reviews made before are then written into their incidents' columns by
    :func:`harmledger.store.reviews.settle_all` (the ledger calls it after this step,
    in the same transaction: it rebuilds incidents, which this module cannot)."""
    if "machine" not in {c["name"] for c in inspect(conn).get_columns("reviews")}:
        conn.execute(text("ALTER TABLE reviews ADD COLUMN machine JSON"))
    metadata.create_all(conn, tables=[filter_names], checkfirst=True)
    for name in ("location_name", "admin1", "country"):
        conn.execute(text(f"DROP INDEX IF EXISTS ix_incidents_{name}"))
    for index in PLACE_INDEXES:
        index.create(conn, checkfirst=True)
    for kind, columns in NAME_COLUMNS.items():
        for column in columns:
            col = incidents.c[column]
            found = conn.scalars(select(col).where(col.is_not(None)).distinct())
            add_names(conn, kind, found)


def add_names(conn: Connection, kind: str, names: Iterable[str | None]) -> None:
    """Record ``names`` (of ``kind``: place, actor) in :data:`filter_names`; those it
    holds already are left as they are."""
    wanted = sorted({n for n in names if n})
    if not wanted:
        return
    fn = filter_names
    have: set[str] = set()
    for k in range(0, len(wanted), 500):
        part = wanted[k : k + 500]
        have.update(conn.scalars(select(fn.c.name).where(fn.c.kind == kind, fn.c.name.in_(part))))
    new = [{"kind": kind, "name": n, "folded": fold(n)} for n in wanted if n not in have]
    if not new:
        return
    if conn.dialect.name == "postgresql":  # another writer may add the same name meanwhile
        conn.execute(postgresql_insert(fn).on_conflict_do_nothing(), new)
    else:  # SQLite: every harmledger write transaction holds the write lock
        conn.execute(insert(fn), new)


def _to_v7(conn: Connection) -> None:
    """Version 7 stores each incident's ``focus`` (whether the report is about it). Incidents
    stored before were read without it: they are stored as not the focus until their
    document is processed again. The fused incidents holding reviewed incidents are taken
    apart afterwards (:func:`harmledger.store.ledger.Ledger` does it, in the same
    transaction), so that a ledger an earlier build took to version 6 fuses them again by
    the reviewed values."""
    if "focus" not in {c["name"] for c in inspect(conn).get_columns("incidents")}:
        no = "false" if conn.dialect.name == "postgresql" else "0"
        conn.execute(text(f"ALTER TABLE incidents ADD COLUMN focus BOOLEAN NOT NULL DEFAULT {no}"))


def _to_v8(conn: Connection) -> None:
    """Version 8 stores who each incident's victims were (``Incident.victims``: category,
    types, children, women, names). Incidents stored before read back without them until
    their document is processed again."""
    if "victims" not in {c["name"] for c in inspect(conn).get_columns("incidents")}:
        conn.execute(text("ALTER TABLE incidents ADD COLUMN victims JSON"))


def _to_v9(conn: Connection) -> None:
    """Version 9 stores each incident's fingerprint (``words``, ``words_method``: what
    fusion compares of its evidence's words), so that fusion no longer reads documents,
    and the band keys of the stories' signatures (:data:`story_bands`), so that it holds
    no index of them in memory. Both are filled for what was stored before by
    :func:`harmledger.store.fused.fill_words` and :func:`harmledger.fuse.ledger.fill_bands`
    (the ledger calls them after this step, in the same transaction)."""
    have = {c["name"] for c in inspect(conn).get_columns("incidents")}
    if "words" not in have:
        conn.execute(text("ALTER TABLE incidents ADD COLUMN words JSON"))
    if "words_method" not in have:
        conn.execute(text("ALTER TABLE incidents ADD COLUMN words_method VARCHAR(64)"))
    if not inspect(conn).has_table("story_bands"):
        metadata.create_all(conn, tables=[story_bands])
    has = select(meta.c.key).where(meta.c.key == BANDS_TO_FILL)
    if conn.scalar(select(stories.c.document_id).limit(1)) and conn.scalar(has) is None:
        conn.execute(insert(meta).values(key=BANDS_TO_FILL, value="1"))


#: target version -> function upgrading a database from ``target - 1``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _to_v2,
    3: _to_v3,
    4: _to_v4,
    5: _to_v5,
    6: _to_v6,
    7: _to_v7,
    8: _to_v8,
    9: _to_v9,
}
