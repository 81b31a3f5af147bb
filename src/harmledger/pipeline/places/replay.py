"""Reading a text once when its second reading would repeat the first.

:func:`~harmledger.pipeline.places.find_places` reads a text with the core places, then,
when the text points to countries with detail places (villages), reads it again with them.
The reading depends on the places index only through the answers of its lookups: if every
lookup of the first reading gets the same answer (the same places, in the same order) with
the detail places, the second reading would make the same lookups and produce the same
phrases and context. :class:`Recorder` keeps the first reading's questions and answers;
:func:`same_answers` asks them again of the detail index, stopping at the first that
differs (then the text is read again, as before).
"""

from __future__ import annotations

from harmledger.gazetteer import Place, PlaceIndex
from harmledger.gazetteer.names import MIN_SKELETON

#: One lookup: (fuzzy, name, country, min_skeleton) and its answer.
Asked = tuple[bool, str, str | None, int, tuple[Place, ...]]


class Recorder:
    """A :class:`~harmledger.gazetteer.PlaceIndex` that answers from ``index`` and keeps
    every question and answer, in order."""

    __slots__ = ("asked", "index")

    def __init__(self, index: PlaceIndex) -> None:
        self.index = index
        self.asked: list[Asked] | None = []

    def lookup(self, name: str, *, country: str | None = None) -> list[Place]:
        found = self.index.lookup(name, country=country)
        if self.asked is not None:
            self.asked.append((False, name, country, 0, tuple(found)))
        return found

    def lookup_fuzzy(
        self, name: str, *, country: str | None = None, min_skeleton: int = MIN_SKELETON
    ) -> list[Place]:
        found = self.index.lookup_fuzzy(name, country=country, min_skeleton=min_skeleton)
        if self.asked is not None:
            self.asked.append((True, name, country, min_skeleton, tuple(found)))
        return found

    def get(self, place_id: str) -> Place | None:
        self.asked = None  # not replayed: the reading is done again
        return self.index.get(place_id)


def same_answers(asked: list[Asked] | None, index: PlaceIndex) -> bool:
    """Does ``index`` answer every recorded question with the same places (the same
    objects, in the same order)? Asks in the recorded order, as a new reading would."""
    if asked is None:
        return False
    for fuzzy, name, country, min_skeleton, answer in asked:
        if fuzzy:
            found = index.lookup_fuzzy(name, country=country, min_skeleton=min_skeleton)
        else:
            found = index.lookup(name, country=country)
        if len(found) != len(answer) or any(a is not b for a, b in zip(found, answer, strict=True)):
            return False
    return True
