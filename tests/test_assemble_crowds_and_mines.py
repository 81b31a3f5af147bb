"""Assembly: event types of remote weapons told by their use ("attacked a convoy with
mines", "the tower was bombed") and of crowds that do violence themselves with no
demonstration (ACLED's mob violence)."""

from __future__ import annotations

import pytest

import harmledger

ERV = "Explosions/Remote violence"


def main_incident(text: str, published: str = "2021-12-20") -> dict:
    found = [i.to_contract() for i in harmledger.extract(text, published=published)]
    assert found, text
    return max(found, key=lambda i: i["confidence"])


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        # a mine is the weapon of the attack, not a fight between the two sides
        (
            "On 14 December 2021, near Kyauk Sit village (Salin township, Magway region), a "
            "local defence force attacked a military convoy with two mines. Three soldiers "
            "were killed.",
            "Remote explosive/landmine/IED",
        ),
        (
            "On 14 December 2021, in Yesagyo township (Magway region), the village defence "
            "group carried out a mine attack on police officers patrolling the market road.",
            "Remote explosive/landmine/IED",
        ),
        (
            "On 14 December 2021, a police officer was killed when his car was hit by a "
            "Taliban-planted mine in Nad Ali district, Helmand.",
            "Remote explosive/landmine/IED",
        ),
        # a building bombed, with nobody named as its bomber and no aircraft told
        (
            "On 14 December 2021, in Kani township (Sagaing region), a telecom tower owned by "
            "a military company was bombed and destroyed. There were no casualties.",
            "Remote explosive/landmine/IED",
        ),
        # drones and air raids told as the means or with a hyphen
        (
            "On 14 December 2021, militants attacked an army post north of Gao with "
            "armed drones. Casualties unknown.",
            "Air/drone strike",
        ),
        (
            "On 14 December 2021, army air-raids hit a market in El Fasher (North Darfur). "
            "Two civilians were killed.",
            "Air/drone strike",
        ),
    ],
)
def test_remote_weapons_told_by_their_use(text: str, sub_event_type: str) -> None:
    inc = main_incident(text)
    assert (inc["event_type"], inc["sub_event_type"]) == (ERV, sub_event_type)


@pytest.mark.parametrize(
    "text",
    [
        # a crowd counted loosely that beats, captures and kills: a mob, not an armed group
        "On 12 March 2022, a number of youths captured, assaulted, and killed two presumed "
        "thieves in the market of Djougou (Djougou, Donga).",
        # farmers counted loosely are a crowd on the spot, not a communal militia
        "On 12 March 2022, a number of farmers assaulted and wounded a herder after his "
        "cattle damaged their fields near Kandi (Kandi, Alibori).",
        # a crowd that names no one, and the police it hands its victim to are no doer
        "On 12 March 2022, a group beat a suspected motorbike thief before handing him over "
        "to the police in Bohicon (Bohicon, Zou).",
        # two crowds that fight each other
        "On 12 March 2022, two groups of moto-taxi drivers fought over a parking spot in "
        "Natitingou (Natitingou, Atacora), leaving three wounded.",
        # rioters with no demonstration told
        "On 12 March 2022, rioters threw stones at a passing bus near Hebron and injured "
        "its driver.",
    ],
)
def test_crowds_that_do_violence_are_mob_violence(text: str) -> None:
    inc = main_incident(text, published="2022-03-15")
    assert (inc["event_type"], inc["sub_event_type"]) == ("Riots", "Mob violence"), inc
    assert inc["actor1"]["name"].startswith("Rioters")


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        # armed farmers raiding a camp are still a communal militia's attack
        (
            "On 12 March 2022, farmers armed with shotguns attacked a Fulani camp near "
            "Bassila (Bassila, Donga) and killed two herders.",
            "Violence against civilians",
            "Attack",
        ),
        # a demonstration that turns violent stays a violent demonstration
        (
            "On 12 March 2022, students marching in Abomey-Calavi (Abomey-Calavi, Atlantique) "
            "threw stones at the police.",
            "Riots",
            "Violent demonstration",
        ),
        # "a friend of mine" is no landmine
        (
            "A friend of mine was shot dead by gunmen in Kabul on Monday, his brother said.",
            "Violence against civilians",
            "Attack",
        ),
        # people who took part in a protest, told as the event itself
        (
            "On 1 December 2023, 300 pupils participated in a protest in Namur (Wallonie) "
            "to demand more climate action.",
            "Protests",
            "Peaceful protest",
        ),
        (
            "On 1 December 2023, more than 400 nurses picketed outside the county hospital in "
            "Fresno (California) to demand a new contract.",
            "Protests",
            "Peaceful protest",
        ),
    ],
)
def test_what_stays_as_it_was(text: str, event_type: str, sub_event_type: str) -> None:
    inc = main_incident(text, published="2023-12-02")
    assert (inc["event_type"], inc["sub_event_type"]) == (event_type, sub_event_type), inc


def test_who_took_part_in_a_protest_is_still_background() -> None:
    inc = main_incident(
        "On 4 June 2020, gunmen shot dead an activist who had taken part in the protests, in "
        "Basra, police said.",
        published="2020-06-05",
    )
    assert inc["event_type"] == "Violence against civilians"
