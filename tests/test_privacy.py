"""Protected identities: which words are protected, and how they are masked."""

from __future__ import annotations

from harmledger.model import Mention, QuoteValue, Span
from harmledger.privacy import MASK, WITHHELD, Protection, is_protected_quote, redact_contract

PARTS = (
    "Gunmen took away 22 men near Bashir.",
    '"They made us kneel for hours," one former detainee told researchers.',
    '"My husband\'s hands were tied," said Umm Khalid, whose real name has been withheld.',
    '"We want the names," said Ahmed al-Jubouri, a local official.',
    "Umm Khalid later left the camp.",
)
TEXT = " ".join(PARTS)
SENTENCES = tuple(Span(TEXT.index(p), TEXT.index(p) + len(p)) for p in PARTS)


def quote(words: str, speaker: str, identity: str) -> Mention[QuoteValue]:
    start = TEXT.index(words)
    s = TEXT.index(speaker)
    return Mention(
        "quote",
        start,
        start + len(words),
        words,
        QuoteValue(speaker, identity, s, s + len(speaker)),  # type: ignore[arg-type]
        "quotes.v1",
    )


QUOTES = (
    quote("They made us kneel for hours,", "one former detainee", "anonymous"),
    quote("My husband's hands were tied,", "Umm Khalid", "pseudonym"),
    quote("We want the names,", "Ahmed al-Jubouri", "named"),
)


def protection(marks: tuple[tuple[Span, str], ...] = ()) -> Protection:
    return Protection.of(TEXT, quotes=QUOTES, marks=marks, sentences=SENTENCES)


def test_privacy_anonymous_and_pseudonymous_quotes_are_protected_named_are_not() -> None:
    assert is_protected_quote(QUOTES[0]) and is_protected_quote(QUOTES[1])
    assert not is_protected_quote(QUOTES[2])
    assert is_protected_quote(QUOTES[2], [Span(QUOTES[2].start, QUOTES[2].start + 2)])


def test_privacy_masked_text_keeps_offsets_and_hides_every_protected_sentence() -> None:
    masked = protection().text(TEXT)
    assert len(masked) == len(TEXT)
    for words in ("They made us kneel", "one former detainee", "My husband", "Umm Khalid"):
        assert words not in masked
    # the pseudonym's later sentence is masked too: its name is found wherever it occurs
    assert "later left the camp" not in masked
    assert masked[:36] == TEXT[:36]  # the first sentence stays
    assert "We want the names" in masked  # a named witness stays
    assert MASK in masked


def test_privacy_marked_name_is_masked_everywhere() -> None:
    start = TEXT.index("Ahmed al-Jubouri")
    p = protection(((Span(start, start + 16), "Ahmed al-Jubouri"),))
    assert "al-Jubouri" not in p.text(TEXT)
    assert p.scrub("Statement by AHMED AL-JUBOURI") == f"Statement by {WITHHELD}"


def test_privacy_nothing_protected_changes_nothing() -> None:
    p = Protection.of(TEXT, quotes=QUOTES[2:], sentences=SENTENCES)
    assert not p
    assert p.text(TEXT) == TEXT
    assert p.scrub("Umm Khalid") == "Umm Khalid"


def test_privacy_redact_contract_drops_protected_quotes_and_masks_evidence() -> None:
    item = {
        "incident_id": "x",
        "quotes": [
            {
                "text": q.text,
                "speaker": q.value.speaker,
                "identity": q.value.identity,
                "start": q.start,
                "end": q.end,
            }
            for q in QUOTES
        ],
        "actor2": {
            "name": "Civilians (Iraq)",
            "text": "one former detainee",
            "start": TEXT.index("one former"),
            "end": TEXT.index("one former") + 19,
        },
        "counts": {},
        "evidence": [{"start": 0, "end": len(TEXT), "text": TEXT}],
        "document": {"title": "Umm Khalid speaks"},
    }
    out = redact_contract(item, protection(), text=TEXT)
    assert [q["speaker"] for q in out["quotes"]] == ["Ahmed al-Jubouri"]
    assert out["protected_quotes"] == 2
    assert out["actor2"]["text"] == WITHHELD
    flat = repr(out)
    for words in ("kneel", "one former detainee", "Umm Khalid", "husband"):
        assert words not in flat
