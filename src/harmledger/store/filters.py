"""One value for every list query: :class:`Filters`.

The command line builds its options from the fields' ``metadata`` (help text, type),
the ledger turns a Filters into SQL conditions (:func:`conditions`), and exports and the
workspace pass the same value on. A filter is declared here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, exists, func, or_, select

from harmledger.config import parse_iso_date
from harmledger.errors import MSG_FILTER_UNKNOWN, ConfigError
from harmledger.model import EVENT_TYPES, VIOLATIONS
from harmledger.store import schema as s
from harmledger.store.sql import current_incident

#: What ``review`` accepts: a state, or ``reviewed`` (accepted or edited).
REVIEW_FILTERS = ("pending", "accepted", "edited", "rejected", "reviewed")


def _option(help: str, *, kind: type = str, fused_only: bool = False) -> dict[str, Any]:
    return {"help": help, "type": kind, "fused_only": fused_only}


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """What a list of incidents (or fused incidents) is narrowed to; every field given
    must hold. ``actor`` and ``place`` are substrings, in any letters' case (either
    actor; the location's name, admin1 or country); ``since``/``until`` keep incidents
    whose date range overlaps them (undated incidents are then left out). Each reads an
    incident's effective values: a person's reviewed value where there is one."""

    event_type: str | None = field(
        default=None, metadata=_option("ACLED event type, e.g. 'Violence against civilians'.")
    )
    violation: str | None = field(default=None, metadata=_option("A violation, e.g. 'torture'."))
    actor: str | None = field(
        default=None, metadata=_option("Actor name (substring, either side).")
    )
    place: str | None = field(
        default=None, metadata=_option("Place, admin1 or country (substring).")
    )
    since: date | None = field(
        default=None, metadata=_option("Incidents on or after this date (YYYY-MM-DD).", kind=date)
    )
    until: date | None = field(
        default=None, metadata=_option("Incidents on or before this date (YYYY-MM-DD).", kind=date)
    )
    min_confidence: float | None = field(
        default=None, metadata=_option("Only incidents at least this sure (0-1).", kind=float)
    )
    min_sources: int | None = field(
        default=None,
        metadata=_option("Fused incidents with at least N sources.", kind=int, fused_only=True),
    )
    review: str | None = field(
        default=None,
        metadata=_option(
            "Review state: pending, accepted, edited, rejected, or reviewed (accepted or "
            "edited; for a fused incident: every report reviewed, none rejected)."
        ),
    )
    text: str | None = field(
        default=None, metadata=_option("Words in the report's text or title (substring).")
    )
    limit: int | None = field(default=None, metadata=_option("At most this many.", kind=int))

    def __post_init__(self) -> None:
        # a value no incident can have is a mistake, not an empty list ("--violation rape":
        # harmledger records it as "sexual violence"); case does not matter
        for option, value, vocabulary, what in (
            ("violation", self.violation, VIOLATIONS, "a violation harmledger records"),
            ("event-type", self.event_type, EVENT_TYPES, "one of ACLED's event types"),
        ):
            if value is not None and value.casefold() not in {v.casefold() for v in vocabulary}:
                choices = ", ".join(repr(v) for v in vocabulary)
                raise ConfigError(
                    MSG_FILTER_UNKNOWN.format(
                        option=option, value=value, what=what, choices=choices
                    )
                )
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"--limit must be 0 or more, not {self.limit}")
        if self.min_sources is not None and self.min_sources < 1:
            raise ConfigError(f"--min-sources must be 1 or more, not {self.min_sources}")
        if self.review is not None and self.review not in REVIEW_FILTERS:
            raise ConfigError(
                f"--review must be one of {', '.join(REVIEW_FILTERS)}, not '{self.review}'"
            )
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise ConfigError(
                f"--min-confidence must be between 0 and 1, not {self.min_confidence}"
            )

    @classmethod
    def parse(cls, **options: Any) -> Filters:
        """Filters from option values as a user typed them (dates as ``YYYY-MM-DD``);
        ``None`` values and unknown keys are left out."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in options.items() if k in known and v is not None}
        for key in ("since", "until"):
            if key in values:
                values[key] = parse_iso_date(values[key])
        return cls(**values)

    def only(self, *, fused: bool) -> Filters:
        """These filters, checked against what a list of incidents (``fused=False``)
        or of fused incidents accepts."""
        if not fused and self.min_sources is not None:
            raise ConfigError("--min-sources applies to fused incidents, not to each report's")
        return self


#: No filter at all (every incident).
NO_FILTERS = Filters()


def conditions(
    filters: Filters, table: Table = s.incidents, *, all_versions: bool = False
) -> list[ColumnElement[bool]]:
    """SQL conditions for ``filters`` on ``incidents`` (or ``fused_incidents``, which has
    the same columns but no versions and keeps violations in a JSON column: those are
    filtered by :func:`keeps_violation`)."""
    i = table
    f = filters
    conds: list[ColumnElement[bool]] = []
    fused = table is s.fused_incidents
    if not fused and not all_versions:
        conds.append(current_incident())
    if f.event_type is not None:
        conds.append(func.lower(i.c.event_type) == f.event_type.lower())
    if f.violation is not None and not fused:
        v = s.incident_violations
        conds.append(
            i.c.id.in_(
                select(v.c.incident_pk).where(func.lower(v.c.violation) == f.violation.lower())
            )
        )
    if f.actor:
        conds.append(_named(i, "actor", f.actor))
    if f.place:
        conds.append(_named(i, "place", f.place))
    # A range [start, end] overlaps [since, until]; an open end counts as the start.
    # (Written without coalesce, so that the dates' indexes can bound the scan.)
    if f.since is not None:
        conds.append(
            or_(i.c.date_end >= f.since, and_(i.c.date_end.is_(None), i.c.date_start >= f.since))
        )
    if f.until is not None:
        conds.append(
            or_(i.c.date_start <= f.until, and_(i.c.date_start.is_(None), i.c.date_end <= f.until))
        )
    if f.min_confidence is not None:
        conds.append(i.c.confidence >= f.min_confidence)
    if fused and f.min_sources is not None:
        conds.append(i.c.sources >= f.min_sources)
    if f.text:
        d = s.documents
        has = or_(
            d.c.text.icontains(f.text, autoescape=True),
            d.c.title.icontains(f.text, autoescape=True),
        )
        if fused:
            fm, inc = s.fused_members, s.incidents
            conds.append(
                exists().where(
                    fm.c.fused_id == i.c.id,
                    inc.c.id == fm.c.incident_pk,
                    inc.c.document_id.in_(select(d.c.id).where(has)),
                )
            )
        else:
            conds.append(i.c.document_id.in_(select(d.c.id).where(has)))
    if f.review is not None:
        conds.append(_review_condition(f.review, i, fused=fused))
    return conds


def _named(table: Table, kind: str, words: str) -> ColumnElement[bool]:
    """One of the table's ``kind`` columns (place: location_name, admin1, country;
    actor: actor1_name, actor2_name) holds a name with ``words`` in it, case aside. The
    words are matched against the few distinct names (``filter_names``), then the names
    found are looked up in the columns' indexes: no row's text is tested."""
    names = named(kind, words)
    columns = [table.c[c] for c in s.NAME_COLUMNS[kind] if c in table.c]
    return or_(*(c.in_(names) for c in columns))


def named(kind: str, words: str) -> Select[tuple[str]]:
    """The names of ``kind`` (place, actor) that hold ``words``, case aside."""
    fn = s.filter_names
    return select(fn.c.name).where(
        fn.c.kind == kind, fn.c.folded.contains(s.fold(words), autoescape=True)
    )


def _review_condition(wanted: str, table: Table, *, fused: bool) -> ColumnElement[bool]:
    r = s.reviews
    done = ("accepted", "edited")
    if not fused:
        pk = table.c.id
        if wanted == "pending":
            return ~exists().where(r.c.incident_pk == pk, r.c.state != "pending")
        states = done if wanted == "reviewed" else (wanted,)
        return exists().where(r.c.incident_pk == pk, r.c.state.in_(states))
    fm = s.fused_members
    member = fm.c.fused_id == table.c.id

    def some(*states: str) -> ColumnElement[bool]:
        return exists().where(member, r.c.incident_pk == fm.c.incident_pk, r.c.state.in_(states))

    unreviewed = exists().where(
        member, ~exists().where(r.c.incident_pk == fm.c.incident_pk, r.c.state != "pending")
    )
    if wanted == "reviewed":
        return and_(some(*done), ~some("rejected"), ~unreviewed)
    if wanted == "pending":
        return unreviewed
    return some(wanted)


def keeps_violation(filters: Filters, violations: list[str]) -> bool:
    """A fused incident's violations (a JSON list) pass the ``violation`` filter."""
    if filters.violation is None:
        return True
    wanted = filters.violation.lower()
    return any(v.lower() == wanted for v in violations)
