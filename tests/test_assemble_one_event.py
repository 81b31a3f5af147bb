"""One event, one incident (issue 12, second round): words with no day, place or count of
their own, more of a live blog's story, a battle told by each side, one named person killed,
events named by their year, the day of "on the same day" after a paragraph break, and the
country of a report whose people come from elsewhere."""

from __future__ import annotations

from harmledger.pipeline.assemble.common import NAME as ASSEMBLE
from incident_kit import contracts, incidents


def test_words_with_no_day_place_or_count_are_no_event_of_their_own() -> None:
    text = (
        "QUITO (Wire) - Police fired tear gas at thousands of farmers marching on the "
        "presidential palace in Quito on Thursday, the ombudsman said.\n\n"
        "The farmers are demanding lower fuel prices and the release of their leaders.\n\n"
        "The government has called the marches an attack on democracy."
    )
    found = incidents(text, "2022-06-24")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Protests"


def test_a_report_of_one_thin_event_keeps_it() -> None:
    found = incidents("Gunmen attacked the village and burned its granaries.", "2022-06-24")
    assert len(found) == 1, contracts(found)


def test_a_live_blog_entry_with_no_day_or_place_continues_the_story() -> None:
    text = (
        "07:40 - A Russian missile hit an apartment block in the city of Dnipro this "
        "morning, killing at least 12 people, the regional governor says.\n\n"
        "08:15 - The governor says 31 people have been wounded, nine of them children.\n\n"
        "09:30 - Rescuers are still searching the rubble, the emergency service says."
    )
    found = incidents(text, "2023-01-14")
    assert len(found) == 1, contracts(found)
    (strike,) = found
    assert strike.fatalities == 12
    assert strike.counts["injured"].value.min == 31


def test_a_count_of_another_kind_of_harm_is_another_event() -> None:
    text = (
        "Unknown men beat a trade unionist outside his office in Kharkiv on Monday, police "
        "said.\n\n"
        "Prosecutors said the trial of the men who shot dead lawyer Petro Levchenko would "
        "open soon."
    )
    found = incidents(text, "2021-03-03")
    beating = [i for i in found if i.evidence[0].start == 0]
    assert beating and beating[0].fatalities == 0, contracts(found)


def test_a_battle_told_by_each_side_is_one_battle() -> None:
    text = (
        "MAIDUGURI, Nigeria (Wire) - Boko Haram fighters killed 7 soldiers in an attack on "
        "an army base in Damboa on Sunday, security sources said.\n\n"
        "The army said in a statement that its troops had repelled the Damboa attack and "
        '"neutralised" 15 terrorists.'
    )
    found = incidents(text, "2021-05-18")
    battles = [i for i in found if i.event_type == "Battles"]
    assert len(battles) == 1, contracts(found)


def test_one_named_person_killed_is_one_fatality() -> None:
    text = (
        "Gunmen on a motorcycle shot dead Amina Kabore, a local radio presenter, outside "
        "her home in Kaya on Saturday, her colleagues said."
    )
    (inc,) = incidents(text, "2022-03-07")
    assert inc.fatalities == 1
    assert inc.counts["killed"].value.min == 1


def test_a_named_armed_group_killed_is_no_person() -> None:
    text = "Soldiers killed Islamic State fighters near Tal Afar on Monday, the army said."
    for inc in incidents(text, "2021-02-10"):
        killed = inc.counts.get("killed")
        assert killed is None or killed.value.min != 1 or killed.stage != ASSEMBLE


def test_an_event_named_by_its_year_is_past_and_its_year_counts_no_one() -> None:
    text = (
        "KABUL (Wire) - A suicide bomber killed 14 people at a wedding hall in Kabul on "
        "Friday, officials said.\n\n"
        "The hall hosted a memorial for the 2011 killing of a tribal elder by the Taliban."
    )
    found = incidents(text, "2021-09-04")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 14
    assert all(i.fatalities != 2011 for i in found)


def test_on_the_same_day_after_a_paragraph_break() -> None:
    text = (
        "SANAA (Wire) - An air strike hit a fuel depot in the city of Saada on Friday, "
        "killing at least 11 workers, medics said.\n\n"
        "On the same day, a strike on a school in a village near the border killed four "
        "pupils, a local official said."
    )
    found = incidents(text, "2022-02-15")
    dates = {str(i.date.value.start) for i in found if i.date is not None}
    assert len(found) == 2, contracts(found)
    assert dates == {"2022-02-11"}, contracts(found)


def test_the_country_of_a_report_is_where_its_places_are() -> None:
    text = (
        "On June 3, 2022, gunmen shot dead a Rohingya schoolteacher in a refugee camp in "
        "Teknaf, Bangladesh, a camp official said. Police blamed the Arakan Rohingya "
        "Salvation Army."
    )
    (inc,) = incidents(text, "2022-06-06")
    assert inc.country == "Bangladesh"


def test_more_than_a_figure_is_that_figure_for_acled() -> None:
    (inc,) = incidents(
        "Soldiers killed more than 40 villagers in Kukawa on Sunday, residents said.", "2021-06-01"
    )
    assert inc.fatalities == 40  # ACLED codes the figure the report gives
    assert inc.counts["killed"].value.min == 41  # the count keeps that it was above it


def test_arrests_at_a_march_are_a_protest_with_intervention() -> None:
    (inc,) = incidents(
        "In Mombasa, police arrested 23 people at a separate march on Tuesday, police said.",
        "2023-03-09",
    )
    assert (inc.event_type, inc.sub_event_type) == ("Protests", "Protest with intervention")


def test_a_strike_on_a_building_is_an_air_strike_and_a_labour_strike_is_not() -> None:
    (inc,) = incidents(
        "A strike on a water station in Marib on Friday killed two workers, medics said.",
        "2022-02-15",
    )
    assert inc.event_type == "Explosions/Remote violence"
    for other in incidents(
        "Nurses went on strike on the first day of the month in Mombasa on Monday.", "2022-02-15"
    ):
        assert other.event_type != "Explosions/Remote violence"


def test_forces_counted_by_their_own_nouns_make_a_battle() -> None:
    (inc,) = incidents(
        "On 2 March 2021, 1 commando was killed by a Taliban sniper in Murghab district, Badghis.",
        "2021-03-04",
    )
    assert inc.fatalities == 1
    assert inc.event_type == "Battles"


def test_a_second_witness_retells_the_event_and_does_not_tell_another() -> None:
    text = (
        "Soldiers shot dead at least 9 men in the village of Diallassagou, in central Mali, "
        "on 3 March 2023, survivors told reporters.\n\n"
        '"They lined them up behind the school," a farmer said.\n\n'
        "A second witness, a teacher, said he counted 9 bodies behind the school.\n\n"
        "The army denied killing civilians."
    )
    found = incidents(text, "2023-03-10")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 9


def test_bodies_recovered_the_morning_after_are_the_toll_of_the_attack() -> None:
    text = (
        "At least seven civilians were killed last night in an attack by militiamen on a "
        "camp for displaced people in Djugu territory, in Ituri, local officials said.\n\n"
        "Seven bodies were recovered this morning, including two children, the officials said."
    )
    found = incidents(text, "2022-11-16")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 7
    assert str(found[0].date.value.start) == "2022-11-15"


def test_a_second_attack_is_still_another_event() -> None:
    text = (
        "Gunmen killed four farmers in the village of Kwall, in Plateau state, on Monday, "
        "police said.\n\n"
        "In a second attack the next day, gunmen killed three people in Mangu, police said."
    )
    assert len(incidents(text, "2023-05-17")) == 2


def test_an_earlier_balance_of_the_toll_is_the_same_event_not_another() -> None:
    text = (
        "NIAMEY (Wire) - Nine soldiers have been killed in an ambush by jihadists on Monday "
        "near Tera, in the Tillaberi region, the army indicated on Tuesday.\n\n"
        "In an earlier balance, the army had given a toll of six soldiers killed."
    )
    found = incidents(text, "2023-10-03")
    assert len(found) == 1, contracts(found)
    assert found[0].counts["killed"].value.max == 9


def test_a_gun_duel_in_which_police_neutralised_kidnappers_is_a_battle_with_a_toll() -> None:
    (inc,) = incidents(
        "On Friday, the Command's tactical team engaged kidnappers in a gun duel at Rijana "
        "forest in Kachia LGA, neutralising three of them, the police said.",
        "2023-07-09",
    )
    assert inc.event_type == "Battles"
    assert inc.fatalities == 3


def test_the_vehicle_of_gunmen_is_not_a_count_of_the_dead() -> None:
    (inc,) = incidents(
        "Gunmen on a motorcycle shot dead a candidate for the municipal council in Dera "
        "Ismail Khan on Sunday, police said.",
        "2024-01-22",
    )
    assert inc.event_type == "Violence against civilians"
    assert inc.fatalities == 1
    assert "motorcycle" not in inc.counts["killed"].text


def test_a_crowd_that_beats_suspects_police_had_held_is_mob_violence() -> None:
    (inc,) = incidents(
        "CAP-HAITIEN (Wire) - A crowd in the Petite Anse district of Cap-Haitien on Friday "
        "beat and burned to death six suspected kidnappers whom police had stopped at a "
        "checkpoint, police said.",
        "2023-05-13",
    )
    assert (inc.event_type, inc.sub_event_type) == ("Riots", "Mob violence")
    assert inc.fatalities == 6
