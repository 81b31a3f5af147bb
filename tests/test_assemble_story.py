"""Assembly of a news story: one event told several times in one report is one incident;
background events dated well before a report's news rank below that news; photo captions
are not coded."""

from incident_kit import incidents

# A wire story: headline, lead, and the attribution that tells the same blast again.
BLAST = (
    "Aleppo bomb blast kills six, state TV says.\n\n"
    "A bomb blast killed six people and injured 32 in the Salah al-Din district of Aleppo on "
    "Wednesday, Syrian state television reported. Officials gave no further details. "
    "Residents said the market had been crowded. "
    "Syrian state TV said an explosive device went off in Aleppo on Wednesday, killing six "
    "people and wounding dozens of others."
)


def test_headline_lead_and_attribution_are_one_incident() -> None:
    found = incidents(BLAST, "2017-04-19")
    blasts = [i for i in found if i.sub_event_type == "Remote explosive/landmine/IED"]
    assert len(blasts) == 1
    blast = blasts[0]
    assert blast.fatalities == 6
    assert blast.location is not None and blast.location.value.name == "Aleppo"
    # its evidence holds the lead and the retelling, so a reviewer sees both
    told = " ".join(BLAST[s.start : s.end] for s in blast.evidence)
    assert "killed six people and injured 32" in told
    assert "explosive device went off" in told


def test_two_blasts_in_two_towns_stay_two() -> None:
    text = (
        "A car bomb killed six people in Azaz on Wednesday, a monitor said. "
        "Later on Wednesday, a car bomb killed six people in Jarabulus, the monitor added."
    )
    found = [i for i in incidents(text, "2017-04-19") if i.fatalities]
    assert len(found) == 2
    assert found[0].location.value.name != found[1].location.value.name


def test_two_tolls_in_one_town_stay_two() -> None:
    text = (
        "A car bomb killed six people in Azaz on Wednesday, a monitor said.\n\n"
        "On Wednesday, a car bomb killed 14 people in Azaz, the monitor added."
    )
    found = [i for i in incidents(text, "2017-04-19") if i.fatalities]
    assert sorted(i.fatalities for i in found) == [6, 14]


def test_a_rough_count_agrees_with_an_exact_one() -> None:
    # "dozens" wounded and "30" wounded can be one number; the killed agree exactly
    text = (
        "Six people were killed and dozens wounded in a bomb blast in Aleppo on Wednesday. "
        "Officials gave no further details. Residents said the market had been crowded. "
        "Police said the bomb went off in Aleppo on Wednesday, killing six people and "
        "wounding 30 others."
    )
    found = [i for i in incidents(text, "2017-04-19") if i.fatalities]
    assert len(found) == 1


def test_background_event_ranks_below_the_news() -> None:
    # the town's capture twelve days before is background to Monday's airstrike; both are
    # incidents, the airstrike is the report's main one
    text = (
        "An airstrike hit a busy market in the town of Ariha on Monday, "
        "killing at least 12 people, the Syrian Observatory for Human Rights said.\n\n"
        "The town was captured by rebels on July 22 after heavy fighting that killed dozens "
        "of government soldiers in Ariha."
    )
    found = incidents(text, "2015-08-03")
    assert found[0].date is not None and str(found[0].date.value.start) == "2015-08-03"
    assert any(i.date is not None and i.date.value.start.month == 7 for i in found[1:])


def test_an_event_months_before_the_news_is_no_incident() -> None:
    # months before a report's news, the town's capture is only its background: a coder
    # does not record it from this report
    text = (
        "An airstrike hit a busy market in the town of Ariha on Monday, "
        "killing at least 12 people, the Syrian Observatory for Human Rights said.\n\n"
        "The town was captured by rebels in May after heavy fighting that killed dozens "
        "of government soldiers in Ariha."
    )
    found = incidents(text, "2015-08-03")
    assert [str(i.date.value.start) for i in found if i.date is not None] == ["2015-08-03"]


def test_photo_caption_is_not_coded() -> None:
    # a file photo from another city and day, copied with the story's text
    text = (
        "At least 15 civilians were killed on Tuesday when barrel bombs hit a market in "
        "Saraqib, the Syrian Observatory for Human Rights said. A man carries a wounded child "
        "after an air strike in the Sukkari neighbourhood of Aleppo on June 3 2016. "
        "(TRT World and Agencies) Rescue workers were still searching the rubble on Wednesday."
    )
    found = incidents(text, "2016-09-14")
    assert [i.location.value.name for i in found] == ["Saraqib"]
    assert found[0].fatalities == 15
    reuters = text.replace("(TRT World and Agencies)", "REUTERS/Abdalrhman Ismail")
    assert [i.location.value.name for i in incidents(reuters, "2016-09-14")] == ["Saraqib"]


def test_a_toll_rise_dates_the_count_not_the_event() -> None:
    text = (
        "The death toll from an air strike on a market in Maarat al-Numan rose to 17 on "
        "Friday, rescuers said."
    )
    (strike,) = incidents(text, "2019-05-17")
    v = strike.date.value
    # the strike happened on Friday or before: the day before to Friday, precision 2
    assert (str(v.start), str(v.end), v.precision) == ("2019-05-16", "2019-05-17", 2)
    # a date of the event itself stays the event's
    named = text.replace("an air strike", "Thursday's air strike")
    (strike,) = incidents(named, "2019-05-17")
    assert (str(strike.date.value.start), strike.date.value.precision) == ("2019-05-16", 1)


def test_a_definite_reference_joins_the_event_it_refers_to() -> None:
    # an NGO statement's closing call names "the killings" again: no second incident
    text = (
        "On 15 October 2016, gunmen executed at least nine men in Sheikh Ibrahim village, "
        "about 20 kilometres west of Tal Afar.\n\n"
        "The Observatory calls on the authorities to investigate the killings and to protect "
        "civilians in the villages west of Tal Afar."
    )
    (killing,) = incidents(text, "2016-10-17")
    assert killing.fatalities == 9
    assert "investigate the killings" in " ".join(text[s.start : s.end] for s in killing.evidence)


def test_a_definite_reference_elsewhere_is_its_own_event() -> None:
    # "the killings" in a town 600 km away are not the execution told before
    text = (
        "On 15 October 2016, gunmen executed at least nine men in Sheikh Ibrahim village, "
        "about 20 kilometres west of Tal Afar.\n\n"
        "In Basra, police are still investigating the killings."
    )
    assert len(incidents(text, "2016-10-17")) == 2
