"""Which violations a report tells as events, and which incidents are its main ones.

A report on an attack against a human-rights defender tells far more than the attack: the
activist's earlier arrests ("he had been detained twice before"), the country's record
("the crackdown that has seen hundreds detained"), laws and calls ("urged the government to
end torture"), arrests of the suspects, and events done to other people. The words of
violence in those sentences are real words, but many tell no event of this report.

For every violation an incident carries, :func:`features` reads what its sentences say of
it (a verb done to someone or a noun of a practice, words of laws, claims,
threats, calls and courts, suspects), what the incident says (a count, a named
victim, defenders, the person the headline names) and what the report says (how often it
tells the violation, whether its headline does, the incident's rank). Then:

* :func:`background`: a violation told only in passing is left out of the incident (a
  rule, not learnt).
* :func:`main_violations`: a small logistic model (``resources/focus.json``) gives, per
  violation the report tells, the probability that the report is about it (that its coders
  would record it). An incident carrying one at least at the model's ``focus`` threshold is
  ``focus``: the event the report is about; when none is, the report's most confident
  incident is. A reader triaging reports reads the focus incidents first.
* :func:`unrecorded_violations`: a violation of a human-rights report whose probability is
  under the model's lower ``keep`` threshold is one its coders would not record (told of
  someone else, of the past, of the country's record): it is left out of the incidents.
  The threshold is 0 (no filter) where no filter keeps the violations' recall at 0.85 on
  train, as for the shipped model.

The weights and thresholds are learnt from HRDsAttack's training articles only
(``scripts/train_focus.py`` rebuilds ``resources/focus.json``, with the thresholds'
cross-validated figures); the model is versioned (``focus.v4``) and the assembler's
version with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.model import Annotated, Incident, Mention, PlaceValue, Span, TriggerValue
from harmledger.pipeline.assemble.background import DEFENDERS as _DEFENDERS
from harmledger.pipeline.assemble.background import arrest_of_suspects, sentence_before

#: The model file (in ``resources``) and the version it must carry.
MODEL_FILE = "focus.json"
VERSION = "focus.v4"

#: The violations the model weighs (those HRDsAttack's coders label); others stay as read.
WEIGHED = (
    "killing",
    "abduction",
    "arbitrary detention",
    "torture",
    "enforced disappearance",
)

_I = re.IGNORECASE
#: Laws, bodies and programmes: a practice named, not an event told.
_LAW = re.compile(
    r"\b(?:laws?|act|bill|legislation|polic(?:y|ies)|program(?:me)?s?|conventions?|"
    r"rapporteurs?|council|facilit(?:y|ies)|camps?|system|regime)\b",
    _I,
)
#: Claims, allegations and denials.
_CLAIM = re.compile(r"\b(?:alleg\w*|accus\w*|claim\w*|den(?:y|ied|ies)|rumou?r\w*)\b", _I)
#: Threats, risks and fears: what may happen.
_MODAL = re.compile(
    r"\b(?:would|could|may|might|should|must|risk\w*|threat\w*|fear\w*|warn\w*|"
    r"fac(?:e|es|ing)|danger)\b",
    _I,
)
#: Calls and campaigns about a practice.
_CALL = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:on|for)|urg\w+|demand\w*|condemn\w*|end\s+to|stop|"
    r"campaign\w*|crackdown)\b",
    _I,
)
#: A court's words: the event is being tried (often the report's own).
_COURT = re.compile(
    r"\b(?:court|trial|charg\w+|sentenc\w+|convict\w+|guilty|indict\w+|prosecut\w+)\b", _I
)
#: "was detained", "were killed", "has been tortured": a passive verb done to someone.
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", _I)
#: A capitalised word: a candidate for the name of a person the headline is about.
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
#: Capitalised words that name no one (a headline's calendar words).
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


def headline_names(text: str, headline: Span, places: Sequence[Span]) -> frozenset[str]:
    """The words that name whom the headline is about: capitalised words of the headline
    that the report repeats, never writes in lower case (so no "Police", "Court") and never
    as part of a place ("Egypt", "Lagos")."""
    rest = text[headline.end :]
    candidates = set(_CAPITALISED.findall(headline.of(text))) - _CALENDAR
    if not candidates:
        return frozenset()
    placed = {w for p in places for w in _CAPITALISED.findall(text[p.start : p.end])}
    out = set()
    for w in candidates:
        # (written in lower case: the word, all of it in [a-z], standing on its own)
        if w in placed or _word_count(w.casefold(), text, 1):
            continue
        if _word_count(w, rest, 2) >= 2:
            out.add(w)
    return frozenset(out)


def _word_count(w: str, text: str, enough: int) -> int:
    r"""How often the word ``w`` (word characters only) stands on its own in ``text``, as
    ``re.findall(rf"\b{w}\b", text)`` counts it, counted up to ``enough`` (no pattern
    compiled per word)."""
    n, size, at = 0, len(w), text.find(w)
    while at != -1:
        end = at + size
        if (at == 0 or not _is_word(text[at - 1])) and (
            end == len(text) or not _is_word(text[end])
        ):
            n += 1
            if n >= enough:
                break
        at = text.find(w, at + 1)
    return n


def _is_word(c: str) -> bool:
    r"""Is ``c`` a character of ``\w`` (as ``re`` reads a str pattern)?"""
    return c.isalnum() or c == "_"


_OF = re.compile(r"\s+of\b", _I)


def _verb(word: str, after: str) -> bool:
    """A trigger that is a verb form ("detained", "killed", "shot", "killing at least 14
    people") rather than a noun ("detention", "the killing of a journalist")."""
    w = word.casefold().split()[-1] if word.split() else ""
    if w.endswith("ing"):
        return not _OF.match(after)
    return w.endswith(("ed", "en")) or w in ("shot", "held", "taken", "kept", "slain")


#: The features' names, in the order of the model's weights.
FEATURES = (
    "bias",
    "detention",
    "verb",
    "noun_only",
    "passive",
    "named",
    "law",
    "claim",
    "modal",
    "call",
    "court",
    "suspect",
    "defenders",
    "main_person",
    "counted",
    "headline",
    "doc_count",
    "share",
    "rank0",
    "confidence",
)


@dataclass(frozen=True, slots=True)
class Whole:
    """What :func:`features` reads of the whole report, whichever its incidents."""

    live: list[Mention[TriggerValue]]
    headline: Span
    names: frozenset[str]  # :func:`headline_names`

    @classmethod
    def of(cls, doc: Annotated) -> Whole:
        text, sentences = doc.text, doc.sentences
        headline = sentences[0] if sentences else Span(0, min(len(text), 200))
        places = [Span(p.start, p.end) for p in doc.of_type(PlaceValue)]
        return cls(
            [t for t in doc.of_type(TriggerValue) if t.value.live],
            headline,
            headline_names(text, headline, places),
        )


def weighed(incidents: Sequence[Incident]) -> bool:
    """Does an incident carry a violation the model weighs (else no features)?"""
    return any(v in WEIGHED for inc in incidents for v in inc.violations)


def features(
    doc: Annotated, incidents: Sequence[Incident], whole: Whole | None = None
) -> list[tuple[int, str, list[float]]]:
    """(incident index, violation, feature vector) for every weighed violation of the
    document's incidents, in :data:`FEATURES` order (``whole``: :meth:`Whole.of` the
    document, when the caller has it)."""
    if not weighed(incidents):
        return []
    text = doc.text
    sentences = doc.sentences
    w = whole or Whole.of(doc)
    live, headline, names = w.live, w.headline, w.names
    order = sorted(range(len(incidents)), key=lambda k: (-incidents[k].confidence, k))
    rank = {k: r for r, k in enumerate(order)}
    n = max(1, len(incidents))
    out: list[tuple[int, str, list[float]]] = []
    # what a sentence's words say (the same sentence carries many triggers)
    said_of: dict[tuple[int, int], dict[str, float]] = {}
    for k, inc in enumerate(incidents):
        named_victims = [(v.start, v.end) for v in (inc.victims.names if inc.victims else ())]
        told = " ".join(e.of(text) for e in inc.evidence)
        defenders = float(bool(_DEFENDERS.search(told)))
        main_person = float(any(_word_count(w, told, 1) for w in names))
        for v in inc.violations:
            if v not in WEIGHED:
                continue
            carriers = [t for t in inc.triggers if t.value.live and v in t.value.violations]
            cues = {c: 0.0 for c in ("verb", "passive", "named")}
            bad = {c: 1.0 for c in ("law", "claim", "modal", "call", "court")}
            bad["suspect"] = 1.0
            for t in carriers:
                found = doc.sentence_index(t.start)
                s = sentences[found] if found is not None else Span(t.start, t.end)
                cues["verb"] = max(cues["verb"], float(_verb(t.text, text[t.end : t.end + 4])))
                before = text[max(s.start, t.start - 30) : t.start]
                cues["passive"] = max(cues["passive"], float(bool(_PASSIVE_BEFORE.search(before))))
                named = any(s.start <= a < s.end for a, _ in named_victims)
                cues["named"] = max(cues["named"], float(named))
                prev = sentence_before(sentences, s.start)
                held = arrest_of_suspects(text, Span(t.start, t.end), v, prev, headline)
                flags = said_of.get((s.start, s.end))
                if flags is None:
                    flags = said_of[(s.start, s.end)] = _said(s.of(text))
                bad["suspect"] = min(bad["suspect"], float(held))
                for c, flag in flags.items():
                    bad[c] = min(bad[c], flag)
            if not carriers:
                bad = dict.fromkeys(bad, 0.0)
            of_v = [t for t in live if v in t.value.violations]
            in_headline = any(headline.start <= t.start < headline.end for t in of_v)
            share = sum(v in i.violations for i in incidents) / n
            row = {
                "bias": 1.0,
                "detention": float(v == "arbitrary detention"),
                **cues,
                "noun_only": float(bool(carriers) and not cues["verb"]),
                **bad,
                "defenders": defenders,
                "main_person": main_person,
                "counted": float(bool(inc.counts)),
                "headline": float(in_headline),
                "doc_count": math.log1p(len(of_v)),
                "share": share,
                "rank0": float(rank[k] == 0),
                "confidence": inc.confidence,
            }
            out.append((k, v, [row[f] for f in FEATURES]))
    return out


#: The sentence words of :func:`features`' "bad" cues, each its pattern.
_BAD = (("law", _LAW), ("claim", _CLAIM), ("modal", _MODAL), ("call", _CALL), ("court", _COURT))


def _said(said: str) -> dict[str, float]:
    """What a trigger's sentence says: per "bad" cue, whether its words carry it."""
    return {c: float(bool(rx.search(said))) for c, rx in _BAD}


#: What the model weighs of one violation in a whole report: how often its words recur,
#: whether the headline tells it, whether the report's most confident incident carries it,
#: whether a sentence says it was done to someone ("was detained") or a court tries it,
#: the share of the report's incidents that carry it, their best confidence.
ARTICLE_FEATURES = (
    "bias",
    "doc_count",
    "headline",
    "defenders",
    "main_person",
    "rank0",
    "passive",
    "court",
    "share",
    "confidence",
)


def background(row: Sequence[float]) -> bool:
    """Is an incident's violation told only in passing? It is named once in the whole
    report, neither in the headline, nor of a victim the report names, nor in the report's
    most confident incident, and either

    * of no one the report is about: its incident neither names a person the headline names
      nor speaks of defenders, reporters, activists or critics, nor counts its victims
      ("a string of drug busts and arrests"; "twenty-two other men remain missing" is
      counted, an event), or
    * as a noun of a practice in a sentence of laws, claims, threats or calls ("the special
      rapporteur on torture", "urged an end to arbitrary detention", "allegations of
      torture").

    Such words tell the country's record or name the practice; they tell no event of the
    report. An arrest of the suspects of a crime, of no defender, is no arbitrary detention
    however often it is told: its sentence or the one before makes them suspects ("a
    fugitive wanted for the killing ... He was arrested in Illinois"), it holds the doers of
    a crime ("arrested some drug traffickers"), or the headline tells of suspects held
    ("Police arrest suspect in herdsman's kidnapping")."""
    r = dict(zip(FEATURES, row, strict=True))
    if r["detention"] and r["suspect"] and not r["defenders"]:
        return True  # police arresting the suspects of a crime detain no one arbitrarily
    if r["doc_count"] > math.log1p(1) or r["headline"] or r["named"]:
        return False
    if r["noun_only"] and (r["law"] or r["claim"] or r["modal"] or r["call"]):
        return True  # a practice named, in the lead incident's words or not
    return not r["rank0"] and not r["main_person"] and not r["defenders"] and not r["counted"]


def article_rows(
    rows: Sequence[tuple[int, str, list[float]]],
) -> dict[str, list[float]]:
    """Per violation the report tells (after :func:`background`), its
    :data:`ARTICLE_FEATURES`: the best of its incidents' values."""
    out: dict[str, list[float]] = {}
    at = {f: FEATURES.index(f) for f in ARTICLE_FEATURES if f != "bias"}
    for _, v, row in rows:
        if background(row):
            continue
        vals = [1.0, *(row[at[f]] for f in ARTICLE_FEATURES[1:])]
        old = out.get(v)
        out[v] = vals if old is None else [max(a, b) for a, b in zip(old, vals, strict=True)]
    return out


@cache
def model() -> dict[str, Any] | None:
    """The packaged model (a weight per :data:`ARTICLE_FEATURES` and the ``focus``
    probability); None only where a caller replaces it (training reads the rules' own
    violations)."""
    m = resources.read_json(MODEL_FILE)
    if (
        m.get("version") != VERSION
        or list(m.get("features") or []) != list(ARTICLE_FEATURES)
        or "keep" not in m
    ):
        raise ResourceError(
            f"packaged resource '{MODEL_FILE}' is not a {VERSION} model; rebuild it with "
            "scripts/train_focus.py"
        )
    return dict(m)


def probability(weights: Sequence[float], row: Sequence[float]) -> float:
    """The logistic model's probability for one row."""
    z = sum(w * x for w, x in zip(weights, row, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def main_violations(
    doc: Annotated, incidents: Sequence[Incident], whole: Whole | None = None
) -> dict[str, float]:
    """The probability of each violation the report tells that it is one the report is
    about (empty without a model)."""
    return _main(features(doc, incidents, whole))


def _main(rows: Sequence[tuple[int, str, list[float]]]) -> dict[str, float]:
    """:func:`main_violations` from the incidents' :func:`features` rows."""
    m = model()
    if m is None:
        return {}
    weights = [float(w) for w in m["weights"]]
    return {v: probability(weights, row) for v, row in article_rows(rows).items()}


def _kept(
    rows: Sequence[tuple[int, str, list[float]]],
    gone: dict[int, set[str]],
    incidents: Sequence[Incident],
) -> list[tuple[int, str, list[float]]]:
    """The :func:`features` rows of ``incidents`` (the incidents the rows were read from,
    without the ``gone`` violations), without computing them again: a row reads its own
    incident's violation, but for the ``share`` of the incidents that carry it."""
    if not gone:
        return list(rows)
    at = FEATURES.index("share")
    n = max(1, len(incidents))
    shares: dict[str, float] = {}
    out = []
    for k, v, row in rows:
        if v in gone.get(k, ()):
            continue
        if v not in shares:
            shares[v] = sum(v in i.violations for i in incidents) / n
        out.append((k, v, [*row[:at], shares[v], *row[at + 1 :]]))
    return out


def judge(doc: Annotated, incidents: list[Incident]) -> list[Incident]:
    """The incidents without the violations they read from background (:func:`background`),
    each marked ``focus`` when it carries one of the report's main violations (the model's
    probability at least its ``focus``); the most confident incident is the focus of a
    report with none."""
    if not incidents:
        return incidents
    whole = Whole.of(doc) if weighed(incidents) else None
    rows = features(doc, incidents, whole)
    gone: dict[int, set[str]] = {}
    for k, v, row in rows:
        if background(row):
            gone.setdefault(k, set()).add(v)
    out = [
        replace(inc, violations=tuple(v for v in inc.violations if v not in gone[k]))
        if k in gone
        else inc
        for k, inc in enumerate(incidents)
    ]
    m = model()
    threshold = float(m["focus"]) if m is not None else 1.0
    probabilities = _main(_kept(rows, gone, out))
    keep = float(m["keep"]) if m is not None else 0.0
    told = {v for i in out for v in i.violations}
    counted = {v for i in out if i.counts for v in i.violations}
    unrecorded = unrecorded_violations(probabilities, keep, told, counted)
    if unrecorded:
        out = [
            replace(inc, violations=tuple(v for v in inc.violations if v not in unrecorded))
            if unrecorded & set(inc.violations)
            else inc
            for inc in out
        ]
    main = {v for v, p in probabilities.items() if p >= threshold}
    chosen = {k for k, inc in enumerate(out) if main & set(inc.violations)}
    if not chosen:
        chosen = {min(range(len(out)), key=lambda k: (-out[k].confidence, k))}
    return [
        inc if inc.focus == (k in chosen) else replace(inc, focus=k in chosen)
        for k, inc in enumerate(out)
    ]


#: Violations of someone's rights: a report that tells one is a human-rights report, whose
#: violations the model filters (:func:`unrecorded_violations`).
RIGHTS = frozenset({"abduction", "arbitrary detention", "torture", "enforced disappearance"})


def unrecorded_violations(
    probabilities: Mapping[str, float],
    keep: float,
    told: Collection[str],
    counted: Collection[str] = (),
) -> set[str]:
    """The violations of a human-rights report that its coders would not record: the
    model's probability that they would is under its ``keep`` threshold (chosen on
    HRDsAttack train: the most precise filter that keeps the cross-validated recall of all
    the incidents' violations at 0.85; ``told``: the violations the report's incidents
    carry). They are left out of every incident of the report; the incidents stay (their
    event type, toll, place and date are read from their words, not from the violations).

    Only where the model was trained: a killing is filtered only in a report that also
    tells a violation of someone's rights (:data:`RIGHTS`), never in a report of fighting,
    shelling or a massacre alone (ACLED's notes, whose killings the model has not seen). A
    violation whose victims an incident counts (``counted``: "22 men remain missing", "the
    police detained 53 activists") is an event told, always kept."""
    if keep <= 0.0:
        return set()
    rights = not RIGHTS.isdisjoint(told)
    return {
        v
        for v, p in probabilities.items()
        if p < keep and (v in RIGHTS or rights) and v not in counted
    }
