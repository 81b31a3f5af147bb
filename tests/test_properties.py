"""Properties that hold whatever the input (hypothesis): the number grammar, the dates, the
readers, the CSV writer, and the position indexes assembly uses instead of scans."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.export import _csv
from harmledger.ingest import read_html, read_jsonl, read_text
from harmledger.limits import EARLIEST_DATE, WORLD_POPULATION
from harmledger.model import Document, Mention, Span
from harmledger.pipeline.counts import parse_counts
from harmledger.pipeline.dates import dropped_date, parse_dates
from harmledger.pipeline.spans import SpanIndex
from harmledger.safe import FORMULA_STARTS

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONTHS = "January February March April May June July August September October November December"
_VOCABULARY = "gunmen killed wounded civilians at least about dozens of people on in May 2020 1e9"
WORDS = st.sampled_from(
    [*_VOCABULARY.split(), ",", ".", "-", "99999999999999999999", "1,566", "seventy-three"]
)
PROSE = st.lists(WORDS, max_size=30).map(" ".join) | st.text(max_size=300)


# ---------------------------------------------------------------- the number grammar


@FAST
@given(st.integers(min_value=2, max_value=10**15))
def test_properties_a_number_of_people_is_read_exactly_or_dropped(n: int) -> None:
    found = parse_counts(f"Gunmen killed {n:,} civilians.")
    assert len(found) == 1
    v = found[0][2]
    if n <= WORLD_POPULATION:
        assert (v.min, v.max) == (n, n)
    else:
        assert v.min is not None and v.min > WORLD_POPULATION  # the stage drops it


@FAST
@given(PROSE)
def test_properties_counts_never_fail_and_stay_in_the_text(text: str) -> None:
    for start, end, v in parse_counts(text):
        assert 0 <= start <= end <= len(text)
        for n in (v.min, v.max, v.children, v.women):
            assert n is None or 0 <= n <= WORLD_POPULATION + 1


# ---------------------------------------------------------------- dates


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_properties_a_written_date_is_read_back(d: date) -> None:
    month = MONTHS.split()[d.month - 1]
    ((_, _, v),) = parse_dates(f"It happened on {d.day} {month} {d.year}.", published=None)
    assert (v.start, v.end, v.precision) == (d, d, 1)


@FAST
@given(PROSE, st.dates())
def test_properties_dates_never_fail_whatever_the_publication(text: str, published: date) -> None:
    for start, end, v in parse_dates(text, published=published):
        assert 0 <= start <= end <= len(text)
        if dropped_date(v, published) is None and v.start is not None:
            assert v.start >= EARLIEST_DATE


# ---------------------------------------------------------------- readers


@FAST
@given(st.binary(max_size=2000))
def test_properties_readers_give_a_document_or_a_named_error(data: bytes) -> None:
    s = Settings(max_bytes=1 << 16)
    for read in (read_text, read_html):
        try:
            doc = read("x", data, s)
        except ReadError as e:
            assert e.name == "x" and e.reason
        else:
            assert isinstance(doc, Document) and "\x00" not in doc.text
            doc.text.encode("utf-8")
    for item in read_jsonl("j.jsonl", data, s):
        assert isinstance(item, Document | ReadError)


@FAST
@given(st.text(max_size=200))
def test_properties_jsonl_strings_come_out_valid_utf8(value: str) -> None:
    import json

    line = json.dumps({"id": value or "x", "text": "Gunmen killed 5 people.", "source": value})
    for item in read_jsonl("j.jsonl", line, Settings()):
        name = item.name
        name.encode("utf-8")
        if isinstance(item, Document):
            (item.meta.publisher or "").encode("utf-8")


# ---------------------------------------------------------------- the CSV writer


@FAST
@given(
    st.lists(
        st.text(max_size=40) | st.integers() | st.floats(allow_nan=False), min_size=1, max_size=5
    )
)
def test_properties_csv_cells_round_trip_and_run_no_formula(cells: list[object]) -> None:
    columns = tuple(f"c{i}" for i in range(len(cells)))
    out = io.StringIO()
    assert _csv([dict(zip(columns, cells, strict=True))], columns, out) == 1
    out.getvalue().encode("utf-8")
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(header) == columns
    for got, given_ in zip(row, cells, strict=True):
        if isinstance(given_, str):  # a number stays a number ("-1" runs nothing)
            assert not got.startswith(FORMULA_STARTS)
            same = given_.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
            same = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in same)
            assert got in (same, "'" + same)
        else:
            assert got == str(given_)


# ---------------------------------------------------------------- position indexes


SPANS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 30)).map(lambda t: Span(t[0], t[0] + t[1])),
    max_size=40,
)


@FAST
@given(SPANS, st.integers(-5, 240), st.integers(0, 40))
def test_properties_span_index_answers_as_a_scan(spans: list[Span], a: int, width: int) -> None:
    idx = SpanIndex(spans)
    lo, hi = max(a, 0), max(a, 0) + width
    assert idx.overlapping(lo, hi) == [i for i, s in enumerate(spans) if s.overlaps(Span(lo, hi))]
    assert idx.holds(a) == any(s.start <= a < s.end for s in spans)
    assert idx.contains(lo, hi) == any(s.start <= lo and hi <= s.end for s in spans)


@FAST
@given(SPANS, SPANS)
def test_properties_nearest_trigger_is_the_scans_minimum(
    actors: list[Span], trigs: list[Span]
) -> None:
    from harmledger.model import ActorValue, TriggerValue
    from harmledger.pipeline.assemble.who import _distance, _Nearest

    text = ("gunmen by the attack of ISIS, " * 10)[:260]
    acts = [Mention("actor", s.start, s.end, "", ActorValue("X"), "t") for s in actors]
    tms = [
        Mention("trigger", s.start, s.end, "", TriggerValue("k", None, None), "t") for s in trigs
    ]
    near = _Nearest(tms)
    for a in acts:
        scan = min((_distance(text, a, t) for t in tms), default=1e9)
        assert near.distance(text, a) == scan
