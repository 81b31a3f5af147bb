"""Protected identities: what a viewer, a public export or anyone without the right may
never see, and how it is masked.

Protected are the words of anonymous and pseudonymous witnesses (their quotes), their
speaker descriptions ("one survivor", "Salma"), the victims' names a report gives
(protected unless a person says otherwise), and any words a person marked protected (a
victim's or witness's name, a named witness's quote). Masked with them is every
sentence of the document that contains any of those words, wherever they occur in it, so
that an evidence sentence never gives a witness away. Masking keeps every offset: each
character of a masked region (but whitespace) becomes :data:`MASK`, so the spans of the
fields still point at the right words. Strings taken from a document elsewhere (titles,
actor words, notes) are scrubbed of the protected words with :meth:`Protection.scrub`.

One rule, used by the workspace (``web/``) and by ``harmledger export --public``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from harmledger.model import Mention, QuoteValue, Span

#: What a masked character becomes.
MASK = "█"
#: What a protected word becomes in a scrubbed string.
WITHHELD = "[withheld]"
#: Identity statuses whose words are protected without anyone marking them.
PROTECTED_IDENTITIES = frozenset({"anonymous", "pseudonym"})
#: Protected words shorter than this are masked at their spans only (never searched for
#: elsewhere: "he" would mask every sentence).
MIN_WORD = 3
#: A victim's surname shorter than this is not searched for on its own (see :func:`name_words`).
MIN_SURNAME = 4


def is_protected_quote(m: Mention[Any], marks: Sequence[Span] = ()) -> bool:
    """A quote whose speaker is anonymous or pseudonymous, or that a person marked."""
    v = m.value
    if isinstance(v, QuoteValue) and v.identity in PROTECTED_IDENTITIES:
        return True
    return any(s.overlaps(m.span) for s in marks)


@dataclass(frozen=True, slots=True)
class Protection:
    """What is protected in one document: the protected spans, their words, and the
    regions (sentences) a reader without the right sees masked."""

    spans: tuple[Span, ...]
    words: tuple[str, ...]
    masked: tuple[Span, ...]

    @classmethod
    def none(cls) -> Protection:
        return cls((), (), ())

    @classmethod
    def of(
        cls,
        text: str,
        *,
        quotes: Iterable[Mention[Any]],
        marks: Iterable[tuple[Span, str]] = (),
        names: Iterable[tuple[Span, str]] = (),
        sentences: Sequence[Span] = (),
    ) -> Protection:
        """The protection of a document: its quotes (every quote mention stored for it),
        the spans people marked (span, words), the victims' protected names (span, name:
        the name and its surname are protected wherever they occur, see
        :func:`name_words`) and its sentences (to widen masks to)."""
        marked = list(marks)
        mark_spans = [s for s, _ in marked]
        spans: list[Span] = []
        words: list[str] = []
        for q in quotes:
            if not is_protected_quote(q, mark_spans):
                continue
            spans.append(q.span)
            words.append(q.text)
            v = q.value
            if isinstance(v, QuoteValue) and v.speaker_start is not None:
                end = v.speaker_end if v.speaker_end is not None else v.speaker_start
                spans.append(Span(v.speaker_start, end))
            if isinstance(v, QuoteValue) and v.speaker:
                words.append(v.speaker)
        for span, w in marked:
            spans.append(span)
            words.append(w)
        for span, name in names:
            spans.append(span)
            words += name_words(name)
        words = sorted({w.strip() for w in words if len(w.strip()) >= MIN_WORD}, key=len)
        hits = list(spans)
        lowered = text.casefold()
        for w in words:
            for found in re.finditer(re.escape(w.casefold()), lowered):
                hits.append(Span(found.start(), found.end()))
        regions = _widen(hits, sentences)
        return cls(tuple(sorted(set(spans), key=lambda s: (s.start, s.end))), tuple(words), regions)

    def __bool__(self) -> bool:
        return bool(self.spans or self.words)

    def hides(self, start: int, end: int) -> bool:
        """Do the characters ``[start, end)`` touch a masked region?"""
        span = Span(start, max(start, end))
        return any(
            m.overlaps(span) or (start == end and m.start <= start < m.end) for m in self.masked
        )

    def text(self, text: str) -> str:
        """The document's text with every masked region masked (offsets kept)."""
        if not self.masked:
            return text
        out = list(text)
        for m in self.masked:
            for i in range(m.start, min(m.end, len(out))):
                if not out[i].isspace():
                    out[i] = MASK
        return "".join(out)

    def scrub(self, value: str) -> str:
        """``value`` with every protected word (any case) replaced by :data:`WITHHELD`."""
        if not self.words or not value:
            return value
        out = value
        for w in sorted(self.words, key=len, reverse=True):
            out = re.sub(re.escape(w), WITHHELD, out, flags=re.IGNORECASE)
        return out

    def scrub_all(self, value: Any) -> Any:
        """Every string in ``value`` (dicts, lists, nested) scrubbed."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {k: self.scrub_all(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_all(v) for v in value]
        return value

    def merged(self, other: Protection) -> Protection:
        """Both protections (for a page or export that shows several documents' values;
        spans and regions only make sense for one document, words for any)."""
        return Protection(
            self.spans + other.spans,
            tuple(sorted({*self.words, *other.words}, key=len)),
            self.masked + other.masked,
        )


def name_words(name: str) -> tuple[str, ...]:
    """The words that give a person away: the whole name and, for a name of several words,
    its last one ("Ahmad Wali Rahimi" is "Rahimi" further on) when at least
    :data:`MIN_SURNAME` letters long (a shorter one, "Ali", would mask sentences at random:
    words are found within others)."""
    parts = name.split()
    if len(parts) > 1 and len(parts[-1]) >= MIN_SURNAME:
        return (name, parts[-1])
    return (name,)


def _widen(hits: Sequence[Span], sentences: Sequence[Span]) -> tuple[Span, ...]:
    """Each hit grown to the sentences it touches; overlapping regions joined."""
    regions: list[Span] = []
    for h in hits:
        a, b = h.start, h.end
        for s in sentences:
            if s.overlaps(h) or (h.start == h.end and s.start <= h.start < s.end):
                a, b = min(a, s.start), max(b, s.end)
        regions.append(Span(a, b))
    regions.sort(key=lambda s: (s.start, s.end))
    joined: list[Span] = []
    for r in regions:
        if joined and r.start <= joined[-1].end:
            joined[-1] = Span(joined[-1].start, max(joined[-1].end, r.end))
        else:
            joined.append(r)
    return tuple(joined)


def redact_contract(
    item: dict[str, Any], protection: Protection, *, text: str | None = None
) -> dict[str, Any]:
    """An incident's JSON (``Incident.to_contract()`` or ``Record.to_dict()``) as a reader
    without the right may see it: protected quotes left out (their count kept as
    ``protected_quotes``), victims' names protected or masked left out (their count kept as
    ``victims.protected_names``), any field whose words lie in a masked region without its words,
    evidence text masked, and every string scrubbed of the protected words."""
    out = dict(item)
    kept = []
    hidden = 0
    for q in item.get("quotes") or []:
        if protection.hides(q.get("start", 0), q.get("end", 0)) or any(
            w.casefold() in (q.get("text") or "").casefold() for w in protection.words
        ):
            hidden += 1
        else:
            kept.append(q)
    out["quotes"] = kept
    if hidden:
        out["protected_quotes"] = hidden
    for name in ("actor1", "actor2", "location"):
        field = out.get(name)
        if not isinstance(field, dict) or field.get("start") is None:
            continue
        if protection.hides(field["start"], field["end"]):
            out[name] = {**field, "text": WITHHELD}
    victims = out.get("victims")
    if isinstance(victims, dict) and victims.get("names"):
        names = victims["names"]
        shown = [
            n
            for n in names
            if not n.get("protected", True) and not protection.hides(n["start"], n["end"])
        ]
        out["victims"] = {**victims, "names": shown}
        if len(shown) < len(names):
            out["victims"]["protected_names"] = len(names) - len(shown)
    date = out.get("date")
    if (
        isinstance(date, dict)
        and date.get("start_char") is not None
        and protection.hides(date["start_char"], date["end_char"])
    ):
        out["date"] = {**date, "text": WITHHELD}
    counts = {}
    for role, c in (out.get("counts") or {}).items():
        if c.get("start") is not None and protection.hides(c["start"], c["end"]):
            c = {**c, "text": WITHHELD}
        counts[role] = c
    out["counts"] = counts
    if text is not None and out.get("evidence"):
        masked = protection.text(text)
        out["evidence"] = [
            {**e, "text": masked[e["start"] : e["end"]]} if "text" in e else e
            for e in out["evidence"]
        ]
    return protection.scrub_all(out)
