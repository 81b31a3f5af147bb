"""Actors named as ACLED names them across conflicts (issue 12): Myanmar's local resistance
forces by their township, groups that claim an attack told without its doer, identity militias
and the Islamic State's provinces with their country or region, interceptions as the act of the
intercepting military."""

from __future__ import annotations

import pytest

import harmledger
from harmledger.eval.metrics import actor_match


def _actor1(text: str, published: str) -> str | None:
    incidents = harmledger.extract(text, published=published)
    assert incidents, text
    main = max(incidents, key=lambda i: i.confidence)
    return main.actor1.value.name if main.actor1 is not None else None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a township's PDF, named by the acronym alone
        (
            "On 2 March 2022, the Kani PDF ambushed a junta convoy with landmines near Kani "
            "town, Sagaing region, killing four soldiers.",
            "People's Defense Force - Kani",
        ),
        # the branch after a dash
        (
            "On 13 November 2022, PDF - Padaung Yoma attacked a police outpost in Padaung "
            "township, Bago region. Two policemen were injured.",
            "People's Defense Force - Padaung Yoma",
        ),
        # a sentence that starts with the branch: "The" names no township
        (
            "On 10 January 2022, explosions hit the township administration office in "
            "Shwebo town, Sagaing region. The Shwebo PDF claimed responsibility.",
            "People's Defense Force - Shwebo",
        ),
        # two branches together: ACLED's actor1 is the first named
        (
            "On 10 October 2022, the Yesagyo PDF and Myaing PDF attacked a military base near "
            "Hpu Lon village (Yesagyo township, Magway region) with rockets.",
            "People's Defense Force - Yesagyo",
        ),
        # a branch named after the capital, which the group's words take in
        (
            "On 6 November 2022, the Nay Pyi Taw PDF bombed the Electric Power Corporation "
            "office in Oke Ta Ra Thi Ri township. There were no casualties.",
            "People's Defense Force - Nay Pyi Taw",
        ),
        # a local branch the report does not name
        (
            "On 5 October 2021, in Taze township, Sagaing region, a local PDF group attacked a "
            "military convoy with remote-controlled mines. Casualties unknown.",
            "People's Defense Force - Local Group",
        ),
    ],
)
def test_myanmar_pdf_branches(text: str, name: str) -> None:
    assert _actor1(text, "2022-12-01") == name


def test_pdf_of_a_download_link_is_still_no_actor() -> None:
    found = harmledger.extract(
        "Soldiers shelled Kani town on Monday, killing two villagers. Download the full "
        "report (PDF) or the PDF version with maps.",
        published="2022-03-10",
    )
    names = {i.actor1.value.name for i in found if i.actor1 is not None}
    assert not any("People's Defense Force" in n for n in names)


def test_local_defense_group_is_acleds_unidentified_local_defense_forces() -> None:
    name = _actor1(
        "On 4 November 2021, in Tabayin township, Sagaing region, Myanmar, a local defense "
        "group ambushed a military column with landmines.",
        "2021-11-10",
    )
    assert name == "Unidentified Local Defense Forces (Myanmar)"


def test_kndf_is_its_own_group() -> None:
    name = _actor1(
        "On 25 October 2022, KNDF fighters attacked a military outpost in Demoso township, "
        "Kayah state, killing two soldiers.",
        "2022-11-01",
    )
    assert actor_match("KNDF: Karenni Nationalities Defense Force", name), name


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        # a claim of responsibility in the next sentence names the doer of a bombing
        (
            "On 12 May 2022, a bomb exploded at the ward administration office in Myingyan "
            "town, Mandalay region. Nobody was hurt. The Myingyan PDF later claimed "
            "responsibility for the bombing.",
            "2022-05-20",
            "People's Defense Force - Myingyan",
        ),
        # an attack attributed in so many words in a later sentence
        (
            "On 3 June 2023, two Israeli soldiers were injured by a mortar shell near Nirim. "
            "The mortar was likely fired by Hamas from Gaza.",
            "2023-06-05",
            "Hamas Movement",
        ),
        # "a Taliban-planted mine": the group set it, though its victims are told first
        (
            "On 18 May 2020, three policemen were killed when their vehicle struck a "
            "Taliban-planted mine in Nad Ali district, Helmand.",
            "2020-05-20",
            "Taliban",
        ),
    ],
)
def test_claimed_and_attributed_attacks_take_their_claimant(
    text: str, published: str, name: str
) -> None:
    assert _actor1(text, published) == name


@pytest.mark.parametrize(
    ("text", "published", "acled"),
    [
        (
            "On 20 February 2023, ISWAP fighters attacked a military base in Marte, Borno "
            "state, Nigeria, killing six soldiers.",
            "2023-02-22",
            "Islamic State (West Africa)",
        ),
        (
            "On 3 May 2021, ISKP gunmen attacked a checkpoint in Jalalabad, Nangarhar, "
            "Afghanistan, killing two policemen.",
            "2021-05-05",
            "Islamic State (Afghanistan)",
        ),
        (
            "On 3 March 2022, fighters of the Islamic State in the Greater Sahara killed five "
            "herders near Tillaberi, Niger.",
            "2022-03-05",
            "Islamic State (Sahel)",
        ),
    ],
)
def test_islamic_state_provinces_take_acleds_regional_name(
    text: str, published: str, acled: str
) -> None:
    assert _actor1(text, published) == acled


def test_communal_militia_takes_the_incidents_country() -> None:
    name = _actor1(
        "On 26 April 2020, in Woroko near Ketou (Plateau), Benin, farmers attacked a Fulani "
        "camp with machetes and killed two herders after cattle damaged their fields.",
        "2020-04-28",
    )
    assert name is not None and name.endswith("(Benin)"), name
    assert "Communal Militia" in name or name.startswith("Rioters"), name


def test_interception_is_the_act_of_the_intercepting_military() -> None:
    name = _actor1(
        "Interception: On 2 December 2023, rockets were fired from Gaza toward Ashkelon, "
        "Israel. Several of the rockets were intercepted over the city.",
        "2023-12-03",
    )
    assert name == "Military Forces of Israel"


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        (
            "On 2 December 2023, in Belo Horizonte (Minas Gerais), Brazil, military police "
            "exchanged fire with drug traffickers in the Taquaril neighborhood. One suspect was "
            "killed.",
            "2023-12-03",
            "Military Forces of Brazil Military Police",
        ),
        (
            "On 2 December 2023, in Fortaleza (Ceara), Brazil, civil police officers exchanged "
            "fire with an armed suspect during an operation. The suspect was killed.",
            "2023-12-03",
            "Police Forces of Brazil Civil Police",
        ),
        (
            "On 9 April 2020, 6 Taliban militants were killed in a raid by Afghan commando "
            "forces in Qaisar district, Faryab, Afghanistan.",
            "2020-04-10",
            "Military Forces of Afghanistan Special Forces",
        ),
    ],
)
def test_units_of_a_countrys_forces_take_acleds_unit_name(
    text: str, published: str, name: str
) -> None:
    assert _actor1(text, published) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "On 2 May 2021, members of the Fulani community killed a farmer on his field in "
            "Segbana (Alibori), Benin.",
            "Fulani Ethnic Militia (Benin)",
        ),
        (
            "On 9 May 2021, Bariba farmers armed with machetes attacked a pastoralist camp in "
            "Kalale (Borgou), Benin, wounding three people.",
            "Bariba Ethnic Militia (Benin)",
        ),
        (
            "On 20 September 2019, a herder was shot dead near Isiolo, Kenya, allegedly by "
            "Turkana herders who had crossed with their camels.",
            "Turkana Ethnic Militia (Kenya)",
        ),
        # the people are the victims, the farmers a communal militia
        (
            "On 2 May 2021, farmers killed two Fulani herders in Segbana (Alibori), Benin, after "
            "cattle damaged their fields.",
            "Unidentified Communal Militia (Benin)",
        ),
        # one farmer who attacks a herder: a communal militia, not a lone man
        (
            "On 2 May 2021, a farmer with a machete hacked and severely wounded a pastoralist "
            "in the village of Boudou (Tchaourou, Borgou), Benin.",
            "Unidentified Communal Militia (Benin)",
        ),
        # a place named after a people is no militia
        (
            "On 19 January 2020, in West Pokot county, Kenya, gunmen shot and killed a child.",
            "Unidentified Armed Group (Kenya)",
        ),
    ],
)
def test_a_people_doing_violence_is_acleds_ethnic_militia(text: str, name: str) -> None:
    assert _actor1(text, "2021-05-10") == name


def test_pirates_and_settlers_take_acleds_names() -> None:
    assert (
        _actor1(
            "On 24 June 2021, sea pirates attacked a fishing vessel off the coast of Cotonou, "
            "Benin, and abducted five crew members.",
            "2021-06-25",
        )
        == "Pirates (Benin)"
    )
    assert (
        _actor1(
            "Land seizure: On 3 December 2023, Israeli settlers seized farmland near Bardalah "
            "(Tubas, West Bank).",
            "2023-12-04",
        )
        == "Settlers (Israel)"
    )


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        # unknown individuals are an unidentified armed group, not a mob
        (
            "On 8 October 2021, unknown individuals equipped with machetes killed a farmer in "
            "his field near Nikki (Borgou), Benin.",
            "2021-10-10",
            "Unidentified Armed Group (Benin)",
        ),
        # the soldiers an unnamed group fought with are not the doer
        (
            "On 28 October 2022, an unidentified armed group exchanged fire with Beninese "
            "soldiers in Kompa (Karimama, Alibori), Benin. The assailants retreated.",
            "2022-10-30",
            "Unidentified Armed Group (Benin)",
        ),
        # "the Myanmar military troops" are one target, not a target and a doer
        (
            "On 11 October 2021, near Yinmarbin town (Sagaing region), Myanmar, an unknown "
            "armed group attacked the Myanmar military troops with landmines.",
            "2021-10-12",
            "Unidentified Armed Group (Myanmar)",
        ),
        # a military-owned tower is what was bombed
        (
            "On 26 September 2021, near Gaung Po village (Ngazun township, Mandalay region), "
            "the Myanmar military-owned Mytel telecom tower was bombed and destroyed.",
            "2021-10-04",
            "Unidentified Armed Group (Myanmar)",
        ),
        # a police station is where the bomb went off, not who set it
        (
            "On 4 July 2021, inside Ye township police station in Ye town (Mon state), Myanmar, "
            "a bomb exploded. No casualties reported.",
            "2021-07-06",
            "Unidentified Armed Group (Myanmar)",
        ),
    ],
)
def test_unnamed_doers_stay_unidentified(text: str, published: str, name: str) -> None:
    assert _actor1(text, published) == name


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        (
            "Security measures: On 3 November 2022, the mayor of Banikoara established a curfew "
            "from 9 pm to 6 am in Banikoara (Alibori), Benin.",
            "2022-11-04",
            "Government of Benin",
        ),
        (
            "On 12 October 2021, in Natogyi township (Myingyan district, Mandalay region), "
            "Myanmar, a military-owned telecom tower was bombed and destroyed. There were no "
            "casualties.",
            "2021-10-13",
            "Unidentified Armed Group (Myanmar)",
        ),
    ],
)
def test_developments_without_a_named_doer(text: str, published: str, name: str) -> None:
    assert _actor1(text, published) == name


@pytest.mark.parametrize(
    "text",
    [
        "On 14 May 2022, a number of residents captured, tied up, and burned alive a presumed "
        "motorbike thief in Kandi (Alibori), Benin.",
        "On 2 June 2022, a group of youths tied up and fatally assaulted a man accused of "
        "sorcery in the village of Dassari (Materi, Atacora), Benin.",
        "On 12 July 2022, a number of locals in the village of Soka (Sinende, Borgou), Benin, "
        "severely wounded a man suspected of theft.",
    ],
)
def test_a_crowd_that_did_violence_is_rioters(text: str) -> None:
    assert _actor1(text, "2022-07-20") == "Rioters (Benin)"


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        # two countries' forces named by their adjectives: the first is actor1
        (
            "On 3 December 2023, Russian and Ukrainian military forces clashed near Avdiivka, "
            "Donetsk. Casualties unknown.",
            "2023-12-04",
            "Military Forces of Russia",
        ),
        # the side named after "clashing with" is the other side
        (
            "On 3 December 2023, Russian military forces advanced near Marinka, Donetsk, "
            "clashing with the Ukrainian military. Casualties unknown.",
            "2023-12-04",
            "Military Forces of Russia",
        ),
        # a partner named after "in cooperation with"
        (
            "On 8 May 2020, the Tribal Mobilization Forces in cooperation with Iraqi forces "
            "killed 15 IS militants in Anbar province.",
            "2020-05-10",
            "Tribal Mobilization Forces",
        ),
    ],
)
def test_the_first_side_of_a_fight_is_actor1(text: str, published: str, name: str) -> None:
    assert _actor1(text, published) == name


def test_a_force_named_better_before_gives_its_country() -> None:
    name = _actor1(
        "On 3 December 2023, Israeli warplanes struck houses in Al Maghazi refugee camp "
        "(Deir El Balah, Gaza Strip), killing 12 people. Also, the artillery shelled targets "
        "in the area.",
        "2023-12-04",
    )
    assert name == "Military Forces of Israel"


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        (
            "On 24 July 2022, JNIM or IS Sahel militants kidnapped a herder near Kandi "
            "(Alibori), Benin.",
            "2022-07-26",
            "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Sahel)",
        ),
        (
            "On 3 May 2019, Syrian or Russian warplanes struck the town of Kafr Nabl, Idlib, "
            "killing five civilians.",
            "2019-05-05",
            "Allied Syrian and/or Russian Forces",
        ),
    ],
)
def test_either_of_two_groups_is_acleds_coalition(text: str, published: str, name: str) -> None:
    assert _actor1(text, published) == name


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        (
            "On 13 March 2020, 5 Taliban militants were killed when police forces repulsed their "
            "attack in Nad Ali district, Helmand, Afghanistan.",
            "2020-03-15",
            "Taliban",
        ),
        (
            "On 7 April 2020, Iraqi forces repelled an IS attack on Nimrud village in Ninewa "
            "province and arrested two militants.",
            "2020-04-09",
            "Islamic State",
        ),
    ],
)
def test_a_repelled_attack_is_the_attackers(text: str, published: str, name: str) -> None:
    assert _actor1(text, published) == name


def test_a_coders_label_names_no_actor() -> None:
    name = _actor1(
        "Change to armed group: On 4 March 2020, 30 Afghan soldiers switched sides and joined "
        "the Taliban in Kohistan district, Kapisa.",
        "2020-03-05",
    )
    assert name == "Military Forces of Afghanistan"
