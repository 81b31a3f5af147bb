"""Fuzz harmledger's parsers with atheris (coverage-guided): the number grammar, the dates,
the readers and the CSV writer. Each target feeds inputs the fuzzer makes and checks what
must hold whatever they are: no exception but a ReadError naming the document, offsets
inside the text, no number above the world's population, no CSV cell a spreadsheet runs.

    python scripts/fuzz.py --seconds 10 --seed 1 all   # every target, one process (make test)
    python scripts/fuzz.py --seconds 600 dates   # one target, longer (benchmarks/README.md)
    python scripts/fuzz.py --seconds 300         # each target in turn, 300 s each

A target that finds an input breaking its checks stops, prints it and exits non-zero;
libFuzzer also writes it to ``crash-*`` in the working folder (``--artifacts DIR``).
Needs the ``dev`` extra (atheris).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

TARGETS = ("numbers", "dates", "readers", "csv")


def _numbers(data: bytes) -> None:
    import atheris

    from harmledger.limits import WORLD_POPULATION
    from harmledger.pipeline.counts import parse_counts

    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    for start, end, value in parse_counts(text):
        assert 0 <= start <= end <= len(text), (start, end)
        for n in (value.min, value.max, value.children, value.women):
            assert n is None or 0 <= n <= WORLD_POPULATION + 1, n


def _dates(data: bytes) -> None:
    import atheris

    from harmledger.config import Settings
    from harmledger.limits import EARLIEST_DATE
    from harmledger.model import Annotated, Document
    from harmledger.pipeline.dates import DateTagger, parse_dates
    from harmledger.pipeline.segment import Segmenter

    fdp = atheris.FuzzedDataProvider(data)
    published = date.fromordinal(fdp.ConsumeIntInRange(1, date.max.toordinal()))
    text = fdp.ConsumeUnicodeNoSurrogates(2048)
    for start, end, _ in parse_dates(text, published=published):
        assert 0 <= start <= end <= len(text), (start, end)
    doc = Document.build(name="fuzz", text=text, raw=text, reader="fuzz.v1")
    tagged = DateTagger(Settings())(Segmenter(Settings())(Annotated(document=doc)))
    for m in tagged.of_kind("date"):
        v = m.value
        assert v.start is None or v.start >= EARLIEST_DATE, v  # type: ignore[union-attr]


def _readers(data: bytes) -> None:
    from harmledger.config import Settings
    from harmledger.errors import ReadError
    from harmledger.ingest import read_html, read_jsonl, read_text

    settings = Settings(max_bytes=1 << 16)
    kind = data[:1]
    body = data[1:]
    try:
        if kind == b"h":
            read_html("fuzz.html", body, settings)
        elif kind == b"j":
            for item in read_jsonl("fuzz.jsonl", body, settings):
                assert isinstance(item, ReadError) or item.text, item
        else:
            doc = read_text("fuzz.txt", body, settings)
            assert doc.text and "\x00" not in doc.text
    except ReadError as e:
        assert e.name.startswith("fuzz") and e.reason, e


def _csv(data: bytes) -> None:
    import atheris

    from harmledger.export import _csv as write_rows
    from harmledger.safe import FORMULA_STARTS

    fdp = atheris.FuzzedDataProvider(data)
    cells = [fdp.ConsumeUnicode(64) for _ in range(fdp.ConsumeIntInRange(1, 6))]
    columns = tuple(f"c{i}" for i in range(len(cells)))
    out = io.StringIO()
    write_rows([dict(zip(columns, cells, strict=True))], columns, out)
    text = out.getvalue()
    text.encode("utf-8")  # valid UTF-8 whatever the cells held
    header, row = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == columns
    for got, given in zip(row, cells, strict=True):
        assert not got.startswith(FORMULA_STARTS), got
        assert "\x00" not in got
        same = given.replace("\r\n", "\n").replace("\r", "\n")  # a line break, quoted
        assert got in (same, "'" + same) or "\ufffd" in got, (got, given)


def _all(data: bytes) -> None:
    """Every target in one process, the first byte choosing which (a short run pays for one
    start-up, not four)."""
    if data:
        PARTS[data[0] % len(PARTS)](data[1:])


PARTS: tuple[Callable[[bytes], None], ...] = (_numbers, _dates, _readers, _csv)
RUN: dict[str, Callable[[bytes], None]] = {
    "numbers": _numbers,
    "dates": _dates,
    "readers": _readers,
    "csv": _csv,
    "all": _all,
}


def _child(target: str, libfuzzer_args: list[str]) -> None:
    """Run one target in this process (atheris exits the process when done)."""
    import atheris

    with atheris.instrument_imports(include=["harmledger"]):
        import harmledger.export
        import harmledger.ingest
        import harmledger.pipeline.counts
        import harmledger.pipeline.dates  # noqa: F401
    test = RUN[target]
    warm = b'j{"id": "warm", "text": "Gunmen killed 5 people on 3 May 2020."}'
    for part in PARTS:  # resources load once, before fuzzing
        part(warm)
    atheris.Setup([sys.argv[0], *libfuzzer_args], test)
    atheris.Fuzz()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "targets", nargs="*", help=f"of {', '.join(RUN)} (default: each in turn but 'all')"
    )
    ap.add_argument("--seconds", type=int, default=3, help="fuzzing time per target")
    ap.add_argument("--artifacts", type=Path, default=None, help="where crash inputs go")
    ap.add_argument("--seed", type=int, default=0, help="libFuzzer's seed (0: a new one each run)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args.child:
        _child(args.child, rest)
        return 0
    try:
        import atheris  # noqa: F401
    except ImportError:  # the dev extra brings it on Linux; elsewhere say so and go on
        print("fuzz: atheris is not installed (pip install -e '.[dev]' on Linux); skipped")
        return 1 if os.environ.get("CI") == "true" else 0
    unknown = set(args.targets) - set(RUN)
    if unknown:
        ap.error(
            f"unknown target(s) {', '.join(sorted(unknown))}; choose from {', '.join(TARGETS)}"
        )
    failed = []
    for target in args.targets or TARGETS:
        cmd = [sys.executable, __file__, "--child", target, f"-max_total_time={args.seconds}"]
        cmd += ["-max_len=4096", "-print_final_stats=1", f"-seed={args.seed}"]
        if args.artifacts is not None:
            args.artifacts.mkdir(parents=True, exist_ok=True)
            cmd.append(f"-artifact_prefix={args.artifacts}/{target}-")
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        runs = next(
            (
                ln.split(":")[-1].strip()
                for ln in done.stderr.splitlines()
                if "number_of_executed_units" in ln
            ),
            "?",
        )
        secs = time.perf_counter() - started
        status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        print(f"fuzz {target:8s} {runs:>8s} inputs in {secs:5.1f} s: {status}")
        if done.returncode != 0:
            print(done.stderr[-4000:], file=sys.stderr)
            failed.append(target)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
