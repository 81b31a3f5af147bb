"""Speed-ups in the actor stage that must not change what it finds."""

import pytest

from harmledger.pipeline.actor_words import WordStarts, words_and_tokens
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


def test_word_starts_tests_each_word_as_the_trie_walk_does() -> None:
    # a word may start a phrase when its key, or (for a plural acronym) its key without
    # the "s", is a first word of the trie: the same test as the walk's, remembered per word
    trie = {"pmu": {}, "iraq": {}, "islamic": {}}
    starts = WordStarts(trie, alt=True)
    words = ["Iraq's", "PMUs", "and", "Islamic", "islamic", "pmus", "Iraq"]
    assert [starts[w] for w in words] == [True, True, False, True, True, False, True]
    assert starts["PMUs"] and "PMUs" in starts  # remembered
    no_alt = WordStarts(trie, alt=False)
    assert not no_alt["PMUs"] and no_alt["Iraq's"]


def test_word_starts_forgets_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WordStarts, "LIMIT", 3)
    starts = WordStarts({"iraq": {}}, alt=False)
    for w in ("a", "b", "c", "Iraq"):
        starts[w]
    assert len(starts) == 1 and starts["Iraq"]


def test_scanner_words_line_up_with_its_tokens() -> None:
    text = "Gunmen of the so-called Islamic State (IS) attacked Iraq’s army."
    words, toks = words_and_tokens(text)
    assert words == [text[t.start : t.end] for t in toks]
    assert words[:4] == ["Gunmen", "of", "the", "so"]
    assert [t.key for t in toks][-2:] == ["iraq", "army"]
