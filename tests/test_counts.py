"""Tests for the counts stage: numbers of people, their ranges and roles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.model import COUNT_ROLES, Annotated, CountValue, Document
from harmledger.pipeline.counts import CountTagger, acled_fatalities, parse_counts, tables
from harmledger.pipeline.segment import Segmenter


def counts(text: str) -> list[tuple[str, int | None, int | None, str | None]]:
    out = []
    for s, e, v in parse_counts(text):
        assert v.role is None or v.role in COUNT_ROLES
        out.append((text[s:e], v.min, v.max, v.role))
    return out


def values(text: str) -> list[CountValue]:
    return [v for _, _, v in parse_counts(text)]


# --------------------------------------------------------------------------- numbers

NUMBERS = [
    # digits, separators, decimals and scale words
    ("The massacre left at least 1,566 Shia cadets dead.", 1566, None),
    ("Some 12,000 people were forced to flee the fighting.", 12000, 12000),
    ("Approximately 4.2 million Iraqis were forced to flee their homes.", 4200000, 4200000),
    ("Aid agencies say 1.5 thousand residents fled overnight.", 1500, 1500),
    ("Officials said 2.5 million Syrians have been displaced since March.", 2500000, 2500000),
    ("The strike killed 7 civilians in the market.", 7, 7),
    # number words: hyphenated, capitalised, spaced, with 'and'
    ("Seventy-three other men of the same tribe are still missing.", 73, 73),
    ("Twenty one villagers were abducted by gunmen.", 21, 21),
    ("A hundred families fled the village after the raid.", 100, 100),
    ("Two hundred and fifty prisoners were released on Sunday.", 250, 250),
    ("One hundred twenty people were killed in the clashes.", 120, 120),
    ("One of his relatives died as a result of torture.", 1, 1),
    ("A dozen protesters were arrested outside the ministry.", 12, 12),
    ("Two dozen worshippers were wounded in the blast.", 24, 24),
    ("Half a dozen soldiers were killed at the checkpoint.", 6, 6),
    ("Both men were later found dead.", 2, 2),
    ("A thousand people marched through the city; three were shot dead.", 1000, 1000),
    ("Three thousand five hundred refugees crossed the border.", 3500, 3500),
    ("Forty-two people have been killed since the ceasefire collapsed.", 42, 42),
]


@pytest.mark.parametrize(("text", "lo", "hi"), NUMBERS)
def test_counts_numbers(text: str, lo: int | None, hi: int | None) -> None:
    got = values(text)
    assert got, text
    assert (got[0].min, got[0].max) == (lo, hi)


# --------------------------------------------------------------------------- qualifiers

QUALIFIERS = [
    # text, min, max, approximate, vague
    ("At least 5 people were killed.", 5, None, False, False),
    ("No fewer than 30 civilians were executed.", 30, None, False, False),
    ("More than 40 people died in the fire.", 41, None, False, False),
    ("Over 200 people were detained in the sweep.", 201, None, False, False),
    ("More than a dozen villagers were abducted.", 13, None, True, False),
    ("Up to 30 detainees were tortured at the facility.", None, 30, False, False),
    ("As many as 30 people may have died.", None, 30, False, False),
    ("Fewer than 10 civilians were hurt.", None, 9, False, False),
    ("About 40 people were killed in the attack.", 40, 40, True, False),
    ("Approximately 40 people were killed in the attack.", 40, 40, True, False),
    ("Around 40 people were killed in the attack.", 40, 40, True, False),
    ("Roughly 300 families were displaced.", 300, 300, True, False),
    ("Nearly 40 people were killed in the attack.", 40, 40, True, False),
    ("Some 40 people were killed in the attack.", 40, 40, True, False),
    ("An estimated 4,000 people fled the city.", 4000, 4000, True, False),
    ("Between 10 and 15 people were killed.", 10, 15, False, False),
    ("10 to 15 people were killed.", 10, 15, False, False),
    ("Witnesses said 10-15 people were killed.", 10, 15, False, False),
    ("Witnesses said 10–15 people were killed.", 10, 15, False, False),
    ("Two or three soldiers were wounded.", 2, 3, False, False),
    ("Between 3 and 4 million people have fled the country.", 3000000, 4000000, False, False),
    ("The death toll rose from 10 to 15 people overnight.", 15, 15, False, False),
    ("Five or more civilians were killed.", 5, None, False, False),
    ("Forty or so people were detained.", 40, 40, True, False),
    ("Possibly 40 people were killed.", None, 40, False, True),
    # vague quantities stay vague
    ("Dozens of people were killed.", 24, None, False, True),
    ("Scores of civilians were wounded.", 40, None, False, True),
    ("Hundreds of civilians fled the shelling.", 200, None, False, True),
    ("Thousands of families have been displaced.", 2000, None, False, True),
    ("Tens of thousands of people fled.", 20000, None, False, True),
    ("Hundreds of thousands of Syrians fled to Turkey.", 200000, None, False, True),
    ("Several people were arrested.", 3, None, False, True),
    ("Several hundred prisoners were executed.", 300, None, False, True),
    ("A few villagers were wounded.", 2, None, False, True),
    ("Many civilians were killed in the bombardment.", None, None, False, True),
    ("At least dozens of detainees died in custody.", 24, None, False, True),
    ("Potentially thousands of people are missing.", None, None, False, True),
    ("Possibly hundreds of civilians were killed.", None, None, False, True),
]


@pytest.mark.parametrize(("text", "lo", "hi", "approx", "vague"), QUALIFIERS)
def test_counts_qualifiers(
    text: str, lo: int | None, hi: int | None, approx: bool, vague: bool
) -> None:
    got = values(text)
    assert len(got) == 1, got
    v = got[0]
    assert (v.min, v.max, v.approximate, v.vague) == (lo, hi, approx, vague)


def test_counts_vague_never_exact() -> None:
    for word in ("dozens", "scores", "hundreds", "thousands", "several", "many"):
        (v,) = values(f"{word.capitalize()} of civilians were killed.")
        assert v.vague
        assert v.min != v.max or v.min is None


# --------------------------------------------------------------------------- roles

ROLES = [
    # sentence, [(text, min, max, role)]
    (
        "The Camp Speicher massacre left at least 1,566 Shia cadets dead in June, 2014.",
        [("at least 1,566 Shia cadets", 1566, None, "killed")],
    ),
    (
        "Approximately 4.2 million Iraqis were forced to flee their homes due to ISIS.",
        [("Approximately 4.2 million Iraqis", 4200000, 4200000, "displaced")],
    ),
    (
        "The survivor said that 17 of his relatives are still missing.",
        [("17 of his relatives", 17, 17, "missing")],
    ),
    (
        "Gunmen opened fire on the bus, killing 12 civilians and wounding 20 others.",
        [("12 civilians", 12, 12, "killed"), ("20 others", 20, 20, "injured")],
    ),
    ("I saw two people die in front of my eyes.", [("two people", 2, 2, "killed")]),
    (
        "One of his relatives died as a result of torture.",
        [("One of his relatives", 1, 1, "killed")],
    ),
    ("A civilian was killed when the shell hit his house.", [("A civilian", 1, 1, "killed")]),
    ("A child was wounded by shrapnel.", [("A child", 1, 1, "injured")]),
    ("An elderly man was shot dead at the checkpoint.", [("An elderly man", 1, 1, "killed")]),
    ("No one was hurt in the explosion.", [("No one", 0, 0, "injured")]),
    ("Nobody was killed, police said.", [("Nobody", 0, 0, "killed")]),
    ("No civilians were killed in the raid.", [("No civilians", 0, 0, "killed")]),
    ("There were no deaths.", [("no deaths", 0, 0, "killed")]),
    ("The blast killed 5 and wounded 12.", [("5", 5, 5, "killed"), ("12", 12, 12, "injured")]),
    ("5 killed in Baghdad car bomb.", [("5", 5, 5, "killed")]),
    ("Police said 3 were arrested.", [("3", 3, 3, "detained")]),
    (
        "The death toll from Friday's bombing rose to 12, officials said.",
        [("12", 12, 12, "killed")],
    ),
    ("The death toll has climbed to 27.", [("27", 27, 27, "killed")]),
    ("Rescuers recovered the bodies of 12 men from the river.", [("12 men", 12, 12, "killed")]),
    (
        "Militants kidnapped 14 aid workers on the road to Kunduz.",
        [("14 aid workers", 14, 14, "abducted")],
    ),
    (
        "Three journalists were taken hostage by the group.",
        [("Three journalists", 3, 3, "abducted")],
    ),
    (
        "Security forces rounded up 40 young men in the market.",
        [("40 young men", 40, 40, "detained")],
    ),
    (
        "Security forces arrested 12 suspects after the attack.",
        [("12 suspects", 12, 12, "detained")],
    ),
    (
        "At least 300 detainees were tortured in the prison.",
        [("At least 300 detainees", 300, None, "tortured")],
    ),
    (
        "Five people disappeared after being stopped at the checkpoint.",
        [("Five people", 5, 5, "missing")],
    ),
    ("Some 2,000 families fled the fighting.", [("Some 2,000 families", 2000, 2000, "displaced")]),
    (
        "Thousands of refugees crossed into Jordan.",
        [("Thousands of refugees", 2000, None, "displaced")],
    ),
    ("The shelling killed 3 children.", [("3 children", 3, 3, "killed")]),
    ("12 wounded civilians were taken to hospital.", [("12 wounded civilians", 12, 12, "injured")]),
    ("Four policemen lost their lives in the ambush.", [("Four policemen", 4, 4, "killed")]),
    ("Two brothers were executed in the main square.", [("Two brothers", 2, 2, "killed")]),
    ("The militia executed 8 prisoners.", [("8 prisoners", 8, 8, "killed")]),
    (
        "At least 5 people were killed and 20 injured.",
        [("At least 5 people", 5, None, "killed"), ("20", 20, 20, "injured")],
    ),
    ("Two men who fled the fighting were later arrested.", [("Two men", 2, 2, "detained")]),
    ("The 12 people who were killed were all from one family.", [("12 people", 12, 12, "killed")]),
    (
        "The 12 people who were killed included 3 children.",
        [("12 people who were killed included 3 children", 12, 12, "killed")],
    ),
    ("Ten students were abducted from their school.", [("Ten students", 10, 10, "abducted")]),
    ("Airstrikes killed dozens of civilians.", [("dozens of civilians", 24, None, "killed")]),
    ("Dozens were killed in the attack.", [("Dozens", 24, None, "killed")]),
    ("At least 20 civilians have been killed.", [("At least 20 civilians", 20, None, "killed")]),
    ("Five of them were killed.", [("Five of them", 5, 5, "killed")]),
    (
        "The UN said 1.2 million people had fled.",
        [("1.2 million people", 1200000, 1200000, "displaced")],
    ),
    (
        "20 people were killed; 35 were wounded.",
        [("20 people", 20, 20, "killed"), ("35", 35, 35, "injured")],
    ),
    (
        "Twelve soldiers were reported missing after the battle.",
        [("Twelve soldiers", 12, 12, "missing")],
    ),
    ("Around 150 protesters were detained.", [("Around 150 protesters", 150, 150, "detained")]),
    (
        "There were 12 deaths and 30 injuries.",
        [("12 deaths", 12, 12, "killed"), ("30 injuries", 30, 30, "injured")],
    ),
    ("At least 5 were killed.", [("At least 5", 5, None, "killed")]),
    ("A couple of villagers were wounded.", [("A couple of villagers", 2, 2, "injured")]),
    ("About 10 to 15 people were detained.", [("About 10 to 15 people", 10, 15, "detained")]),
    (
        "Medics said a 12-year-old girl was among the wounded.",
        [("a 12-year-old girl", 1, 1, "injured")],
    ),
    (
        "Rebels are holding around 300 people hostage.",
        [("around 300 people", 300, 300, "abducted")],
    ),
    ("None of the hostages were harmed.", [("None of the hostages", 0, 0, "injured")]),
    (
        "The fighting has forced some 70,000 people from their homes.",
        [("some 70,000 people", 70000, 70000, "displaced")],
    ),
    ("Eight migrants drowned off Libya.", [("Eight migrants", 8, 8, "killed")]),
    ("Clashes left 2 dead and 6 wounded.", [("2 dead", 2, 2, "killed"), ("6", 6, 6, "injured")]),
    (
        "The toll stands at 41 dead and 80 injured.",
        [("41 dead", 41, 41, "killed"), ("80", 80, 80, "injured")],
    ),
    ("Local officials put the number of dead at 35.", [("35", 35, 35, "killed")]),
    (
        "Four people, including a police officer, were injured.",
        [("Four people, including a police officer", 4, 4, "injured")],
    ),
    (
        "Gunmen shot dead three men and a woman in the village.",
        [("three men and a woman", 4, 4, "killed")],
    ),
    (
        "Israeli forces detained 17 Palestinians in overnight raids.",
        [("17 Palestinians", 17, 17, "detained")],
    ),
    (
        "Seven were killed and 14 wounded in the second attack.",
        [("Seven", 7, 7, "killed"), ("14", 14, 14, "injured")],
    ),
    (
        "The attack left 6 martyrs and 22 wounded.",
        [("6 martyrs", 6, 6, "killed"), ("22", 22, 22, "injured")],
    ),
    ("The clashes claimed 12 lives.", [("12 lives", 12, 12, "killed")]),
    (
        "The events claimed the lives of nine citizens.",
        [("nine citizens", 9, 9, "killed")],
    ),
    # no role word: the assembler fills the role later
    ("Twelve villagers gathered outside the mosque.", [("Twelve villagers", 12, 12, None)]),
]


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_counts_roles(
    text: str, expected: list[tuple[str, int | None, int | None, str | None]]
) -> None:
    assert counts(text) == expected


# --------------------------------------------------------------------------- who was harmed

HARMED = [
    # "killed or injured": up to n each, nobody known dead
    (
        "Turkish sources said 5 PKK militants were killed or injured in the strikes.",
        [("5 PKK militants", 0, 5, "killed"), ("5 PKK militants", 0, 5, "injured")],
    ),
    (
        "The raid resulted in the killing, injury or capture of 2 militants.",
        [("2 militants", 0, 2, "killed"), ("2 militants", 0, 2, "injured")],
    ),
    (
        "Security forces killed or wounded an unknown number of IS militants.",
        [
            ("an unknown number of IS militants", 0, None, "killed"),
            ("an unknown number of IS militants", 0, None, "injured"),
        ],
    ),
    # "killing and injuring n": at least one of each
    (
        "A roadside bomb hit the patrol, killing and injuring 4 soldiers.",
        [("4 soldiers", 1, 3, "killed"), ("4 soldiers", 1, 3, "injured")],
    ),
    # a casualty count with no role word: killed or injured
    (
        "The shelling caused 12 casualties in the camp.",
        [("12 casualties", 0, 12, "killed"), ("12 casualties", 0, 12, "injured")],
    ),
    # all-capitals names and unit names inside the noun phrase
    ("As reported on 9 August, 4 IS militants were killed.", [("4 IS militants", 4, 4, "killed")]),
    ("Police shot dead an IS militant near Rashad.", [("an IS militant", 1, 1, "killed")]),
    (
        "On Monday 1 security forces member was killed by a sniper.",
        [("1 security forces member", 1, 1, "killed")],
    ),
    (
        "Two drones killed 2 Hezbollah Brigades members near the border.",
        [("2 Hezbollah Brigades members", 2, 2, "killed")],
    ),
    ("An IS suicide bomber was killed at the gate.", [("An IS suicide bomber", 1, 1, "killed")]),
    # one named person: "the driver", "his niece", "him"
    (
        "An IED exploded under a car, killing the driver and injuring 2 workers.",
        [("the driver", 1, 1, "killed"), ("2 workers", 2, 2, "injured")],
    ),
    (
        "Gunmen kidnapped a tribal chief and killed his niece.",
        [("a tribal chief", 1, 1, "abducted"), ("his niece", 1, 1, "killed")],
    ),
    (
        "Gunmen opened fire on a shopkeeper in Baquba, killing him.",
        [("him", 1, 1, "killed")],
    ),
    ("Another source said the child was killed.", [("the child", 1, 1, "killed")]),
    (
        "Militants stormed the house, killing the mukhtar, his wife and two children.",
        [("the mukhtar, his wife and two children", 4, 4, "killed")],
    ),
    ("A farmer and his son were killed by the blast.", [("A farmer and his son", 2, 2, "killed")]),
    # vague: all of them, an unknown number
    (
        "Jets destroyed two vehicles, killing all those on board.",
        [("all those", None, None, "killed")],
    ),
    (
        "Warplanes hit the tunnel, killing all IS militants inside.",
        [("all IS militants", None, None, "killed")],
    ),
    ("Unknown fatalities.", [("Unknown fatalities", None, None, "killed")]),
    # the subject of a verb that has its own object is not what it did
    (
        "A suicide bomber killed at least 8 people in the market.",
        [("at least 8 people", 8, None, "killed")],
    ),
    ("Unknown gunmen killed 3 people.", [("3 people", 3, 3, "killed")]),
    ("Protesters said they were all killed.", []),
    ("The raid killed all 12 passengers.", [("12 passengers", 12, 12, "killed")]),
    ("Militants threatened to kill him.", []),
    ("The family was killed in the strike.", []),
    ("Militants killed many buffalo in the village.", []),
    (
        "Gunmen attacked the home of the mukhtar, killing two guards.",
        [("two guards", 2, 2, "killed")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARMED)
def test_counts_who_was_harmed(
    text: str, expected: list[tuple[str, int | None, int | None, str | None]]
) -> None:
    assert counts(text) == expected


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("At least 12 people were killed in the blast.", 12),
        ("Airstrikes killed a number of IS militants.", 3),
        ("Unknown fatalities.", 3),
        ("Dozens were killed in the shelling.", 12),
        ("Hundreds were killed in the siege.", 100),
        ("Possibly dozens were killed in the shelling.", 0),
        ("5 militants were killed or injured in the raid.", 0),
        ("The bombing killed and wounded several protesters.", 3),
        ("No one was killed.", 0),
    ],
)
def test_counts_acled_fatalities(text: str, fatalities: int) -> None:
    killed = [(text[s:e], v) for s, e, v in parse_counts(text) if v.role == "killed"]
    assert killed, text
    assert acled_fatalities(*killed[0]) == fatalities


def test_counts_no_casualties_is_zero_killed_and_injured() -> None:
    text = "No casualties were reported."
    got = counts(text)
    assert got == [("No casualties", 0, 0, "killed"), ("No casualties", 0, 0, "injured")]


# --------------------------------------------------------------------------- composites


def test_counts_composite_men_and_boys() -> None:
    text = (
        "12 men and four boys who fled the town of al-Sijir, just north of Fallujah, and "
        "were executed after turning themselves over to men in uniform May 30."
    )
    (v,) = values(text)
    assert (v.min, v.max, v.children, v.role) == (16, 16, 4, "killed")
    assert v.victim == "men and boys"


def test_counts_composite_women_and_children() -> None:
    (v,) = values("Three women and two children were killed in the strike.")
    assert (v.min, v.max, v.women, v.children, v.role) == (5, 5, 3, 2, "killed")


def test_counts_composite_list() -> None:
    (v,) = values("12 men, four women and three children were killed.")
    assert (v.min, v.women, v.children) == (19, 4, 3)


@pytest.mark.parametrize(
    ("text", "total", "children"),
    [
        # after a comma, numbers by sex and age that add up to the first are the same people
        ("Gunmen killed 16 farmers, 12 men and four boys, near Gwoza.", 16, 4),
        ("Gunmen killed 12 men, 10 women and 5 children.", 27, 5),  # they add up to more
        ("Gunmen killed 3 soldiers, 1 officer and 2 civilians.", 6, None),  # not by sex/age
    ],
)
def test_counts_composite_breakdown(text: str, total: int, children: int | None) -> None:
    (v,) = values(text)
    assert (v.min, v.max, v.children) == (total, total, children)


def test_counts_composite_article() -> None:
    (v,) = values("A woman and two children were wounded.")
    assert (v.min, v.women, v.children, v.role) == (3, 1, 2, "injured")


def test_counts_including_subcount() -> None:
    text = "The strike killed two civilians, including a child."
    ((s, e, v),) = parse_counts(text)
    assert (v.min, v.max, v.children, v.role) == (2, 2, 1, "killed")
    assert text[s:e] == "two civilians, including a child"


def test_counts_including_subcount_women_and_children() -> None:
    (v,) = values("At least 30 people were killed, including 8 women and 5 children.")
    assert (v.min, v.women, v.children) == (30, 8, 5)


def test_counts_members_of_one_family() -> None:
    text = (
        "Five members of one family, including three children, were killed when a shell "
        "hit their home."
    )
    ((s, e, v),) = parse_counts(text)
    assert text[s:e] == "Five members of one family, including three children"
    assert (v.min, v.children, v.role, v.victim) == (5, 3, "killed", "members")


def test_counts_families_are_counted_as_families() -> None:
    (v,) = values("Some 2,000 families fled the fighting.")
    assert v.victim == "families"


def test_counts_children_noun_sets_children() -> None:
    (v,) = values("Four children were killed by the mine.")
    assert v.children == 4


# --------------------------------------------------------------------------- not counts

NOT_COUNTS = [
    "The survivor's own 17-year-old son is still missing.",
    "A boy of about 15 had hot wax poured on him.",
    "All men and boys of fighting age, typically ages 15 to 65, are screened.",
    "The victim, aged 30, was a teacher.",
    "Children under 15 were separated from the others.",
    "The attack happened on May 30.",
    "The report was published on 30 May 2016.",
    "The militants took the city in 2014.",
    "He was detained in June, 2016.",
    "The shelling began at 3 pm.",
    "The curfew starts at 3:30.",
    "The government pledged $5 million for the victims.",
    "Unemployment rose to 40 percent.",
    "Some 60% of the city was destroyed.",
    "The village lies 10 km from the border.",
    "The camp is 3 kilometres north of the town.",
    "It was the third attack this month.",
    "Refugees were moved to Camp 1 near the border.",
    "Security Council Resolution 2254 calls for a ceasefire.",
    "The convoy was ambushed on Route 1.",
    "Three shells hit the market.",
    "Two houses were destroyed.",
    "Four vehicles were set on fire.",
    "The coalition carried out 17 airstrikes near Raqqa.",
    "He was held for three days before being released.",
    "The 4th Brigade took the town.",
    "Fighters of Brigade 17 entered the town.",
    "One survivor told Amnesty about the abuse.",
    "Many of them are funded by the Qods Force.",
    "One of the most deadly examples of abuse was described.",
    "It was one of the worst attacks in years.",
    "The report lists 2 recommendations.",
    "COVID-19 spread quickly in the camps.",
    "The F-16 crashed near the base.",
    "The trial of 12 will resume next week.",
    "In 2014, militants stormed the base.",
    "He said a man had approached the car.",
    "No reports of violence were received.",
    "The town was shelled for 2 hours.",
    "It was one of two options on the table.",
    "The agency counted 1,200 violations in 2019, up from 900 a year earlier.",
    "Troops fired 40 rounds into the air.",
    "Some 5 km south of the city, gunmen attacked a convoy.",
    "Two-thirds of the population has fled.",
    "The 1990s saw a wave of killings.",
    "The report covers the period from 1 January to 31 March 2017.",
    "The score was 2-1.",
    "Page 12 of the report describes the killings.",
    "The resolution was adopted by 13 votes to 2.",
    "A woman in her 40s was seen at the gate.",
    "Over 1,000 homes were destroyed in the fighting.",
    "No one claimed responsibility for the attack.",
    "There were no immediate reports of casualties.",
    "He was sentenced to 10 years in prison.",
    "August 21 2013 Activists say the gas attack was the worst of the war.",
]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_counts_not_counts(text: str) -> None:
    assert counts(text) == []


# --------------------------------------------------------------------------- spans, stage


def test_counts_spans_are_offsets_into_text() -> None:
    text = (
        "Aleppo, Syria. On Tuesday, airstrikes killed at least 23 civilians, including "
        "seven children, and wounded dozens of others in the Old City."
    )
    got = parse_counts(text)
    assert [text[s:e] for s, e, _ in got] == [
        "at least 23 civilians, including seven children",
        "dozens of others",
    ]
    assert [v.role for _, _, v in got] == ["killed", "injured"]
    assert got[0][2].children == 7


def test_counts_stage_adds_mentions() -> None:
    text = "Five civilians were killed.\n\nA child was wounded by shrapnel."
    doc = Document.build(name="t", text=text, raw=text, reader="test.v1")
    ann = Segmenter(Settings())(Annotated(document=doc))
    tagger = CountTagger(Settings())
    out = tagger(ann)
    ms = out.of_kind("count")
    assert [m.text for m in ms] == ["Five civilians", "A child"]
    for m in ms:
        assert m.stage == "counts.v14"
        assert text[m.start : m.end] == m.text
    assert out.stages[-1] == "counts.v14"
    assert CountTagger.assigns == ("mentions:count", "mentions:dropped")


def test_counts_stage_without_sentences() -> None:
    text = "Militants killed 4 policemen."
    doc = Document.build(name="t", text=text, raw=text, reader="test.v1")
    out = CountTagger(Settings())(Annotated(document=doc))
    assert [(m.text, m.value.min) for m in out.of_kind("count")] == [("4 policemen", 4)]  # type: ignore[union-attr]


def test_counts_seed_report() -> None:
    text = (
        "“I saw two people die in front of my eyes.”\n\n"
        "The Camp Speicher massacre was an ISIS attack on an Iraqi Air Force base which left "
        "at least 1,566 Shia cadets dead in June, 2014.\n\n"
        "The survivor said that 17 of his relatives are still missing, including his own "
        "17-year-old son. One of his relatives died as a result of torture.\n\n"
        "Seventy-three other men of the same tribe are still missing.\n\n"
        "Approximately 4.2 million Iraqis were forced to flee their homes due to ISIS, with "
        "potentially thousands missing and killed due to revenge attacks from the PMUs."
    )
    got = [(text[s:e], v.min, v.max, v.role) for s, e, v in parse_counts(text)]
    assert got == [
        ("two people", 2, 2, "killed"),
        ("at least 1,566 Shia cadets", 1566, None, "killed"),
        ("17 of his relatives", 17, 17, "missing"),
        ("One of his relatives", 1, 1, "killed"),
        ("Seventy-three other men of the same tribe", 73, 73, "missing"),
        ("Approximately 4.2 million Iraqis", 4200000, 4200000, "displaced"),
        ("potentially thousands", None, None, "missing"),
    ]
    victims = [v.victim for _, _, v in parse_counts(text)]
    assert victims[1] == "cadets"
    assert victims[5] == "Iraqis"


def test_counts_empty_and_plain_text() -> None:
    assert parse_counts("") == []
    assert parse_counts("The ministry condemned the attack.") == []


def test_counts_tables_are_cached() -> None:
    assert tables() is tables()


# --------------------------------------------------------------------------- properties

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_UNITS = _UNIT_WORDS.split()
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _english(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f"-{_UNITS[unit]}" if unit else "")
    hundreds, rest = divmod(n, 100)
    words = f"{_UNITS[hundreds]} hundred"
    return words + (f" and {_english(rest)}" if rest else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999_999))
def test_counts_property_digits_with_commas(n: int) -> None:
    text = f"Officials said {n:,} people were killed."
    got = values(text)
    if n == 0:
        # "0 people were killed" is a zero count
        assert [(v.min, v.max) for v in got] == [(0, 0)]
        return
    assert [(v.min, v.max, v.role) for v in got] == [(n, n, "killed")]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999))
def test_counts_property_english_words(n: int) -> None:
    text = f"Officials said {_english(n)} people were killed."
    got = values(text)
    assert [(v.min, v.max, v.role) for v in got] == [(n, n, "killed")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_counts_property_never_crashes_and_spans_in_bounds(text: str) -> None:
    for s, e, v in parse_counts(text):
        assert 0 <= s < e <= len(text)
        assert v.min is None or v.max is None or v.min <= v.max


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the toll word, then the event in a relative clause, then the rise verb
        (
            "The death toll from a car bomb that tore through a market in Iraq's Diyala "
            "province on Tuesday has risen to 14, officials said Wednesday.",
            [("killed", 14, 14)],
        ),
        (
            "The toll from the two suicide bombings at the Shia shrine in Samarra rose to 31 "
            "on Friday, a hospital source said.",
            [("killed", 31, 31)],
        ),
        # a rise verb without a toll word before it is no count of the dead
        ("Bread prices have risen to 14 dinars a loaf since the siege began.", []),
    ],
)
def test_counts_toll_that_rose_after_a_long_subject(text, expected):
    assert [(role, lo, hi) for _, lo, hi, role in counts(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an age in apposition to a name is no count
        ("Ahmad al-Masri, 17, was shot dead by a sniper in Tafas on Wednesday.", []),
        ("Gunmen killed Ali Hussein, 40, near Baquba.", []),
        # a number after a place and a comma still counts
        ("In Daraa, 17 were killed in the shelling.", [("killed", 17, 17)]),
        # the state media's "martyred" is "killed"
        ("Two soldiers were martyred on Tuesday.", [("killed", 2, 2)]),
    ],
)
def test_counts_ages_in_apposition_and_martyred(text, expected):
    assert [(role, lo, hi) for _, lo, hi, role in counts(text)] == expected
