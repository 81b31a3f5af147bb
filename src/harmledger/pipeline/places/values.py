"""The value of a resolved phrase: the :class:`PlaceValue` with the gazetteer's names, the
relation the words state ("north of", "western part of") and ACLED's geo-precision."""

from __future__ import annotations

from harmledger.gazetteer import Place, name_keys, normalize, skeleton
from harmledger.model import PlaceValue
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.scoring import HINT_CLASSES


def _matched_name(place: Place, text: str, fuzzy: bool) -> str:
    names = (place.name, *place.alternates)
    if fuzzy:
        want = skeleton(normalize(text))
        return next((n for n in names if skeleton(normalize(n)) == want), place.name)
    keys = set(name_keys(text))
    return next((n for n in names if keys & set(name_keys(n))), place.name)


def _precision(ph: Phrase, place: Place) -> int | None:
    f = place.feature
    if f == "country":
        return None
    if f in ("admin1", "region") or ph.hint == "admin1":
        return 3
    if f == "neighbourhood" and ph.relation is None:
        return 1  # "Baghdad's Zayouna district" names a quarter of the city, not a district
    if f in ("admin2", "admin3", "area") or ph.hint in ("admin2", "admin3", "area"):
        return 2  # a district, or an area such as a mountain range, lake or oil field
    if ph.hint in HINT_CLASSES and f not in HINT_CLASSES[ph.hint]:
        return 2  # "Baiji refinery", "Majnoon oil field": somewhere at or near the place
    if ph.relation is not None:  # "near X", "north of X"; "western X" is ph.part
        return 2
    return 1


def place_value(ph: Phrase, phrases: list[Phrase]) -> PlaceValue:
    p = ph.chosen
    assert p is not None
    relation, anchor = ph.relation, (p.name if ph.relation else None)
    if ph.link is not None and ph.link_kind == "relation":
        other = phrases[ph.link]
        if other.chosen is not None:
            relation, anchor = other.relation, other.chosen.name
    precision = _precision(ph, p)
    if ph.part and relation is None:
        relation, anchor = f"{ph.part} part of", p.name
    return PlaceValue(
        name=p.name,
        country=p.country,
        admin1=p.name if p.feature == "admin1" else p.admin1,
        admin2=p.name if p.feature == "admin2" else p.admin2,
        latitude=p.latitude,
        longitude=p.longitude,
        precision=precision,
        feature=p.feature,
        gazetteer_id=p.id,
        relation=relation,
        anchor=anchor,
        matched_name=_matched_name(p, ph.text, ph.fuzzy),
    )
