"""``harmledger batch``: the ingest loop with extraction on a Dask cluster.

A thin adapter: :func:`harmledger.runner.ingest` reads, stores and fuses as for
``harmledger run``; this package hands it an extractor (:func:`extractor`) that sends
each chunk of documents to a Dask worker, keeps a few chunks ahead in flight, and gives
the results back in input order. Each worker builds its pipeline once, on its first
chunk (:func:`harmledger.runner.extract_chunk` through the per-process
``pipeline_for``): only the settings travel with a chunk, never the pipeline. A local
cluster by default (:func:`cluster`), or a running scheduler's address: the same code.
"""

from __future__ import annotations

from harmledger.batch.cluster import cluster, extractor, peak_memory_mb, storer, worker_memory

__all__ = ["cluster", "extractor", "peak_memory_mb", "storer", "worker_memory"]
