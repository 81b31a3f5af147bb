"""Scoring a candidate place for a phrase: the feature the words ask for, the document's
country, closeness to the place the phrase is tied to and to the document's anchors, the
province the document names, the spelling, and importance (admin > big city > village;
UCDP conflict events break ties between same-named villages). The weights are named and
explained below; :func:`choose` picks the best-scored candidate."""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from harmledger.gazetteer import KM_PER_DEGREE, Place, km_between, normalize
from harmledger.pipeline.places.context import Context
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.words import load_words

# Scoring weights. A candidate's score is a sum of these (see :func:`score`); what may be
# tagged at all is decided in :mod:`.admissible` and :mod:`.towns`.
#: prior by feature class: a bare name most often means the city, then the province...
FEATURE_PRIOR = {
    "country": 4.0,
    "city": 3.0,
    "admin1": 2.8,
    "region": 2.4,
    "military base": 2.4,
    "airport": 2.0,
    "camp": 2.0,
    "landmark": 2.0,
    "area": 2.0,
    "admin2": 1.6,
    "town": 1.5,
    "neighbourhood": 1.0,
    "admin3": 0.8,
    "village": 0.5,
}
#: the feature classes of populated places
POPULATED = frozenset({"village", "town", "city", "neighbourhood"})
#: which classes satisfy the feature the words ask for. Populated classes are
#: interchangeable: most villages have no population figure, so "town"/"village" is a guess.
HINT_CLASSES: dict[str, frozenset[str]] = {
    "village": POPULATED,
    "town": POPULATED,
    "city": POPULATED,
    "neighbourhood": POPULATED,
    "admin1": frozenset({"admin1", "region"}),
    "admin2": frozenset({"admin2", "admin3"}),
    "admin3": frozenset({"admin3", "admin2"}),
    "camp": frozenset({"camp", "military base"}) | POPULATED,
    "military base": frozenset({"military base", "airport"}),
    "airport": frozenset({"airport", "military base"}),
    "landmark": frozenset({"landmark", "military base", "camp", "area"}),
    # "the Sinjar area", "Sagaing region": a town's surroundings, a district or a province
    "area": POPULATED | {"admin1", "admin2", "admin3", "region", "landmark", "area"},
    "container": frozenset({"admin1", "region"}),
    # "Vihiga county", "Atacora department", "Sagaing region": a unit whose level differs
    # from country to country (a Kenyan county is a province, a Liberian one a district)
    "unit": frozenset({"admin1", "admin2", "admin3", "region"}),
    "city_container": frozenset({"city", "town"}),
}
#: the words ask for this class ("the village of" -> populated places; "province" -> admin1)
HINT_MATCH = 3.0
#: ... and exactly the class asked for
HINT_EXACT = 0.5
#: times the country's share of the document's country evidence
COUNTRY_WEIGHT = 3.0
#: a candidate outside every country the document names or implies
OUTSIDE_PENALTY = 2.0
#: the place this phrase is said to lie near or in: full bonus at 0 km, none beyond LINK_KM
LINK_WEIGHT, LINK_KM = 6.0, 60.0
#: other places resolved without ambiguity: full at 0 km, none beyond DOC_KM. Weaker and
#: short-ranged, as one report can span a whole country.
DOC_WEIGHT, DOC_KM = 2.5, 60.0
#: in a province the document names
ADMIN1_WEIGHT = 1.5
#: in the province or district the words right after the name give ("Altamirano, Chiapas"):
#: more than the document's country (a namesake in the right country but the wrong
#: province loses), less than a stated nearby place (LINK_WEIGHT)
WITHIN_UNIT_WEIGHT = 4.0
#: the text spells the gazetteer's preferred name, not only an alternate
PREFERRED_NAME = 0.3
#: a place of another district than the one the text names, further than this from its
#: centre, is a namesake
OTHER_DISTRICT_KM = 30.0


#: the words that ask for a unit
_UNIT_HINTS = frozenset({"admin1", "admin2", "admin3", "unit", "container"})
#: how far from a province's point its namesake town may lie when the gazetteer does not
#: say the town is in it (Kenya's towns are filed under the former provinces)
SEAT_KM = 150.0
#: the kinds of place a bare province name means when a place of its name is one
_SEATS = frozenset({"city", "town"})


def distance(cand: Place, anchor: Place) -> float | None:
    """Distance in km, 0 when one contains the other (an anchor inside a province): a
    province holds the places filed under it as their province, a district those filed
    under it as their district (Sagaing district is not all of the Sagaing region)."""
    if _contains(cand, anchor) or _contains(anchor, cand):
        return 0.0
    if (
        anchor.feature == "admin2"
        and cand.feature in _SEATS
        and not cand.admin2
        and cand.name == anchor.name
        and cand.country == anchor.country
    ):
        return 0.0  # the town a district is named after, filed under no district: "Kyaukme"
    if anchor.feature == "admin1" and (
        cand.country != anchor.country or (cand.admin1 and cand.feature != "country")
    ):
        return math.inf  # in another province, or another country
    if anchor.feature == "admin2" and cand.admin2 and cand.country == anchor.country:
        # in another district: far unless it lies on the border ("Nahrawan, al Mada'in
        # district" is not the Nahrawan 66 km away in Diyala)
        d = km_between(cand, anchor)
        return math.inf if d is None or d > OTHER_DISTRICT_KM else d
    if "admin1" in (cand.feature, anchor.feature):
        return None  # a province centroid says little about distance
    return km_between(cand, anchor)


def _contains(unit: Place, place: Place) -> bool:
    """Is ``place`` filed under the province or district ``unit``?"""
    if unit.feature == "admin1":
        return unit.name == place.admin1
    if unit.feature == "admin2":
        return unit.name == place.admin2
    return False


def importance(p: Place) -> float:
    """Up to 1.5 for population, up to 1.5 for conflict events recorded at the place."""
    return _importance_of(p.population, p.events)


@lru_cache(maxsize=1 << 14)
def _importance_of(population: int, events: int) -> float:
    pop = min(1.5, math.log10(1 + population) / 4) if population else 0.0
    ev = min(1.5, 0.5 * math.log2(1 + events)) if events else 0.0
    return pop + ev


#: provinces and districts: containment in one counts as 0 km (see :func:`distance`), so
#: a latitude far apart does not rule an anchor out
_UNITS = frozenset({"admin1", "admin2"})


def _nearest_anchor(key: str, cand: Place, ctx: Context) -> float | None:
    """Least distance from ``cand`` to the anchors of names other than ``key``, or None
    (anchors DOC_KM or more away in latitude are skipped: they add nothing to the score)."""
    n_seen, best = ctx.near.get((key, cand.id), (0, None))
    anchors = ctx.anchors
    # An anchor DOC_KM or more away in latitude alone adds nothing to the score: skip it
    # unless one of the two is a province or district (containment counts as 0 km).
    lat = cand.latitude if cand.feature not in _UNITS else None
    for k, a in itertools.islice(anchors, n_seen, None):
        if k == key:
            continue
        if (
            lat is not None
            and a.latitude is not None
            and a.feature not in _UNITS
            and abs(a.latitude - lat) * KM_PER_DEGREE >= DOC_KM
        ):
            continue
        if (d := distance(cand, a)) is not None and (best is None or d < best):
            best = d
    ctx.near[(key, cand.id)] = (len(anchors), best)
    return best


def score(
    ph: Phrase, cand: Place, ctx: Context, link: Place | None, key: str | None = None
) -> float:
    s = FEATURE_PRIOR.get(cand.feature, 0.5) + importance(cand)
    if ph.hint and cand.feature in HINT_CLASSES.get(ph.hint, {ph.hint}):
        s += HINT_MATCH
        if cand.feature == ph.hint:
            s += HINT_EXACT  # "Sinjar district": the district before a subdistrict
    s += COUNTRY_WEIGHT * ctx.share.get(cand.country, 0.0)
    if cand.country not in ctx.scope:
        s -= OUTSIDE_PENALTY
    if link is not None:
        d = distance(cand, link)
        if d is not None:
            s += LINK_WEIGHT * max(0.0, 1 - d / LINK_KM)
    # Only anchors of other names: a village next to the city that this very name denotes
    # is no likelier for it.
    if key is None:
        key = normalize(ph.text)
    near = _nearest_anchor(key, cand, ctx)
    if near is not None:
        s += DOC_WEIGHT * max(0.0, 1 - near / DOC_KM)
    if cand.admin1 and cand.admin1 in ctx.admin1s:
        s += ADMIN1_WEIGHT
    if ph.within_units and (cand.admin1 in ph.within_units or cand.admin2 in ph.within_units):
        s += WITHIN_UNIT_WEIGHT
    if normalize(cand.name) == key:
        s += PREFERRED_NAME
    elif ph.hint == "village" and cand.name.lower().startswith(load_words().village_prefixes):
        s += PREFERRED_NAME  # "the village of X" is the gazetteer's "Qaryat X"
    return s


def choose(ph: Phrase, ctx: Context, link: Place | None) -> None:
    cands = ph.candidates
    if ph.hint:
        fit = [c for c in cands if c.feature in HINT_CLASSES.get(ph.hint, {ph.hint})]
        cands = fit or cands
    if ph.within_units and ph.hint not in _UNIT_HINTS:
        # "Karimama (Karimama, Alibori)": the place that lies in the unit, not the unit
        # ("Kale Township, Kale District" names two units of one name)
        # (a district: a province the note closes with may be the phrase's own province,
        # "the deputy governor of Salah al Din ... Balad district, Salah al Din province")
        inside = [c for c in cands if not (c.feature == "admin2" and c.name in ph.within_units)]
        cands = inside or cands
    key = normalize(ph.text)
    scored = sorted(((score(ph, c, ctx, link, key), c) for c in cands), key=lambda sc: -sc[0])
    ph.score, ph.chosen = scored[0]
    ph.scores = [sc for sc, _ in scored]
    if ph.hint is None and ph.chosen.feature == "admin1":
        # a bare name of a province and its namesake town in it ("protested in Kitui"):
        # the town, as a coder reads it; "Kitui county" asks for the county (and "in Salah
        # al-Din" is not the Salah ad Din of Erbil)
        unit = ph.chosen
        want = normalize(unit.name)
        for sc, c in scored:
            if (
                c.feature in _SEATS
                and c.country == unit.country
                and normalize(c.name) == want
                and (
                    unit.name in (c.admin1, c.admin2)
                    or ((d := km_between(c, unit)) is not None and d <= SEAT_KM)
                )
            ):
                ph.score, ph.chosen = sc, c
                break
