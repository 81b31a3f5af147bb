"""Helpers of the durability tests: harmledger as its own process, and what a ledger
holds, without what differs between runs (times, row numbers, run ids)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from harmledger.store import Ledger, resolve_url
from harmledger.store import schema as s

ROOT = Path(__file__).parents[1]
#: harmledger's command line in a process of its own (what a user's shell starts)
COMMAND = [
    sys.executable,
    "-c",
    "import sys; from harmledger.cli import main; sys.argv[0] = 'harmledger'; main()",
]


def env() -> dict[str, str]:
    """The environment of a harmledger process: this checkout's code first."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), out.get("PYTHONPATH", "")])
    return out


def start(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """``harmledger ARGS...`` started in a session of its own (killed as a group)."""
    return subprocess.Popen(
        [*COMMAND, *args],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kwargs,
    )


def harmledger(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], env=env(), capture_output=True, text=True, timeout=timeout
    )


def stored(db: str) -> int:
    """How many documents a ledger holds (none before its tables exist). A plain read, as
    any reader may make while a run writes: opening it as harmledger does (tables,
    migrations) may wait for the run's write lock, and a count that waits is a count
    that misses the moment to kill."""
    url = resolve_url(db)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(s.documents)) or 0)
    except (OperationalError, ProgrammingError):  # killed before it made its tables
        return 0
    finally:
        engine.dispose()


def kill_part_way(proc: subprocess.Popen[bytes], db: str, target: int, rng: random.Random) -> bool:
    """SIGKILL ``proc`` at a random moment (up to 0.3 s) after the ledger ``db`` holds
    ``target`` documents, whatever phase it is in then (starting, reading, extracting,
    storing, fusing); False when it finished first. Progress, not time, sets the moment:
    a kill lands part-way however fast the machine runs the job."""
    while proc.poll() is None and stored(db) < target:
        time.sleep(0.02)
    killed = False
    if proc.poll() is None:
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    return killed


def kill_target(have: int, total: int, rng: random.Random) -> int:
    """How many documents a ledger holding ``have`` of ``total`` should hold when the next
    run is killed: a few more, or none more (killed at once), never so many that the run
    may finish first."""
    return have + min(rng.choice([0, 1, 6, 12, 20, 30]), (total - have) // 2)


def snapshot(db: str) -> dict[str, Any]:
    """Documents, names, incidents, stories, fused incidents and their members, in a
    form two ledgers can be compared by."""
    with Ledger(db) as lg, lg.engine.connect() as conn:
        d, n, i, fi, fm = (
            s.documents,
            s.document_names,
            s.incidents,
            s.fused_incidents,
            s.fused_members,
        )
        docs = sorted(
            tuple(r) for r in conn.execute(select(d.c.id, d.c.name, d.c.text, d.c.published))
        )
        names = sorted(tuple(r) for r in conn.execute(select(n.c.document_id, n.c.name)))
        cols = [i.c.incident_id, i.c.document_id, i.c.event_type, i.c.fatalities, i.c.date_start]
        cols += [i.c.location_name, i.c.actor1_name, i.c.confidence]
        incidents = sorted(tuple(r) for r in conn.execute(select(*cols)))
        stories = sorted(
            tuple(r) for r in conn.execute(select(s.stories.c.document_id, s.stories.c.story_id))
        )
        members: dict[str, list[tuple[int, str]]] = {}
        q = select(fm.c.fused_id, fm.c.position, i.c.incident_id).join(
            i, i.c.id == fm.c.incident_pk
        )
        for r in conn.execute(q):
            members.setdefault(r.fused_id, []).append((r.position, r.incident_id))
        fcols = [fi.c.id, fi.c.sources, fi.c.reports, fi.c.killed_min, fi.c.killed_max, fi.c.reason]
        fused = [
            (*r, sorted(members.get(r.id, [])))
            for r in conn.execute(select(*fcols).order_by(fi.c.first_pk))
        ]
        pending = lg.pending()
    return {
        "documents": docs,
        "names": names,
        "incidents": incidents,
        "stories": stories,
        "fused": fused,
        "pending": pending,
    }


def groups(db: str) -> list[list[str]]:
    """The fused incidents as sorted lists of their incident ids, sorted."""
    with Ledger(db) as lg:
        return sorted(sorted(r.incident_id for r in f.reports) for f in lg.fused())
