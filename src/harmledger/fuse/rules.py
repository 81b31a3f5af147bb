"""Fusion (``fuse.v9``): reports of one event become one fused incident.

Three steps, each a plain function:

1. :func:`candidate_pairs` — blocking. Reports are indexed by (country, day, place cell)
   and by story so that only reports that could be one event are compared: never all
   pairs.
2. :func:`compare` — one pair: a score that adds up evidence of one event (same day, same
   place, same kind, same perpetrator, same toll, same story) and a veto for what rules it
   out (different documents' distinct incidents, different countries or provinces, dates
   or places too far apart for their precision, kinds that cannot be one event) or gives
   no positive evidence for it (a report without a place, unless the two are copies of
   one text that count the same people; only a province in common, with neither the
   toll nor the actor; no count of anyone in either report, at a place as wide as a
   city; kinds that only share a family, with nobody counted alike and no harm named
   alike; two places a few km apart, or two reports placed only to a district or an
   area, with nobody counted alike). The weights are data (``resources/fusion.json``),
   read with the facts a pair is weighed on by :mod:`.evidence`.
3. :func:`cluster` — pairs above the threshold are merged best first, and two groups are
   only joined when no pair across them is vetoed and their mean score stays high
   (so A~B and B~C never chain A to an incompatible C). A person's decisions come first:
   ``must_link`` groups are joined before anything, ``cannot_link`` pairs never are.
   Since ``fuse.v8`` the groups do not depend on the order reports arrive in: ties are
   broken by incident ids and each pair is weighed one way round.

:mod:`.summary` turns each group into a :class:`~harmledger.model.FusedIncident` with its
sources, fused ranges, disagreements and a plain-language reason.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger.fuse.evidence import (
    Key,
    Rules,
    close_numbers,
    copies,
    counts_agree,
    counts_differ,
    different_sides,
    distinct_localities,
    distinct_places,
    placed,
    places_apart,
    rules,
    same_people_or_harm,
    shared_targets,
    toll,
    uncounted_wide,
)
from harmledger.gazetteer import KM_PER_DEGREE, distance_km
from harmledger.model import Report
from harmledger.model.words import target_names

NAME = "fuse.v9"


# ---------------------------------------------------------------------- one pair


@dataclass(frozen=True, slots=True)
class Comparison:
    """Evidence that two reports tell one event: ``score`` (sum of the weights of
    ``reasons``) and ``veto`` (why they cannot be one event), if any."""

    score: float
    veto: str | None
    reasons: tuple[str, ...]

    def matches(self, threshold: float | None = None) -> bool:
        limit = rules().threshold if threshold is None else threshold
        return self.veto is None and self.score >= limit


def is_specific(actor: str | None, r: Rules | None = None) -> bool:
    """A named actor (not unidentified gunmen, civilians or protesters)."""
    if not actor:
        return False
    return not actor.startswith((r or rules()).generic_actor_prefixes)


def day_range(report: Report | Key, r: Rules | None = None) -> tuple[int, int] | None:
    """Days (ordinals) the event may fall on: the date with its slack; for an undated
    report (or one dated only to a year), the days before its publication; else None."""
    r = r or rules()
    if report.date_start is not None:
        end = report.date_end or report.date_start
        slack = r.date_slack_days.get(report.date_precision or 3, 0)
        lo, hi = report.date_start.toordinal() - slack, end.toordinal() + slack
        if hi - lo <= r.max_date_span_days:
            return lo, hi
    if report.published is not None:
        pub = report.published.toordinal()
        return pub - r.undated_window_days, pub
    return None


def _kind(a: Report, b: Report, r: Rules, add: Any) -> str | None:
    """Score the kinds; the veto reason when they cannot be one event."""
    shared = set(a.violations) & set(b.violations)
    if shared:
        add("shared_violation", f"both report {sorted(shared)[0]}")
    ta, tb = a.event_type, b.event_type
    if ta is None or tb is None:
        if shared:  # e.g. two reports of displacement that name no attack
            return None
        kinds = " / ".join(rep.event_type or ", ".join(rep.violations) or "?" for rep in (a, b))
        return f"different kinds of event ({kinds})"
    if ta != tb:
        if not _families(a) & _families(b):
            return f"different kinds of event ({ta} / {tb})"
        return None
    if a.sub_event_type == b.sub_event_type:
        add("same_sub_event_type", f"same kind ({a.sub_event_type or ta})")
    elif ta in r.strict_event_types:
        return f"different kinds of event ({a.sub_event_type} / {b.sub_event_type})"
    else:
        add("same_event_type", f"same kind ({ta})")
    return None


def _families(rep: Report) -> frozenset[str]:
    return _families_of(rep.event_type, rep.sub_event_type)


@cache
def _families_of(event_type: str | None, sub_event_type: str | None) -> frozenset[str]:
    r = rules()
    whole = r.families.get(event_type or "", frozenset())
    return whole | r.families.get(f"{event_type}/{sub_event_type}", frozenset())


def side(actor: str, r: Rules | None = None) -> str | None:
    """The country whose state forces ``actor`` belongs to ("Police Forces of Iraq" and
    "Military Forces of Iraq" are one side), or None."""
    r = r or rules()
    if actor in r.side_members:
        return r.side_members[actor]
    for prefix in r.state_prefixes:
        if actor.startswith(prefix):
            return actor[len(prefix) :].split(" (")[0]
    return None


def _dates(
    a: Report, b: Report, ra: tuple[int, int] | None, rb: tuple[int, int] | None, add: Any
) -> str | None:
    if ra is None or rb is None:
        # no date and no publication date (a saved file whose dateline has no year): its
        # day cannot be checked, so the rest of the evidence must carry the merge
        add("undated", "a report without any date")
        return None
    gap = max(ra[0] - rb[1], rb[0] - ra[1], 0)
    if gap > 0:
        dated = a.date_start is not None and b.date_start is not None
        what = "dates" if dated else "the date and the other report's publication"
        return f"{what} too far apart ({gap} day(s) beyond their precision)"
    if a.date_start is None or b.date_start is None:
        return None
    if a.date_precision == 1 and b.date_precision == 1:
        if a.date_start == b.date_start:
            add("same_day", f"same day ({a.date_start.isoformat()})")
        else:
            days = abs((a.date_start - b.date_start).days)
            apart = "a day" if days == 1 else f"{days} days"
            add("day_apart", f"dates {apart} apart ({a.date_start} / {b.date_start})", days)
    else:
        add("dates_overlap", "dates overlap")
    return None


def _directional(rep: Report | Key) -> bool:
    """A place given as a direction from a town ("north of Tikrit"), not at or near it."""
    rel = (rep.relation or "").lower()
    return any(w in rel for w in ("north", "south", "east", "west"))


def _province(rep: Report) -> bool:
    """Placed only to a province (ACLED's geo-precision 3, or the province itself)."""
    return rep.feature == "admin1" or (rep.geo_precision or 0) >= 3


def _district(rep: Report) -> str | None:
    return rep.location_name if rep.feature == "admin2" else None


def pair_limit_km(pa: int, pb: int, r: Rules | None = None) -> float:
    """How far apart two points of classes ``pa`` and ``pb`` (see :func:`point_class`) may
    be and still be one place: the sum of their radii (a town and a town 15 km, a town and
    'near' a town 22.5 km, two 'near' places 30 km, a direction from a town and a town
    67.5 km)."""
    r = r or rules()
    return r.radius_km[pa] + r.radius_km[pb]


def _places(a: Report, b: Report, r: Rules, add: Any, same_story: bool) -> str | None:
    """Score the places; the veto when they cannot be one place, or when nothing about
    them says they are (fusion merges on positive evidence only)."""
    if a.country and b.country and a.country != b.country:
        return f"different countries ({a.country} / {b.country})"
    if not (placed(a) and placed(b)):
        # an incident without a place could be anywhere in its country: only a copy of
        # the same text is the same event
        return None if same_story else "no place stated by both reports"
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return f"different provinces ({a.admin1} / {b.admin1})"
    names = (
        a.location_name
        if a.location_name == b.location_name
        else f"{a.location_name} / {b.location_name}"
    )
    # A district contains its towns: "east of Rutba district" and "near the town of Rutba"
    # may be 100 km apart as points (the district's centroid) and still one place.
    for x, y in ((a, b), (b, a)):
        district = _district(x)
        if district and district in (y.admin2, y.location_name) and x.admin1 == y.admin1:
            add("same_district", f"same district ({names})")
            return None
    for x, y in ((a, b), (b, a)):
        district = _district(x)
        if district and y.admin2 and not _province(y):
            return f"{y.location_name} is outside {district} district"
    ca, cb = point_class(a, r), point_class(b, r)
    if ca is not None and cb is not None:
        km = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
        if km > pair_limit_km(ca, cb, r):
            return f"places {km:.0f} km apart ({names})"
        same = a.gazetteer_id is not None and a.gazetteer_id == b.gazetteer_id
        # one name, two gazetteer entries (a town and its district): one place
        if same or km <= r.same_place_km or a.location_name == b.location_name:
            add("same_place", f"same place ({names})")
        else:
            add("near_place", f"places {km:.0f} km apart ({names})")
        return None
    one = a.gazetteer_id is not None and a.gazetteer_id == b.gazetteer_id
    if one or (a.location_name == b.location_name and a.admin1 == b.admin1):
        if not (_province(a) or _province(b)):  # one place named, not as a point
            add("same_place", f"same place ({names})")
            return None
        add("same_admin1", f"same province ({a.admin1 or names})")  # the province named
        return None
    # A province-level place is compared by its name: a province is no point.
    if a.admin1 and b.admin1:
        add("same_admin1", f"same province ({a.admin1})")
        return None
    return f"places that cannot be compared ({names})"


def _actors(a: Report, b: Report, r: Rules, add: Any) -> None:
    if not (is_specific(a.actor1, r) and is_specific(b.actor1, r)):
        return
    swapped = a.actor1 == b.actor2 and b.actor1 == a.actor2  # "A clashed with B" / "B with A"
    if a.actor1 == b.actor1 or swapped:
        add("same_actor", f"same actor ({a.actor1})")
        return
    # one outlet leads with who attacked, another with who repelled it: the same two
    # sides, named in another order, are no contradiction
    if _same_side(a.actor1, b.actor1, r) or a.actor1 == b.actor2 or b.actor1 == a.actor2:
        return
    add("different_actor", f"different actors ({a.actor1} / {b.actor1})")


def _same_side(x: str | None, y: str | None, r: Rules) -> bool:
    sx = side(x, r) if x else None
    return sx is not None and sx == (side(y, r) if y else None)


def _tolls(a: Report, b: Report, r: Rules, add: Any) -> str | None:
    ka, kb = toll(a), toll(b)
    if not ka or not kb:
        return None
    lo, hi = sorted((ka, kb))
    if lo == hi:
        add("same_toll", f"same toll ({lo} killed)")
    elif close_numbers(lo, hi, r):
        add("close_toll", f"close tolls ({lo} / {hi} killed)")
    elif hi > lo * r.contradicting_toll_ratio and hi - lo > r.contradicting_toll_difference:
        # not a veto: a first report's toll and a later day-total often differ this much
        add("contradicting_toll", f"tolls far apart ({lo} / {hi} killed)")
    else:
        add("different_toll", f"different tolls ({lo} / {hi} killed)")
    return None


def _corroborated(a: Report, b: Report, keys: Sequence[str], r: Rules) -> bool:
    """A pair whose places agree only on the province also agrees on something specific:
    the same count of people (:func:`counts_agree`), or a reason that
    ``province_corroboration`` lists (such as ``same_actor``)."""
    if r.province_corroboration & set(keys):
        return True
    return counts_agree(a, b, r)


def compare(a: Report, b: Report) -> Comparison:
    """How strongly two reports tell one event, and what (if anything) rules it out."""
    r = rules()
    return _compare(a, b, day_range(a, r), day_range(b, r), r)


def _compare(
    a: Report,
    b: Report,
    da: tuple[int, int] | None,
    db: tuple[int, int] | None,
    r: Rules,
) -> Comparison:
    """:func:`compare` with the reports' day ranges already known (clustering computes
    them once per report, not once per pair)."""
    if a.doc_id == b.doc_id:
        return Comparison(0.0, "two incidents of one document", ())
    score = 0.0
    reasons: list[str] = []
    keys: list[str] = []

    def add(key: str, why: str, times: int = 1) -> None:
        nonlocal score
        score += r.scores[key] * times
        reasons.append(why)
        keys.append(key)

    same_story = copies(a, b)
    if same_story:
        add("same_story", "copies of one story")
    veto = _kind(a, b, r, add) or _dates(a, b, da, db, add)
    veto = veto or _places(a, b, r, add, same_story) or _tolls(a, b, r, add)
    if veto:
        return Comparison(score, veto, tuple(reasons))
    # kinds that only share a family (a battle and an attack on civilians, a protest and a
    # riot) are one event told two ways only when the reports count the same people or
    # name the same harm: a town's clash and its roadside bomb on one day are two events
    typed = a.event_type is not None and b.event_type is not None
    told_apart = typed and a.event_type != b.event_type and not same_story
    if told_apart and not same_people_or_harm(a, b, r):
        why = f"different kinds of event ({a.event_type} / {b.event_type}), nothing alike"
        return Comparison(score, why, tuple(reasons))
    _actors(a, b, r, add)
    if common := shared_targets(a, b):
        add("same_target", f"same target ({', '.join(target_names(common))})")
    # a province holds many events of one kind on one day: sharing only the province
    # needs a second specific agreement (the same count of people)
    if "same_admin1" in keys and not same_story and not _corroborated(a, b, keys, r):
        return Comparison(score, "only the province in common", tuple(reasons))
    # two days given exactly and a day or more apart are two events (the same place is
    # struck again the next day), unless the tolls agree: one outlet dates a night attack
    # by the evening, another by the morning after
    if "day_apart" in keys and not counts_agree(a, b, r):
        return Comparison(score, "dated to different days", tuple(reasons))
    # a city or an area holds many events of one kind a day too: two reports there that
    # count nobody have only the place, the day and the kind in common
    if not same_story and uncounted_wide(a, b, r):
        return Comparison(
            score, "no count of anyone, at a place that holds many events", tuple(reasons)
        )
    # two places a few km apart, or two reports placed only to a district or an area:
    # one event only when the reports count the same people alike (fuse.v6)
    if not same_story and (apart := places_apart(a, b, keys, r)):
        return Comparison(score, apart, tuple(reasons))
    # a district holds the day's other events too: a town in it and the district are one
    # event only when the tolls both give agree (fuse.v8)
    if not same_story and "same_district" in keys and counts_differ(a, b, r):
        return Comparison(score, "a district and a town in it, tolls differ", tuple(reasons))
    # what the reports' own words name (fuse.v7): each names a town or village the other
    # does not (two posts of one district hit that day), unless they count the same people
    if not same_story and distinct_places(a, b, r):
        why = "each names a town or village the other does not, nobody counted alike"
        return Comparison(score, why, tuple(reasons))
    # villages, quarters and areas named as such that the gazetteer may lack (fuse.v9):
    # two events, unless they count the same people on one day (two outlets spell one
    # village two ways); a day apart, the village named tells the days' events apart
    if (
        not same_story
        and distinct_localities(a, b)
        and ("day_apart" in keys or not counts_agree(a, b, r))
    ):
        why = "each names a village or area the other does not"
        return Comparison(score, why, tuple(reasons))
    # whose people they count (fuse.v9): soldiers killed at a post and Taliban killed
    # by an air strike, or a policeman and a shepherd, are two events
    if not same_story and (counted_sides := different_sides(a, b)):
        why = f"different people counted ({counted_sides[0]} / {counted_sides[1]})"
        return Comparison(score, why, tuple(reasons))
    return Comparison(score, None, tuple(reasons))


# ---------------------------------------------------------------------- blocking


def point_class(rep: Report | Key, r: Rules | None = None) -> int | None:
    """The class of a placed report's point, which sets how far from it its event may be
    (``radius_km`` in ``fusion.json``): 1 a town, 2 near a town or part of one, 3 a
    direction from a town; None when its place is no point (a province, a district's
    centroid, the country, nothing)."""
    p = rep.geo_precision
    if rep.latitude is None or rep.longitude is None or p is None or p > 2:
        return None
    if rep.feature == "admin2" and rep.admin1:
        return None  # a district contains towns far from its centroid: by province
    return 3 if _directional(rep) else p


def _reach(limit_km: float, degrees: float, lat: float) -> tuple[int, int]:
    """Cells (north-south, east-west) within ``limit_km`` of a point at ``lat``."""
    ns = degrees * KM_PER_DEGREE
    ew = ns * max(math.cos(math.radians(min(89.0, abs(lat) + 1.5))), 0.02)
    return math.ceil(limit_km / ns), math.ceil(limit_km / ew)


def _kinds(rep: Report | Key, r: Rules, *, untyped: bool) -> tuple[list[Any], list[Any]]:
    """Blocking keys of a report's kind: (keys it is filed under, keys it looks in).
    A typed report meets the reports of its kind group (types linked through the
    families, see :func:`kind_group`); a report with no type meets reports sharing a
    violation (``untyped``: there are such reports, so typed ones are filed for them)."""
    shared = [("uv", v) for v in rep.violations]  # untyped reports, by violation
    if rep.event_type is None:
        return shared, [*shared, *(("tv", v) for v in rep.violations)]
    group = [("k", kind_group(rep.event_type, rep.sub_event_type))]
    filed = [*group, *(("tv", v) for v in rep.violations)] if untyped else group
    return filed, [*group, *shared] if untyped else group


@cache
def kind_group(event_type: str, sub_event_type: str | None) -> str:
    """The group of types that may be one event with this one: types sharing a family
    are linked, and so on (violence and territory share Battles, detention links arrests
    to violence through abductions). A strict type without a family is its own group."""
    r = rules()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for t, fams in r.families.items():
        for f in fams:
            parent[find(t)] = find(f"family:{f}")
    for t in list(r.families):  # "Violence against civilians/Abduction/..." is a VAC too
        for whole in r.families:
            if t.startswith(f"{whole}/") and whole not in r.strict_event_types:
                parent[find(t)] = find(whole)
    own = f"{event_type}/{sub_event_type}"
    if own in parent:
        return find(own)
    if event_type in parent and event_type not in r.strict_event_types:
        return find(event_type)
    return own if event_type in r.strict_event_types else event_type


def candidate_pairs(reports: Sequence[Report], *, query_from: int = 0) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, worth comparing: copies of one story (whatever
    their places), and placed reports of one country, of kinds that may be one event,
    whose days overlap and whose places may be one: points within the distance their
    precisions allow (a grid per precision, cells sized to it), a report placed only at
    province level with the reports of its province, a place known only by its name with
    the places of that name. A report without a place meets only the copies of its story
    (fusion merges an unplaced incident only with a near-duplicate text). A report without
    a date or publication date meets the reports of its place and kind whatever their days.

    ``query_from``: reports before this index are only indexed, not looked up, so only
    pairs with at least one report from there on are returned (new reports against the
    ledger's)."""
    r = rules()
    # what the index files for kinds of reports the set has none of finds no pair: leave
    # it out (see Blocking)
    untyped = any(rep.event_type is None and rep.violations for rep in reports)
    undated = any(day_range(rep, r) is None for rep in reports)
    index = Blocking(untyped=untyped, undated=undated)
    pairs: set[tuple[int, int]] = set()
    for j, rep in enumerate(reports):
        if j >= query_from:
            pairs.update((i, j) for i in index.look(rep))
        index.file(rep)
    return pairs


#: The empty array of every shelf that has no report of a kind yet (never added to).
_NONE = array("q")


class _Shelf:
    """The reports filed under one blocking key (a country, a kind, a place), with the
    days each may fall on: dated ones sorted by their first day, undated ones apart. A
    report is filed once per key, not once per day of its range: a ledger's index is
    built in seconds. Kept in arrays of machine integers (24 bytes a dated report, not
    the 170 of a tuple of Python ints): a run's index grows with every report fused."""

    __slots__ = ("firsts", "lasts", "longest", "positions", "undated")

    def __init__(self) -> None:
        # made on first use (most shelves hold one or two reports, many no undated one)
        self.firsts = _NONE  # first day of each dated report, sorted
        self.lasts = _NONE  # its last day
        self.positions = _NONE  # its position
        self.longest = 0  # the longest range filed (last - first day)
        self.undated = _NONE

    def add(self, days: tuple[int, int] | None, j: int) -> None:
        if days is None:
            if self.undated is _NONE:
                self.undated = array("q")
            self.undated.append(j)
            return
        lo, hi = days
        self.longest = max(self.longest, hi - lo)
        if self.firsts is _NONE:
            self.firsts, self.lasts, self.positions = array("q"), array("q"), array("q")
        if not self.firsts or lo >= self.firsts[-1]:
            self.firsts.append(lo)
            self.lasts.append(hi)
            self.positions.append(j)
        else:
            k = bisect_right(self.firsts, lo)
            self.firsts.insert(k, lo)
            self.lasts.insert(k, hi)
            self.positions.insert(k, j)

    def find(self, days: tuple[int, int] | None, found: set[int], *, undated: bool) -> None:
        """Add to ``found`` the reports whose days meet ``days``: dated ranges that
        overlap; and, when ``undated`` (see :class:`Blocking`), every dated report for an
        undated ``days`` and every undated report for any, else undated with undated."""
        if days is None:
            found.update(self.undated)
            if undated:
                found.update(self.positions)
            return
        if undated:
            found.update(self.undated)
        lo, hi = days
        a = bisect_left(self.firsts, lo - self.longest)
        b = bisect_right(self.firsts, hi)
        lasts, positions = self.lasts, self.positions
        for k in range(a, b):
            if lasts[k] >= lo:
                found.add(positions[k])


class Blocking:
    """The blocking index of :func:`candidate_pairs`, which can be kept and added to:
    :meth:`look` gives the reports filed so far that are worth comparing with a report,
    :meth:`file` adds one. Two reports meet under a key when their days overlap (see
    :func:`day_range`).

    ``undated``: dated reports also meet reports without any date (whose days are
    unknown), else only undated reports meet each other; ``untyped``: reports with a
    type are also filed where reports with only violations look, and look where those
    are filed. Both only add pairs with reports of those kinds, so an index that is kept
    (and does not know which reports will come) has both on; :func:`candidate_pairs`
    turns them off when its set has no such report.

    What is filed is a :class:`Report` or, for an index kept over a ledger, its
    :class:`~.evidence.Key` (what blocking reads of it, built from one compact query):
    :meth:`look` gives positions, :attr:`reports` what was filed there."""

    def __init__(self, *, untyped: bool = True, undated: bool = True) -> None:
        self.r = rules()
        self.untyped = untyped
        self.undated = undated
        self.reports: list[Report | Key] = []
        self.points: list[int | None] = []
        self.dead: set[int] = set()  # positions forgotten
        # point class -> (country, kind) -> grid cell -> shelf
        self._grids: dict[int, dict[Any, dict[tuple[int, int], _Shelf]]] = {1: {}, 2: {}, 3: {}}
        self._shelves: dict[Any, _Shelf] = {}  # every other blocking key
        self._stories: dict[str, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self.reports) - len(self.dead)

    def look(self, rep: Report | Key) -> list[int]:
        """Positions of the filed reports worth comparing with ``rep``, in order: the
        copies of its story, and, for a placed report, the placed reports whose places
        may be its place on its days."""
        story = set(self._stories.get(rep.story_id, ()))
        found = self._look_placed(rep) if placed(rep) else set()
        found |= story
        if self.dead:
            found -= self.dead
        return sorted(found)

    def _look_placed(self, rep: Report | Key) -> set[int]:
        r = self.r
        point = point_class(rep, r)
        _, looks = _kinds(rep, r, untyped=self.untyped)
        days = day_range(rep, r)
        undated = self.undated
        c, adm, name = rep.country, rep.admin1, rep.location_name
        shelves, grids = self._shelves, self._grids
        # the cells around the report in each grid: the same for every kind
        near: list[tuple[int, list[tuple[int, int]]]] = []
        if point is not None:
            assert rep.latitude is not None and rep.longitude is not None
            for q in (1, 2, 3):
                deg = r.grid_degrees[q]
                ny, nx = _reach(pair_limit_km(point, q, r), deg, rep.latitude)
                y, x = int(rep.latitude // deg), int(rep.longitude // deg)
                cells_of = [
                    (y + dy, x + dx) for dy in range(-ny, ny + 1) for dx in range(-nx, nx + 1)
                ]
                near.append((q, cells_of))
        found: set[int] = set()
        for k in looks:
            if point is not None:
                for q, cells_of in near:
                    cells = grids[q].get((c, k))
                    if not cells:
                        continue
                    for cell in cells_of:
                        shelf = cells.get(cell)
                        if shelf is not None:
                            shelf.find(days, found, undated=undated)
                if adm and (shelf := shelves.get(("adm_only", c, k, adm))) is not None:
                    shelf.find(days, found, undated=undated)
            elif adm and (shelf := shelves.get(("adm_all", c, k, adm))) is not None:
                shelf.find(days, found, undated=undated)
            # one name, at a point and as an area ("Ghazni" the city and the province)
            if (shelf := shelves.get(("name", c, k, name))) is not None:
                shelf.find(days, found, undated=undated)
        if point is not None and found:
            found = {
                i for i in found if _may_be_near(rep, point, self.reports[i], self.points[i], r)
            }
        return found

    def file(self, rep: Report | Key) -> int:
        """Add ``rep`` to the index; returns its position."""
        r = self.r
        j = len(self.reports)
        point = point_class(rep, r)
        self.reports.append(rep)
        self.points.append(point)
        self._stories[rep.story_id].append(j)
        if not placed(rep):  # met only by the copies of its story
            return j
        filed, _ = _kinds(rep, r, untyped=self.untyped)
        days = day_range(rep, r)
        c, adm, name = rep.country, rep.admin1, rep.location_name
        shelves = self._shelves
        for k in filed:
            if point is not None:
                deg = r.grid_degrees[point]
                cell = (int(rep.latitude // deg), int(rep.longitude // deg))  # type: ignore[operator]
                cells = self._grids[point].setdefault((c, k), {})
                _shelf(cells, cell).add(days, j)
            elif adm:
                _shelf(shelves, ("adm_only", c, k, adm)).add(days, j)
            _shelf(shelves, ("name", c, k, name)).add(days, j)
            if adm:
                _shelf(shelves, ("adm_all", c, k, adm)).add(days, j)
        return j

    def forget(self, positions: Iterable[int]) -> None:
        """Leave these reports out of every later :meth:`look`."""
        self.dead.update(positions)


def _shelf(shelves: dict[Any, _Shelf], key: Any) -> _Shelf:
    found = shelves.get(key)
    if found is None:
        found = shelves[key] = _Shelf()
    return found


def _may_be_near(a: Report | Key, point: int, b: Report | Key, other: int | None, r: Rules) -> bool:
    """A cheap bound: two point reports further apart than their limit (flat-earth
    distance, 5% margin) are not worth comparing; any other pair is."""
    if other is None:
        return True
    limit = pair_limit_km(point, other, r) * 1.05
    dy = (a.latitude - b.latitude) * KM_PER_DEGREE  # type: ignore[operator]
    dx = (a.longitude - b.longitude) * KM_PER_DEGREE * math.cos(math.radians(a.latitude))  # type: ignore[operator, arg-type]
    return dx * dx + dy * dy <= limit * limit


# ---------------------------------------------------------------------- clustering


class Groups:
    """Union-find over report indices that keeps each group's members."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        keep, gone = min(ra, rb), max(ra, rb)  # the earliest report anchors the group
        self.parent[gone] = keep
        self.members[keep].extend(self.members.pop(gone))
        return keep


def cluster(
    reports: Sequence[Report],
    *,
    pairs: Iterable[tuple[int, int]] | None = None,
    must_link: Iterable[Sequence[int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    weighed: Mapping[tuple[int, int], Comparison] | None = None,
) -> list[list[int]]:
    """Groups of report indices, each group one event, in order of their first report.

    ``pairs`` defaults to :func:`candidate_pairs`. ``must_link`` lists groups a person
    merged; ``cannot_link`` pairs a person split apart. ``weighed``: pairs (indices, the
    lower first) already compared as :func:`linked` compares them (fusion as documents
    arrive compares some while finding the reports to cluster), not compared again.

    The groups do not depend on the order of ``reports`` (ties are broken by incident
    ids, each pair is weighed one way round), and a group never reaches beyond the
    reports linked to it by pairs that match (or a person's merges): a set of reports
    holding every report so linked to any of its own is grouped as it is within a whole
    ledger.
    """
    r = rules()
    groups = Groups(len(reports))
    for linked in must_link:
        for i in linked[1:]:
            groups.union(linked[0], i)
    apart: dict[int, set[int]] = defaultdict(set)
    for i, j in cannot_link:
        apart[i].add(j)
        apart[j].add(i)
    # Scores of the pairs that match, and of the pairs across groups checked on joining
    # (None: vetoed); never a Comparison per candidate pair (millions at scale).
    known: dict[tuple[int, int], float | None] = {}
    days = [day_range(rep, r) for rep in reports]
    rank = [0] * len(reports)
    for n, k in enumerate(sorted(range(len(reports)), key=lambda k: stable_key(reports[k]))):
        rank[k] = n

    def weigh(i: int, j: int) -> Comparison:
        if weighed:
            made = weighed.get((i, j) if i < j else (j, i))
            if made is not None:
                return made
        if rank[j] < rank[i]:
            i, j = j, i
        return _compare(reports[i], reports[j], days[i], days[j], r)

    def score(i: int, j: int) -> float | None:
        key = (i, j) if i < j else (j, i)
        if key not in known:
            c = weigh(i, j)
            known[key] = None if c.veto else c.score
        return known[key]

    todo = pairs if pairs is not None else candidate_pairs(reports)
    scored: list[tuple[float, int, int, int, int]] = []
    for i, j in todo:
        c = weigh(i, j)
        if c.matches(r.threshold):
            known[(i, j) if i < j else (j, i)] = c.score
            lo, hi = sorted((rank[i], rank[j]))
            scored.append((-c.score, lo, hi, i, j))
    scored.sort()  # best first, ties by the reports' ids
    for _, _, _, i, j in scored:
        gi, gj = groups.find(i), groups.find(j)
        if gi != gj and _joinable(groups.members[gi], groups.members[gj], score, apart, r):
            groups.union(gi, gj)
    out = [sorted(m) for m in groups.members.values()]
    return sorted(out, key=lambda m: m[0])


def stable_key(rep: Report) -> tuple[str, int]:
    """What orders reports whatever order they arrive in: their incident ids."""
    return rep.incident_id, rep.pk or 0


def linked(a: Report, b: Report) -> bool:
    """The pair matches (a score at the threshold, no veto), weighed the way
    :func:`cluster` weighs it: the groups of a set of reports never reach beyond such
    links (and a person's merges)."""
    if stable_key(b) < stable_key(a):
        a, b = b, a
    return compare(a, b).matches(rules().threshold)


def _joinable(
    xs: Sequence[int], ys: Sequence[int], score: Any, apart: Mapping[int, set[int]], r: Rules
) -> bool:
    """No pair across the two groups is vetoed or split apart by a person, and their mean
    score reaches the group threshold (summed exactly: in any order, the same)."""
    scores = []
    for x in xs:
        if apart.get(x) and apart[x].intersection(ys):
            return False
        for y in ys:
            s = score(x, y)
            if s is None:
                return False
            scores.append(s)
    return math.fsum(scores) / (len(xs) * len(ys)) >= r.group_mean_threshold
