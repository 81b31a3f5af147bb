"""One event, one incident: what a report tells that a coder does not record (running and
cumulative tolls, corrections, later tolls of an event told, threats and plans, trials of
past events, background events), and crowds of civilians who do violence themselves."""

from __future__ import annotations

import pytest

import harmledger
from incident_kit import incidents


@pytest.mark.parametrize(
    "background",
    [
        "The insurgency in the northeast has killed more than 35,000 people since 2009.",
        "At least 19 reporters have been killed in the country so far this year, the group says.",
        "Since the coup, security forces have killed more than 2,000 civilians, a monitor says.",
        "The United Nations has counted 90,000 civilian casualties over the past decade.",
        "Bandits killed more than 400 villagers in the state last year, officials say.",
        # the day the toll was given is not the day of an event
        "The UN said last week that at least 150 people had been killed in the region "
        "since January.",
        "More than 500 people were killed in bandit attacks in the first three months of "
        "the year, the United Nations says.",
        # a campaign going on, a place ranked by its harm: no toll needed
        "Fighting between the army and jihadist groups has raged in the region since early March.",
        "The region has recorded more killings than any other in the country for three years "
        "running.",
        # the history behind the news
        "Five years after gunmen abducted 110 schoolgirls from their dormitory in the town, "
        "one of them is still held.",
        # a wire story's correction
        "(Corrects from 12 traders killed in the previous version of this story.)",
        # arrests over the event told, a string of attacks
        "Police said 20 people had been arrested over the violence.",
        "At least 90 people were killed in a string of attacks on villages in the region "
        "over Easter.",
    ],
)
def test_cumulative_tolls_are_no_incident(background: str) -> None:
    text = (
        "Gunmen shot dead four traders at a cattle market near Gao on Tuesday, a local "
        f"official said.\n\n{background}"
    )
    found = incidents(text, "2022-05-04")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 4


def test_a_retracted_figure_is_not_recorded() -> None:
    text = (
        "Police fired tear gas at students marching on the parliament in Lima on Monday and "
        "eleven people were hurt, the ombudsman said.\n\n"
        "An earlier report that six students had been killed in the march was wrong, the "
        "ombudsman's office said on Tuesday."
    )
    found = incidents(text, "2023-02-07")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 0


def test_a_later_toll_widens_the_event_it_updates() -> None:
    text = (
        "08:55 - A missile struck a bus station in the city of Dnipro this morning, killing "
        "at least nine people, the regional governor said.\n\n"
        "10:20 - Talks between the two delegations are due to resume in Istanbul next week.\n\n"
        "11:40 - The death toll from the bus station strike has risen to 14, the governor says."
    )
    found = incidents(text, "2023-04-03")
    strikes = [i for i in found if i.event_type == "Explosions/Remote violence"]
    assert len(strikes) == 1, [i.to_contract() for i in found]
    killed = strikes[0].counts["killed"].value
    assert (killed.min, killed.max) == (9, 14)
    assert strikes[0].fatalities == 9  # ACLED's conservative figure
    told = " ".join(text[s.start : s.end] for s in strikes[0].evidence)
    assert "risen to 14" in told


def test_later_tolls_of_a_live_blog_widen_the_event_they_update() -> None:
    text = (
        "14:05 - A Russian missile has hit a five-storey apartment block in Kryvyi Rih, the "
        "regional governor says. At least four people were killed and dozens wounded.\n\n"
        "15:10 - The governor says nine people are now confirmed dead, among them a boy of "
        "ten.\n\n"
        "16:30 - In Kherson, shelling damaged a school this morning. No one was hurt.\n\n"
        "18:20 - The regional medical service now says at least 11 people were killed in "
        "Kryvyi Rih. Another 54 people were wounded."
    )
    found = incidents(text, "2023-06-13")
    strikes = [i for i in found if "Kryvyi" in " ".join(i.evidence_text)]
    assert len(strikes) == 1, [i.to_contract() for i in found]
    killed = strikes[0].counts["killed"].value
    assert (killed.min, killed.max) == (4, 11)
    told = " ".join(strikes[0].evidence_text)
    assert "Another 54" in told and "now confirmed dead" in told


def test_live_blog_tolls_go_to_the_place_they_name_and_a_country_sum_to_none() -> None:
    text = (
        "10:05 - Russian missiles hit Odesa this morning, the regional governor says.\n\n"
        "11:40 - At least six people have been killed in Odesa, the governor says.\n\n"
        "12:30 - In Mykolaiv, a missile hit a warehouse, killing two people, officials say.\n\n"
        "15:20 - The toll in Odesa has risen to 11, officials say.\n\n"
        "17:45 - Across Ukraine, at least 15 people were killed in today's attacks on Odesa, "
        "Mykolaiv, Kharkiv and Sumy, the interior minister says."
    )
    found = incidents(text, "2024-05-06")
    assert len(found) == 2, [i.to_contract() for i in found]
    by_place = {i.location.value.name: i for i in found if i.location is not None}
    odesa = next(i for name, i in by_place.items() if name.startswith("Odes"))
    killed = odesa.counts["killed"].value
    assert (killed.min, killed.max) == (6, 11)
    mykolaiv = next(i for name, i in by_place.items() if name.startswith("Mykola"))
    assert mykolaiv.fatalities == 2


def test_the_attackers_killed_are_more_of_the_attack_not_a_fight_of_its_own() -> None:
    text = (
        "Militants attacked a hotel in the town of Jowhar on Tuesday, first ramming a car "
        "bomb into the gate and then storming the building, killing at least seven people, "
        "police said.\n\n"
        "Security forces killed three attackers and ended the siege after four hours, a "
        "police officer said."
    )
    found = incidents(text, "2023-10-11")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 7


def test_a_question_and_its_answer_tell_one_event() -> None:
    text = (
        "What happened? Gunmen opened fire on worshippers at a church in Owo, in Ondo state, "
        "on Sunday morning.\n\n"
        "How many died? The state government said on Tuesday that 41 people had been killed, "
        "up from 22 on Sunday."
    )
    found = incidents(text, "2022-06-08")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 41


def test_the_start_of_a_movement_under_way_is_background() -> None:
    text = (
        "Police shot dead two protesters at a roadblock in Kisumu on Tuesday, a hospital "
        "official said.\n\nThe protests began three weeks ago."
    )
    found = incidents(text, "2023-07-13")
    assert len(found) == 1, [i.to_contract() for i in found]


@pytest.mark.parametrize(
    "sentence",
    [
        "The army warned that an offensive against the rebels' strongholds would begin soon.",
        "The trial of nine soldiers accused of taking part in the massacre opened on Monday.",
        "A court last month convicted two men of the 2016 murder of a radio presenter.",
        "A military court in Mopti on Friday sentenced seven soldiers to life in prison for "
        "the massacre of 14 herders at a camp in March 2021.",
        "Talks between the two sides in Algiers were suspended last week after each accused "
        "the other of breaking a ceasefire.",
        "A court in Mopti on Wednesday charged two soldiers with the murder of a trader who "
        "was shot dead at a checkpoint near the town in May last year.",
    ],
)
def test_threats_plans_and_trials_are_no_incident(sentence: str) -> None:
    text = (
        "Suspected militants killed three soldiers at a checkpoint near Mopti on Sunday, a "
        f"security source said.\n\n{sentence}"
    )
    found = incidents(text, "2023-03-07")
    assert len(found) == 1, [i.to_contract() for i in found]


def test_an_event_months_before_the_news_is_background() -> None:
    text = (
        "A roadside bomb killed two policemen in Bannu on Saturday, police said.\n\n"
        "A similar bomb killed six soldiers on the same road in June last year."
    )
    found = incidents(text, "2023-10-09")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 2


def test_an_event_dated_only_to_last_month_is_background() -> None:
    text = (
        "Two suicide bombers struck near the central police station in Kampala on Tuesday, "
        "killing three people, police said.\n\n"
        "Last month, a bomb exploded at a restaurant in the city, killing a waitress."
    )
    found = incidents(text, "2021-11-17")
    assert len(found) == 1, [i.to_contract() for i in found]
    assert found[0].fatalities == 3


def test_a_denial_about_the_attack_refers_back() -> None:
    text = (
        "Gunmen killed 11 worshippers at a mosque in Jalalabad on Friday, officials said.\n\n"
        "The Taliban denied any involvement in Friday's attack."
    )
    assert len(incidents(text, "2021-05-16")) == 1


def test_confidence_stays_within_zero_and_one() -> None:
    text = (
        "Protesters have been killed since late April, a monitor said. "
        "Hundreds of civilians have been wounded since the war began, it added. "
        "A bomb killed a boy in Tikrit in 2015, officials said. "
        "A car bomb killed five people in Tikrit on Tuesday."
    )
    for i in harmledger.extract(text, published="2019-10-10"):
        assert 0.0 <= i.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type", "actor1"),
    [
        (
            "On 3 May 2022, villagers beat a suspected cattle thief to death in Parakou.",
            "Riots",
            "Mob violence",
            "Rioters (Benin)",
        ),
        (
            "On 3 May 2022, supporters of two rival candidates clashed with sticks in Kandi, "
            "Benin. Six people were wounded.",
            "Riots",
            "Mob violence",
            "Rioters (Benin)",
        ),
        (
            "On 3 May 2022, a group of farmers attacked a pastoralist camp near Parakou, Benin, "
            "and killed two herders.",
            "Violence against civilians",
            "Attack",
            "Unidentified Communal Militia (Benin)",
        ),
    ],
)
def test_civilians_who_do_violence(text, event_type, sub_event_type, actor1) -> None:
    found = incidents(text, "2022-05-05")
    assert found
    c = found[0].to_contract()
    assert (c["event_type"], c["sub_event_type"]) == (event_type, sub_event_type)
    assert c["actor1"]["name"] == actor1


def test_victims_types_counts_and_protected_names() -> None:
    text = (
        "Gunmen shot dead radio reporter Amina Yusufu and wounded two nurses outside a clinic "
        "in Maiduguri on Sunday, police said."
    )
    (inc,) = incidents(text, "2023-03-07")
    v = inc.to_contract()["victims"]
    assert v["category"] == "Civilians"
    assert set(v["types"]) >= {"journalist", "health worker"}
    assert [(n["text"], n["protected"]) for n in v["names"]] == [("Amina Yusufu", True)]
    assert text[v["names"][0]["start"] : v["names"][0]["end"]] == "Amina Yusufu"


def test_victims_children_from_the_counts() -> None:
    text = "Militants killed nine men and three children in a village near Beni on Friday."
    (inc,) = incidents(text, "2021-09-20")
    assert inc.to_contract()["victims"]["children"] == 3


@pytest.mark.parametrize(
    ("note", "fatalities"),
    [
        (
            "On 9 May 2020, militants attacked a checkpoint in Shindand district, Herat, "
            "killing 3 soldiers. Fatalities coded as 0 (the militants' website reported 3).",
            0,
        ),
        (
            "On 9 May 2020, 6 policemen were killed in attacks on checkpoints in two districts "
            "of Zabul. Fatalities are split across 2 events (3).",
            3,
        ),
    ],
)
def test_a_coders_own_figure_sets_fatalities(note: str, fatalities: int) -> None:
    (inc,) = incidents(note, "2020-05-11")
    assert inc.fatalities == fatalities


def test_a_counted_crowd_that_kills_is_not_the_toll() -> None:
    text = "On 12 October 2020, a number of locals beat and killed a presumed thief in Parakou."
    (inc,) = incidents(text, "2020-10-14")
    killed = inc.counts.get("killed")
    assert killed is None or killed.text != "a number of locals"
    assert inc.fatalities != 3  # ACLED's figure for "a number of"
    assert inc.to_contract()["event_type"] == "Riots"


def test_the_same_day_takes_the_date_of_the_event_before() -> None:
    text = (
        "Soldiers killed four rebels near Kumbo on Tuesday, the army said.\n\n"
        "On the same day, separatists shot dead two teachers at a school in Bamenda."
    )
    found = incidents(text, "2022-12-01")
    days = [(str(i.date.value.start), i.date.value.precision) for i in found if i.date]
    assert days == [("2022-11-29", 1)] * 2, [i.to_contract() for i in found]


def test_security_forces_shooting_protesters_is_excessive_force() -> None:
    text = "Security forces shot dead three protesters in Kisumu on Monday, a medic said."
    (inc,) = incidents(text, "2023-03-07")
    assert (inc.event_type, inc.sub_event_type) == (
        "Protests",
        "Excessive force against protesters",
    )


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        (
            "On 4 May 2021, a local resistance group ambushed an army convoy with a landmine "
            "near Gangaw, Myanmar. Two trucks were damaged.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        (
            "On 4 May 2020, a policeman was killed when his car hit a Taliban-planted mine in "
            "Lashkar Gah, Afghanistan.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        (
            "On 4 May 2021, the army fired several 120mm rounds at a village near Loikaw, "
            "Myanmar. One house was destroyed.",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
    ],
)
def test_remote_weapons_as_the_means(text, event_type, sub_event_type) -> None:
    (inc, *_) = incidents(text, "2021-05-06")
    assert (inc.event_type, inc.sub_event_type) == (event_type, sub_event_type)


def test_a_crowd_counted_by_a_collective_word_is_the_doer() -> None:
    text = (
        "On 9 May 2021, a number of residents in Nikki (Borgou) severely wounded two suspected "
        "motorbike thieves."
    )
    (inc,) = incidents(text, "2021-05-11")
    c = inc.to_contract()
    assert c["event_type"] == "Riots"
    assert c["actor1"]["name"].startswith("Rioters")
    assert not any(v["text"].startswith("a number of") for v in c["counts"].values())


def test_who_condemns_a_killing_is_not_its_doer() -> None:
    text = (
        "The Committee to Protect Journalists condemns the killing of radio reporter Pedro "
        "Salas, who was found shot dead in Culiacan on Friday."
    )
    found = incidents(text, "2022-12-12")
    assert found and all(i.event_type != "Riots" for i in found)


def test_trials_of_quoted_rioters_are_no_incident() -> None:
    text = (
        "Security forces shot dead three protesters in Zahedan on Monday, a rights group "
        'said.\n\nThe judiciary said courts would soon hold public trials of "rioters".'
    )
    assert len(incidents(text, "2022-11-24")) == 1


def test_an_anniversary_of_a_past_killing_is_no_incident() -> None:
    # a wire story: the attack, the ceremony's occasion (a killing decades ago) and a denial
    text = (
        "MAZAR-I-SHARIF (Wire) - Gunmen opened fire on a memorial gathering in Mazar-i-Sharif "
        "on Thursday, killing 12 people and wounding 30, provincial officials said.\n\n"
        "The gathering marked the anniversary of the 1998 death of a local commander, who was "
        "killed by the Taliban.\n\n"
        "The Taliban denied any involvement in Thursday's attack."
    )
    found = incidents(text, "2021-08-13")
    assert [i.fatalities for i in found] == [12], [i.to_contract() for i in found]
