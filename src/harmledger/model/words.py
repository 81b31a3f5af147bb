"""A report's own words, as fusion compares them (``fuse.v7``): a compact, deterministic
fingerprint of what its incident's evidence names, small enough to hold for every report
of a ledger in fusion's memory.

Two reports that share their place, day and kind may still be two events, and what a
coder tells them apart by is the words: "an IED hit a police vehicle at the checkpoint"
and "an IED exploded near the market". :func:`fingerprint` keeps what an incident's words
name as its **targets** (a market, a checkpoint, a convoy, a mosque, a wedding: the
classes of :data:`TARGETS`, each a small int) and the **places** named in its evidence
(their gazetteer ids hashed to ints at or above :data:`PLACE_BASE`, the lowest bit
telling a point, a town or a village, from an area), at most :data:`MAX_PLACES` of
them: a report is at most a few dozen small ints. :func:`targets` and :func:`points`
read them back.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from itertools import pairwise

#: The name of :func:`fingerprint`'s rules, stored with each fingerprint a ledger keeps
#: (``incidents.words_method``): a fingerprint stored under another name is made again
#: from its document. Bump it when :data:`TARGETS`, the places kept or the hashing change.
NAME = "words.v1"

#: target class -> the words naming it: single words and two-word phrases, in lower
#: case, matched as whole words of the lowercased text (a word lookup, not a pattern a
#: class: fusion reads every report's evidence). A class's int is its position plus one.
#: What is hit, not what hits: "car bomb", "vehicle-borne" and "suicide vest" are
#: weapons, and are read out first.
TARGETS: tuple[tuple[str, str], ...] = (
    (
        "checkpoint",
        "checkpoint checkpoints check-point check-points checkpost checkposts roadblock "
        "roadblocks | check point, check points, check post, check posts, road block, "
        "road blocks, security post, security posts",
    ),
    (
        "market",
        "market markets marketplace marketplaces bazar bazars bazaar bazaars souk souks | "
        "shopping area, shopping areas, shopping centre, shopping centres, shopping center, "
        "shopping centers, shopping mall, shopping malls",
    ),
    (
        "vehicle",
        "vehicle vehicles car cars truck trucks pickup pickups pick-up pick-ups lorry "
        "lorries tanker tankers humvee humvees jeep jeeps",
    ),
    ("bus", "bus buses minibus minibuses van vans"),
    ("convoy", "convoy convoys"),
    ("patrol", "patrol patrols"),
    ("mosque", "mosque mosques husayniya husayniyas husseiniya hussainiya shrine shrines"),
    ("church", "church churches cathedral cathedrals temple temples"),
    (
        "school",
        "school schools madrasa madrasas madrassa madrassas university universities "
        "college colleges kindergarten kindergartens",
    ),
    (
        "hospital",
        "hospital hospitals clinic clinics | health centre, health centres, health center, "
        "health centers, health facility, health facilities",
    ),
    ("wedding", "wedding weddings"),
    ("funeral", "funeral funerals mourners burial burials"),
    (
        "police station",
        "| police station, police stations, police headquarters, police hq",
    ),
    ("base", "base bases barracks garrison garrisons outpost outposts camp camps"),
    (
        "shop",
        "shop shops store stores restaurant restaurants cafe cafes café cafés hotel hotels "
        "bakery bakeries",
    ),
    (
        "farm",
        "farm farms farmland orchard orchards field fields shepherd shepherds herder "
        "herders flock flocks livestock",
    ),
    ("bridge", "bridge bridges"),
    ("prison", "prison prisons jail jails"),
    (
        "office",
        "office offices | government building, government buildings, government compound, "
        "government compounds, town hall, city hall",
    ),
    (
        "pipeline",
        "pipeline pipelines oilfield oilfields refinery refineries | oil field, oil fields, "
        "oil well, oil wells",
    ),
    (
        "tower",
        "tower towers substation substations | power line, power lines, power station, "
        "power stations, power plant, power plants",
    ),
    ("boat", "boat boats ship ships vessel vessels ferry ferries"),
    ("mine", "quarry quarries | gold mine, gold mines, mining site, mining sites"),
    (
        "displaced camp",
        "| idp camp, idp camps, refugee camp, refugee camps, displaced camp, displaced camps",
    ),
)


def _lexicon() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    words: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for n, (_, forms) in enumerate(TARGETS, start=1):
        single, _, phrases = forms.partition("|")
        for w in single.split():
            words.setdefault(w, n)
        for phrase in filter(None, (x.strip() for x in phrases.split(","))):
            first, second = phrase.split()
            pairs[first, second] = n
    return words, pairs


_WORDS, _PAIRS = _lexicon()
_FIRSTS = frozenset(first for first, _ in _PAIRS)
_WORD = re.compile(r"[a-zé]+(?:-[a-z]+)?")

#: ints at or above this are the gazetteer places the evidence names (hashed, with the
#: lowest bit set for a point: a town, a city, a village, a neighbourhood); below it,
#: target classes
PLACE_BASE = 64
#: at most this many places per report
MAX_PLACES = 12
#: gazetteer features of places that are points where one event happens
POINT_FEATURES = frozenset({"village", "town", "city", "neighbourhood", "landmark", "camp"})

_WEAPONS = re.compile(
    r"\b(?:car|truck|vehicle)[- ]?(?:borne|bombs?|bombings?)\b|\bv-?bieds?\b|"
    r"\bsuicide (?:vests?|belts?|car)\b|\bbooby-?trapped (?:cars?|vehicles?)\b|"
    r"\bmotorcycle[- ]bombs?\b",
)


def fingerprint(
    texts: Iterable[str], *, places: Iterable[tuple[str | None, str | None]] = ()
) -> tuple[int, ...]:
    """The sorted ints of what an incident's evidence names: the target classes
    (:data:`TARGETS`) its words (``texts``, its evidence spans) name, and up to
    :data:`MAX_PLACES` of the gazetteer ``places`` named in it (``(gazetteer_id,
    feature)`` of each place mention inside its evidence), hashed."""
    out: set[int] = set()
    for gid, feature in places:
        if gid and len(out) < MAX_PLACES:
            point = int(feature in POINT_FEATURES)
            out.add(PLACE_BASE + (zlib.crc32(gid.encode("utf-8")) % (1 << 29)) * 2 + point)
    for text in texts:
        tokens = _WORD.findall(_WEAPONS.sub(" ", text.lower()))
        present = set(tokens)
        out.update(_WORDS[w] for w in present & _WORDS.keys())
        if present & _FIRSTS:  # a two-word phrase may be there
            out.update(_PAIRS[p] for p in pairwise(tokens) if p in _PAIRS)
    return tuple(sorted(out))


def named_in(
    spans: Iterable[tuple[int, int]], places: Iterable[tuple[int, str | None, str | None]]
) -> list[tuple[str | None, str | None]]:
    """The ``(gazetteer_id, feature)`` of the places (``(start, gazetteer_id, feature)``
    of a document's place mentions) that start inside one of an incident's evidence
    ``spans``: what :func:`fingerprint` takes as ``places``."""
    within = list(spans)
    return [(gid, feature) for at, gid, feature in places if any(a <= at < b for a, b in within)]


def of_evidence(
    text: str,
    spans: Sequence[tuple[int, int]],
    places: Iterable[tuple[int, str | None, str | None]],
) -> tuple[int, ...]:
    """The :func:`fingerprint` of an incident's evidence ``spans`` in its document's
    ``text``, with the places (``(start, gazetteer_id, feature)`` of the document's place
    mentions, in their order) that start inside them: what a ledger stores with each
    incident, so that fusion reads a column, not the document."""
    return fingerprint((text[a:b] for a, b in spans), places=named_in(spans, places))


def targets(fp: Iterable[int]) -> frozenset[int]:
    """The target classes of a fingerprint (see :data:`TARGETS`)."""
    return frozenset(x for x in fp if x < PLACE_BASE)


def target_names(classes: Iterable[int]) -> list[str]:
    """The names of target classes, for a reason ("checkpoint, market")."""
    return [TARGETS[c - 1][0] for c in sorted(classes)]


def points(fp: Iterable[int]) -> frozenset[int]:
    """The point places (towns, villages...) a fingerprint's evidence names."""
    return frozenset(x for x in fp if x >= PLACE_BASE and x & 1)
