"""What the whole document says about where it is: the countries it names (country names,
demonyms, actors' countries), their shares of the evidence, and the places resolved without
ambiguity (anchors) and the provinces they imply. Built by ``resolve.document_context``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from harmledger.gazetteer import FEATURE_RANK, Gazetteer, Place, normalize, places_data
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.tokens import Tok
from harmledger.pipeline.places.words import PlaceWords

#: Country -> evidence for it. A :class:`~collections.Counter` at run time (a country not
#: seen yet reads as 0), with float counts (a demonym weighs less than a country name),
#: which typeshed's Counter, int-valued, cannot say: typed as the float mapping it is.
Evidence = dict[str, float]


def new_evidence(start: Evidence | None = None) -> Evidence:
    """An empty :data:`Evidence` Counter, or a copy of ``start``."""
    return cast(Evidence, Counter() if start is None else Counter(start))


@dataclass(slots=True)
class Context:
    """What the whole document says about where it is."""

    named: Evidence  # country -> evidence from country names and demonyms
    share: dict[str, float]  # country -> share of all evidence (named + resolved places)
    main: frozenset[str]  # countries with at least half the top share
    scope: frozenset[str]  # countries with any evidence, and the detailed (default) ones
    anchors: list[tuple[str, Place]]  # places resolved without ambiguity, by name key
    admin1s: set[str]  # provinces named or implied by anchors
    #: (phrase key, candidate id) -> (anchors looked at, least distance to them): anchors
    #: are only ever added, so a candidate scored again only looks at the new ones
    near: dict[tuple[str, str], tuple[int, float | None]] = field(default_factory=dict)


def named_countries(toks: list[Tok], phrases: list[Phrase], words: PlaceWords) -> Evidence:
    """1 per country name, less per demonym ("Iraqi", "Syrian"; not "Iranian-backed")."""
    c = new_evidence()
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


def gazetteer_countries(evidence: Evidence, known: Iterable[str]) -> Evidence:
    """The evidence under the gazetteer's names of the countries (``known``): a demonym's
    or an actor's "Palestine" is the gazetteer's "Palestinian Territory" (the countries'
    other names, ``places.json``'s country_aliases)."""
    known = frozenset(known)
    if all(c in known for c in evidence):
        return evidence
    groups = [(canon, *forms) for canon, forms in places_data()["country_aliases"].items()]
    out = new_evidence()
    for country, v in evidence.items():
        if country not in known:
            group = next((g for g in groups if country in g), ())
            country = next((n for n in group if n in known), country)
        out[country] += v
    return out


#: the features whose names, found alone, point to a country: its provinces, districts and
#: cities (a village name is shared by too many countries to say anything alone)
_POINTING = frozenset({"admin1", "admin2", "region", "city", "town"})


def country_votes(
    phrases: list[Phrase],
    *,
    units_only: bool = False,
    cued: bool = False,
    sole: bool = False,
    relaxed: bool = False,
) -> Counter[str]:
    """How many distinct place names of the document lie in only one country each, by
    country: "Tanguieta (Tanguieta, Atacora)" gives Benin two (a commune and a province
    found nowhere else). With ``units_only``, only names of provinces, districts and towns
    count (the countries worth loading villages for); with ``cued``, only names that a
    locative or feature word introduces ("in Likoni", "Vihiga county"); with ``sole``, names
    whose every place lies in one country, a city or unit of that very name among them,
    cued or not ("Eldoret residents protested"; not "Russ", an alternate of a Saudi town).
    With ``cued`` or ``sole`` every place of a name must lie in one country; ``relaxed``,
    only its cities and units (when it has any)."""
    seen: dict[str, str | None] = {}
    for p in phrases:
        if p.fuzzy or p.country or p.dateline or p.aside or p.partial or not p.candidates:
            continue
        if p.facility and not sole:
            # a building is in the town it is named after ("Bungoma High School"): a bare
            # name of one country's town or unit says that country as well
            continue
        if cued and not p.cue:
            continue
        cands = [c for c in p.candidates if c.feature in _POINTING] if units_only else p.candidates
        if cued or sole:
            # every place of the name in one country, a town or unit among them (a
            # village's name alone is too common to say where the text is); relaxed, its
            # cities and units: "Kandahar" is Afghanistan's province and city, whatever
            # small town of India shares it; "Save" is a Beninese district and an Iranian
            # city: no country
            pointing = [c for c in p.candidates if c.feature in _POINTING]
            if not pointing or p.hint in _NOT_TOWN_HINTS:
                continue  # "near the al-Hail oilfield" asks for no town of Ha'il
            countries = {c.country for c in p.candidates}
            if relaxed:
                countries = {c.country for c in pointing if c.feature in _SOLE} or countries
                # the places spelt as written, when some are: "in Kisii" is Kenya's
                # county and town, not Nigeria's Kisi
                # (letter for letter: the key folds "Kisii" into "Kisi")
                spelt = {
                    c.country
                    for c in pointing
                    if c.feature in _SOLE and _letters(c.name) == _letters(p.text)
                }
                if len(spelt) == 1:
                    countries = spelt
            if sole and not p.cue:
                key = normalize(p.text)
                if not any(c.feature in _SOLE and normalize(c.name) == key for c in p.candidates):
                    continue
        else:
            # the most important kind of place the name names: "Borgou" is Benin's
            # province before it is the spelling of a Nigerian district
            top = max((c.rank for c in cands), default=0)
            countries = {c.country for c in cands if c.rank == top}
        key = p.text.casefold()
        if key in seen:
            continue
        seen[key] = countries.pop() if len(countries) == 1 else None
    return Counter(c for c in seen.values() if c)


def _letters(name: str) -> str:
    """A name's letters, case and hyphens aside ("Porto-Novo" is "porto novo")."""
    return " ".join(name.casefold().replace("-", " ").split())


#: the words around a name that ask for something other than a town or a unit
_NOT_TOWN_HINTS = frozenset({"landmark", "military base", "airport", "camp"})
#: what a name standing bare must name, under its own name, to say the text's country
_SOLE = frozenset({"admin1", "admin2", "region", "city"})


def names_default_place(phrases: list[Phrase], default: Iterable[str]) -> bool:
    """Does a phrase name a town, city, district or province of the ``default`` countries
    (those the gazetteer covers in detail, whose notes rarely name their country), or a
    village of theirs that a locative word introduces ("near Saadiyah"), unless another
    name introduced as a place lies in one other country only?"""
    countries = frozenset(default)
    named = [
        p for p in phrases if not (p.fuzzy or p.dateline or p.aside or p.partial or p.facility)
    ]
    if any(c.country in countries and c.feature in _POINTING for p in named for c in p.candidates):
        return True
    if not any(p.cue and any(c.country in countries for c in p.candidates) for p in named):
        return False
    # Only villages of theirs: a village's name is shared by too many countries to outweigh
    # another name, none of whose places is theirs, that the text introduces as a place and
    # that only one other country has as a town or unit ("affiliates of UFC-What To Choose
    # gathered in Gueret": "Choose" is an Iraqi village's alternate name, only France has a
    # Gueret). Not the village's own name: "al-Jadidah city" is an Iraqi village before it
    # is Morocco's El Jadida.
    foreign = [p for p in named if not any(c.country in countries for c in p.candidates)]
    other = country_votes(foreign, cued=True) or country_votes(foreign, cued=True, relaxed=True)
    return not any(c not in countries for c in other)


def province_votes(phrases: list[Phrase], text: str) -> Counter[str]:
    """Names of provinces found in one country only that the words set up as a province:
    after a comma or a bracket ("shelled Maiorsk, Donetsk", "(Nikki, Borgou)"), or with a
    feature word ("Sagaing region"), by country ("in Beni" is not enough: a Bolivian
    department and a Congolese city). A province's name is the
    coder's clue to the country, where a demonym ("Russian forces") only names an actor."""
    seen: dict[str, str | None] = {}
    for p in phrases:
        if (
            p.fuzzy
            or p.country
            or p.dateline
            or p.aside
            or p.partial
            or p.facility
            or not p.candidates
        ):
            continue
        top = max(c.rank for c in p.candidates)
        if top < FEATURE_RANK["admin1"]:
            continue
        after_place = text[: p.start].rstrip().endswith((",", "("))
        if not (after_place or p.hint in ("admin1", "unit", "container")):
            continue
        seen.setdefault(p.text.casefold(), _province_country(p, phrases, top))
    return Counter(c for c in seen.values() if c)


#: the populated places whose province says which of a name's provinces is meant
_HELD = frozenset({"city", "town", "village"})


def _province_country(p: Phrase, phrases: list[Phrase], top: int) -> str | None:
    """The one country a name set up as a province points to, or None.

    Provinces of that name in several countries: the country whose province holds a town
    of that name or the place the words put in it ("in San Salvador, San Salvador" is El
    Salvador's department, not the Bahamas' island district).
    """
    units = [c for c in p.candidates if c.rank == top]
    countries = {c.country for c in units}
    if len(countries) > 1:
        names = {c.name for c in units}
        keys = {normalize(p.text), *(normalize(n) for n in names)}
        held = {
            c.country
            for q in phrases
            if q is p or names & q.within_units
            for c in q.candidates
            if c.country in countries
            and c.feature in _HELD
            and c.admin1 is not None
            and normalize(c.admin1) in keys
        }
        return held.pop() if len(held) == 1 else None
    return next(iter(countries))


def shares(evidence: Evidence, default: Iterable[str]) -> tuple[dict[str, float], frozenset[str]]:
    total = sum(evidence.values())
    if not total:
        # No evidence at all (an ACLED-style note): the countries the gazetteer covers in
        # detail, equally.
        d = list(default)
        return {c: 1 / len(d) for c in d}, frozenset(d)
    share = {c: v / total for c, v in evidence.items()}
    top = max(share.values())
    return share, frozenset(c for c, v in share.items() if v >= top / 2)


#: A document brings the villages of at most this many countries: its main ones and those
#: it names, most evidence first (a round-up naming ten countries needs their cities, which
#: the core has, more than their villages).
MAX_DETAIL_COUNTRIES = 4


def detail_countries(ctx: Context, gaz: Gazetteer, phrases: list[Phrase]) -> list[str]:
    """The ISO codes of the countries whose detail places (villages) a document needs: its
    main countries, every country it names by name, and the countries of the provinces,
    districts and towns it names that lie in one country only ("shelled Temyrivka,
    Zaporizhia" needs Ukraine's villages), at most MAX_DETAIL_COUNTRIES."""
    # a name that has a place in a main country is explained by it: "Ceel Buur" in a
    # Somali report is El Bur, not a reason to load the villages of Burbank's country
    unexplained = [p for p in phrases if not any(c.country in ctx.main for c in p.candidates)]
    pointed = country_votes(unexplained, units_only=True)
    codes = gaz.country_codes()
    have = gaz.detail_countries()
    wanted = sorted(
        {c for c in ctx.main} | {c for c, v in ctx.named.items() if v >= 1} | set(pointed),
        key=lambda c: (-ctx.share.get(c, 0.0), -pointed.get(c, 0), c),
    )
    out = [codes[c] for c in wanted if codes.get(c) in have]
    return out[:MAX_DETAIL_COUNTRIES]
