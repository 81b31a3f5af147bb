"""Dask distributed: connecting to a cluster, extracting chunks on its workers."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from harmledger.config import Settings
from harmledger.errors import ConfigError, ReadError
from harmledger.model import Annotated, Document
from harmledger.runner import (
    Chunk,
    Extractor,
    Stored,
    Storer,
    Target,
    extract_chunk,
    extract_for_store,
    store_extracted,
)

T = TypeVar("T")

#: Chunks in flight per worker thread: one running, one waiting, so no worker idles
#: while the client stores a finished chunk.
AHEAD_PER_THREAD = 2
#: What a local cluster's scheduler (in this process), nannies and workers check less
#: often than Dask's defaults: the event loop's health (every 20 ms) and the machine's
#: CPU, memory and I/O (every 0.5 s), which feed only Dask's dashboard and warnings;
#: a worker's memory against its limit (every 0.1 s: a chunk takes seconds) and whether
#: a waiting chunk would start sooner on another worker (every 0.1 s). At the defaults,
#: idle, a cluster of two costs 7.5% of a core, the client 3%; with these 4% and 0.6%,
#: on the cores the workers extract on.
QUIET = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing-interval": "1s",
}
#: Chunks in flight per worker thread when workers store: one extracting, one waiting
#: for its turn to store, one stored and waiting for the client to fuse it.
STORE_AHEAD_PER_THREAD = 3


@contextmanager
def cluster(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler`` (``tcp://host:8786``), or of a
    local cluster of ``workers`` processes (default: one per core), one thread each (the
    extraction is pure Python: threads would share one core). Closed on exit."""
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS`"
            ) from exc
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with dask.config.set(QUIET):
        local = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        try:
            with Client(local) as client:
                yield client
        finally:
            local.close()


def extractor(client: Any, settings: Settings, *, ahead: int | None = None) -> Extractor[T]:
    """An :data:`~harmledger.runner.Extractor` that extracts each chunk on a worker of
    ``client``'s cluster, with up to ``ahead`` chunks in flight (default: two per worker
    thread), and yields the results in input order. A worker lost on the way costs
    nothing but time: the scheduler runs its chunks again elsewhere."""

    def extract(
        jobs: Iterable[tuple[T, list[Document]]],
    ) -> Iterator[tuple[T, list[Annotated | ReadError]]]:
        limit = ahead or max(2, AHEAD_PER_THREAD * _threads(client))
        flying: deque[tuple[T, Any]] = deque()
        for tag, documents in jobs:
            done = (
                client.submit(extract_chunk, settings, documents, pure=False) if documents else None
            )
            flying.append((tag, done))
            while len(flying) >= limit:
                yield _result(flying.popleft())
        while flying:
            yield _result(flying.popleft())

    return extract


def storer(client: Any, settings: Settings, *, ahead: int | None = None) -> Storer:
    """A :data:`~harmledger.runner.Storer`: each chunk is extracted on a worker, which
    then stores it in the ledger itself, in one transaction (the transactions in input
    order: each waits for the chunk before), and sends back only each document's
    outcome, never its mentions; up to ``ahead`` chunks in flight (default: three per
    worker thread, as storing waits its turn). A worker lost before its chunk's commit
    costs time; one lost after it makes the chunk stored again, which finds it stored
    (its documents come back as skipped, and are fused all the same)."""

    def store(chunks: Iterable[Chunk], target: Target) -> Iterator[tuple[Chunk, Stored]]:
        limit = ahead or max(2, STORE_AHEAD_PER_THREAD * _threads(client))
        flying: deque[tuple[Chunk, Any]] = deque()
        previous = None
        for chunk in chunks:
            extracted = client.submit(extract_for_store, settings, chunk, pure=False)
            # stored ahead of the extraction of later chunks, on the worker that holds it
            stored = client.submit(
                store_extracted, target, extracted, previous, pure=False, priority=1
            )
            # The client never reads the extraction: released now, a worker frees a
            # chunk's documents and mentions as soon as it is stored, not when the client
            # fuses it (three chunks later). A worker lost before the store recomputes it
            # all the same: the store still needs it.
            extracted.release()
            flying.append((chunk, stored))
            previous = stored
            while len(flying) >= limit:
                yield _outcomes(flying.popleft())
        while flying:
            yield _outcomes(flying.popleft())

    return store


def _outcomes(item: tuple[Chunk, Any]) -> tuple[Chunk, Stored]:
    chunk, stored = item
    out: Stored = stored.result()
    stored.release()
    return chunk, out


def _result(item: tuple[T, Any]) -> tuple[T, list[Annotated | ReadError]]:
    tag, future = item
    if future is None:
        return tag, []
    out: list[Annotated | ReadError] = future.result()
    future.release()
    return tag, out


def _threads(client: Any) -> int:
    return sum(client.nthreads().values()) or 1


def peak_memory_mb() -> float:
    """This process's own peak resident memory, in MB.

    Linux's ``VmHWM`` where there is one: ``ru_maxrss`` starts from the peak of the
    process that started this one (Linux keeps it across fork and exec), so a worker
    that a 400 MB client spawned said 400 MB from its first moment."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_memory(client: Any) -> dict[str, float]:
    """Each worker's peak resident memory so far, in MB (:func:`peak_memory_mb`)."""
    return {str(k): float(v) for k, v in client.run(peak_memory_mb).items()}
