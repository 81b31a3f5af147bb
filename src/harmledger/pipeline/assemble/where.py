"""Where: the place of an incident, and the country of a document.

A sentence's most specific place, passing over places it names only as the unit another lies
in, places inside quotes, ends of a road, unit names, datelines and places outside the
document's country; else the nearest place named before it in its paragraph, or just after.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from types import MappingProxyType

from harmledger.gazetteer import km_between
from harmledger.model import ActorValue, Annotated, PlaceValue, TriggerValue, mentions_of
from harmledger.pipeline.assemble.common import AnyMention, PlaceMention, Unit, words
from harmledger.pipeline.supported import supported_place

#: How close a place must stand before a reference trigger to be that event's name.
REFERENCE_NAME_GAP = 3


#: How specific a place is, by its gazetteer class (lower is more specific): a place
#: inside a less specific one the sentence also names is where the event happened ("in
#: the village of Daure, in the Kani Masi area of Duhok's Amedi district" is Daure).
PLACE_SPECIFICITY = MappingProxyType(
    {
        "landmark": 0,
        "military base": 0,
        "airport": 0,
        "camp": 0,
        "neighbourhood": 0,
        "village": 0,
        "town": 1,
        "city": 2,
        "admin3": 3,
        "admin2": 4,
        "region": 5,
        "admin1": 5,
    }
)
#: An opening quote (after a space or a bracket) and a closing one (before a space or
#: punctuation): "the 'Camp Speicher massacre'", "the so-called 'battle of Mosul'".
_OPEN_QUOTE = re.compile(r"(?:^|(?<=[\s(]))['‘\"“]")
_CLOSE_QUOTE = re.compile(r"['’\"”](?=[\s.,;:)!?]|$)")
#: How far back a quote may open and still hold a place name.
QUOTE_WINDOW = 120


def _quoted(text: str, start: int) -> bool:
    """Does the place at ``start`` stand inside quotation marks (a title, a name, a
    slogan) rather than in the report's own words?"""
    lo = max(0, start - QUOTE_WINDOW)
    opening = [m.end() for m in _OPEN_QUOTE.finditer(text, lo, start)]
    if not opening:
        return False
    return _CLOSE_QUOTE.search(text, opening[-1], start) is None


#: How far from a town's or city's centre a place counts as inside it.
TOWN_RADIUS_KM = MappingProxyType({"town": 10.0, "city": 20.0})


def _contains_another(v: PlaceValue, places: Sequence[PlaceMention]) -> bool:
    """Is ``v`` the province, district, city or town another, more specific place of the
    sentence lies in ("Kirkuk's southern district of Daquq", "al Intisar in Mosul city",
    "near the village of Mukhaysah at the edge of the city of Khanaqin")?"""
    mine = PLACE_SPECIFICITY.get(v.feature or "", 3)
    radius = TOWN_RADIUS_KM.get(v.feature or "")
    for m in places:
        o = m.value
        if o.name == v.name:
            continue
        if v.name in (o.admin1, o.admin2):
            return True
        if PLACE_SPECIFICITY.get(o.feature or "", 3) >= mine:
            continue
        if radius is not None and (d := km_between(o, v)) is not None and d <= radius:
            return True
    return False


#: Words before a place that make it where a strike or an attacker came from, not where it
#: hit: "two men coming in from the direction of Hsipaw threw explosives at the toll gate",
#: "rockets launched from Rashidiyah towards Camp Taji", "fired from their positions in X".
_ORIGIN = re.compile(
    r"\b(?:(?:fired|launched|shot|came|come|comes|coming(?:\s+in)?|originating|flying)"
    r"\s+from(?:\s+(?:the\s+)?(?:direction|side|area)\s+of)?"
    r"|from\s+the\s+direction\s+of"
    r"|from\s+(?:its|their|his|her)\s+positions?\s+(?:in|at|near))"
    r"(?:\s+(?:the|a|an))?"
    r"(?:\s+(?:village|town|city|area|district|neighbou?rhood|base|camp)\s+of)?\s+$",
    re.IGNORECASE,
)


def _not_venue(text: str, m: PlaceMention) -> bool:
    """Is the place only an end of a road or a stretch ("between X and Y"), part of a
    unit's name ("Kerbala brigade"), or where a strike came from ("fired from X")?"""
    return bool(
        words().between.search(text, max(0, m.start - 60), m.start)
        or words().unit_name_after.match(text, m.end)
        or _ORIGIN.search(text, max(0, m.start - 60), m.start)
    )


#: Words just before a place that make it where people fled or were taken to ("fled
#: towards Bule", "took refuge in Goma", "were evacuated to the town of Kupiansk").
_FLED_TO = re.compile(
    r"\b(?:fled|flee|flees|fleeing|escaped|sought\s+refuge|seeking\s+refuge|took\s+refuge|"
    r"taken\s+refuge|evacuated|relocated|headed|heading)\s+(?:(?:back|on\s+foot|en\s+masse)\s+)?"
    r"(?:to|towards?|into|in|for)\s+(?:the\s+)?(?:(?:nearby\s+)?(?:town|city|village|camp|area)\s+of\s+)?$",
    re.IGNORECASE,
)


def _elsewhere(text: str, m: PlaceMention) -> bool:
    """Is the place where people fled or were taken to, or where the people a protest
    supports are ("many families have fled towards Bunia", "in support of the Palestinian
    people in Gaza"): not where the event happened?"""
    lo = max(0, m.start - 60)
    return bool(_FLED_TO.search(text, lo, m.start) or supported_place(text, m.start))


def own_place(
    ms: Sequence[AnyMention], *, text: str | None = None, country: str | None = None
) -> PlaceMention | None:
    """The place of the event a sentence reports: the most specific place it names,
    passing over places it names only as the unit another lies in, places inside quotes,
    and places outside the document's country when it names one inside it."""
    places = [m for m in mentions_of(ms, PlaceValue) if m.value.feature != "country"]
    if text is not None:
        # "many families have fled towards Bunia": where people went, not where it happened
        places = [m for m in places if not _elsewhere(text, m)]
    if not places:
        return None
    if len(places) == 1:
        return places[0]  # nothing to rank it against
    at_home = country is not None and any(m.value.country == country for m in places)

    modifiers = {m for m in places if text is not None and _modifier(text, m)}

    def rank(m: PlaceMention) -> tuple[int, int, bool, int]:
        v = m.value
        passed = 0
        if text is not None and _quoted(text, m.start):
            passed += 4
        if at_home and v.country != country:
            passed += 2
        if _contains_another(v, places):
            passed += 1
        if text is not None and _not_venue(text, m):
            passed += 1
        if text is not None and _in_dateline(text, m):
            passed += 1  # where the report was filed, when the sentence names the event's
        # the most precise place wins; among equals, a place named as such before a name used
        # as a modifier ("Baringo health workers marched in Kabarnet"), then the first named
        return (passed, v.precision or 9, m in modifiers, m.start)

    return min(places, key=rank)


#: A place's name used as a modifier, not as where something happened: a common noun right
#: after it ("Baringo health workers marched in Kabarnet", "a Daadab refugee camp worker",
#: "Hazara civilians") or a possessive ("Ashraf Gani's inauguration"), with no preposition
#: before it; a feature word after it names the place itself ("Fuhud city", "Islah village").
_FEATURE_WORDS = (
    "villages?|towns?|city|cities|districts?|sub-?districts?|provinces?|governorates?|"
    "county|counties|sub-?county|regions?|states?|areas?|neighbou?rhoods?|camps?|townships?|"
    "departments?|communes?|wards?|municipality|island|oblast|raion|hromada|"
    # nor a word that is no noun's: a preposition, a conjunction, a direction, a verb ("IS
    # overran Mosul after troops fled towards Erbil"); and the people of
    # a place are there ("Sinjar residents protested in the city")
    "and|or|as|in|on|at|of|to|by|for|from|near|with|into|is|was|were|are|has|had|have|"
    "after|before|when|while|where|which|who|whose|that|but|until|since|during|amid|"
    "following|because|despite|then|overnight|late|early|last|this|again|also|"
    "(?:north|south|east|west)\\w*|\\w+ed|residents?|villagers?|locals?|people|natives?|"
    "military|oil|airbase|base"
)
_MODIFIER_AFTER = re.compile(
    r"(?:'s\b|’s\b|\s+(?!(?:" + _FEATURE_WORDS + r")\b)[a-z]"
    # or the first word of a longer name: "the Kano Health Center in Riffa", "during
    # Ashraf Gani's inauguration, in Kabul city", "the Kieleweke and Tanga Tanga groups
    # clashed in Nyeri" (not a feature word: "Zamboanga City")
    r"|[ \t]+(?!(?i:" + _FEATURE_WORDS + r")\b)[A-Z][a-z])"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|at|near|inside|outside|around|from|to|into|towards?|between)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


def _modifier(text: str, m: PlaceMention) -> bool:
    if not _MODIFIER_AFTER.match(text, m.end):
        return False
    return _PREPOSITION_BEFORE.search(text, max(0, m.start - 20), m.start) is None


#: A word that puts what precedes it in the country after it: "hostages in Syria".
_IN_COUNTRY = re.compile(r"\b(?:in|inside|across|throughout)\s+(?:the\s+)?$", re.IGNORECASE)


def own_country(ms: Sequence[AnyMention], text: str, home: str | None) -> str | None:
    """The country an event's own words put it in when they name no finer place: the
    document's country when they name it, else the one they say it happened in ("tortured
    hostages in Syria", in a report from Washington on two British men); None when they
    name none or leave it open. A country named otherwise is not said to be where the
    event was: where someone fled or was sent ("arrested as they attempted to flee to
    Taiwan"), whose people or government acted ("Russia has imprisoned over 320")."""
    named = [m for m in mentions_of(ms, PlaceValue) if m.value.feature == "country"]
    countries = {m.value.country for m in named if m.value.country}
    if not countries or home in countries:
        return None
    inside = {
        m.value.country for m in named if _IN_COUNTRY.search(text, max(0, m.start - 20), m.start)
    }
    return next(iter(inside)) if len(inside) == 1 else None


#: Before a heading's name, its number or bullet ("1) Central African Republic", "2. Libya").
_HEADING_MARK = re.compile(r"^\W*(?:\d{1,2}\s*[.)]\s*)?")


def heading_country(doc: Annotated, at: int) -> str | None:
    """The country named by the last heading line before offset ``at`` that is only a
    country's name (a UN briefing's "1) Central African Republic"): the country of the
    section's events that name no place the gazetteer knows."""
    text, found, last = doc.text, None, -1
    for m in mentions_of(doc.mentions, PlaceValue):
        if m.start >= at or m.start < last or m.value.feature != "country":
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if _HEADING_MARK.sub("", line).strip().rstrip(":.") == m.text:
            found, last = m.value.country, m.start
    return found


#: A dateline after a place at the start of a line: "Hasaka, SANA - ", "BAGHDAD (Reuters) - ".
_DATELINE_AFTER = re.compile(r"[^.\n]{0,60}?\s[-–—]\s")


def _in_dateline(text: str, m: PlaceMention) -> bool:
    """The place opens a dateline: where the report was filed, not always where the event
    happened ("Hasaka, SANA - ... a car bomb in the al-Hilaliyeh neighborhood of Qamishli")."""
    at_line_start = m.start == 0 or text[m.start - 1] == "\n"
    return at_line_start and _DATELINE_AFTER.match(text, m.end) is not None


#: How many sentences after an event's own the place may come from when the sentence
#: names none: "At least 35 militants were killed overnight in northern Syria, a monitor
#: said. The Observatory said 30 were killed around the town of Shadadi."
PLACE_LOOKAHEAD = 2


def context_place(
    doc: Annotated,
    by_sent: dict[int, list[AnyMention]],
    paras: list[int],
    u: Unit,
    country: str | None,
) -> PlaceMention | None:
    """A place for an event whose own words name none: the nearest place named before it
    in its paragraph (the report is still telling that story), else the first one named
    in the next PLACE_LOOKAHEAD sentences of the paragraph (a lead that says where only
    later)."""

    def place_of(i: int) -> PlaceMention | None:
        ms = by_sent.get(i, [])
        names = event_names(doc, ms)  # "the Speicher massacre" is no event's place
        ms = [m for m in ms if m not in names and not u.span.start <= m.start < u.span.end]
        return own_place(ms, text=doc.text, country=country)

    found = place_of(u.index)
    i = u.index - 1
    while found is None and i >= 0 and paras[i] == u.para:
        found = place_of(i)
        i -= 1
    last = min(len(paras) - 1, u.index + PLACE_LOOKAHEAD)
    i = u.index + 1
    while found is None and i <= last and paras[i] == u.para:
        found = place_of(i)
        i += 1
    return found


def document_country(doc: Annotated) -> str | None:
    """The country the document is mostly about (see :func:`document_countries`)."""
    return document_countries(doc)[0]


def document_countries(doc: Annotated) -> tuple[str | None, str | None]:
    """Two readings of the document's country, from one pass over its mentions:

    - the country it is mostly about: the one its places name most, actors' countries
      breaking a tie; actors' countries only when it names no place. A group or a people
      is not always where it acts ("a Rohingya leader shot dead in a camp in Cox's Bazar,
      Bangladesh"; "Eritrean troops in Axum"); a place is;
    - the country its places name more often than any other; None when two lead together
      ("Qamishli" in Syria and a "Hilaliyah neighbourhood" read in Iraq) or it names no
      place: then no country is the one the report is about."""
    places, actors = _countries_named(doc)
    if not places:
        return (actors.most_common(1)[0][0] if actors else None), None
    main = max(places, key=lambda c: (places[c], actors[c]))
    top = places.most_common(2)
    leading = None if len(top) == 2 and top[1][1] == top[0][1] else top[0][0]
    return main, leading


def _countries_named(doc: Annotated) -> tuple[Counter[str], Counter[str]]:
    """How often the document's places, and its actors, name each country. A name used as
    a modifier ("the Kano Health Center in Riffa", "the Tanga Tanga groups clashed in
    Nyeri"), or a place where people fled or that a protest supports ("in support of the
    Palestinian people in Gaza"), counts only when the document names no other place."""
    places: Counter[str] = Counter()
    modifiers: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for m in doc.mentions:
        v = m.value
        if isinstance(v, PlaceValue) and v.country:
            if v.feature != "country" and (
                _modifier(doc.text, m)  # type: ignore[arg-type]
                or _elsewhere(doc.text, m)  # type: ignore[arg-type]
            ):
                modifiers[v.country] += 1
            else:
                places[v.country] += 1
        elif isinstance(v, ActorValue) and v.country:
            actors[v.country] += 1
    return places or modifiers, actors


def event_names(doc: Annotated, ms: Sequence[AnyMention]) -> set[PlaceMention]:
    """Places that only name an earlier event ("payback for the [Speicher] massacre")."""
    refs = [m for m in mentions_of(ms, TriggerValue) if m.value.reference]
    out = set()
    for m in mentions_of(ms, PlaceValue):
        for t in refs:
            if t.start < m.end:
                continue  # the name stands before the event word ("the Speicher massacre")
            gap = doc.text[m.end : t.start]
            if len(gap) <= REFERENCE_NAME_GAP and not gap.strip():
                out.add(m)
    return out
