"""The places stage's word lists (``resources/places.json``): feature words ("the village
of", "province"), relations ("north of"), cues ("in", "near"), organisation words, titles,
demonyms..., read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from harmledger.errors import ResourceError
from harmledger.gazetteer import places_data


@dataclass(frozen=True, slots=True)
class PlaceWords:
    feature_prefixes: dict[tuple[str, ...], str]
    feature_suffixes: dict[tuple[str, ...], str]
    relations: dict[tuple[str, ...], str]
    adjective_relations: frozenset[str]
    facility_words: frozenset[str]
    facility_gap_words: frozenset[str]
    suffix_heads: frozenset[str]  # first words of the feature suffixes ("refugee" camp)
    qualifiers: frozenset[str]
    cues: frozenset[str]
    connectors: frozenset[str]
    articles: frozenset[str]
    org_words: frozenset[str]
    titles: frozenset[str]
    person_verbs: frozenset[str]
    stop_words: frozenset[str]
    function_words: frozenset[str]
    sponsor_suffixes: frozenset[str]
    demonyms: dict[str, str]
    demonym_weight: float
    anchor_weight: float
    bare_ok: frozenset[str]
    max_prefix: int
    max_suffix: int
    max_relation: int
    #: words after which a name starting with a title is a place ("the village of Sheikh
    #: Ibrahim")
    title_place_cues: frozenset[str]
    #: part adjectives that put a place in the city, not its province ("central Baghdad")
    centre_parts: frozenset[str]
    #: the tokens between two phrases that put the first inside the second ("of", ", in")
    within_gaps: frozenset[tuple[str, ...]]
    #: the tokens between two coordinated phrases ("and", ",", ", and")
    coordination_gaps: frozenset[tuple[str, ...]]
    #: first words of gazetteer names meaning "village of", each with its space ("qaryat ")
    village_prefixes: tuple[str, ...]
    #: Arabic articles that a hyphen joins to a name ("al-Sijir"), in the order given
    hyphen_articles: tuple[str, ...]
    #: the last words of the feature prefixes ("of") and of the relations ("of", "near"):
    #: a phrase whose preceding word is none of these has neither before it
    prefix_ends: frozenset[str] = frozenset()
    relation_ends: frozenset[str] = frozenset()
    #: words after a name that make it a place's people ("Kahawa residents")
    people_words: frozenset[str] = frozenset()
    #: words after a name that name a part of its unit ("Isiolo South")
    compass_words: frozenset[str] = frozenset()
    #: the titles after which a capitalised run is a person's own name ("Mr Liu",
    #: "governor Abdikarin Adan")
    name_titles: frozenset[str] = frozenset()


@cache
def load_words() -> PlaceWords:
    d = places_data()
    try:

        def phrases(m: dict[str, str]) -> dict[tuple[str, ...], str]:
            return {tuple(k.lower().replace("-", " - ").split()): v for k, v in m.items()}

        rel = phrases(d["relations"])
        adjectives = frozenset(d["part_adjectives"])
        pre = phrases(d["feature_prefixes"])
        suf = phrases(d["feature_suffixes"])
        return PlaceWords(
            feature_prefixes=pre,
            feature_suffixes=suf,
            relations=rel,
            adjective_relations=adjectives,
            facility_words=frozenset(d["facility_words"]),
            facility_gap_words=frozenset(d["facility_gap_words"]),
            suffix_heads=frozenset(k[0] for k in suf),
            qualifiers=frozenset(d["relation_qualifiers"]),
            cues=frozenset(d["locative_cues"]),
            connectors=frozenset(d["inner_connectors"]),
            articles=frozenset(d["articles"]),
            org_words=frozenset(d["org_words"]),
            titles=frozenset(d["person_titles"]),
            person_verbs=frozenset(d["person_verbs_after"]),
            stop_words=frozenset(d["stop_words"]),
            function_words=frozenset(d["function_words"]),
            sponsor_suffixes=frozenset(d["sponsor_suffixes"]),
            demonyms={k.lower(): v for k, v in d["demonyms"].items()},
            demonym_weight=float(d["demonym_weight"]),
            anchor_weight=float(d["anchor_weight"]),
            bare_ok=frozenset(d["bare_ok_features"]),
            max_prefix=max(len(k) for k in pre),
            max_suffix=max(len(k) for k in suf),
            max_relation=max(len(k) for k in rel),
            title_place_cues=frozenset(d["title_place_cues"]),
            centre_parts=frozenset(d["centre_parts"]),
            within_gaps=frozenset(tuple(g) for g in d["within_gaps"]),
            coordination_gaps=frozenset(tuple(g) for g in d["coordination_gaps"]),
            village_prefixes=tuple(f"{w} " for w in d["village_name_prefixes"]),
            hyphen_articles=tuple(d["hyphen_articles"]),
            prefix_ends=frozenset(k[-1] for k in pre),
            relation_ends=frozenset(k[-1] for k in rel),
            people_words=frozenset(d["people_words"]),
            compass_words=frozenset(d["compass_words"]),
            name_titles=frozenset(d["person_titles"]) - frozenset(d["not_person_name_titles"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ResourceError(f"packaged resource 'places.json' is malformed: {e!r}") from e
