"""Reading a text once when the villages its countries bring change no lookup: the
recorded questions of the first reading, asked again of the detail places, decide."""

import pytest

from harmledger.gazetteer import Gazetteer, PlaceIndex
from harmledger.pipeline.places import find_places
from harmledger.pipeline.places import replay as replay_mod
from harmledger.pipeline.places.replay import Recorder, same_answers


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(None)


def test_replay_records_questions_and_answers_in_order(gaz: Gazetteer) -> None:
    rec = Recorder(gaz)
    assert [p.name for p in rec.lookup("Zaporizhia")] == [p.name for p in gaz.lookup("Zaporizhia")]
    assert rec.lookup("Temyrivka") == []
    rec.lookup_fuzzy("Zaporizhzhia")
    assert rec.asked is not None
    assert [(fuzzy, name) for fuzzy, name, *_ in rec.asked] == [
        (False, "Zaporizhia"),
        (False, "Temyrivka"),
        (True, "Zaporizhzhia"),
    ]


def test_replay_a_village_the_detail_places_know_is_a_different_answer(gaz: Gazetteer) -> None:
    rec = Recorder(gaz)
    rec.lookup("Zaporizhia")
    rec.lookup("Temyrivka")  # no place in the core; a village of Ukraine's detail file
    assert not same_answers(rec.asked, gaz.view(["UA"]))
    # Somalia's villages have no Temyrivka: every answer stays the same
    assert same_answers(rec.asked, gaz.view(["SO"]))


def test_replay_an_index_read_by_id_is_read_again(gaz: Gazetteer) -> None:
    rec = Recorder(gaz)
    rec.lookup("Zaporizhia")
    rec.get("no-such-place")
    assert not same_answers(rec.asked, gaz.view(["SO"]))


@pytest.mark.parametrize(
    "text",
    [
        # Ukraine's villages change the reading ("Temyrivka" is one of them)
        "Russian forces shelled Temyrivka, Zaporizhia, overnight, damaging a school.",
        "Militants ambushed a convoy near Ceel Buur (Galgaduud) on Thursday.",
        # Russia's and Saudi Arabia's villages are loaded and change nothing the text names
        "Saudi Arabia and Russia condemned the attack on the market in Idlib, which killed 12 "
        "civilians.",
        "The airstrike in Aleppo killed 15 civilians, a monitor in London said, as Russia and "
        "Turkey met.",
    ],
)
def test_replay_gives_the_places_of_a_second_reading(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import harmledger.pipeline.places as places_mod

    replays: list[bool] = []

    def recorded(asked: list[replay_mod.Asked] | None, index: PlaceIndex) -> bool:
        replays.append(same_answers(asked, index))
        return replays[-1]

    monkeypatch.setattr(places_mod, "same_answers", recorded)
    replayed = find_places(text)
    assert replays  # the text brings some country's villages
    # the same text with the second reading always done
    monkeypatch.setattr(places_mod, "same_answers", lambda asked, index: False)
    assert find_places(text) == replayed


def test_replay_is_used_when_the_villages_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import harmledger.pipeline.places as places_mod

    replays: list[bool] = []

    def recorded(asked: list[replay_mod.Asked] | None, index: PlaceIndex) -> bool:
        replays.append(same_answers(asked, index))
        return replays[-1]

    monkeypatch.setattr(places_mod, "same_answers", recorded)
    find_places("Saudi Arabia and Russia condemned the attack on the market in Idlib.")
    find_places("Russian forces shelled Temyrivka, Zaporizhia, overnight.")
    assert replays == [True, False]
