import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.pipeline.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [s.of(text) for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gunmen killed two men. Police arrived later.",
            ["Gunmen killed two men.", "Police arrived later."],
        ),
        (
            "Gen. Ahmed said the U.S. forces left. Nobody was hurt.",
            ["Gen. Ahmed said the U.S. forces left.", "Nobody was hurt."],
        ),
        (
            "On Jan. 5 shelling hit Idlib. Five died.",
            ["On Jan. 5 shelling hit Idlib.", "Five died."],
        ),
        (
            "Headline without stop\nFirst paragraph. Second one.",
            ["Headline without stop", "First paragraph.", "Second one."],
        ),
        ("“We ran,” she said. “They shot at us.”", ["“We ran,” she said.", "“They shot at us.”"]),
        ("He was 4.5 km away. It exploded.", ["He was 4.5 km away.", "It exploded."]),
        ("Is it over? No. It is not!", ["Is it over?", "No.", "It is not!"]),
        ("J. Smith reported it. The end.", ["J. Smith reported it.", "The end."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_segment_splits_sentences(text, expected):
    assert sentences(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab .\n?!ABC“”")), max_size=80))
def test_segment_spans_are_ordered_trimmed_and_inside_the_text(text):
    spans = split_sentences(text)
    last = 0
    for s in spans:
        assert last <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        last = s.end
