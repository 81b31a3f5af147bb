"""Read -> extract -> store -> fuse: the one way documents get into a ledger.

``harmledger run`` calls :func:`ingest`; the review workspace and the batch runner call
the same function (``harmledger batch`` hands it an :data:`Extractor` that extracts on a
Dask cluster), so a rule about reading, failing, storing or fusing lives here once.
Nothing here prints: progress goes to the ``on_step`` callback the caller passes in.

Documents go through in chunks of ``chunk_size``, cut by their place in the input: each
chunk is extracted, stored in one transaction and then fused. A run killed at any moment
and started again with the same inputs skips the chunks already stored (without
extracting them again), and stores and fuses the same chunks as a run never stopped
would, so the ledger ends the same.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Literal, NamedTuple, TypeVar

from harmledger.audit import login_name
from harmledger.config import Settings
from harmledger.errors import (
    MSG_EXTRACTION,
    MSG_OUT_OF_MEMORY,
    BudgetExceeded,
    LedgerError,
    ReadError,
)
from harmledger.fuse import neardup as nd
from harmledger.fuse.ledger import Fuser
from harmledger.gazetteer import import_file
from harmledger.ingest import read_inputs
from harmledger.model import Annotated, Document
from harmledger.pipeline.budget import Deadline
from harmledger.pipeline.pipeline import Pipeline, pipeline_for
from harmledger.review.carry import carry_all
from harmledger.store import audit
from harmledger.store.ledger import AddResult, Ledger

#: Documents per chunk: stored in one transaction, then fused together (the same for
#: `run` and `batch`, so that both leave the same ledger).
CHUNK = 200

Outcome = Literal["new", "skipped", "failed"]
T = TypeVar("T")

#: Extracts chunks of documents: takes ``(tag, documents)`` pairs and yields
#: ``(tag, results)`` in the same order, one result (Annotated or ReadError) per document.
#: :func:`local` extracts in this process; ``harmledger.batch`` on a Dask cluster.
Extractor = Callable[
    [Iterable[tuple[T, list[Document]]]], Iterator[tuple[T, list[Annotated | ReadError]]]
]


@dataclass(frozen=True, slots=True)
class Step:
    """What happened to one document: ``new`` (stored, with ``incidents`` incidents),
    ``skipped`` (already stored by this pipeline version) or ``failed`` (``error`` says
    why: it could not be read, extracted or stored)."""

    name: str
    outcome: Outcome
    incidents: int = 0
    error: ReadError | None = None


@dataclass(slots=True)
class RunSummary:
    """The counts of one :func:`ingest`: documents read (``new`` + ``skipped``) and
    failed, incidents stored, the run's id in the ledger and the ids of earlier runs
    found interrupted (and closed as such)."""

    run_id: int
    new: int = 0
    skipped: int = 0
    failed: int = 0
    incidents: int = 0
    seconds: float = 0.0
    failures: list[ReadError] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.new + self.skipped

    def stats(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "skipped": self.skipped,
            "failed": self.failed,
            "incidents": self.incidents,
        }


def annotate(pipeline: Pipeline, document: Document) -> Annotated | ReadError:
    """Run the pipeline on one document, within the settings' time budget; a bug in a
    stage, a document that takes too long or too much memory fails that document only."""
    budget = pipeline.settings.time_budget
    try:
        return pipeline(document, deadline=Deadline(budget) if budget else None)
    except BudgetExceeded as e:
        return ReadError(document.name, str(e))
    except MemoryError:
        return ReadError(document.name, MSG_OUT_OF_MEMORY)
    except Exception as e:  # the batch goes on; the user is told which document and why
        return ReadError(document.name, MSG_EXTRACTION.format(detail=f"{type(e).__name__}: {e}"))


#: Chunks this process has begun to extract (see :func:`_settle`).
_CHUNKS_BEGUN = 0


def _settle() -> None:
    """At the second chunk a process extracts, once, leave what lives then (the
    pipeline, and the resources its stages loaded for the first chunk: hundreds of
    thousands of objects kept for the process's life) out of the garbage collector's
    passes, as :func:`ingest` does in its own process: a batch worker's passes walked
    them again and again, while extracting and storing make and drop many objects."""
    global _CHUNKS_BEGUN
    _CHUNKS_BEGUN += 1
    if _CHUNKS_BEGUN == 2:
        gc.freeze()


def extract_chunk(settings: Settings, documents: Sequence[Document]) -> list[Annotated | ReadError]:
    """Extract each document with this process's pipeline for ``settings`` (built once
    per process, on first use): what a local run and a Dask worker do with a chunk."""
    pipeline = pipeline_for(settings)
    _settle()
    return [annotate(pipeline, d) for d in documents]


def local(settings: Settings) -> Extractor[T]:
    """The :data:`Extractor` that extracts in this process, one chunk after another."""

    def extract(
        jobs: Iterable[tuple[T, list[Document]]],
    ) -> Iterator[tuple[T, list[Annotated | ReadError]]]:
        for tag, documents in jobs:
            yield tag, extract_chunk(settings, documents)

    return extract


def extracted(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Annotated | ReadError]:
    """Every input read and extracted, in order: an Annotated document, or a ReadError
    naming a document that could not be read or extracted (the others go on)."""
    pipeline = pipeline_for(settings)
    for item in read_inputs(list(inputs), settings, stdin=stdin):
        yield item if isinstance(item, ReadError) else annotate(pipeline, item)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"a chunk holds at least one document, not {size}")
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


@dataclass(slots=True)
class Chunk:
    """One chunk of the input: what was read (Documents and ReadErrors, in order) and
    which of its documents the ledger already holds under this pipeline version."""

    items: list[Document | ReadError]
    known: set[str]

    def todo(self) -> list[Document]:
        return [d for d in self.items if isinstance(d, Document) and d.id not in self.known]


def _plan(
    ledger: Ledger, version: str, chunks: Iterable[list[Document | ReadError]]
) -> Iterator[tuple[Chunk, list[Document]]]:
    for items in chunks:
        ids = [d.id for d in items if isinstance(d, Document)]
        chunk = Chunk(items, ledger.processed(ids, version) if ids else set())
        yield chunk, chunk.todo()


class Target(NamedTuple):
    """Where and as what a chunk is stored: the ledger's URL (with its password: a
    worker opens it), the pipeline version, the run, who and through what."""

    url: str
    version: str
    run_id: int
    by: str
    via: str


@dataclass(slots=True)
class Stored:
    """What storing a chunk did with each of its items, in order (an AddResult, or the
    ReadError of an item that could not be read, extracted or stored), and the story
    signatures of the stored texts of its documents with new incidents when they were
    made where the chunk was stored (a batch worker), so that fusion need not."""

    outcomes: list[AddResult | ReadError]
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)


#: Extracts and stores chunks elsewhere (``harmledger batch``: on Dask workers, each
#: chunk in one transaction, in input order): takes chunks and a :class:`Target`, yields
#: ``(chunk, stored)`` in the same order.
Storer = Callable[[Iterable[Chunk], Target], Iterator[tuple[Chunk, Stored]]]

_LEDGERS: dict[str, Ledger] = {}


def ledger_for(url: str) -> Ledger:
    """This process's :class:`Ledger` of ``url``, opened once (a worker's)."""
    if url not in _LEDGERS:
        _LEDGERS[url] = Ledger(url)
    return _LEDGERS[url]


def extract_for_store(
    settings: Settings, chunk: Chunk
) -> tuple[Chunk, list[Annotated | ReadError]]:
    """A worker's first half of a chunk: extract what is to be extracted, and keep the
    chunk with the results (they stay on the worker, for :func:`store_extracted`)."""
    todo = chunk.todo()
    return chunk, extract_chunk(settings, todo) if todo else []


def store_extracted(
    target: Target,
    extracted_: tuple[Chunk, list[Annotated | ReadError]],
    previous: object = None,
) -> Stored:
    """A worker's second half: store the chunk it extracted in the ledger, in one
    transaction (``previous``, the outcome of the chunk before, only orders the
    transactions as the input), and make the story signatures of the new documents
    with incidents (fusion's share that needs their texts)."""
    chunk, results = extracted_
    ledger = ledger_for(target.url)
    outcomes = store_chunk(ledger, chunk, results, *target[1:])
    fresh = {r.document_id for r in outcomes if isinstance(r, AddResult) and r.incidents_added}
    signatures = {}
    for a in results:
        if isinstance(a, Annotated) and a.document.id in fresh:
            text = ledger.stored_text(a.document.text)
            signatures[a.document.id] = nd.signature(text)
    return Stored(outcomes, signatures)


def ingest(
    ledger: Ledger,
    inputs: Sequence[str],
    settings: Settings,
    *,
    fuse: bool = True,
    stdin: BinaryIO | None = None,
    on_step: Callable[[Step], None] | None = None,
    chunk_size: int = CHUNK,
    extractor: Extractor[Chunk] | None = None,
    storer: Storer | None = None,
    by: str | None = None,
    via: str = "python",
) -> RunSummary:
    """Read ``inputs``, extract, store in ``ledger`` and fuse the new reports with what
    the ledger holds, a chunk of ``chunk_size`` documents at a time (``fuse=False``: not
    at all). Documents the ledger already holds under this pipeline version are not
    extracted again. A document that cannot be read, extracted (within
    ``settings.time_budget``) or stored is recorded in the ledger's errors and the rest
    go on. ``extractor`` extracts the chunks (default: in this process,
    :func:`local`); a ``storer`` (``harmledger batch`` into PostgreSQL) extracts and
    stores them elsewhere, and this process only fuses. Earlier runs whose process is
    gone are closed as interrupted, and what they stored but did not fuse is fused
    first, chunk by chunk. The run is recorded in the ledger with its counts."""
    started = time.perf_counter()
    version = pipeline_for(settings).version
    interrupted = ledger.close_interrupted()
    summary = RunSummary(run_id=ledger.start_run(list(inputs), version), interrupted=interrupted)
    # What lives now (the pipeline's tables, millions of objects) is left out of the
    # garbage collector's full passes while the run goes: storing a chunk makes many rows,
    # and each full pass walked the whole heap (a third of the store's CPU time).
    gc.freeze()
    try:
        fuser = Fuser(ledger) if fuse else None
        if fuser is not None and ledger.pending():
            fuser.left_over()  # what interrupted runs stored but did not fuse
        read = read_inputs(list(inputs), settings, stdin=stdin)
        jobs = _plan(ledger, version, chunked(read, chunk_size))
        target = Target(
            ledger.url.render_as_string(hide_password=False),
            version,
            summary.run_id,
            by or login_name(),
            via,
        )
        work: Callable[[Chunk, Any], list[Step]]
        done: Iterator[tuple[Chunk, Any]]
        if storer is not None and not ledger.is_sqlite:
            done = storer((chunk for chunk, _ in jobs), target)

            def work(chunk: Chunk, stored: Stored) -> list[Step]:
                return _account(fuser, chunk, stored, summary)
        else:
            done = (extractor or local(settings))(jobs)

            def work(chunk: Chunk, results: list[Annotated | ReadError]) -> list[Step]:
                stored = Stored(store_chunk(ledger, chunk, results, *target[1:]))
                return _account(fuser, chunk, stored, summary)

        for steps in _behind(done, work, threaded=not _in_memory(ledger)):
            if on_step is not None:
                for step in steps:
                    on_step(step)
    except BaseException:
        summary.seconds = time.perf_counter() - started
        ledger.finish_run(summary.run_id, summary.stats(), status="interrupted", by=by, via=via)
        raise
    finally:
        gc.unfreeze()
    summary.seconds = time.perf_counter() - started
    ledger.finish_run(summary.run_id, summary.stats(), by=by, via=via)
    return summary


def _behind(
    items: Iterator[tuple[Chunk, Any]],
    work: Callable[[Chunk, Any], list[Step]],
    *,
    threaded: bool,
) -> Iterator[list[Step]]:
    """``work`` (store and fuse) on each item, in order, one item behind the making of
    the items (extraction) in a thread of its own, so that the database's share of the
    work (PostgreSQL's server, SQLite's writes, which leave Python's lock free) goes on
    beside the extraction of the next chunk; one chunk at a time is stored and fused, in
    input order, as without it. Stopped (an error, an interrupt), it waits for the chunk
    in hand to be stored and fused before going."""
    if not threaded:
        for chunk, got in items:
            yield work(chunk, got)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="harmledger-store") as writer:
        behind: Future[list[Step]] | None = None
        for chunk, got in items:
            if behind is not None:
                yield behind.result()
            behind = writer.submit(work, chunk, got)
        if behind is not None:
            yield behind.result()


def _in_memory(ledger: Ledger) -> bool:
    """A SQLite ledger in memory (one connection per thread: each its own database)."""
    return ledger.is_sqlite and ledger.url.database in (None, "", ":memory:")


def store_chunk(
    ledger: Ledger,
    chunk: Chunk,
    results: list[Annotated | ReadError],
    version: str,
    run_id: int,
    by: str,
    via: str,
) -> list[AddResult | ReadError]:
    """Store one extracted chunk in one transaction (a document extracted again carries
    its reviews along); what became of each of its items, in order. What ``run`` does
    with a chunk in its own process, and a ``batch`` worker with the chunk it extracted
    (:func:`store_extracted`): only these small outcomes go back to the client."""
    extracted_ = iter(results)
    stored: list[Annotated] = []
    failures: list[ReadError] = []
    order: list[int | ReadError] = []  # per item: its place in ``stored``, or its error
    for item in chunk.items:
        if isinstance(item, ReadError):
            failures.append(item)
            order.append(item)
            continue
        got = Annotated(document=item) if item.id in chunk.known else next(extracted_)
        if isinstance(got, ReadError):
            failures.append(got)
            order.append(got)
        else:
            order.append(len(stored))
            stored.append(got)
    added = _add_chunk(ledger, stored, failures, version, run_id)
    again = [
        r.document_id
        for r in added
        if not isinstance(r, ReadError) and not r.skipped and not r.new_document
    ]
    if again:  # extracted again: their reviews move along
        carry_all(ledger, again, by=by, via=via)
    return [place if isinstance(place, ReadError) else added[place] for place in order]


def _account(
    fuser: Fuser | None,
    chunk: Chunk,
    stored: Stored,
    summary: RunSummary,
) -> list[Step]:
    """Fuse a stored chunk's new reports (those of its documents with current incidents
    not fused yet); its steps, counted in ``summary``."""
    outcomes = stored.outcomes
    if fuser is not None:
        ids = [r.document_id for r in outcomes if isinstance(r, AddResult)]
        if ids:
            fuser.arrived(ids, stored.signatures)
    steps = []
    for item, result in zip(chunk.items, outcomes, strict=True):
        if isinstance(result, ReadError):
            summary.failed += 1
            summary.failures.append(result)
            steps.append(Step(result.name, "failed", error=result))
        elif result.skipped:
            summary.skipped += 1
            steps.append(Step(item.name, "skipped"))
        else:
            summary.new += 1
            summary.incidents += result.incidents_added
            steps.append(Step(item.name, "new", result.incidents_added))
    return steps


def _add_chunk(
    ledger: Ledger,
    stored: list[Annotated],
    failures: list[ReadError],
    version: str,
    run_id: int,
) -> list[AddResult | ReadError]:
    """Store a chunk in one transaction. If the ledger refuses it, store each document
    alone (the refused transaction left nothing behind), so that a document the
    database cannot hold fails by name and the rest of its chunk is stored."""
    errors = [(e.name, e.reason) for e in failures]
    try:
        return list(ledger.add_many(stored, pipeline_version=version, run_id=run_id, errors=errors))
    except LedgerError:
        ledger.add_many([], pipeline_version=version, run_id=run_id, errors=errors)
    out: list[AddResult | ReadError] = []
    for annotated in stored:
        try:
            out += ledger.add_many([annotated], pipeline_version=version, run_id=run_id)
        except LedgerError as e:
            error = ReadError(annotated.document.name, str(e))
            ledger.record_error(run_id, error.name, error.reason)
            out.append(error)
    return out


def import_gazetteer(
    path: Path,
    settings: Settings,
    *,
    ledger: Ledger | None = None,
    by: str | None = None,
    via: str = "python",
) -> tuple[str, int]:
    """Add a GeoNames country dump or a Who's On First export to the user's gazetteer
    (used from the next run on); returns the kind of file (``geonames`` or ``wof``) and the
    places added. With a ``ledger``, the import is an audit entry there (file, kind,
    SHA-256, places)."""
    kind, n = import_file(path, settings.user_gazetteer_dir)
    if ledger is not None:
        digest = hashlib.sha256()
        with path.open("rb") as fp:
            for chunk in iter(lambda: fp.read(1 << 20), b""):
                digest.update(chunk)
        with ledger.transaction("record the gazetteer import in") as conn:
            audit.append(
                conn,
                actor=by or login_name(),
                via=via,
                action="gazetteer.import",
                target=f"gazetteer:{path.name}",
                after={"file": path.name, "kind": kind, "sha256": digest.hexdigest(), "places": n},
            )
    return kind, n
