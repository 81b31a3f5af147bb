"""The ledger: what the pipeline made, stored with provenance, queried back as Records.

``Ledger("ledger.db")`` opens (lazily, on first use) a SQLite file; a URL
(``"postgresql+psycopg://user@host/db"``) is handed to SQLAlchemy. Each :meth:`Ledger.add`
is one transaction. Adding the same document text under the same pipeline version adds
nothing; under a new version it adds the new incidents, and queries return only the
newest version's incidents per document unless ``all_versions=True``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import (
    URL,
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)

from harmledger.audit import login_name
from harmledger.errors import LedgerError
from harmledger.model import Annotated, Document, FusedIncident, Record, Span
from harmledger.store import audit, reviews, rows
from harmledger.store import fused as fu
from harmledger.store import schema as s
from harmledger.store.filters import NO_FILTERS, Filters, conditions
from harmledger.store.sql import MIN_PREFIX, aware, by_prefix, current_incident, now
from harmledger.version import __version__

#: Tries at opening a ledger (SQLite: another process may be creating the same tables).
_SETUP_ATTEMPTS = 12
#: PostgreSQL advisory lock key held while creating or migrating the tables ("hl").
_SETUP_LOCK = 0x686C_0001


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Ledger.add` did with one annotated document."""

    document_id: str
    new_document: bool
    incidents_added: int
    skipped: bool  # already stored under this pipeline version


def resolve_url(url_or_path: str | Path) -> URL:
    """A :class:`Path` or a string without ``://`` is a SQLite file; anything else a URL."""
    if isinstance(url_or_path, Path) or "://" not in url_or_path:
        path = Path(url_or_path).expanduser()
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(url_or_path)
    except ArgumentError as exc:
        raise LedgerError(
            f"'{url_or_path}' is not a database URL; give a file path or a URL such as "
            "sqlite:///ledger.db or postgresql+psycopg://user@host/dbname"
        ) from exc
    if url.drivername in ("postgresql", "postgres"):
        # libpq-style URLs (postgresql://, postgres://) mean the driver harmledger's
        # `postgres` extra installs (SQLAlchemy 2.0's default is psycopg2)
        url = url.set(drivername="postgresql+psycopg")
    return url


class Ledger:
    """The incident ledger. Use as a context manager, or call :meth:`close`.

    Construction does no work: the database is opened, created (tables, schema version)
    or migrated on first use.
    """

    def __init__(self, url_or_path: str | Path) -> None:
        self.url: URL = resolve_url(url_or_path)
        self._engine: Engine | None = None

    # ------------------------------------------------------------------ lifecycle

    def __repr__(self) -> str:
        return f"Ledger({self.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._open()
        return self._engine

    def _open(self) -> Engine:
        shown = self.url.render_as_string(hide_password=True)
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = create_engine(self.url)
        except NoSuchModuleError as exc:
            raise LedgerError(
                f"cannot open the ledger at {shown}: unknown database type "
                f"'{self.url.drivername}' (use a file path, sqlite:/// or postgresql+psycopg://)"
            ) from exc
        except ModuleNotFoundError as exc:
            raise LedgerError(
                f"cannot open the ledger at {shown}: the database driver '{exc.name}' is not "
                "installed (for PostgreSQL: pip install 'psycopg[binary]' and use a "
                "postgresql+psycopg:// URL)"
            ) from exc
        if self.is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        for attempt in range(_SETUP_ATTEMPTS):
            try:
                self._check_schema(engine)
                break
            except (OperationalError, ProgrammingError, IntegrityError) as exc:
                # SQLite: another process created the tables between our check and our
                # CREATE ("already exists"); once more sees them. (PostgreSQL takes a lock.)
                if attempt + 1 < _SETUP_ATTEMPTS and self.is_sqlite:
                    # each try finds more of the tables made; a random pause parts the racers
                    time.sleep(random.uniform(0.005, 0.05))
                    continue
                engine.dispose()
                raise LedgerError(f"cannot open the ledger at {shown}: {exc}") from exc
            except SQLAlchemyError as exc:
                engine.dispose()
                raise LedgerError(f"cannot open the ledger at {shown}: {exc}") from exc
        return engine

    def _check_schema(self, engine: Engine) -> None:
        """Create the tables and record the schema version, or migrate; safe when several
        processes open a new ledger at once (on PostgreSQL they take turns)."""
        with engine.begin() as conn:
            _setup_lock(conn)
            s.metadata.create_all(conn)
            found = conn.scalar(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
            if found is None:
                conn.execute(
                    insert(s.meta),
                    [
                        {"key": "schema_version", "value": str(s.SCHEMA_VERSION)},
                        {"key": "created_by", "value": f"harmledger-{__version__}"},
                        {"key": "created_at", "value": now().isoformat()},
                    ],
                )
                return
        version = int(found)
        if version > s.SCHEMA_VERSION:
            raise LedgerError(
                f"this ledger has schema version {version}, newer than this harmledger "
                f"understands ({s.SCHEMA_VERSION}); upgrade harmledger to open it"
            )
        for target in range(version + 1, s.SCHEMA_VERSION + 1):
            with engine.begin() as conn:
                _setup_lock(conn)
                reached = conn.scalar(
                    select(s.meta.c.value).where(s.meta.c.key == "schema_version")
                )
                if int(reached or 0) >= target:  # another process migrated it meanwhile
                    continue
                s.MIGRATIONS[target](conn)
                conn.execute(
                    update(s.meta).where(s.meta.c.key == "schema_version").values(value=str(target))
                )

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            found = conn.scalar(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
        return int(found or 0)

    # ------------------------------------------------------------------ runs and errors

    def start_run(self, inputs: Iterable[str | Path], pipeline_version: str) -> int:
        """Record the start of a run; returns its id (pass it to :meth:`add`)."""
        with self.engine.begin() as conn:
            run_id = conn.scalar(
                insert(s.runs)
                .values(
                    started=now(),
                    pipeline_version=pipeline_version,
                    inputs=[str(i) for i in inputs],
                )
                .returning(s.runs.c.id)
            )
        assert run_id is not None
        return int(run_id)

    def finish_run(
        self,
        run_id: int,
        stats: Mapping[str, int],
        *,
        by: str | None = None,
        via: str = "python",
    ) -> None:
        """Record a run's end and its counts: ``read``, ``new``, ``skipped``, ``failed``
        (``documents_read`` etc. are accepted too; other keys are kept in ``stats``), and
        its audit entry (``by`` whom, ``via`` what), in one transaction."""
        counts = {k.removeprefix("documents_"): v for k, v in stats.items()}
        with self.engine.begin() as conn:
            done = conn.execute(
                update(s.runs)
                .where(s.runs.c.id == run_id)
                .values(
                    finished=now(),
                    documents_read=counts.get("read"),
                    documents_new=counts.get("new"),
                    documents_skipped=counts.get("skipped"),
                    documents_failed=counts.get("failed"),
                    stats=dict(stats),
                )
            )
            if done.rowcount == 0:
                raise LedgerError(f"no run with id {run_id} in this ledger")
            run = conn.execute(select(s.runs).where(s.runs.c.id == run_id)).one()
            audit.append(
                conn,
                actor=by or login_name(),
                via=via,
                action="run",
                target=f"run:{run_id}",
                after={
                    "pipeline_version": run.pipeline_version,
                    "inputs": run.inputs,
                    "stats": dict(stats),
                    "documents": rows.run_manifest(conn, run_id),
                },
            )

    def record_error(self, run_id: int | None, name: str, reason: str) -> None:
        """Record that document ``name`` could not be read in run ``run_id``, and why."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(s.read_errors).values(
                    run_id=run_id, name=name, reason=reason, recorded_at=now()
                )
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, as plain dicts (timestamps as aware UTC datetimes)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(s.runs).order_by(s.runs.c.id)).mappings().all()
        out = []
        for r in found:
            d = dict(r)
            d["started"] = aware(d["started"])
            d["finished"] = aware(d["finished"]) if d["finished"] else None
            out.append(d)
        return out

    def errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Read errors (of one run, or all), oldest first."""
        q = select(s.read_errors).order_by(s.read_errors.c.id)
        if run_id is not None:
            q = q.where(s.read_errors.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    # ------------------------------------------------------------------ writing

    def add(
        self,
        annotated: Annotated,
        *,
        pipeline_version: str,
        run_id: int | None = None,
    ) -> AddResult:
        """Store one annotated document and its incidents, in one transaction (fuse them
        with :meth:`harmledger.fuse.ledger.Fuser.pending`)."""
        doc = annotated.document
        for inc in annotated.incidents:
            if inc.doc_id != doc.id:
                raise LedgerError(
                    f"incident {inc.incident_id} belongs to document {inc.doc_id}, "
                    f"not {doc.id} ({doc.name}); it cannot be stored with it"
                )
        ids = [inc.incident_id for inc in annotated.incidents]
        if len(set(ids)) != len(ids):
            raise LedgerError(f"document {doc.name} has two incidents with the same id: {ids}")
        try:
            try:
                return self._add(annotated, pipeline_version=pipeline_version, run_id=run_id)
            except IntegrityError:
                # Another writer stored the same document between our check and insert:
                # try once more, which now sees its rows (and usually skips).
                return self._add(annotated, pipeline_version=pipeline_version, run_id=run_id)
        except SQLAlchemyError as exc:
            shown = self.url.render_as_string(hide_password=True)
            raise LedgerError(
                f"cannot store {doc.name} in the ledger at {shown}: {_reason(exc)}"
            ) from exc

    def _add(self, annotated: Annotated, *, pipeline_version: str, run_id: int | None) -> AddResult:
        doc = annotated.document
        stamp = now()
        with self.engine.begin() as conn:
            known = conn.scalar(select(s.documents.c.id).where(s.documents.c.id == doc.id))
            new_document = known is None
            if new_document:
                conn.execute(insert(s.documents).values(rows.document_row(doc, stamp)))
            known_name = conn.scalar(
                select(s.document_names.c.name).where(
                    s.document_names.c.document_id == doc.id, s.document_names.c.name == doc.name
                )
            )
            if known_name is None:
                conn.execute(
                    insert(s.document_names).values(
                        document_id=doc.id, name=doc.name, first_seen=stamp
                    )
                )
            done = conn.scalar(
                select(s.processings.c.id).where(
                    s.processings.c.document_id == doc.id,
                    s.processings.c.pipeline_version == pipeline_version,
                )
            )
            if done is not None:
                return AddResult(doc.id, new_document, 0, skipped=True)
            added = rows.insert_processing(
                conn, annotated, pipeline_version=pipeline_version, run_id=run_id, now=stamp
            )
        return AddResult(doc.id, new_document, added, skipped=False)

    # ------------------------------------------------------------------ reading

    def incidents(
        self, filters: Filters = NO_FILTERS, *, all_versions: bool = False
    ) -> list[Record]:
        """Stored incidents matching ``filters`` (see :class:`Filters`), in document
        first-seen order then text order; the newest version of each document's unless
        ``all_versions``."""
        filters = filters.only(fused=False)
        i, d = s.incidents, s.documents
        q = (
            select(i, s.processings.c.stored_at)
            .join(d, d.c.id == i.c.document_id)
            .join(s.processings, s.processings.c.id == i.c.processing_id)
            .where(*conditions(filters, all_versions=all_versions))
            .order_by(d.c.first_seen, i.c.document_id, i.c.evidence_start, i.c.incident_id, i.c.id)
        )
        if filters.limit is not None:
            q = q.limit(filters.limit)
        with self.engine.connect() as conn:
            return rows.records(conn, conn.execute(q).all())

    def get(self, incident_id: str) -> Record | None:
        """The incident with this id (or unique id prefix of at least 6 characters);
        the newest stored version if the same id was stored more than once."""
        i = s.incidents
        with self.engine.connect() as conn:
            found = by_prefix(conn, i.c.incident_id, incident_id, what="incident")
            if found is None:
                return None
            q = (
                select(i, s.processings.c.stored_at)
                .join(s.processings, s.processings.c.id == i.c.processing_id)
                .where(i.c.incident_id == found)
                .order_by(i.c.processing_id.desc())
                .limit(1)
            )
            return rows.records(conn, conn.execute(q).all())[0]

    def document(self, doc_id: str) -> Document | None:
        """The stored document (full text, raw input, removed boilerplate) by id or a
        unique id prefix of at least 6 characters."""
        d = s.documents
        with self.engine.connect() as conn:
            row = conn.execute(select(d).where(d.c.id == doc_id)).first()
            if row is None and len(doc_id) >= MIN_PREFIX:
                hits = conn.execute(
                    select(d).where(d.c.id.startswith(doc_id, autoescape=True)).limit(2)
                ).all()
                row = hits[0] if len(hits) == 1 else None
        return None if row is None else rows.document(row)

    def document_names(self, doc_id: str) -> list[str]:
        """Every name the document was seen under, first first."""
        n = s.document_names
        with self.engine.connect() as conn:
            return list(
                conn.scalars(
                    select(n.c.name).where(n.c.document_id == doc_id).order_by(n.c.first_seen)
                )
            )

    def annotated(self, doc_id: str, *, pipeline_version: str | None = None) -> Annotated | None:
        """The document as a stage chain left it (sentences, mentions, incidents), for
        the newest processing or the one of ``pipeline_version``."""
        document = self.document(doc_id)
        if document is None:
            return None
        p = s.processings
        q = select(p).where(p.c.document_id == document.id)
        if pipeline_version is not None:
            q = q.where(p.c.pipeline_version == pipeline_version)
        with self.engine.connect() as conn:
            proc = conn.execute(q.order_by(p.c.id.desc()).limit(1)).first()
            if proc is None:
                return None
            m = s.mentions
            mrows = conn.execute(
                select(m).where(m.c.processing_id == proc.id).order_by(m.c.id)
            ).all()
            irows = conn.execute(
                select(s.incidents, p.c.stored_at)
                .join(p, p.c.id == s.incidents.c.processing_id)
                .where(s.incidents.c.processing_id == proc.id)
                .order_by(s.incidents.c.id)
            ).all()
            records = rows.records(conn, irows)
        return Annotated(
            document=document,
            sentences=tuple(Span(a, b) for a, b in proc.sentences),
            mentions=tuple(rows.mention(r) for r in mrows),
            incidents=tuple(r.incident for r in records),
            stages=tuple(proc.stages),
        )

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Cleaned text of each document id (for export notes: evidence sentences)."""
        with self.engine.connect() as conn:
            return fu.texts(conn, doc_ids)

    def stats(self) -> dict[str, int]:
        """Row counts: documents, incidents (every version), current incidents (newest
        version per document), mentions, runs, errors, document names, versions, fused
        incidents, those fused from two or more reports and current incidents not fused yet."""
        counts = {
            "documents": s.documents,
            "incidents": s.incidents,
            "fused": s.fused_incidents,
            "mentions": s.mentions,
            "runs": s.runs,
            "errors": s.read_errors,
            "document_names": s.document_names,
        }
        with self.engine.connect() as conn:
            out = {
                k: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                for k, t in counts.items()
            }
            out["incidents_current"] = int(
                conn.scalar(select(func.count()).select_from(s.incidents).where(current_incident()))
                or 0
            )
            out["fused_multi"] = int(
                conn.scalar(
                    select(func.count())
                    .select_from(s.fused_incidents)
                    .where(s.fused_incidents.c.reports > 1)
                )
                or 0
            )
            out["fused_pending"] = fu.count_pending(conn)
            out["pipeline_versions"] = int(
                conn.scalar(select(func.count(s.processings.c.pipeline_version.distinct()))) or 0
            )
        return out

    # ------------------------------------------------------------------ fused incidents

    def fused(self, filters: Filters = NO_FILTERS) -> list[FusedIncident]:
        """Fused incidents matching ``filters``, in order of their first report. Reading
        writes nothing: incidents not fused yet (see :meth:`pending`) are not among them."""
        with self.engine.connect() as conn:
            return fu.fused(conn, filters.only(fused=True))

    def get_fused(self, ident: str) -> FusedIncident | None:
        """The fused incident with this id, or the one an incident (id) belongs to;
        unique prefixes of 6+ characters work for both."""
        with self.engine.connect() as conn:
            return fu.one_fused(conn, ident)

    def pending(self) -> int:
        """How many current incidents belong to no fused incident yet (``harmledger
        fuse``, or the next ``run``, fuses them)."""
        with self.engine.connect() as conn:
            return fu.count_pending(conn)

    def evidence(self, pks: Iterable[int]) -> dict[int, tuple[str, list[list[int]]]]:
        """Stored incident row -> (document id, evidence spans)."""
        with self.engine.connect() as conn:
            return fu.evidence_of(conn, pks)

    # ------------------------------------------------------------------ audit log

    def audit_log(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        action: str | None = None,
        target: str | None = None,
    ) -> list[Any]:
        """Audit entries (:class:`harmledger.audit.Entry`), oldest first unless
        ``newest_first``."""
        with self.engine.connect() as conn:
            return audit.entries(
                conn,
                limit=limit,
                offset=offset,
                newest_first=newest_first,
                action=action,
                target=target,
            )

    def protection_sources(self, doc_ids: Iterable[str]) -> dict[str, Any]:
        """document id -> what its protection is made from (text, sentences, quotes,
        marks): :class:`harmledger.store.reviews.Sources`."""
        with self.engine.connect() as conn:
            return reviews.protection_sources(conn, doc_ids)

    def fused_review_states(self, fused_ids: Iterable[str]) -> dict[str, list[str]]:
        """fused id -> the review state of each of its reports."""
        with self.engine.connect() as conn:
            return reviews.fused_states(conn, fused_ids)

    def raw_sha256(self, doc_id: str) -> str | None:
        """The SHA-256 of the document's raw input, recorded when it was stored."""
        with self.engine.connect() as conn:
            return conn.scalar(select(s.documents.c.raw_sha256).where(s.documents.c.id == doc_id))

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, what: str = "write to") -> Iterator[Connection]:
        """One transaction over the tables (for the functions of :mod:`.fused`); a
        database error becomes a :class:`LedgerError` that says what failed."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            shown = self.url.render_as_string(hide_password=True)
            raise LedgerError(f"cannot {what} the ledger at {shown}: {_reason(exc)}") from exc


# ---------------------------------------------------------------------- helpers: backends


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _setup_lock(conn: Connection) -> None:
    """PostgreSQL: hold the ledger's setup lock until the transaction ends, so that one
    process at a time creates or migrates the tables (DDL there is transactional)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_SETUP_LOCK)))


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own words, without the statement and its parameters."""
    orig = getattr(exc, "orig", None)
    return (
        str(orig).strip().splitlines()[0]
        if orig is not None and str(orig).strip()
        else type(exc).__name__
    )
