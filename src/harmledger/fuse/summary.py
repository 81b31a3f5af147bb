"""A group of reports of one event as one fused incident (``fuse.v9``): its sources,
fused ranges, disagreements and a plain-language reason; and :func:`fuse`, which blocks,
compares and clusters reports with :mod:`.rules` and summarises each group."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from harmledger.fuse.evidence import rules, toll
from harmledger.fuse.rules import NAME, Groups, cluster, compare, is_specific
from harmledger.model import Disagreement, FusedIncident, Report


def fused_id(anchor: Report) -> str:
    """A fused incident's id, fixed by its first report (stable as reports join): that
    report's document and where its words start, so that re-processing the document with a
    new pipeline version (new incident ids) keeps the id; the incident id when the start
    is unknown."""
    key = anchor.incident_id
    if anchor.evidence_start is not None:
        key = f"{anchor.doc_id}@{anchor.evidence_start}"
    return hashlib.sha256(f"fused|{key}".encode()).hexdigest()[:16]


def independent_sources(reports: Sequence[Report]) -> int:
    """Sources that confirm independently: copies of one story count once, and so do
    several reports of one publisher (updates of its own story)."""
    by_publisher = rules().independent_by_publisher
    groups = Groups(len(reports))
    first: dict[str, int] = {}
    for i, rep in enumerate(reports):
        keys = [f"story:{rep.story_id}"]
        if by_publisher and rep.publisher:
            keys.append(f"publisher:{rep.publisher.strip().lower()}")
        for k in keys:
            if k in first:
                groups.union(first[k], i)
            else:
                first[k] = i
    return len(groups.members)


def _vote(values: Iterable[tuple[Any, float]]) -> Any:
    """The value with most weight (first seen wins ties); None only if nothing else."""
    weight: dict[Any, float] = defaultdict(float)
    order: dict[Any, int] = {}
    for v, w in values:
        if v is None:
            continue
        weight[v] += w
        order.setdefault(v, len(order))
    if not weight:
        return None
    return max(weight, key=lambda v: (weight[v], -order[v]))


def _disagreement(field: str, reports: Sequence[Report], value: Any) -> Disagreement | None:
    seen: dict[Any, list[str]] = {}
    for rep in reports:
        v = value(rep)
        if v is not None:
            seen.setdefault(v, []).append(rep.incident_id)
    if len(seen) < 2:
        return None
    return Disagreement(field, tuple((v, tuple(ids)) for v, ids in seen.items()))


def _range(pairs: Sequence[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    """(lowest lower bound, highest number any report gives) over ``(min, max)`` pairs."""
    lows = [n for lo, hi in pairs if (n := lo if lo is not None else hi) is not None]
    nums = [n for lo, hi in pairs for n in (lo, hi) if n is not None]
    return (min(lows) if lows else None, max(nums) if nums else None)


def summarise(reports: Sequence[Report], *, manual: bool = False) -> FusedIncident:
    """One fused incident from the reports of one event (the first report anchors it)."""
    if not reports:
        raise ValueError("a fused incident needs at least one report")
    # Each report's vote is its confidence; copies of one story share one vote.
    per_story = Counter(rep.story_id for rep in reports)
    weight = {rep.incident_id: rep.confidence / per_story[rep.story_id] for rep in reports}
    event_type = _vote((rep.event_type, weight[rep.incident_id]) for rep in reports)
    same_type = [rep for rep in reports if rep.event_type == event_type] or list(reports)
    sub = _vote((rep.sub_event_type, weight[rep.incident_id]) for rep in same_type)
    violations = Counter(v for rep in reports for v in rep.violations)

    dated = [rep for rep in reports if rep.date_start is not None]
    best_dates: list[Report] = []
    if dated:
        finest = min(rep.date_precision or 9 for rep in dated)
        best_dates = [rep for rep in dated if (rep.date_precision or 9) == finest]
    start = min((rep.date_start for rep in best_dates), default=None)  # type: ignore[type-var]
    end = max(
        (rep.date_end or rep.date_start for rep in best_dates),  # type: ignore[type-var]
        default=None,
    )
    finest_precision = best_dates[0].date_precision if best_dates else None
    precision = finest_precision
    if start and end and start != end and precision == 1:
        precision = 2 if (end - start).days <= 7 else 3

    placed = [rep for rep in reports if rep.location_name]
    place: Report | None = None
    if placed:
        finest_p = min(rep.geo_precision or 9 for rep in placed)
        candidates = [rep for rep in placed if (rep.geo_precision or 9) == finest_p]
        name = _vote((rep.location_name, weight[rep.incident_id]) for rep in candidates)
        place = max(
            (rep for rep in candidates if rep.location_name == name),
            key=lambda rep: rep.confidence,
        )
    actor1 = _vote(
        (rep.actor1, weight[rep.incident_id] * (2 if is_specific(rep.actor1) else 1))
        for rep in reports
    )
    actor2 = _vote((rep.actor2, weight[rep.incident_id]) for rep in reports)

    killed_min, killed_max = _range([rep.killed for rep in reports if rep.killed])
    roles = {k for rep in reports for k in rep.counts}
    counts = {
        role: _range([rep.counts[role] for rep in reports if role in rep.counts])
        for role in sorted(roles)
    }
    tolls = [rep.fatalities for rep in reports if rep.fatalities > 0]
    fatalities = min(tolls) if tolls else 0

    checks = (
        ("event_type", lambda rep: rep.event_type),
        ("sub_event_type", lambda rep: rep.sub_event_type),
        (
            "date",
            lambda rep: (
                _date_text(rep.date_start, rep.date_end)
                if rep in best_dates and rep.date_precision == finest_precision
                else None
            ),
        ),
        (
            "location",
            lambda rep: rep.location_name if (rep.geo_precision or 9) <= 2 else None,
        ),
        ("actor1", lambda rep: rep.actor1 if is_specific(rep.actor1) else None),
        ("killed", toll),
    )
    disagreements = tuple(
        d for f, value in checks if (d := _disagreement(f, reports, value)) is not None
    )
    sources = independent_sources(reports)
    confidence = min(0.99, max(rep.confidence for rep in reports) + 0.05 * (sources - 1))
    anchor = reports[0]
    return FusedIncident(
        fused_id=fused_id(anchor),
        event_type=event_type,
        sub_event_type=sub,
        violations=tuple(v for v, _ in violations.most_common()),
        date_start=start,
        date_end=end,
        date_precision=precision,
        location_name=place.location_name if place else None,
        admin1=place.admin1 if place else _vote((rep.admin1, 1.0) for rep in reports),
        country=place.country if place else _vote((rep.country, 1.0) for rep in reports),
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        actor1=actor1,
        actor2=actor2,
        fatalities=fatalities,
        killed_min=killed_min,
        killed_max=killed_max,
        counts=counts,
        sources=sources,
        reports=tuple(reports),
        disagreements=disagreements,
        reason=reason(reports, sources=sources, manual=manual),
        confidence=confidence,
        manual=manual,
        version=NAME,
    )


def _date_text(start: date | None, end: date | None) -> str | None:
    if start is None:
        return None
    return start.isoformat() if end in (None, start) else f"{start}/{end}"


def reason(reports: Sequence[Report], *, sources: int, manual: bool = False) -> str:
    """Why these reports were fused, in words a reviewer can check."""
    n = len(reports)
    if n == 1:
        return "One report; nothing fused with it."
    names = []
    for rep in reports:
        label = rep.publisher or rep.doc_name
        if label not in names:
            names.append(label)
    head = f"{n} reports from {sources} independent source(s) ({', '.join(names)})"
    if manual:
        return head + " merged by hand."
    anchor = reports[0]
    because: list[str] = []
    for other in reports[1:]:
        c = compare(anchor, other)
        for why in c.reasons:
            if why not in because:
                because.append(why)
    tail = "; ".join(because) if because else "linked through the other reports"
    return f"{head} fused: {tail}."


def fuse(
    reports: Sequence[Report],
    *,
    must_link: Iterable[Sequence[int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> list[FusedIncident]:
    """Block, compare, cluster and summarise: every report ends in exactly one fused
    incident (most in a group of one)."""
    groups = cluster(reports, must_link=must_link, cannot_link=cannot_link)
    return [summarise([reports[i] for i in g]) for g in groups]
