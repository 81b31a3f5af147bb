"""The trigger prefilter is a speed-up only: it must find exactly what the big alternation finds."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.pipeline.prefilter import (
    case_folds,
    literal_prefixes,
    lower_for_prefixes,
    prefix_regex,
    prefix_scan,
)
from harmledger.pipeline.trigger_lexicon import load_lexicon
from harmledger.pipeline.triggers import _matches


@pytest.mark.parametrize(
    ("pattern", "length", "expected"),
    [
        ("killed", 3, {"kil"}),
        ("Killed|SHOT", 3, {"kil", "sho"}),
        ("(?:hand )?grenades?", 3, {"han", "gre"}),
        ("IEDs?", 5, {"ied", "ieds"}),  # a match may be shorter than the length
        ("rap(?:e|ed|es|ing)", 4, {"rape", "rapi"}),
        ("(?<![^\\n])(?:Arrests)(?=:)", 3, {"arr"}),  # look-arounds take no characters
        ("\\[size=", 3, {"[si"}),
        ("air ?strikes?", 4, {"air ", "airs"}),
        ("[0-3][0-9] x", 2, {f"{a}{b}" for a in "0123" for b in "0123456789"}),
        ("ab\\w+", 4, {"ab"}),  # any character after "ab": the prefix stops there
    ],
)
def test_literal_prefixes(pattern: str, length: int, expected: set[str]) -> None:
    assert literal_prefixes(pattern, length=length, flags=re.IGNORECASE) == expected


@pytest.mark.parametrize("pattern", ["\\w+ing", ".bomb", "(?:the )?", "x?", "[^a]b", "\\d*"])
def test_literal_prefixes_none_when_any_start_or_empty(pattern: str) -> None:
    assert literal_prefixes(pattern, length=3, flags=re.IGNORECASE) is None


def test_prefix_regex_is_a_trie_that_matches_every_prefix() -> None:
    prefixes = ["kil", "kid", "ki", "sho", "[si"]
    rx = re.compile(prefix_regex(prefixes))
    for p in prefixes:
        assert rx.match(p + "zz")
    assert not rx.match("kzz")


def test_prefix_scan_finds_every_start_overlapping_ones_too() -> None:
    # "no", "not" and "one" start inside one another ("nothing", "no one"): a scan whose
    # matches took a whole prefix would skip the starts inside it
    prefixes = ["no", "not", "one", "nev", "o"]
    rx = re.compile(prefix_scan(prefixes))
    text = "none of them; nothing, never, no one"
    lookahead = re.compile("(?=" + prefix_regex(prefixes) + ")")
    expected = [m.start() for m in lookahead.finditer(text)]
    assert [m.start() for m in rx.finditer(text)] == expected
    assert expected == [0, 1, 5, 14, 15, 23, 30, 31, 33]
    assert all(len(m.group()) == 1 for m in rx.finditer(text))
    # bounded like finditer(text, pos, endpos): a prefix cut by the end is not found
    assert [m.start() for m in rx.finditer(text, 23, 25)] == []  # "ne|ver"
    assert [m.start() for m in rx.finditer(text, 23, 26)] == [23]


def test_case_folds_maps_letters_that_ignorecase_equates() -> None:
    folds = case_folds(set("is"))
    assert folds[ord("ſ")] == "s"
    assert folds[ord("ı")] == "i"
    assert lower_for_prefixes("Poſt", folds, re.compile("[ſı]")) == "post"
    assert lower_for_prefixes("İraq", {}, None) == ""  # lower-casing would change the length


def old(text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in load_lexicon().pattern.finditer(text)]


def new(text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in _matches(load_lexicon(), text)]


REPORTS = [
    "Gunmen shot dead two farmers near Tuz Khurmatu on Tuesday, police said.",
    "AN AIRSTRIKE KILLED 12 CIVILIANS IN IDLIB; ROCKETS HIT A MARKET.",
    "Protesters gathered in front of the governorate building; security forces fired tear gas.",
    "Arrests: On 3 May, ISF arrested 4 IS suspects in Mosul.",
    "An IED exploded near a PMF patrol, wounding two fighters [size=no report].",
    "A roadside bomb went off. No one was killed, according to a police source.",
    "The mass grave held the remains of 40 Yazidis abducted in 2014.",
    "Demonstrators stormed the party headquarters and set fire to tyres.",
    "Kidnapped\nshepherds were taken away by armed men; the air-strikes continued.",
    "Poſt-war: an unexploded ſhell killed a boy; the ſuicide bomber blew himſelf up.",
    "KİLLED and wounded in clashes; İraqi police said fighting-age men were detained.",
    "",
    "shelling",
    "-killed killed- non-killed",
]


@pytest.mark.parametrize("text", REPORTS)
def test_prefilter_finds_what_the_alternation_finds(text: str) -> None:
    assert new(text) == old(text)


WORDS = [
    "killed",
    "KILLED",
    "shot",
    "air strike",
    "airstrike",
    "IED",
    "explosion",
    "protest",
    "tear gas",
    "[size=",
    "Arrests:",
    "abducted",
    "clashes",
    "the",
    "in",
    "of",
    "men",
    "police",
    "no",
    "ſhelling",
    "İ",
    "-",
    ",",
    ".",
    "\n",
    " ",
    "12",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=30), st.lists(st.sampled_from(" \n-,."), max_size=30)
)
def test_prefilter_property(words: list[str], seps: list[str]) -> None:
    text = "".join(w + (seps[i] if i < len(seps) else " ") for i, w in enumerate(words))
    assert new(text) == old(text)


def test_prefilter_covers_every_shipped_trigger():
    # one pattern that can start with any character ("[\w-]+-brokered") switches the
    # prefilter off for the whole lexicon and makes the stage several times slower
    import re

    from harmledger import resources
    from harmledger.pipeline.trigger_lexicon import PREFIX_LEN

    unfilterable = [
        t["lemma"]
        for t in resources.read_json("triggers.json")["triggers"]
        if literal_prefixes(t["pattern"], length=PREFIX_LEN, flags=re.IGNORECASE) is None
    ]
    assert unfilterable == [], f"trigger patterns that can start anywhere: {unfilterable}"
    assert load_lexicon().prefilter is not None


# --------------------------------------------------------------------------- the start gate

GATE_WORDS = [
    *WORDS,
    "not",
    "No",
    "never",
    "denied",
    "won't",
    "would",
    "WILL",
    "threatened to",
    "revenge for the",
    "payback",
    "Speicher",
    "Massacre",
    "similar to",
    "like",
    "since",
    "after",
    "previous",
    "last",
    "trial of",
    "convicted",
    "ſince",
    "Kelvin\u212a",
]


def _gated(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, bool]]:
    """For every window text[a:b]: (a, b, may the gate match there?) where the pattern
    does match in the window."""
    from harmledger.pipeline.prefilter import StartGate, start_gate

    gate = start_gate(pattern)
    assert gate is not None
    starts = gate.starts(text)
    out = []
    for a in range(len(text) + 1):
        for b in range(a, min(len(text), a + 40) + 1):
            if pattern.search(text[a:b]):
                out.append((a, b, StartGate.may_match(starts, a, b)))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(GATE_WORDS), max_size=8))
def test_start_gate_never_skips_a_window_that_holds_a_match(words: list[str]) -> None:
    # the gate is a speed-up only: a window where the negation or reference words match
    # is always searched
    text = " ".join(words)
    lex = load_lexicon()
    for pattern in (lex.negation, lex.reference):
        assert all(may for _, _, may in _gated(pattern, text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(GATE_WORDS), max_size=8))
def test_start_gate_window_scan_never_skips_a_window_that_holds_a_match(words: list[str]) -> None:
    # the scan of one window (may_hold) is as sound as the scan of the whole text: a window
    # where the negation or reference words match is always searched
    text = " ".join(words)
    lex = load_lexicon()
    for pattern, gate in ((lex.negation, lex.negation_gate), (lex.reference, lex.reference_gate)):
        assert gate is not None
        low = gate.lowered(text)
        for a in range(len(text) + 1):
            for b in range(a, min(len(text), a + 40) + 1):
                if pattern.search(text[a:b]):
                    assert gate.may_hold(low, a, b), (text, a, b)


def test_start_gate_window_scan_skips_windows_without_a_whole_prefix() -> None:
    gate = load_lexicon().negation_gate
    assert gate is not None
    text = "Gunmen killed two farmers; no one else was hurt."
    low = gate.lowered(text)
    assert not gate.may_hold(low, 0, text.index(";"))  # no negation word before it
    assert gate.may_hold(low, 0, len(text))  # "no"
    # a prefix cut by the window's end is not in the window: no match can be there either
    no = text.index("no one")
    assert not gate.may_hold(low, 0, no + 1)
    assert gate.lowered("İn case of") == "in case of"  # "İ" matches "i" when case is ignored
    assert gate.may_hold(None, 0, 1)  # no lowered text (offsets would move): every window may


def test_start_gate_skips_windows_without_a_prefix() -> None:
    from harmledger.pipeline.prefilter import StartGate

    gate = load_lexicon().negation_gate
    assert gate is not None and load_lexicon().reference_gate is not None
    text = "Gunmen killed two farmers; no one else was hurt."
    starts = gate.starts(text)
    assert not StartGate.may_match(starts, 0, text.index(";"))  # no negation word before it
    assert StartGate.may_match(starts, 0, len(text))  # "no"
    assert gate.starts("NEVER") == [0]  # the text is lower-cased for the prefixes
    assert gate.starts("İn case of") == [0]  # "İ" matches "i" when case is ignored
    assert StartGate.may_match(None, 0, 1)
