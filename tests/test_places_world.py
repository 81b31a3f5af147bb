"""Places everywhere: villages of the world gazetteer found through the country the text
points to, coders' "Village (District, Province)" notes, spellings of other scripts, and
datelines that say where a story was filed, not where its events happened."""

import pytest

import harmledger
from harmledger.gazetteer import km_between
from harmledger.model import PlaceValue
from harmledger.pipeline.places import COHERENT_KM, find_places


def places(text: str) -> dict[str, PlaceValue]:
    return {h.value.name: h.value for h in find_places(text) if h.value.feature != "country"}


def main_place(text: str, published: str = "2023-11-10") -> dict:
    found = [i.to_contract() for i in harmledger.extract(text, published=published)]
    return max(found, key=lambda i: i["confidence"])["location"]


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        # a village with its province after a comma: the province says which country
        (
            "Russian forces shelled Temyrivka, Zaporizhia, overnight, damaging a school.",
            "Temyrivka",
            "Ukraine",
            "Zaporizhia",
        ),
        # ACLED's "Place (District, Province)": a commune seat of Benin (WOF spells the
        # province Atakora, with OCHA's Atacora as another name)
        (
            "Unknown gunmen shot dead a trader at his shop in Tanguieta (Tanguieta, Atacora).",
            "Tanguiéta",
            "Benin",
            "Atakora",
        ),
        # Burmese units named as such
        (
            "Soldiers torched houses in Pale township (Yinmarbin district, Sagaing region).",
            "Pale",
            "Myanmar",
            "Sagaing",
        ),
        # a Somali town under its Somali spelling, the province saying where
        (
            "Militants ambushed a convoy near Ceel Buur (Galgaduud) on Thursday.",
            "El Bur",
            "Somalia",
            "Galguduud",
        ),
        # a Ukrainian village written in its Ukrainian transliteration
        (
            "Two civilians were wounded when shells hit Novoandriivka, Zaporizhia.",
            "Novoandriyivka",
            "Ukraine",
            "Zaporizhia",
        ),
    ],
)
def test_places_world_village_in_its_province(text, name, country, admin1) -> None:
    found = places(text)
    assert name in found, found
    assert (found[name].country, found[name].admin1) == (country, admin1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Syrian villages in the spellings of local reports
        ("Barrel bombs fell on al-Latamna in the northern Hama countryside.", "al-Latamna"),
        (
            "Russian jets struck Kherbet Elnaqus in the Ghab plain, killing a woman.",
            "Kherbet Elnaqus",
        ),
        ("Shelling on Arbin in Eastern Ghouta killed three civilians.", "Arbin"),
    ],
)
def test_places_syrian_villages_in_other_spellings(text: str, words: str) -> None:
    found = {text[h.start : h.end]: h.value for h in find_places(text)}
    assert words in found, found
    assert found[words].country == "Syria" and found[words].feature in ("village", "town")


def test_places_the_province_picks_among_namesakes() -> None:
    # a Mexican town of that name lies in several states: the one in Chiapas
    found = places("Armed men fired at the town hall of Altamirano, Chiapas, on Friday.")
    assert found["Altamirano"].admin1 == "Chiapas"


def test_places_a_town_of_one_country_needs_no_country_name() -> None:
    # no country named, but Kajiado is Kenyan and nothing else
    found = places("Water vendors protested in Kajiado against the new county levy.")
    assert found["Kajiado"].country == "Kenya"


def test_places_a_demonym_of_forces_does_not_move_the_village() -> None:
    # "Russian forces" name the shelling side, not the country of the place
    found = places("Russian forces shelled Serebrianka, Donetsk. Casualties unknown.")
    assert found["Serebrianka"].country == "Ukraine"


@pytest.mark.parametrize(
    ("text", "filed"),
    [
        ("KYIV (Reuters) - A missile struck an apartment block in Dnipro, killing four.", "Kyiv"),
        ("(Kyiv Wire) Shelling killed two women in Kherson on Monday, officials said.", "Kyiv"),
        ("MOGADISHU, Somalia — Al-Shabaab fighters attacked a base in Ceel Buur.", "Mogadishu"),
    ],
)
def test_places_a_dateline_is_where_the_story_was_filed(text: str, filed: str) -> None:
    found = places(text)
    assert filed not in found, found
    assert found  # the event's own place is still found


def test_places_the_event_is_placed_where_it_happened_not_the_dateline() -> None:
    text = (
        "KYIV (Reuters) - Russian shelling killed two women in the village of Antonivka "
        "near Kherson on Monday, regional officials said."
    )
    loc = main_place(text)
    assert loc["name"] == "Antonivka" and loc["country"] == "Ukraine"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # common words that name towns of one far country only are no evidence of it when
        # the text names a town of the countries it is mostly about
        (
            "Young footballers protested outside the Youth and Sports Directorate in the "
            "city of Basrah over unpaid grants.",
            "Basrah",
        ),
        (
            "Members of the Chambers of Commerce protested against the new port fees in the "
            "city of Baghdad on Sunday.",
            "Baghdad",
        ),
        (
            "A roadside bomb wounded a soldier on the road leading to Falcon camp near Saadiyah.",
            "As Sa'diyah",
        ),
    ],
)
def test_places_common_words_do_not_move_an_iraqi_note_abroad(text: str, name: str) -> None:
    loc = main_place(text, published="2020-08-25")
    assert (loc["name"], loc["country"]) == (name, "Iraq")


def test_places_a_town_of_one_country_named_as_the_subject_of_a_note() -> None:
    # no country, no locative word: Nakuru is Kenyan and nothing else
    found = places("Nakuru traders protested against the closure of the old market.")
    assert found["Nakuru"].country == "Kenya"


def test_places_a_village_only_one_country_knows() -> None:
    # "Likoni" spells nothing in the core but a London-like skeleton; Kenya's villages
    # alone know it, so the text is in Kenya
    found = places("A mob lynched a suspected thief in Likoni on Saturday night.")
    assert found["Likoni"].country == "Kenya"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Kenyan police shot dead two robbery suspects in Likoni.", "Likoni", "Kenya"),
        (
            "Beninese soldiers repelled an attack on their post in Karimama on Sunday.",
            "Karimama",
            "Benin",
        ),
    ],
)
def test_places_a_demonym_brings_its_countrys_villages(text: str, name: str, country: str) -> None:
    found = places(text)
    assert found[name].country == country


def test_places_a_part_of_an_unknown_village_name_is_no_place() -> None:
    # "Mei" is also a spelling of Myeik, a city 800 km south: the run is one village's name
    found = places(
        "On 3 May, a landmine killed a farmer in Hpa Mei Ywar village (Demoso township, "
        "Loikaw district, Kayah state)."
    )
    assert all(v.admin1 == "Kayah" for v in found.values()), found


def test_places_a_district_word_inside_a_name_still_asks_for_the_district() -> None:
    # the gazetteer knows "Mrauk-U District" as a name of the town; the words ask for the
    # district, so the township before it is the more precise place
    found = places(
        "On 9 June, an explosion killed two men in Kyauktaw Township, Mrauk-U District, "
        "Rakhine State."
    )
    assert found["Mrauk-U"].feature == "admin2" and found["Mrauk-U"].precision == 2


def test_places_the_province_that_closes_a_note_is_the_province() -> None:
    found = places(
        "Taliban militants ambushed a police patrol in the Sar-e Gaw area of Khakrez "
        "district, Kandahar."
    )
    assert found["Kandahar"].feature == "admin1" and found["Kandahar"].precision == 3


def test_places_an_area_of_a_city_keeps_the_city() -> None:
    # "Kandahar city" after "the X area of": the city, not the province; and no part of
    # the area's unknown name ("Khowajak", a town 190 km away) stands in for it
    found = places("Gunmen shot dead an elder in the Khowajak Baba area of Kandahar city.")
    assert list(found) == ["Kandahār"] and found["Kandahār"].feature == "city"


def test_places_a_bare_county_name_is_its_town_and_a_county_the_county() -> None:
    town = places("Health workers staged a demonstration outside the hospital in Kitui.")
    county = places("Bandits stole 200 goats from herders in Kitui county.")
    assert town["Kitui"].feature in ("town", "city") and town["Kitui"].precision == 1
    assert county["Kitui"].feature == "admin1" and county["Kitui"].precision == 3


def test_places_a_benin_village_in_its_commune_not_the_commune() -> None:
    # "Place (Commune, Department)": the village of Koualou-like notes; here the commune
    # seat shares the commune's name, and the town is meant, not the commune's centre
    hits = find_places(
        "Gunmen attacked a customs post in Karimama (Karimama, Alibori) overnight, "
        "wounding two officers."
    )
    first, second = (h.value for h in hits if h.value.name == "Karimama")
    assert first.feature in ("village", "town") and first.precision == 1
    assert second.feature == "admin2"


def test_places_two_towns_of_one_country_say_it() -> None:
    found = places("Rioters barricaded the highway in Allada and Tori to demand fair elections.")
    assert found["Allada"].country == "Benin"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a Kenyan town named with no country: an Iraqi village that shares its consonants
        # does not stand in for it
        ("A herder was shot dead by armed men in Kainuk.", "Kainuk"),
        # the people of a place introduce it as a place
        ("Kahawa residents blocked the road to protest the death of a boda boda rider.", "Kahawa"),
        # "County South" names a part of the county: its town, not part of a longer name
        ("Raiders killed four herders in Isiolo South on Sunday, police said.", "Isiolo"),
        # a part or a unit word after a name the gazetteer does not know with it
        ("The body of a missing woman was found in Kawangware South on Monday.", "Kawangware"),
        # ... and the whole name where it knows it (a Nairobi neighbourhood of GeoNames' dump)
        ("A man was lynched by a mob in Kariobangi South on Monday.", "Kariobangi South"),
        # a people named in the note is not the country it happens in
        (
            "In Garba Tula, Borana and Somali herders clashed over water; three were killed.",
            "Garba Tula",
        ),
        # a school named after its town is in that town, and the town says the country
        (
            "Bungoma High School students burnt a dormitory over the principal's transfer.",
            "Bungoma",
        ),
        # a capitalised word opening the note, read as a French city, leaves the village
        # its country
        (
            "Tour operators protested the death of a colleague in a police cell in Ndaragwa.",
            "Ndaragwa",
        ),
    ],
)
def test_places_a_kenyan_county_raid_note_without_its_country(text: str, name: str) -> None:
    found = places(text)
    assert name in found and found[name].country == "Kenya"
    assert found[name].precision == 1


def test_places_a_name_spelt_as_written_says_the_country() -> None:
    # Kenya's Kisii county and town, not Nigeria's Kisi (which the key folds it into)
    found = places("Parents stormed the secondary school in Kisii over exam results.")
    assert found["Kisii"].country == "Kenya" and found["Kisii"].feature in ("town", "city")


def test_places_a_person_named_like_a_place_is_the_person() -> None:
    # a rights group's statement: "Liu" is a Chinese city's other name, "Craig" and
    # "Murray" American towns; here they are people, named with an age or a title first
    found = places(
        "The trial of Liu Wenhua, 34, a labour activist, opened on Monday. Liu's wife said "
        "police had beaten him. Liu has appealed."
    )
    assert found == {}
    found = places(
        "Rights groups said former ambassador Craig Murray was jailed for eight months by an "
        "Edinburgh court. Murray intends to appeal."
    )
    assert "Craig" not in found and "Murray" not in found


def test_places_somaliland_is_somalia() -> None:
    # a region that declared itself a state: its places are Somalia's, not Syria's or
    # Yemen's namesakes
    found = places(
        "Three journalists were jailed in Somaliland after reporting on the Sool region's "
        "governor, Abdikarin Adan Haji Diriye."
    )
    assert found["Sool"].country == "Somalia"


def test_places_a_burmese_town_in_another_romanisation() -> None:
    found = places(
        "On 3 May 2021, in Mogoke town (Mogoke township, Pyinoolwin district, Mandalay "
        "region), a bomb exploded near the township administration office."
    )
    assert "Mogok" in found and found["Mogok"].admin1 == "Mandalay"


def test_places_a_town_called_a_village_far_from_its_township_is_a_namesake() -> None:
    # the only Zee Kone the gazetteer has is a town 660 km away: not the village meant
    text = (
        "On 6 December 2021, in Zee Kone village, Kanbalu township (Kanbalu district, "
        "Sagaing region), resistance fighters attacked a military convoy."
    )
    hits = find_places(text)
    township = next(h.value for h in hits if h.value.name == "Kanbalu")
    for h in hits:
        if text[h.start : h.end].startswith("Zee Kone"):
            assert (km_between(h.value, township) or 0.0) <= 2 * COHERENT_KM


def test_places_a_market_or_road_named_after_a_far_town_is_in_the_sentence_town() -> None:
    # "Myoma market", "Pyay Thar 4 Road": places inside the town the sentence names, not
    # the town of Myoma 180 km away nor the city of Pyay 440 km away
    found = places(
        "On 19 May 2021, in Sagaing town (Sagaing Township, Sagaing District, Sagaing "
        "Region), an explosion took place near Myoma market at night."
    )
    assert "Myoma" not in found and found["Sagaing"].country == "Myanmar"
    found = places(
        "On 28 June 2021, a grenade was thrown into a party office at the top of Pyay Thar 4 "
        "Road in Shwebo town (Shwebo District, Sagaing Region)."
    )
    assert "Pyay" not in found and "Shwebo" in found


def test_places_the_town_a_township_is_named_after() -> None:
    # the gazetteer files the town under no district, and a village of the same name lies
    # in the Kyaukme district: "Kyaukme town" is the town
    hits = find_places(
        "On 5 April 2021, in Kyaukme town (Kyaukme Township, Kyaukme District, Shan State), "
        "two men on a motorbike threw explosives at a toll gate."
    )
    town = next(h.value for h in hits if h.value.precision == 1)
    assert town.name == "Kyaukme" and town.feature in ("town", "city")


def test_places_a_small_town_outside_the_units_the_note_names_is_a_namesake() -> None:
    # Putao, in Kachin, is also called Hkamti; the note puts its Hkamti town in Sagaing
    found = places(
        "On 30 September 2021, in Hkamti town of Hkamti township (Hkamti district, Sagaing "
        "region), there was an explosion near the police station."
    )
    assert "Putao" not in found
    assert all(v.admin1 == "Sagaing" or v.feature == "admin1" for v in found.values())


def test_places_the_province_in_brackets_is_the_province() -> None:
    # Rio Grande, a city 240 km away, is also called by its state's name
    found = places(
        "On 30 November 2023, in Porto Alegre (Rio Grande do Sul), delivery workers blocked "
        "an avenue to demand better pay."
    )
    assert found["Porto Alegre"].feature == "city"
    assert found["Rio Grande do Sul"].feature == "admin1"


@pytest.mark.parametrize(
    ("text", "name", "county"),
    [
        # "at" before a name is the English word, not an Arabic article ("at-Tall"): a
        # village after it is introduced as a place, as after "in"
        (
            "Bandits drove away 300 goats and shot a herder at Kapedo (Baringo county) at dawn.",
            "Kapedo",
            "Baringo",
        ),
        (
            "Police officers shot dead a suspected cattle rustler at Tot, Elgeyo-Marakwet county.",
            "Tot",
            "Marakwet",
        ),
    ],
)
def test_places_a_village_after_at_is_a_place(text: str, name: str, county: str) -> None:
    found = places(text)
    assert name in found, found
    assert found[name].country == "Kenya" and found[name].feature == "village"
    assert found[name].admin2 == county and found[name].precision == 1


def test_places_a_toll_gate_is_no_village() -> None:
    # "the Nyaung Kone tollgate" names a toll gate on a highway; a village whose name it
    # only sounds like (Yaunggwin) is not where the post was burnt
    found = places(
        "On 2 March 2022, in Kyaukse town (Kyaukse district, Mandalay region), resistance "
        "fighters set fire to the military post at the Nyaung Kone tollgate on the highway."
    )
    assert "Kyaukse" in found
    assert all(v.feature != "village" for v in found.values()), found


def test_places_a_village_in_brackets_after_its_district_needs_no_cue() -> None:
    # a coder's "Village (District, Province)": the district in brackets, where the
    # gazetteer also has the village, introduces it as a place, as "in" does
    found = places(
        "On 3 May 2022, gunmen burnt the granaries of a Fulani herder living near the "
        "village Yokpanou (Banikoara, Alibori)."
    )
    assert found["Yokpanou"].admin2 == "Banikoara" and found["Yokpanou"].precision == 1


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # a US state in brackets says which of the country's Springfields, though the
        # state's centre lies 200 km from the town
        (
            "On 2 December 2023, about 50 people rallied outside city hall in Springfield "
            "(Illinois) to demand a ceasefire.",
            "Springfield",
            "Illinois",
        ),
        # a nation of the United Kingdom
        (
            "On 2 December 2023, dozens of students protested outside the university in "
            "Aberdeen (Scotland) over tuition fees.",
            "Aberdeen",
            "Scotland",
        ),
    ],
)
def test_places_a_state_or_nation_in_brackets_places_the_town(
    text: str, name: str, admin1: str
) -> None:
    found = {h.value.name: h.value for h in find_places(text)}
    assert found[name].admin1 == admin1 and found[name].precision == 1
    assert found[admin1].feature == "admin1"


def test_places_a_capital_in_its_department_beats_a_namesake_unit_abroad() -> None:
    # El Salvador's capital and the department it lies in; the Bahamas also have a
    # district of that name, which holds no town of it
    found = places(
        "On 2 February 2024, in San Salvador, San Salvador, vendors evicted from the historic "
        "centre blocked a main avenue."
    )
    assert found["San Salvador"].country == "El Salvador"
    assert found["San Salvador"].feature == "city"


def test_places_a_village_before_its_province_is_a_place() -> None:
    # a coder's "Village, Province" with no locative word before the village: the
    # province after the comma, which the gazetteer also records the village in, says it
    # is a place
    found = places("On 3 March 2024, Russian drones attacked Arkushyne, Kharkiv. No casualties.")
    assert found["Arkushyne"].admin1 == "Kharkiv"
    assert found["Arkushyne"].precision == 1
    # a village of that name in another province is not it
    found = places("On 3 March 2024, Russian drones attacked Arkushyne, Sumy. No casualties.")
    assert "Arkushyne" not in found


@pytest.mark.parametrize(
    "text",
    [
        # a title with a full stop after a place cue ("in front of"): a person, not the
        # country's city of that name
        "On 2 December 2023, about 40 people rallied in front of Sen. Jackson Miller's "
        "office in Dayton (Ohio) to demand a ceasefire.",
        "On 2 December 2023, nurses protested outside the clinic of Dr. Aurora Reyes in "
        "Dayton (Ohio) over unpaid wages.",
    ],
)
def test_places_a_name_after_an_abbreviated_title_is_a_person(text: str) -> None:
    found = places(text)
    assert set(found) == {"Dayton", "Ohio"}, found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # "Palestinian" says the gazetteer's Palestinian Territory, not a country of
        # another name that no place lies in: the village is the West Bank's, not an Iraqi
        # namesake
        ("Palestinian protesters marched in Al Khadr after the funeral.", "Al Khadar"),
        ("Palestinian rioters clashed with Israeli forces in Burqa.", "Burqa"),
    ],
)
def test_places_a_palestinian_note_is_in_the_palestinian_territory(text: str, name: str) -> None:
    found = places(text)
    assert found[name].country == "Palestinian Territory" and found[name].admin1 == "West Bank"
