"""Where an event happened when its sentence also names where the strike or the attackers
came from: the place hit, not the place of launch."""

import pytest

import harmledger


def main_place(text: str) -> str | None:
    found = [i.to_contract() for i in harmledger.extract(text, published="2022-05-04")]
    best = max(found, key=lambda i: i["confidence"])
    return (best["location"] or {}).get("name")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the launch site named first, the target after
        (
            "Three rockets launched from Dora struck the Green Zone in Baghdad on Sunday "
            "night, wounding a guard.",
            "Green Zone",
        ),
        (
            "Two mortar rounds fired from the direction of Dora hit a house in the Green "
            "Zone, police said.",
            "Green Zone",
        ),
    ],
)
def test_where_the_place_a_strike_came_from_is_not_where_it_hit(text: str, place: str) -> None:
    assert main_place(text) == place


def test_where_a_place_named_only_as_an_origin_is_still_the_place() -> None:
    # no other place to rank it against: the origin is all the sentence says of where
    assert main_place("Rockets fired from Dora wounded two soldiers on Sunday night.") == "Dora"
