"""Read -> extract -> store -> fuse: the one way documents get into a ledger.

``harmledger run`` calls :func:`ingest`; the review workspace and a batch runner call the
same function (or its parts: :func:`extracted` reads and extracts, :func:`annotate`
extracts one document), so a rule about reading, failing or fusing lives here once.
Nothing here prints: progress goes to the ``on_step`` callback the caller passes in.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from harmledger.audit import login_name
from harmledger.config import Settings
from harmledger.errors import MSG_EXTRACTION, ReadError
from harmledger.fuse.ledger import Fuser
from harmledger.gazetteer import import_geonames_dump
from harmledger.ingest import read_inputs
from harmledger.model import Annotated, Document
from harmledger.pipeline.pipeline import Pipeline, pipeline_for
from harmledger.review.carry import carry
from harmledger.store import audit
from harmledger.store.ledger import Ledger

#: New reports are fused every this many stored documents (one neighbourhood query per
#: batch); what an interrupted run left unfused is fused at the start of the next run.
FUSE_BATCH = 50

Outcome = Literal["new", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Step:
    """What happened to one document: ``new`` (stored, with ``incidents`` incidents),
    ``skipped`` (already stored by this pipeline version) or ``failed`` (``error`` says
    why: it could not be read or extracted)."""

    name: str
    outcome: Outcome
    incidents: int = 0
    error: ReadError | None = None


@dataclass(slots=True)
class RunSummary:
    """The counts of one :func:`ingest`: documents read (``new`` + ``skipped``) and
    failed, incidents stored, and the run's id in the ledger."""

    run_id: int
    new: int = 0
    skipped: int = 0
    failed: int = 0
    incidents: int = 0
    seconds: float = 0.0
    failures: list[ReadError] = field(default_factory=list)

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
    """Run the pipeline on one document; a bug in a stage fails that document only."""
    try:
        return pipeline(document)
    except Exception as e:  # the batch goes on; the user is told which document and why
        return ReadError(document.name, MSG_EXTRACTION.format(detail=f"{type(e).__name__}: {e}"))


def extracted(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[Annotated | ReadError]:
    """Every input read and extracted, in order: an Annotated document, or a ReadError
    naming a document that could not be read or extracted (the others go on)."""
    pipeline = pipeline_for(settings)
    for item in read_inputs(list(inputs), settings, stdin=stdin):
        yield item if isinstance(item, ReadError) else annotate(pipeline, item)


def ingest(
    ledger: Ledger,
    inputs: Sequence[str],
    settings: Settings,
    *,
    fuse: bool = True,
    stdin: BinaryIO | None = None,
    on_step: Callable[[Step], None] | None = None,
    fuse_every: int = FUSE_BATCH,
    by: str | None = None,
    via: str = "python",
) -> RunSummary:
    """Read ``inputs``, extract, store each document in ``ledger`` (one transaction each)
    and fuse the new reports with what the ledger holds (every ``fuse_every`` documents
    and at the end; ``fuse=False``: not at all). A document that cannot be read or
    extracted is recorded in the ledger's errors and the rest go on. The run is recorded
    in the ledger with its counts."""
    started = time.perf_counter()
    pipeline = pipeline_for(settings)
    summary = RunSummary(run_id=ledger.start_run(list(inputs), pipeline.version))
    fuser = Fuser(ledger) if fuse else None
    if fuser is not None and ledger.pending():
        fuser.pending()  # what an interrupted run stored but did not fuse
    arrived: list[str] = []  # stored, not fused yet
    for item in extracted(inputs, settings, stdin=stdin):
        if isinstance(item, ReadError):
            summary.failed += 1
            summary.failures.append(item)
            ledger.record_error(summary.run_id, item.name, item.reason)
            step = Step(item.name, "failed", error=item)
        else:
            result = ledger.add(item, pipeline_version=pipeline.version, run_id=summary.run_id)
            if result.skipped:
                summary.skipped += 1
                step = Step(item.document.name, "skipped")
            else:
                summary.new += 1
                summary.incidents += result.incidents_added
                if not result.new_document:  # extracted again: reviews move along
                    carry(ledger, result.document_id, by=by or login_name(), via=via)
                if result.incidents_added:
                    arrived.append(result.document_id)
                step = Step(item.document.name, "new", result.incidents_added)
        if fuser is not None and len(arrived) >= fuse_every:
            fuser.pending(arrived)
            arrived.clear()
        if on_step is not None:
            on_step(step)
    if fuser is not None and arrived:
        fuser.pending(arrived)
    summary.seconds = time.perf_counter() - started
    ledger.finish_run(summary.run_id, summary.stats(), by=by, via=via)
    return summary


def import_gazetteer(
    path: Path,
    settings: Settings,
    *,
    ledger: Ledger | None = None,
    by: str | None = None,
    via: str = "python",
) -> int:
    """Add a GeoNames country dump to the user's gazetteer (used from the next run on);
    with a ``ledger``, the import is an audit entry there (file, SHA-256, places)."""
    dest = settings.user_gazetteer_dir
    n = import_geonames_dump(path, dest)
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
                after={"file": path.name, "sha256": digest.hexdigest(), "places": n},
            )
    return n
