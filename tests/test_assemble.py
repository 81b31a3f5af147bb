"""Assembly: grouping mentions into incidents and deciding their fields."""

import pytest

import harmledger

VAC = "Violence against civilians"
ERV = "Explosions/Remote violence"


def incidents(text: str, published: str = "2020-05-20") -> list[dict]:
    return [i.to_contract() for i in harmledger.extract(text, published=published)]


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type", "fatalities"),
    [
        ("On 3 May 2020, gunmen shot dead two farmers in Tarmiyah.", VAC, "Attack", 2),
        (
            "On 3 May 2020, a roadside bomb killed three civilians near Baqubah.",
            ERV,
            "Remote explosive/landmine/IED",
            3,
        ),
        (
            "On 3 May 2020, a Turkish drone strike killed two PKK fighters near Sinjar.",
            ERV,
            "Air/drone strike",
            2,
        ),
        (
            "On 3 May 2020, IS militants attacked an army checkpoint near Tuz Khurmatu, killing two soldiers.",
            "Battles",
            "Armed clash",
            2,
        ),
        (
            "On 3 May 2020, IS militants kidnapped two shepherds near Jalawla.",
            VAC,
            "Abduction/forced disappearance",
            0,
        ),
        (
            "On 3 May 2020, police arrested five suspects in Kirkuk.",
            "Strategic developments",
            "Arrests",
            0,
        ),
        (
            "On 3 May 2020, IS militants detained five villagers near Hawija.",
            VAC,
            "Abduction/forced disappearance",
            0,
        ),
        (
            "On 3 May 2020, security forces opened fire on protesters in Nasiriyah, killing four protesters.",
            "Protests",
            "Excessive force against protesters",
            4,
        ),
        (
            "On 3 May 2020, dozens of people protested in Basra demanding jobs.",
            "Protests",
            "Peaceful protest",
            0,
        ),
        (
            "On 3 May 2020, police fired tear gas to disperse a protest in Basra.",
            "Protests",
            "Protest with intervention",
            0,
        ),
        (
            "On 3 May 2020, Iraqi forces defused 20 IEDs in the desert of Anbar.",
            "Strategic developments",
            "Disrupted weapons use",
            0,
        ),
        (
            "On 3 May 2020, a woman was raped by two gunmen in a village near Sinjar.",
            VAC,
            "Sexual violence",
            0,
        ),
        (
            "On 3 May 2020, Turkish artillery shelled a village near Amedi, injuring a farmer.",
            ERV,
            "Shelling/artillery/missile attack",
            0,
        ),
    ],
)
def test_assemble_event_type_table(text, event_type, sub_event_type, fatalities):
    main = max(incidents(text), key=lambda i: i["confidence"])
    assert (main["event_type"], main["sub_event_type"]) == (event_type, sub_event_type)
    assert main["fatalities"] == fatalities


def test_assemble_two_kinds_of_harm_in_one_sentence_are_two_incidents():
    text = (
        "About 5,000 people were forced to flee their homes because of IS, with "
        "dozens missing after raids by unidentified gunmen."
    )
    found = incidents(text)
    assert len(found) == 2
    displaced, missing = found
    assert displaced["violations"] == ["forced displacement"]
    assert displaced["actor1"]["name"] == "Islamic State"
    assert missing["counts"]["missing"]["min"] == 24 and missing["counts"]["missing"]["max"] is None


def test_assemble_reference_to_a_past_event_is_not_its_place():
    text = (
        "“They said this was payback for the Speicher massacre,” one man said. "
        "“I saw three men die in the cell.”"
    )
    (inc,) = incidents(text)
    assert inc["counts"]["killed"]["min"] == 3
    assert inc["location"]["name"] is None  # not Camp Speicher


def test_assemble_reporting_date_is_not_the_event_date():
    text = "Gunmen executed four men in Tarmiyah, a rights group said in a report released Tuesday."
    (inc,) = incidents(text)
    # not Tuesday: the report names no day, so the event is dated from its publication,
    # as the week up to it
    assert inc["date"]["start"] == "2020-05-14" and inc["date"]["end"] == "2020-05-20"
    assert inc["date"]["precision"] == 2 and inc["date"]["text"] == ""


def test_assemble_dateline_is_not_the_event_date():
    text = "BAGHDAD, May 19, 2020 (Wire) - Gunmen shot dead two farmers in Tarmiyah on Sunday."
    (inc,) = incidents(text, published="2020-05-19")
    assert inc["date"]["start"] == "2020-05-17"


def test_assemble_next_sentence_inherits_date_and_place_within_the_paragraph():
    text = (
        "On 3 May 2020, gunmen executed six men in the village of Albu Ajil. "
        "Ten other men from the village are still missing."
    )
    killed, missing = incidents(text)
    assert killed["counts"]["killed"]["min"] == 6
    assert missing["counts"]["missing"]["min"] == 10
    assert missing["date"] == killed["date"]
    assert missing["location"]["name"] == killed["location"]["name"]


def test_assemble_no_inheritance_across_paragraphs():
    text = (
        "On 3 May 2020, gunmen executed six men in the village of Albu Ajil.\n\n"
        "Ten men from another tribe remain missing, relatives said."
    )
    _, missing = incidents(text)
    # not 3 May: the second paragraph's event is dated from the publication, as a week
    assert missing["date"]["start"] == "2020-05-14" and missing["date"]["precision"] == 2


def test_assemble_follow_up_paragraph_joins_the_anchored_event():
    text = (
        "On 3 May 2020, an air strike hit a market in Maarat al-Numan, killing 9 civilians.\n\n"
        "Witnesses said two missiles hit the market minutes apart."
    )
    (inc,) = incidents(text)
    assert len(inc["evidence"]) == 2


def test_assemble_testimony_attaches_to_the_event_before_it():
    text = (
        "On 3 May 2020, an air strike hit a market in Maarat al-Numan, killing 9 civilians.\n\n"
        "“The first missile fell in the middle of the stalls,” said Abu Hassan, a rescuer."
    )
    (inc,) = incidents(text)
    assert [q["speaker"] for q in inc["quotes"]] == ["Abu Hassan"]


def test_assemble_bare_words_of_violence_are_not_an_incident():
    assert incidents("The process often leads to captives going permanently missing.") == []


def test_assemble_headline_is_not_an_incident_of_its_own():
    text = (
        "Gunmen Kill Two Farmers In Diyala\n\n"
        "On 3 May 2020, gunmen shot dead two farmers near Khanaqin."
    )
    found = incidents(text)
    assert len(found) == 1


def test_assemble_generic_actors_take_the_incident_country():
    (inc,) = incidents("On 3 May 2020, security forces arrested three civilians in Mosul.")
    assert inc["actor1"]["name"] == "Military Forces of Iraq"
    assert inc["actor2"]["name"] == "Civilians (Iraq)"


def test_assemble_confidence_favours_the_detailed_incident():
    text = (
        "Militias have tortured civilians for years, activists say.\n\n"
        "On 3 May 2020, gunmen shot dead two farmers near Khanaqin."
    )
    found = incidents(text)
    main = max(found, key=lambda i: i["confidence"])
    assert main["fatalities"] == 2


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        # the date opens the reported clause: it is the event's
        (
            "HPG reported that on 26 May, Turkish jets bombed PKK positions in Zap, "
            "killing one militant.",
            "2019-05-28",
            "2019-05-26",
        ),
        (
            "As reported by HPG, on 19 September, PKK militants attacked Turkish soldiers "
            "in Haftanin. One soldier was killed.",
            "2019-09-20",
            "2019-09-19",
        ),
        # the date of the telling is not the event's: with no day of its own, the event is
        # dated from the publication (the week up to it)
        (
            "Gunmen killed two farmers in Tarmiyah, the mayor told AFP on Sunday.",
            "2020-05-20",
            "2020-05-14",
        ),
        # a sentence that reports no violence dates the one after it
        (
            "On 7 June 2020, a wedding party was held in the village of Fuhud. Gunmen later "
            "opened fire on the guests, injuring three people.",
            "2020-06-08",
            "2020-06-07",
        ),
    ],
)
def test_assemble_event_date(text, published, date):
    main = max(incidents(text, published=published), key=lambda i: i["confidence"])
    assert (main["date"] or {}).get("start") == date


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        # "killed or injured" is no death; a confirmed number later is
        (
            "On 2 June 2020, Turkish jets struck PKK positions in Zap. 4 PKK militants were "
            "killed or injured. HPG confirmed that 2 militants were killed.",
            2,
        ),
        (
            "On 3 May 2020, Turkish jets struck PKK positions in Zap, where 5 PKK militants "
            "were killed or injured.",
            0,
        ),
        # a vague number killed: ACLED's 3
        (
            "On 3 May 2020, Iraqi jets struck an IS hideout in the Hamrin mountains, killing "
            "a number of militants.",
            3,
        ),
        # one person, named by a pronoun or an article
        ("On 15 May 2020, gunmen opened fire on a shopkeeper in Baquba, killing him.", 1),
        (
            "On 15 May 2020, IS militants attacked a checkpoint near Tuz Khurmatu, killing a "
            "soldier and injuring another.",
            1,
        ),
        # the size of a protest is not a death toll of the killings it is about
        (
            "On 1 October 2020, hundreds of protesters gathered in Nasiriyah demanding reform "
            "and accountability for the killing of demonstrators last year.",
            0,
        ),
    ],
)
def test_assemble_fatalities(text, fatalities):
    main = max(incidents(text), key=lambda i: i["confidence"])
    assert main["fatalities"] == fatalities


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        (
            "“They wanted us to confess to being Daesh,” said a man who was tortured at an Iraqi military facility near Qayyarah in June 2016.",
            "Military Forces of Iraq",
        ),
        (
            "Detainees were beaten at a Syrian army base near Hama on 3 May 2016.",
            "Military Forces of Syria",
        ),
        (
            "On 3 May 2020, IS militants attacked at an Iraqi army checkpoint near Tarmiyah, killing two soldiers.",
            "Islamic State",
        ),
    ],
)
def test_assemble_custody_force_is_the_perpetrator(text, actor1):
    main = max(incidents(text, published="2020-05-20"), key=lambda i: i["confidence"])
    assert main["actor1"]["name"] == actor1


def test_assemble_the_reporting_force_is_not_the_victim():
    text = "Iraqi security forces arrested three suspects in a raid on a farm near Tal Afar on Sunday, the provincial police said."
    main = max(incidents(text, published="2016-10-17"), key=lambda i: i["confidence"])
    assert (main["event_type"], main["sub_event_type"]) == ("Strategic developments", "Arrests")
    assert main["actor2"] is None or "Police" not in main["actor2"]["name"]


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        (
            "In Deir ez-Zor province, unknown gunmen shot dead a local SDF official on Saturday, activists said.",
            VAC,
        ),
        ("On 3 May 2020, gunmen killed a PMF employee near Baiji.", VAC),
        ("On 3 May 2020, IS militants killed two SDF fighters near Hajin.", "Battles"),
    ],
)
def test_assemble_civilian_role_in_an_armed_organisation(text, event_type):
    main = max(incidents(text, published="2020-09-08"), key=lambda i: i["confidence"])
    assert main["event_type"] == event_type


def test_assemble_news_flash_dated_only_by_its_telling():
    # "said on Tuesday that ...": the event happened that day or the day before
    text = (
        "A security source in Diyala province said on Tuesday that a booby-trapped car "
        "exploded in the market of Khalis, leaving a dozen dead."
    )
    (inc,) = incidents(text, published="2014-09-17")
    assert (inc["date"]["start"], inc["date"]["end"]) == ("2014-09-15", "2014-09-16")
    assert inc["date"]["precision"] == 2
    assert inc["date"]["text"] == "on Tuesday"


def test_assemble_a_date_the_event_gives_wins_over_its_telling():
    text = "Police said on Tuesday that gunmen had killed two shepherds near Hawija on Sunday."
    (inc,) = incidents(text, published="2014-09-17")
    assert inc["date"]["start"] == inc["date"]["end"] == "2014-09-14"


def test_assemble_a_campaign_since_a_date_is_background_to_the_lead():
    text = (
        "Air strikes on a market in the town of Saraqeb killed at least 10 people on Tuesday, "
        "rescuers said.\n\n"
        "Government forces have been on the offensive in Idlib province since late April. "
        "Hundreds of civilians have been killed."
    )
    incs = incidents(text, published="2019-06-05")
    main = max(incs, key=lambda i: i["confidence"])
    assert main["counts"]["killed"]["min"] == 10
    assert main["date"]["start"] == "2019-06-04"


def test_assemble_a_date_inside_a_since_clause_is_a_period():
    text = (
        "Rebels killed at least 16 people in an attack on a village near Beni on Tuesday "
        "night, officials said.\n\n"
        "The rebels have killed hundreds of civilians around Beni since the army launched "
        "an offensive against them last October."
    )
    incs = incidents(text, published="2020-05-27")
    main = max(incs, key=lambda i: i["confidence"])
    assert main["counts"]["killed"]["min"] == 16


def test_assemble_the_dateline_is_where_the_report_was_filed():
    text = (
        "Hasaka, SANA - Five citizens were killed and 19 others were injured when terrorists "
        "detonated a car bomb in the al-Hilaliyeh neighborhood of Qamishli city."
    )
    (inc,) = incidents(text, published="2017-06-13")
    assert inc["location"]["name"] == "Al Qamishli"


def test_assemble_a_dateline_is_where_the_story_was_filed_not_the_event():
    # the publisher's location: the event is placed only in the dateline's country
    text = "Kirkuk (Wire) - Gunmen shot dead two shepherds on Sunday, police said."
    (inc,) = incidents(text, published="2020-05-19")
    assert inc["location"]["name"] is None and inc["location"]["country"] == "Iraq"


def test_assemble_the_lead_outranks_a_background_paragraph():
    text = (
        "Turkish-backed militants on Thursday looted houses and shops in Afrin city, local "
        "sources said.\n\n"
        "Footage showed armed men loading household goods onto pick-up trucks.\n\n"
        "Turkey and its allied factions took control of Afrin on March 18 after a two-month "
        "military operation against the Kurdish People's Protection Units (YPG)."
    )
    incs = incidents(text, published="2018-04-06")
    main = max(incs, key=lambda i: i["confidence"])
    assert main["sub_event_type"] == "Looting/property destruction"
    assert main["date"]["start"] == "2018-04-05"


def test_assemble_the_next_paragraph_says_where_the_event_happened():
    text = (
        "Islamic State group jihadists on Tuesday killed eight civilians foraging for desert "
        "truffles in eastern Syria, a war monitor said.\n\n"
        "The attack took place in the desert south of Mayadeen in Deir Ezzor province, the "
        "monitor said."
    )
    (inc,) = incidents(text, published="2021-03-10")
    assert inc["counts"]["killed"]["min"] == 8
    assert inc["date"]["start"] == "2021-03-09"
    assert inc["location"]["name"] == "Mayadin"


def test_assemble_a_definite_event_of_another_kind_is_another_event():
    text = (
        "A car bomb killed five people in a market in Baqubah on Monday, police said.\n\n"
        "The protest that followed in the city centre drew hundreds of residents."
    )
    bombing = max(incidents(text, published="2020-05-19"), key=lambda i: i["confidence"])
    assert bombing["sub_event_type"] == "Remote explosive/landmine/IED"
    assert all(e["end"] <= text.index("The protest") for e in bombing["evidence"])
