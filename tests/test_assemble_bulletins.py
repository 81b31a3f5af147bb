"""One event, one incident in the styles of fresh3: a radio bulletin's headlines and its
football results, an obituary's named victim and the reactions to the killing, a live blog's
correction and a source's other toll, a report's "similar killings" and "the third ...
this year", and an ambush of travellers (an attack on civilians, not a battle)."""

from __future__ import annotations

import pytest

from harmledger.pipeline.assemble.common import words
from incident_kit import contracts, incidents


def test_a_bulletins_headlines_and_a_football_score_are_no_incidents() -> None:
    text = (
        "ANCHOR: Good evening. In the headlines: two herders killed in a raid near Kotido; "
        "and the national budget is read in parliament today.\n\n"
        "ANCHOR: Two herders were shot dead on Monday night when armed raiders attacked a "
        "kraal near Kotido town in Karamoja, the district police commander said.\n\n"
        "ANCHOR: And in football, Vipers beat KCCA three one yesterday at Kitende."
    )
    found = incidents(text, "2023-05-09")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 2


def test_a_named_victim_with_an_age_is_one_killed_and_the_condemnation_no_incident() -> None:
    text = (
        "CALAMBA, Philippines - Radio host Renato Blanco, 61, was known across Laguna for his "
        "early-morning commentary programme.\n\n"
        "Blanco, 61, was shot dead on Sunday morning outside his house in Calamba by a gunman "
        "riding pillion on a motorcycle, police said.\n\n"
        "The National Union of Journalists condemned the killing on Monday and called on the "
        "police to find those responsible."
    )
    found = incidents(text, "2023-11-07")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 1


def test_a_live_posts_correction_records_no_figure() -> None:
    text = (
        "10:05 - At least six people were killed when a drone struck a car near Nabatieh, "
        "Lebanon's health ministry says.\n\n"
        "12:30 - A correction: in an earlier post we said that four children had been killed "
        "when a shell hit a school in Khiam. The ministry now says the school was empty and "
        "nobody was hurt there. We regret the error."
    )
    found = incidents(text, "2024-03-14")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 6


def test_an_earlier_figure_and_another_sources_toll_tell_the_event_again() -> None:
    text = (
        "GUATEMALA CITY (Wire) - Inmates at the Renovación 1 prison in Escuintla fought with "
        "guns and machetes on Saturday and four of them were killed, the prison service said. "
        "It had earlier said two inmates had died.\n\n"
        "In Plateau state, Nigeria, gunmen killed nine villagers in Bokkos on Sunday, police "
        "said. A community leader put the number of dead at 17."
    )
    found = incidents(text, "2024-06-10")
    assert len(found) == 2, contracts(found)
    killed = sorted((i.counts["killed"].value.min, i.counts["killed"].value.max) for i in found)
    assert killed[1] == (9, 17)


def test_similar_killings_and_the_third_victim_this_year_are_no_incidents() -> None:
    text = (
        "BAMAKO (Wire) - Soldiers executed five herders near Diafarabé on 3 February, "
        "witnesses told the rights group.\n\n"
        "In 2021, a UN report documented similar killings near Boni. It is the third "
        "herder killed in the circle this year, the group said."
    )
    found = incidents(text, "2024-02-20")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 5


def test_an_ambush_of_travellers_is_an_attack_on_civilians() -> None:
    text = (
        "OUAGADOUGOU (Wire) - Gunmen ambushed a passenger bus near Djibo on Tuesday, killing "
        "nine passengers, a local official said."
    )
    found = incidents(text, "2024-01-17")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Violence against civilians"


def test_an_ambush_of_soldiers_stays_a_battle() -> None:
    text = (
        "OUAGADOUGOU (Wire) - Militants ambushed an army patrol near Djibo on Tuesday, "
        "killing nine soldiers, a security source said."
    )
    found = incidents(text, "2024-01-17")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Battles"


def test_a_toll_spread_across_a_country_and_a_gangs_motive_add_no_incident() -> None:
    text = (
        "MEXICO CITY (Wire) - Gunmen and a car bomb left at least seven people dead across "
        "Mexico on Sunday, officials said.\n\n"
        "In Celaya, in Guanajuato state, gunmen opened fire on diners at a taco stand on "
        "Sunday night, killing four people. Prosecutors believe the attack was ordered by a "
        "cartel fighting for control of fuel theft in the region.\n\n"
        "In Uruapan, Michoacán, three police officers were killed when a car bomb exploded "
        "next to their patrol on Sunday morning."
    )
    found = incidents(text, "2024-03-04")
    assert len(found) == 2, contracts(found)
    types = {i.event_type for i in found}
    assert types == {"Violence against civilians", "Explosions/Remote violence"}


def test_suspects_arrested_after_an_attack_are_no_incident_of_their_own() -> None:
    text = (
        "ELDORET, Kenya (Wire) - Two men on a motorcycle shot dead a shopkeeper in Eldoret on "
        "Friday evening, police said. Three suspects were arrested on Saturday."
    )
    found = incidents(text, "2024-05-13")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Violence against civilians"


def test_so_far_in_the_clashes_is_the_running_toll_of_the_event() -> None:
    text = (
        "10:15 - At least nine people have been killed so far in the clashes in Beni, "
        "hospital sources say.\n\n"
        "14:00 - The toll has risen to 15 dead, the hospital says."
    )
    found = incidents(text, "2024-04-02")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Battles"
    assert found[0].counts["killed"].value.max == 15


def test_a_council_member_shot_dead_is_a_civilian_victim() -> None:
    text = (
        "GUADALAJARA, Mexico (Wire) - Gunmen shot dead a municipal council member in "
        "Tlaquepaque on Sunday evening as he left a church, prosecutors said."
    )
    found = incidents(text, "2024-04-08")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Violence against civilians"


def test_a_second_raid_told_in_its_own_paragraph_is_its_own_incident() -> None:
    text = (
        "(Nairobi) - Ethiopian soldiers killed civilians in two raids in the Amhara region "
        "in January, a rights group said today.\n\n"
        "On 9 January, soldiers searched houses in Merawi and executed seven men they "
        "accused of supporting Fano militias, witnesses said.\n\n"
        "Ten days later, on 19 January, a patrol arrived in the Kebele 03 area of Bahir Dar "
        "at dawn, residents said. Soldiers went from door to door and beat young men. "
        "Three cousins, aged 17, 20 and 22, were led to a field and shot dead.\n\n"
        "A government spokesperson said those killed in Merawi were armed fighters."
    )
    found = incidents(text, "2024-03-05")
    assert len(found) == 2, contracts(found)
    assert sorted(i.fatalities for i in found) == [3, 7]


def test_succumbed_to_injuries_counts_the_dead() -> None:
    text = (
        "GUSAU, Nigeria (Wire) - Two farmers succumbed to their injuries after bandits "
        "attacked the village of Kwatarkwashi in Zamfara state on Monday, police said."
    )
    found = incidents(text, "2024-02-06")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 2


def test_a_figures_box_of_internally_displaced_people_is_no_incident() -> None:
    text = (
        "SOMALIA: Humanitarian Update\n\n"
        "KEY FIGURES: 6.9 million people in need; 3.8 million internally displaced.\n\n"
        "On 6 May, a mortar shell hit a house in the Hodan district of Mogadishu, killing two "
        "children, partners reported."
    )
    found = incidents(text, "2024-05-20")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 2


@pytest.mark.parametrize(
    ("before", "definite"),
    [
        ("to investigate her ", True),  # "investigate her abduction": an event known
        ("condemned their ", True),
        ("condemned the ", True),
        ("gunmen killed two men and ", False),
    ],
)
def test_a_possessive_names_an_event_already_known(before: str, definite: bool) -> None:
    # "Dear Attorney General, I urge you ... to investigate his abduction": a reference to
    # the abduction the appeal told, like "the abduction"
    assert (words().definite.search(before) is not None) is definite
