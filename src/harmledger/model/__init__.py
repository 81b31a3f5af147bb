"""The data model: Document -> Mentions (spans) -> Incidents -> stored Records.

Everything here is immutable. A pipeline stage never mutates an :class:`Annotated`
document; it returns a new one with its own mentions added (see :meth:`Annotated.add`).
Every value carries the character span it came from (offsets into ``Document.text``,
the cleaned text) and the versioned name of the stage that produced it.
"""

from __future__ import annotations

import copyreg
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeGuard, TypeVar, cast

from harmledger.model.values import (
    ActorValue,
    CountValue,
    DateValue,
    DroppedValue,
    IdentityStatus,
    MentionValue,
    NamedVictim,
    PlaceValue,
    QuoteValue,
    TriggerValue,
    Victims,
    value_from_dict,
    value_to_dict,
)


def _mapping(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mapping(m: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _mapping, (dict(m),)


# The model's read-only mappings (metadata, counts, versions) pickle as what they wrap,
# so that documents and their incidents travel to and from Dask workers.
copyreg.pickle(MappingProxyType, _reduce_mapping)

# --------------------------------------------------------------------------- vocabularies

#: Mention kinds produced by the extraction stages.
MentionKind = Literal["actor", "trigger", "count", "date", "place", "quote", "dropped"]

#: Roles a casualty count can have (the contract's ``counts`` keys).
COUNT_ROLES: tuple[str, ...] = (
    "killed",
    "injured",
    "missing",
    "abducted",
    "detained",
    "displaced",
    "tortured",
)

#: The project's human-rights violation vocabulary (documented in docs/vocabulary.md).
VIOLATIONS: tuple[str, ...] = (
    "killing",
    "torture",
    "abduction",
    "enforced disappearance",
    "arbitrary detention",
    "sexual violence",
    "forced displacement",
    "attack on civilians",
    "destruction of property",
    "injury",
)

#: ACLED's event types (2019+ taxonomy), the contract's ``event_type`` values.
EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


def text_hash(text: str) -> str:
    """The document id: a SHA-256 of the cleaned text with its whitespace normalised (every
    run of spaces, tabs and line breaks one space, none at the ends), first 16 hex digits.
    The same story re-wrapped, re-spaced or with its paragraphs run together is the same
    document."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's cleaned text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of boilerplate that the reader removed, and the rule that removed it.

    ``raw_start``/``raw_end`` are offsets into the text *before* removal (the reader's
    extracted text), so a reviewer can see exactly what went.
    """

    rule: str
    text: str
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    title: str | None = None
    byline: str | None = None
    publisher: str | None = None
    published: date | None = None
    url: str | None = None
    section: str | None = None
    language: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        out["published"] = self.published.isoformat() if self.published else None
        out["extra"] = dict(self.extra)
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """One report as read: its cleaned text, the raw input it came from and metadata.

    ``id`` is the hash of ``text`` with its whitespace normalised (:func:`text_hash`: the
    same story read twice, or re-wrapped, is the same document);
    ``name`` is what the user calls it: the JSON Lines ``id``, else the file path,
    else ``"<stdin>"``. ``reader`` is the versioned name of the reader that made it.
    """

    id: str
    name: str
    text: str
    raw: str
    meta: DocumentMeta
    reader: str
    media_type: str = "text/plain"
    removed: tuple[Removal, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        name: str,
        text: str,
        raw: str,
        meta: DocumentMeta | None = None,
        reader: str,
        media_type: str = "text/plain",
        removed: Iterable[Removal] = (),
    ) -> Document:
        return cls(
            id=text_hash(text),
            name=name,
            text=text,
            raw=raw,
            meta=meta or DocumentMeta(),
            reader=reader,
            media_type=media_type,
            removed=tuple(removed),
        )


#: The value type of a :class:`Mention` (covariant: a ``Mention[ActorValue]`` is a
#: ``Mention[MentionValue]``, never the other way round).
V = TypeVar("V", bound=MentionValue, covariant=True)
#: A value type asked for by name (see :func:`has_value`, :meth:`Annotated.of_type`).
T = TypeVar("T", bound=MentionValue)


@dataclass(frozen=True, slots=True)
class Mention(Generic[V]):
    """One extracted value, the words it came from and the stage that produced it.

    Generic over its value: ``Mention[ActorValue]`` is an actor mention. A mention's ``kind``
    and its value's type go together ("actor" and :class:`ActorValue`, "date" and
    :class:`DateValue`, ..., see :data:`harmledger.model.values.VALUE_TYPES`).
    """

    kind: str
    start: int
    end: int
    text: str
    value: V
    stage: str  # versioned stage name, e.g. "counts.v1"

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "stage": self.stage,
            "value": value_to_dict(self.value),
        }


def mention_from_dict(data: Mapping[str, Any]) -> Mention[MentionValue]:
    """Inverse of :meth:`Mention.to_dict`."""
    return Mention(
        kind=data["kind"],
        start=int(data["start"]),
        end=int(data["end"]),
        text=data["text"],
        stage=data["stage"],
        value=value_from_dict(data["kind"], data["value"]),
    )


def has_value(m: Mention[MentionValue], cls: type[T]) -> TypeGuard[Mention[T]]:
    """Is ``m``'s value a ``cls``? Then ``m`` is a ``Mention[cls]`` (a mention of that kind)."""
    return isinstance(m.value, cls)


def mentions_of(ms: Iterable[Mention[MentionValue]], cls: type[T]) -> list[Mention[T]]:
    """The mentions of ``ms`` whose value is a ``cls``, in order."""
    # has_value inlined: every stage asks this of every mention, several times a document
    return cast("list[Mention[T]]", [m for m in ms if isinstance(m.value, cls)])


# --------------------------------------------------------------------------- annotated document


def _span_key(m: Mention[MentionValue]) -> tuple[int, int]:
    return m.start, m.end


@dataclass(frozen=True, slots=True)
class Annotated:
    """A document and what the stages have added so far. Stages return new instances."""

    document: Document
    sentences: tuple[Span, ...] = ()
    mentions: tuple[Mention[MentionValue], ...] = ()
    incidents: tuple[Incident, ...] = ()
    #: versioned names of the stages that ran, in order
    stages: tuple[str, ...] = ()
    #: candidate sentence indexes (sentences with an event trigger, and their neighbours)
    candidates: frozenset[int] | None = None

    @property
    def text(self) -> str:
        return self.document.text

    def add(self, mentions: Iterable[Mention[MentionValue]], *, stage: str) -> Annotated:
        new = tuple(sorted(mentions, key=_span_key))
        # the constructor, not dataclasses.replace: every stage calls this for every document
        return Annotated(
            document=self.document,
            sentences=self.sentences,
            mentions=self.mentions + new,
            incidents=self.incidents,
            stages=(*self.stages, stage),
            candidates=self.candidates,
        )

    def of_kind(self, kind: str) -> tuple[Mention[MentionValue], ...]:
        return tuple(m for m in self.mentions if m.kind == kind)

    def of_type(self, cls: type[T]) -> tuple[Mention[T], ...]:
        """The mentions whose value is a ``cls``, typed: ``of_type(QuoteValue)`` is
        ``of_kind("quote")`` as ``Mention[QuoteValue]``."""
        return tuple(mentions_of(self.mentions, cls))

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence containing character ``offset`` (None if between)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return None

    def candidate_sentences(self) -> Iterator[tuple[int, Span]]:
        """Sentences an expensive stage should look at (all of them if none were marked)."""
        for i, s in enumerate(self.sentences):
            if self.candidates is None or i in self.candidates:
                yield i, s


# --------------------------------------------------------------------------- incidents


@dataclass(frozen=True, slots=True)
class Incident:
    """One act of violence as one document reports it.

    Field values are the mentions chosen by the assembler, so each keeps its span and
    the stage that produced it. ``to_contract()`` renders the CONTRACT.md JSON object.
    """

    doc_id: str  # Document.id (text hash)
    doc_name: str  # Document.name (what the user calls it)
    incident_id: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...]
    actor1: Mention[ActorValue] | None
    actor2: Mention[ActorValue] | None
    counts: Mapping[str, Mention[CountValue]]  # role -> count mention
    fatalities: int
    date: Mention[DateValue] | None
    location: Mention[PlaceValue] | None
    quotes: tuple[Mention[QuoteValue], ...]
    triggers: tuple[Mention[TriggerValue], ...]
    evidence: tuple[Span, ...]
    confidence: float
    stage: str  # the assembler's versioned name
    versions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: the incident's country: its location's, else the document's (None if unknown)
    country: str | None = None
    #: values its words give that cannot be true, left out of the fields above
    dropped: tuple[Mention[DroppedValue], ...] = ()
    #: the words of each evidence span (``evidence[i]``'s text), so that the contract
    #: carries them; empty when the incident was built without its document's text
    evidence_text: tuple[str, ...] = ()
    #: who was harmed (None when the incident names no victim)
    victims: Victims | None = None
    #: one of the events the report is about (its main victims' violations), as opposed
    #: to background, other people's cases or the country's record told around them
    focus: bool = False

    @property
    def mentions(self) -> tuple[Mention[MentionValue], ...]:
        """Every mention this incident uses, in text order."""
        fields: list[Mention[MentionValue] | None] = [
            self.actor1,
            self.actor2,
            self.date,
            self.location,
        ]
        out = [m for m in fields if m]
        out += list(self.counts.values()) + list(self.quotes) + list(self.triggers)
        out += list(self.dropped)
        return tuple(sorted(set(out), key=lambda m: (m.start, m.end, m.kind)))

    def _evidence_words(self, i: int) -> str | None:
        return self.evidence_text[i] if i < len(self.evidence_text) else None

    def flat(self) -> FlatIncident:
        """The incident's values as one flat row (see :class:`FlatIncident`)."""
        d = self.date.value if self.date is not None else None
        p = self.location.value if self.location is not None else None
        dv = d if isinstance(d, DateValue) else None
        pv = p if isinstance(p, PlaceValue) else None
        counts: dict[str, tuple[int | None, int | None]] = {}
        for role, m in self.counts.items():
            if isinstance(m.value, CountValue):
                counts[role] = (m.value.min, m.value.max)

        def actor(m: Mention | None) -> str | None:
            return m.value.name if m is not None and isinstance(m.value, ActorValue) else None

        def category(m: Mention | None) -> str | None:
            return m.value.category if m is not None and isinstance(m.value, ActorValue) else None

        return FlatIncident(
            incident_id=self.incident_id,
            doc_id=self.doc_id,
            doc_name=self.doc_name,
            event_type=self.event_type,
            sub_event_type=self.sub_event_type,
            violations=tuple(self.violations),
            date_start=dv.start if dv else None,
            date_end=dv.end if dv else None,
            date_precision=dv.precision if dv else None,
            location_name=pv.name if pv else None,
            admin1=pv.admin1 if pv else None,
            admin2=pv.admin2 if pv else None,
            country=(pv.country if pv else None) or self.country,
            latitude=pv.latitude if pv else None,
            longitude=pv.longitude if pv else None,
            geo_precision=pv.precision if pv else None,
            gazetteer_id=pv.gazetteer_id if pv else None,
            feature=pv.feature if pv else None,
            relation=pv.relation if pv else None,
            actor1=actor(self.actor1),
            actor2=actor(self.actor2),
            actor1_category=category(self.actor1),
            actor2_category=category(self.actor2),
            fatalities=self.fatalities,
            killed=counts.get("killed"),
            counts=MappingProxyType(counts),
            confidence=self.confidence,
            evidence_start=min((e.start for e in self.evidence), default=None),
        )

    def reviewed(self, values: Mapping[str, Any]) -> Incident:
        """This incident with a person's reviewed values in place of the machine's (see
        :class:`Review`): each field given replaces the machine's, the rest stay."""
        changes: dict[str, Any] = {}
        for name in ("event_type", "sub_event_type"):
            if name in values:
                changes[name] = values[name]
        if "violations" in values:
            changes["violations"] = tuple(values["violations"])
        if "fatalities" in values:
            changes["fatalities"] = int(values["fatalities"])
        for name in ("actor1", "actor2", "date", "location"):
            if name in values:
                given = values[name]
                changes[name] = None if given is None else mention_from_dict(given)
        if "counts" in values:
            counts: dict[str, Mention[Any]] = dict(self.counts)
            for role, given in values["counts"].items():
                if given is None:
                    counts.pop(role, None)
                else:
                    counts[role] = mention_from_dict(given)
            changes["counts"] = MappingProxyType(counts)
        if "quotes" in values:
            changes["quotes"] = tuple(mention_from_dict(q) for q in values["quotes"])
        if "location" in values and changes["location"] is not None:
            place = changes["location"].value
            changes["country"] = getattr(place, "country", None) or self.country
        return replace(self, **changes)

    def to_contract(self) -> dict[str, Any]:
        """The JSON object that ``harmledger extract`` writes (see CONTRACT.md)."""

        def actor(m: Mention[ActorValue] | None) -> dict[str, Any] | None:
            if m is None:
                return None
            v = m.value
            out = {"name": v.name, "text": m.text, "start": m.start, "end": m.end}
            if v.category:
                out["category"] = v.category
            if v.description:
                out["description"] = v.description
            if v.backed_by:
                out["backed_by"] = v.backed_by
            return out

        counts: dict[str, Any] = {}
        for role, m in self.counts.items():
            c = m.value
            entry: dict[str, Any] = {"min": c.min, "max": c.max, "text": m.text}
            entry.update(start=m.start, end=m.end)
            if c.approximate:
                entry["approximate"] = True
            if c.vague:
                entry["vague"] = True
            if c.children is not None:
                entry["children"] = c.children
            if c.women is not None:
                entry["women"] = c.women
            counts[role] = entry

        date_out: dict[str, Any] | None = None
        if self.date is not None:
            d = self.date.value
            date_out = {
                "start": d.start.isoformat() if d.start else None,
                "end": d.end.isoformat() if d.end else None,
                "precision": d.precision,
                "text": self.date.text,
                "start_char": self.date.start,
                "end_char": self.date.end,
            }

        loc_out: dict[str, Any] | None = None
        if self.location is not None:
            p = self.location.value
            loc_out = {
                "name": p.name,
                "admin1": p.admin1,
                "country": p.country,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "precision": p.precision,
                "text": self.location.text,
                "start": self.location.start,
                "end": self.location.end,
            }
            if p.gazetteer_id:
                loc_out["gazetteer_id"] = p.gazetteer_id
            if p.relation:
                loc_out["relation"] = p.relation
        elif self.country:
            loc_out = {
                "name": None,
                "admin1": None,
                "country": self.country,
                "latitude": None,
                "longitude": None,
                "precision": None,
                "text": None,
                "start": None,
                "end": None,
            }

        quotes = []
        for qm in self.quotes:
            q = qm.value
            quotes.append(
                {
                    "text": qm.text,
                    "speaker": q.speaker,
                    "identity": q.identity,
                    "start": qm.start,
                    "end": qm.end,
                }
            )

        out: dict[str, Any] = {
            "doc_id": self.doc_name,
            "doc_hash": self.doc_id,
            "incident_id": self.incident_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "violations": list(self.violations),
            "actor1": actor(self.actor1),
            "actor2": actor(self.actor2),
            "counts": counts,
            "fatalities": self.fatalities,
            "date": date_out,
            "location": loc_out,
            "quotes": quotes,
            "victims": self.victims.to_dict() if self.victims is not None else None,
            "evidence": [
                {"start": s.start, "end": s.end, "text": self._evidence_words(i)}
                for i, s in enumerate(self.evidence)
            ],
            "confidence": round(self.confidence, 3),
            "focus": self.focus,
            "versions": dict(self.versions),
        }
        if self.dropped:
            out["dropped"] = [
                {
                    "field": m.value.field,
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "reason": m.value.reason,
                }
                for m in self.dropped
            ]
        return out


#: Review states: an incident waits (``pending``), or a person accepted it as read,
#: edited its values, or rejected it (not an incident, with a reason).
ReviewState = Literal["pending", "accepted", "edited", "rejected"]
REVIEW_STATES: tuple[str, ...] = ("pending", "accepted", "edited", "rejected")


@dataclass(frozen=True, slots=True)
class Review:
    """A person's review of one incident. ``values`` is the reviewed layer: field ->
    value (``event_type``, ``sub_event_type``, ``violations``, ``fatalities``) or mention
    dict (``actor1``, ``actor2``, ``date``, ``location``; ``counts`` role -> mention dict
    or None for removed; ``quotes`` the whole list), each mention with its span and the
    stage ``review.v1``. The machine's values are kept beside it (:attr:`Record.machine`).
    ``flag``: ``carried`` (moved from ``carried_from`` when the document was extracted
    again), ``orphaned`` (no new incident matched: re-review), ``added`` (made by a person)."""

    state: str
    by: str
    at: datetime
    reason: str | None = None
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    flag: str | None = None
    carried_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "by": self.by,
            "at": self.at.isoformat(),
            "reason": self.reason,
            "fields": sorted(self.values),
            "flag": self.flag,
            "carried_from": self.carried_from,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """An incident as the ledger stores it: the incident rebuilt from its stored mentions
    (with a person's reviewed values over the machine's, when reviewed), the document it
    came from, and when and by which code it was stored. ``machine`` is the incident as
    extracted when a review changed it (else None: ``incident`` is the machine's)."""

    incident: Incident
    document_name: str
    meta: DocumentMeta
    stored_at: datetime
    pipeline_version: str
    review: Review | None = None
    machine: Incident | None = None
    pk: int | None = None  # the incident's row in the ledger

    @property
    def review_state(self) -> str:
        return self.review.state if self.review is not None else "pending"

    def to_dict(self) -> dict[str, Any]:
        out = self.incident.to_contract()
        out["document"] = {"name": self.document_name, **self.meta.to_dict()}
        out["stored_at"] = self.stored_at.isoformat()
        out["pipeline_version"] = self.pipeline_version
        out["review"] = self.review.to_dict() if self.review else {"state": "pending"}
        return out


# --------------------------------------------------------------------------- fusion


@dataclass(frozen=True, slots=True, kw_only=True)
class FlatIncident:
    """An incident's values as one flat row: the one flattening of an :class:`Incident`
    (:meth:`Incident.flat`). The ledger's incident columns, fusion's :class:`Report` and
    the CSV export are all built from it. ``killed`` is the killed count's ``(min, max)``;
    ``counts`` every role's; ``country`` is the place's, else the document's."""

    incident_id: str
    doc_id: str
    doc_name: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    date_precision: int | None
    location_name: str | None
    admin1: str | None
    admin2: str | None = None  # the place's district
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    gazetteer_id: str | None
    feature: str | None = None  # the place's gazetteer feature ("town", "admin2", ...)
    relation: str | None = None  # "north of", "near": the place is given from a town
    actor1: str | None
    actor2: str | None
    #: ACLED's category of each actor ("State Forces", "Civilians"...), where known
    actor1_category: str | None = None
    actor2_category: str | None = None
    fatalities: int
    killed: tuple[int | None, int | None] | None
    counts: Mapping[str, tuple[int | None, int | None]]
    confidence: float
    #: where the incident's words start in its document: with the document, what a fused
    #: incident's id is made from (the same across pipeline versions)
    evidence_start: int | None = None


#: FlatIncident's field names, in order (``dataclasses.fields`` builds them anew at every
#: call, once per report fusion reads)
_FLAT_FIELDS = tuple(f.name for f in fields(FlatIncident))


@dataclass(frozen=True, slots=True, kw_only=True)
class Report(FlatIncident):
    """One report's incident as fusion sees it: its flat values, and the story and
    publisher that tell whether two reports are independent sources.

    Built from an incident's :meth:`~Incident.flat` view (:meth:`of`), in memory or as the
    ledger stored it. ``story_id`` names the story the document is a copy of (its own id
    when it is nobody's copy), so that syndicated copies count as one source.
    """

    story_id: str
    publisher: str | None
    published: date | None
    pk: int | None = None  # the incident's row in the ledger, when stored
    url: str | None = None  # where the document was published, when known
    #: what its own words name (:func:`harmledger.model.words.fingerprint`): target
    #: classes and hashed names, a few dozen small ints at most (``fuse.v7``)
    words: tuple[int, ...] = ()

    @classmethod
    def of(
        cls,
        flat: FlatIncident,
        *,
        story_id: str,
        publisher: str | None = None,
        published: date | None = None,
        pk: int | None = None,
        url: str | None = None,
        words: tuple[int, ...] = (),
    ) -> Report:
        values = {name: getattr(flat, name) for name in _FLAT_FIELDS}
        return cls(
            **values,
            story_id=story_id,
            publisher=publisher,
            published=published,
            pk=pk,
            url=url,
            words=words,
        )

    def to_dict(self) -> dict[str, Any]:
        head = ("incident_id", "doc_id", "doc_name", "story_id", "publisher", "published")
        names = [*head, *(f.name for f in fields(self) if f.name not in (*head, "pk", "words"))]
        out = {name: getattr(self, name) for name in names}
        for k in ("published", "date_start", "date_end"):
            out[k] = out[k].isoformat() if out[k] else None
        out["violations"] = list(self.violations)
        out["killed"] = list(self.killed) if self.killed else None
        out["counts"] = {k: list(v) for k, v in self.counts.items()}
        return out


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Sources that disagree on one field: each distinct value with the incidents giving it."""

    field: str
    values: tuple[tuple[Any, tuple[str, ...]], ...]  # (value, incident ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "values": [{"value": v, "incidents": list(ids)} for v, ids in self.values],
        }


@dataclass(frozen=True, slots=True)
class FusedIncident:
    """Many reports of one event, fused: values chosen across sources, ranges kept.

    ``killed_min``/``killed_max`` span the tolls credible reports give (as Iraq Body
    Count does); ``fatalities`` is ACLED's conservative figure (the lowest non-zero
    toll). ``sources`` counts independent sources: copies of one story and reports of
    one publisher count once. ``reports`` keeps every report with its own values.
    """

    fused_id: str
    event_type: str | None
    sub_event_type: str | None
    violations: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    date_precision: int | None
    location_name: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    actor1: str | None
    actor2: str | None
    fatalities: int
    killed_min: int | None
    killed_max: int | None
    counts: Mapping[str, tuple[int | None, int | None]]
    sources: int
    reports: tuple[Report, ...]
    disagreements: tuple[Disagreement, ...]
    reason: str
    confidence: float
    manual: bool = False  # a person merged or split it
    #: the fusion that made it (``fuse.rules.NAME`` when made now; stored ones keep theirs)
    version: str = field(kw_only=True)

    @property
    def publishers(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.reports:
            seen.setdefault(r.publisher or r.doc_name, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fused_id": self.fused_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "violations": list(self.violations),
            "date": {
                "start": self.date_start.isoformat() if self.date_start else None,
                "end": self.date_end.isoformat() if self.date_end else None,
                "precision": self.date_precision,
            },
            "location": {
                "name": self.location_name,
                "admin1": self.admin1,
                "country": self.country,
                "latitude": self.latitude,
                "longitude": self.longitude,
                "precision": self.geo_precision,
            },
            "actor1": self.actor1,
            "actor2": self.actor2,
            "fatalities": self.fatalities,
            "killed": {"min": self.killed_min, "max": self.killed_max},
            "counts": {k: {"min": a, "max": b} for k, (a, b) in self.counts.items()},
            "sources": self.sources,
            "publishers": list(self.publishers),
            "reports": [r.to_dict() for r in self.reports],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "reason": self.reason,
            "confidence": round(self.confidence, 3),
            "manual": self.manual,
            "version": self.version,
        }


#: Re-exported: the mention values live in :mod:`harmledger.model.values`.
__all__ = [
    "ActorValue",
    "CountValue",
    "DateValue",
    "DroppedValue",
    "IdentityStatus",
    "MentionValue",
    "NamedVictim",
    "PlaceValue",
    "QuoteValue",
    "TriggerValue",
    "Victims",
    "value_from_dict",
    "value_to_dict",
]
