"""Fusion keeps distinct events apart (issue 12 item 6, fuse.v6): two places a few km
apart, or two reports placed only to one district, are one event only when the reports
count the same people alike; two kinds of event only when they count the same people, at
least three, or name the same harm. Read through the whole pipeline from reports written
for these tests: two same-day attacks in two towns of one district, two outlets' reports
of one attack that place it at neighbouring towns, a district's day of Taliban attacks,
and a city's day of a bombing and a shooting."""

from __future__ import annotations

from fusion_kit import one_report, read_report
from harmledger.fuse import compare, fuse_documents
from harmledger.fuse.evidence import places_apart
from harmledger.model import Annotated, Report

REPORTS = {
    # Hamdaniya district, Nineveh: Bartella and Bashiqa are towns 11 km apart
    "bartella-farmer": (
        "Nineveh Today",
        "2019-05-29",
        "Gunmen kill farmer in Bartella\n\n"
        "Gunmen shot dead a farmer in his orchard in the town of Bartella, east of Mosul, "
        "on Tuesday, police said. The attackers fled on a motorcycle.",
    ),
    "bashiqa-shepherds": (
        "Iraqi Observer",
        "2019-05-29",
        "Five shepherds killed in Bashiqa\n\n"
        "Gunmen killed five shepherds and stole their sheep in the town of Bashiqa, "
        "northeast of Mosul, on Tuesday, a local official said. The bodies were taken to "
        "Mosul's forensic department.",
    ),
    # the shepherds' killing as a wire service tells it: near Bartella
    "wire-shepherds": (
        "Wire Service",
        "2019-05-29",
        "MOSUL, Iraq, May 29 (Wire) - Armed men killed five shepherds near Bartella, in "
        "Nineveh province, on Tuesday and drove off their flock, a security source said.\n\n"
        "No group claimed the attack.",
    ),
    # Nad Ali district, Helmand: two attacks of one day, placed only to the district
    "nadali-post": (
        "Kabul Daily",
        "2020-03-03",
        "Taliban attack police post in Helmand\n\n"
        "Taliban militants attacked a police post in Nad Ali district of Helmand province on "
        "Monday, killing four policemen, a provincial spokesman said.",
    ),
    "nadali-sniper": (
        "Afghan Voice",
        "2020-03-03",
        "Soldier killed by sniper in Helmand\n\n"
        "A Taliban sniper shot and killed an Afghan soldier in Nad Ali district of Helmand "
        "province on Monday, officials said.",
    ),
    "nadali-wire": (
        "Wire Service",
        "2020-03-03",
        "Four police killed in Helmand checkpoint attack\n\n"
        "LASHKAR GAH, March 3 (Wire) - Four policemen were killed when Taliban fighters "
        "stormed a checkpoint in Helmand's Nad Ali district on Monday, a police official "
        "said.",
    ),
    # Samarra on one day: a bomb and a sniper that each killed one man; a bomb that killed
    # five soldiers, which one outlet tells as a bombing and another as an attack
    "samarra-bomb": (
        "Salahuddin News",
        "2019-04-11",
        "Policeman killed by roadside bomb in Samarra\n\n"
        "A roadside bomb killed a policeman on patrol in Samarra on Wednesday, a security "
        "source said.",
    ),
    "samarra-sniper": (
        "Iraqi Observer",
        "2019-04-11",
        "Soldier shot dead in Samarra\n\n"
        "An Islamic State sniper shot dead an Iraqi soldier at a checkpoint in Samarra on "
        "Wednesday, the army said.",
    ),
    "samarra-bomb-five": (
        "Salahuddin News",
        "2019-04-11",
        "Roadside bomb kills five soldiers in Samarra\n\n"
        "A roadside bomb killed five Iraqi soldiers when it struck their vehicle in Samarra "
        "on Wednesday, a security source said.",
    ),
    "samarra-attack-five": (
        "Wire Service",
        "2019-04-11",
        "Five soldiers killed in Samarra attack\n\n"
        "Islamic State militants killed five Iraqi soldiers in an attack on their patrol in "
        "Samarra on Wednesday, officials said.",
    ),
}


def annotated(name: str) -> Annotated:
    return read_report(name, *REPORTS[name])


def main_report(name: str) -> Report:
    return one_report(annotated(name), places=False)


def groups(*names: str) -> set[frozenset[str]]:
    fused = fuse_documents([annotated(n) for n in names])
    return {frozenset(r.doc_name for r in f.reports) for f in fused}


def test_fuse_two_towns_same_day_attacks_stay_apart() -> None:
    """A farmer shot in Bartella and five shepherds killed in Bashiqa, 11 km away, on one
    day: one kind, one district, one day, and two events."""
    a, b = main_report("bartella-farmer"), main_report("bashiqa-shepherds")
    assert (a.admin2, a.date_start) == (b.admin2, b.date_start)
    assert a.location_name != b.location_name
    c = compare(a, b)
    assert c.veto == "two places a few km apart, nobody counted alike"
    assert groups("bartella-farmer", "bashiqa-shepherds") == {
        frozenset({"bartella-farmer"}),
        frozenset({"bashiqa-shepherds"}),
    }


def test_fuse_two_outlets_place_one_attack_at_neighbouring_towns() -> None:
    """A local paper's 'in Bashiqa' and a wire's 'near Bartella': the same five shepherds
    on the same day are one killing, and the farmer shot in Bartella that day stays out
    even though the wire names his town."""
    wire, local = main_report("wire-shepherds"), main_report("bashiqa-shepherds")
    assert wire.location_name != local.location_name
    c = compare(wire, local)
    assert c.matches(), c
    assert places_apart(wire, local, ["near_place"]) is None
    assert groups("bashiqa-shepherds", "bartella-farmer", "wire-shepherds") == {
        frozenset({"bashiqa-shepherds", "wire-shepherds"}),
        frozenset({"bartella-farmer"}),
    }


def test_fuse_a_districts_day_of_attacks_stays_apart() -> None:
    """Four policemen killed at a post and a soldier shot by a sniper, both 'in Nad Ali
    district' on Monday by the Taliban: the same actor, district, day and kind, and two
    attacks. The wire's report of the post attack counts the same four and joins it."""
    post, sniper = main_report("nadali-post"), main_report("nadali-sniper")
    assert post.feature == sniper.feature == "admin2"
    assert post.actor1 == sniper.actor1
    c = compare(post, sniper)
    assert c.veto == "placed only to a district or an area, nobody counted alike"
    assert compare(post, main_report("nadali-wire")).matches()
    assert groups("nadali-post", "nadali-sniper", "nadali-wire") == {
        frozenset({"nadali-post", "nadali-wire"}),
        frozenset({"nadali-sniper"}),
    }


def test_fuse_a_bomb_and_a_sniper_that_each_killed_one_stay_apart() -> None:
    """Two kinds of event in one city on one day, one dead each: one killed is too common
    a toll to say that a bombing and a shooting are one event told two ways."""
    bomb, sniper = main_report("samarra-bomb"), main_report("samarra-sniper")
    assert bomb.event_type != sniper.event_type
    assert bomb.killed == sniper.killed == (1, 1)
    assert compare(bomb, sniper).veto == (
        "different kinds of event (Explosions/Remote violence / Battles), nothing alike"
    )
    assert len(groups("samarra-bomb", "samarra-sniper")) == 2


def test_fuse_one_bombing_told_as_an_attack_is_one_event() -> None:
    """The same five soldiers killed in Samarra that day: a bombing to one outlet, an
    attack on a patrol to another."""
    bomb, attack = main_report("samarra-bomb-five"), main_report("samarra-attack-five")
    assert bomb.event_type != attack.event_type
    assert compare(bomb, attack).matches()
    assert groups("samarra-bomb-five", "samarra-attack-five") == {
        frozenset({"samarra-bomb-five", "samarra-attack-five"})
    }
