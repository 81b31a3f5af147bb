"""Assembly: ACLED event type, sub-event type and actor1 decided by who did what to whom."""

import pytest

import harmledger

VAC = "Violence against civilians"
ERV = "Explosions/Remote violence"
SD = "Strategic developments"


def main_incident(text: str, published: str = "2020-06-06") -> dict:
    found = [i.to_contract() for i in harmledger.extract(text, published=published)]
    assert found, text
    return max(found, key=lambda i: i["confidence"])


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type", "actor1"),
    [
        # demonstrations: the crowd's own violence makes a riot; the crowd is actor1
        (
            "On 4 June 2020, hundreds of demonstrators blocked roads with burning tyres in "
            "Nasiriyah.",
            "Riots",
            "Violent demonstration",
            "Rioters (Iraq)",
        ),
        (
            "On 4 June 2020, protesters clashed with the police in front of the governorate "
            "building in Basra.",
            "Riots",
            "Violent demonstration",
            "Rioters (Iraq)",
        ),
        (
            "On 4 June 2020, dozens of teachers gathered outside the education directorate in "
            "Kut demanding their salaries.",
            "Protests",
            "Peaceful protest",
            "Protesters (Iraq)",
        ),
        (
            "On 4 June 2020, hundreds of students protested in Najaf, demanding justice for the "
            "killing of demonstrators.",
            "Protests",
            "Peaceful protest",
            "Protesters (Iraq)",
        ),
        (
            "On 4 June 2020, protesters were attacked by riot police with tear gas in Baghdad.",
            "Protests",
            "Protest with intervention",
            "Protesters (Iraq)",
        ),
        (
            "On 4 June 2020, unidentified gunmen shot and killed an activist who took part in "
            "the protests in Basra.",
            VAC,
            "Attack",
            "Unidentified Armed Group (Iraq)",
        ),
        # strategic developments: a coder's label, and the same events in wire words
        (
            "Property destruction: On 4 June 2020, unidentified men set fire to a liquor store "
            "in Baghdad.",
            SD,
            "Looting/property destruction",
            "Unidentified Armed Group (Iraq)",
        ),
        (
            "On 4 June 2020, suspected IS militants set fire to wheat fields near Makhmour.",
            SD,
            "Looting/property destruction",
            "Islamic State",
        ),
        (
            "On 4 June 2020, a child was killed when an unexploded shell left over from past "
            "wars detonated near Basra.",
            SD,
            "Other",
            None,
        ),
        (
            "On 4 June 2020, police defused two roadside bombs in Tarmiyah.",
            SD,
            "Disrupted weapons use",
            "Police Forces of Iraq",
        ),
        (
            "On 4 June 2020, the army seized a large quantity of weapons and ammunition in a "
            "cave near Hamrin.",
            SD,
            "Disrupted weapons use",
            "Military Forces of Iraq",
        ),
        (
            "On 4 June 2020, the army deployed two brigades to Nasiriyah.",
            SD,
            "Change to group/activity",
            "Military Forces of Iraq",
        ),
        (
            "On 4 June 2020, a mass grave with the remains of 20 people was found near Sinjar.",
            SD,
            "Other",
            None,
        ),
        # battles: armed men harmed by armed men, whatever else the report tells
        (
            "On 4 June 2020, IS militants attacked an army checkpoint near Kirkuk with mortar "
            "shells and light weapons, and clashes ensued.",
            "Battles",
            "Armed clash",
            "Islamic State",
        ),
        (
            "On 4 June 2020, Iraqi forces killed three IS militants and arrested two others "
            "near Rutba.",
            "Battles",
            "Armed clash",
            "Military Forces of Iraq",
        ),
        (
            "On 4 June 2020, Iraqi forces killed two IS suicide bombers near Mosul.",
            "Battles",
            "Armed clash",
            "Military Forces of Iraq",
        ),
        (
            "On 4 June 2020, PMF fighters thwarted an infiltration attempt by IS militants "
            "near Balad.",
            "Battles",
            "Armed clash",
            None,
        ),
        (
            "On 4 June 2020, a tribal clash in Qurna left two people dead.",
            "Battles",
            "Armed clash",
            "Unidentified Tribal Militia (Iraq)",
        ),
        # remote violence: the weapon, and the doer when the report names none
        (
            "On 4 June 2020, Turkish airstrikes targeted PKK positions in the Zap region of Dahuk.",
            ERV,
            "Air/drone strike",
            "Military Forces of Turkey",
        ),
        (
            "On 4 June 2020, the Military Forces of Turkey conducted airstrikes against PKK "
            "hideouts near Amedi.",
            ERV,
            "Air/drone strike",
            "Military Forces of Turkey",
        ),
        (
            "On 4 June 2020, an IED exploded near a police patrol in Tarmiyah, injuring two "
            "policemen.",
            ERV,
            "Remote explosive/landmine/IED",
            "Unidentified Armed Group (Iraq)",
        ),
        (
            "On 4 June 2020, a bomb planted by IS militants killed two soldiers near Tikrit.",
            ERV,
            "Remote explosive/landmine/IED",
            "Islamic State",
        ),
        (
            "HPG reported that on 4 June 2020 Turkish warplanes bombed villages near Amedi.",
            ERV,
            "Air/drone strike",
            "Military Forces of Turkey",
        ),
    ],
)
def test_assemble_event_type_and_initiator(text, event_type, sub_event_type, actor1):
    main = main_incident(text)
    assert (main["event_type"], main["sub_event_type"]) == (event_type, sub_event_type)
    if actor1 is not None:
        assert main["actor1"]["name"] == actor1


def test_assemble_inferred_actor_points_at_the_event_words():
    text = "On 4 June 2020, an IED exploded near a police patrol in Tarmiyah."
    main = main_incident(text)
    a1 = main["actor1"]
    assert a1["name"] == "Unidentified Armed Group (Iraq)"
    assert text[a1["start"] : a1["end"]] == a1["text"] == "IED"


def test_assemble_inferred_actor_alone_is_not_an_incident():
    # a sentence with a word of violence and nothing to check stays out of the ledger
    text = "Rescuers said the first missile fell in the middle of the stalls."
    assert harmledger.extract(text, published="2020-06-06") == []


def test_assemble_target_is_not_the_perpetrator():
    main = main_incident(
        "On 4 June 2020, unidentified gunmen shot a police officer in Hilla, injuring him."
    )
    assert main["actor1"]["name"] == "Unidentified Armed Group (Iraq)"


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type", "actor1"),
    [
        # the owner of what a bomb hit, and people harmed by it, are its targets
        (
            "On 2 March 2020, an unidentified bomb targeted the vehicle of a police officer in "
            "Hawija, killing him and injuring two others.",
            ERV,
            "Remote explosive/landmine/IED",
            "Unidentified Armed Group (Iraq)",
        ),
        (
            "As reported on 4 July 2020, police forces were injured by the explosion of an "
            "unidentified bomb near Rashad, south of Kirkuk.",
            ERV,
            "Remote explosive/landmine/IED",
            "Unidentified Armed Group (Iraq)",
        ),
        # an air force that strikes is an air strike, also on caches and shelters
        (
            "On 3 March 2020, the Iraqi air force targeted two IS vehicles in the desert west "
            "of Anbar, killing all the militants on board.",
            ERV,
            "Air/drone strike",
            "Military Forces of Iraq",
        ),
        (
            "On 11 March 2020, Turkish airstrikes targeted PKK weapons caches and shelters in "
            "the Gara region.",
            ERV,
            "Air/drone strike",
            "Military Forces of Turkey",
        ),
        (
            "On 10 November 2019, Turkish jets were reported to have targeted PKK posts near "
            "Choman.",
            ERV,
            "Air/drone strike",
            "Military Forces of Turkey",
        ),
        # the backed force acts; the backer helps; the first of two named forces is actor1
        (
            "On 14 June 2020, Iraqi police backed by the Global Coalition killed three IS "
            "militants in a raid north of Muqdadiyah.",
            "Battles",
            "Armed clash",
            "Police Forces of Iraq",
        ),
        (
            "On 1 February 2020, Iraqi police and military forces killed two IS militants near "
            "Hamrin lake.",
            "Battles",
            "Armed clash",
            "Police Forces of Iraq",
        ),
        # a militia named as a unit of the PMF acts as the PMF
        (
            "On 3 May 2020, the PMF's Badr Organization killed two IS militants near Khanaqin.",
            "Battles",
            "Armed clash",
            "Popular Mobilization Forces",
        ),
        # a device an armed group left behind that hurts people is its explosion
        (
            "On 7 March 2020, two civilians were injured by the explosion of an IS remnant "
            "explosive device near Karbala airport.",
            ERV,
            "Remote explosive/landmine/IED",
            "Islamic State",
        ),
        # feuds between families or tribes
        (
            "On 12 June 2020, an armed clash broke out between members of two families in "
            "Ad Dayr, Basra. Four people were injured.",
            "Battles",
            "Armed clash",
            "Unidentified Tribal Militia (Iraq)",
        ),
        (
            "On 14 June 2019, two unidentified tribes clashed in Akre district, injuring five "
            "people.",
            "Battles",
            "Armed clash",
            "Unidentified Tribal Militia (Iraq)",
        ),
        # police hurt at a demonstration, a demonstration that turned violent: riots
        (
            "On 7 March 2020, dozens of people demonstrated in front of the governorate "
            "building in Basra demanding jobs. One policeman was injured during the "
            "demonstration.",
            "Riots",
            "Violent demonstration",
            "Rioters (Iraq)",
        ),
        (
            "On 26 October 2019, people demonstrated in Hilla against corruption. The "
            "demonstration turned violent.",
            "Riots",
            "Violent demonstration",
            "Rioters (Iraq)",
        ),
        (
            "On 2 October 2019, hundreds of demonstrators gathered outside the provincial "
            "government building in Diwaniyah in an attempt to break into the building.",
            "Riots",
            "Violent demonstration",
            "Rioters (Iraq)",
        ),
        (
            "On 14 October 2020, YJA STAR militants attacked Turkish army units in Xakurke, "
            "killing two soldiers.",
            "Battles",
            "Armed clash",
            "PKK-YJA STAR",
        ),
    ],
)
def test_assemble_event_type_targets_backers_and_units(text, event_type, sub_event_type, actor1):
    main = main_incident(text)
    assert (main["event_type"], main["sub_event_type"], main["actor1"]["name"]) == (
        event_type,
        sub_event_type,
        actor1,
    )


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        # territory changing hands: who took it decides; the change is the event, whatever
        # fighting or shelling won it
        (
            "Iraqi troops recaptured the village of Tal Kaif from IS militants on 9 May 2017 "
            "after heavy shelling, a military spokesman said.",
            "Battles",
            "Government regains territory",
        ),
        (
            "On 2 March 2018, Syrian army units retook the town of Hamouriyeh from rebel "
            "factions after three days of fighting that killed 20 fighters.",
            "Battles",
            "Government regains territory",
        ),
        (
            "Peshmerga forces took back the village of Fadiliya from IS on 23 October 2016, a "
            "Kurdish officer said.",
            "Battles",
            "Government regains territory",
        ),
        (
            "IS militants overran Hit in western Anbar on 13 October 2014 after the army withdrew.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        (
            "Rebel factions captured Morek from government forces on 1 February 2017 after "
            "days of clashes.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        (
            "IS fighters seized control of three villages near Tuz Khurmatu on 4 June 2014, "
            "residents said.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        # agreements, group changes, bases, non-violent transfers, looting
        (
            "The SDF and the Syrian army reached an agreement on 6 December 2019 to open "
            "the road between Hasakah and Qamishli.",
            SD,
            "Agreement",
        ),
        (
            "Rebels and government forces in Busra al-Sham exchanged 12 detainees on 3 April "
            "2021 in a Russian-brokered deal.",
            SD,
            "Agreement",
        ),
        (
            "Three rebel brigades in Idlib announced on 1 August 2018 that they had merged "
            "into a new front.",
            SD,
            "Change to group/activity",
        ),
        (
            "The Turkish army set up a military post near Batifa in Duhok on 12 May 2021.",
            SD,
            "Headquarters or base established",
        ),
        (
            "A PMF brigade established a new base in Tuz Khurmatu on 3 March 2020.",
            SD,
            "Headquarters or base established",
        ),
        (
            "The coalition handed over the K1 base to Iraqi forces in Kirkuk on 29 March 2020.",
            SD,
            "Non-violent transfer of territory",
        ),
        (
            "Government troops entered Tal Tamr on 14 October 2019 under an agreement with "
            "the SDF.",
            SD,
            "Non-violent transfer of territory",
        ),
        (
            "Rebels entered Dabiq on 2 October 2016 after IS fighters fled the town without "
            "resistance.",
            SD,
            "Non-violent transfer of territory",
        ),
        (
            "Shepherds in Makhmour said IS militants stole 150 sheep from their pens on "
            "4 May 2020.",
            SD,
            "Looting/property destruction",
        ),
        (
            "Armed factions cut down dozens of olive trees near Afrin on 7 March 2021.",
            SD,
            "Looting/property destruction",
        ),
        (
            "Unknown men burned about 200 dunams of wheat near Hawija on 20 May 2020.",
            SD,
            "Looting/property destruction",
        ),
        # an act of violence next to words of sport, disease or courts is still one
        (
            "A suicide bomber blew himself up at a football match in Haditha on 2 May 2016, "
            "killing 14 people.",
            "Explosions/Remote violence",
            "Suicide bomb",
        ),
        (
            "On 3 June 2020, unidentified gunmen threw a grenade at the house of a court "
            "judge in Amarah, causing material damage.",
            "Explosions/Remote violence",
            "Grenade",
        ),
    ],
)
def test_assemble_event_type_strategic_and_territory(text, event_type, sub_event_type):
    main = main_incident(text)
    assert (main["event_type"], main["sub_event_type"]) == (event_type, sub_event_type)


@pytest.mark.parametrize(
    "text",
    [
        "Four people were killed when a bus collided with a lorry on the Kirkuk-Tikrit road on "
        "Monday, traffic police said.",
        "Heavy floods in Duhok killed five people on 10 January 2022, the civil defence said.",
        "An earthquake near Khanaqin injured 40 people on 3 June 2021, health officials said.",
        "A fire caused by an electrical short swept through a hospital ward in Nasiriyah on "
        "12 July 2021, killing 60 patients.",
        "The ministry recorded 800 new COVID-19 cases and 9 deaths in Basra on Tuesday.",
        "A Baghdad court sentenced two men to death on 2 March 2020 for a bombing in 2016.",
        "The army held a military exercise with artillery and tanks near Samarra on Sunday.",
        "Iraq's national team beat Syria 2-1 in a World Cup qualifier in Basra on Friday.",
    ],
)
def test_assemble_accidents_disasters_and_courts_are_not_incidents(text):
    assert harmledger.extract(text, published="2022-02-02") == []


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        # a former fighter killed is a civilian killed
        (
            "On Monday, a former FARC fighter who had signed the peace deal was shot dead in "
            "Tumaco, the UN verification mission said.",
            VAC,
            "Attack",
        ),
        (
            "Gunmen shot dead two former soldiers at a market in Ogoja on Friday, police said.",
            VAC,
            "Attack",
        ),
        # grenades carried into a gunfight: the fight is the event
        (
            "Militants armed with rifles and grenades stormed a police station in Bannu on "
            "Tuesday night, and two policemen were killed in a gunfight that lasted two hours.",
            "Battles",
            "Armed clash",
        ),
    ],
)
def test_who_was_hit_and_how_decides_the_type(
    text: str, event_type: str, sub_event_type: str
) -> None:
    got = main_incident(text, published="2023-02-01")
    assert (got["event_type"], got["sub_event_type"]) == (event_type, sub_event_type), got
