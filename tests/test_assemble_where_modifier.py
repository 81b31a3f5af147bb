"""Where an event happened when its sentence also names a place only as a modifier of
the people or things it speaks of ("Kakamega health workers", "a Mosul university
lecturer"): the place named as such, not the modifier."""

import pytest

import harmledger


def main_place(text: str) -> str | None:
    found = [i.to_contract() for i in harmledger.extract(text, published="2023-05-04")]
    best = max(found, key=lambda i: i["confidence"])
    return (best["location"] or {}).get("name")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Kakamega health workers marched in Kisumu on Monday to protest over five "
            "months of unpaid salaries.",
            "Kisumu",
        ),
        ("A Mosul university lecturer was shot dead by gunmen in Tikrit on Sunday.", "Tikrit"),
    ],
)
def test_where_a_place_named_as_a_modifier_is_not_the_events(text: str, place: str) -> None:
    assert main_place(text) == place


def test_where_the_people_of_a_place_are_there() -> None:
    # "Mombasa residents" protest in Mombasa; the port they oppose is elsewhere
    text = "Mombasa residents protested against the plan to build a dry port in Naivasha."
    assert main_place(text) == "Mombasa"


def test_where_a_place_before_a_conjunction_is_no_modifier() -> None:
    # "overran Sinjar after ...": Sinjar is what was taken, not a word describing others
    text = (
        "On 3 August 2014, Islamic State fighters overran Sinjar after Kurdish forces "
        "withdrew towards Dohuk."
    )
    assert main_place(text) == "Sinjar"
