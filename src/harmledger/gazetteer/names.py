"""Place names as index keys: :func:`normalize` (the exact tier), :func:`skeleton` (the fuzzy
tier), :func:`name_keys` and the keys of a place; distances; the word lists they read
(``resources/places.json``)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Protocol

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.gazetteer.place import Place


@dataclass(frozen=True, slots=True)
class NameRules:
    """The word lists normalisation uses (from ``resources/places.json``)."""

    articles: frozenset[str]
    #: a word written in another orthography -> the form the key uses (Somali "ceel" is
    #: the "el" of "El Bur")
    word_forms: dict[str, str]
    #: first word -> phrases starting with it, longest first
    strip_prefixes: dict[str, tuple[tuple[str, ...], ...]]
    optional_prefixes: frozenset[str]
    tall_forms: frozenset[str]
    #: last word -> phrases ending with it, longest first
    strip_suffixes: dict[str, tuple[tuple[str, ...], ...]]


@cache
def places_data() -> dict[str, Any]:
    """``resources/places.json``, read once per process."""
    data = resources.read_json("places.json")
    if not isinstance(data, dict) or "articles" not in data:
        raise ResourceError(
            "packaged resource 'places.json' lacks 'articles'; reinstall harmledger"
        )
    return data


@cache
def name_rules() -> NameRules:
    d = places_data()

    def phrases(key: str, at: int) -> dict[str, tuple[tuple[str, ...], ...]]:
        out: dict[str, list[tuple[str, ...]]] = {}
        for p in {tuple(_basic(p).split()) for p in d[key]}:
            if p:
                out.setdefault(p[at], []).append(p)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}

    return NameRules(
        articles=frozenset(d["articles"]),
        word_forms={_basic(k): _basic(v) for k, v in d["word_forms"].items()},
        strip_prefixes=phrases("strip_prefixes", 0),
        optional_prefixes=frozenset(d["optional_prefixes"]),
        tall_forms=frozenset(d["tall_forms"]),
        strip_suffixes=phrases("strip_suffixes", -1),
    )


_APOSTROPHES = "'`´ʿʾʼʻ‘’‛′"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, ""),
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _basic(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces."""
    t = text.lower().translate(_TRANSLATE)
    if not t.isascii():
        t = "".join(ch for ch in unicodedata.normalize("NFKD", t) if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", t).strip()


def _strip_phrase(
    tokens: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]], *, front: bool
) -> bool:
    for p in phrases.get(tokens[0] if front else tokens[-1], ()):
        n = len(p)
        if len(tokens) > n and (tuple(tokens[:n]) if front else tuple(tokens[-n:])) == p:
            if front:
                del tokens[:n]
            else:
                del tokens[-n:]
            return True
    return False


def name_keys(text: str) -> list[str]:
    """Every exact-tier key of a name: :func:`normalize` plus the form without an optional
    generic prefix ("Khirbat X", "Hayy X", "Camp X" -> also "x") and, for a name of short
    syllables, the form without spaces."""
    key = normalize(text)
    if not key:
        return []
    keys = [key]
    first, _, rest = key.partition(" ")
    if rest and first in name_rules().optional_prefixes:
        keys.append(rest)
    if rest and len(key) <= JOINED_MAX * 4 and all(len(t) <= JOINED_MAX for t in key.split()):
        # a name written in syllables, with or without spaces: Burmese "Daung Gyi" is also
        # "Daunggyi", "Mya Kone" "Myakone"
        keys.append(key.replace(" ", ""))
    return keys


def unglued_keys(text: str) -> list[str]:
    """The keys of ``text`` with an Arabic article written onto a word taken off ("Kherbet
    Elnaqus" -> "kherbet naqus", "naqus"), and with a Burmese final "oke" written "ok"
    ("Mogoke" -> "mogok"); [] when no word has either. For lookups of a name the gazetteer
    does not know as written, never for indexing."""
    out: list[str] = []
    for key in name_keys(text):
        words = [
            w[2:] if w[:2] in _GLUED and len(w) >= _GLUED_MIN and w[2] not in "aeiou" else w
            for w in key.split()
        ]
        k = " ".join(words)
        if k != key and k not in out:
            out.append(k)
        # Burmese romanised two ways: "Mogoke" is GeoNames' "Mogok"
        k = _BURMESE_OKE.sub("ok", key)
        if k != key and k not in out:
            out.append(k)
    return out


#: a word's final "oke" ("Mogoke"): the stopped o of another romanisation of Burmese
_BURMESE_OKE = re.compile(r"(?<=[a-z])oke\b")


#: articles written onto a name ("Elnaqus", "Almayadin"), and how long such a word must
#: be (the article and a name of four letters)
_GLUED = frozenset({"al", "el"})
_GLUED_MIN = 6


#: The longest syllable of a name that is also keyed without its spaces (see name_keys):
#: Burmese syllables have up to five letters ("Hlaing", six, stays apart: the longer the
#: words, the likelier two of them are separate names)
JOINED_MAX = 5


#: Kilometres per degree of latitude (for cheap bounds before a distance is computed).
KM_PER_DEGREE = 111.2
EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class HasCoordinates(Protocol):
    # read-only: frozen place values and gazetteer rows both have them
    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...


def km_between(a: HasCoordinates, b: HasCoordinates) -> float | None:
    """:func:`distance_km` between two places (gazetteer rows or place values), None when
    either has no coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


@lru_cache(maxsize=262_144)
def normalize(text: str) -> str:
    """The exact-tier key of a place name (cached: the same names recur in every document).

    >>> normalize("al-Sijir"), normalize("Qaryat as Sajar"), normalize("Al Fallūjah")
    ('sijir', 'sajar', 'falluja')
    """
    rules = name_rules()
    tokens = _basic(text).split()
    if not tokens:
        return ""
    tokens = ["tall" if t in rules.tall_forms else rules.word_forms.get(t, t) for t in tokens]
    while _strip_phrase(tokens, rules.strip_prefixes, front=True):
        pass
    while _strip_phrase(tokens, rules.strip_suffixes, front=False):
        pass
    kept = [t for t in tokens if t not in rules.articles]
    if kept:
        tokens = kept
    while _strip_phrase(tokens, rules.strip_prefixes, front=True):
        pass
    # Ta marbuta: "Fallujah"/"Falluja", "Qayyarah"/"Qayyara", "Hasakeh"/"Hasake".
    tokens = [t[:-1] if len(t) > 3 and t[-1] == "h" and t[-2] in "ae" else t for t in tokens]
    # Long vowels written twice or French-style: "Saadiyah"/"Sadiyah", "Daqouq"/"Daquq",
    # "Heet"/"Hit".
    key = " ".join(tokens)
    if "ou" in key or "ee" in key or "oo" in key:
        key = key.replace("ou", "u").replace("ee", "i").replace("oo", "u")
    return _LONG_VOWEL.sub(r"\1", key)


_LONG_VOWEL = re.compile(r"([aeiou])\1+")


_PAIRS = (
    ("sh", "S"),
    ("ch", "S"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("dj", "j"),
    ("q", "k"),
    # French and Somali spellings write k as c ("Atacora"/"Atakora"), and Arabic q is
    # written g where it is spoken so ("Gayara"/"Qayyarah"): one consonant class
    ("c", "k"),
    ("g", "k"),
)
_FINAL_H = re.compile(r"(?<=\w\w)h\b")
_SKELETON_DROP = str.maketrans("", "", "aeiouyw ")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(key: str) -> str:
    """The fuzzy-tier key of a normalised name: consonants only, transliteration pairs
    folded (dh/d, th/t, kh/k, gh/g, ph/f, dj/j; q, c and g as k), doubled letters collapsed.

    >>> skeleton(normalize("al-Sijir")) == skeleton(normalize("Qaryat as Sajar"))
    True
    """
    for a, b in _PAIRS:
        if a in key:
            key = key.replace(a, b)
    key = _FINAL_H.sub("", key).translate(_SKELETON_DROP)
    return _DOUBLES.sub(r"\1", key)


#: c before e, i or y is no k (French "Cenac" is s, Kurdish and Turkish "Cemco", "Cizre"
#: j): :func:`skeleton` folds every c into k, so a fuzzy match through such a c is a
#: false friend ("Cemco" is not "Kemeka"); "Atacora" is "Atakora"
_SOFT_C = re.compile(r"c(?=[eiy])")


def close_spelling(name: str, place_names: Iterable[str]) -> bool:
    """Is a fuzzy match of ``name`` to a place of these names a spelling of it, not a false
    friend: do their skeletons agree when a c before e, i or y is not read as k, and their
    lengths nearly?"""
    key = normalize(name)
    want = _soft_skeleton(name)
    return any(_soft_skeleton(n) == want and _alike_length(key, normalize(n)) for n in place_names)


@lru_cache(maxsize=262_144)
def _soft_skeleton(name: str) -> str:
    """The skeleton :func:`close_spelling` compares (cached, as :func:`normalize` is: the
    same candidates' names come back in every document)."""
    return skeleton(_SOFT_C.sub("s", normalize(name)))


#: a fuzzy match's spellings differ in length by at most this share of the longer one:
#: "Gango" is not "Gouniako", nor "Barienou" "Birni", though their consonants agree
LENGTH_SHARE = 0.25


def _alike_length(a: str, b: str) -> bool:
    la, lb = len(a.replace(" ", "")), len(b.replace(" ", ""))
    return abs(la - lb) <= LENGTH_SHARE * max(la, lb)


#: How many lookup answers a gazetteer keeps (cleared when full).
MEMO_SIZE = 100_000
#: A skeleton shorter than this is too unspecific to use ("Hit" -> "ht").
MIN_SKELETON = 3
#: ... unless the caller keeps only candidates near a known place ("Doura" ~ "Dora", a
#: neighbourhood of the Baghdad the sentence names)
MIN_SHORT_SKELETON = 2


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (keeps "Ḩājj ‘Alī", drops "حاجي")."""
    for ch in name:
        if ch.isalpha() and not (ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")):
            return False
    return True


def latin_alternates(name: str, names: Iterable[str], *, limit: int = 24) -> list[str]:
    """Latin-script alternates of ``name`` that add a new exact key, at most ``limit``.

    GeoNames alternate names include lower-case machine transliterations from other
    scripts ("alfallwjt"); names that do not start with a capital are dropped.
    """
    seen = set(name_keys(name))
    out: list[str] = []
    for alt in names:
        alt = alt.strip()
        if not alt or alt == name or not alt[0].isupper() or not is_latin(alt) or len(alt) > 60:
            continue
        keys = [k for k in name_keys(alt) if k not in seen]
        if not keys:
            continue
        seen.update(keys)
        out.append(alt)
        if len(out) >= limit:
            break
    return out


#: (exact keys, skeleton keys) of one place
Keys = tuple[tuple[str, ...], tuple[str, ...]]

#: Bump when normalize() or skeleton() change behaviour: stored keys are then recomputed.
KEY_VERSION = "6"


def place_keys(place: Place) -> Keys:
    exact: dict[str, None] = {}
    for name in (place.name, *place.alternates):
        for k in name_keys(name):
            exact[k] = None
    return tuple(exact), skeleton_keys(tuple(exact))


def skeleton_keys(exact: tuple[str, ...]) -> tuple[str, ...]:
    """The skeleton keys of a place of these exact keys (in their order, once each)."""
    # no skeleton of a name run together ("aswadjir" would fold a "dj" that spans two
    # words): its spaced form gives the same consonants
    joined = {k.replace(" ", "") for k in exact if " " in k}
    skels: dict[str, None] = {}
    for k in exact:
        if k in joined:
            continue
        s = skeleton(k)
        if len(s) >= MIN_SHORT_SKELETON:
            skels[s] = None
    return tuple(skels)


@cache
def rules_fingerprint() -> str:
    """Identifies the normalisation rules; stored keys made under other rules are ignored."""
    d = places_data()
    parts = [
        d[k]
        for k in ("articles", "strip_prefixes", "optional_prefixes", "tall_forms", "word_forms")
    ]
    parts.append(d["strip_suffixes"])
    blob = json.dumps([KEY_VERSION, parts], sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


def feature_of(code: str, population: int) -> str | None:
    """harmledger's feature class for a GeoNames ``class.code`` ("P.PPL"), or None to skip."""
    data = places_data()
    feature = data["geonames_codes"].get(code)
    if feature in ("village", "town") and population >= data["population_city"]:
        return "city"
    if feature == "village" and population >= data["population_town"]:
        return "town"
    return feature
