"""Places: find place phrases in the text, resolve them in the gazetteer, pick one place
per phrase using the document's context, and code ACLED's geo-precision.

How a phrase is found (words from ``resources/places.json``):

1. *Runs* of capitalised tokens, allowing an Arabic article ("al-Sijir", "al Qaim") and
   connectors inside ("Deir ez Zor", "Umm al Jad", "Ras al-Ain"). A run that contains an
   organisation word ("Islamic State", "Iraqi Air Force", "Amnesty International") is not
   a place; a person title cuts a run ("Prime Minister Haider al-Abadi"); a run followed
   by "said"/"told" is a person.
2. Inside a run the longest sub-span with an exact gazetteer key wins, left to right.
3. The words around it: a cue before ("in", "near", "from"...), a feature word before
   ("the village of") or after ("Anbar province", "Hawija district"), a relation before
   ("just north of", "on the outskirts of", "10 km south of").

How a place is chosen (``_score``; the weights are explained there): the feature the
words ask for, the document's country (country names and demonyms counted over the whole
text), closeness to places resolved without ambiguity in the same document (and strongly
to the place a phrase is said to be near: "al-Sijir, just north of Fallujah"), the
province the document names, and importance (admin > big city > village; UCDP conflict
events recorded at the place break ties between same-named villages).

The fuzzy tier (consonant skeleton: "Sijir" ~ "Sajar") is tried only when the exact tier
finds nothing, and its candidate is kept only when the context supports it.

``PlaceValue.name`` is the gazetteer's preferred name ("Fallujah", "Qaryat as Sajar");
``matched_name`` is the gazetteer spelling that matched the text. Precision: 1 for a named
town, village, neighbourhood or landmark; 2 for "near X", "north of X", "outskirts of X",
a district, or an area; 3 for a province/governorate or a region; None for a country.
"""

from __future__ import annotations

import itertools
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, NamedTuple

from harmledger.config import Settings
from harmledger.gazetteer import (
    KM_PER_DEGREE,
    MIN_SHORT_SKELETON,
    Gazetteer,
    Place,
    importance_key,
    km_between,
    name_keys,
    normalize,
    places_data,
    skeleton,
)
from harmledger.model import Annotated, Mention, PlaceValue, Span
from harmledger.pipeline.places.around import read_around
from harmledger.pipeline.places.phrases import MAX_NAME_TOKENS, Phrase, find_phrases
from harmledger.pipeline.places.tokens import Tok, tokenize
from harmledger.pipeline.places.words import PlaceWords, load_words

__all__ = [
    "MAX_NAME_TOKENS",
    "NAME",
    "PlaceHit",
    "PlaceTagger",
    "PlaceWords",
    "Tok",
    "find_places",
    "load_words",
    "tokenize",
]

NAME = "places.v10"


class PlaceHit(NamedTuple):
    """One resolved place phrase: offsets into the text and the value."""

    start: int
    end: int
    value: PlaceValue


# --------------------------------------------------------------------------- context


def _distance(cand: Place, anchor: Place) -> float | None:
    """Distance in km, 0 when one contains the other (an anchor inside a province)."""
    if cand.feature in ("admin1", "admin2") and cand.name in (anchor.admin1, anchor.admin2):
        return 0.0
    if anchor.feature in ("admin1", "admin2") and anchor.name in (cand.admin1, cand.admin2):
        return 0.0
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


@dataclass(slots=True)
class _Context:
    """What the whole document says about where it is."""

    named: Counter  # country -> evidence from country names and demonyms
    share: dict[str, float]  # country -> share of all evidence (named + resolved places)
    main: frozenset[str]  # countries with at least half the top share
    scope: frozenset[str]  # countries with any evidence, and the detailed (default) ones
    anchors: list[tuple[str, Place]]  # places resolved without ambiguity, by name key
    admin1s: set[str]  # provinces named or implied by anchors
    #: (phrase key, candidate id) -> (anchors looked at, least distance to them): anchors
    #: are only ever added, so a candidate scored again only looks at the new ones
    near: dict[tuple[str, str], tuple[int, float | None]] = field(default_factory=dict)


def _named_countries(toks: list[Tok], phrases: list[Phrase], words: PlaceWords) -> Counter:
    """1 per country name, less per demonym ("Iraqi", "Syrian"; not "Iranian-backed")."""
    c: Counter[str] = Counter()
    for p in phrases:
        if not p.fuzzy and p.candidates and p.candidates[0].feature == "country":
            p.country = True
            c[p.candidates[0].country] += 1
    for t in toks:
        if t.word:
            head, _, tail = t.low.partition("-")
            country = words.demonyms.get(head)
            if country and tail not in words.sponsor_suffixes:
                c[country] += words.demonym_weight
    return c


def _shares(evidence: Counter, default: Iterable[str]) -> tuple[dict[str, float], frozenset[str]]:
    total = sum(evidence.values())
    if not total:
        # No evidence at all (an ACLED-style note): the countries the gazetteer covers in
        # detail, equally.
        d = list(default)
        return {c: 1 / len(d) for c in d}, frozenset(d)
    share = {c: v / total for c, v in evidence.items()}
    top = max(share.values())
    return share, frozenset(c for c, v in share.items() if v >= top / 2)


# Scoring weights. A candidate's score is a sum of these; see _score and _admissible.
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
_POPULATED = frozenset({"village", "town", "city", "neighbourhood"})
#: which classes satisfy the feature the words ask for. Populated classes are
#: interchangeable: most villages have no population figure, so "town"/"village" is a guess.
HINT_CLASSES: dict[str, frozenset[str]] = {
    "village": _POPULATED,
    "town": _POPULATED,
    "city": _POPULATED,
    "neighbourhood": _POPULATED,
    "admin1": frozenset({"admin1", "region"}),
    "admin2": frozenset({"admin2", "admin3"}),
    "admin3": frozenset({"admin3", "admin2"}),
    "camp": frozenset({"camp", "military base"}) | _POPULATED,
    "military base": frozenset({"military base", "airport"}),
    "airport": frozenset({"airport", "military base"}),
    "landmark": frozenset({"landmark", "military base", "camp", "area"}),
    "area": _POPULATED | {"admin2", "admin3", "region", "landmark", "area"},
    "container": frozenset({"admin1", "region"}),
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
#: the text spells the gazetteer's preferred name, not only an alternate
PREFERRED_NAME = 0.3
#: a place of another district than the one the text names, further than this from its
#: centre, is a namesake
OTHER_DISTRICT_KM = 30.0
#: a place further than this from where the text says it lies is a namesake
LINK_REJECT_KM = 100.0
#: ... or, for a district or province, from the place the text links it to
UNIT_LINK_KM = 200.0
#: ... and further than this from the town or city it is said to be in ("al-Allawi in
#: central Baghdad", "the Qadisiya neighbourhood of Kirkuk"); a city's built-up area
#: rarely reaches further from its centre
WITHIN_TOWN_KM = 25.0
#: ... but a village or a fuzzy namesake that the gazetteer does not know as a
#: neighbourhood must lie this close to a town of fewer than BIG_CITY people ("the
#: al-Hilaliyah neighbourhood of Qamishli" is not Hulwah, a village 21 km out)
VILLAGE_IN_TOWN_KM = 8.0
BIG_CITY = 1_000_000
#: what a facility's name ("Ahrar Bridge", "Sumer university") or a part of a longer
#: unknown name ("Bashar" of "Bashar Assad") may not be
_NOT_FACILITY = frozenset({"village", "neighbourhood"})
_NOT_PARTIAL = frozenset({"village", "neighbourhood", "town"})
#: pass 1: a phrase is an anchor when its best candidate beats the next by this much
ANCHOR_MARGIN = 1.5
#: a place outside the document's countries is only tagged when this big (or its country
#: is named): "Tehran", "Ankara", but not a Moroccan "El Jadida" in a note on Iraq
WORLD_CITY = 1_000_000
#: ... or this big when a locative word stands before it ("killed 11 people in Celaya"), no
#: feature word after it asks for another kind of place, no other place of that name is even
#: a tenth as big, and none of the document's countries has a place of that very name
CUED_CITY = 100_000


def _importance(p: Place) -> float:
    """Up to 1.5 for population, up to 1.5 for conflict events recorded at the place."""
    return _importance_of(p.population, p.events)


@lru_cache(maxsize=1 << 14)
def _importance_of(population: int, events: int) -> float:
    pop = min(1.5, math.log10(1 + population) / 4) if population else 0.0
    ev = min(1.5, 0.5 * math.log2(1 + events)) if events else 0.0
    return pop + ev


_UNITS = frozenset({"admin1", "admin2"})


def _nearest_anchor(key: str, cand: Place, ctx: _Context) -> float | None:
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
        if (d := _distance(cand, a)) is not None and (best is None or d < best):
            best = d
    ctx.near[(key, cand.id)] = (len(anchors), best)
    return best


def _score(
    ph: Phrase, cand: Place, ctx: _Context, link: Place | None, key: str | None = None
) -> float:
    s = FEATURE_PRIOR.get(cand.feature, 0.5) + _importance(cand)
    if ph.hint and cand.feature in HINT_CLASSES.get(ph.hint, {ph.hint}):
        s += HINT_MATCH
        if cand.feature == ph.hint:
            s += HINT_EXACT  # "Sinjar district": the district before a subdistrict
    s += COUNTRY_WEIGHT * ctx.share.get(cand.country, 0.0)
    if cand.country not in ctx.scope:
        s -= OUTSIDE_PENALTY
    if link is not None:
        d = _distance(cand, link)
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
    if normalize(cand.name) == key:
        s += PREFERRED_NAME
    elif ph.hint == "village" and cand.name.lower().startswith(_VILLAGE_WORDS):
        s += PREFERRED_NAME  # "the village of X" is the gazetteer's "Qaryat X"
    return s


_VILLAGE_WORDS = ("qaryat ", "qariyat ", "qaryah ")


def _choose(ph: Phrase, ctx: _Context, link: Place | None) -> None:
    cands = ph.candidates
    if ph.hint:
        fit = [c for c in cands if c.feature in HINT_CLASSES.get(ph.hint, {ph.hint})]
        cands = fit or cands
    key = normalize(ph.text)
    scored = sorted(((_score(ph, c, ctx, link, key), c) for c in cands), key=lambda sc: -sc[0])
    ph.score, ph.chosen = scored[0]
    ph.scores = [sc for sc, _ in scored]


def _admissible(ph: Phrase, best: Place, ctx: _Context, link: Place | None) -> bool:
    """Is the chosen candidate good enough to tag?

    - Outside the document's countries: only a country, or a city of WORLD_CITY people,
      or a place whose country the document names.
    - A country, province, district, city, base or curated landmark may stand bare
      ("Baghdad", "Anbar", "Camp Speicher"); so may a town in the document's main country.
    - A village (or a town elsewhere) needs a cue before it ("in", "near", "the village
      of", "north of") or a feature word after it.
    - A fuzzy match needs a cue, the document's main country, and support: the place it is
      said to be near/in, a province the document names, or being the only candidate in
      the main country while the document names no other province.
    """
    if not _in_scope(ph, best, ctx):
        return False
    if ph.facility and best.feature in _NOT_FACILITY:
        return False
    if ph.partial and best.feature in _NOT_PARTIAL:
        return False
    # The text says where it is ("al Budayr village in Kirkuk", "X, north of Y"): a
    # candidate elsewhere is a namesake, not this place.
    if link is not None and (ph.link_kind == "relation" or ph.link_gap != ","):
        d = _distance(best, link)
        limit = LINK_REJECT_KM
        if _in_town(ph, link):
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
    return ph.cue and best.country in ctx.main


def _in_scope(ph: Phrase, best: Place, ctx: _Context) -> bool:
    """A country; or a place in a country the document names or implies (demonyms,
    resolved places) or that the gazetteer covers in detail; or a world city (WORLD_CITY
    people) named by its own name."""
    if best.feature == "country" or best.country in ctx.scope:
        return True
    key = normalize(ph.text)
    if normalize(best.name) != key:
        return False
    if best.population >= WORLD_CITY:
        return True
    return (
        ph.cue
        and ph.hint in (None, "city", "town", "admin1", "admin2")  # not "the al-Hail oilfield"
        and best.population >= CUED_CITY
        and all(
            c is best
            or (
                c.population * 10 < best.population
                # an Iraqi "al-Jadidah" is not Morocco's El Jadida
                and not (c.country in ctx.scope and normalize(c.name) == key)
            )
            for c in ph.candidates
        )
    )


def _in_town(ph: Phrase, link: Place | None) -> bool:
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
    :func:`_in_town`), or for "X neighbourhood" the town or city its sentence names."""
    if ph.link is not None:
        link = phrases[ph.link].chosen
        if _in_town(ph, link):
            return link
    if ph.hint != "neighbourhood":
        return None
    towns = [
        q.chosen
        for q in phrases
        if q is not ph
        and q.sent == ph.sent
        and q.chosen is not None
        and q.chosen.feature in ("city", "town")
    ]
    return towns[0] if towns else None


def _in_towns(phrases: list[Phrase], gaz: Gazetteer) -> None:
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
_SMALL = frozenset({"village", "neighbourhood"})
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


def _coherent(phrases: list[Phrase], gaz: Gazetteer) -> None:
    """A village or neighbourhood chosen far from the towns, cities and units its sentence
    also names is looked for near them, under other spellings too; else it is dropped."""
    for ph in phrases:
        best = ph.chosen
        if best is None or best.feature not in _SMALL or ph.country:
            continue
        frames = [
            q.chosen
            for q in phrases
            if q is not ph
            and q.sent == ph.sent
            and q.chosen is not None
            and q.chosen.feature in _FRAME
        ]
        unique = len(ph.candidates) == 1 and not ph.fuzzy
        if not frames or any(_near_frame(best, f, unique=unique) for f in frames):
            continue
        exact = {c.id for c in ph.candidates if not ph.fuzzy}
        pool = [*ph.candidates, *gaz.lookup_fuzzy(ph.text)]
        near = [
            c
            for c in pool
            if c.feature in _POPULATED | {"admin3"} and any(_near_frame(c, f) for f in frames)
        ]
        if near:
            pick = max(near, key=lambda c: (c.id in exact, *importance_key(c)))
            ph.chosen, ph.fuzzy = pick, pick.id not in exact
        else:
            ph.chosen = None


def _fuzzy_support(ph: Phrase, best: Place, ctx: _Context, link: Place | None) -> bool:
    if ph.hint in ("city", "admin1") and best.feature in ("city", "admin1"):
        # "Kerbla city", "Thi Qaar province": a misspelt city or province, named as such
        return True
    if link is not None:
        d = _distance(best, link)
        return d is not None and d <= LINK_KM
    if ctx.admin1s:
        return best.admin1 in ctx.admin1s
    in_main = [c for c in ph.candidates if c.country in ctx.main]
    return len(in_main) == 1


def _context(phrases: list[Phrase], named: Counter, default: Iterable[str]) -> _Context:
    default = list(default)
    share, main = _shares(named, default)
    ctx = _Context(named, share, main, frozenset([*named, *default]), [], set())
    # Pass 1: choose with the country evidence alone; clear winners become anchors and
    # count as evidence for their country.
    evidence = Counter(named)
    for ph in phrases:
        if ph.fuzzy or ph.country:
            continue
        _choose(ph, ctx, None)
        top = ph.chosen
        assert top is not None
        if len(ph.scores) == 1 or ph.scores[0] - ph.scores[1] >= ANCHOR_MARGIN:
            if not _in_scope(ph, top, ctx):
                continue
            if top.feature == "admin1":
                ctx.admin1s.add(top.name)
            elif top.feature not in ("country", "region"):
                ctx.anchors.append((normalize(ph.text), top))
                if top.admin1:
                    ctx.admin1s.add(top.admin1)
            evidence[top.country] += load_words().anchor_weight
    ctx.share, ctx.main = _shares(evidence, default)
    ctx.scope = frozenset([*evidence, *default])
    if not any(p.country for p in phrases) and evidence == named:
        # only demonyms ("Turkish jets"): they name actors more often than places
        ctx.main = ctx.main | frozenset(default)
    return ctx


def _resolve(phrases: list[Phrase], ctx: _Context) -> None:
    # Later phrases first, so that "X, north of Y" and "X, Y district" know Y.
    for ph in reversed(phrases):
        link = None
        if ph.link is not None:
            link = phrases[ph.link].chosen
        _choose(ph, ctx, link)
        assert ph.chosen is not None
        if not _admissible(ph, ph.chosen, ctx, link):
            ph.chosen = _vouched(ph, link)


def _vouched(ph: Phrase, link: Place | None) -> Place | None:
    """The candidate that the place a phrase is tied to vouches for: "Zawiya, west of
    Tripoli" is the Libyan city 45 km from Tripoli, though the text names no country and
    the gazetteer's first choice was a village in Iraq. The most important candidate in the
    linked place's country within LINK_REJECT_KM of it; None if there is none."""
    if link is None or ph.fuzzy or ph.facility or ph.partial:
        return None
    near = [
        c
        for c in ph.candidates
        if c.country == link.country
        and c.feature in ("city", "town")
        and (d := _distance(c, link)) is not None
        and d <= LINK_REJECT_KM
    ]
    return max(near, key=_importance, default=None)


# --------------------------------------------------------------------------- values


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


def _value(ph: Phrase, phrases: list[Phrase]) -> PlaceValue:
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


# --------------------------------------------------------------------------- entry points


def find_places(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    sentences: Sequence[Span] | None = None,
    within: Iterable[Span] | None = None,
    actors: Iterable[tuple[int, int, str | None]] = (),
) -> list[PlaceHit]:
    """Place mentions of ``text``, resolved. The whole text is read for context; only
    phrases inside ``within`` spans (all when None) are returned, except country names,
    which are always returned (the assembler uses them for the document's country).

    ``actors``: the (start, end, country) of the document's actor mentions (country None
    when it says nothing of where the actor acts). A group's country is evidence of it, as
    a demonym is ("Houthi fighters": Yemen), once per country; and a group's name is not a
    village ("Taliban fighters")."""
    from harmledger.pipeline.segment import split_sentences

    gaz = gazetteer if gazetteer is not None else Gazetteer.load(None)
    words = load_words()
    sents = list(sentences) if sentences else split_sentences(text)
    toks = tokenize(text, sents)
    phrases = find_phrases(text, toks, gaz, words)
    read_around(phrases, toks, words)
    named = _named_countries(toks, phrases, words)
    groups = [(a, b) for a, b, _ in actors]
    for country in {c for _, _, c in actors if c}:
        named[country] += words.demonym_weight
    ctx = _context(phrases, named, places_data()["default_countries"])
    _resolve(phrases, ctx)
    for ph in phrases:
        if (
            ph.chosen is not None
            and ph.chosen.feature in _SMALL
            and ph.hint is None
            and any(a <= ph.start and ph.end <= b for a, b in groups)
        ):
            ph.chosen = None
    _in_towns(phrases, gaz)
    _coherent(phrases, gaz)
    keep = None if within is None else list(within)
    out: list[PlaceHit] = []
    for ph in phrases:
        if ph.chosen is None:
            continue
        outside = keep is not None and not any(
            s.start <= ph.start and ph.end <= s.end for s in keep
        )
        if outside and ph.chosen.feature != "country":
            continue
        out.append(PlaceHit(ph.span_start, ph.span_end, _value(ph, phrases)))
    return out


#: Actor categories whose country says nothing of where they act.
_ABROAD = frozenset({"State Forces", "External/Other Forces"})


class PlaceTagger:
    """Adds ``place`` mentions (see the module docstring)."""

    name: ClassVar[str] = NAME
    assigns: ClassVar[tuple[str, ...]] = ("place",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: (HARMLEDGER_HOME, settings.user_gazetteer_dir) of the last call: the property
        #: builds a path from the environment on every call, and only that variable changes it
        self._user_dir: tuple[str | None, Path] | None = None

    def _gazetteer(self) -> Gazetteer:
        home = os.environ.get("HARMLEDGER_HOME")
        if self._user_dir is None or self._user_dir[0] != home:
            self._user_dir = (home, self.settings.user_gazetteer_dir)
        return Gazetteer.load(self._user_dir[1])

    def __call__(self, doc: Annotated) -> Annotated:
        gaz = self._gazetteer()
        within = None
        if doc.candidates is not None and doc.sentences:
            within = [s for i, s in doc.candidate_sentences()]
        # an armed group fights in its own country; a state's forces may be abroad ("US
        # troops handed over the K1 base in Kirkuk")
        actors = [
            (m.start, m.end, None if m.value.category in _ABROAD else m.value.country)  # type: ignore[union-attr]
            for m in doc.of_kind("actor")
        ]
        hits = find_places(
            doc.text, gazetteer=gaz, sentences=doc.sentences, within=within, actors=actors
        )
        mentions = [
            Mention(
                kind="place",
                start=h.start,
                end=h.end,
                text=doc.text[h.start : h.end],
                value=h.value,
                stage=self.name,
            )
            for h in hits
        ]
        return doc.add(mentions, stage=self.name)
