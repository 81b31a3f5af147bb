"""Boilerplate rules: what goes, what stays, and the record of what went."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.ingest import boilerplate, read_text, remove_boilerplate
from harmledger.ingest.text import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
STORY = (
    "Gunmen from a government-allied militia shot dead at least seven villagers who were "
    "returning to their homes near the town of Tuz Khurmatu, a monitor said Wednesday."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("No featured image available", "no-featured-image"),
        ("Follow Russ Read on Twitter", "social-follow"),
        ("Follow us on Facebook and Twitter", "social-follow"),
        ("Follow Jane Doe on X @janedoe", "social-follow"),
        ("Send tips to [email protected].", "social-tips"),
        ("Have a tip? Email news@example.org", "social-tips"),
        ("Sign up for our newsletter", "newsletter"),
        ("Subscribe to the Morning Brief newsletter for daily updates.", "newsletter"),
        ("Share this article", "share-buttons"),
        ("Share on Facebook", "share-buttons"),
        ("Tweet", "share-buttons"),
        ("Photo: AFP", "photo-credit"),
        ("(Photo by John Roe/Getty Images)", "photo-credit"),
        ("Image credit: Reuters", "photo-credit"),
        ("Displaced families at a camp. (Photo by John Roe/Getty Images)", "photo-caption-credit"),
        ("AFP via Getty Images", "agency-credit"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Read more: Iraq militias accused of abuses", "read-more"),
        ("Related: Twelve killed in Diyala attack", "read-more"),
        ("We use cookies to improve your experience on our site.", "cookie-notice"),
        ("Accept all cookies", "cookie-notice"),
        ("© 2016 The Northern Observer. All rights reserved.", "copyright"),
        ("Copyright 2016 Thomson Reuters", "copyright"),
        ("(Reporting by Ahmed Rasheed; Editing by Tom Heneghan)", "credits-line"),
        ("This article was originally published by The Conversation.", "republication-notice"),
        (
            "All content created by the Daily Caller News Foundation, an independent newswire, "
            "is available without charge. All republished articles must include our logo. "
            "For any questions, please contact licensing@example.org.",
            "syndication-notice",
        ),
    ],
)
def test_ingest_boilerplate_rule_removes_line(line: str, rule: str) -> None:
    text, removed = remove_boilerplate(f"{STORY}\n\n{line}\n\n{STORY}")
    assert text == f"{STORY}\n\n{STORY}"
    assert [r.rule for r in removed] == [rule]
    assert removed[0].text == line


@pytest.mark.parametrize(
    "line",
    [
        # story sentences that merely resemble boilerplate stay
        "Related to the attack, police arrested two men in Kirkuk on Sunday.",
        "Reporting by Amnesty found that militias killed 12 men near Fallujah.",
        "Witnesses said the gunmen would follow them on foot to the river.",
        "By Tuesday, the death toll had risen to 40, officials said.",
        "The photo showed the bodies of five men lying in a ditch.",
        "Advertisement boards on the highway were riddled with bullets.",
        "October 18, 2016",  # a date heading in the body of a report is not a dateline
    ],
)
def test_ingest_boilerplate_keeps_story_lines(line: str) -> None:
    source = f"{STORY}\n\n{line}\n\n{STORY}"
    text, removed = remove_boilerplate(source)
    assert removed == []
    assert text == source


def test_ingest_boilerplate_never_cuts_inside_a_sentence() -> None:
    line = "Follow Jane Doe on Twitter, the militia commander told the crowd before the raid."
    text, removed = remove_boilerplate(f"{STORY}\n{line}")
    assert removed == []
    assert line in text


def test_ingest_boilerplate_line_inside_paragraph() -> None:
    source = f"{STORY}\nAdvertisement\n{STORY}"
    text, removed = remove_boilerplate(source)
    assert text == f"{STORY}\n{STORY}"
    assert [(r.rule, r.raw_start, r.raw_end) for r in removed] == [
        ("advertisement", len(STORY) + 1, len(STORY) + 1 + len("Advertisement"))
    ]


def test_ingest_boilerplate_removal_offsets_index_pre_removal_text() -> None:
    raw = (FIXTURES / "wire_story.txt").read_text(encoding="utf-8")
    before = normalise(raw)
    _, removed = remove_boilerplate(before)
    assert removed
    for r in removed:
        assert before[r.raw_start : r.raw_end] == r.text


def test_ingest_boilerplate_wire_fixture_loses_exactly_the_boilerplate() -> None:
    raw = (FIXTURES / "wire_story.txt").read_bytes()
    doc = read_text("wire_story.txt", raw, Settings())
    assert [r.rule for r in doc.removed] == [
        "no-featured-image",
        "social-follow",
        "social-tips",
        "syndication-notice",
    ]
    assert doc.removed[0].text == "No featured image available"
    assert doc.removed[1].text == "Follow Jane Doe on Twitter"
    assert doc.removed[2].text == "Send tips to jane@example.org."
    assert doc.removed[3].text.startswith("All content created by the Northern Wire Foundation")
    assert doc.removed[3].text.endswith("please contact licensing@example.org.")
    # the story, headline and section label stay, paragraph by paragraph, unchanged
    kept = [p for p in normalise(raw.decode("utf-8")).split("\n\n")]
    expected = [p for p in kept if p not in {r.text for r in doc.removed}]
    assert doc.text == "\n\n".join(expected)
    assert "Karim" in doc.text and "irrigation ditch" in doc.text
    for gone in ("featured image", "Twitter", "tips", "republished", "licensing@"):
        assert gone not in doc.text


def test_ingest_boilerplate_head_only_rules() -> None:
    source = f"By Jane Doe\n\nOctober 18, 2016\n\n{STORY}\n\nBy Jane Doe\n\nOctober 18, 2016"
    text, removed = remove_boilerplate(source)
    assert [r.rule for r in removed] == ["byline", "dateline-line"]
    assert text == f"{STORY}\n\nBy Jane Doe\n\nOctober 18, 2016"


def test_ingest_boilerplate_rules_load_with_ids_and_comments() -> None:
    rules = boilerplate.load_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert all(r.comment for r in rules)
    assert boilerplate.load_rules() is rules  # cached: compiled once per process


def test_ingest_boilerplate_max_chars_protects_long_paragraphs() -> None:
    long = "Read more about the massacre: " + STORY * 3
    text, removed = remove_boilerplate(f"{STORY}\n\n{long}")
    assert removed == []
    assert long in text


LINES = [
    STORY,
    "Advertisement",
    "Follow Jane Doe on Twitter",
    "By Jane Doe",
    "October 18, 2016",
    "Militia Gunmen Kill Villagers",
    "Share this article",
    "“They told us to go back,” said Karim.",
    "",
]


@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_ingest_boilerplate_property_removals_are_whole_lines(lines: list[str]) -> None:
    before = normalise("\n".join(lines))
    text, removed = remove_boilerplate(before)
    for r in removed:
        assert before[r.raw_start : r.raw_end] == r.text
        assert r.raw_start == 0 or before[r.raw_start - 1] == "\n"
        assert r.raw_end == len(before) or before[r.raw_end] == "\n"
    kept = [ln for ln in text.split("\n") if ln]
    remaining = iter(ln for ln in before.split("\n") if ln)
    assert all(any(ln == other for other in remaining) for ln in kept)  # in order, unchanged
    assert STORY in text or STORY not in before


def test_ingest_boilerplate_hard_wrapped_story_is_prose() -> None:
    source = (
        "Militia Gunmen Kill Villagers\n\n"
        "Gunmen from a government-allied militia shot dead seven villagers\n"
        "By Tuesday, the death toll had risen to forty and officials\n"
        "said the victims had been stopped at a checkpoint on the road.\n\n"
        "By Jane Doe"
    )
    text, removed = remove_boilerplate(source)
    assert removed == []
    assert text == source


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Russ Read", "Russ Read"),
        ("By JANE DOE, Staff Writer", "JANE DOE"),
        ("By Jane Doe | Reuters", "Jane Doe"),
        (
            "By Jane Doe and Ali al-Hamdani, Middle East correspondents",
            "Jane Doe and Ali al-Hamdani",
        ),
        ("By Tuesday, the death toll had risen", None),
        ("Written by Huda Karim", "Huda Karim"),
    ],
)
def test_ingest_boilerplate_byline_lines(line: str, byline: str | None) -> None:
    matches = boilerplate.find_boilerplate(f"{line}\n\n{STORY}")
    if byline is None:
        assert matches == []
    else:
        assert [m.rule.id for m in matches] == ["byline"]
        assert boilerplate.captured(matches)["byline"] == byline
