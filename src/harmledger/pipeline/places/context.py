"""What the whole document says about where it is: the countries it names (country names,
demonyms, actors' countries), their shares of the evidence, and the places resolved without
ambiguity (anchors) and the provinces they imply. Built by ``resolve.document_context``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from harmledger.gazetteer import Place
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
