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
from collections.abc import Iterable

#: target class -> the words naming it (regular expressions in lower case, matched as
#: whole words of the lowercased text). A class's int is its position plus one. What is
#: hit, not what hits: "car bomb", "vehicle-borne" and "suicide vest" are weapons, and are
#: read out first.
TARGETS: tuple[tuple[str, str], ...] = (
    ("checkpoint", r"check ?points?|checkposts?|check posts?|road ?blocks?|security posts?"),
    (
        "market",
        r"markets?|market ?places?|bazaa?rs?|souks?|shopping (?:areas?|centres?|centers?|malls?)",
    ),
    ("vehicle", r"vehicles?|cars?|trucks?|pick-?ups?|lorr(?:y|ies)|tankers?|humvees?|jeeps?"),
    ("bus", r"(?:mini)?bus(?:es)?|vans?"),
    ("convoy", r"convoys?"),
    ("patrol", r"patrols?"),
    ("mosque", r"mosques?|husayniy+as?|hussainiyas?|shrines?"),
    ("church", r"churche?s?|cathedrals?|temples?"),
    ("school", r"schools?|madrass?as?|universit(?:y|ies)|colleges?|kindergartens?"),
    ("hospital", r"hospitals?|clinics?|health (?:centres?|centers?|facilit(?:y|ies))"),
    ("wedding", r"weddings?"),
    ("funeral", r"funerals?|mourners?|burials?"),
    ("police station", r"police (?:stations?|stations?|headquarters|hq)"),
    ("base", r"bases?|barracks|garrisons?|outposts?|camps?"),
    ("shop", r"shops?|stores?|restaurants?|caf[eé]s?|hotels?|bakery|bakeries"),
    ("farm", r"farms?|farmland|orchards?|fields?|shepherds?|herders?|flocks?|livestock"),
    ("bridge", r"bridges?"),
    ("prison", r"prisons?|jails?"),
    ("office", r"offices?|government (?:building|compound)s?|(?:town|city) halls?"),
    ("pipeline", r"pipelines?|oil ?fields?|oil wells?|refiner(?:y|ies)"),
    ("tower", r"towers?|power (?:lines?|stations?|plants?)|substations?"),
    ("boat", r"boats?|ships?|vessels?|ferr(?:y|ies)"),
    ("mine", r"gold mines?|mining sites?|quarr(?:y|ies)"),
    ("displaced camp", r"(?:idp|refugee|displaced) (?:camps?|settlements?)"),
)

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
#: every target class in one pattern, one group each (``t1``...): one pass over a text
#: (matched on the lowercased text, which is 3-4 times faster than ignoring case)
_TARGET_RE = re.compile(
    r"\b(?=[a-z])(?:"
    + "|".join(f"(?P<t{n}>{p})" for n, (_, p) in enumerate(TARGETS, start=1))
    + r")\b"
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
        for m in _TARGET_RE.finditer(_WEAPONS.sub(" ", text.lower())):
            out.add(int((m.lastgroup or "t0")[1:]))
    return tuple(sorted(out))


def targets(fp: Iterable[int]) -> frozenset[int]:
    """The target classes of a fingerprint (see :data:`TARGETS`)."""
    return frozenset(x for x in fp if x < PLACE_BASE)


def target_names(classes: Iterable[int]) -> list[str]:
    """The names of target classes, for a reason ("checkpoint, market")."""
    return [TARGETS[c - 1][0] for c in sorted(classes)]


def points(fp: Iterable[int]) -> frozenset[int]:
    """The point places (towns, villages...) a fingerprint's evidence names."""
    return frozenset(x for x in fp if x >= PLACE_BASE and x & 1)
