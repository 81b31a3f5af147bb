"""Hand-built annotated reports for the ledger and export tests (no pipeline needed).

Other test modules import the builders from here; the tests below check that the samples
keep the model's promises (every span's text is the document's text at that span).
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

import pytest

from harmledger.model import (
    ActorValue,
    Annotated,
    CountValue,
    DateValue,
    Document,
    DocumentMeta,
    Incident,
    Mention,
    PlaceValue,
    QuoteValue,
    Removal,
    Span,
    TriggerValue,
    text_hash,
)

SIJIR = (
    "BAGHDAD, May 31 (Wire) - Men dressed in federal police uniforms executed 12 men and "
    "four boys who fled the town of al-Sijir, just north of Fallujah, on May 30, a witness "
    'said. "They shot them one by one, in front of the mosque," said a farmer who asked not '
    "to be named. Seventy-three other men of the same tribe are still missing, relatives said."
)

TAL_SHAIR = (
    "BEIRUT, March 3 (Wire) - Islamic State militants abducted 40 villagers, among them "
    "women and children, from Tal Shair in northern Aleppo province between Feb. 20 and "
    "Feb. 24, the Syrian Observatory for Human Rights said on Friday."
)

BASE = (
    "Soldiers tortured at least 5 detainees at an army base, a rights group said in a "
    "report, which gave no date for the abuse."
)


def span_of(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def mention(text: str, phrase: str, kind: str, value: object, stage: str, nth: int = 0) -> Mention:
    start, end = span_of(text, phrase, nth)
    return Mention(kind, start, end, text[start:end], value, stage)  # type: ignore[arg-type]


def sentence(text: str, first_words: str, last_words: str) -> Span:
    start = text.index(first_words)
    return Span(start, text.index(last_words, start) + len(last_words))


def incident_id(doc_id: str, version: str, n: int) -> str:
    return text_hash(f"{doc_id}|{version}|{n}")


VERSIONS = MappingProxyType({"assemble": "assemble.v1", "counts": "counts.v1"})


def sijir(*, version: str = "v1", name: str = "reports/sijir.txt") -> Annotated:
    """Two incidents (executions with place, date, quote; disappearances) + one spare."""
    t = SIJIR
    raw = "<p>" + t + "</p><p>Follow us on Twitter</p>"
    cut = raw.index("Follow")
    doc = Document.build(
        name=name,
        text=t,
        raw=raw,
        meta=DocumentMeta(
            title="Sixteen executed after fleeing al-Sijir",
            byline="A. Reporter",
            publisher="Wire Service",
            published=date(2016, 5, 31),
            url="https://example.org/sijir",
            section="World",
            language="en",
            extra=MappingProxyType({"source_id": "W-1", "tags": ["iraq", "anbar"]}),
        ),
        reader="html.v2",
        media_type="text/html",
        removed=[Removal("social-links", "Follow us on Twitter", cut, cut + 20)],
    )
    police = mention(
        t,
        "Men dressed in federal police uniforms",
        "actor",
        ActorValue(
            "Police Forces of Iraq",
            category="State Forces",
            country="Iraq",
            description="Men dressed in federal police uniforms",
        ),
        "actors.v1",
    )
    victims = mention(
        t,
        "12 men and four boys",
        "actor",
        ActorValue("Civilians (Iraq)", "Civilians", "Iraq"),
        "assemble.v1",
    )
    killed = mention(
        t,
        "12 men and four boys",
        "count",
        CountValue(16, 16, role="killed", children=4, victim="men"),
        "counts.v1",
    )
    missing = mention(
        t, "Seventy-three", "count", CountValue(73, 73, role="missing", victim="men"), "counts.v1"
    )
    day = mention(
        t, "on May 30", "date", DateValue(date(2016, 5, 30), date(2016, 5, 30), 1), "dates.v1"
    )
    place = mention(
        t,
        "al-Sijir, just north of Fallujah",
        "place",
        PlaceValue(
            "al-Sijir",
            "Iraq",
            admin1="Anbar",
            admin2="Fallujah",
            latitude=33.41,
            longitude=43.81,
            precision=2,
            feature="village",
            gazetteer_id="geonames:448443",
            relation="north of",
            anchor="Fallujah",
            matched_name="Qaryat as Sajar",
        ),
        "places.v1",
    )
    fallujah = mention(
        t,
        "Fallujah",
        "place",
        PlaceValue("Fallujah", "Iraq", admin1="Anbar", latitude=33.35, longitude=43.78),
        "places.v1",
    )
    q_start, q_end = span_of(t, "a farmer")
    quote = mention(
        t,
        "They shot them one by one, in front of the mosque,",
        "quote",
        QuoteValue("a farmer", "anonymous", q_start, q_end),
        "quotes.v1",
    )
    executed = mention(
        t,
        "executed",
        "trigger",
        TriggerValue(
            "execute", "Violence against civilians", "Attack", ("killing",), role="killed"
        ),
        "violations.v1",
    )
    shot = mention(
        t,
        "shot",
        "trigger",
        TriggerValue("shoot", "Violence against civilians", "Attack", ("killing",), "killed"),
        "violations.v1",
    )
    still_missing = mention(
        t,
        "still missing",
        "trigger",
        TriggerValue(
            "missing",
            "Violence against civilians",
            "Abduction/forced disappearance",
            ("enforced disappearance",),
            role="missing",
        ),
        "violations.v1",
    )
    s1 = sentence(t, "BAGHDAD", "a witness said.")
    s2 = sentence(t, '"They shot', "named.")
    s3 = sentence(t, "Seventy-three", "relatives said.")
    executions = Incident(
        doc_id=doc.id,
        doc_name=doc.name,
        incident_id=incident_id(doc.id, version, 0),
        event_type="Violence against civilians",
        sub_event_type="Attack",
        violations=("killing",),
        actor1=police,
        actor2=victims,
        counts={"killed": killed},
        fatalities=16,
        date=day,
        location=place,
        quotes=(quote,),
        triggers=(executed, shot),
        evidence=(s1, s2),
        evidence_text=(s1.of(t), s2.of(t)),
        confidence=0.8714,
        stage="assemble.v1",
        versions=VERSIONS,
        country="Iraq",
    )
    disappeared = Incident(
        doc_id=doc.id,
        doc_name=doc.name,
        incident_id=incident_id(doc.id, version, 1),
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        violations=("enforced disappearance", "abduction"),
        actor1=None,
        actor2=None,
        counts=MappingProxyType({"missing": missing}),
        fatalities=0,
        date=day,
        location=place,
        quotes=(),
        triggers=(still_missing,),
        evidence=(s3,),
        evidence_text=(s3.of(t),),
        confidence=0.55,
        stage="assemble.v1",
        versions=VERSIONS,
        country="Iraq",
    )
    all_mentions = (police, victims, killed, executed, place, fallujah, day, shot, quote)
    all_mentions += (missing, still_missing)
    return Annotated(
        document=doc,
        sentences=(s1, s2, s3),
        mentions=tuple(sorted(all_mentions, key=lambda m: (m.start, m.end))),
        incidents=(executions, disappeared),
        stages=("segment.v1", "violations.v1", "actors.v1", "assemble.v1"),
    )


def tal_shair(*, version: str = "v1") -> Annotated:
    """One abduction with a date range (Feb. 20-24, 2017) in Syria."""
    t = TAL_SHAIR
    doc = Document.build(
        name="feed.jsonl#17",
        text=t,
        raw=t,
        meta=DocumentMeta(publisher="Wire, Beirut", published=date(2017, 3, 3)),
        reader="jsonl.v2",
    )
    isis = mention(
        t,
        "Islamic State militants",
        "actor",
        ActorValue("Islamic State", "Rebel Groups", country=None),
        "actors.v1",
    )
    abducted = mention(
        t,
        "40 villagers",
        "count",
        CountValue(40, 40, role="abducted", victim="villagers"),
        "counts.v1",
    )
    days = mention(
        t,
        "between Feb. 20 and Feb. 24",
        "date",
        DateValue(date(2017, 2, 20), date(2017, 2, 24), 2),
        "dates.v1",
    )
    place = mention(
        t,
        "Tal Shair",
        "place",
        PlaceValue(
            "Tal Shair", "Syria", admin1="Aleppo", latitude=36.5, longitude=37.7, precision=1
        ),
        "places.v1",
    )
    trig = mention(
        t,
        "abducted",
        "trigger",
        TriggerValue(
            "abduct",
            "Violence against civilians",
            "Abduction/forced disappearance",
            ("abduction",),
            "abducted",
        ),
        "violations.v1",
    )
    s1 = Span(0, len(t))
    inc = Incident(
        doc_id=doc.id,
        doc_name=doc.name,
        incident_id=incident_id(doc.id, version, 0),
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        violations=("abduction",),
        actor1=isis,
        actor2=None,
        counts={"abducted": abducted},
        fatalities=0,
        date=days,
        location=place,
        quotes=(),
        triggers=(trig,),
        evidence=(s1,),
        evidence_text=(s1.of(t),),
        confidence=0.7,
        stage="assemble.v1",
    )
    return Annotated(
        document=doc,
        sentences=(s1,),
        mentions=tuple(sorted((isis, abducted, days, place, trig), key=lambda m: m.start)),
        incidents=(inc,),
        stages=("segment.v1", "assemble.v1"),
    )


def army_base(*, version: str = "v1") -> Annotated:
    """Torture with no date and no place: only the document's country is known."""
    t = BASE
    doc = Document.build(name="<stdin>", text=t, raw=t, reader="text.v1")
    soldiers = mention(
        t,
        "Soldiers",
        "actor",
        ActorValue("Military Forces of Nigeria", "State Forces"),
        "actors.v1",
    )
    count = mention(
        t, "at least 5 detainees", "count", CountValue(5, None, role="tortured"), "counts.v1"
    )
    trig = mention(
        t,
        "tortured",
        "trigger",
        TriggerValue("torture", "Violence against civilians", "Attack", ("torture",), "tortured"),
        "violations.v1",
    )
    inc = Incident(
        doc_id=doc.id,
        doc_name=doc.name,
        incident_id=incident_id(doc.id, version, 0),
        event_type="Violence against civilians",
        sub_event_type="Attack",
        violations=("torture",),
        actor1=soldiers,
        actor2=None,
        counts={"tortured": count},
        fatalities=0,
        date=None,
        location=None,
        quotes=(),
        triggers=(trig,),
        evidence=(Span(0, len(t)),),
        evidence_text=(t,),
        confidence=0.3,
        stage="assemble.v1",
        country="Nigeria",
    )
    return Annotated(
        document=doc,
        sentences=(Span(0, len(t)),),
        mentions=(soldiers, trig, count),
        incidents=(inc,),
        stages=("segment.v1", "assemble.v1"),
    )


SAMPLES = {"sijir": sijir, "tal_shair": tal_shair, "army_base": army_base}


@pytest.mark.parametrize("build", SAMPLES.values(), ids=SAMPLES.keys())
def test_store_samples_spans_point_into_text(build) -> None:
    doc = build()
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text
    for inc in doc.incidents:
        assert inc.doc_id == doc.document.id
        assert set(inc.mentions) <= set(doc.mentions)
        for e in inc.evidence:
            assert 0 <= e.start < e.end <= len(doc.text)


def test_store_samples_ids_depend_on_version() -> None:
    assert (
        sijir(version="v1").incidents[0].incident_id != sijir(version="v2").incidents[0].incident_id
    )
