"""What the words around a place phrase say: a feature word before ("the village of") or
after it ("Anbar province"), a relation ("just north of"), a part ("western"), a locative
cue ("in", "near"), a facility ("Ahrar Bridge"); and what phrases say of each other
("al-Sijir, just north of Fallujah", "Jadriyah neighbourhood of Baghdad", "the Salhiya and
Sumer neighborhoods")."""

from __future__ import annotations

import itertools
from functools import lru_cache

from harmledger.gazetteer import km_between
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.tokens import Tok
from harmledger.pipeline.places.words import PlaceWords

#: the hints of unit words ("district", "township", "county", "state"), read inside a name too
_UNIT_HINTS = frozenset({"admin1", "admin2", "admin3", "unit"})


def read_around(phrases: list[Phrase], toks: list[Tok], words: PlaceWords) -> None:
    """Read the words around every phrase, then what the phrases say of each other."""
    for p in phrases:
        read_context(p, toks, words)
    link_relations(phrases, toks, words)
    coordinate(phrases, toks, words)
    within_units(phrases, toks)


def _phrase_key(tokens: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for t in tokens:
        out.extend(t.replace("-", " - ").split())
    return tuple(out)


@lru_cache(maxsize=1 << 14)
def _first_part(low: str) -> str | None:
    """The first element of a token's :func:`_phrase_key` parts ("north-east" -> "north"),
    None when it has none."""
    parts = low.replace("-", " - ").split()
    return parts[0] if parts else None


def _last_part(low: str) -> str:
    """The last element of a token's :func:`_phrase_key` parts ("north-east" -> "east")."""
    parts = low.replace("-", " - ").split()
    return parts[-1] if parts else ""


def _before(
    toks: list[Tok],
    i: int,
    phrases: dict[tuple[str, ...], str],
    longest: int,
    ends: frozenset[str],
):
    """The phrase of ``phrases`` (whose last words are ``ends``) that ends just before token
    ``i`` (skipping "the"), as (value, start token index) or None."""
    k = i
    if k > 0 and toks[k - 1].low == "the":
        k -= 1
    if k == 0 or _last_part(toks[k - 1].low) not in ends:
        return None
    for n in range(longest, 0, -1):
        a = k - n
        if a < 0 or toks[a].sent != toks[i].sent:
            continue
        key = _phrase_key([toks[x].low for x in range(a, k)])
        hit = phrases.get(key)
        if hit is not None:
            return hit, a
    return None


def _relation_before(toks: list[Tok], i: int, words: PlaceWords):
    """("north of", first token index) for "just/10 km north of [the]" before token i."""
    k = i
    if k > 0 and toks[k - 1].low == "the":
        k -= 1
    if k == 0 or _last_part(toks[k - 1].low) not in words.relation_ends:
        return None
    for n in range(words.max_relation + 2, 0, -1):
        a = k - n
        if a < 0 or toks[a].sent != toks[i].sent:
            continue
        key = _phrase_key([toks[x].low for x in range(a, k)])
        rel = words.relations.get(key)
        if rel is None or key[-1] in words.adjective_relations:
            continue
        # qualifiers and distances before the relation: "just", "some 10 km"
        while (
            a > 0
            and toks[a - 1].sent == toks[i].sent
            and (toks[a - 1].low in words.qualifiers or toks[a - 1].text[0].isdigit())
        ):
            a -= 1
        return rel, a
    return None


def read_context(p: Phrase, toks: list[Tok], words: PlaceWords) -> None:
    p.span_start, p.span_end = p.start, p.end
    i = p.i
    pre = _before(toks, i, words.feature_prefixes, words.max_prefix, words.prefix_ends)
    if pre is not None:
        p.hint, i = pre
        p.cue = True
        # "the Haftanin region of Dahuk", "Adhamiya district of Baghdad": the words name
        # a part of this place, which is then a province, a district or a city; "the
        # Jadriyah neighbourhood of Baghdad": a city.
        if p.hint in ("area", "admin2", "admin3", "neighbourhood") and i > 0:
            prev = toks[i - 1]
            if prev.sent == p.sent and prev.cap and prev.low not in words.function_words:
                p.hint = "city_container" if p.hint == "neighbourhood" else "container"
    p.lead = i
    rel = _relation_before(toks, i, words)
    if rel is not None:
        p.relation, a = rel
        p.span_start = toks[a].start
        p.lead = a
        p.cue = True
    else:
        k = i - 1
        if k >= 0 and toks[k].low == "the":
            k -= 1
        if k >= 0 and toks[k].sent == p.sent and toks[k].low in words.adjective_relations:
            p.part = toks[k].low
            p.span_start = toks[k].start
            p.lead = k
            k -= 1
            if k >= 0 and toks[k].low == "the":
                k -= 1
        # an article left before the name ("in al Qaim"), but not "at", which before a
        # name is the English word ("stole livestock at Baragoi (Samburu county)")
        while (
            k >= 0
            and toks[k].low in words.articles
            and toks[k].low not in words.cues
            and k > p.i - 3
        ):
            k -= 1
        if k >= 0 and toks[k].sent == p.sent and toks[k].low in words.cues:
            p.cue = True
    # feature words after: "Anbar province", "Hawija district", "al-Hol camp"
    p.tail = p.j
    # every feature suffix starts with one of words.suffix_heads: no need to try them when the
    # word after the name is none of these
    head = _first_part(toks[p.j].low) if p.j < len(toks) else ""
    for n in range(words.max_suffix if head is None or head in words.suffix_heads else 0, 0, -1):
        b = p.j + n
        if b > len(toks) or toks[b - 1].sent != p.sent:
            continue
        key = _phrase_key([toks[x].low for x in range(p.j, b)])
        hint = words.feature_suffixes.get(key)
        if hint is not None:
            if p.hint == "container" and hint in ("city", "town"):
                p.hint = "city_container"  # "the Shakarber area of Kandahar city"
            p.hint = p.hint or hint
            p.span_end = toks[b - 1].end
            p.tail = b
            p.cue = True
            break
    if p.j < len(toks) and toks[p.j].sent == p.sent and toks[p.j].low in words.people_words:
        p.cue = True  # "Kahawa residents protested": the name is introduced as a place
    if p.hint is None and p.j - p.i > 1:
        # a unit word the gazetteer keeps inside a name ("Mrauk-U District", an alternate
        # of the town): the words still ask for the unit, not the town's streets
        hint = words.feature_suffixes.get((toks[p.j - 1].low,))
        if hint in _UNIT_HINTS:
            p.hint = hint
    # "Ahrar Bridge", "al-Hikma political party", "the Tishreen revolution": the name of
    # something in a place, not the place
    k = p.j
    while k < len(toks) and k - p.j < 2 and toks[k].low in words.facility_gap_words:
        k += 1
    if k < len(toks) and toks[k].sent == p.sent and toks[k].low in words.facility_words:
        p.facility = True


def link_relations(phrases: list[Phrase], toks: list[Tok], words: PlaceWords) -> None:
    """Tie a phrase to the next one when the words say where it lies:

    - a relation: "al-Sijir, just north of Fallujah", "Hajj Ali near Qayyarah"
      (nothing but a comma between, and the later phrase has a relation);
    - containment: "Jadriyah neighbourhood of Baghdad", "Qadir Karam, Chamchamal district",
      "Ar Rutba district (Anbar)", "Kani Masi in Dahuk province" (a comma, "of", "in" or a
      bracket between, and the later phrase is a province, a district or a city).
    """
    for a, b in itertools.pairwise(phrases):
        if a.sent != b.sent:
            continue
        # the words between a's feature word and b's leading words; when they share a
        # word ("Jadriyah neighbourhood of Baghdad": "neighbourhood" ends a and begins
        # b's "neighbourhood of"), the words up to b's name
        gap = [t.low for t in toks[a.tail : b.lead if b.lead >= a.tail else b.i]]
        if b.relation is not None:
            if all(g in ",(" for g in gap):
                a.link, a.link_kind = phrases.index(b), "relation"
            continue
        if gap and gap[-1] == "the":
            gap.pop()
        # A comma alone ties only to an explicit district/province ("Qadir Karam,
        # Chamchamal district"): "Kalar, Khurmal, Chamchamal" is a list.
        explicit = b.hint in ("admin1", "admin2", "admin3")
        container = explicit or any(c.feature in _CONTAINERS for c in b.candidates[:1])
        if tuple(gap) in words.within_gaps and container and (explicit or gap != [","]):
            a.link, a.link_kind = phrases.index(b), "within"
            a.link_gap = ",".join(gap)
            a.link_to_hint = b.hint if b.part not in words.centre_parts else "city"


#: the feature classes a phrase can lie within when the words name no feature ("X in Kirkuk")
_CONTAINERS = frozenset({"admin1", "admin2", "admin3", "city", "region"})


def coordinate(phrases: list[Phrase], toks: list[Tok], words: PlaceWords) -> None:
    """Names joined by "and" or a comma share a plural feature word: "the neighborhoods of
    al-Hamadaniyeh and al-Midan in Aleppo city" (the word before the first), "the Salhiya
    and Sumer neighborhoods of Nassriya city", "al-Nasr and al-Zeytun bridges" (the word
    after the last); the later names also say where the earlier ones lie."""
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(phrases)
        if a.sent == b.sent
        and tuple(t.low for t in toks[a.tail : b.lead if b.lead >= a.tail else b.i])
        in words.coordination_gaps
    ]
    for a, b in pairs:
        plural = a.lead < a.i and toks[a.lead].low.endswith("s")
        if plural and a.hint is not None and b.hint is None:
            b.hint, b.cue = a.hint, True
    for a, b in reversed(pairs):
        plural = b.tail > b.j and toks[b.tail - 1].low.endswith("s")
        if b.facility and _plural_facility(toks, b):
            a.facility = True
        if plural and a.hint is None and b.hint is not None:
            a.hint, a.cue = b.hint, True
        if a.link is None and b.link is not None and (plural or a.hint == b.hint):
            a.link, a.link_kind = b.link, b.link_kind
            a.link_gap, a.link_to_hint = b.link_gap, b.link_to_hint


def _plural_facility(toks: list[Tok], p: Phrase) -> bool:
    """Does a plural facility word follow the phrase ("al-Zeytun bridges")?"""
    k = p.j
    while k < len(toks) and k - p.j < 3:
        if toks[k].low.endswith("s") and toks[k].low != "as":
            return True
        k += 1
    return False


#: the words between a place and the province or district it lies in, in the coders' style
#: ("Temyrivka, Zaporizhia", "Tanguieta (Tanguieta, Atacora)", "Kambi in West Pokot")
_UNIT_GAPS = frozenset({(",",), ("(",), (",", "("), ("in",), (",", "in")})
_UNITS = frozenset({"admin1", "admin2"})
#: a town of the province's name this close to the place says where it is
_NEAR_TOWN_KM = 100.0


def within_units(phrases: list[Phrase], toks: list[Tok]) -> None:
    """A phrase followed by a name of a province or district ("X, Y", "X (Y, Z)", "X in Y")
    lies in one of the units that name may be, or in the units the next one lies in."""
    for k in range(len(phrases) - 2, -1, -1):
        a, b = phrases[k], phrases[k + 1]
        if a.sent != b.sent:
            continue
        gap = tuple(t.low for t in toks[a.tail : b.lead if b.lead >= a.tail else b.i])
        if gap not in _UNIT_GAPS:
            continue
        units = frozenset(c.name for c in b.candidates if c.feature in _UNITS)
        a.within_units = units | b.within_units
        closes = b.tail < len(toks) and toks[b.tail].text == ")"
        if gap == ("(",) and closes and b.hint is None and b.relation is None:
            # "Porto Alegre (Rio Grande do Sul)": the bracket names the province a place of
            # the first name lies in, not the province's namesake city 240 km away
            # (when a town of the province's name lies near, "Takiya (Sulaymaniyah)", it
            # says more of where the place is, and is kept)
            named = frozenset(c.name for c in b.candidates if c.feature == "admin1")
            inside = [c for c in a.candidates if c.feature != "admin1" and c.admin1 in named]
            towns = [c for c in b.candidates if c.feature in ("city", "town")]
            if inside and not any(
                (d := km_between(c, t)) is not None and d <= _NEAR_TOWN_KM
                for c in inside
                for t in towns
            ):
                b.hint = "admin1"
    # ACLED's notes close a sentence with its province: "in the Shaykhan area of Azra
    # district, Logar." puts every place of the sentence in Logar
    for k, last in enumerate(phrases):
        if k + 1 < len(phrases) and phrases[k + 1].sent == last.sent:
            continue  # not the sentence's last place
        after = toks[last.tail] if last.tail < len(toks) else None
        closes = after is None or after.sent != last.sent or after.low in _SENTENCE_END
        if last.lead == 0 or toks[last.lead - 1].low != "," or not closes:
            continue
        provinces = frozenset(c.name for c in last.candidates if c.feature == "admin1")
        for p in phrases[:k]:
            if p.sent == last.sent:
                p.within_units = p.within_units | provinces
        before = phrases[k - 1] if k > 0 and phrases[k - 1].sent == last.sent else None
        if (
            provinces
            and last.hint is None
            and last.relation is None
            and last.i == last.lead
            and before is not None
            and before.hint in ("admin2", "admin3", "unit", "container")
        ):
            # "..., Khakrez district, Kandahar.": after a district, the province that
            # closes the note, not its capital (the city lies 40 km from the district)
            last.hint = "admin1"


#: what may follow a sentence-final province ("..., Logar." "..., Kunar)")
_SENTENCE_END = frozenset({".", ")", ";"})
