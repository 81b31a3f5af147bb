"""Places everywhere, fifth round: which of a note's places is its event's, when the others
are a name's first word, a quarter of the city already named, the people a protest
supports, or a village the text has already said the gazetteer does not hold."""

import pytest

import harmledger
from harmledger.model import PlaceValue
from harmledger.pipeline.places import find_places
from harmledger.pipeline.supported import supported_place


def places(text: str) -> dict[str, PlaceValue]:
    return {h.value.name: h.value for h in find_places(text) if h.value.feature != "country"}


def main_place(text: str, published: str = "2023-12-10") -> dict:
    found = [i.to_contract() for i in harmledger.extract(text, published=published)]
    return max(found, key=lambda i: i["confidence"])["location"]


def test_places_a_village_the_text_ties_to_a_township_is_no_namesake_when_repeated() -> None:
    # the village is not in the gazetteer's Myinmu township; its bare second mention is no
    # village of that name 600 km away in Yangon either
    text = (
        "On 2 May 2022, in Nyaung Pin Thar village, Myinmu township (Sagaing district, "
        "Sagaing region), soldiers set fire to houses. Locals said the soldiers also shot two "
        "farmers in Nyaung Pin Thar village."
    )
    found = places(text)
    assert "Nyaungbintha" not in found
    assert "Myinmu" in found


def test_places_a_neighbourhood_is_a_quarter_of_the_city_named_before() -> None:
    # "the Bom Jardim neighborhood" of Fortaleza, not a town of that name in another state
    text = (
        "On 2 December 2023, in Fortaleza (Ceara), military police exchanged fire with a "
        "suspect in the Messejana neighborhood. Elsewhere, civil police officers exchanged "
        "fire with an armed man in the Bom Jardim neighborhood. Both suspects were killed."
    )
    loc = main_place(text)
    assert loc["name"] == "Fortaleza"
    assert loc["admin1"] == "Ceara"


def test_places_barangay_is_a_word_for_a_village_not_a_town() -> None:
    text = (
        "On 3 December 2023, gunmen shot dead a village councillor in Barangay Santa Maria, "
        "Zamboanga City (Zamboanga del Sur, Zamboanga Peninsula)."
    )
    loc = main_place(text)
    assert loc["name"] != "Barangay"
    assert loc["admin1"] == "Zamboanga del Sur"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # a city's name that begins the name of a shop: the event is in the city named as
        # such, and so is the document
        (
            "On 4 April 2023, families of detainees held a protest stand in front of the "
            "Cairo Pharmacy in Khartoum to demand their release.",
            "Khartoum",
            "Sudan",
        ),
        # the people a protest supports are not where it is held
        (
            "On 8 December 2023, students demonstrated outside the university in Sfax in "
            "support of the Palestinian people in Gaza and the West Bank.",
            "Sfax",
            "Tunisia",
        ),
    ],
)
def test_places_the_event_is_where_the_words_put_it(text: str, name: str, country: str) -> None:
    loc = main_place(text)
    assert (loc["name"], loc["country"]) == (name, country)


@pytest.mark.parametrize(
    ("text", "name", "supported"),
    [
        ("rallied in support of the Palestinian people in Gaza", "Gaza", True),
        ("rallied in support of the Palestinian people in Gaza and the West Bank", "West", True),
        ("held a sit-in in solidarity with the residents of Tigray", "Tigray", True),
        ("rallied in support of the strikers in Gafsa", "Gafsa", False),
        ("rallied in Amman in support of Gaza", "Amman", False),
    ],
)
def test_supported_place_reads_the_words_before_the_name(
    text: str, name: str, supported: bool
) -> None:
    assert supported_place(text, text.index(name)) is supported
