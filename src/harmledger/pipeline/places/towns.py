"""Towns and coherence: a place the words put inside a town or city ("the Shuna
neighbourhood of Mosul", "al-Allawi in central Baghdad") is looked for there, and a village
or neighbourhood chosen far from every town, city and unit its sentence names is looked for
near them; each under other spellings too, and dropped when nothing fits."""

from __future__ import annotations

import re

from harmledger.gazetteer import MIN_SHORT_SKELETON, Place, PlaceIndex, importance_key
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.scoring import POPULATED, km_between

#: a place further than this from the town or city the text says it is in ("al-Allawi in
#: central Baghdad", "the Qadisiya neighbourhood of Kirkuk") is a namesake (a tighter
#: admissible.LINK_REJECT_KM): a city's built-up area rarely reaches further from its centre
WITHIN_TOWN_KM = 25.0
#: but a village or a fuzzy namesake that the gazetteer does not know as a
#: neighbourhood must lie this close to a town of fewer than BIG_CITY people ("the
#: al-Hilaliyah neighbourhood of Qamishli" is not Hulwah, a village 21 km out)
VILLAGE_IN_TOWN_KM = 8.0
#: a town of this many people reaches WITHIN_TOWN_KM for any place said to be in it
BIG_CITY = 1_000_000


def in_town(ph: Phrase, link: Place | None) -> bool:
    """Does the text put the phrase inside the town or city it is linked to? "the Shuna
    neighbourhood of Mosul", "al-Allawi in central Baghdad", "X in Kut city" do; "Umm
    Qasr (Basrah)" names the province."""
    return (
        link is not None
        and ph.link_kind == "within"
        and link.feature in ("city", "town")
        and (ph.hint == "neighbourhood" or ph.link_to_hint in ("city", "city_container"))
    )


def _town_of(ph: Phrase, phrases: list[Phrase]) -> Place | None:
    """The town or city a phrase lies in by the words: the one it is linked to (see
    :func:`in_town`); for "X neighbourhood" the town or city its sentence names, else the
    last one the text named before it ("in Aracaju (Sergipe), police exchanged fire with a
    suspect in the Lamarao neighborhood. Elsewhere, ... in the Aruana neighborhood": a
    quarter of Aracaju, not the town of Aruana 1,500 km away)."""
    if ph.link is not None:
        link = phrases[ph.link].chosen
        if in_town(ph, link):
            return link
    if ph.hint != "neighbourhood":
        return None
    towns = [
        q
        for q in phrases
        if q is not ph
        and q.chosen is not None
        and q.chosen.feature in ("city", "town")
        and q.hint != "neighbourhood"
        and not (q.facility or q.partial or q.dateline)
    ]
    same = [q.chosen for q in towns if q.sent == ph.sent]
    if same:
        return same[0]
    before = [q.chosen for q in towns if q.end <= ph.start]
    return before[-1] if before else None


def in_towns(phrases: list[Phrase], gaz: PlaceIndex) -> None:
    """A neighbourhood of a city the sentence names is looked for in that city, under
    other spellings too ("Shula" is the gazetteer's "Shuala", "Doura" its "Dora"); a
    namesake elsewhere in the country is dropped."""
    for ph in phrases:
        if ph.country:
            continue
        town = _town_of(ph, phrases)
        if town is None:
            continue
        if ph.chosen is not None and (km_between(ph.chosen, town) or 0.0) <= WITHIN_TOWN_KM:
            continue
        exact = {c.id for c in ph.candidates if not ph.fuzzy}
        pool = [*ph.candidates, *gaz.lookup_fuzzy(ph.text, min_skeleton=MIN_SHORT_SKELETON)]
        near = [
            c
            for c in pool
            if c.id != town.id
            and c.feature not in ("country", "admin1", "admin2")
            and (d := km_between(c, town)) is not None
            and d <= _within_km(c, town)
        ]
        if near:
            best = max(near, key=lambda c: (c.feature == "neighbourhood", c.id in exact))
            ph.chosen, ph.fuzzy = best, best.id not in exact
        else:
            ph.chosen = None


def _within_km(c: Place, town: Place) -> float:
    """How far from a town's centre a place said to be in it may lie."""
    if c.feature == "neighbourhood" or town.population >= BIG_CITY:
        return WITHIN_TOWN_KM
    return VILLAGE_IN_TOWN_KM


#: A village or neighbourhood further than this from every town, city or unit its sentence
#: names (and outside their provinces) is a namesake: "the Mukhtar of the village of
#: Al-Lazakah in Nineveh province", "Salhiya and Sumer neighborhoods of Nassriya city"
COHERENT_KM = 100.0
#: ... or, for the only place of its name, further than this from the centre of the
#: province the sentence names (sources disagree on where provinces end)
COHERENT_ADMIN1_KM = 150.0
#: small places, with many namesakes: the towns and units of their sentence must agree
#: (:func:`coherent`), and an actor's name is never one (``find_places``)
SMALL = frozenset({"village", "neighbourhood"})
#: a road or highway after a name: it leads to the town it is named after
_ROAD = re.compile(r"\s+(?:road|roads|highway|highways)\b", re.IGNORECASE)
#: a town of fewer people than this has namesakes as a village does (see :func:`coherent`)
SMALL_TOWN = 50_000
#: the places that frame a small place in its sentence
_FRAME = frozenset({"city", "town", "admin1", "admin2"})


def _near_frame(c: Place, frame: Place, *, unique: bool = False) -> bool:
    if c.country != frame.country:
        return False
    if frame.feature == "admin1":
        if c.admin1 == frame.name:
            return True
        d = km_between(c, frame)
        return unique and d is not None and d <= COHERENT_ADMIN1_KM
    if frame.feature == "admin2" and c.admin2 == frame.name:
        return True
    d = km_between(c, frame)
    return d is not None and d <= COHERENT_KM


def coherent(phrases: list[Phrase], gaz: PlaceIndex, text: str = "") -> None:
    """A village or neighbourhood chosen far from the towns, cities and units its sentence
    also names is looked for near them, under other spellings too; else it is dropped. A
    place named only in a facility's or a longer unknown name is dropped when it lies far
    from the towns its sentence names (:func:`_in_its_town`)."""
    for ph in phrases:
        best = ph.chosen
        if best is None or ph.country:
            continue
        if (
            (ph.facility or ph.partial)
            and best.feature in POPULATED
            and best.population < BIG_CITY
            and not _ROAD.match(text, ph.end)
        ):
            # (a metropolis names events and firms far from it, "the Beijing Games"; a road
            # leads to the town it is named after, "the Al Mahmudiyah road in Baghdad")
            _in_its_town(ph, best, phrases)
            continue
        # a town the words call a village ("in Zee Kone village") is as small, and has as
        # many namesakes; so has a small town the words put in units ("Hkamti town of
        # Hkamti township (Hkamti district, Sagaing region)" is not Putao, in Kachin)
        if best.feature not in SMALL and not (
            best.feature == "town"
            and (ph.hint == "village" or (best.population < SMALL_TOWN and bool(ph.within_units)))
        ):
            continue
        frames = [
            q.chosen
            for q in phrases
            if q is not ph
            and q.sent == ph.sent
            and q.chosen is not None
            and q.chosen.feature in _FRAME
        ]
        # a city named after its province may name the province: "shelled Temyrivka,
        # Zaporizhia" (the oblast, not the city 150 km away)
        frames += [
            c
            for q in phrases
            if q is not ph and q.sent == ph.sent and q.chosen is not None
            for c in q.candidates
            if c.feature == "admin1" and c is not q.chosen and c.country == q.chosen.country
        ]
        unique = len(ph.candidates) == 1 and not ph.fuzzy
        if not frames or any(_near_frame(best, f, unique=unique) for f in frames):
            continue
        exact = {c.id for c in ph.candidates if not ph.fuzzy}
        pool = [*ph.candidates, *gaz.lookup_fuzzy(ph.text)]
        near = [
            c
            for c in pool
            if c.feature in POPULATED | {"admin3"} and any(_near_frame(c, f) for f in frames)
        ]
        if near:
            pick = max(near, key=lambda c: (c.id in exact, *importance_key(c)))
            ph.chosen, ph.fuzzy = pick, pick.id not in exact
        else:
            ph.chosen = None


def _in_its_town(ph: Phrase, best: Place, phrases: list[Phrase]) -> None:
    """A market, a road or a building named after a place ("near Myoma market", "Pyay Thar
    4 Road") in a sentence that names the town it is in ("in Sagaing town") lies in that
    town: a namesake further than WITHIN_TOWN_KM from every town and city the sentence
    names is dropped."""
    towns = [
        q.chosen
        for q in phrases
        if q is not ph
        and q.sent == ph.sent
        and not (q.facility or q.partial)
        and q.chosen is not None
        and q.chosen.feature in ("city", "town")
    ]
    if towns and all((km_between(best, t) or 0.0) > WITHIN_TOWN_KM for t in towns):
        ph.chosen = None
