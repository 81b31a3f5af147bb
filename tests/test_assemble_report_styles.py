"""One event, one incident in report styles the labelled sets lacked: a governor's day
summary and its later update, a corrected wire story, a court story that retells a past
massacre, a casualty recorder's monthly report, a radio bulletin's "fled towards", a flash
update's highlights and its aid figures, an army communiqué's "neutralised"."""

from __future__ import annotations

from incident_kit import contracts, incidents


def test_a_later_number_of_dead_joins_the_event_at_its_place() -> None:
    text = (
        "Kherson region: summary of the day.\n\n"
        "- Kherson. At 08:20 an artillery shell hit a bus stop in the Dniprovskyi district. "
        "One man was killed and five people were injured.\n\n"
        "Update, 19:40. The number of dead in Kherson has risen to three: two of the injured "
        "died in hospital."
    )
    found = incidents(text, "2024-02-11")
    assert len(found) == 1, contracts(found)
    assert found[0].counts["killed"].value.max == 3


def test_an_earlier_toll_said_of_the_blast_tells_it_again() -> None:
    text = (
        "QUETTA, Pakistan (Wire) - A roadside bomb struck a paramilitary vehicle near Turbat "
        "on Tuesday, killing four soldiers, the military said.\n\n"
        "Police had earlier said six soldiers and a driver died in the blast.\n\n"
        "No group immediately claimed the attack."
    )
    found = incidents(text, "2024-02-14")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 4


def test_a_sentence_over_a_past_massacre_is_no_incident() -> None:
    text = (
        "GOMA, Democratic Republic of Congo (Wire) - A military court in Goma on Wednesday "
        "sentenced a former rebel commander to life in prison for crimes against humanity over "
        "the massacre of 22 villagers in North Kivu province two years ago.\n\n"
        "Separately, gunmen shot dead two farmers near Beni on Tuesday, the army said."
    )
    found = incidents(text, "2024-07-04")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 2


def test_a_monthly_report_and_its_breakdown_are_no_incident() -> None:
    text = (
        "The monitoring group today published its monthly report, which documents the "
        "killing of 48 civilians in Syria in February 2024, including 11 children. Of these, "
        "12 were killed by government forces and 9 by Russian forces.\n\n"
        "Most notable incidents:\n\n"
        "On Friday, 9 February 2024, government artillery shelled the town of Atarib in the "
        "western suburbs of Aleppo governorate, killing three civilians."
    )
    found = incidents(text, "2024-03-01")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 3


def test_where_people_fled_to_is_not_where_the_attack_was() -> None:
    text = (
        "BUNIA (Radio) - Militiamen killed six displaced people in an attack on a camp near "
        "Fataki on Sunday night, local sources told our correspondent.\n\n"
        "The attack has caused panic, and many families have fled towards Bunia."
    )
    found = incidents(text, "2024-06-03")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 6


def test_a_bullet_that_names_its_place_first_is_an_event_there() -> None:
    text = (
        "Dnipropetrovsk region: summary for the day.\n\n"
        "- Nikopol. At 09:30 an attack drone hit a car. A man was injured.\n"
        "- Marhanets hromada. Enemy shelling damaged two houses and a power line. No "
        "casualties."
    )
    found = incidents(text, "2024-08-12")
    places = sorted(i.location.value.name for i in found if i.location is not None)
    assert len(found) == 2, contracts(found)
    assert any("Marhanets" in p or "Marganets" in p for p in places), places


def test_highlights_and_aid_figures_are_no_incident() -> None:
    text = (
        "HIGHLIGHTS\n\n"
        "- Attacks by armed groups have spread from the capital to the Artibonite department.\n"
        "- Partners distributed hot meals to 3,100 displaced people in nine sites.\n\n"
        "SITUATION OVERVIEW\n\n"
        "On 3 June, armed men attacked the town of Saint-Marc, killing four residents and "
        "burning a dozen houses."
    )
    found = incidents(text, "2024-06-07")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 4


def test_neutralised_about_ten_counts_the_dead() -> None:
    text = (
        "In the Mopti region, the armed forces announce having neutralised about fifteen "
        "assailants during an offensive reconnaissance mission near Djenne on Friday. "
        "Weapons and motorbikes were recovered."
    )
    found = incidents(text, "2024-04-15")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Battles"
    assert found[0].fatalities == 15


def test_a_past_killing_told_as_the_court_heard_it_is_no_incident() -> None:
    text = (
        "KAMPALA (Wire) - The High Court in Gulu on Thursday convicted a former militia "
        "commander of war crimes and sentenced him to 30 years in prison.\n\n"
        "Prosecutors said fighters under his command attacked the village of Lukodi on the "
        "night of 19 May 2021, shot dead 11 people and burned dozens of huts. Survivors "
        "testified over four months.\n\n"
        "Defence lawyers said they would appeal."
    )
    assert incidents(text, "2024-06-14") == []


def test_flight_after_the_attack_is_its_aftermath() -> None:
    text = (
        "BUNIA (Radio) - Militiamen killed six displaced people in an attack on a camp near "
        "Fataki on Sunday night, local sources told our correspondent.\n\n"
        "CORRESPONDENT: The bodies were buried this morning in the presence of the "
        "authorities. The attack has caused panic, and many families have fled towards "
        "Bunia."
    )
    found = incidents(text, "2024-06-03")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 6


def test_found_without_life_is_a_killing() -> None:
    text = (
        "POPAYAN, Colombia (Wire) - The Ombudsman's Office reported that the social leader "
        "Ana Lucia Pito was found without life on Sunday in a rural zone of Toribio, with "
        "impacts of firearm."
    )
    found = incidents(text, "2024-05-21")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Violence against civilians"
    assert found[0].fatalities == 1


def test_a_briefing_section_heading_gives_its_events_country() -> None:
    text = (
        "GENEVA (12 April 2024) - Spokesperson for the UN High Commissioner for Human "
        "Rights. We have two countries to brief you on today.\n\n"
        "1) Chad\n\n"
        "We are alarmed by the killing of at least nine herders in a village in the south "
        "of the country on 7 April, by armed men on horseback.\n\n"
        "2) Sudan\n\n"
        "In Sudan, we are concerned by the shelling of Omdurman on 9 April, which killed "
        "14 civilians. Fighting in El Fasher, North Darfur, has displaced thousands."
    )
    found = incidents(text, "2024-04-12")
    herders = [i for i in found if i.fatalities == 9]
    assert len(herders) == 1, contracts(found)
    assert herders[0].to_contract()["location"]["country"] == "Chad"


def test_exchanges_of_fire_are_a_battle_and_a_quarter_toll_no_incident() -> None:
    text = (
        "PORT-AU-PRINCE, 3 April 2024 (Wire) - In the capital, the forces of order conducted "
        "on Wednesday an operation in the zone of Bel Air, where exchanges of fire with "
        "members of a gang left four dead among the bandits, according to the police.\n\n"
        "According to the United Nations, more than 1,500 people were killed in Haiti during "
        "the first three months of the year."
    )
    found = incidents(text, "2024-04-03")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Battles"
    assert found[0].fatalities == 4
