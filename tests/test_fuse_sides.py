"""Fusion reads whose people a report counts, and tells a template filled in twice from
copies of one story (issue 12 item 6, ``fuse.v9``). Reports written for these tests: on
one Monday in Nad Ali district of Helmand, the Taliban attack an army post and kill five
soldiers, and an hour's drive away storm a police post and kill four policemen (two
events of one place, day, kind, actor and a close toll); a second outlet tells the army
post attack with "five Afghan troops", a third with "members of the security forces".
And two short monitor's notes from one template, one about Irbid and one about Zarqa."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fusion_kit import one_report, read_report
from harmledger.fuse import compare, fuse_documents
from harmledger.fuse.evidence import different_sides, distinct_localities, template_filled
from harmledger.fuse.neardup import story_ids
from harmledger.model import Annotated, Report
from harmledger.model.words import fingerprint, localities, names, sides, sides_alike, targets

REPORTS = {
    "army-post": (
        "Helmand Times",
        "2020-06-16",
        "Taliban kill five soldiers in attack on army post in Nad Ali\n\n"
        "Taliban militants attacked an army post in Nad Ali district of Helmand province "
        "on Monday, killing five soldiers, a provincial official said.",
    ),
    "police-post": (
        "Kabul Daily",
        "2020-06-16",
        "Four policemen killed in Nad Ali\n\n"
        "Taliban militants stormed a police post in Nad Ali district of Helmand province "
        "on Monday night, killing four policemen, the provincial police spokesman said.",
    ),
    "army-post-troops": (
        "Wire Service",
        "2020-06-16",
        "Five Afghan troops have been killed after Taliban fighters attacked a military "
        "outpost in Nad Ali district of southern Helmand province on Monday, officials "
        "said.",
    ),
}

VILLAGES = {
    "azizabad": (
        "Herat News",
        "2020-06-16",
        "Soldier killed in Shindand\n\n"
        "A soldier was killed on Monday when Taliban militants attacked a check point in "
        "the Azizabad area of Shindand district, Herat province, local officials said.",
    ),
    "zawal": (
        "Afghan Wire",
        "2020-06-16",
        "Sniper kills soldier in Shindand\n\n"
        "A Taliban sniper shot dead a soldier at a check point in the Zawal area of "
        "Shindand district in western Herat province on Monday, officials said.",
    ),
    "azizabad-village": (
        "Kabul Daily",
        "2020-06-16",
        "One soldier was killed in a Taliban attack on a security post in the village of "
        "Azizabad in Shindand district of Herat on Monday, the army corps said.",
    ),
}

NOTES = {
    "irbid": (
        "Monitor",
        "2023-12-02",
        "On 1 December 2023, hundreds of teachers took to the streets of Irbid to "
        "demonstrate outside the offices of the education directorate, demanding a pay "
        "rise and better working conditions for contract teachers in public schools.",
    ),
    "zarqa": (
        "Monitor",
        "2023-12-02",
        "On 1 December 2023, hundreds of teachers took to the streets of Zarqa to "
        "demonstrate outside the offices of the education directorate, demanding a pay "
        "rise and better working conditions for contract teachers in public schools.",
    ),
}


def annotated(name: str) -> Annotated:
    return read_report(name, *(REPORTS | VILLAGES | NOTES)[name])


def main_report(name: str) -> Report:
    return one_report(annotated(name))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taliban attacked a post, killing 5 soldiers.", {"soldiers"}),
        ("On 2 March 2020, Taliban militants attacked a post.", set()),  # a date, no count
        ("14 Taliban militants were killed in an air strike.", {"fighters"}),
        ("2 'Arbakis' were killed at a check point.", {"policemen"}),
        ("killing 3 local policemen and injuring 1", {"policemen"}),
        ("four members of the security forces were killed", {"security"}),
        ("killing 9 Afghan army personnel", {"security"}),
        ("A Taliban sniper shot dead a soldier at a check point.", {"soldiers"}),
        ("A policeman was wounded when the bomb went off.", {"policemen"}),
        ("a police officer said on Monday", set()),  # who told, not who was harmed
        ("a soldier killed a civilian at the gate", {"civilians"}),
        (
            "killing 8-9 policemen. Also 14 Taliban militants were killed.",
            {"policemen", "fighters"},
        ),
        ("the strike killed three civilians, including two children", {"civilians"}),
        ("Relatives of five men said that soldiers raided their homes.", set()),
        ("killing 9 Palestinians and injuring several", set()),  # whose side is not said
        ("30 suspects were arrested in the operation", set()),
    ],
)
def test_words_sides_counted(text: str, expected: set[str]) -> None:
    assert sides(fingerprint([text])) == expected


def test_words_names_leave_out_sentence_openings() -> None:
    fp = fingerprint(["Gunmen killed a man. The police said so."])
    assert fp == ()
    irbid = fingerprint(["protesters took to the streets of Irbid to demonstrate"])
    zarqa = fingerprint(["protesters took to the streets of Zarqa to demonstrate"])
    assert len(names(irbid)) == len(names(zarqa)) == 1 and names(irbid) != names(zarqa)
    assert not targets(irbid) and not sides(irbid)


def test_fuse_soldiers_and_policemen_killed_at_two_posts_stay_apart() -> None:
    """Same day, district, kind and actor, four and five killed (close): what tells the
    two attacks apart is whose people were killed."""
    army, police = main_report("army-post"), main_report("police-post")
    assert sides(army.words) == {"soldiers"} and sides(police.words) == {"policemen"}
    assert different_sides(army, police) == ("soldiers", "policemen")
    assert compare(army, police).veto == "different people counted (soldiers / policemen)"


def test_fuse_one_attack_told_with_troops_or_security_forces_still_fuses() -> None:
    """'Five soldiers' and 'five Afghan troops' count one side; security forces may be
    soldiers or policemen: neither is held against a merge."""
    army, troops = main_report("army-post"), main_report("army-post-troops")
    assert sides(troops.words) == {"soldiers"}
    assert different_sides(army, troops) is None
    assert compare(army, troops).veto is None
    fused = fuse_documents([annotated(n) for n in ("army-post", "police-post", "army-post-troops")])
    assert {frozenset(r.doc_name for r in f.reports) for f in fused} == {
        frozenset({"army-post", "army-post-troops"}),
        frozenset({"police-post"}),
    }


def test_fuse_template_notes_of_two_towns_are_not_copies() -> None:
    """Two near-duplicate notes that differ by the town they name: one template filled
    in for two protests, each its own event (a copy of one story keeps its names)."""
    docs = [annotated("irbid"), annotated("zarqa")]
    stories = story_ids((a.document.id, a.document.text) for a in docs)
    assert len(set(stories.values())) == 1  # near-duplicate texts: one story to MinHash
    irbid, zarqa = (replace(main_report(n), story_id="one") for n in ("irbid", "zarqa"))
    assert template_filled(irbid, zarqa)
    assert not template_filled(irbid, replace(irbid, doc_id="copy"))
    assert "copies of one story" not in compare(irbid, zarqa).reasons
    assert len(fuse_documents(docs, stories=stories)) == 2


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("an attack on a check point in the Azizabad area of Shindand district", 1),
        ("in the 'Jashma Shir Sarkh Kotel' area of Pul-e Khumri district", 1),
        ("in Parchawi of Nad Ali district, Helmand", 1),
        ("gunmen killed three people in the village of Daloga near Niehoun", 1),
        ("police exchanged fire with traffickers in the Cidade de Deus neighborhood", 1),
        ("air strikes hit houses in Yibna refugee camp", 1),
        ("a car bomb went off in the al-Hilaliyeh neighborhood of Qamishli", 1),
        ("PKK militants attacked Turkish forces on Gombete hill", 1),
        ("In the area, the army said.", 0),
        ("in Shindand district of Herat province", 0),  # a district, no locality
    ],
)
def test_words_localities_named(text: str, count: int) -> None:
    assert len(localities(fingerprint([text]))) == count


def test_words_one_locality_two_ways() -> None:
    one = localities(fingerprint(["in the village of Azizabad"]))
    assert one == localities(fingerprint(["in Azizabad village"]))
    assert one != localities(fingerprint(["in the Zawal area"]))
    # one neighbourhood in two transliterations
    hilaliyeh = localities(fingerprint(["in the al-Hilaliyeh neighborhood"]))
    assert hilaliyeh == localities(fingerprint(["struck the Hilaliyah neighbourhood"]))


def test_fuse_two_check_points_of_one_district_named_by_area_stay_apart() -> None:
    """One soldier killed at each of two check points of Shindand district on one day:
    the gazetteer knows neither area, the words name two. A third outlet's "village of
    Azizabad" names the first one's area, and fuses with it."""
    azizabad, zawal = main_report("azizabad"), main_report("zawal")
    village = main_report("azizabad-village")
    assert distinct_localities(azizabad, zawal)
    assert compare(azizabad, zawal).veto == "each names a village or area the other does not"
    assert not distinct_localities(azizabad, village)
    assert compare(azizabad, village).veto is None
    fused = fuse_documents([annotated(n) for n in ("azizabad", "zawal", "azizabad-village")])
    assert {frozenset(r.doc_name for r in f.reports) for f in fused} == {
        frozenset({"azizabad", "azizabad-village"}),
        frozenset({"zawal"}),
    }


def test_fuse_sides_alike() -> None:
    """Security forces may be soldiers or policemen; civilians may be counted beside
    either (a bomb at a check point); fighters are the other side."""
    assert sides_alike(fingerprint(["killing 4 security personnel"])) == {"soldiers", "policemen"}
    army, police = main_report("army-post"), main_report("police-post")
    civilians = replace(army, words=fingerprint(["killing five civilians"]))
    fighters = replace(army, words=fingerprint(["five Taliban militants were killed"]))
    assert different_sides(civilians, police) is None
    assert different_sides(civilians, fighters) == ("civilians", "fighters")
    assert different_sides(army, fighters) == ("soldiers", "fighters")
    assert different_sides(army, replace(army, words=())) is None  # counts nobody's side
