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
read them back. Since ``fuse.v9`` it also keeps **whose people** the words count
(:data:`SIDES`: soldiers, policemen, security forces, fighters, civilians; read back by
:func:`sides`), the **localities** they name as such ("the Azizabad area", "the village
of Daloga": :func:`localities`) and their **capitalised names** (:func:`names`), hashed
at or above :data:`NAME_BASE`.
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


#: whose people a report counts (``fuse.v9``): side -> the nouns naming them after a
#: number ("killing 5 soldiers", "14 Taliban militants were killed", "three civilians").
#: A side's int is :data:`SIDE_BASE` plus its position. ``security`` ("security forces",
#: "guards") may be soldiers or policemen (see :data:`SIDE_OVERLAPS`); "people",
#: "persons" and nationalities name nobody's side and are not read.
SIDES: tuple[tuple[str, str], ...] = (
    (
        "soldiers",
        "soldier soldiers troop troops commando commandos serviceman servicemen "
        "paratrooper paratroopers marine marines conscript conscripts",
    ),
    (
        "policemen",
        "policeman policemen police policewoman policewomen cop cops gendarme gendarmes "
        "arbaki arbakis",
    ),
    ("security", "guard guards personnel"),
    (
        "fighters",
        "militant militants insurgent insurgents fighter fighters rebel rebels jihadist "
        "jihadists terrorist terrorists gunman gunmen attacker attackers taliban "
        "militiaman militiamen bandit bandits kidnapper kidnappers",
    ),
    (
        "civilians",
        "civilian civilians child children woman women villager villagers farmer farmers "
        "shepherd shepherds herder herders worshipper worshippers worshiper worshipers "
        "student students pupil pupils passenger passengers resident residents trader "
        "traders shopper shoppers pilgrim pilgrims fisherman fishermen journalist "
        "journalists teacher teachers boy boys girl girls",
    ),
)
#: side ints start here (above the target classes, below :data:`PLACE_BASE`)
SIDE_BASE = 40
#: a side that may be others: "security personnel" are soldiers or policemen, and the
#: civilians an attack on the security forces kills are counted by some outlets alone
SIDE_OVERLAPS = {
    "security": ("soldiers", "policemen"),
    # one bomb at a check point kills policemen and passers-by: an outlet may count either
    "civilians": ("civilians", "soldiers", "policemen"),
}
_NUMBERS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty dozens "
    "scores several hundreds".split()
)
#: words that end the look for a side after a number: a date ("2 March"), a verb, a
#: preposition ("3 killed in ...")
_SIDE_STOPS = frozenset(
    "january february march april may june july august september october november "
    "december and or in on at by from to near were was are is had have has killed "
    "wounded injured dead died people persons including men man said that who which "
    "when after as with for".split()
)
#: how many words after a number its noun may come ("14 Taliban militants", "4 members
#: of the security forces")
_SIDE_REACH = 5
_SIDE_BETWEEN = frozenset({"members", "of", "the", "its"})
#: what was done to one counted after "a" or "an" ("killing a soldier", "a policeman was
#: wounded")
_HARMED = frozenset(
    "killing killed wounding wounded injuring injured shot dead kidnapped kidnapping "
    "abducted abducting beheaded executed stabbed".split()
)
_SIDE_TOKEN = re.compile(r"\d+|[a-zé]+")
#: capitalised words of a report's evidence (``fuse.v9``): what two copies of one
#: template note ("protesters took to the streets of Aqaba", "... of Jarash") differ by
_NAME = re.compile(r"\b[^\W\d_a-z][\w'-]+")
#: ints at or above this are the capitalised names of the evidence (hashed), above the
#: gazetteer places' range
NAME_BASE = (1 << 30) + 64
#: at most this many names per report; a report with more is not told apart by them
MAX_NAMES = 24
_NAME_SPAN = ((1 << 31) - 1 - NAME_BASE) // 2
#: at most this many localities per report (see :func:`localities`)
MAX_LOCALITIES = 8
_CAP = r"(?:(?:al|el|as|ad|ar|an|at|az)-)?[^\W\d_a-z][\w'’-]*"
_LINK = r"(?:de|do|dos|da|das|del|al|el|la|du|des|di|ad|as|an|ar)"
_LOC_NOUN = (
    r"(?:areas?|villages?|quarters?|neighbou?rhoods?|community|communities|wards?|"
    r"locality|hamlets?|suburbs?|camps?|hills?)"
)
#: a locality named with what it is, which the gazetteer often lacks: "the Azizabad
#: area", "'Jashma Shir Sarkh Kotel' area", "the village of Daloga", "Yibna refugee
#: camp", "in Parchawi of Nad Ali district"
_LOCALITY = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s(?:{_LINK}\s)?){{0,3}}{_CAP})['’]?\s+"
    rf"(?:(?:refugee|displacement|idp)\s+)?"
    rf"{_LOC_NOUN}\b"
    rf"|\b(?:village|town|area|neighbou?rhood|quarter|locality|hamlet|community|hill)\s+of\s+"
    rf"((?:{_CAP}\s?){{1,3}})"
    rf"|\bin\s+({_CAP}(?:\s{_CAP}){{0,2}})\s+of\s+(?:{_CAP}\s){{1,3}}district"
)
_NOT_NAMES = frozenset("in the on at a an and of near al el as ad ar az".split())


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
_SIDE_OF = {w: SIDE_BASE + n for n, (_, forms) in enumerate(SIDES) for w in forms.split()}
for _w in ("security", "forces", "officers"):  # "5 Afghan forces", "3 security officers"
    _SIDE_OF[_w] = _SIDE_OF["guard"]
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
    names: set[int] = set()
    found: set[int] = set()  # localities
    for text in texts:
        lower = text.lower()
        tokens = _WORD.findall(_WEAPONS.sub(" ", lower))
        present = set(tokens)
        out.update(_WORDS[w] for w in present & _WORDS.keys())
        if present & _FIRSTS:  # a two-word phrase may be there
            out.update(_PAIRS[p] for p in pairwise(tokens) if p in _PAIRS)
        out.update(_sides(_SIDE_TOKEN.findall(lower)))
        names.update(_names(text))
        found.update(_localities(text))
    if len(names) <= MAX_NAMES:
        out.update(names)
    if len(found) <= MAX_LOCALITIES:
        out.update(found)
    return tuple(sorted(out))


def _names(text: str) -> set[int]:
    """The capitalised words of ``text`` (hashed, see :data:`NAME_BASE`) that do not
    open a sentence: "Aqaba", "Okkalapa", not "The" or "Gunmen"."""
    out = set()
    for m in _NAME.finditer(text):
        before = text[: m.start()].rstrip()
        if before and before[-1] not in ".!?\"'":
            out.add(NAME_BASE + 2 * (zlib.crc32(m.group().encode("utf-8")) % _NAME_SPAN))
    return out


_SOFT = str.maketrans("qcv", "kkf", "aeiouyhw")


def _skeleton(word: str) -> str:
    """A word as its consonants, so that one locality spelled two ways is one
    ("Hilaliyeh" and "Hilaliyah", "Qandil" and "Kandil", "Sorkh Kotal" and "Sarkh
    Kotel" alike): its first letter (a vowel as "a"), then the rest without vowels, h, w or y,
    q and c as k, doubled letters once."""
    head = "a" if word[0] in "aeiouy" else word[0].translate(_SOFT) or word[0]
    out = [head]
    for ch in word[1:].translate(_SOFT):
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def _localities(text: str) -> set[int]:
    """The localities ``text`` names with what they are (see :data:`_LOCALITY`), hashed
    (odd ints at or above :data:`NAME_BASE`), by their words in lower case."""
    out = set()
    for m in _LOCALITY.finditer(text):
        words = re.findall(r"[^\W\d_]+", next(g for g in m.groups() if g).lower())
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if words:
            key = " ".join(_skeleton(w) for w in words).encode("utf-8")
            out.add(NAME_BASE + 2 * (zlib.crc32(key) % _NAME_SPAN) + 1)
    return out


def _one_harmed(tokens: list[str], i: int) -> set[int]:
    """The side of "a" or "an" at ``i`` when what follows is one of a side harmed:
    "killing a soldier", "shot dead a local policeman", "a civilian was wounded"; not "a
    police officer said" nor "a soldier killed ..."."""
    for j in (i + 1, i + 2):
        if j >= len(tokens):
            return set()
        side = _SIDE_OF.get(tokens[j])
        if side is not None:
            before = i > 0 and tokens[i - 1] in _HARMED
            after = tokens[j + 1 : j + 2] in (["was"], ["were"]) and (
                tokens[j + 2 : j + 3] and tokens[j + 2] in _HARMED
            )
            return {side} if before or after else set()
        if tokens[j] in _SIDE_STOPS or tokens[j].endswith("s"):
            return set()
    return set()


def _sides(tokens: list[str]) -> set[int]:
    """The sides (:data:`SIDES`) whose people the tokens count: the first side's noun
    within :data:`_SIDE_REACH` words after a number ("killing 5 soldiers", "14 Taliban
    militants", "4 members of the security forces"), not after a date or a verb."""
    found: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok in ("a", "an"):
            found.update(_one_harmed(tokens, i))
            continue
        if not ((tok.isdigit() and len(tok) < 4) or tok in _NUMBERS):
            continue
        for nxt in tokens[i + 1 : i + 1 + _SIDE_REACH]:
            if nxt in _SIDE_OF:
                found.add(_SIDE_OF[nxt])
                break
            # what may stand between: "members of the", an adjective ("local",
            # "Afghan", "army"), not a date, a verb, another noun ("five men said
            # that soldiers ...") or a number
            if nxt not in _SIDE_BETWEEN and (
                nxt in _SIDE_STOPS or nxt.isdigit() or nxt in _NUMBERS or nxt.endswith("s")
            ):
                break
    return found


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
    return frozenset(x for x in fp if x < SIDE_BASE)


def sides(fp: Iterable[int]) -> frozenset[str]:
    """The sides whose people a fingerprint's evidence counts (see :data:`SIDES`)."""
    return frozenset(SIDES[x - SIDE_BASE][0] for x in fp if 0 <= x - SIDE_BASE < len(SIDES))


def sides_alike(fp: Iterable[int]) -> frozenset[str]:
    """:func:`sides`, each with the sides it may be (:data:`SIDE_OVERLAPS`): what two
    reports' counts must share to be of one event's people."""
    out: set[str] = set()
    for name in sides(fp):
        out.update(SIDE_OVERLAPS.get(name, (name,)))
    return frozenset(out)


def names(fp: Iterable[int]) -> frozenset[int]:
    """The capitalised names of a fingerprint's evidence (hashed; empty when it names
    more than :data:`MAX_NAMES`)."""
    return frozenset(x for x in fp if x >= NAME_BASE and not x & 1)


def localities(fp: Iterable[int]) -> frozenset[int]:
    """The localities a fingerprint's evidence names with what they are ("the Azizabad
    area", "the village of Daloga": hashed; ``fuse.v9``), gazetteer places or not."""
    return frozenset(x for x in fp if x >= NAME_BASE and x & 1)


def target_names(classes: Iterable[int]) -> list[str]:
    """The names of target classes, for a reason ("checkpoint, market")."""
    return [TARGETS[c - 1][0] for c in sorted(classes)]


def points(fp: Iterable[int]) -> frozenset[int]:
    """The point places (towns, villages...) a fingerprint's evidence names."""
    return frozenset(x for x in fp if PLACE_BASE <= x < NAME_BASE and x & 1)
