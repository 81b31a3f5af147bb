"""The review workspace with a big ledger: page and API latencies, and many readers at once.

Usage: python benchmarks/bench_web.py [--incidents 100000] [--db PATH] [--requests 100]
                                      [--readers 50] [--seconds 30] [--seed 7] [--keep]
                                      [--workers N] [--no-cache]

1. Generates a synthetic ledger of N incidents with ``bench_fuse.generate`` (documents,
   processings, incidents with their killed count, date and place; near-duplicate
   stories), fuses it (``Fuser.all``), reviews 1 % of it (accepted, edited, rejected),
   and adds an analyst and a viewer. ``--db`` reuses a ledger this script made.
2. Starts ``harmledger serve``'s application with uvicorn in another process (``--workers``
   processes), on 127.0.0.1 (a free port), and signs in. ``--no-cache``: the workspace
   keeps no answers (each request runs its queries, as the first asking for it does).
3. Latency, one request at a time (keep-alive, after a warm-up): the review queue (page
   and ``/api/queue``), the list filtered by event type and dates and by place (page and
   API, 50 a page, with the total), and an incident page (random incidents). p50 and p95.
4. ``--readers`` concurrent readers (threads, each its own connection and session) for
   ``--seconds``, each request a random one of those: errors, p50/p99, requests/s.

Synthetic data: the figures measure the workspace's queries and rendering at this size,
not extraction. Nothing leaves the machine: every request goes to loopback.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_fuse import generate
from sqlalchemy import select

from harmledger.fuse.ledger import Fuser
from harmledger.review import accounts
from harmledger.review.edits import Reviewer
from harmledger.store import schema
from harmledger.store.ledger import Ledger

PASSWORD = "bench-password-1"


# ---------------------------------------------------------------------- the ledger


def prepare(path: Path, n: int, seed: int) -> None:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        made = pool.submit(generate, str(path), n, seed, 0, str(path) + ".later").result()
    Path(str(path) + ".later").unlink(missing_ok=True)
    print(f"  generated {made['incidents']} incidents in {time.perf_counter() - t0:.0f} s")
    with Ledger(path) as ledger:
        t1 = time.perf_counter()
        Fuser(ledger).all(by="bench")
        print(f"  fused in {time.perf_counter() - t1:.0f} s")
        rng = random.Random(seed)
        records = ledger.incidents()
        picks = rng.sample(records, max(1, len(records) // 100))
        reviewer = Reviewer(ledger, by="bench", via="python")
        t2 = time.perf_counter()
        for k, r in enumerate(picks):
            ident = r.incident.incident_id
            if k % 3 == 0:
                reviewer.accept(ident)
            elif k % 3 == 1:
                reviewer.edit(ident, {"counts": {"killed": {"min": 1, "max": 2}}})
            else:
                reviewer.reject(ident, reason="duplicate report")
        print(f"  {len(picks)} reviews in {time.perf_counter() - t2:.0f} s")
        for role in ("analyst", "viewer"):
            accounts.add_user(ledger, role, role, PASSWORD, by="bench", via="python")


def sample_ids(path: Path, k: int, seed: int) -> list[str]:
    i = schema.incidents
    with Ledger(path) as ledger, ledger.engine.connect() as conn:
        ids = sorted(conn.scalars(select(i.c.incident_id).where(i.c.current.is_(True))))
    return random.Random(seed).sample(ids, min(k, len(ids)))


# ---------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    path: Path, port: int, *, workers: int = 1, cache: bool = True
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HARMLEDGER_SERVE_DB": str(path)}
    if not cache:
        env["HARMLEDGER_ANSWER_CACHE_SECONDS"] = "0"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "harmledger.web.app:from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(workers),
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the workspace did not start")


@dataclass
class Client:
    """One keep-alive connection with a session cookie."""

    port: int
    cookie: str = ""
    conn: http.client.HTTPConnection = field(init=False)
    failure: str = ""

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def sign_in(self, name: str) -> None:
        body = urllib.parse.urlencode({"username": name, "password": PASSWORD})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.conn.request("POST", "/login", body=body, headers=headers)
        r = self.conn.getresponse()
        r.read()
        cookie = r.getheader("set-cookie") or ""
        if r.status != 303 or not cookie:
            raise SystemExit(f"sign-in failed: {r.status}")
        self.cookie = cookie.split(";", 1)[0]

    def get(self, url: str) -> tuple[int, float, int]:
        """(status, seconds, bytes) of one GET; status 0 and the error in ``failure``
        when the connection failed."""
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", url, headers={"Cookie": self.cookie})
            r = self.conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            self.failure = type(e).__name__
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, time.perf_counter() - t0, 0
        return r.status, time.perf_counter() - t0, len(body)


# ---------------------------------------------------------------------- measuring


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def latency(c: Client, label: str, urls: Callable[[int], str], n: int) -> None:
    if n <= 0:
        return
    for k in range(3):  # warm-up
        c.get(urls(k))
    times, sizes, bad = [], [], 0
    for k in range(n):
        status, secs, size = c.get(urls(k))
        bad += status != 200
        times.append(secs * 1000)
        sizes.append(size)
    print(
        f"  {label:<44} p50 {pct(times, 50):6.1f} ms  p95 {pct(times, 95):6.1f} ms  "
        f"max {max(times):6.1f} ms  ({statistics.mean(sizes) / 1024:.0f} KB"
        f"{f', {bad} not 200' if bad else ''})"
    )


def readers(port: int, urls: Sequence[Callable[[int], str]], count: int, seconds: float) -> None:
    # one session per role, signed in before the clock starts (a sign-in is an argon2
    # check: deliberately costly, and not what this measures)
    cookies = {}
    for role in ("analyst", "viewer"):
        c = Client(port)
        c.sign_in(role)
        cookies[role] = c.cookie
    times: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(count + 1)
    stop = 0.0

    def read(k: int) -> None:
        role = "viewer" if k % 2 else "analyst"
        c = Client(port, cookies[role])
        mine_urls = urls if role == "analyst" else urls[:-1]  # the queue is not a viewer's
        start.wait()
        rng = random.Random(k)
        mine: list[float] = []
        bad: Counter[str] = Counter()
        while time.monotonic() < stop:
            status, secs, _ = c.get(rng.choice(mine_urls)(rng.randrange(10**6)))
            mine.append(secs * 1000)
            if status != 200:
                bad[str(status) if status else c.failure] += 1
        with lock:
            times.extend(mine)
            errors.update(bad)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    stop = time.monotonic() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    print(
        f"  {count} readers for {seconds:.0f} s: {len(times)} requests, "
        f"{sum(errors.values())} errors {dict(errors) or ''}, "
        f"p50 {pct(times, 50):.0f} ms, p99 {pct(times, 99):.0f} ms, "
        f"{len(times) / wall:.1f} requests/s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="a ledger this script made (made there if missing)")
    ap.add_argument("--requests", type=int, default=100, help="requests per latency figure")
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--readers-only", action="store_true", help="skip the latency figures")
    ap.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="the workspace keeps no answers (every request runs its queries)",
    )
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    path = args.db or tmp / "ledger.db"
    try:
        if not path.exists():
            print(f"preparing a ledger of {args.incidents} incidents in {path}")
            prepare(path, args.incidents, args.seed)
        with Ledger(path) as ledger:
            stats = ledger.stats()
        print(
            f"ledger: {stats['incidents']} incidents, {stats['fused']} fused, "
            f"{path.stat().st_size / 1e6:.0f} MB"
        )
        ids = sample_ids(path, 500, args.seed)
        port = free_port()
        server = start_server(path, port, workers=args.workers, cache=not args.no_cache)
        print(
            f"server: {args.workers} process(es), answers "
            f"{'not kept' if args.no_cache else 'kept while the ledger does not change'}; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        try:
            c = Client(port)
            c.sign_in("analyst")
            q = urllib.parse.quote
            listed = (
                "event_type="
                + q("Violence against civilians")
                + "&since=2018-06-01&until=2018-12-31"
            )
            places = ("Mosul", "Aleppo", "Baghdad", "Idlib", "Kirkuk", "Homs", "Raqqa")
            if args.readers_only:
                args.requests = 0
            print(f"one request at a time ({args.requests} each):")
            latency(c, "queue page /queue", lambda k: "/queue", args.requests)
            latency(c, "queue API /api/queue", lambda k: "/api/queue", args.requests)
            latency(
                c,
                "list page, type + dates",
                lambda k: f"/incidents?{listed}&page={1 + k % 5}",
                args.requests,
            )
            latency(
                c,
                "list API, type + dates",
                lambda k: f"/api/incidents?{listed}&page={1 + k % 5}",
                args.requests,
            )
            latency(
                c,
                "list page, place",
                lambda k: f"/incidents?place={places[k % len(places)]}",
                args.requests,
            )
            latency(
                c,
                "incident page /incidents/{id}",
                lambda k: f"/incidents/{ids[k % len(ids)]}",
                args.requests,
            )
            latency(
                c,
                "incident API /api/incidents/{id}",
                lambda k: f"/api/incidents/{ids[k % len(ids)]}",
                args.requests,
            )
            # the queue last: viewers' readers leave it out (they may not review)
            mix: list[Callable[[int], str]] = [
                lambda k: f"/incidents/{ids[k % len(ids)]}",
                lambda k: f"/api/incidents/{ids[k % len(ids)]}",
                lambda k: f"/incidents?{listed}&page={1 + k % 5}",
                lambda k: f"/api/incidents?place={places[k % len(places)]}",
                lambda k: "/api/queue",
            ]
            print("concurrent readers (incident pages and API, filtered lists, the queue):")
            readers(port, mix, args.readers, args.seconds)
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
