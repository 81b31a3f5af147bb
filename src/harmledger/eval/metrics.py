"""Scoring one document: our main incident (the contract dict) against the labels.

Each scorer returns a list of :class:`Check`: one per scored field, right or wrong, with
what was expected, what we gave and how bad a miss is (``severity``, used to rank misses).
The matching rules are documented in ``docs/eval.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.gazetteer import distance_km, places_data

#: a place within this many kilometres of the labelled coordinates counts as right
KM_TOLERANCE = 25.0
#: FA-KES civilian deaths: ours within this share of the label counts as right
CIVILIAN_TOLERANCE = 0.20

Contract = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Check:
    field: str
    ok: bool
    expected: Any
    got: Any
    severity: float = 1.0


# --------------------------------------------------------------------------- helpers


def distance_to(pred: Contract, lat: float, lon: float) -> float | None:
    loc = pred.get("location") or {}
    if loc.get("latitude") is None or loc.get("longitude") is None:
        return None
    return distance_km(loc["latitude"], loc["longitude"], lat, lon)


_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
_BRACKET_WORDS = re.compile(r"\(\s*[^\W\d_][^()\d]*\)")


def normalise_actor(name: str | None) -> str:
    """ACLED actor names without year brackets ("(2020-)") or a bracketed country
    ("(Iraq)"), case-folded, apostrophes and full stops dropped, spaces collapsed."""
    s = _YEARS.sub(" ", name or "")
    s = _BRACKET_WORDS.sub(" ", s)
    s = re.sub(r"['’‘.]", "", s)
    return " ".join(s.casefold().split())


def sub_unit(name: str | None) -> str | None:
    """ACLED's sub-unit: the words after a force's year bracket, normalised
    ("Police Forces of Iraq (2020-) Rapid Reaction Force" -> "rapid reaction force")."""
    ends = [m.end() for m in _YEARS.finditer(name or "")]
    rest = normalise_actor((name or "")[ends[-1] :]) if ends else ""
    return rest or None


def actor_match(expected: str | None, got: str | None) -> bool:
    """Loose actor agreement (see docs/eval.md): equal after :func:`normalise_actor`, or one
    is the other's ACLED sub-unit ("Military Forces of Iraq Popular Mobilization Forces" vs
    "Popular Mobilization Forces"), or the short or long half of an "ABBR: Full Name"."""
    e, g = normalise_actor(expected), normalise_actor(got)
    if not e or not g:
        return e == g
    if e == g:
        return True
    if sub_unit(expected) == g or sub_unit(got) == e:  # a sub-unit named without its force
        return True
    for a, b in ((e, g), (g, e)):
        if ":" in a:
            abbr, _, full = (x.strip() for x in a.partition(":"))
            if b in (abbr, full) or (":" in b and b.partition(":")[2].strip() == full):
                return True
    return False


def normalise_name(name: str | None) -> str:
    """Place names compared loosely: accents, case, hyphens and apostrophes, a leading
    Arabic article and a trailing "governorate"/"province" do not matter."""
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['’‘`ʿʾ]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"\s+(governorate|province|muhafazat)$", "", s)
    s = re.sub(r"^(muhafazat|governorate of)\s+", "", s)
    s = re.sub(r"^(al|ar|as|ad|an|ash|at|az|el|er|es)\s+", "", s)
    return s.replace(" ", "")


def same_place(expected: str | None, got: str | None, *, got_id: str | None = None) -> bool:
    """Two names of one place: equal after :func:`normalise_name`, or the gazetteer knows a
    place by both ("Basra"/"Basrah", "Dhi Qar"/"Thi-Qar"), or ``got_id`` is a place called
    ``expected``."""
    if not expected or not got:
        return expected == got
    if normalise_name(expected) == normalise_name(got):
        return True
    from harmledger.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    ids = {p.id for p in gaz.lookup(expected)}
    return (got_id is not None and got_id in ids) or bool(ids & {p.id for p in gaz.lookup(got)})


@cache
def _tables() -> dict[str, Any]:
    return resources.read_json("eval.json")


@cache
def _governorate_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, variants in _tables()["governorates"].items():
        for v in [canonical, *variants]:
            out[normalise_name(v)] = canonical
    return out


def governorate(name: str | None) -> str | None:
    """The canonical FA-KES-style governorate name ("idlib") for any spelling, or None."""
    return _governorate_index().get(normalise_name(name)) if name else None


def our_governorate(pred: Contract) -> str | None:
    """The governorate of our main incident: ``location.admin1``; else the governorate of
    the gazetteer place we resolved; else the place itself when it is a governorate."""
    loc = pred.get("location") or {}
    for name in (loc.get("admin1"),):
        g = governorate(name)
        if g:
            return g
    if loc.get("name") is None:
        return None
    from harmledger.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    place = gaz.get(loc["gazetteer_id"]) if loc.get("gazetteer_id") else None
    candidates = [place] if place else gaz.lookup(loc["name"], country="SY")[:1]
    for p in candidates:
        g = governorate(p.admin1)
        if g:
            return g
    return governorate(loc["name"])


@cache
def _ucdp_sides() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in _tables()["ucdp_sides"].items()}


def ucdp_side_names(side: str) -> tuple[str, ...]:
    """The ACLED-style names a UCDP side stands for ("IS" -> "Islamic State";
    "Government of Iraq" -> Government/Military Forces/Police Forces of Iraq)."""
    if side in _ucdp_sides():
        return _ucdp_sides()[side]
    m = re.fullmatch(r"Government of (.+)", side.strip())
    if m:
        return tuple(f.format(country=m.group(1)) for f in _tables()["government_forms"])
    return (side,)


def ucdp_actor_match(side: str | None, got: str | None) -> bool:
    if not side:
        return not got
    names = ucdp_side_names(side)
    if any(actor_match(n, got) for n in names):
        return True
    # a sub-unit of a government force ("Military Forces of Iraq Counter-Terrorism Service")
    g = normalise_actor(got)
    return bool(g) and any(g.startswith(normalise_actor(n) + " ") for n in names)


def _actor_name(pred: Contract, key: str) -> str | None:
    return (pred.get(key) or {}).get("name")


def killed_value(pred: Contract) -> int | None:
    """Our number of people killed in the main incident: the lower bound of ``counts.killed``
    (the upper when only that is known); None when absent or vague."""
    c = (pred.get("counts") or {}).get("killed")
    if not c or c.get("vague"):
        return None
    return c.get("min") if c.get("min") is not None else c.get("max")


# --------------------------------------------------------------------------- scorers


def _exact(field: str, want: Any, got: Any) -> Check:
    return Check(field, want == got, want, got)


def _fatalities(want: int, pred: Contract, field: str = "fatalities") -> Check:
    got = pred.get("fatalities") or 0
    return Check(field, got == want, want, got, float(abs(got - want)))


def _coordinates(field: str, lat: float, lon: float, label: Any, pred: Contract) -> Check:
    d = distance_to(pred, lat, lon)
    name = (pred.get("location") or {}).get("name")
    got = None if d is None else f"{name} ({d:.0f} km)"
    ok = d is not None and d <= KM_TOLERANCE
    return Check(field, ok, label, got, 0.0 if d is None else d)


def _one_of(field: str, want: str | tuple[str, ...] | list[str] | None, got: Any) -> Check:
    """Right when ``got`` is ``want``, or one of them when the label allows several (an
    old ACLED "Riots/Protests" row is right as "Protests" or as "Riots")."""
    if isinstance(want, tuple | list):
        return Check(field, got in want, " or ".join(want), got)
    return _exact(field, want, got)


def score_acled(gold: Mapping[str, Any], pred: Contract) -> list[Check]:
    """ACLED rows: event and sub-event type (the sub-event type only when the row has one:
    exports made before 2019 have none), fatalities, place and date where the row is
    precise, actor1."""
    out = [_one_of("event_type", gold["event_type"], pred.get("event_type"))]
    if gold.get("sub_event_type"):
        out.append(_exact("sub_event_type", gold["sub_event_type"], pred.get("sub_event_type")))
    out.append(_fatalities(gold["fatalities"], pred))
    if gold.get("latitude") is not None and gold.get("longitude") is not None:
        out.append(
            _coordinates("location", gold["latitude"], gold["longitude"], gold["location"], pred)
        )
    if gold.get("date"):
        out.append(_exact("date", gold["date"], (pred.get("date") or {}).get("start")))
    got = _actor_name(pred, "actor1")
    out.append(Check("actor1", actor_match(gold["actor1"], got), gold["actor1"], got))
    return out


def score_fakes(gold: Mapping[str, Any], pred: Contract) -> list[Check]:
    out = []
    if gold.get("governorate"):
        want = governorate(gold["governorate"]) or normalise_name(gold["governorate"])
        got = our_governorate(pred)
        # FA-KES's label set has no Rural Damascus: its coders label Ghouta, Douma or
        # Jaramana "damascus", so our "rif dimashq" answers that label
        ok = got == want or (want == "damascus" and got == "rif dimashq")
        out.append(Check("governorate", ok, gold["governorate"], got))
    n = gold.get("civilian_deaths")
    if n is not None:
        ours = killed_value(pred)
        value = ours or 0
        ok = abs(value - n) <= CIVILIAN_TOLERANCE * n
        out.append(Check("civilian_deaths", ok, n, ours, float(abs(value - n))))
    return out


def score_ucdp(gold: Mapping[str, Any], pred: Contract) -> list[Check]:
    out = []
    if gold.get("date"):
        out.append(_exact("date", gold["date"], (pred.get("date") or {}).get("start")))
    if gold.get("latitude") is not None and gold.get("longitude") is not None:
        out.append(
            _coordinates("location", gold["latitude"], gold["longitude"], gold["location"], pred)
        )
    if gold.get("low") is not None and gold.get("high") is not None:
        low, high = gold["low"], gold["high"]
        got = pred.get("fatalities") or 0
        far = 0.0 if low <= got <= high else float(min(abs(got - low), abs(got - high)))
        out.append(Check("fatalities", far == 0.0, f"{low}-{high}", got, far))
    got_actor = _actor_name(pred, "actor1")
    side = gold.get("side_a")
    out.append(Check("actor1", ucdp_actor_match(side, got_actor), side, got_actor))
    return out


def _counts_checks(want: Mapping[str, Any], pred: Contract) -> list[Check]:
    ours = pred.get("counts") or {}
    out = []
    for role, w in want.items():
        c = ours.get(role)
        got = None if c is None else {"min": c.get("min"), "max": c.get("max")}
        # a null label means "no such count"; otherwise every labelled bound must agree
        ok = c is None if w is None else c is not None and all(c.get(k) == v for k, v in w.items())
        out.append(Check(f"counts.{role}", ok, w, got))
    return out


def _location_checks(want: Mapping[str, Any], pred: Contract) -> list[Check]:
    loc = pred.get("location") or {}
    out = []
    for key in ("name", "admin1", "country"):
        if key in want:
            w, g = want[key], loc.get(key)
            ok = same_place(w, g, got_id=loc.get("gazetteer_id") if key == "name" else None)
            out.append(Check(f"location.{key}", ok, w, g))
    if "precision" in want:
        out.append(_exact("location.precision", want["precision"], loc.get("precision")))
    if want.get("latitude") is not None and want.get("longitude") is not None:
        label = want.get("name") or f"{want['latitude']}, {want['longitude']}"
        out.append(
            _coordinates("location.coordinates", want["latitude"], want["longitude"], label, pred)
        )
    return out


def score_gold(gold: Mapping[str, Any], pred: Contract | None) -> list[Check]:
    """harmledger's own labels: every key of ``expected`` present is scored (docs/eval.md)."""
    out: list[Check] = []
    if "incident" in gold:
        want = bool(gold["incident"])
        out.append(Check("incident", want == (pred is not None), want, pred is not None))
        if not want:
            return out
    p: Contract = pred or {}
    for key, w in gold.items():
        if key == "incident":
            continue
        if key == "fatalities":
            out.append(_fatalities(int(w), p))
        elif key == "counts":
            out.extend(_counts_checks(w or {}, p))
        elif key == "date":
            d = p.get("date") or {}
            out.extend(_exact(f"date.{k}", v, d.get(k)) for k, v in (w or {}).items())
        elif key == "location":
            out.extend(_location_checks(w or {}, p))
        elif key in ("actor1", "actor2"):
            got = _actor_name(p, key)
            out.append(Check(key, actor_match(w, got) if w else got is None, w, got))
        elif key == "violations":
            found = sorted(p.get("violations") or [])
            out.append(Check(key, sorted(w or []) == found, sorted(w or []), found))
        else:
            out.append(_exact(key, w, p.get(key)))
    return out


# --------------------------------------------------------------------------- HRDsAttack


@cache
def _country_index() -> dict[str, str]:
    """Every spelling of a country that eval's table or the gazetteer knows, normalised ->
    one name for it."""
    out: dict[str, str] = {
        normalise_name(c): c for c in resources.read_json("countries.json")["countries"]
    }
    for canonical, forms in places_data()["country_aliases"].items():
        for v in [canonical, *forms]:
            out[normalise_name(v)] = canonical
    for canonical, variants in _tables()["countries"].items():
        if canonical == "about":
            continue
        for v in [canonical, *variants]:
            out[normalise_name(v)] = out.get(normalise_name(canonical), canonical)
    return out


@cache
def _not_countries() -> frozenset[str]:
    return frozenset(normalise_name(n) for n in _tables()["not_countries"]["names"])


def region_label(name: str | None) -> bool:
    """A country label that names a continent or a region ("Africa"): nothing to score."""
    return normalise_name(name) in _not_countries()


def country_name(name: str | None) -> str | None:
    """One name per country ("People's Republic of China" and "China" are "China"; a name
    the table does not list is kept as written); None for a blank or "None" label."""
    if not name or not name.strip() or name.strip().casefold() in ("none", "null", "unknown"):
        return None
    return _country_index().get(normalise_name(name), name.strip())


#: endings that make a country's name its people's ("Ethiopia" -> "Ethiopian")
_DEMONYM_ENDINGS = ("n", "an", "ian", "ien", "ese", "i", "ish", "s", "ns", "ans", "ians")


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


@cache
def _people_of(key: str) -> str | None:
    """The country whose people ``key`` (normalised) names: a name of it with one of
    :data:`_DEMONYM_ENDINGS` ("ethiopian"), the longest such name when several fit
    ("nigerian" is Nigeria's, not Niger's)."""
    best: tuple[int, str] | None = None
    for n, country in _country_index().items():
        stems = {n, n[:-1]} if n.endswith(("a", "e", "y")) else {n}
        for st in stems:
            fits = st and key.startswith(st) and key[len(st) :] in _DEMONYM_ENDINGS
            if fits and (best is None or len(n) > best[0]):
                best = (len(n), country)
    return best[1] if best else None


@cache
def _province_of(label: str) -> str | None:
    """The country of a province, state or constituent country a label names instead of
    its country ("Texas", "Scotland"): the gazetteer's first-level unit of that name, when
    only one country has one."""
    from harmledger.gazetteer import Gazetteer

    units = {p.country for p in Gazetteer.load().lookup(label.strip()) if p.feature == "admin1"}
    return next(iter(units)) if len(units) == 1 else None


def _label_names(label: str, ours: str) -> bool:
    """A coder's spelling of the country ``ours`` (normalised): any of its names, its
    people's adjective ("Ethiopian", "Somali"), one of its provinces, states or constituent
    countries that no other country has ("Texas", "Scotland"), or a one-letter typo of a
    name of five letters or more that is no other country's ("Turrkey"; "Gambia" is not
    "Zambia")."""
    index = _country_index()
    key = normalise_name(label)
    if normalise_name(index.get(key, key)) == ours:
        return True
    demonym = places_data()["demonyms"].get(key) or places_data()["demonyms"].get(label.casefold())
    if demonym and normalise_name(country_name(demonym)) == ours:
        return True
    people = _people_of(key)
    if people is not None:
        return normalise_name(people) == ours
    names = {k for k, v in index.items() if normalise_name(v) == ours} | {ours}
    if key in index or len(key) < 5:
        return False
    unit = _province_of(label)
    if unit is not None:
        return normalise_name(country_name(unit)) == ours
    return any(len(n) >= 5 and _one_edit(key, n) for n in names)


def same_country(expected: str | None, got: str | None) -> bool:
    """The same country, however spelt ("DR Congo" is "Democratic Republic of the Congo",
    "Bosnia" is "Bosnia and Herzegovina"; a label may also give the people's adjective,
    "Ethiopian", one of its states or constituent countries, "Texas", "Scotland", or a
    one-letter typo, "Turrkey"); a label naming several countries
    ("Greece and India") is answered by any of them. ``expected`` is the label."""
    ours = country_name(got)
    if ours is None or not expected or not expected.strip():
        return False
    mine = normalise_name(ours)
    parts = re.split(r"\s*(?:,|\band\b|&|/)\s*", expected)
    return any(_label_names(p, mine) for p in [expected, *parts] if p.strip())


def _hrds_int(value: Any) -> int | None:
    """HRDsAttack writes numbers as "2021.0", "02" or "None"."""
    try:
        return int(float(value)) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


def hrds_date(gold: Mapping[str, Any]) -> tuple[str, str] | None:
    """("day", "2021-02-26") or ("month", "2021-02") at the precision the label has;
    None when it gives only a year or nothing."""
    y, m, d = (_hrds_int(gold.get(k)) for k in ("year", "month", "date"))
    if y is None or m is None or not 1 <= m <= 12:
        return None
    if d is not None:
        try:
            return "day", date(y, m, d).isoformat()
        except ValueError:
            return None
    return "month", f"{y:04d}-{m:02d}"


def perpetrator_side(actor: Mapping[str, Any] | None) -> str | None:
    """ "state" for a state's forces or government (ACLED's State Forces, External/Other
    Forces, or a name such as "Police Forces of Kenya"), "non-state" for any other named
    actor, None for no actor."""
    if not actor or not actor.get("name"):
        return None
    if actor.get("category") in _tables()["state_actor_categories"]:
        return "state"
    prefixes = tuple(f.split("{")[0] for f in _tables()["government_forms"])
    return "state" if str(actor["name"]).startswith(prefixes) else "non-state"


def _victim_key(name: str) -> str:
    s = normalise_name(name)
    return s[:-1] if s.endswith("s") else s


def score_hrdsattack(
    gold: Mapping[str, Any], pred: Contract, incidents: Sequence[Contract] = ()
) -> list[Check]:
    """An HRDsAttack article's labels against what harmledger read in it.

    Violations are labelled per article, so they are scored against the violations of all
    the document's incidents: one ``violations.precision`` check per violation we report
    that the label vocabulary can name (right when labelled) and one ``violations.recall``
    check per labelled violation (right when we report it); their accuracies are the
    precision and recall. ``violations.focus_precision`` and ``violations.focus_recall`` are
    the same for the incidents marked ``focus`` (the article's main ones). The rest is
    scored on the main incident (``pred``):
    ``perpetrator`` (state or not), ``country``, ``date`` (the day, or the month when only
    that is labelled) and ``victims.type`` (one check per labelled type of victim).
    ``victims.name`` (one per named victim: right when a name we give contains it or is
    contained in it) reads the names of all the document's incidents: the article's
    victims are labelled one by one, and each may be another incident's."""
    table = _tables()["hrdsattack"]
    vocabulary = table["violations"]
    out: list[Check] = []
    want = {vocabulary[v] for v in gold.get("violation_types") or [] if v in vocabulary}
    found = {v for inc in incidents or [pred] for v in inc.get("violations") or []}
    scorable = found & set(vocabulary.values())
    for v in sorted(scorable):
        out.append(Check("violations.precision", v in want, sorted(want), v))
    for v in sorted(want):
        out.append(Check("violations.recall", v in found, v, sorted(scorable)))
    # the same for the incidents the product marks as the article's main ones (``focus``)
    main = [inc for inc in incidents or [pred] if inc.get("focus")]
    if main:
        in_focus = {v for inc in main for v in inc.get("violations") or []}
        in_focus &= set(vocabulary.values())
        for v in sorted(in_focus):
            out.append(Check("violations.focus_precision", v in want, sorted(want), v))
        for v in sorted(want):
            out.append(Check("violations.focus_recall", v in in_focus, v, sorted(in_focus)))
    side = table["perpetrator_sides"].get(gold.get("perpetrator_type") or "")
    if side is not None:
        got = perpetrator_side(pred.get("actor1"))
        out.append(Check("perpetrator", got == side, side, got))
    country = country_name(gold.get("country"))
    if country is not None and region_label(country):
        got_region = (pred.get("location") or {}).get("country")
        out.append(Check("country.region_label", True, country, got_region))
    elif country is not None:
        got_country = (pred.get("location") or {}).get("country")
        out.append(
            Check("country", same_country(str(gold["country"]), got_country), country, got_country)
        )
    when = hrds_date(gold)
    if when is not None:
        start = (pred.get("date") or {}).get("start")
        got_day = start if when[0] == "day" else (start or "")[:7] or None
        out.append(Check("date", got_day == when[1], when[1], got_day))
    victims = pred.get("victims") or {}
    types = {_victim_key(t) for t in victims.get("types") or []}
    names = [
        n.get("text") or ""
        for inc in incidents or [pred]
        for n in (inc.get("victims") or {}).get("names") or []
        if isinstance(n, Mapping)
    ]
    labelled_types: set[str] = set()
    for v in gold.get("victims") or []:
        for t in v.get("victim_type") or []:
            if t in table["victim_types"]:
                labelled_types.add(table["victim_types"][t])
        name = (v.get("victim_name") or "").strip()
        if name and name.casefold() not in ("none", "null"):
            key = normalise_name(name)
            ok = any(key in normalise_name(n) or normalise_name(n) in key for n in names if n)
            out.append(Check("victims.name", ok, name, names or None))
    for t in sorted(labelled_types):
        out.append(Check("victims.type", _victim_key(t) in types, t, sorted(types) or None))
    return out


SCORERS: dict[str, Callable[[Mapping[str, Any], Contract], list[Check]]] = {
    "acled": score_acled,
    "fakes": score_fakes,
    "ucdp": score_ucdp,
    "gold": score_gold,
    "hrdsattack": score_hrdsattack,
}

#: fields whose (expected, got) pairs are counted in a confusion matrix
CONFUSED = ("event_type", "sub_event_type")
