"""The ledger: what the pipeline made, stored with provenance, queried back as Records.

``Ledger("ledger.db")`` opens (lazily, on first use) a SQLite file; a URL
(``"postgresql+psycopg://user@host/db"``) is handed to SQLAlchemy. Each :meth:`Ledger.add`
is one transaction. Adding the same document text under the same pipeline version adds
nothing; under a new version it adds the new incidents, and queries return only the
newest version's incidents per document unless ``all_versions=True``.
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from harmledger.errors import MSG_CANNOT_STORE, LedgerError
from harmledger.model import Annotated, Document, FusedIncident, Record, Span
from harmledger.store import audit, reviews, rows
from harmledger.store import fused as fu
from harmledger.store import schema as s
from harmledger.store.filters import NO_FILTERS, Filters, conditions
from harmledger.store.sql import (
    MIN_PREFIX,
    among,
    aware,
    by_prefix,
    chunks,
    current_incident,
    insert_many,
    now,
)
from harmledger.version import __version__

#: Tries at opening a ledger (SQLite: another process may be creating the same tables).
_SETUP_ATTEMPTS = 12
#: PostgreSQL advisory lock key held while creating or migrating the tables ("hl").
_SETUP_LOCK = 0x686C_0001
#: PostgreSQL advisory lock key held by a transaction that must run alone (fusion).
_EXCLUSIVE_LOCK = 0x686C_0002
#: PostgreSQL advisory lock class of live runs: a run holds (class, run id) while it runs.
_RUN_LOCK_CLASS = 0x686C
#: SQLite: how long a writer waits for another's transaction before giving up (seconds).
SQLITE_BUSY_SECONDS = 300.0
#: Tries at a write that another writer's concurrent insert of the same rows made fail.
_WRITE_ATTEMPTS = 5


def _after_v6(conn: Connection) -> None:
    """The reviewed values of reviews made before schema 6 go into their incidents'
    columns; the fused incidents holding those incidents were fused by the machine's
    values: they are taken apart, so that their reports are pending and the next fusion
    (``run``, ``serve``, ``fuse``) fuses them again by the reviewed values."""
    fu.replace_fused(conn, fu.detach(conn, reviews.settle_all(conn)), [])


def _after_v7(conn: Connection) -> None:
    """A ledger an earlier build took to schema 6 kept the machine's values in the fused
    incidents holding reviewed incidents (that build did not take them apart): every such
    fused incident is taken apart, as :func:`_after_v6` does, and fused again by the
    next fusion. One already fused by the reviewed values comes back the same."""
    fu.replace_fused(conn, fu.detach(conn, conn.scalars(select(s.reviews.c.incident_pk))), [])


#: Steps of a migration that rebuild incidents (which :mod:`.schema` cannot): run after
#: the migration to that version, in its transaction. Schema 9: each incident's
#: fingerprint, made from its document as fusion made it.
_AFTER_MIGRATION: dict[int, Callable[[Connection], object]] = {
    6: _after_v6,
    7: _after_v7,
    9: fu.fill_words,
}


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
        self._run_locks: dict[int, Connection] = {}  # PostgreSQL: live runs' connections

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
        for run_id in list(self._run_locks):
            self._release_run(run_id)
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
        options: dict[str, Any] = {}
        if self.is_sqlite:
            # writers wait for each other's transactions instead of failing at once
            options["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS}
        try:
            engine = create_engine(self.url, **options)
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
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
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
                raise LedgerError(f"cannot open the ledger at {shown}: {_reason(exc)}") from exc
            except SQLAlchemyError as exc:
                engine.dispose()
                raise LedgerError(f"cannot open the ledger at {shown}: {_reason(exc)}") from exc
        return engine

    def _check_schema(self, engine: Engine) -> None:
        """Create the tables and record the schema version, or migrate; safe when several
        processes open a new ledger at once (they take turns)."""
        with _writing(engine) as conn:
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
            with _writing(engine) as conn:
                _setup_lock(conn)
                reached = conn.scalar(
                    select(s.meta.c.value).where(s.meta.c.key == "schema_version")
                )
                if int(reached or 0) >= target:  # another process migrated it meanwhile
                    continue
                s.MIGRATIONS[target](conn)
                if target in _AFTER_MIGRATION:
                    _AFTER_MIGRATION[target](conn)
                conn.execute(
                    update(s.meta).where(s.meta.c.key == "schema_version").values(value=str(target))
                )

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            found = conn.scalar(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
        return int(found or 0)

    # ------------------------------------------------------------------ runs and errors

    def start_run(self, inputs: Iterable[str | Path], pipeline_version: str) -> int:
        """Record the start of a run; returns its id (pass it to :meth:`add`). The run is
        live until :meth:`finish_run`; one whose process is gone (killed, crashed) is
        closed as interrupted by the next :meth:`close_interrupted`."""
        with self._write("record a run in") as conn:
            run_id = conn.scalar(
                insert(s.runs)
                .values(
                    started=now(),
                    pipeline_version=pipeline_version,
                    inputs=[str(i) for i in inputs],
                    status="running",
                    host=_HOST,
                    pid=os.getpid(),
                )
                .returning(s.runs.c.id)
            )
        assert run_id is not None
        if not self.is_sqlite:
            # PostgreSQL: the run holds a lock of its own while it lives; the server
            # lets go of it when the process dies, however it dies
            conn = self.engine.connect()
            conn.execute(select(func.pg_advisory_lock(_RUN_LOCK_CLASS, int(run_id))))
            conn.commit()
            self._run_locks[int(run_id)] = conn
        return int(run_id)

    def finish_run(
        self,
        run_id: int,
        stats: Mapping[str, int],
        *,
        status: str = "finished",
        by: str | None = None,
        via: str = "python",
    ) -> None:
        """Record a run's end and its counts: ``read``, ``new``, ``skipped``, ``failed``
        (``documents_read`` etc. are accepted too; other keys are kept in ``stats``);
        ``status`` is ``finished`` or ``interrupted`` (it stopped on an error); and its
        audit entry (``by`` whom, ``via`` what), in one transaction."""
        counts = {k.removeprefix("documents_"): v for k, v in stats.items()}
        with self._write("record a run in") as conn:
            done = conn.execute(
                update(s.runs)
                .where(s.runs.c.id == run_id)
                .values(
                    finished=now(),
                    status=status,
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
                    "status": status,
                    "stats": dict(stats),
                    "documents": rows.run_manifest(conn, run_id),
                },
            )
        self._release_run(run_id)

    def close_interrupted(self) -> list[int]:
        """Close every run whose process is gone (killed, crashed, its machine lost)
        as ``interrupted``, with the number of documents it stored; returns their ids.
        A run of another machine on SQLite cannot be seen and is left open."""
        r = s.runs
        with self.engine.connect() as conn:
            unfinished = conn.execute(
                select(r.c.id, r.c.host, r.c.pid, r.c.started).where(r.c.finished.is_(None))
            ).all()
        dead = [x.id for x in unfinished if x.id not in self._run_locks and not self._alive(x)]
        for run_id in dead:
            with self._write("close an interrupted run in") as conn:
                stored = int(
                    conn.scalar(
                        select(func.count())
                        .select_from(s.processings)
                        .where(s.processings.c.run_id == run_id)
                    )
                    or 0
                )
                conn.execute(
                    update(r)
                    .where(r.c.id == run_id, r.c.finished.is_(None))
                    .values(
                        finished=now(),
                        status="interrupted",
                        documents_new=stored,
                        stats={"new": stored, "interrupted": 1},
                    )
                )
                audit.append(
                    conn,
                    actor=login_name(),
                    via="python",
                    action="run",
                    target=f"run:{run_id}",
                    after={"status": "interrupted", "documents": rows.run_manifest(conn, run_id)},
                )
        return dead

    def _alive(self, run: Any) -> bool:
        """Whether the process of an unfinished run still runs."""
        if not self.is_sqlite:
            with self.engine.connect() as conn:
                key = (_RUN_LOCK_CLASS, int(run.id))
                free = bool(conn.scalar(select(func.pg_try_advisory_lock(*key))))
                if free:
                    conn.execute(select(func.pg_advisory_unlock(*key)))
                conn.commit()
            return not free
        if run.pid is None:  # written by a harmledger before runs had owners: long gone
            return False
        if run.host != _HOST:
            return True  # another machine's: it cannot be checked from here
        return _process_alive(int(run.pid), aware(run.started))

    def _release_run(self, run_id: int) -> None:
        conn = self._run_locks.pop(run_id, None)
        if conn is not None:
            try:
                conn.execute(select(func.pg_advisory_unlock(_RUN_LOCK_CLASS, run_id)))
                conn.commit()
            finally:
                conn.close()

    def record_error(self, run_id: int | None, name: str, reason: str) -> None:
        """Record that document ``name`` could not be read in run ``run_id``, and why."""
        with self._write("record an error in") as conn:
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
        return self.add_many([annotated], pipeline_version=pipeline_version, run_id=run_id)[0]

    def add_many(
        self,
        items: Sequence[Annotated],
        *,
        pipeline_version: str,
        run_id: int | None = None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> list[AddResult]:
        """Store annotated documents and their incidents in one transaction, all or
        nothing, with ``errors`` (``(name, reason)`` of documents of the same run that
        could not be read). A document already stored under ``pipeline_version`` is
        skipped (a new name of it is recorded); the same text twice in ``items`` is
        stored once. Documents arrive in the order given: their ``first_seen`` grows
        along ``items``. Returns what was done with each item, in order."""
        for a in items:
            _check_incidents(a)
        if not items and not errors:
            return []
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                with self._write() as conn:
                    out = self._add_many(conn, items, pipeline_version, run_id)
                    _record_errors(conn, run_id, errors)
                    return out
            except IntegrityError as exc:
                # Another writer stored some of the same documents between our check and
                # insert (PostgreSQL): once more sees its rows, which are then skipped.
                if attempt + 1 < _WRITE_ATTEMPTS:
                    time.sleep(random.uniform(0.005, 0.05))
                    continue
                raise self._store_error(items, exc) from exc
            except SQLAlchemyError as exc:
                raise self._store_error(items, exc) from exc
            except (ValueError, OverflowError, TypeError, UnicodeError) as exc:
                # a value the database or its JSON cannot hold (the caller may store the
                # documents one by one to find which)
                what = items[0].document.name if len(items) == 1 else f"{len(items)} documents"
                detail = f"{type(exc).__name__}: {exc}"
                raise LedgerError(MSG_CANNOT_STORE.format(name=what, detail=detail)) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _store_error(self, items: Sequence[Annotated], exc: SQLAlchemyError) -> LedgerError:
        shown = self.url.render_as_string(hide_password=True)
        what = items[0].document.name if len(items) == 1 else f"{len(items)} documents"
        return LedgerError(f"cannot store {what} in the ledger at {shown}: {_reason(exc)}")

    def _add_many(
        self,
        conn: Connection,
        items: Sequence[Annotated],
        pipeline_version: str,
        run_id: int | None,
    ) -> list[AddResult]:
        ids = sorted({a.document.id for a in items})
        d, n, p = s.documents, s.document_names, s.processings
        stored: set[str] = set()
        names: set[tuple[str, str]] = set()
        done: set[str] = set()
        for part in chunks(ids):
            stored.update(conn.scalars(select(d.c.id).where(among(conn, d.c.id, part))))
            names.update(
                (r.document_id, r.name)
                for r in conn.execute(
                    select(n.c.document_id, n.c.name).where(among(conn, n.c.document_id, part))
                )
            )
            done.update(
                conn.scalars(
                    select(p.c.document_id).where(
                        among(conn, p.c.document_id, part),
                        p.c.pipeline_version == pipeline_version,
                    )
                )
            )
        base = now()
        doc_rows: list[dict[str, Any]] = []
        name_rows: list[dict[str, Any]] = []
        todo: list[Annotated] = []
        results: list[tuple[str, bool, bool]] = []  # (id, new document, skipped)
        stored_before = set(stored)
        for k, a in enumerate(items):
            doc = a.document
            stamp = base + timedelta(microseconds=k)  # arrival order is input order
            new_document = doc.id not in stored
            if new_document:
                stored.add(doc.id)
                doc_rows.append(rows.document_row(doc, stamp))
            if (doc.id, doc.name) not in names:
                names.add((doc.id, doc.name))
                name_rows.append({"document_id": doc.id, "name": doc.name, "first_seen": stamp})
            skipped = doc.id in done
            if not skipped:
                done.add(doc.id)
                todo.append(a)
            results.append((doc.id, new_document, skipped))
        # rows in key order, so that two writers lock them in the same order (PostgreSQL)
        insert_many(conn, d, sorted(doc_rows, key=lambda r: r["id"]))
        insert_many(conn, n, sorted(name_rows, key=lambda r: (r["document_id"], r["name"])))
        # a document stored before and processed again: its incidents' fingerprints are
        # read from the copy the ledger holds (which may differ in its spacing)
        again = fu.texts(conn, [a.document.id for a in todo if a.document.id in stored_before])
        added = iter(
            rows.insert_processings(
                conn,
                todo,
                pipeline_version=pipeline_version,
                run_id=run_id,
                now=base,
                texts=again,
            )
        )
        return [
            AddResult(doc_id, new, 0 if skipped else next(added), skipped)
            for doc_id, new, skipped in results
        ]

    def stored_text(self, text: str) -> str:
        """``text`` as this ledger stores it (PostgreSQL: NUL as U+FFFD)."""
        stored: str = s.FreeText().process_bind_param(text, self.engine.dialect)
        return stored

    def processed(self, doc_ids: Iterable[str], pipeline_version: str) -> set[str]:
        """Those of ``doc_ids`` already stored under ``pipeline_version``."""
        p = s.processings
        out: set[str] = set()
        with self.engine.connect() as conn:
            for part in chunks(sorted(set(doc_ids))):
                out.update(
                    conn.scalars(
                        select(p.c.document_id).where(
                            among(conn, p.c.document_id, part),
                            p.c.pipeline_version == pipeline_version,
                        )
                    )
                )
        return out

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

    def fused_of(self, pk: int) -> tuple[str, int] | None:
        """(fused id, number of reports) of the fused incident that incident row ``pk``
        belongs to; None if it belongs to none (not fused yet, or rejected)."""
        with self.engine.connect() as conn:
            return fu.fused_of(conn, pk)

    def change_mark(self) -> tuple[Any, ...]:
        """A value that changes whenever what the ledger shows changes (a run, a review,
        a mark, fusion): a cache of what it shows is good while this stays the same."""
        with self.engine.connect() as conn:
            return fu.change_mark(conn)

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
    def transaction(self, what: str = "write to", *, alone: bool = False) -> Iterator[Connection]:
        """One write transaction over the tables (for the functions of :mod:`.fused`); a
        database error becomes a :class:`LedgerError` that says what failed. ``alone``:
        no other process runs such a transaction on this ledger at the same time
        (fusion): on PostgreSQL it holds the ledger's advisory lock; on SQLite every
        write transaction holds the database's write lock from its start."""
        try:
            with self._write_begin() as conn:
                if alone and not self.is_sqlite:
                    conn.execute(select(func.pg_advisory_xact_lock(_EXCLUSIVE_LOCK)))
                yield conn
        except SQLAlchemyError as exc:
            shown = self.url.render_as_string(hide_password=True)
            raise LedgerError(f"cannot {what} the ledger at {shown}: {_reason(exc)}") from exc

    @contextmanager
    def _write(self, what: str = "write to") -> Iterator[Connection]:
        """A write transaction whose database errors are left to the caller."""
        with self._write_begin() as conn:
            yield conn

    def _write_begin(self) -> Any:
        return _writing(self.engine)


# ---------------------------------------------------------------------- helpers: backends


_HOST = socket.gethostname()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: foreign keys on; write-ahead logging, so that readers never wait for a
    writer nor a writer for readers; harmledger opens every transaction itself (see
    :func:`_sqlite_begin`)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() not in ("memory", "wal"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses nothing
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes SQLite's write lock when it begins (``BEGIN
    IMMEDIATE``): two writers that both read first and then write would otherwise fail
    with 'database is locked' instead of waiting their turn."""
    write = conn.get_execution_options().get("harmledger_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn.execution_options(harmledger_write=True)
        with conn.begin():
            yield conn


def _check_incidents(annotated: Annotated) -> None:
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


def _record_errors(conn: Connection, run_id: int | None, errors: Sequence[tuple[str, str]]) -> None:
    if errors:
        stamp = now()
        conn.execute(
            insert(s.read_errors),
            [{"run_id": run_id, "name": n, "reason": r, "recorded_at": stamp} for n, r in errors],
        )


def _process_alive(pid: int, started: datetime) -> bool:
    """Whether process ``pid`` of this machine runs and is the one that started at
    ``started`` (not a later process given the same number)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    try:  # Linux: when the process started, in seconds since boot
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime")
        )
        began = boot + int(stat[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return True
    return began <= started.timestamp() + 2  # a process that began after the run: not its


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
