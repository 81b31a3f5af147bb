"""Resolving the phrases of a document, in two passes: first with the country evidence
alone (clear winners become anchors, see :func:`document_context`), then each phrase with
the whole context and the place it is tied to (:func:`resolve`)."""

from __future__ import annotations

from collections.abc import Iterable

from harmledger.gazetteer import Place, normalize
from harmledger.pipeline.places.admissible import LINK_REJECT_KM, admissible, in_scope
from harmledger.pipeline.places.context import Context, Evidence, new_evidence, shares
from harmledger.pipeline.places.phrases import Phrase
from harmledger.pipeline.places.scoring import choose, distance, importance
from harmledger.pipeline.places.words import load_words

#: pass 1: a phrase is an anchor when its best candidate beats the next by this much
ANCHOR_MARGIN = 1.5


def document_context(phrases: list[Phrase], named: Evidence, default: Iterable[str]) -> Context:
    """Pass 1: the document's context, from the countries it names (``named``) and the
    phrases that resolve without ambiguity on that evidence alone (the anchors);
    ``default``: the countries the gazetteer covers in detail."""
    default = list(default)
    share, main = shares(named, default)
    ctx = Context(named, share, main, frozenset([*named, *default]), [], set())
    # Pass 1: choose with the country evidence alone; clear winners become anchors and
    # count as evidence for their country.
    evidence = new_evidence(named)
    for ph in phrases:
        if ph.fuzzy or ph.country:
            continue
        choose(ph, ctx, None)
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
