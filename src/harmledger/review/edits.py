"""A person's review of incidents: accept, reject, edit, add, mark words protected.

Reviewed values are a layer over the machine's: the ``reviews`` row keeps each changed
field (a mention made by a person, stage :data:`STAGE`, with its span in the text), the
machine's mentions stay where they are, and reading applies the layer
(:meth:`harmledger.model.Incident.reviewed`). Every change and its audit entry are one
transaction. Values are checked here: event types from ACLED's taxonomy, violations from
harmledger's vocabulary, actors from the alias table, places from the gazetteer, counts as
ranges, dates with a precision, spans inside the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import ReviewError
from harmledger.gazetteer import Gazetteer
from harmledger.model import (
    COUNT_ROLES,
    VIOLATIONS,
    ActorValue,
    CountValue,
    DateValue,
    Incident,
    Mention,
    PlaceValue,
    QuoteValue,
    Record,
    Span,
    mention_from_dict,
)
from harmledger.pipeline.actor_names import acled_name, known_actors
from harmledger.pipeline.fatalities import acled_fatalities
from harmledger.review.roles import require
from harmledger.store import audit, rows
from harmledger.store import fused as fu
from harmledger.store import reviews as rv
from harmledger.store import schema as s
from harmledger.store.ledger import Ledger

#: The versioned name of what a person made (stored with each reviewed value).
STAGE = "review.v1"
IDENTITIES = ("named", "anonymous", "pseudonym", "unknown")
MARK_KINDS = ("name", "quote", "speaker")
EDITABLE = (
    "event_type",
    "sub_event_type",
    "violations",
    "actor1",
    "actor2",
    "date",
    "location",
    "counts",
    "quotes",
    "fatalities",
)


@cache
def taxonomy() -> dict[str, tuple[str, ...]]:
    """ACLED's event types -> sub-event types (``resources/taxonomy.json``)."""
    return resources.load(
        "taxonomy.json", lambda data: {k: tuple(v) for k, v in data["event_types"].items()}
    )


#: The fields fusion compares: an edit of one of them fuses the incident again (every
#: editable field but the quotes, which fusion does not read).
FUSED_FIELDS = frozenset(EDITABLE) - {"quotes"}


@dataclass(frozen=True, slots=True)
class Change:
    """What one review call did: the record after it, the audit entry's id, and whether
    the incident must be fused again (``fuse_again``: an edit of what fusion compares, a
    rejection, or one taken back; pass ``record.pk`` to
    :meth:`harmledger.fuse.ledger.Fuser.reviewed`)."""

    record: Record
    audit_id: int
    fuse_again: bool = False


class Reviewer:
    """Reviews incidents of ``ledger`` as user ``by`` (of ``role``), through ``via``."""

    def __init__(
        self,
        ledger: Ledger,
        *,
        by: str,
        role: str = "analyst",
        via: str = "web",
        settings: Settings | None = None,
    ) -> None:
        require(role, "review incidents")
        self.ledger = ledger
        self.by = by
        self.role = role
        self.via = via
        self.settings = settings or Settings()

    # ------------------------------------------------------------------ decisions

    def accept(self, ident: str, *, note: str | None = None) -> Change:
        """The incident is right as it reads (with any values already edited)."""
        return self._decide(ident, "accepted", note)

    def reject(self, ident: str, *, reason: str) -> Change:
        """Not an incident (or not one to keep): a reason is required."""
        if not reason or not reason.strip():
            raise ReviewError("a rejection needs a reason")
        return self._decide(ident, "rejected", reason.strip())

    def reopen(self, ident: str, *, reason: str | None = None) -> Change:
        """Back to the queue; reviewed values are kept (as a pending review)."""
        return self._decide(ident, "pending", reason)

    def _decide(self, ident: str, state: str, reason: str | None) -> Change:
        with self.ledger.transaction("review an incident in") as conn:
            t, before = self._target(conn, ident)
            values = dict(before.values) if before else {}
            if state == "accepted" and values:
                state = "edited"
            flag = before.flag if before and before.flag == "added" else None
            rv.put_review(conn, t, state=state, by=self.by, reason=reason, values=values, flag=flag)
            entry = audit.append(
                conn,
                actor=self.by,
                via=self.via,
                action=f"review.{state}",
                target=f"incident:{t.incident_id}",
                before=_state(before),
                after={"state": state},
                reason=reason,
            )
            was_rejected = before is not None and before.state == "rejected"
            return Change(_record(conn, t.pk), entry.id, was_rejected != (state == "rejected"))

    # ------------------------------------------------------------------ edits

    def edit(self, ident: str, changes: Mapping[str, Any], *, reason: str | None = None) -> Change:
        """Set fields of the incident (see :data:`EDITABLE`); the review becomes
        ``edited``. Each value is checked; a field's span, when given, must be in the text."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ReviewError(f"cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}")
        with self.ledger.transaction("edit an incident in") as conn:
            t, before = self._target(conn, ident)
            record = _record(conn, t.pk)
            text = fu.texts(conn, [t.document_id])[t.document_id]
            values = dict(before.values) if before else {}
            values.update(self._values(record.incident, changes, text))
            flag = before.flag if before and before.flag == "added" else None
            rv.put_review(
                conn, t, state="edited", by=self.by, reason=reason, values=values, flag=flag
            )
            entry = audit.append(
                conn,
                actor=self.by,
                via=self.via,
                action="review.edit",
                target=f"incident:{t.incident_id}",
                before={
                    "state": before.state if before else "pending",
                    "values": {k: _shown(record.incident, k) for k in changes},
                },
                after={"state": "edited", "values": {k: values.get(k) for k in changes}},
                reason=reason,
            )
            again = bool(FUSED_FIELDS & set(changes)) or (
                before is not None and before.state == "rejected"
            )
            return Change(_record(conn, t.pk), entry.id, again)

    def add_incident(
        self,
        document_id: str,
        *,
        start: int,
        end: int,
        changes: Mapping[str, Any],
        reason: str | None = None,
    ) -> Change:
        """An incident the machine missed, read from the words ``[start, end)`` (its
        evidence) with the values given; stored as accepted and flagged ``added``."""
        with self.ledger.transaction("add an incident to") as conn:
            texts = fu.texts(conn, [document_id])
            if document_id not in texts:
                raise ReviewError(f"no document '{document_id}' in the ledger")
            text = texts[document_id]
            _check_span(start, end, text, "the incident's words")
            newest = rv.newest_processing(conn, document_id)
            assert newest is not None
            name = _doc_name(conn, document_id)
            ident = hashlib.sha256(f"{document_id}:{start}:{end}:{STAGE}".encode()).hexdigest()[:16]
            blank = Incident(
                doc_id=document_id,
                doc_name=name,
                incident_id=ident,
                event_type=None,
                sub_event_type=None,
                violations=(),
                actor1=None,
                actor2=None,
                counts={},
                fatalities=0,
                date=None,
                location=None,
                quotes=(),
                triggers=(),
                evidence=(Span(start, end),),
                confidence=1.0,
                stage=STAGE,
                versions={"review": STAGE},
            )
            made = blank.reviewed(self._values(blank, changes, text))
            if made.location is not None:
                made = _with_country(made)
            pk = rv.add_incident(conn, made, newest[0], newest[1])
            t = rv.target(conn, pk)
            assert t is not None
            rv.put_review(conn, t, state="accepted", by=self.by, reason=reason, flag="added")
            entry = audit.append(
                conn,
                actor=self.by,
                via=self.via,
                action="review.add",
                target=f"incident:{ident}",
                after={"document": document_id, "evidence": [start, end], "values": dict(changes)},
                reason=reason,
            )
            return Change(_record(conn, pk), entry.id)

    def protect(self, document_id: str, *, start: int, end: int, kind: str = "name") -> int:
        """Mark the words ``[start, end)`` of a document protected (a name, a quote, a
        speaker): they and every sentence holding them are masked for viewers and in
        public exports. The audit entry records the span, not the words."""
        require(self.role, "mark words protected")
        if kind not in MARK_KINDS:
            raise ReviewError(f"kind must be one of {', '.join(MARK_KINDS)}, not '{kind}'")
        with self.ledger.transaction("mark words protected in") as conn:
            texts = fu.texts(conn, [document_id])
            if document_id not in texts:
                raise ReviewError(f"no document '{document_id}' in the ledger")
            text = texts[document_id]
            _check_span(start, end, text, "the protected words")
            mark = rv.add_mark(conn, document_id, Span(start, end), text[start:end], kind, self.by)
            entry = audit.append(
                conn,
                actor=self.by,
                via=self.via,
                action="protect",
                target=f"document:{document_id}",
                after={"mark": mark, "start": start, "end": end, "kind": kind},
            )
            return entry.id

    # ------------------------------------------------------------------ internals

    def _target(self, conn: Connection, ident: str) -> tuple[rv.Target, Any]:
        t = rv.target(conn, ident)
        if t is None:
            raise ReviewError(f"no incident '{ident}' in the ledger")
        if not t.current:
            raise ReviewError(
                f"incident {ident} is not current (its document was extracted again); "
                "review the document's new incidents"
            )
        return t, rv.review_of(conn, t.pk)

    def _values(self, inc: Incident, changes: Mapping[str, Any], text: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, given in changes.items():
            if name == "event_type":
                if given is not None and given not in taxonomy():
                    raise ReviewError(f"'{given}' is not an ACLED event type")
                out[name] = given
            elif name == "sub_event_type":
                et = changes.get("event_type", inc.event_type)
                if given is not None and given not in taxonomy().get(et or "", ()):
                    raise ReviewError(f"'{given}' is not a sub-event type of '{et}'")
                out[name] = given
            elif name == "violations":
                bad = [v for v in given or [] if v not in VIOLATIONS]
                if bad:
                    raise ReviewError(f"not violations harmledger knows: {', '.join(bad)}")
                out[name] = list(dict.fromkeys(given or []))
            elif name == "fatalities":
                if not isinstance(given, int) or given < 0:
                    raise ReviewError("fatalities must be a whole number, 0 or more")
                out[name] = given
            elif name in ("actor1", "actor2"):
                out[name] = self._actor(inc, name, given, text)
            elif name == "date":
                out[name] = _date(inc, given, text)
            elif name == "location":
                out[name] = self._place(inc, given, text)
            elif name == "counts":
                out[name] = _counts(inc, given, text)
                killed = out[name].get("killed", inc.counts.get("killed"))
                if "fatalities" not in changes and "killed" in out[name]:
                    out["fatalities"] = 0 if killed is None else _fatalities(killed)
            elif name == "quotes":
                out[name] = [_quote(q, text) for q in given or []]
        return out

    def _actor(self, inc: Incident, field: str, given: Any, text: str) -> dict[str, Any] | None:
        if given is None:
            return None
        name = (given or {}).get("name")
        known = {a.name: a for a in known_actors()}
        old = getattr(inc, field)
        if name in known:
            k = known[name]
            value = ActorValue(name=k.name, category=k.category, country=k.country)
            value = ActorValue(
                name=acled_name(value, country=inc.country),
                category=k.category,
                country=k.country or inc.country,
                source="review",
            )
        elif old is not None and name == old.value.name:
            value = old.value
        else:
            raise ReviewError(
                f"'{name}' is not an actor of the alias table (resources/actors.json)"
            )
        if given.get("description"):
            value = ActorValue(**{**_fields(value), "description": str(given["description"])})
        return _mention("actor", value, given, old, text)

    def _place(self, inc: Incident, given: Any, text: str) -> dict[str, Any] | None:
        if given is None:
            return None
        ident = given.get("place_id")
        place = Gazetteer.load(self.settings.user_gazetteer_dir).get(ident) if ident else None
        if place is None:
            raise ReviewError(f"'{ident}' is not a place of the gazetteer; search for it by name")
        precision = int(given.get("precision") or 1)
        if precision not in (1, 2, 3):
            raise ReviewError("a place's precision is 1 (the place), 2 (near it) or 3 (province)")
        value = PlaceValue(
            name=place.name,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            latitude=place.latitude,
            longitude=place.longitude,
            precision=precision,
            feature=place.feature,
            gazetteer_id=place.id,
        )
        return _mention("place", value, given, inc.location, text)


# ---------------------------------------------------------------------- value checks


def _fields(value: Any) -> dict[str, Any]:
    return {f: getattr(value, f) for f in value.__dataclass_fields__}


def _check_span(start: Any, end: Any, text: str, what: str) -> None:
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise ReviewError(f"{what}: [{start}, {end}) is not a span of the text (0-{len(text)})")


def _mention(
    kind: str,
    value: Any,
    given: Mapping[str, Any],
    old: Mention[Any] | None,
    text: str,
    *,
    start_key: str = "start",
    end_key: str = "end",
) -> dict[str, Any]:
    """A person's mention: the span given (checked), else the machine's, else none."""
    start, end = given.get(start_key), given.get(end_key)
    if start is not None or end is not None:
        _check_span(start, end, text, f"the {kind}'s words")
    elif old is not None:
        start, end = old.start, old.end
    else:
        start = end = 0
    a, b = int(start or 0), int(end or 0)
    return Mention(kind, a, b, text[a:b], value, STAGE).to_dict()


def _date(inc: Incident, given: Any, text: str) -> dict[str, Any] | None:
    if given is None:
        return None
    try:
        start = date.fromisoformat(given["start"]) if given.get("start") else None
        end = date.fromisoformat(given["end"]) if given.get("end") else start
    except ValueError as e:
        raise ReviewError(f"a date is YYYY-MM-DD ({e})") from None
    if start is None:
        raise ReviewError("a date needs its first day")
    if end is not None and end < start:
        raise ReviewError("a date range cannot end before it starts")
    precision = int(given.get("precision") or 1)
    if precision not in (1, 2, 3):
        raise ReviewError("a date's precision is 1 (day), 2 (within a week) or 3 (month)")
    value = DateValue(start=start, end=end, precision=precision)
    return _mention(
        "date", value, given, inc.date, text, start_key="start_char", end_key="end_char"
    )


def _counts(inc: Incident, given: Any, text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for role, c in (given or {}).items():
        if role not in COUNT_ROLES:
            raise ReviewError(f"'{role}' is not a count role ({', '.join(COUNT_ROLES)})")
        if c is None:
            out[role] = None
            continue
        lo, hi = c.get("min"), c.get("max")
        for v in (lo, hi):
            if v is not None and (not isinstance(v, int) or v < 0):
                raise ReviewError(f"{role}: a count is a whole number, 0 or more")
        if lo is None and hi is None:
            raise ReviewError(f"{role}: give at least one bound (min or max)")
        if lo is not None and hi is not None and hi < lo:
            raise ReviewError(f"{role}: max {hi} is below min {lo}")
        value = CountValue(
            min=lo,
            max=hi,
            role=role,
            approximate=bool(c.get("approximate")),
            vague=bool(c.get("vague")),
        )
        out[role] = _mention("count", value, c, inc.counts.get(role), text)
    return out


def _fatalities(killed: Any) -> int:
    m = killed if isinstance(killed, Mention) else mention_from_dict(killed)
    value = m.value
    assert isinstance(value, CountValue)
    return acled_fatalities(m.text, value)


def _quote(q: Mapping[str, Any], text: str) -> dict[str, Any]:
    identity = q.get("identity", "unknown")
    if identity not in IDENTITIES:
        raise ReviewError(f"identity must be one of {', '.join(IDENTITIES)}")
    start, end = q.get("start"), q.get("end")
    _check_span(start, end, text, "the quote's words")
    s_start, s_end = q.get("speaker_start"), q.get("speaker_end")
    if s_start is not None:
        _check_span(s_start, s_end, text, "the speaker's words")
    speaker = q.get("speaker") or (text[s_start:s_end] if s_start is not None else None)
    value = QuoteValue(speaker=speaker, identity=identity, speaker_start=s_start, speaker_end=s_end)
    a, b = int(start or 0), int(end or 0)  # checked by _check_span
    return Mention("quote", a, b, text[a:b], value, STAGE).to_dict()


def _with_country(inc: Incident) -> Incident:
    place = inc.location.value if inc.location is not None else None
    return replace(inc, country=getattr(place, "country", None) or inc.country)


def _shown(inc: Incident, name: str) -> Any:
    """The value of a field before an edit, as the audit entry keeps it."""
    v = getattr(inc, name)
    if isinstance(v, Mention):
        return v.to_dict()
    if name == "counts":
        return {r: m.to_dict() for r, m in v.items()}
    if name == "quotes":
        return [m.to_dict() for m in v]
    if isinstance(v, tuple):
        return list(v)
    return v


def _state(review: Any) -> dict[str, Any]:
    if review is None:
        return {"state": "pending"}
    return {"state": review.state, "by": review.by, "reason": review.reason}


def _record(conn: Connection, pk: int) -> Record:
    return rows.records(conn, rv.by_pks(conn, [pk]))[0]


def _doc_name(conn: Connection, document_id: str) -> str:
    return str(conn.scalar(select(s.documents.c.name).where(s.documents.c.id == document_id)))
