"""Assembly: the violations a report tells of its victims, not of the people police
arrest for a crime, of deaths from illness, or of a group's past record; and the one
person killed that a statement names."""

from __future__ import annotations

import harmledger


def violations(text: str, published: str) -> set[str]:
    return {v for i in harmledger.extract(text, published=published) for v in i.violations}


def test_arresting_suspects_of_a_kidnapping_is_no_arbitrary_detention() -> None:
    text = (
        "Police in Jos said on Thursday they had rescued two traders abducted by gunmen on "
        "the Bokkos road on Monday.\n\n"
        "Officers of the anti-kidnapping unit arrested four kidnap suspects at a hideout in "
        "Mangu on Wednesday night, the police spokesman said.\n\n"
        "A fifth man, wanted for the murder of a farmer in Riyom last year, was also arrested."
    )
    found = violations(text, "2022-05-06")
    assert "abduction" in found
    assert "arbitrary detention" not in found


def test_an_activist_held_for_her_words_is_still_arbitrarily_detained() -> None:
    text = (
        "Security agents arrested the human rights defender Amina Yusuf in Kano on Monday "
        "after she posted a video criticising the state governor, her lawyer said.\n\n"
        "She was arrested for inciting disaffection and is being held without charge."
    )
    assert "arbitrary detention" in violations(text, "2022-05-06")


def test_an_ngo_statement_tells_only_its_victims_violations() -> None:
    # an NGO statement on an activist's detention, with background on the country: deaths
    # from illness and a group's record of kidnappings are no violation told here
    text = (
        "GENEVA - The authorities must release the blogger Tran Van Minh, who was detained "
        "by police in Hanoi on 3 May and has been held incommunicado since, the rights group "
        "said in a statement.\n\n"
        "His father, the writer Tran Van Duc, died of liver cancer in prison in 2017.\n\n"
        "Last week the number of new infections in the city rose and the death toll from "
        "the virus reached 40.\n\n"
        "The ruling party's militia is blamed for many assaults and kidnappings of "
        "critics, the group said."
    )
    found = violations(text, "2022-05-10")
    assert "arbitrary detention" in found
    assert "killing" not in found
    assert "abduction" not in found


def test_a_journalist_named_before_the_killing_is_one_person_killed() -> None:
    text = (
        "The press freedom group condemns the killing of reporter Luis Ortega Vela, who was "
        "found shot dead on May 3 in Tijuana, Baja California, and calls on the authorities "
        "to find those responsible."
    )
    found = harmledger.extract(text, published="2022-05-05")
    assert [i.fatalities for i in found] == [1]
    assert found[0].event_type == "Violence against civilians"


def test_a_body_named_against_torture_tells_no_torture() -> None:
    text = (
        "The UN Special Rapporteur on Torture and the Committee Against Torture called on "
        "Bahrain on Monday to release the activist Ali Hassan, who was arrested in Manama on "
        "2 May after he criticised the government online."
    )
    found = violations(text, "2022-05-10")
    assert "torture" not in found
    assert "arbitrary detention" in found


def test_a_suspect_held_for_the_strike_is_no_incident_of_its_own() -> None:
    # a wire story with its event, the arrest of a suspect in it and a denial
    text = (
        "ODESA, Ukraine (Wire) - A missile struck a shopping centre in Odesa on Monday "
        "evening, killing at least six people and wounding 20, regional officials said.\n\n"
        "The security service said on Tuesday it had detained a man suspected of guiding the "
        "strike. Moscow denied targeting civilians."
    )
    found = harmledger.extract(text, published="2022-05-10")
    assert [(i.event_type, i.fatalities) for i in found] == [("Explosions/Remote violence", 6)]
    assert list(found[0].violations).count("attack on civilians") <= 1


def test_what_a_man_is_accused_of_is_a_charge_not_an_event() -> None:
    text = (
        "A man who made threatening calls to the lawyers of a builder accused of kidnapping "
        "and murdering his wife was charged on Tuesday in Hartford, police said."
    )
    found = violations(text, "2020-02-06")
    assert not found & {"abduction", "killing"}


def test_a_chief_held_for_an_alleged_kidnap_is_no_arbitrary_detention() -> None:
    text = (
        "Police detain chief over alleged kidnap, murder in Benin\n\n"
        "A traditional chief in Warri has been detained by the police for alleged kidnap "
        "and murder, the state police command confirmed on Sunday.\n\n"
        "The chief was taken to the command headquarters in Benin City for questioning."
    )
    assert "arbitrary detention" not in violations(text, "2021-03-08")


def test_a_man_held_on_suspicion_of_a_hijacking_is_no_arbitrary_detention() -> None:
    text = (
        "Police arrest man over 1985 hijacking\n\n"
        "Police on the island of Mykonos arrested a 65-year-old man on Thursday on "
        "suspicion of involvement in the 1985 hijacking of a passenger plane, a police "
        "statement said."
    )
    assert "arbitrary detention" not in violations(text, "2019-09-21")


def test_covid_deaths_in_a_round_up_of_strikes_are_no_killing() -> None:
    text = (
        "Workers' struggles this week\n\n"
        "Nurses at two hospitals in Port Elizabeth walked out on Monday over unpaid "
        "overtime, their union said. South Africa has 1,482,412 cases of COVID-19 with "
        "44,145 deaths.\n\n"
        "Police arrested 13 striking workers at a textile factory in Suez on Tuesday."
    )
    found = violations(text, "2021-02-12")
    assert "killing" not in found
    assert "arbitrary detention" in found


def test_torture_told_with_no_day_place_or_count_is_still_recorded() -> None:
    # a violation of someone's rights is what a monitor records, though the words give no
    # number, date, place or doer to check (a toll's words alone would not be)
    text = (
        "Blogger says he was tortured\n\n"
        "The blogger told reporters that he had been tortured during his detention and "
        "denied access to a lawyer."
    )
    assert "torture" in violations(text, "2021-01-20")
