"""A report's main incident is in the country the report is about, not where a statement
was made, a rally in solidarity was held or a victim's family lives."""

from __future__ import annotations

import harmledger


def ranked(text: str, published: str) -> list:
    return sorted(harmledger.extract(text, published=published), key=lambda i: -i.confidence)


HAITI = (
    "Haitian rights lawyer abducted as gangs tighten grip on capital\n\n"
    "Gunmen abducted a human rights lawyer in Haiti this week, his colleagues said. "
    "The lawyer had documented killings by gangs in Haiti for the National Human Rights "
    "Defense Network.\n\n"
    "In Boston, police arrested 12 protesters on Tuesday outside the federal building at a "
    "rally demanding that Washington stop deporting migrants to Haiti.\n\n"
    "Haiti's police chief said officers were searching for the lawyer. "
    "Gangs in Haiti have kidnapped hundreds of people this year."
)


def test_the_main_incident_is_in_the_country_the_report_is_about() -> None:
    found = ranked(HAITI, "2021-10-21")
    assert found, "no incident"
    countries = [i.to_contract()["location"]["country"] for i in found]
    assert "United States" in countries  # the rally abroad is still an incident
    assert countries[0] == "Haiti", [i.to_contract() for i in found]


def test_an_event_placed_only_by_its_country_is_in_the_country_its_words_name() -> None:
    text = (
        "Britain will share evidence with U.S. prosecutors\n\n"
        "Britain said on Monday it would share evidence with prosecutors in Virginia, "
        "London's Home Office said.\n\n"
        "The two British men were members of an Islamic State cell that beheaded "
        "aid workers and journalists held hostage in Syria, the indictment says."
    )
    found = harmledger.extract(text, published="2020-08-20")
    beheading = [i for i in found if "beheaded" in " ".join(i.evidence_text)]
    assert beheading, [i.to_contract() for i in found]
    assert beheading[0].to_contract()["location"]["country"] == "Syria"


def test_a_report_naming_two_countries_alike_demotes_neither() -> None:
    # one place in Syria, one in Iraq, and more Iraqi actors: no country is the one the
    # report is about, so the deadlier bombing is not ranked down as "abroad"
    text = (
        "QAMISHLI (Wire) - A car bomb exploded in a crowded street in the city of Qamishli "
        "on Tuesday evening, killing at least seven civilians and injuring dozens, Kurdish "
        "security officials said.\n\n"
        "Separately, a roadside bomb wounded two Iraqi policemen in Mosul on Tuesday, Iraqi "
        "police said."
    )
    found = ranked(text, "2017-06-13")
    assert [i.to_contract()["location"]["name"] for i in found] == ["Al Qamishli", "Mosul"]
    assert found[0].confidence > found[1].confidence


def test_where_detainees_tried_to_flee_to_is_not_where_they_were_held() -> None:
    # the arrest's words name no place finer than a country, and that country only as
    # where the activists were going: the report's country, not Taiwan
    text = (
        "Lawyer loses licence for defending activists\n\n"
        "Authorities in Shenzhen have revoked the licence of a human rights lawyer, "
        "China's justice bureau said on Monday.\n\n"
        "The lawyer had defended one of 12 activists who were arrested by the coast guard "
        "on 23 August as they attempted to flee to Taiwan by speedboat."
    )
    found = harmledger.extract(text, published="2021-01-20")
    held = [i for i in found if "flee to Taiwan" in " ".join(i.evidence_text)]
    assert held, [i.to_contract() for i in found]
    assert held[0].to_contract()["location"]["country"] == "China"
