"""Plain-text rendering of a stored incident with each field's source words in context."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from harmledger.model import (
    ActorValue,
    CountValue,
    DateValue,
    DroppedValue,
    FusedIncident,
    Mention,
    MentionValue,
    PlaceValue,
    QuoteValue,
    Record,
    TriggerValue,
)
from harmledger.safe import shown


def in_context(text: str, m: Mention, *, context: int = 60) -> str:
    """``…words before [the mention] words after…`` on one line."""
    a = max(0, m.start - context)
    b = min(len(text), m.end + context)
    before = text[a : m.start].replace("\n", " ")
    after = text[m.end : b].replace("\n", " ")
    return shown(
        f"{'…' if a else ''}{before}[{text[m.start : m.end]}]{after}{'…' if b < len(text) else ''}"
    )


def _count(c: CountValue) -> str:
    if c.min is not None and c.min == c.max:
        s = str(c.min)
    elif c.min is not None and c.max is not None:
        s = f"{c.min}-{c.max}"
    elif c.min is not None:
        s = f"at least {c.min}"
    elif c.max is not None:
        s = f"up to {c.max}"
    else:
        s = "unknown number"
    extra = [f"{k} {v}" for k, v in (("children", c.children), ("women", c.women)) if v]
    if c.approximate:
        extra.append("approximate")
    if c.vague:
        extra.append("vague")
    return s + (f" ({', '.join(extra)})" if extra else "")


def _describe(m: Mention[MentionValue], country: str | None) -> str:
    v = m.value
    if isinstance(v, DateValue):
        span = v.start.isoformat() if v.start else "?"
        if v.end and v.end != v.start:
            span += f" to {v.end.isoformat()}"
        return f"{span} (precision {v.precision})"
    if isinstance(v, PlaceValue):
        where = ", ".join(x for x in (v.name, v.admin1, v.country) if x)
        coords = f" {v.latitude:.4f},{v.longitude:.4f}" if v.latitude is not None else ""
        rel = f" ({v.relation} {v.anchor})" if v.relation else ""
        return f"{where}{coords} (precision {v.precision}){rel}"
    if isinstance(v, CountValue):
        return _count(v)
    if isinstance(v, TriggerValue):
        kind = " / ".join(x for x in (v.event_type, v.sub_event_type) if x) or "no event type"
        flags = [f for f, on in (("negated", v.negated), ("earlier event", v.reference)) if on]
        implies = f"; {', '.join(v.violations)}" if v.violations else ""
        return f"'{v.lemma}': {kind}{implies}" + (f" ({', '.join(flags)})" if flags else "")
    if isinstance(v, QuoteValue):
        return f"{v.speaker or 'unknown speaker'} ({v.identity})"
    if isinstance(v, DroppedValue):
        return f"left out of {v.field}: {v.reason}"
    if isinstance(v, ActorValue):
        backer = f"backed by {v.backed_by}" if v.backed_by else None
        extra = [x for x in (v.description, backer) if x]
        return v.name + (f" — {'; '.join(extra)}" if extra else "")
    return str(v)


def render_record(record: Record, text: str, *, context: int = 60) -> str:
    inc = record.incident
    meta = record.meta
    lines = [
        f"Incident {inc.incident_id}  confidence {inc.confidence:.2f}",
        f"Document {shown(record.document_name)} ({inc.doc_id})"
        + (f", published {meta.published.isoformat()}" if meta.published else "")
        + (f", {shown(meta.publisher)}" if meta.publisher else ""),
    ]
    if meta.title:
        lines.append(f"Title    {shown(meta.title)}")
    lines.append(f"Event    {inc.event_type or '-'} / {inc.sub_event_type or '-'}")
    lines.append(f"Violations {', '.join(inc.violations) or '-'}")
    lines.append(f"Fatalities {inc.fatalities}")
    fields: list[tuple[str, Mention | None]] = [
        ("Perpetrator", inc.actor1),
        ("Victims", inc.actor2),
        ("Date", inc.date),
        ("Place", inc.location),
    ]
    fields += [(role.capitalize(), m) for role, m in inc.counts.items()]
    fields += [("Trigger", m) for m in inc.triggers]
    fields += [("Quote", m) for m in inc.quotes]
    fields += [("Dropped", m) for m in inc.dropped]
    for label, m in fields:
        if m is None:
            lines.append(f"\n{label}: not stated")
            continue
        lines.append(f"\n{label}: {shown(_describe(m, inc.country))}    [{m.stage}]")
        lines.append(textwrap.indent(in_context(text, m, context=context), "    "))
    if inc.location is None and inc.country:
        lines.append(f"\nCountry: {inc.country} (from the document; no place stated)")
    lines.append(f"\nStored {record.stored_at.isoformat()} by {record.pipeline_version}")
    return "\n".join(lines)


# ---------------------------------------------------------------------- fused incidents


def toll_text(lo: int | None, hi: int | None) -> str:
    """A count as the tables show it: "9-11", "at least 3" as "3", "-" when none was
    reported (the same in ``incidents`` and ``fused``)."""
    if lo is None and hi is None:
        return "-"
    if lo == hi or hi is None:
        return str(lo)
    return f"{lo}-{hi}"


FUSED_COLUMNS = (
    ("fused", 8),
    ("event", 28),
    ("killed", 9),
    ("date", 10),
    ("place", 22),
    ("actor1", 24),
    ("src", 3),
    ("rep", 3),
)


def fused_table(items: Iterable[FusedIncident]) -> str:
    """Fused incidents as a fixed-width table (one line each)."""

    def clip(s: str, w: int) -> str:
        s = shown(s)
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = ["  ".join(n.ljust(w) for n, w in FUSED_COLUMNS).rstrip()]
    lines.append("  ".join("-" * w for _, w in FUSED_COLUMNS))
    for f in items:
        cells = [
            f.fused_id[:8],
            f.sub_event_type or f.event_type or ", ".join(f.violations) or "-",
            toll_text(f.killed_min, f.killed_max),
            f.date_start.isoformat() if f.date_start else "-",
            f.location_name or (f"({f.country})" if f.country else "-"),
            f.actor1 or "-",
            str(f.sources),
            str(len(f.reports)),
        ]
        row = "  ".join(clip(c, w).ljust(w) for c, (_, w) in zip(cells, FUSED_COLUMNS, strict=True))
        lines.append(row.rstrip())
    return "\n".join(lines) + "\n"


def render_fused(f: FusedIncident) -> str:
    """A fused incident: its values, why its reports were fused, each report's own values
    and where they disagree."""
    when = f.date_start.isoformat() if f.date_start else "undated"
    if f.date_end and f.date_end != f.date_start:
        when += f" to {f.date_end.isoformat()}"
    lines = [
        f"Fused incident {f.fused_id} ({f.version}{', changed by hand' if f.manual else ''})",
        f"  event        {f.event_type or '-'} / {f.sub_event_type or '-'}",
        f"  violations   {', '.join(f.violations) or '-'}",
        f"  date         {when} (precision {f.date_precision or '-'})",
        f"  place        {f.location_name or '-'}, {f.admin1 or '-'}, {f.country or '-'}"
        f" (precision {f.geo_precision or '-'})",
        f"  actors       {f.actor1 or '-'} / {f.actor2 or '-'}",
        f"  killed       {toll_text(f.killed_min, f.killed_max)} (fatalities {f.fatalities})",
        f"  sources      {f.sources} independent, {len(f.reports)} report(s)",
        "",
        textwrap.fill(
            shown(f.reason), width=96, initial_indent="  why: ", subsequent_indent="       "
        ),
        "",
        "  reports:",
    ]
    for r in f.reports:
        day = r.date_start.isoformat() if r.date_start else "undated"
        killed = toll_text(*r.killed) if r.killed else "-"
        lines.append(
            f"  - {r.incident_id[:8]}  {shown(r.publisher or r.doc_name)}  "
            f"({shown(r.doc_name)}, published {r.published or '-'})"
        )
        lines.append(
            f"      {r.sub_event_type or r.event_type or '-'}; {day}; {r.location_name or '-'}; "
            f"{r.actor1 or '-'}; killed {killed}"
            + (f"; copy of story {r.story_id[:8]}" if r.story_id != r.doc_id else "")
        )
    if f.disagreements:
        lines += ["", "  disagreements:"]
        for d in f.disagreements:
            vals = "; ".join(f"{shown(str(v))} ({len(ids)})" for v, ids in d.values)
            lines.append(f"  - {d.field}: {vals}")
    return "\n".join(lines)
