"""Scoring one document: our main incident (the contract dict) against the labels.

Each scorer returns a list of :class:`Check`: one per scored field, right or wrong, with
what was expected, what we gave and how bad a miss is (``severity``, used to rank misses).
The matching rules are documented in ``docs/eval.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from harmledger import resources
from harmledger.gazetteer import distance_km

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


def score_acled(gold: Mapping[str, Any], pred: Contract) -> list[Check]:
    out = [
        _exact("event_type", gold["event_type"], pred.get("event_type")),
        _exact("sub_event_type", gold["sub_event_type"], pred.get("sub_event_type")),
        _fatalities(gold["fatalities"], pred),
    ]
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


SCORERS: dict[str, Callable[[Mapping[str, Any], Contract], list[Check]]] = {
    "acled": score_acled,
    "fakes": score_fakes,
    "ucdp": score_ucdp,
    "gold": score_gold,
}

#: fields whose (expected, got) pairs are counted in a confusion matrix
CONFUSED = ("event_type", "sub_event_type")
