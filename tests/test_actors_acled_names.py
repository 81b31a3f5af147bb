"""Myanmar's ethnic armed organisations are named as ACLED names them: the organisation and
its army together ("KNU/KNLA: Karen National Union/Karen National Liberation Army"), whichever
of the two the report names."""

from __future__ import annotations

import pytest

import harmledger
from harmledger.eval.metrics import actor_match


@pytest.mark.parametrize(
    ("sentence", "acled"),
    [
        (
            "Fighters of the Karen National Liberation Army attacked a military outpost near "
            "Hpapun on Sunday, killing four soldiers.",
            "KNU/KNLA: Karen National Union/Karen National Liberation Army",
        ),
        (
            "The Kachin Independence Army attacked an army base near Hpakant on Monday, "
            "killing three soldiers.",
            "KIO/KIA: Kachin Independence Organization/Kachin Independence Army",
        ),
        (
            "TNLA fighters attacked a police station in Namhsan on Tuesday, killing two policemen.",
            "PSLF/TNLA: Palaung State Liberation Front/Ta'ang National Liberation Army",
        ),
    ],
)
def test_ethnic_armed_organisations_take_acleds_joint_name(sentence: str, acled: str) -> None:
    (inc,) = harmledger.extract(sentence, published="2023-03-01")
    assert inc.actor1 is not None
    assert actor_match(acled, inc.actor1.value.name), inc.actor1.value.name


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "On 14 July 2021, Kyaukse People's Defense Force attacked a police post in "
            "Kyaukse town, killing two policemen.",
            "People's Defense Force - Kyaukse",
        ),
        (
            "On 9 October 2021, the People's Defense Force (South Monywa) attacked a "
            "military convoy near Monywa, killing two soldiers.",
            "People's Defense Force - South Monywa",
        ),
        (
            "Fighters of the People's Defence Force attacked a military column near Gangaw "
            "on Sunday, killing 11 soldiers.",
            "People's Defense Force",
        ),
    ],
)
def test_local_branches_are_named_by_their_township(sentence: str, name: str) -> None:
    (inc,) = harmledger.extract(sentence, published="2021-10-12")
    assert inc.actor1 is not None
    assert inc.actor1.value.name == name


def test_a_group_with_no_air_force_that_bombs_sets_off_a_bomb() -> None:
    (inc,) = harmledger.extract(
        "The Kachin Independence Army bombed a police station in Hpakant on Monday.",
        published="2021-09-01",
    )
    assert inc.sub_event_type == "Remote explosive/landmine/IED"
    (strike,) = harmledger.extract(
        "Russian forces bombed the town of Izium on Monday.", published="2022-04-05"
    )
    assert strike.sub_event_type == "Air/drone strike"
