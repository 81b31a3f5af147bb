"""Runs that are killed, run again, or run beside each other (issue 13 items 2 and 4,
issue 14 item 3): the ledger ends as one uninterrupted run leaves it, with no error."""

from __future__ import annotations

import json
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from durable import groups, harmledger, kill_part_way, kill_target, snapshot, start, stored
from harmledger.config import Settings
from harmledger.runner import ingest
from harmledger.store import Ledger
from pg import BACKENDS, database

FUSION = Path(__file__).parent / "fusion"
REPORTS = FUSION / "reports.jsonl"  # 112 reports of 40 events, written for the project
CHUNK = "6"


@pytest.fixture(params=BACKENDS)
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh ledgers on one backend."""
    with database(request.param, tmp_path) as a, database(request.param, tmp_path) as b:
        yield a, b


def uninterrupted(db: str, inputs: list[str], chunk: int = int(CHUNK)) -> None:
    with Ledger(db) as lg:
        ingest(lg, inputs, Settings(), chunk_size=chunk)


def test_runner_killed_ten_times_finishes_as_one_uninterrupted_run(
    two_dbs: tuple[str, str],
) -> None:
    """SIGKILL at random moments (reading, extracting, storing, fusing), ten times, each
    time started again with the same command; then once more to the end."""
    killed_db, whole_db = two_dbs
    uninterrupted(whole_db, [str(REPORTS)])
    total = len(snapshot(whole_db)["documents"])
    rng = random.Random(13)
    command = ("run", str(REPORTS), "--db", killed_db, "--chunk-size", CHUNK, "-q")
    kills = 0
    for _ in range(10):  # each run skips what the killed ones stored
        target = kill_target(stored(killed_db), total, rng)
        proc = start(*command)
        if kill_part_way(proc, killed_db, target, rng):
            kills += 1
        else:
            assert proc.returncode == 0
    assert kills >= 5  # most were killed part-way
    done = harmledger(*command)
    assert done.returncode == 0, done.stderr
    assert snapshot(killed_db) == snapshot(whole_db)
    with Ledger(killed_db) as lg:
        runs = lg.runs()
    assert all(r["finished"] is not None for r in runs)
    # a run killed before it had begun left no row; every other one is closed
    assert 1 <= sum(r["status"] == "interrupted" for r in runs) <= kills
    assert {r["status"] for r in runs} == {"interrupted", "finished"}
    assert runs[-1]["status"] == "finished"


def test_runner_runs_and_readers_at_once_as_one_after_another(
    two_dbs: tuple[str, str], tmp_path: Path
) -> None:
    """Three runs at once (the same few documents in all three), while export, fused and
    incidents read: no error, every document once, nothing left unfused, and the same
    events as one run after another. Fusion as documents arrive depends on their order
    (a report joins the group it meets first), so each run reads its own events here:
    then any order of the runs fuses alike, and so must running them at once."""
    together_db, alone_db = two_dbs
    lines = REPORTS.read_text(encoding="utf-8").splitlines()
    events = sorted({json.loads(line)["event"] for line in lines})
    alone_events = {e for e in events if sum(f'"{e}"' in line for line in lines) == 1}
    inputs = []
    for n in range(3):
        mine = [
            line
            for line in lines
            if events.index(json.loads(line)["event"]) % 3 == n
            or json.loads(line)["event"] in alone_events  # in every run: stored once
        ]
        part = tmp_path / f"part{n}.jsonl"
        part.write_text("\n".join(mine) + "\n", encoding="utf-8")
        inputs.append(str(part))
    for part in inputs:
        uninterrupted(alone_db, [part], chunk=4)
    with Ledger(together_db) as lg:
        lg.stats()  # the tables, so that readers find a ledger
    writers = [
        start("run", part, "--db", together_db, "--chunk-size", "4", "-q") for part in inputs
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        for args in (("export", "--format", "csv"), ("fused", "--format", "jsonl"), ("incidents",)):
            done = harmledger(*args, "--db", together_db)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
            reads += 1
    for w in writers:
        err = w.stderr.read().decode() if w.stderr else ""
        assert w.wait() == 0, err
        assert "Error" not in err and "Traceback" not in err
        for stream in (w.stdout, w.stderr):
            if stream is not None:
                stream.close()
    assert reads >= 3
    together, alone = snapshot(together_db), snapshot(alone_db)
    for key in ("documents", "names", "incidents"):
        assert together[key] == alone[key], key
    assert together["pending"] == 0
    # a story is named by its first copy to arrive, an event by its first report: which
    # came first differs, which are one story and one event does not
    assert copies(together["stories"]) == copies(alone["stories"])
    assert groups(together_db) == groups(alone_db)


def copies(stories: list[tuple[str, str]]) -> list[list[str]]:
    by_story: dict[str, list[str]] = {}
    for doc, story in stories:
        by_story.setdefault(story, []).append(doc)
    return sorted(sorted(docs) for docs in by_story.values())


def test_runner_run_again_extracts_nothing_and_adds_nothing(db_url: str, monkeypatch) -> None:
    uninterrupted(db_url, [str(REPORTS)])
    before = snapshot(db_url)
    extracted = []
    import harmledger.runner as runner

    real = runner.extract_chunk
    monkeypatch.setattr(
        runner, "extract_chunk", lambda s, docs: extracted.extend(docs) or real(s, docs)
    )
    with Ledger(db_url) as lg:
        summary = ingest(lg, [str(REPORTS)], Settings(), chunk_size=10)
    assert extracted == []
    assert (summary.new, summary.skipped) == (0, 112)
    assert snapshot(db_url) == before


def test_runner_chunks_stored_and_not_fused_are_fused_chunk_by_chunk(
    two_dbs: tuple[str, str],
) -> None:
    """What a batch stores ahead of its fusion and leaves unfused when killed (many
    chunks, not one) is fused by the next run one stored chunk after another, in the
    order they were stored: the ledger ends as if each had been fused as it arrived."""
    left_db, whole_db = two_dbs
    uninterrupted(whole_db, [str(REPORTS)])
    with Ledger(left_db) as lg:
        ingest(lg, [str(REPORTS)], Settings(), chunk_size=int(CHUNK), fuse=False)
        assert lg.pending() == len(snapshot(whole_db)["incidents"])
    with Ledger(left_db) as lg:
        summary = ingest(lg, [str(REPORTS)], Settings(), chunk_size=int(CHUNK))
    assert (summary.new, summary.skipped) == (0, 112)
    assert snapshot(left_db) == snapshot(whole_db)


def test_runner_chunk_is_stored_whole_or_not_at_all(db_url: str, monkeypatch) -> None:
    """A failure while storing a chunk leaves none of its documents; the run is closed
    as interrupted, and the next one stores everything."""
    import harmledger.store.rows as rows

    real = rows.insert_processings
    calls = []

    def fail_second(conn, items, **kwargs):
        calls.append(len(items))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(conn, items, **kwargs)

    monkeypatch.setattr(rows, "insert_processings", fail_second)
    with Ledger(db_url) as lg, pytest.raises(RuntimeError, match="disk full"):
        ingest(lg, [str(REPORTS)], Settings(), chunk_size=10)
    with Ledger(db_url) as lg:
        assert lg.stats()["documents"] == 10  # the first chunk only
        assert [r["status"] for r in lg.runs()] == ["interrupted"]
    monkeypatch.undo()
    with Ledger(db_url) as lg:
        summary = ingest(lg, [str(REPORTS)], Settings(), chunk_size=10)
        assert (summary.new, summary.skipped) == (102, 10)
        assert lg.pending() == 0


def test_runner_killed_run_is_closed_as_interrupted_by_the_next(db_url: str) -> None:
    proc = start("run", str(REPORTS), "--db", db_url, "--chunk-size", "4", "-q")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until it has stored something
        with Ledger(db_url) as lg:
            try:
                if lg.stats()["documents"]:
                    break
            except Exception:  # the tables may not exist yet
                pass
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    with Ledger(db_url) as lg:
        (run,) = lg.runs()
        assert run["finished"] is None and run["status"] == "running"
        assert lg.close_interrupted() == [run["id"]]
        (run,) = lg.runs()
        assert run["status"] == "interrupted" and run["documents_new"] >= 1
        assert lg.close_interrupted() == []


def test_runner_live_run_is_not_closed(db_url: str) -> None:
    with Ledger(db_url) as lg, Ledger(db_url) as other:
        run_id = lg.start_run(["x.txt"], "v1")
        assert other.close_interrupted() == []
        lg.finish_run(run_id, {"read": 0})
        assert [r["status"] for r in other.runs()] == ["finished"]
