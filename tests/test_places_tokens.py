"""The places tokenizer: offsets, opening quotes, possessives, capitals and acronyms."""

from __future__ import annotations

import pytest

from harmledger.pipeline.places import tokenize
from harmledger.pipeline.sentences import split_sentences


def _toks(text: str) -> list[tuple[str, int, int, bool, bool, bool, int]]:
    return [
        (t.text, t.start, t.end, t.cap, t.acronym, t.possessive, t.sent)
        for t in tokenize(text, split_sentences(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Iraq's army",
            [("Iraq", 0, 4, True, False, True, 0), ("army", 7, 11, False, False, False, 0)],
        ),
        (
            "‘Mosul’ fell",
            [("Mosul", 1, 6, True, False, False, 0), ("fell", 8, 12, False, False, False, 0)],
        ),
        ("al-Sijir", [("al-Sijir", 0, 8, True, False, False, 0)]),
        ("al-nasr", [("al-nasr", 0, 7, False, False, False, 0)]),
        (
            "PMUs struck",
            [("PMUs", 0, 4, True, True, False, 0), ("struck", 5, 11, False, False, False, 0)],
        ),
        ("' ok", [("ok", 2, 4, False, False, False, 0)]),
        (
            "Hit. Then 5",
            [
                ("Hit", 0, 3, True, False, False, 0),
                (".", 3, 4, False, False, False, 0),
                ("Then", 5, 9, True, False, False, 1),
                ("5", 10, 11, False, False, False, 1),
            ],
        ),
    ],
)
def test_places_tokenize(text: str, expected: list) -> None:
    assert _toks(text) == expected


def test_places_tokenize_same_word_twice_has_its_own_offsets() -> None:
    # the attributes of a word are cached; the offsets are not
    text = "Iraq's forces and Iraq's police in ‘Iraq"
    got = [(t.text, t.start, t.end) for t in tokenize(text, split_sentences(text))]
    assert got[0] == ("Iraq", 0, 4)
    assert got[3] == ("Iraq", 18, 22)
    assert got[-1] == ("Iraq", 36, 40)
    assert all(text[s:e] == w for w, s, e in got)
