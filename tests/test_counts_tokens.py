"""Speed-ups in the counts stage's reading of a sentence that must not change what it finds."""

import pytest

from harmledger.pipeline.counts import parse_counts, tables
from harmledger.pipeline.counts.grammar import _StarterWords
from harmledger.pipeline.counts.state import Sentence
from harmledger.pipeline.counts.tokens import NUM, PUNCT, WORD


def test_sentence_tokens_keep_offsets_kinds_and_lower_case() -> None:
    text = "Police said: Seventy-three of the 1,566 cadets died."
    s = Sentence(text, 13, len(text), tables())
    assert s.raw[:4] == ("Seventy-three", "of", "the", "1,566")
    assert [text[a:b] for a, b in zip(s.st, s.en, strict=True)] == list(s.raw)
    assert s.kind[:4] == [WORD, WORD, WORD, NUM] and s.kind[-1] == PUNCT
    assert s.low[0] == "seventy-three" and s.n == len(s.raw) == 7


def test_starter_words_as_the_grammar_tests_them() -> None:
    starters = _StarterWords(frozenset({"seventy", "dozens", "at"}))
    words = ["seventy-three", "seventy", "dozens", "three-year", "at", "people"]
    assert [starters[w] for w in words] == [True, True, True, False, True, False]
    assert "three-year" in starters  # remembered


def test_starter_words_forget_past_their_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_StarterWords, "LIMIT", 2)
    starters = _StarterWords(frozenset({"five"}))
    for w in ("a", "b", "five"):
        starters[w]
    assert dict(starters) == {"five": True}


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        # a count read over several starters ("between", "10", "and", "15"): the grammar
        # goes on after it, not at the starters inside it
        ("Between 10 and 15 villagers were killed and 4 others wounded.", [(10, 15), (4, 4)]),
        ("Seventy-three people were killed, at least 12 of them children.", [(73, 73)]),
        ("Gunmen killed three farmers near the 5th checkpoint.", [(3, 3)]),
    ],
)
def test_counts_read_at_the_starters_left_to_right(
    sentence: str, counts: list[tuple[int, int]]
) -> None:
    assert [(v.min, v.max) for _, _, v in parse_counts(sentence)] == counts
