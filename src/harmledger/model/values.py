"""The values mentions carry: what an actor, a trigger, a count, a date, a place, a quote
or a dropped value is, and their JSON form (see :class:`harmledger.model.Mention`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

IdentityStatus = Literal["named", "anonymous", "pseudonym", "unknown"]


# --------------------------------------------------------------------------- mention values


@dataclass(frozen=True, slots=True)
class ActorValue:
    """A resolved actor.

    ``name`` is the ACLED-style canonical name ("Islamic State", "Civilians (Iraq)").
    ``category`` is ACLED's actor type: "State Forces", "Rebel Groups", "Political Militias",
    "Identity Militias", "Rioters", "Protesters", "Civilians", "External/Other Forces",
    or "Unidentified". ``description`` keeps the words that describe the actor when they
    are more than a name ("men dressed in military and federal police uniforms");
    ``backed_by`` keeps sponsorship ("Iran" for "Iranian-backed"). ``source`` says how the
    alias was resolved: "lexicon" or "defined-in-text" (an acronym the document defined).
    """

    name: str
    category: str | None = None
    country: str | None = None
    description: str | None = None
    backed_by: str | None = None
    source: str = "lexicon"


@dataclass(frozen=True, slots=True)
class TriggerValue:
    """A word or phrase that signals an event ("executed", "shelled", "kidnapped")."""

    lemma: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...] = ()
    #: which count role this trigger implies for numbers near it ("killed" for "executed")
    role: str | None = None
    negated: bool = False
    #: names an earlier event rather than reporting one ("payback for the Speicher massacre")
    reference: bool = False
    #: the lexicon's class of the trigger ("air", "protest", "killing"), which decides the
    #: event type by the lexicon's precedence (None in values stored before triggers.v12)
    cls: str | None = None
    #: who does this when the report names no one ("protested" -> "Protesters")
    actor: str | None = None

    @property
    def live(self) -> bool:
        """Reports an event here: neither negated nor a reference to another event."""
        return not (self.negated or self.reference)


@dataclass(frozen=True, slots=True)
class CountValue:
    """A number of people, as a range.

    ``min``/``max`` are ``None`` when that bound is unknown ("at least 5": min 5, max None).
    ``vague`` is true for quantities that the text does not make exact ("dozens",
    "potentially thousands"); ``approximate`` for hedged exact numbers ("about 40").
    ``role`` is one of :data:`COUNT_ROLES` or ``None`` when the sentence does not say.
    ``children``/``women`` keep sub-counts ("12 men and four boys": children 4).
    """

    min: int | None
    max: int | None
    role: str | None = None
    approximate: bool = False
    vague: bool = False
    children: int | None = None
    women: int | None = None
    victim: str | None = None  # the noun counted: "men", "civilians", "cadets"


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or date range with ACLED's precision code (1 day, 2 week, 3 month)."""

    start: date | None
    end: date | None
    precision: int | None
    relative: bool = False  # resolved against the publication date


@dataclass(frozen=True, slots=True)
class PlaceValue:
    """A gazetteer place with ACLED's geo-precision code.

    1: the place itself; 2: near it or part of a district ("just north of Fallujah");
    3: only the province/region known. ``relation`` keeps the relative words
    ("north of", "near") and ``anchor`` the place they are relative to.
    """

    name: str
    country: str | None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: int | None = None
    feature: str | None = None  # "village", "town", "city", "district", "admin1", "country"
    gazetteer_id: str | None = None  # "geonames:448443", "wof:1326939989"
    relation: str | None = None
    anchor: str | None = None
    matched_name: str | None = None  # the gazetteer name that matched ("Qaryat as Sajar")


@dataclass(frozen=True, slots=True)
class QuoteValue:
    """Quoted speech and who said it. Offsets of the speaker words are document offsets."""

    speaker: str | None
    identity: IdentityStatus
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class DroppedValue:
    """Words that give a value which cannot be true ("99999999999999999999 killed" is more
    people than live on Earth; "on 3 May 1258" is no event a report of today tells): the
    value is left out of every field, and the incident the words belong to notes it.
    ``field`` is the contract field it would have filled ("counts.killed", "date");
    ``reason`` says why it was dropped."""

    field: str
    reason: str


MentionValue = (
    ActorValue | TriggerValue | CountValue | DateValue | PlaceValue | QuoteValue | DroppedValue
)


@dataclass(frozen=True, slots=True)
class NamedVictim:
    """A victim's name as the report gives it, with its span. ``protected``: left out of
    public exports (casualty recording's default for names of the harmed)."""

    text: str
    start: int
    end: int
    protected: bool = True


@dataclass(frozen=True, slots=True)
class Victims:
    """Who was harmed, as casualty-recording standards (Every Casualty) ask: the victims'
    ACLED category, their types ("journalist", "aid worker", "health worker", "human-rights
    defender", "protester", "civilian"), how many were children or women where the report
    says, and their names where it gives them."""

    category: str | None
    types: tuple[str, ...] = ()
    children: int | None = None
    women: int | None = None
    names: tuple[NamedVictim, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Victims:
        """Inverse of :meth:`to_dict` (how the ledger reads them back)."""
        return cls(
            category=data.get("category"),
            types=tuple(data.get("types") or ()),
            children=data.get("children"),
            women=data.get("women"),
            names=tuple(
                NamedVictim(n["text"], n["start"], n["end"], bool(n.get("protected", True)))
                for n in data.get("names") or ()
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "types": list(self.types),
            "children": self.children,
            "women": self.women,
            "names": [
                {"text": n.text, "start": n.start, "end": n.end, "protected": n.protected}
                for n in self.names
            ],
        }


def value_to_dict(value: Any) -> dict[str, Any]:
    """JSON-ready dict of a mention value (dates as ISO strings, tuples as lists)."""

    # field by field rather than dataclasses.asdict, which deep-copies every value: this
    # runs for every mention a run stores
    return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, str | int | float):
        return v
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if hasattr(v, "__dataclass_fields__"):
        return value_to_dict(v)
    return v


VALUE_TYPES: dict[str, type] = {
    "actor": ActorValue,
    "trigger": TriggerValue,
    "count": CountValue,
    "date": DateValue,
    "place": PlaceValue,
    "quote": QuoteValue,
    "dropped": DroppedValue,
}


def value_from_dict(kind: str, data: Mapping[str, Any]) -> MentionValue:
    """Inverse of :func:`value_to_dict` for a mention of ``kind``."""
    cls = VALUE_TYPES[kind]
    kwargs = dict(data)
    if cls is DateValue:
        for key in ("start", "end"):
            if kwargs.get(key):
                kwargs[key] = date.fromisoformat(kwargs[key])
    if cls is TriggerValue:
        kwargs["violations"] = tuple(kwargs.get("violations") or ())
    return cls(**kwargs)
