"""A generated hostile corpus, mixed with good reports, through `harmledger run` and
`harmledger extract`: how many documents were tried, crashed a process, hung, were
rejected by name, and how many good ones were stored (or extracted).

The corpus (``--count`` documents, 10,000 by default, made with a fixed seed): real reports
(FA-KES articles from ../shared/data when present, else examples/), their re-wrapped
copies, reports with tolls and dates that cannot be true, names with newlines, ANSI escapes
and bytes that are not UTF-8, mixed scripts and right-to-left text, JSON Lines with lone
surrogates, NULs and formula cells; and what must be refused: PDFs, images, ZIP and gzip
archives (a gzip bomb among them), random bytes, NUL after the first 8 KB, control
characters, deep HTML and JSON nesting, a JSON line over the size limit, publication dates
no report can have, named pipes, links out of the folder, empty files.

Usage:

    python benchmarks/hostile_corpus.py [--count 10000] [--timeout 3600] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from common import DATA, texts

ROOT = Path(__file__).resolve().parents[1]
GOOD, BAD = "good", "bad"
#: share of the corpus that is good reports (the rest is hostile)
GOOD_SHARE = 0.4


def reports() -> list[str]:
    fakes = DATA / "fakes" / "fakes_dev.csv"
    if fakes.exists():
        return [t for t in texts(fakes, "article_content") if len(t) > 400]
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]


def _zip(text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("report.docx", text)
    return buf.getvalue()


def _rewrap(text: str, rnd: random.Random) -> str:
    words = text.split()
    lines, line = [], []
    for w in words:
        line.append(w)
        if len(" ".join(line)) > rnd.randint(40, 90):
            lines.append("  ".join(line) if rnd.random() < 0.3 else " ".join(line))
            line = []
    return "\n".join([*lines, " ".join(line)])


def make(folder: Path, count: int, seed: int) -> dict[str, str]:
    """Write the corpus; returns document name -> GOOD or BAD (what must happen to it)."""
    rnd = random.Random(seed)
    good = reports()
    expect: dict[str, str] = {}
    bomb = gzip.compress(b"\0" * 20_000_000)  # 20 MB of zeros in ~20 KB
    jsonl: list[tuple[str, str]] = []  # (line, GOOD/BAD)
    n = 0

    def put(name: str, data: bytes, what: str) -> None:
        path = folder / name
        path.write_bytes(data)
        expect[str(path)] = what

    while n < count:
        k = n
        r = rnd.random()
        text = good[rnd.randrange(len(good))]
        if r < GOOD_SHARE * 0.6:
            put(f"g{k:05d}.txt", text.encode(), GOOD)
        elif r < GOOD_SHARE * 0.75:
            put(f"w{k:05d}.txt", _rewrap(text, rnd).encode(), GOOD)  # a copy: adds nothing
        elif r < GOOD_SHARE * 0.85:
            hostile_text = text + (
                f" Gunmen killed {rnd.choice(['99999999999999999999', '1e308', '9' * 5000])} "
                "civilians on 3 May 1850, and more will die on 1 June 2999."
            )
            put(f"n{k:05d}.txt", hostile_text.encode(), GOOD)
        elif r < GOOD_SHARE * 0.92:
            odd = rnd.choice(["new\nline", "\x1b[31mred\x1b[0m", "tab\there", "rtl\u202etxt"])
            put(f"o{k:05d}{odd}.txt", text.encode(), GOOD)
        elif r < GOOD_SHARE:
            mixed = "تقرير: " + text[:2000] + " \u202eفي الموصل\u202c 中文 русский"
            put(f"m{k:05d}.txt", mixed.encode(), GOOD)
        else:
            kind = rnd.randrange(16)
            name = f"h{k:05d}"
            if kind == 0:
                put(name + ".txt", b"%PDF-1.7\n" + rnd.randbytes(2000), BAD)
            elif kind == 1:
                put(name + ".html", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(2000), BAD)
            elif kind == 2:
                put(name + ".txt", bomb, BAD)
            elif kind == 3:
                put(name + ".txt", _zip(text), BAD)
            elif kind == 4:
                put(name + ".txt", bytes(rnd.randrange(128, 256) for _ in range(3000)), BAD)
            elif kind == 5:
                put(name + ".txt", rnd.randbytes(3000), BAD)
            elif kind == 6:
                body = (text * 10)[:9000]
                put(name + ".txt", (body + "\x00" + body).encode(), BAD)
            elif kind == 7:
                put(name + ".txt", bytes(rnd.randrange(1, 9) for _ in range(3000)), BAD)
            elif kind == 8:
                depth = rnd.randint(1000, 50_000)
                page = "<div>" * depth + f"<p>{text}</p>" + "</div>" * depth
                put(name + ".html", page.encode(), "either")  # read or refused by name
            elif kind == 9:
                put(name + ".txt", b"", BAD)
            elif kind == 10:
                put(name + ".txt", b"   \n\n  \t\n", BAD)
            elif kind == 11:
                nested = "[" * 5000 + "]" * 5000
                jsonl.append(
                    (f'{{"id": "{name}", "text": {json.dumps(text)}, "x": {nested}}}', BAD)
                )
            elif kind == 12:
                line = {
                    "id": name,
                    "text": text,
                    "published": rnd.choice(["0001-01-01", "9999-12-31"]),
                }
                jsonl.append((json.dumps(line), BAD))
            elif kind == 13:
                line = {
                    "id": f'=HYPERLINK("http://x/{name}")',
                    "text": text,
                    "source": "\udc80@SUM(1+1)\x00",
                }
                jsonl.append((json.dumps(line), GOOD))
            elif kind == 14:
                put(
                    name + ".html",
                    f"<html><body><article><p>{text}</p><p>&amp;lt;script&amp;gt;</p></article></body></html>".encode(),
                    GOOD,
                )
            else:
                put(name + ".txt", ("x" * 300_000).encode(), GOOD)  # one word of 300 KB
        n += 1
    # a few of what only a file system can hold, and one JSON line over the size limit
    for i in range(5):
        os.mkfifo(folder / f"pipe{i}.txt")
        expect[str(folder / f"pipe{i}.txt")] = BAD
        (folder / f"passwd{i}.txt").symlink_to("/etc/passwd")
        expect[str(folder / f"passwd{i}.txt")] = BAD
    (folder / "loop").symlink_to(folder)
    raw = os.fsencode(folder) + b"/caf\xff.txt"
    with open(raw, "wb") as f:
        f.write(good[0].encode())
    expect[str(folder) + "/caf\\xff.txt"] = GOOD
    big = json.dumps({"id": "huge", "text": "word " * 1_100_000})
    jsonl.append((big, BAD))
    lines = folder / "lines.jsonl"
    lines.write_text("\n".join(line for line, _ in jsonl) + "\n", encoding="utf-8")
    for i, (line, what) in enumerate(jsonl, 1):
        # a line is named by its id once it parses, else by the file and line number
        try:
            obj = json.loads(line) if len(line) < 1_000_000 else None
        except (ValueError, RecursionError):
            obj = None
        expect[obj["id"] if isinstance(obj, dict) else f"{lines}:{i}"] = what
    return expect


def _names_in_errors(stderr: str) -> list[str]:
    return [
        ln[len("error: ") :].split(": ", 1)[0]
        for ln in stderr.splitlines()
        if ln.startswith("error: ")
    ]


def score(expect: dict[str, str], errors: list[str], stored: set[str] | None) -> Counter[str]:
    """The counts; ``stored`` None: a good document counts when it was not refused."""
    from harmledger.safe import shown  # names as every message writes them

    out: Counter[str] = Counter(tried=len(expect))
    named = set(errors)
    for name, what in expect.items():
        rejected = shown(name) in named
        if what == GOOD:
            out["good"] += 1
            out["good stored"] += name in stored if stored is not None else not rejected
        elif what == BAD:
            out["bad"] += 1
            out["rejected by name"] += rejected
        else:
            out["either"] += 1
            out["either: stored or rejected"] += rejected or name in stored
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--timeout", type=int, default=3600, help="seconds before a run counts as hung")
    ap.add_argument("--keep", type=Path, help="write the corpus and ledger here (kept)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder = work / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    expect = make(folder, args.count, args.seed)
    print(f"corpus: {len(expect):,} documents in {folder}")
    harmledger = [str(Path(sys.executable).parent / "harmledger")]
    db = work / "ledger.db"
    if db.exists():
        db.unlink()
    for command in (["run", str(folder), "--db", str(db), "-q"], ["extract", str(folder)]):
        started = time.perf_counter()
        try:
            done = subprocess.run(
                harmledger + command,
                capture_output=True,
                timeout=args.timeout,
                stdin=subprocess.DEVNULL,
            )
            hung = False
        except subprocess.TimeoutExpired as e:
            done, hung = e, True  # type: ignore[assignment]
        secs = time.perf_counter() - started
        stderr = (done.stderr or b"").decode("utf-8", "replace")
        stdout = (done.stdout or b"").decode("utf-8")  # strict: valid UTF-8 or this fails
        crashed = hung is False and (done.returncode not in (0, 1) or "Traceback" in stderr)  # type: ignore[union-attr]
        stored: set[str] | None = None  # extract stores nothing: good = read, not refused
        if command[0] == "run" and db.exists():
            with sqlite3.connect(db) as conn:
                stored = {r[0] for r in conn.execute("SELECT name FROM document_names")}
        for line in stdout.splitlines():
            json.loads(line)  # every line valid JSON (and the output valid UTF-8, above)
        got = score(expect, _names_in_errors(stderr), stored)
        print(
            f"{command[0]:8s} tried {got['tried']:,}: crashed {int(crashed)} process, "
            f"hung {int(hung)}, rejected by name {got['rejected by name']:,} of {got['bad']:,} "
            f"hostile, good {'stored' if stored is not None else 'read'} "
            f"{got['good stored']:,} of {got['good']:,} "
            f"(deep HTML read or named: {got['either: stored or rejected']} of {got['either']}), "
            f"exit {getattr(done, 'returncode', '-')}, {secs:.0f} s"
        )
        if crashed:
            print(stderr[-3000:])
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
