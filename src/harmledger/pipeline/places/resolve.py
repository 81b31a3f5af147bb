"""Resolving the phrases of a document, in two passes: first with the country evidence
alone (clear winners become anchors, see :func:`document_context`), then each phrase with
the whole context and the place it is tied to (:func:`resolve`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from harmledger.gazetteer import Place, normalize
from harmledger.pipeline.places.admissible import LINK_REJECT_KM, admissible, in_scope
from harmledger.pipeline.places.context import (
    Context,
    Evidence,
    country_votes,
    names_default_place,
    new_evidence,
    province_votes,
    shares,
)
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.scoring import POPULATED, choose, distance, importance
from harmledger.pipeline.places.words import load_words

#: pass 1: a phrase is an anchor when its best candidate beats the next by this much
ANCHOR_MARGIN = 1.5
#: distinct place names of one country only (see country_votes) that make it the
#: document's country: one may be a namesake of something else ("Plateau", "Mono"); two
#: agreeing rarely are
MIN_VOTES = 2


def document_context(
    phrases: list[Phrase], named: Evidence, default: Iterable[str], text: str = ""
) -> Context:
    """Pass 1: the document's context, from the countries it names (``named``) and the
    phrases that resolve without ambiguity on that evidence alone (the anchors);
    ``default``: the countries the gazetteer covers in detail."""
    default = list(default)
    named = new_evidence(named)
    # Names that each lie in one country only, two or more of them agreeing: the country
    # a coder would read from "Tanguieta (Tanguieta, Atacora)", though no country is named
    # (not when the text names a place of the default countries: "the Federation of Iraqi
    # Chambers of Commerce ... in Baghdad" has two names found in one other country only)
    in_default = names_default_place(phrases, default)
    votes = Counter() if in_default else country_votes(phrases)
    weight = load_words().anchor_weight
    for country, n in votes.items():
        if n >= MIN_VOTES:
            named[country] += n * weight
    for country, n in province_votes(phrases, text).items():
        named[country] += n * weight
    if not any(v >= 1 for v in named.values()) and not in_default:
        # Nothing else says where the text is (no country named: a demonym or a group's
        # country names a people, "Borana and Somalis clashed in Garba Tula"): a town or
        # unit found in one country only and introduced as a place ("protested in
        # Kajiado", "Vihiga county") says it. Not when
        # a town or unit of the default countries is named ("in the city of Basrah"): the
        # text is about them, and the other name is something else ("the Youth and Sports
        # Directorate")
        cued = country_votes(phrases, cued=True)
        if not cued:
            # no name is introduced as a place: a town or unit found in one country only,
            # the only such name's country ("Eldoret residents protested")
            cued = country_votes(phrases, sole=True)
        if not cued:
            # nor that: a name whose cities and units lie in one country ("the Shakarber
            # area of Kandahar city"; a small Indian town is also Kandahar)
            cued = country_votes(phrases, cued=True, relaxed=True) or country_votes(
                phrases, sole=True, relaxed=True
            )
        if len(cued) == 1:
            named[next(iter(cued))] += load_words().anchor_weight
    share, main = shares(named, default)
    ctx = Context(named, share, main, frozenset([*named, *default]), [], set())
    # Pass 1: choose with the country evidence alone; clear winners become anchors and
    # count as evidence for their country.
    evidence = new_evidence(named)
    for ph in phrases:
        if ph.fuzzy or ph.country or ph.aside:
            continue
        choose(ph, ctx, None)
        if ph.dateline:
            # where the story was filed: a hint of its country, weaker than a place of its
            # events (a Geneva dateline over a story on Lebanon)
            if ph.chosen is not None and ph.chosen.feature != "country":
                evidence[ph.chosen.country] += load_words().demonym_weight
            continue
        top = ph.chosen
        assert top is not None
        if len(ph.scores) == 1 or ph.scores[0] - ph.scores[1] >= ANCHOR_MARGIN:
            if not in_scope(ph, top, ctx):
                continue
            if top.feature == "admin1":
                ctx.admin1s.add(top.name)
            elif top.feature not in ("country", "region"):
                ctx.anchors.append((normalize(ph.text), top))
                if top.admin1:
                    ctx.admin1s.add(top.admin1)
            evidence[top.country] += load_words().anchor_weight
    ctx.share, ctx.main = shares(evidence, default)
    ctx.scope = frozenset([*evidence, *default])
    if not any(p.country for p in phrases) and evidence == named:
        # only demonyms ("Turkish jets"): they name actors more often than places
        ctx.main = ctx.main | frozenset(default)
    return ctx


def resolve(phrases: list[Phrase], ctx: Context) -> None:
    """Pass 2: choose each phrase's place with the whole context (``ph.chosen``; None when
    no candidate is admissible)."""
    # Later phrases first, so that "X, north of Y" and "X, Y district" know Y.
    for ph in reversed(phrases):
        link = None
        if ph.link is not None:
            link = phrases[ph.link].chosen
        choose(ph, ctx, link)
        assert ph.chosen is not None
        if not admissible(ph, ph.chosen, ctx, link):
            ph.chosen = _vouched(ph, link)


def _tied(ph: Phrase) -> bool:
    """Do the words say where the phrase lies ("Hnan Khar village, Gangaw township",
    "Tasso (Nikki, Borgou)", "X, north of Y")?"""
    return ph.link is not None or bool(ph.within_units)


def one_place_per_name(phrases: list[Phrase]) -> None:
    """A village the text ties to a unit or a place and that the gazetteer does not hold
    there is no namesake elsewhere either when the text repeats its name without saying
    where it lies: "in Hnan Khar village, Gangaw township (Gangaw district) the military
    carried out airstrikes ... in Hnan Khar village" is one village, not Hingaraw 300 km
    away. Only settlements (a unit's name may also begin a longer one: "Turkana West,
    Turkana")."""
    unfound = {
        (normalize(ph.text), ph.hint)
        for ph in phrases
        if _tied(ph) and ph.chosen is None and not (ph.dateline or ph.partial or ph.facility)
    }
    if not unfound:
        return
    for ph in phrases:
        if _tied(ph) or ph.country or ph.dateline or not _settlement(ph.chosen):
            continue
        if (normalize(ph.text), ph.hint) in unfound:
            ph.chosen = None


def _settlement(place: Place | None) -> bool:
    """No place, or a populated one (not a unit, a landmark or a country)."""
    return place is None or place.feature in POPULATED


def _vouched(ph: Phrase, link: Place | None) -> Place | None:
    """The candidate that the place a phrase is tied to vouches for: "Zawiya, west of
    Tripoli" is the Libyan city 45 km from Tripoli, though the text names no country and
    the gazetteer's first choice was a village in Iraq. The most important candidate in the
    linked place's country within LINK_REJECT_KM of it; None if there is none."""
    if link is None or ph.fuzzy or ph.facility or ph.partial:
        return None
    near = [
        c
        for c in ph.candidates
        if c.country == link.country
        and c.feature in ("city", "town")
        and (d := distance(c, link)) is not None
        and d <= LINK_REJECT_KM
    ]
    return max(near, key=importance, default=None)
