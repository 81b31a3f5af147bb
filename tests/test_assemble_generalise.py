"""One event, one incident (issue 12, third round): what reports in styles the labelled set
lacked told as incidents of their own: sums over a week or a month at a region, a live
blog's recap, a claim placed in the event's province, a story's correction note, the dates
of an NGO's list of incidents, "rangers" counted and people "neutralised" killed, a day
"after the bombing", harm done "in the bombing", and peace talks."""

from __future__ import annotations

import pytest

from incident_kit import contracts, incidents


@pytest.mark.parametrize(
    "summary",
    [
        # a week's sum at a province
        "Between 8 and 14 May, soldiers and armed groups killed 23 civilians in Ituri "
        "province, according to the Office.",
        # a month's sum of incidents at a country
        "In May 2023, our partners recorded eleven incidents affecting aid workers in the "
        "Democratic Republic of the Congo, in which five staff members were killed.",
    ],
)
def test_a_sum_over_a_week_or_a_month_at_a_region_is_no_incident(summary: str) -> None:
    text = (
        f"KEY DEVELOPMENTS\n\n{summary}\n\n"
        "On 11 May, CODECO militiamen attacked the village of Lopa, in Djugu territory, "
        "killing seven civilians, among them two children."
    )
    found = incidents(text, "2023-05-17")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 7
    assert found[0].date is not None and str(found[0].date.value.start) == "2023-05-11"


def test_a_live_blog_recap_of_events_told_is_no_event_of_its_own() -> None:
    text = (
        "08:40 GMT - At least nine people were killed when shells hit a market in Omdurman "
        "this morning, a medical source says.\n\n"
        "11:15 GMT - A drone struck a power station in Atbara this afternoon, witnesses say. "
        "No casualties were reported.\n\n"
        "19:00 GMT - A recap of today: shelling killed nine people at the Omdurman market and "
        "a drone hit a power station in Atbara. We are closing this page."
    )
    found = incidents(text, "2024-02-12")
    assert len(found) == 2, contracts(found)
    assert sorted(i.fatalities for i in found) == [0, 9]


def test_a_claim_placed_in_the_events_province_is_the_event_told_again() -> None:
    text = (
        "- On 6 March, gunmen stopped a minibus near Gwoza and shot dead eight passengers, "
        "police said.\n"
        "- In Borno, a jihadist faction later claimed the killings."
    )
    found = incidents(text, "2023-03-10")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 8


def test_a_correction_note_records_no_figure() -> None:
    text = (
        "MOSUL, Iraq (Wire) - A roadside bomb killed three shepherds near Badush on Sunday, "
        "police said.\n\n"
        "Correction: an earlier version of this story said seven people were killed in "
        "Badush, citing a local official. Police put the toll at three."
    )
    found = incidents(text, "2023-10-02")
    assert len(found) == 1, contracts(found)
    assert found[0].fatalities == 3


def test_a_date_opening_a_line_of_an_incident_list_dates_its_event() -> None:
    text = (
        "VERIFIED INCIDENTS\n\n"
        "14 Feb 2023 - Mali - Ansongo, Gao region: an ambulance struck a landmine on the road "
        "to Gao. The driver was killed.\n\n"
        "21 Feb 2023 - Niger - Ayorou, Tillaberi region: gunmen abducted two nurses from the "
        "health centre."
    )
    found = incidents(text, "2023-03-09")
    days = sorted(str(i.date.value.start) for i in found if i.date is not None)
    assert days == ["2023-02-14", "2023-02-21"], contracts(found)


def test_rangers_are_people_counted() -> None:
    text = (
        "Insurgents are blamed for an ambush on Wednesday in Bacho district of Narathiwat "
        "province, in which two rangers were shot dead."
    )
    found = incidents(text, "2024-06-07")
    assert found and found[0].fatalities == 2, contracts(found)


def test_people_neutralised_are_killed_in_a_battle() -> None:
    text = (
        "YAOUNDE (Wire) - The day before, the defence and security forces had neutralised "
        "three separatist fighters during a combing operation in Ndop, a source said."
    )
    found = incidents(text, "2023-09-16")
    assert found and (found[0].event_type, found[0].fatalities) == ("Battles", 3), contracts(found)


def test_a_day_after_the_bombing_names_no_bombing_of_its_own() -> None:
    text = (
        "Two days after the bombing, on 15 March, soldiers entered the village of Kyauk Ka in "
        "Myinmu township and shot dead three farmers, residents said."
    )
    found = incidents(text, "2024-03-20")
    assert len(found) == 1, contracts(found)
    assert found[0].event_type == "Violence against civilians"


def test_people_killed_in_the_bombing_were_killed_by_an_explosion() -> None:
    text = (
        "Residents said the jet came just after noon on 13 February. Nine people were killed "
        "in the bombing of the monastery in Let Pan Hla, among them four children."
    )
    found = incidents(text, "2024-02-20")
    assert found and found[0].event_type == "Explosions/Remote violence", contracts(found)


def test_peace_talks_are_no_incident() -> None:
    text = (
        "PATTANI, Thailand (Wire) - Peace talks between the government and the separatist "
        "group resumed in Kuala Lumpur on Friday.\n\n"
        "Hours before the talks opened, a bomb exploded outside a tea shop in Rueso district, "
        "killing a village defence volunteer, police said."
    )
    found = incidents(text, "2024-03-09")
    assert [i.event_type for i in found] == ["Explosions/Remote violence"], contracts(found)
