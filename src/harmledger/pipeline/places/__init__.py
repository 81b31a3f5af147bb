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

How a place is chosen (:func:`.scoring.score`; the weights are explained there): the feature the
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

The package, one question a module:

- :mod:`.words`: the word lists, read once per process;
- :mod:`.tokens`: the tokens and their shapes;
- :mod:`.phrases`: where the place phrases are, and their gazetteer candidates;
- :mod:`.around`: what the words around a phrase say, and what phrases say of each other;
- :mod:`.context`: what the whole document says about where it is;
- :mod:`.scoring`: how well a candidate fits a phrase;
- :mod:`.admissible`: whether the best candidate may be tagged at all;
- :mod:`.resolve`: the two passes that choose one place per phrase;
- :mod:`.towns`: places said to be in a town, and places far from their sentence's towns;
- :mod:`.values`: the PlaceValue and its precision.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar, NamedTuple, cast

from harmledger.config import Settings
from harmledger.gazetteer import Gazetteer, Place, PlaceIndex, places_data
from harmledger.model import ActorValue, Annotated, Mention, PlaceValue, Span
from harmledger.pipeline.base import CANDIDATES, SENTENCES, mention_kind
from harmledger.pipeline.datelines import find_dateline
from harmledger.pipeline.places.admissible import (
    CUED_CITY,
    LINK_REJECT_KM,
    UNIT_LINK_KM,
    WORLD_CITY,
)
from harmledger.pipeline.places.around import read_around
from harmledger.pipeline.places.context import (
    MAX_DETAIL_COUNTRIES,
    Context,
    detail_countries,
    gazetteer_countries,
    named_countries,
)
from harmledger.pipeline.places.phrases import (
    MAX_NAME_TOKENS,
    Phrase,
    find_phrases,
    person_names,
    unknown_names,
)
from harmledger.pipeline.places.replay import Recorder, same_answers
from harmledger.pipeline.places.resolve import (
    ANCHOR_MARGIN,
    document_context,
    one_place_per_name,
    resolve,
)
from harmledger.pipeline.places.scoring import (
    ADMIN1_WEIGHT,
    COUNTRY_WEIGHT,
    DOC_KM,
    DOC_WEIGHT,
    FEATURE_PRIOR,
    HINT_CLASSES,
    HINT_EXACT,
    HINT_MATCH,
    LINK_KM,
    LINK_WEIGHT,
    OTHER_DISTRICT_KM,
    OUTSIDE_PENALTY,
    PREFERRED_NAME,
)
from harmledger.pipeline.places.tokens import Tok, tokenize
from harmledger.pipeline.places.towns import (
    BIG_CITY,
    COHERENT_ADMIN1_KM,
    COHERENT_KM,
    SMALL,
    VILLAGE_IN_TOWN_KM,
    WITHIN_TOWN_KM,
    coherent,
    in_towns,
)
from harmledger.pipeline.places.values import place_value
from harmledger.pipeline.places.words import PlaceWords, load_words
from harmledger.pipeline.spans import SpanIndex
from harmledger.pipeline.supported import supported_place

# the entry points, and (for code that imported them from the former module) the scoring
# weights and distance limits
__all__ = [
    "ADMIN1_WEIGHT",
    "ANCHOR_MARGIN",
    "BIG_CITY",
    "COHERENT_ADMIN1_KM",
    "COHERENT_KM",
    "COUNTRY_WEIGHT",
    "CUED_CITY",
    "DOC_KM",
    "DOC_WEIGHT",
    "FEATURE_PRIOR",
    "HINT_CLASSES",
    "HINT_EXACT",
    "HINT_MATCH",
    "LINK_KM",
    "LINK_REJECT_KM",
    "LINK_WEIGHT",
    "MAX_NAME_TOKENS",
    "NAME",
    "OTHER_DISTRICT_KM",
    "OUTSIDE_PENALTY",
    "PREFERRED_NAME",
    "UNIT_LINK_KM",
    "VILLAGE_IN_TOWN_KM",
    "WITHIN_TOWN_KM",
    "WORLD_CITY",
    "PlaceHit",
    "PlaceTagger",
    "PlaceWords",
    "Tok",
    "find_places",
    "load_words",
    "tokenize",
]

NAME = "places.v19"


class PlaceHit(NamedTuple):
    """One resolved place phrase: offsets into the text and the value."""

    start: int
    end: int
    value: PlaceValue


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
    from harmledger.pipeline.sentences import split_sentences

    gaz = gazetteer if gazetteer is not None else Gazetteer.load(None)
    words = load_words()
    sents = list(sentences) if sentences else split_sentences(text)
    toks = tokenize(text, sents)
    groups = [(a, b) for a, b, _ in actors]
    default = places_data()["default_countries"]

    dateline = find_dateline(text)
    #: countries the text points to only through names their villages alone have
    implied: list[str] = []

    def read(index: PlaceIndex) -> tuple[list[Phrase], Context]:
        phrases = find_phrases(text, toks, index, words)
        read_around(phrases, toks, words)
        if dateline is not None:
            for ph in phrases:
                ph.dateline = dateline.start <= ph.start and ph.end <= dateline.end
        for ph in phrases:
            ph.aside = supported_place(text, ph.start)
        named = named_countries(toks, phrases, words)
        for country in {c for _, _, c in actors if c}:
            named[country] += words.demonym_weight
        for country in implied:
            # "a mob killed a suspect in Likoni": the one country with a place of that
            # name is where the text is, as a coder reads it
            named[country] += words.anchor_weight
        named = gazetteer_countries(named, gaz.country_codes())
        return phrases, document_context(phrases, named, default, text)

    # Pass 0 reads the text with the core places (countries, provinces, districts, towns of
    # 15,000 people); the countries it points to bring their villages for the real reading.
    index: PlaceIndex = gaz
    first = Recorder(gaz)
    phrases, ctx = read(first)
    detail = detail_countries(ctx, gaz, phrases)
    if not ctx.anchors and not any(v >= 1 for v in ctx.named.values()):
        # nothing says where the text is (no country named, no place resolved without
        # doubt: "in Basrah" says it; a people or a group, "Somalis", "Al Shabaab", is
        # not always where it acts), and it names places the core does not know
        # ("protested in Marigat"): the country whose villages alone have that name
        unknown = unknown_names(text, toks, gaz, words, phrases, default)
        naming = [gaz.countries_naming(n) for n in unknown]
        found = sorted({c for ccs in naming if len(ccs) == 1 for c in ccs})
        detail = [*found, *(c for c in detail if c not in found)][:MAX_DETAIL_COUNTRIES]
        if len(found) == 1:
            names = {cc: name for name, cc in gaz.country_codes().items()}
            implied.extend(names[cc] for cc in found if cc in names)
    if detail:
        index = gaz.view(detail)
        if not same_answers(first.asked, index):  # else the reading would be the same
            phrases, ctx = read(index)
    resolve(phrases, ctx)
    in_group = SpanIndex(Span(a, b) for a, b in groups)
    for ph in phrases:
        if ph.chosen is None or ph.hint is not None:
            continue
        if (ph.chosen.feature in SMALL and in_group.contains(ph.start, ph.end)) or (
            # a town whose name begins or ends a longer name of a group ("7 Pyu Saw Htee
            # members": a militia, not the town of Pyu 400 km away)
            ph.chosen.feature == "town"
            and any(a <= ph.start and ph.end <= b and b - a > ph.end - ph.start for a, b in groups)
        ):
            ph.chosen = None
    people, person_at = person_names(toks, words)
    for ph in phrases:
        if (
            ph.chosen is not None
            and ph.chosen.feature != "country"
            and ph.hint is None
            and (not ph.cue or toks[ph.j - 1].possessive or ph.i in person_at)
            and all(toks[k].low in people for k in range(ph.i, ph.j))
        ):
            # "Niu was sentenced", "Niu's mother": the person the text names so
            # elsewhere ("Niu Tengyu, 20,"), not Hawaii's Niu Valley
            ph.chosen = None
    in_towns(phrases, index)
    coherent(phrases, index, text)
    one_place_per_name(phrases)
    keep = None if within is None else SpanIndex(within)
    out: list[PlaceHit] = []
    for ph in phrases:
        if ph.chosen is None:
            continue
        if ph.dateline and ph.chosen.feature != "country":
            # where the story was filed ("KYIV (Reuters) -"), not where it happened; its
            # country is still the story's, as a coder reads it
            country = _country_of(ph.chosen, index)
            if country is not None:
                out.append(PlaceHit(ph.span_start, ph.span_end, country))
            continue
        outside = keep is not None and not keep.contains(ph.start, ph.end)
        if outside and ph.chosen.feature != "country":
            continue
        out.append(PlaceHit(ph.span_start, ph.span_end, place_value(ph, phrases)))
    return out


def _country_of(place: Place, index: PlaceIndex) -> PlaceValue | None:
    """The value of the country a place lies in, None when the gazetteer has no such
    country."""
    for c in index.lookup(place.country):
        if c.feature == "country" and c.cc == place.cc:
            return PlaceValue(
                name=c.name,
                country=c.country,
                latitude=c.latitude,
                longitude=c.longitude,
                feature=c.feature,
                gazetteer_id=c.id,
                matched_name=place.name,
            )
    return None


#: Actor categories whose country says nothing of where they act.
_ABROAD = frozenset({"State Forces", "External/Other Forces"})


def _acts_in(m: Mention) -> tuple[int, int, str | None]:
    """An actor mention's span and the country it acts in, None when its category says
    nothing of that (a state's forces may be abroad)."""
    actor = cast(ActorValue, m.value)  # the value of an "actor" mention
    return m.start, m.end, None if actor.category in _ABROAD else actor.country


class PlaceTagger:
    """Adds ``place`` mentions (see the module docstring)."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = (SENTENCES, CANDIDATES, mention_kind("actor"))
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("place"),)

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
        actors = [_acts_in(m) for m in doc.of_kind("actor")]
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
