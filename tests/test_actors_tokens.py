"""Speed-ups in the actor stage that must not change what it finds."""

import pytest

from harmledger.pipeline.actors import _tokenize, find_actors


@pytest.mark.parametrize(
    ("sentence", "phrase", "name"),
    [
        (
            "Gunmen dressed in military uniforms killed two men.",
            "Gunmen dressed in military uniforms",
            "Military Forces",
        ),
        (
            "Gunmen wearing military fatigues stormed the house.",
            "Gunmen wearing military fatigues",
            "Military Forces",
        ),
        (
            "Men posing as Iraqi police officers abducted a trader.",
            "Men posing as Iraqi police officers",
            "Unidentified Armed Group",
        ),
        # the patterns ignore case, and "ſ" matches "s": the word test must not skip them
        (
            "Men poſing as Iraqi police officers abducted a trader.",
            "Men poſing as Iraqi police officers",
            "Unidentified Armed Group",
        ),
        (
            "Gunmen wearing uniformſ stormed the house.",
            "Gunmen wearing uniformſ",
            "Unidentified Armed Group",
        ),
    ],
)
def test_described_actors(sentence: str, phrase: str, name: str) -> None:
    found = {sentence[s:e]: v for s, e, v in find_actors(sentence)}
    assert found[phrase].name == name
    assert found[phrase].description == phrase


def test_no_description_words_no_described_actor() -> None:
    sentence = "Men from the village said the gunmen fled as police arrived."
    assert all(v.description is None for _, _, v in find_actors(sentence))


def test_tokens_keep_offsets_possessives_and_acronym_plurals() -> None:
    text = "Iraq's PMUs and IS fighters"
    toks = _tokenize(text)
    assert [(text[t.start : t.end], t.bare, t.key, t.poss, t.alt) for t in toks] == [
        ("Iraq's", "Iraq", "iraq", True, None),
        ("PMUs", "PMUs", "pmus", False, "pmu"),
        ("and", "and", "and", False, None),
        ("IS", "IS", "is", False, None),
        ("fighters", "fighters", "fighters", False, None),
    ]
