"""Very long documents are read in sections: every offset stays a document offset, a
document shorter than a section is read as before, and the cuts fall between sentences."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from harmledger.config import Settings
from harmledger.ingest import read_text
from harmledger.model import Annotated, QuoteValue
from harmledger.pipeline.pipeline import Pipeline
from harmledger.pipeline.sections import section_bounds

REPORT = (
    "On 3 May 2021 gunmen killed five civilians in Mosul, police said. "
    '"They came at night," said a witness who asked not to be named.\n\n'
    "The next day a roadside bomb wounded two soldiers near Tikrit. "
    "Islamic State militants abducted three shepherds near Hawija on 1 May.\n\n"
)
SETTINGS = Settings(published=date(2021, 5, 6))


def _offsets_hold(ann: Annotated) -> None:
    text = ann.text
    for m in ann.mentions:
        assert text[m.start : m.end] == m.text, m
        if isinstance(m.value, QuoteValue) and m.value.speaker_start is not None:
            assert m.value.speaker_end is not None
            assert text[m.value.speaker_start : m.value.speaker_end] == m.value.speaker
    for s in ann.sentences:
        assert 0 <= s.start < s.end <= len(text)
    for inc in ann.incidents:
        for m in inc.mentions:
            assert text[m.start : m.end] == m.text
        for e in inc.evidence:
            assert text[e.start : e.end].strip()


def test_sections_bounds_cover_the_text_and_cut_between_paragraphs() -> None:
    text = REPORT * 40
    bounds = section_bounds(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))
    assert all(0 < e - s <= 1000 for s, e in bounds)
    assert all(text[e - 1] == "\n" for _, e in bounds[:-1])
    assert section_bounds(text, len(text)) == [(0, len(text))]
    one_line = REPORT.replace("\n", " ") * 40  # no paragraph: cut after a full stop
    assert all(one_line[e - 2 : e] in (". ", '" ') for _, e in section_bounds(one_line, 1000)[:-1])
    blob = "x" * 5000  # no break at all: cut at the limit
    assert section_bounds(blob, 1000) == [(k, k + 1000) for k in range(0, 5000, 1000)]


def test_sections_a_long_document_keeps_document_offsets() -> None:
    doc = read_text("long.txt", REPORT * 60, SETTINGS)
    whole = Pipeline(SETTINGS.with_(section_chars=10**9))(doc)
    parts = Pipeline(SETTINGS.with_(section_chars=2000))(doc)
    assert len(section_bounds(doc.text, 2000)) > 5
    _offsets_hold(whole)
    _offsets_hold(parts)
    assert parts.stages == whole.stages
    assert len({i.incident_id for i in parts.incidents}) == len(parts.incidents)
    # the taggers see each section as they see a report: the same mentions, moved (those
    # the assembler makes, actors named as ACLED names them, a date from the publication
    # for an event whose section names no day, follow what each incident was given)
    tagged = [
        sorted((m.kind, m.start, m.end) for m in a.mentions if m.stage.split(".")[0] != "assemble")
        for a in (parts, whole)
    ]
    assert tagged[0] == tagged[1]
    # a retelling in another section is another incident: at least one per section
    assert len(parts.incidents) >= len(section_bounds(doc.text, 2000))


def test_sections_a_document_shorter_than_a_section_is_read_as_one() -> None:
    doc = read_text("r.txt", REPORT * 3, SETTINGS)
    a = Pipeline(SETTINGS)(doc)
    b = Pipeline(SETTINGS.with_(section_chars=len(doc.text)))(doc)
    assert a == b
