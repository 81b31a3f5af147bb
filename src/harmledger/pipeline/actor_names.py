"""ACLED-style actor names from the actor table (``resources/actors.json``).

The actors stage resolves words to canonical names; assembly names actors it infers from
what happened ("protested" -> Protesters) and gives generic actors the incident's country
("civilians" in an Iraqi report are "Civilians (Iraq)"). Both read the table's names through
this module, which is no stage: it keeps only the name index, built once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.gazetteer import places_data
from harmledger.model import ActorValue

RESOURCE = "actors.json"
#: what to do about a malformed actors.json
REBUILD = "rebuild it with scripts/build_actors.py or reinstall harmledger"


@dataclass(frozen=True, slots=True)
class _Named:
    name: str
    category: str | None
    acled: str  # the ACLED form, "{country}" standing for the country's form


@dataclass(frozen=True, slots=True)
class _Names:
    #: (name, country) -> the first entry of that name and country
    by_name: dict[tuple[str, str | None], _Named]
    #: country (as the gazetteer spells it) -> its form in ACLED names ("the United States")
    country_forms: dict[str, str]
    #: country -> (the words naming a unit of its forces, ACLED's name of the unit)
    units: dict[str, tuple[tuple[re.Pattern[str], str], ...]]
    #: the words for the members of a people ACLED names identity militias after, as one
    #: pattern, and the people each word names ("Peulh" -> "Fulani")
    peoples: re.Pattern[str] | None
    people_of: dict[str, str]


@cache
def _names() -> _Names:
    return resources.load(RESOURCE, _index, fix=REBUILD)


def _index(data: dict[str, Any]) -> _Names:
    # country names as the gazetteer spells them, as the actors stage reads them
    aliases = places_data()["country_aliases"]
    spelling = {form: name for name, forms in aliases.items() for form in forms}
    by_name: dict[tuple[str, str | None], _Named] = {}
    for raw in data["actors"]:
        country = spelling.get(raw.get("country"), raw.get("country"))
        named = _Named(raw["name"], raw.get("category"), raw.get("acled") or raw["name"])
        by_name.setdefault((named.name, country), named)
    country_forms: dict[str, str] = {}
    for c in data["countries"]:
        country_forms[spelling.get(c["name"], c["name"])] = c.get("form") or c["name"]
    units: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for u in (data.get("sub_units") or {}).get("units", []):
        country = spelling.get(u["country"], u["country"])
        units.setdefault(country, []).append((re.compile(u["pattern"], re.IGNORECASE), u["acled"]))
    groups = (data.get("ethnic_groups") or {}).get("groups", [])
    people_of = {w: g["name"] for g in groups for w in g["words"]}
    alternation = "|".join(sorted(map(re.escape, people_of), key=len, reverse=True))
    peoples = re.compile(rf"\b({alternation})\b") if people_of else None
    units_of = {k: tuple(v) for k, v in units.items()}
    return _Names(by_name, country_forms, units_of, peoples, people_of)


def people_named(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The first word in ``text[start:end]`` for the members of a people ACLED names
    identity militias after ("Fulani", "Bariba farmers"): its position and the people."""
    names = _names()
    if names.peoples is None:
        return None
    m = names.peoples.search(text, start, end)
    return (m.start(), names.people_of[m.group(1)]) if m else None


def country_form(country: str) -> str:
    """A country as ACLED names it in actor names ("United States" -> "the United States")."""
    return _names().country_forms.get(country, country)


def unit_name(country: str, words: str) -> str | None:
    """ACLED's name of a unit of ``country``'s forces that ``words`` name ("military police"
    in Brazil: "Military Forces of Brazil Military Police"), or None."""
    names = _names()
    for pattern, acled in names.units.get(country, ()):
        if pattern.search(words):
            return acled.format(country=names.country_forms.get(country, country))
    return None


def acled_name(value: ActorValue, *, country: str | None = None) -> str:
    """The ACLED-style name: ``Civilians`` + Iraq -> "Civilians (Iraq)".

    ``country`` is the document's country, used when the value has none. Actors that are not
    in the lexicon (defined in the text) keep their name.
    """
    names = _names()
    named = names.by_name.get((value.name, value.country))
    if named is None:
        named = names.by_name.get((value.name, None))
    if named is None:
        return value.name
    template = named.acled
    where = value.country or country
    if "{country}" not in template:
        return template
    if where is None:
        return template.replace(" ({country})", "").replace(" of {country}", "")
    return template.format(country=names.country_forms.get(where, where))


def actor_value(name: str, *, source: str = "lexicon") -> ActorValue:
    """The value of a lexicon actor named ``name`` (no country): ``actor_value("Protesters")``.

    For actors the assembler infers from what happened ("protested" -> Protesters, an
    unclaimed bombing -> Unidentified Armed Group); ``source`` says so.
    """
    named = _names().by_name.get((name, None))
    if named is None:
        raise ResourceError(f"packaged resource '{RESOURCE}' has no actor named {name!r}")
    return ActorValue(name=named.name, category=named.category, country=None, source=source)


@dataclass(frozen=True, slots=True)
class Known:
    """An actor of the alias table as a person picks it: its name, category, country and
    the aliases and acronyms it is known by."""

    name: str
    category: str | None
    country: str | None
    aliases: tuple[str, ...]


@cache
def known_actors() -> tuple[Known, ...]:
    """Every actor of the alias table, in the table's order (for pickers and checks)."""
    return resources.load(RESOURCE, _known, fix=REBUILD)


def _known(data: dict[str, Any]) -> tuple[Known, ...]:
    return tuple(
        Known(
            raw["name"],
            raw.get("category"),
            raw.get("country"),
            tuple(raw.get("aliases") or ()) + tuple(raw.get("acronyms") or ()),
        )
        for raw in data["actors"]
    )
