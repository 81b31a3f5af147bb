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
