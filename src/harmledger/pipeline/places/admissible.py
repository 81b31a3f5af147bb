"""Admissibility: is the best-scored candidate good enough to tag? A place outside the
document's countries, a village with no cue, a namesake far from where the text says the
place lies, a fuzzy match without support are not."""

from __future__ import annotations

from harmledger.gazetteer import Place, normalize
from harmledger.pipeline.places.context import Context
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.scoring import distance
from harmledger.pipeline.places.towns import WITHIN_TOWN_KM, in_town
from harmledger.pipeline.places.words import load_words

#: a place further than this from where the text says it lies is a namesake
LINK_REJECT_KM = 100.0
#: ... or, for a district or province, from the place the text links it to
UNIT_LINK_KM = 200.0
#: a look-alike spelling is only the place the text ties it to when this close to it: a
#: village said to be in a commune lies within its commune ("Tampatou (Toucountouna,
#: Atacora)" is no Tawanmpouta 39 km off, in another commune)
FUZZY_LINK_KM = 30.0
#: what a facility's name ("Ahrar Bridge", "Sumer university") or a part of a longer
#: unknown name ("Bashar" of "Bashar Assad") may not be
_NOT_FACILITY = frozenset({"village", "neighbourhood"})
_NOT_PARTIAL = frozenset({"village", "neighbourhood", "town"})
#: a place outside the document's countries is only tagged when this big (or its country
#: is named): "Tehran", "Ankara", but not a Moroccan "El Jadida" in a note on Iraq
WORLD_CITY = 1_000_000
#: ... or this big when a locative word stands before it ("killed 11 people in Celaya"), no
#: feature word after it asks for another kind of place, no other place of that name is even
#: a tenth as big, and none of the document's countries has a place of that very name
CUED_CITY = 100_000


def admissible(ph: Phrase, best: Place, ctx: Context, link: Place | None) -> bool:
    """Is the chosen candidate good enough to tag?

    - Outside the document's countries: only a country, or a city of WORLD_CITY people,
      or a place whose country the document names.
    - A country, province, district, city, base or curated landmark may stand bare
      ("Baghdad", "Anbar", "Camp Speicher"); so may a town in the document's main country.
    - A village (or a town elsewhere) needs a cue before it ("in", "near", "the village
      of", "north of") or a feature word after it.
    - A lone letter ("U" of "U.S.") is never a place.
    - A fuzzy match needs a cue, the document's main country, and support: the place it is
      said to be near/in (within FUZZY_LINK_KM of it, or filed in the district of its
      name), a province the document names, or being the only candidate in
      the main country while the document names no other province.
    """
    if sum(c.isalpha() for c in ph.text) < 2 or len(normalize(ph.text).replace(" ", "")) < 2:
        # a lone letter is an initial ("U.S. officials"), not a place's name; nor is one
        # after a word read as an article ("as I")
        return False
    if not in_scope(ph, best, ctx):
        return False
    if ph.facility and best.feature in _NOT_FACILITY:
        return False
    if ph.partial and best.feature in _NOT_PARTIAL:
        return False
    # The text says where it is ("al Budayr village in Kirkuk", "X, north of Y"): a
    # candidate elsewhere is a namesake, not this place.
    if (
        link is not None
        and (ph.link_kind == "relation" or ph.link_gap != ",")
        and not (_in_unit(ph, best, link))
    ):
        d = distance(best, link)
        limit = LINK_REJECT_KM
        if in_town(ph, link):
            limit = WITHIN_TOWN_KM
        elif best.feature in ("admin2", "admin1"):
            # a unit's centre says little of its edge: "south of Shirqat district, north
            # of Tikrit" is true 100 km from Tikrit; a unit has no namesakes to reject
            limit = max(limit, UNIT_LINK_KM)
        if d is not None and d > limit:
            return False
    if ph.fuzzy:
        return ph.cue and best.country in ctx.main and _fuzzy_support(ph, best, ctx, link)
    if best.feature in load_words().bare_ok:
        return True
    if best.feature == "town" and best.country in ctx.main:
        return True
    # a village of a country the document does not point to is a namesake
    return (
        ph.cue or _named_in_unit(ph, best, link) or _put_in_unit(ph, best)
    ) and best.country in ctx.main


def _in_unit(ph: Phrase, best: Place, link: Place) -> bool:
    """The words put the place in a province or district ("Rochester (New York)",
    "Lougou (Segbana, Alibori)": the district named after its town) that the gazetteer
    also records it in: no namesake, however far the unit's centre lies (a state's centre
    is 250 km from some of its towns)."""
    if ph.link_kind != "within":
        return False
    units = {normalize(u) for u in (best.admin1, best.admin2) if u}
    return normalize(link.name) in units


def _put_in_unit(ph: Phrase, best: Place) -> bool:
    """A coder's "Village, Province": the province after a comma, which the gazetteer also
    records the village in, introduces the name as a place ("Russian drones attacked
    Arkushyne, Kharkiv")."""
    return bool(ph.within_units) and (
        best.admin1 in ph.within_units or best.admin2 in ph.within_units
    )


def _named_in_unit(ph: Phrase, best: Place, link: Place | None) -> bool:
    """A coder's "Village (District, Province)": the unit in brackets, which the gazetteer
    also records the village in, introduces the name as a place, as "in" does ("in a
    hamlet of the village Lougou (Segbana, Alibori)")."""
    if link is None or ph.link_gap != "(":
        return False
    return _in_unit(ph, best, link)


def in_scope(ph: Phrase, best: Place, ctx: Context) -> bool:
    """A country; or a place in a country the document names or implies (demonyms,
    resolved places) or that the gazetteer covers in detail; or a world city (WORLD_CITY
    people) named by its own name."""
    if best.feature == "country" or best.country in ctx.scope:
        return True
    key = normalize(ph.text)
    if normalize(best.name) != key:
        return False
    # a district named after its town is as big as the town ("in Beni territory")
    population = max(
        (c.population for c in ph.candidates if c.country == best.country and c.name == best.name),
        default=best.population,
    )
    if population >= WORLD_CITY:
        return True
    return (
        ph.cue
        and ph.hint in (None, "city", "town", "admin1", "admin2")  # not "the al-Hail oilfield"
        and population >= CUED_CITY
        and all(
            c is best
            or c.country == best.country
            or (
                c.population * 10 < population
                # an Iraqi "al-Jadidah" is not Morocco's El Jadida
                and not (c.country in ctx.scope and normalize(c.name) == key)
            )
            for c in ph.candidates
        )
    )


def _fuzzy_support(ph: Phrase, best: Place, ctx: Context, link: Place | None) -> bool:
    if ph.hint in ("city", "admin1") and best.feature in ("city", "admin1"):
        # "Kerbla city", "Thi Qaar province": a misspelt city or province, named as such
        return True
    if link is not None:
        if best.admin2 and normalize(best.admin2) == normalize(link.name):
            return True  # filed in the district or commune the text ties it to
        d = distance(best, link)
        return d is not None and d <= FUZZY_LINK_KM
    if ctx.admin1s:
        return best.admin1 in ctx.admin1s
    in_main = [c for c in ph.candidates if c.country in ctx.main]
    return len(in_main) == 1
