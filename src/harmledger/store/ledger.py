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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    URL,
    ColumnElement,
    Connection,
    Engine,
    Row,
    Table,
    create_engine,
    event,
    exists,
    func,
    insert,
    make_url,
    or_,
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

from harmledger.errors import LedgerError
from harmledger.model import (
    ActorValue,
    Annotated,
    DateValue,
    Document,
    DocumentMeta,
    FusedIncident,
    Incident,
    Mention,
    PlaceValue,
    Record,
    Removal,
    Span,
    value_from_dict,
    value_to_dict,
)
from harmledger.store import schema as s

if TYPE_CHECKING:
    import pandas as pd

    from harmledger.fuse.neardup import StoryIndex
    from harmledger.store.fusion import FuseResult

T = TypeVar("T")

#: Rows fetched per ``IN (...)`` clause (well under SQLite's and PostgreSQL's limits).
_CHUNK = 500
#: Shortest incident-id prefix :meth:`Ledger.get` accepts.
MIN_PREFIX = 6
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


def _now() -> datetime:
    """Naive UTC: what the database stores (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Ledger:
    """The incident ledger. Use as a context manager, or call :meth:`close`.

    Construction does no work: the database is opened, created (tables, schema version)
    or migrated on first use.
    """

    def __init__(self, url_or_path: str | Path) -> None:
        self.url: URL = resolve_url(url_or_path)
        self._engine: Engine | None = None
        self._stories: StoryIndex | None = None  # near-duplicate index, built on first fuse

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
        self._stories = None

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
                from harmledger import __version__

                conn.execute(
                    insert(s.meta),
                    [
                        {"key": "schema_version", "value": str(s.SCHEMA_VERSION)},
                        {"key": "created_by", "value": f"harmledger-{__version__}"},
                        {"key": "created_at", "value": _now().isoformat()},
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
                now = conn.scalar(select(s.meta.c.value).where(s.meta.c.key == "schema_version"))
                if int(now or 0) >= target:  # another process migrated it meanwhile
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
                    started=_now(),
                    pipeline_version=pipeline_version,
                    inputs=[str(i) for i in inputs],
                )
                .returning(s.runs.c.id)
            )
        assert run_id is not None
        return int(run_id)

    def finish_run(self, run_id: int, stats: Mapping[str, int]) -> None:
        """Record a run's end and its counts: ``read``, ``new``, ``skipped``, ``failed``
        (``documents_read`` etc. are accepted too; other keys are kept in ``stats``)."""
        counts = {k.removeprefix("documents_"): v for k, v in stats.items()}
        with self.engine.begin() as conn:
            done = conn.execute(
                update(s.runs)
                .where(s.runs.c.id == run_id)
                .values(
                    finished=_now(),
                    documents_read=counts.get("read"),
                    documents_new=counts.get("new"),
                    documents_skipped=counts.get("skipped"),
                    documents_failed=counts.get("failed"),
                    stats=dict(stats),
                )
            )
            if done.rowcount == 0:
                raise LedgerError(f"no run with id {run_id} in this ledger")

    def record_error(self, run_id: int | None, name: str, reason: str) -> None:
        """Record that document ``name`` could not be read in run ``run_id``, and why."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(s.read_errors).values(
                    run_id=run_id, name=name, reason=reason, recorded_at=_now()
                )
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, as plain dicts (timestamps as aware UTC datetimes)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.runs).order_by(s.runs.c.id)).mappings().all()
        out = []
        for r in rows:
            d = dict(r)
            d["started"] = _aware(d["started"])
            d["finished"] = _aware(d["finished"]) if d["finished"] else None
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
        with :meth:`fuse_pending`)."""
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
            raise LedgerError(f"cannot store {doc.name} in the ledger at {shown}: {exc}") from exc

    def _add(self, annotated: Annotated, *, pipeline_version: str, run_id: int | None) -> AddResult:
        doc = annotated.document
        now = _now()
        with self.engine.begin() as conn:
            known = conn.scalar(select(s.documents.c.id).where(s.documents.c.id == doc.id))
            new_document = known is None
            if new_document:
                conn.execute(insert(s.documents).values(_document_row(doc, now)))
            known_name = conn.scalar(
                select(s.document_names.c.name).where(
                    s.document_names.c.document_id == doc.id, s.document_names.c.name == doc.name
                )
            )
            if known_name is None:
                conn.execute(
                    insert(s.document_names).values(
                        document_id=doc.id, name=doc.name, first_seen=now
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
            added = _insert_processing(
                conn, annotated, pipeline_version=pipeline_version, run_id=run_id, now=now
            )
        return AddResult(doc.id, new_document, added, skipped=False)

    # ------------------------------------------------------------------ reading

    def incidents(
        self,
        *,
        event_type: str | None = None,
        violation: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
        min_confidence: float | None = None,
        limit: int | None = None,
        all_versions: bool = False,
    ) -> list[Record]:
        """Stored incidents matching every given filter, in document first-seen order
        then text order. ``actor`` and ``place`` are case-insensitive substrings (either
        actor; location name, admin1 or country); ``since``/``until`` keep incidents whose
        date range overlaps them (undated incidents are then left out)."""
        conds = _filters(
            event_type=event_type,
            violation=violation,
            actor=actor,
            place=place,
            since=since,
            until=until,
            min_confidence=min_confidence,
            all_versions=all_versions,
        )
        i, d = s.incidents, s.documents
        q = (
            select(i, s.processings.c.stored_at)
            .join(d, d.c.id == i.c.document_id)
            .join(s.processings, s.processings.c.id == i.c.processing_id)
            .where(*conds)
            .order_by(d.c.first_seen, i.c.document_id, i.c.evidence_start, i.c.incident_id, i.c.id)
        )
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            return _records(conn, rows)

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
            rows = conn.execute(q).all()
            return _records(conn, rows)[0]

    def document(self, doc_id: str) -> Document | None:
        """The stored document (full text, raw input, removed boilerplate) by id or a
        unique id prefix of at least 6 characters."""
        d = s.documents
        with self.engine.connect() as conn:
            row = conn.execute(select(d).where(d.c.id == doc_id)).first()
            if row is None and len(doc_id) >= MIN_PREFIX:
                rows = conn.execute(
                    select(d).where(d.c.id.startswith(doc_id, autoescape=True)).limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        return None if row is None else _document(row)

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
            records = _records(conn, irows)
        return Annotated(
            document=document,
            sentences=tuple(Span(a, b) for a, b in proc.sentences),
            mentions=tuple(_mention(r) for r in mrows),
            incidents=tuple(r.incident for r in records),
            stages=tuple(proc.stages),
        )

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Cleaned text of each document id (for export notes: evidence sentences)."""
        ids = sorted(set(doc_ids))
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for part in _chunks(ids):
                q = select(s.documents.c.id, s.documents.c.text).where(s.documents.c.id.in_(part))
                out.update({r.id: r.text for r in conn.execute(q)})
        return out

    def stats(self) -> dict[str, int]:
        """Row counts: documents, incidents (every version), current incidents (newest
        version per document), mentions, runs, errors, document names, versions, fused
        incidents and those fused from two or more reports."""
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
            out["pipeline_versions"] = int(
                conn.scalar(select(func.count(s.processings.c.pipeline_version.distinct()))) or 0
            )
        return out

    # ------------------------------------------------------------------ fusion

    def fuse(self, *, undo: bool = False) -> FuseResult:
        """Fuse every current incident afresh (``undo``: every report on its own again,
        except where a person merged). A person's merges and splits are kept."""
        from harmledger.store.fusion import fuse_all

        return self._fusing(lambda: fuse_all(self.engine, undo=undo))

    def fuse_pending(self, doc_ids: Sequence[str] | None = None) -> FuseResult:
        """Fuse the incidents that belong to no fused incident yet (those of ``doc_ids``,
        or all): each joins an existing fused incident or starts its own."""
        from harmledger.store.fusion import fuse_pending

        def go() -> FuseResult:
            result, self._stories = fuse_pending(self.engine, doc_ids=doc_ids, index=self._stories)
            return result

        return self._fusing(go)

    def merge(self, ids: Sequence[str], *, note: str | None = None) -> list[FusedIncident]:
        """A person's decision: these fused incidents (or incidents) are one event."""
        from harmledger.store.fusion import decide

        self.fuse_pending()
        return self._fusing(lambda: decide(self.engine, "merge", ids, note=note))

    def split(
        self, fused_id: str, incident_ids: Sequence[str] = (), *, note: str | None = None
    ) -> list[FusedIncident]:
        """A person's decision: take ``incident_ids`` out of the fused incident (together),
        or, with none given, put each of its reports on its own."""
        from harmledger.store.fusion import decide

        self.fuse_pending()
        return self._fusing(
            lambda: decide(self.engine, "split", [fused_id, *incident_ids], note=note)
        )

    def fused(
        self,
        *,
        event_type: str | None = None,
        violation: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: date | None = None,
        until: date | None = None,
        min_confidence: float | None = None,
        min_sources: int | None = None,
        limit: int | None = None,
    ) -> list[FusedIncident]:
        """Fused incidents matching every filter (as :meth:`incidents`), in order of their
        first report. Incidents not fused yet are fused first."""
        from harmledger.store.fusion import read_fused

        self.fuse_pending()
        f = s.fused_incidents
        conds = _filters(
            event_type=event_type,
            violation=None,
            actor=actor,
            place=place,
            since=since,
            until=until,
            min_confidence=min_confidence,
            all_versions=True,
            table=f,
        )
        if min_sources is not None:
            conds.append(f.c.sources >= min_sources)
        q = select(f).where(*conds).order_by(f.c.first_pk)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            if violation is not None:
                wanted = violation.lower()
                rows = [r for r in rows if wanted in (v.lower() for v in r.violations)]
            return read_fused(conn, rows[:limit] if limit is not None else rows)

    def get_fused(self, ident: str) -> FusedIncident | None:
        """The fused incident with this id, or the one an incident (id) belongs to;
        unique prefixes of 6+ characters work for both."""
        from harmledger.store.fusion import read_fused, resolve

        self.fuse_pending()
        with self.engine.connect() as conn:
            try:
                fused_id, _ = resolve(conn, ident)
            except LedgerError as exc:
                if "no fused incident" in str(exc):
                    return None
                raise
            rows = conn.execute(
                select(s.fused_incidents).where(s.fused_incidents.c.id == fused_id)
            ).all()
            return read_fused(conn, rows)[0]

    def fused_notes(self, fused: Iterable[FusedIncident]) -> dict[str, str]:
        """fused id -> the evidence sentences of its most confident report (export notes)."""
        from harmledger.export import spans_text

        best = {
            f.fused_id: max(f.reports, key=lambda r: r.confidence).pk for f in fused if f.reports
        }
        pks = sorted(pk for pk in best.values() if pk is not None)
        i = s.incidents
        evidence: dict[int, tuple[str, list[list[int]]]] = {}
        with self.engine.connect() as conn:
            for part in _chunks(pks):
                q = select(i.c.id, i.c.document_id, i.c.evidence).where(i.c.id.in_(part))
                evidence.update({r.id: (r.document_id, r.evidence) for r in conn.execute(q)})
        texts = self.texts({doc for doc, _ in evidence.values()})
        out = {}
        for fid, pk in best.items():
            if pk in evidence:
                doc, spans = evidence[pk]
                out[fid] = spans_text(texts.get(doc), [(a, b) for a, b in spans])
        return out

    def _fusing(self, work: Callable[[], T]) -> T:
        try:
            return work()
        except SQLAlchemyError as exc:
            shown = self.url.render_as_string(hide_password=True)
            raise LedgerError(f"cannot fuse incidents in the ledger at {shown}: {exc}") from exc

    def dataframe(self, *, fused: bool = False, **filters: Any) -> pd.DataFrame:
        """One row per incident (the CSV export's columns), same filters as
        :meth:`incidents`; with ``fused``, one row per fused incident (the fused export's
        columns: sources, reports, killed range, disagreements), filters as :meth:`fused`."""
        import pandas as pd

        from harmledger.export import COLUMNS, FUSED_COLUMNS, flat_row, fused_row

        if fused:
            items = self.fused(**filters)
            notes = self.fused_notes(items)
            rows = [fused_row(f, notes=notes.get(f.fused_id)) for f in items]
            df = pd.DataFrame(rows, columns=list(FUSED_COLUMNS))
        else:
            records = self.incidents(**filters)
            texts = self.texts(r.incident.doc_id for r in records)
            rows = [flat_row(r, text=texts.get(r.incident.doc_id)) for r in records]
            df = pd.DataFrame(rows, columns=list(COLUMNS))
        for col in ("event_date", "hl_date_end"):
            df[col] = pd.to_datetime(df[col])
        return df


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


def id_parts(col: Any, ids: Iterable[str] | None) -> Iterator[list[ColumnElement[bool]]]:
    """The conditions of one query per part of ``ids``: a SQL ``IN`` of up to :data:`_CHUNK`
    of them each, as a database caps the parameters of one statement (PostgreSQL at 65,535);
    one query without a condition when ``ids`` is None (every row)."""
    if ids is None:
        yield []
        return
    for part in _chunks(sorted(set(ids))):
        yield [col.in_(part)]


# ---------------------------------------------------------------------- helpers: writing


def _document_row(doc: Document, now: datetime) -> dict[str, Any]:
    m = doc.meta
    return {
        "id": doc.id,
        "name": doc.name,
        "text": doc.text,
        "raw": doc.raw,
        "title": m.title,
        "byline": m.byline,
        "publisher": m.publisher,
        "published": m.published,
        "url": m.url,
        "section": m.section,
        "language": m.language,
        "extra": dict(m.extra),
        "reader": doc.reader,
        "media_type": doc.media_type,
        "removed": [
            {"rule": r.rule, "text": r.text, "raw_start": r.raw_start, "raw_end": r.raw_end}
            for r in doc.removed
        ],
        "first_seen": now,
    }


def _mention_row(m: Mention, doc_id: str, processing_id: int) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "processing_id": processing_id,
        "kind": m.kind,
        "start_char": m.start,
        "end_char": m.end,
        "text": m.text,
        "stage": m.stage,
        "value": value_to_dict(m.value),
    }


def _incident_row(
    inc: Incident, doc_id: str, processing_id: int, pipeline_version: str
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "incident_id": inc.incident_id,
        "document_id": doc_id,
        "processing_id": processing_id,
        "pipeline_version": pipeline_version,
        "doc_name": inc.doc_name,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "fatalities": inc.fatalities,
        "confidence": inc.confidence,
        "evidence": [[e.start, e.end] for e in inc.evidence],
        "evidence_start": min((e.start for e in inc.evidence), default=0),
        "stage": inc.stage,
        "versions": dict(inc.versions),
        "doc_country": inc.country,
        "country": inc.country,
    }
    if inc.date is not None and isinstance(inc.date.value, DateValue):
        dv = inc.date.value
        row.update(date_start=dv.start, date_end=dv.end, date_precision=dv.precision)
    if inc.location is not None and isinstance(inc.location.value, PlaceValue):
        pv = inc.location.value
        row.update(
            location_name=pv.name,
            admin1=pv.admin1,
            admin2=pv.admin2,
            country=pv.country or inc.country,
            latitude=pv.latitude,
            longitude=pv.longitude,
            geo_precision=pv.precision,
        )
    for key, m in (("actor1_name", inc.actor1), ("actor2_name", inc.actor2)):
        if m is not None and isinstance(m.value, ActorValue):
            row[key] = m.value.name
    return row


def _links(inc: Incident) -> Iterator[tuple[str, int, str | None, Mention]]:
    """(field, position, role, mention) for every field of ``inc`` filled by a mention."""
    for name in ("actor1", "actor2", "date", "location"):
        m = getattr(inc, name)
        if m is not None:
            yield name, 0, None, m
    for pos, (role, m) in enumerate(inc.counts.items()):
        yield "count", pos, role, m
    for pos, m in enumerate(inc.quotes):
        yield "quote", pos, None, m
    for pos, m in enumerate(inc.triggers):
        yield "trigger", pos, None, m


def _insert_processing(
    conn: Connection,
    annotated: Annotated,
    *,
    pipeline_version: str,
    run_id: int | None,
    now: datetime,
) -> int:
    """Insert a processing, its mentions and incidents; returns the number of incidents."""
    doc = annotated.document
    processing_id = conn.scalar(
        insert(s.processings)
        .values(
            document_id=doc.id,
            pipeline_version=pipeline_version,
            doc_name=doc.name,
            run_id=run_id,
            stored_at=now,
            stages=list(annotated.stages),
            sentences=[[x.start, x.end] for x in annotated.sentences],
        )
        .returning(s.processings.c.id)
    )
    assert processing_id is not None

    # Every mention once, in text order of appearance; the incidents' own mentions too
    # (an assembler may build one that no tagger listed).
    unique: dict[Mention, None] = dict.fromkeys(annotated.mentions)
    for inc in annotated.incidents:
        unique.update(dict.fromkeys(inc.mentions))
    ordered = list(unique)
    mention_ids: dict[Mention, int] = {}
    if ordered:
        ids = conn.scalars(
            insert(s.mentions).returning(s.mentions.c.id, sort_by_parameter_order=True),
            [_mention_row(m, doc.id, processing_id) for m in ordered],
        ).all()
        mention_ids = dict(zip(ordered, ids, strict=True))

    violations: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for inc in annotated.incidents:
        pk = conn.scalar(
            insert(s.incidents)
            .values(_incident_row(inc, doc.id, processing_id, pipeline_version))
            .returning(s.incidents.c.id)
        )
        violations += [
            {"incident_pk": pk, "position": n, "violation": v} for n, v in enumerate(inc.violations)
        ]
        links += [
            {
                "incident_pk": pk,
                "field": name,
                "position": pos,
                "role": role,
                "mention_id": mention_ids[m],
            }
            for name, pos, role, m in _links(inc)
        ]
    if violations:
        conn.execute(insert(s.incident_violations), violations)
    if links:
        conn.execute(insert(s.incident_mentions), links)
    return len(annotated.incidents)


# ---------------------------------------------------------------------- helpers: reading


def by_prefix(
    conn: Connection, col: Any, ident: str, *conds: ColumnElement[bool], what: str = "id"
) -> str | None:
    """The value of ``col`` that is ``ident``, or that ``ident`` (at least MIN_PREFIX
    characters) is the unique prefix of, among rows matching ``conds``; None if none."""
    if conn.scalar(select(col).where(col == ident, *conds).limit(1)) is not None:
        return ident
    if len(ident) < MIN_PREFIX:
        return None
    found = conn.scalars(
        select(col).where(col.startswith(ident, autoescape=True), *conds).distinct().limit(6)
    ).all()
    if len(found) > 1:
        raise LedgerError(
            f"'{ident}' matches more than one {what} ({', '.join(found[:5])}...); "
            "give more characters of the id"
        )
    return found[0] if found else None


def current_incident() -> ColumnElement[bool]:
    """The incident belongs to its document's newest processing. Correlated (no newer
    processing of the same document exists), so a query that selects a few incidents
    checks only those, through the index on ``processings.document_id``."""
    newer = s.processings.alias("newer")
    i = s.incidents
    return ~exists().where(newer.c.document_id == i.c.document_id, newer.c.id > i.c.processing_id)


def _filters(
    *,
    event_type: str | None,
    violation: str | None,
    actor: str | None,
    place: str | None,
    since: date | None,
    until: date | None,
    min_confidence: float | None,
    all_versions: bool,
    table: Table = s.incidents,
) -> list[ColumnElement[bool]]:
    """Conditions on ``incidents`` (or ``fused_incidents``, which has the same columns
    but no versions and keeps violations in a JSON column: filtered by the caller)."""
    i = table
    conds: list[ColumnElement[bool]] = []
    if not all_versions:
        conds.append(current_incident())
    if event_type is not None:
        conds.append(func.lower(i.c.event_type) == event_type.lower())
    if violation is not None:
        v = s.incident_violations
        conds.append(
            i.c.id.in_(
                select(v.c.incident_pk).where(func.lower(v.c.violation) == violation.lower())
            )
        )
    if actor:
        conds.append(
            or_(
                i.c.actor1_name.icontains(actor, autoescape=True),
                i.c.actor2_name.icontains(actor, autoescape=True),
            )
        )
    if place:
        conds.append(
            or_(
                i.c.location_name.icontains(place, autoescape=True),
                i.c.admin1.icontains(place, autoescape=True),
                i.c.country.icontains(place, autoescape=True),
            )
        )
    # A range [start, end] overlaps [since, until]; an open end counts as the start.
    if since is not None:
        conds.append(func.coalesce(i.c.date_end, i.c.date_start) >= since)
    if until is not None:
        conds.append(func.coalesce(i.c.date_start, i.c.date_end) <= until)
    if min_confidence is not None:
        conds.append(i.c.confidence >= min_confidence)
    return conds


def _meta(row: Any) -> DocumentMeta:
    return DocumentMeta(
        title=row.title,
        byline=row.byline,
        publisher=row.publisher,
        published=row.published,
        url=row.url,
        section=row.section,
        language=row.language,
        extra=MappingProxyType(dict(row.extra or {})),
    )


def _document(row: Any) -> Document:
    return Document(
        id=row.id,
        name=row.name,
        text=row.text,
        raw=row.raw,
        meta=_meta(row),
        reader=row.reader,
        media_type=row.media_type,
        removed=tuple(Removal(**r) for r in row.removed),
    )


def _mention(row: Any) -> Mention:
    return Mention(
        kind=row.kind,
        start=row.start_char,
        end=row.end_char,
        text=row.text,
        stage=row.stage,
        value=value_from_dict(row.kind, row.value),
    )


def _records(conn: Connection, rows: Sequence[Row[Any]]) -> list[Record]:
    """Rebuild Records from incident rows (with ``stored_at``): links, mentions, meta."""
    if not rows:
        return []
    pks = [r.id for r in rows]
    links: dict[int, list[Any]] = {pk: [] for pk in pks}
    violations: dict[int, list[str]] = {pk: [] for pk in pks}
    mentions: dict[int, Mention] = {}
    metas: dict[str, DocumentMeta] = {}
    im, m, v, d = s.incident_mentions, s.mentions, s.incident_violations, s.documents
    for part in _chunks(pks):
        q = (
            select(im, m)
            .join(m, m.c.id == im.c.mention_id)
            .where(im.c.incident_pk.in_(part))
            .order_by(im.c.incident_pk, im.c.field, im.c.position)
        )
        for r in conn.execute(q):
            links[r.incident_pk].append(r)
            if r.mention_id not in mentions:
                mentions[r.mention_id] = _mention(r)
        q2 = select(v).where(v.c.incident_pk.in_(part)).order_by(v.c.incident_pk, v.c.position)
        for r in conn.execute(q2):
            violations[r.incident_pk].append(r.violation)
    doc_ids = sorted({r.document_id for r in rows})
    meta_cols = [d.c[c] for c in ("id", "title", "byline", "publisher", "published", "url")]
    meta_cols += [d.c[c] for c in ("section", "language", "extra")]
    for part in _chunks(doc_ids):
        for r in conn.execute(select(*meta_cols).where(d.c.id.in_(part))):
            metas[r.id] = _meta(r)

    out = []
    for r in rows:
        fields: dict[str, Mention | None] = {"actor1": None, "actor2": None}
        fields.update(date=None, location=None)
        counts: dict[str, Mention] = {}
        quotes: list[Mention] = []
        triggers: list[Mention] = []
        for link in links[r.id]:  # ordered by field, then position
            mention = mentions[link.mention_id]
            if link.field == "count":
                counts[link.role] = mention
            elif link.field == "quote":
                quotes.append(mention)
            elif link.field == "trigger":
                triggers.append(mention)
            else:
                fields[link.field] = mention
        incident = Incident(
            doc_id=r.document_id,
            doc_name=r.doc_name,
            incident_id=r.incident_id,
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            violations=tuple(violations[r.id]),
            actor1=fields["actor1"],
            actor2=fields["actor2"],
            counts=MappingProxyType(counts),
            fatalities=r.fatalities,
            date=fields["date"],
            location=fields["location"],
            quotes=tuple(quotes),
            triggers=tuple(triggers),
            evidence=tuple(Span(a, b) for a, b in r.evidence),
            confidence=r.confidence,
            stage=r.stage,
            versions=MappingProxyType(dict(r.versions)),
            country=r.doc_country,
        )
        out.append(
            Record(
                incident=incident,
                document_name=r.doc_name,
                meta=metas[r.document_id],
                stored_at=_aware(r.stored_at),
                pipeline_version=r.pipeline_version,
            )
        )
    return out
