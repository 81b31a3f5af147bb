"""What fusion weighs (``fuse.v9``): the weights and limits of ``resources/fusion.json``
(:class:`Rules`), and the facts of a report or a pair that tell one event from another
beside the score: its toll and the people it counts, whether it is placed, whether two
reports are copies of one story, count people alike or name the same harm, and whether
their place is too wide to tell events apart without a count, and what their own words
name (:mod:`harmledger.model.words`: targets, places). :mod:`.rules` compares,
blocks, clusters and summarises with them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from harmledger.model import Report
from harmledger.model.words import localities, names, points, sides, sides_alike, targets
from harmledger.resources import read_json


@dataclass(frozen=True, slots=True)
class Rules:
    """The weights and limits of ``resources/fusion.json``."""

    threshold: float
    group_mean_threshold: float
    undated_window_days: int
    max_date_span_days: int
    grid_degrees: Mapping[int, float]  # cell size per point class (see point_class)
    #: how far from its point an event may be, per point class (1 a town, 2 near a town
    #: or in a district, 3 a direction from a town): two points are one place when they
    #: are no further apart than the sum of their radii
    radius_km: Mapping[int, float]
    date_slack_days: Mapping[int, int]
    scores: Mapping[str, float]
    same_place_km: float
    close_toll_ratio: float
    contradicting_toll_ratio: float
    contradicting_toll_difference: int
    #: what a pair placed only by a shared province needs besides (reason keys)
    province_corroboration: frozenset[str]
    #: the smallest count that tells events apart (see :func:`counts_agree`)
    distinctive_toll: int
    #: gazetteer features of places that hold many events of one kind a day (a city, a
    #: district, a province, an area): two reports there that count nobody are not one
    #: event on their place, day and kind alone (see :func:`uncounted_wide`)
    wide_features: frozenset[str]
    #: the geo-precision from which a place is its surroundings (near or from a town, a
    #: district, a province), wide whatever its feature
    wide_precision: int
    #: gazetteer features of places that are areas, not points (a district, an area, a
    #: region): two reports placed only to one are one event only when they count the
    #: same people alike (see :func:`places_apart`)
    area_features: frozenset[str]
    #: violations nearly every violent event reports (killing, injury): they do not say
    #: that reports of different kinds are one event (see :func:`same_people_or_harm`)
    common_violations: frozenset[str]
    generic_actor_prefixes: tuple[str, ...]
    families: Mapping[str, frozenset[str]]  # event type (or "type/sub type") -> families
    state_prefixes: tuple[str, ...]
    side_members: Mapping[str, str]  # actor name -> the country whose side it is on
    strict_event_types: frozenset[str]
    independent_by_publisher: bool


@cache
def rules() -> Rules:
    raw = read_json("fusion.json")
    families: dict[str, set[str]] = defaultdict(set)
    for fam, types in raw["event_families"].items():
        if fam != "about":
            for t in types:
                families[t].add(fam)
    return Rules(
        threshold=float(raw["threshold"]),
        group_mean_threshold=float(raw["group_mean_threshold"]),
        undated_window_days=int(raw["undated_window_days"]),
        max_date_span_days=int(raw["max_date_span_days"]),
        grid_degrees={int(k): float(v) for k, v in raw["grid_degrees"].items()},
        radius_km={int(k): float(v) for k, v in raw["radius_km"].items() if k.isdigit()},
        date_slack_days={int(k): int(v) for k, v in raw["date_slack_days"].items()},
        scores={k: float(v) for k, v in raw["scores"].items()},
        same_place_km=float(raw["same_place_km"]),
        close_toll_ratio=float(raw["close_toll_ratio"]),
        contradicting_toll_ratio=float(raw["contradicting_toll_ratio"]),
        contradicting_toll_difference=int(raw["contradicting_toll_difference"]),
        province_corroboration=frozenset(raw["province_corroboration"]["reasons"]),
        distinctive_toll=int(raw["province_corroboration"]["distinctive_toll"]),
        wide_features=frozenset(raw["uncounted"]["wide_features"]),
        wide_precision=int(raw["uncounted"]["wide_precision"]),
        area_features=frozenset(raw["places_apart"]["area_features"]),
        common_violations=frozenset(raw["common_violations"]["violations"]),
        generic_actor_prefixes=tuple(raw["generic_actor_prefixes"]),
        families={k: frozenset(v) for k, v in families.items()},
        state_prefixes=tuple(raw["same_side"]["state_prefixes"]),
        side_members=dict(raw["same_side"]["members"]),
        strict_event_types=frozenset(raw["strict_sub_event_types"]["event_types"]),
        independent_by_publisher=bool(raw["independent_by_publisher"]),
    )


def toll(report: Report) -> int | None:
    """The report's number killed (its lower bound; the upper one when only that is known)."""
    if report.killed is None:
        return None
    lo, hi = report.killed
    return lo if lo is not None else hi


@dataclass(frozen=True, slots=True)
class Key:
    """What the blocking index (:class:`harmledger.fuse.rules.Blocking`) reads of a
    report: its kind, days, place and story, without its counts, actors or texts. A
    ledger's index is built from these (one compact query of the columns, not every
    report whole), and the reports that block with a new one are then read whole."""

    pk: int | None
    story_id: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    date_precision: int | None
    published: date | None
    location_name: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    feature: str | None
    relation: str | None

    @classmethod
    def of(cls, rep: Report) -> Key:
        return cls(*(getattr(rep, name) for name in cls.__dataclass_fields__))


def placed(rep: Report | Key) -> bool:
    """The report names a place in a country (a town, a district, a province), not just
    the country or nothing."""
    return rep.location_name is not None and rep.country is not None and rep.feature != "country"


def _number(bounds: tuple[int | None, int | None]) -> int | None:
    lo, hi = bounds
    return lo if lo is not None else hi


def counted(rep: Report) -> dict[str, int]:
    """The people a report counts: role -> number, for every role with a number above
    zero ("no casualties" is a fact most events share)."""
    out = {}
    for role, bounds in rep.counts.items():
        n = _number(bounds)
        if n:
            out[role] = n
    killed = toll(rep)
    if "killed" not in out and killed:
        out["killed"] = killed
    return out


def counts_agree(a: Report, b: Report, r: Rules | None = None) -> bool:
    """Both reports count the same people alike: for some role (killed, abducted,
    detained, injured...) their numbers are the same or close (:func:`close_numbers`)
    and at least ``distinctive_toll`` (one or two killed is too common to tell events
    apart)."""
    r = r or rules()
    for role in set(a.counts) & set(b.counts):
        x, y = _number(a.counts[role]), _number(b.counts[role])
        if x is None or y is None:
            continue
        lo, hi = sorted((x, y))
        if lo >= r.distinctive_toll and close_numbers(lo, hi, r):
            return True
    return False


def counted_alike(a: Report, b: Report, r: Rules | None = None) -> bool:
    """Both reports count some people alike: for a role both count, close numbers
    (:func:`close_numbers`; any number: unlike :func:`counts_agree`, this only
    says the reports are about the same people, not which event of a place it is)."""
    r = r or rules()
    ca, cb = counted(a), counted(b)
    for role in ca.keys() & cb.keys():
        lo, hi = sorted((ca[role], cb[role]))
        if close_numbers(lo, hi, r):
            return True
    return False


def close_numbers(lo: int, hi: int, r: Rules | None = None) -> bool:
    """Two counts of people (``lo <= hi``) that may be one event's: within
    ``close_toll_ratio``, or two apart from three up (three and five killed), or one apart
    (one and two). Since ``fuse.v8`` one and three, or two and four, are not close: three
    times or twice as many is another event."""
    r = r or rules()
    return hi <= lo * r.close_toll_ratio or hi - lo <= (2 if lo >= 3 else 1)


def counts_differ(a: Report, b: Report, r: Rules | None = None) -> bool:
    """Both reports count people and none alike enough to tell one event: for no role the
    same number, nor close numbers of at least ``distinctive_toll`` (:func:`counts_agree`).
    Three soldiers killed at a post and one policeman shot in the same district that day
    are two events; a first report's "two killed" and a later "three" at one town may be
    one (``fuse.v8``: asked only of a district and a town in it)."""
    r = r or rules()
    ca, cb = counted(a), counted(b)
    if not ca or not cb or any(ca[k] == cb[k] for k in ca.keys() & cb.keys()):
        return False
    return not counts_agree(a, b, r)


def same_people_or_harm(a: Report, b: Report, r: Rules | None = None) -> bool:
    """What makes two reports of different kinds one event told two ways: they count
    the same people alike, at least ``distinctive_toll`` of them (:func:`counts_agree`;
    since ``fuse.v6``: a roadside bomb and a sniper's shot that each killed one man in a
    town on one day are two events), or name the same harm (a violation both report
    beyond ``common_violations``: both an attack on civilians, both an abduction)."""
    r = r or rules()
    shared = (set(a.violations) & set(b.violations)) - r.common_violations
    return bool(shared) or counts_agree(a, b, r)


def copies(a: Report, b: Report) -> bool:
    """Copies of one story (near-duplicate texts, :mod:`~harmledger.fuse.neardup`) that
    carry the same facts: the same place, date and toll. Short formulaic texts (monitors'
    notes, wire briefs) look alike when they tell different events; a copy of a story
    tells its facts unchanged. Without a place on both, the only facts left to check are
    the counts, so copies must count the same people alike: notes filled in from one
    template ("people demonstrated overnight in the town of ...") with a town the
    gazetteer does not know are each their own event."""
    if not (
        a.story_id == b.story_id
        and a.location_name == b.location_name
        and (a.date_start, a.date_end) == (b.date_start, b.date_end)
        and toll(a) == toll(b)
    ) or template_filled(a, b):
        return False
    if placed(a) and placed(b):
        return True
    people = counted(a)
    return bool(people) and people == counted(b)


def wide(rep: Report, r: Rules | None = None) -> bool:
    """The report's place holds many events of one kind a day: a city, a district, a
    province, an area (``uncounted.wide_features``), a place of unknown kind, or any
    place given only as near or from a town (``uncounted.wide_precision``)."""
    r = r or rules()
    if (rep.geo_precision or r.wide_precision) >= r.wide_precision:
        return True
    return rep.feature is None or rep.feature in r.wide_features


def uncounted_wide(a: Report, b: Report, r: Rules | None = None) -> bool:
    """Neither report counts anyone and one of them is placed only widely (:func:`wide`):
    their place, day and kind are shared by every such event there that day (several
    protests in one city, a day's shelling of villages coded to their province), so
    nothing says they are one."""
    r = r or rules()
    if counted(a) or counted(b):
        return False
    return wide(a, r) or wide(b, r)


def places_apart(a: Report, b: Report, keys: Sequence[str], r: Rules | None = None) -> str | None:
    """Why two reports' places do not say they are one event, or None: two places a few
    km apart (``near_place``: two villages, a town and the next) or two reports placed
    only to a district or an area (``places_apart.area_features``), when the reports
    count nobody alike (:func:`counted_alike`). A district holds many events of one kind
    a day, and so do two neighbouring villages; what two outlets' reports of one attack
    share is its people."""
    r = r or rules()
    if counted_alike(a, b, r):
        return None
    if "near_place" in keys:
        return "two places a few km apart, nobody counted alike"
    if a.feature in r.area_features and b.feature in r.area_features:
        return "placed only to a district or an area, nobody counted alike"
    return None


def shared_targets(a: Report, b: Report) -> frozenset[int]:
    """The targets (:data:`harmledger.model.words.TARGETS`: a market, a checkpoint, a
    convoy...) both reports' evidence names: what two outlets' words share however they
    are worded (``fuse.v7``, evidence for)."""
    return targets(a.words) & targets(b.words)


def distinct_places(a: Report, b: Report, r: Rules | None = None) -> bool:
    """Each report's evidence names a town or a village (a point of the gazetteer) that
    the other's does not, and they do not count the same people alike
    (:func:`counts_agree`): "in the Deh Adam Khan area of Nahri Saraj district" and "in
    the Torah Shah Ghundey area of Nahri Saraj district" are two events whatever their
    place, day and kind (``fuse.v7``, evidence against). A report that names one more
    place than the other ("in Bashiqa, northeast of Mosul" and "in Bashiqa") is not
    told apart by it: two outlets name different landmarks around one event."""
    r = r or rules()
    pa, pb = points(a.words), points(b.words)
    if not (pa - pb and pb - pa):
        return False
    return not counts_agree(a, b, r)


def template_filled(a: Report, b: Report) -> bool:
    """Each report's evidence has a capitalised name the other's lacks (``fuse.v9``):
    two near-duplicate texts that differ by their names are one template filled in for
    two events ("protesters took to the streets of Aqaba ..." and "... of Jarash ...",
    "in North Okkalapa township" and "in South Okkalapa township"), not copies of one
    story: a syndicated copy keeps its story's names, and one that cuts a sentence only
    lacks names, it names none the other lacks."""
    na, nb = names(a.words), names(b.words)
    return bool(na - nb and nb - na)


def different_sides(a: Report, b: Report) -> tuple[str, str] | None:
    """The sides whose people each report counts (:func:`~harmledger.model.words.sides`:
    soldiers, policemen, fighters, civilians), when both count some and none alike
    (``fuse.v9``): "killing 5 soldiers" and "4 policemen were killed", or "6 Taliban
    militants were killed" and "killing 5 commandos", are two events whatever their
    place, day, kind and toll. Security forces may be soldiers or policemen, and
    civilians may be counted beside either (one bomb at a check point kills policemen
    and passers-by, and an outlet may count either)."""
    if not (sides_alike(a.words) & sides_alike(b.words)) and sides(a.words) and sides(b.words):
        return ", ".join(sorted(sides(a.words))), ", ".join(sorted(sides(b.words)))
    return None


def distinct_localities(a: Report, b: Report) -> bool:
    """Each report's evidence names a locality, with what it is, that the other's does
    not (:func:`~harmledger.model.words.localities`: "in the Azizabad area" and "in the
    Zawal area of Shindand district", "the Ganon quarter" and "the Banikani quarter" of
    one town; ``fuse.v9``). The gazetteer lacks most such villages, quarters and areas,
    so :func:`distinct_places` cannot see them; a report that names one where the other
    names none is not told apart by it."""
    la, lb = localities(a.words), localities(b.words)
    return bool(la - lb and lb - la)
