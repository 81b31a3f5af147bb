"""`harmledger batch` on Dask: against a scheduler and workers started as processes of
their own on loopback (as on a cluster), and on a local cluster; killed and started
again; a worker lost part-way. The ledger always ends as `harmledger run` leaves it."""

from __future__ import annotations

import json
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from durable import env, harmledger, kill_part_way, kill_target, snapshot, start, stored
from harmledger.config import Settings
from harmledger.runner import ingest
from harmledger.store import Ledger
from pg import BACKENDS, database

REPORTS = Path(__file__).parent / "fusion" / "reports.jsonl"
CHUNK = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dask(*args: str) -> subprocess.Popen[bytes]:
    exe = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
    return subprocess.Popen(
        [exe, *args],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class Cluster:
    """A `dask scheduler` and `dask worker` processes on loopback."""

    def __init__(self, workers: int) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")
        self.workers: list[subprocess.Popen[bytes]] = []
        for _ in range(workers):
            self.add_worker()
        self.wait_for(workers)

    def add_worker(self) -> subprocess.Popen[bytes]:
        w = _dask("worker", self.address, "--nthreads", "1", "--no-dashboard", "--no-nanny")
        self.workers.append(w)
        return w

    def wait_for(self, n: int, timeout: float = 120) -> None:
        from dask.distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout="5s") as client:
                    client.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        for p in [*self.workers, self.scheduler]:
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            p.wait()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster(workers=2)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture(params=BACKENDS)
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with database(request.param, tmp_path) as a, database(request.param, tmp_path) as b:
        yield a, b


def as_run(db: str) -> None:
    with Ledger(db) as lg:
        ingest(lg, [str(REPORTS)], Settings(), chunk_size=CHUNK)


def test_batch_on_a_scheduler_and_workers_leaves_the_ledger_run_leaves(
    cluster: Cluster, two_dbs: tuple[str, str]
) -> None:
    batch_db, run_db = two_dbs
    as_run(run_db)
    done = harmledger(
        "batch", str(REPORTS), "--db", batch_db, "--scheduler", cluster.address,
        "--chunk-size", str(CHUNK),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "112 document(s) read: 112 new" in done.stderr
    assert snapshot(batch_db) == snapshot(run_db)


def test_batch_killed_and_started_again_finishes_the_job(
    cluster: Cluster, two_dbs: tuple[str, str]
) -> None:
    batch_db, run_db = two_dbs
    as_run(run_db)
    rng = random.Random(14)
    command = ("batch", str(REPORTS), "--db", batch_db, "--scheduler", cluster.address)
    command += ("--chunk-size", str(CHUNK), "-q")
    total = len(snapshot(run_db)["documents"])
    kills = attempts = 0
    while kills < 4 and attempts < 10:  # killed part-way four times, however fast it runs
        attempts += 1
        target = kill_target(stored(batch_db), total, rng)
        kills += kill_part_way(start(*command), batch_db, target, rng)
    assert kills >= 2
    done = harmledger(*command)
    assert done.returncode == 0, done.stderr
    assert snapshot(batch_db) == snapshot(run_db)
    with Ledger(batch_db) as lg:
        runs = lg.runs()
    # a run killed before it had begun left no row; every other one is closed
    assert sum(r["status"] == "interrupted" for r in runs) <= kills
    assert {r["status"] for r in runs} == {"interrupted", "finished"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_a_worker_lost_part_way_costs_nothing(
    cluster: Cluster, tmp_path: Path, backend: str
) -> None:
    """On PostgreSQL the workers store their chunks: one lost after its commit makes
    the scheduler store the chunk again, which finds it stored; it is fused all the same."""
    with database(backend, tmp_path) as batch_db, database(backend, tmp_path) as run_db:
        as_run(run_db)
        proc = start(
            "batch", str(REPORTS), "--db", batch_db, "--scheduler", cluster.address,
            "--chunk-size", "3", "-q",
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the first chunks are stored
            try:
                with Ledger(batch_db) as lg:
                    if lg.stats()["documents"]:
                        break
            except Exception:  # no tables yet
                pass
            time.sleep(0.1)
        lost = cluster.workers[0]
        lost.send_signal(signal.SIGKILL)
        lost.wait()
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        assert snapshot(batch_db) == snapshot(run_db)
    cluster.workers.pop(0)
    cluster.add_worker()
    cluster.wait_for(2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_document_failing_on_a_worker_is_named_and_the_rest_go_on(
    cluster: Cluster, tmp_path: Path, backend: str
) -> None:
    """A document whose extraction fails on a worker (here: over its time budget) comes
    back to the client as its error, by name; the batch goes on and exits 1."""
    lines = REPORTS.read_text(encoding="utf-8").splitlines()[:4]
    long = json.loads(lines[0])
    long["id"], long["text"] = "long-one", " ".join([long["text"]] * 400)
    source = tmp_path / "some.jsonl"
    source.write_text("\n".join([*lines[1:], json.dumps(long)]) + "\n", encoding="utf-8")
    with database(backend, tmp_path) as db:
        done = harmledger(
            "batch", str(source), "--db", db, "--scheduler", cluster.address,
            "--time-budget", "0.5", "-q",
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "error: long-one: extraction took longer than its time budget" in done.stderr
        with Ledger(db) as lg:
            failed = [e["name"] for e in lg.errors()]
            # the others are stored (a worker slowed by a loaded machine may fail one more)
            assert "long-one" in failed
            assert lg.stats()["documents"] + len(failed) == 4


def test_batch_local_cluster_of_two_workers(tmp_path: Path) -> None:
    with database(BACKENDS[0], tmp_path) as batch_db, database(BACKENDS[0], tmp_path) as run_db:
        as_run(run_db)
        done = harmledger(
            "batch", str(REPORTS), "--db", batch_db, "--workers", "2", "--chunk-size", str(CHUNK)
        )
        assert done.returncode == 0, done.stderr
        assert snapshot(batch_db) == snapshot(run_db)


def test_batch_workers_and_scheduler_are_one_or_the_other(tmp_path: Path) -> None:
    done = harmledger(
        "batch", str(REPORTS), "--db", str(tmp_path / "x.db"), "--workers", "2",
        "--scheduler", "tcp://127.0.0.1:1",
    )  # fmt: skip
    assert done.returncode == 2
    assert "not both" in done.stderr


def test_batch_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    port = _free_port()
    done = harmledger(
        "batch", str(REPORTS), "--db", str(tmp_path / "x.db"),
        "--scheduler", f"tcp://127.0.0.1:{port}",
    )  # fmt: skip
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr


def _checks(server: object) -> dict[str, float]:
    """Milliseconds between a Dask server's periodic checks, by name."""
    callbacks = server.periodic_callbacks  # type: ignore[attr-defined]
    names = ("tick", "monitor", "stealing", "memory_monitor")
    return {n: callbacks[n].callback_time for n in names if n in callbacks}


def test_batch_local_cluster_checks_its_health_seldom() -> None:
    """A local cluster's scheduler (in the client's process) and workers check the event
    loop, the machine, their memory and work stealing every 1-5 s, not Dask's 20-500 ms
    (which cost the client's process a few per cent of a core while a batch runs)."""
    from harmledger.batch import cluster

    with cluster(workers=1) as client:
        scheduler = client.run_on_scheduler(lambda dask_scheduler: _checks(dask_scheduler))
        workers = list(client.run(lambda dask_worker: _checks(dask_worker)).values())
    assert scheduler == {"tick": 1000, "monitor": 5000, "stealing": 1000}
    assert workers == [{"tick": 1000, "monitor": 5000, "memory_monitor": 1000}]


def test_batch_worker_leaves_its_pipeline_out_of_garbage_collection(tmp_path: Path) -> None:
    """From its second chunk on, what a worker keeps for its life (the pipeline, the
    resources its stages loaded for the first chunk) is out of the garbage collector's
    passes, which walked it again at every full pass while chunks were extracted and
    stored; a worker that has extracted nothing yet has left nothing out."""
    import gc

    from harmledger.batch import cluster, extractor

    settings = Settings()
    with cluster(workers=1) as client:
        assert list(client.run(gc.get_freeze_count).values()) == [0]
        with Ledger(tmp_path / "ledger.db") as lg:
            summary = ingest(
                lg,
                [str(REPORTS)],
                settings,
                chunk_size=CHUNK,
                extractor=extractor(client, settings),
            )
        frozen = list(client.run(gc.get_freeze_count).values())
    assert summary.new > 2 * CHUNK
    assert frozen[0] > 10_000  # the pipeline's tables: hundreds of thousands of objects
