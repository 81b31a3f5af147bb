"""The word gate (:class:`.WordGate`) and the per-document memo are speed-ups only: a span
the gate turns away holds no match, and a remembered answer is the one computed again."""

import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.pipeline.assemble.common import words
from harmledger.pipeline.assemble.memo import TextMemo
from harmledger.pipeline.prefilter import classed, literal_prefixes, word_gate

REPORT = (
    "The death toll from Tuesday's strike on the market in Jabalia has risen to 15, the\n"
    "health ministry said. An earlier report that eight people had been killed was wrong.\n"
    "The insurgency has killed more than 40,000 people since 2009.  In 2022, at least 13\n"
    "journalists were killed. Medics now say 12 people are dead, up from 9 on Monday.\n"
    "Fighting has raged in Amhara since early August."
)


def test_prefixes_run_past_spaces_and_digits_with_classes() -> None:
    assert literal_prefixes(r"\bso\s+far\b", length=6, flags=re.I, classes=True) == {
        "so far",
        "so  fa",
        "so   f",
        "so    ",
    }
    assert literal_prefixes(r"\bin\s+\d{4}", length=7, flags=re.I, classes=True) == {
        f"in{' ' * n}{'0' * (5 - n)}" for n in range(1, 6)
    }
    # without classes a space class stops the prefix
    assert literal_prefixes(r"\bso\s+far\b", length=6, flags=re.I) == {"so"}


def test_classed_writes_spaces_and_digits_as_one_character_each() -> None:
    assert classed("in\t2019\u00a0and ٣") == "in 0000 and 0"


def test_word_gate_only_for_patterns_that_start_at_a_word() -> None:
    assert word_gate(re.compile(r"\b(?:since|so\s+far)\b", re.I)) is not None
    assert word_gate(re.compile(r"\btoll\b|\bup\s+from\b", re.I)) is not None
    assert word_gate(re.compile(r"since\b", re.I)) is None  # may start inside a word
    assert word_gate(re.compile(r"^\W*across\b", re.I)) is None
    assert word_gate(re.compile(r"\b\w+\s+years\s+ago\b", re.I)) is None  # any first letter


def spans_of(text: str) -> list[tuple[int, int]]:
    return [(a, b) for a in range(0, len(text), 3) for b in range(a, len(text) + 1, 7)]


@pytest.mark.parametrize(
    "name", ["toll_update", "correction", "cumulative", "campaign_subject", "ongoing"]
)
def test_gate_lets_through_every_span_the_pattern_matches(name: str) -> None:
    pattern = getattr(words(), name)
    gate = word_gate(pattern)
    assert gate is not None
    starts = gate.starts(REPORT)
    matched = 0
    for a, b in spans_of(REPORT):
        if pattern.search(REPORT[a:b]):
            matched += 1
            assert gate.may_match(starts, a, b), (name, REPORT[a:b])
    assert matched  # the report tells each of them somewhere


def test_gate_turns_away_spans_without_a_start() -> None:
    pattern = words().toll_update
    gate = word_gate(pattern)
    assert gate is not None
    starts = gate.starts(REPORT)
    quiet = REPORT.index("health ministry")
    assert not gate.may_match(starts, quiet, quiet + len("health ministry said."))
    # a span cut inside a word: its first word may still start a match ("toll" of "atoll")
    text = "An atoll has now risen."
    starts = gate.starts(text)
    assert pattern.search(text[4:])
    assert gate.may_match(starts, 4, len(text))


WORDS = st.sampled_from(
    [
        "the",
        "toll",
        "death",
        "has",
        "risen",
        "rose",
        "to",
        "since",
        "so",
        "far",
        "in",
        "2019",
        "now",
        "says",
        "killed",
        "up",
        "from",
        "12",
        "war",
        "earlier",
        "report",
        "was",
        "wrong",
        "initially",
        "said",
        "Toll",
        "SINCE",
        "ſince",
        "İn",
        ",",
        ".",
        ";",
    ]
)
SEPS = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "-", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPS), max_size=14), st.data())
def test_gate_is_sound_on_made_up_texts(parts: list[tuple[str, str]], data: st.DataObject) -> None:
    text = "".join(w + s for w, s in parts)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    for name in ("toll_update", "correction", "cumulative", "campaign_subject", "ongoing"):
        pattern = getattr(words(), name)
        gate = word_gate(pattern)
        assert gate is not None
        if pattern.search(text[a:b]):
            assert gate.may_match(gate.starts(text), a, b), (name, text[a:b])


def test_memo_remembers_per_text_and_forgets_for_another() -> None:
    memo: TextMemo[int] = TextMemo()
    calls: list[str] = []

    def count(text: str) -> int:
        calls.append(text)
        return len(text)

    one, two = "one report", "another report"
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert calls == [one]
    assert memo.get(two, "k", lambda: count(two)) == 14
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert calls == [one, two, one]


def test_memo_keeps_threads_apart() -> None:
    memo: TextMemo[str] = TextMemo()
    memo.get("main thread's text", "k", lambda: "main")
    seen: list[str] = []
    t = threading.Thread(target=lambda: seen.append(memo.get("other", "k", lambda: "other")))
    t.start()
    t.join()
    assert seen == ["other"]
    assert memo.get("main thread's text", "k", lambda: "recomputed") == "main"
