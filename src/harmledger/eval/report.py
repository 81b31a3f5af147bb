"""What an evaluation returns: per-field scores, confusion matrices, the worst misses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

#: the order in which misses are shown: the most informative kinds first
MISS_PRIORITY = (
    "event_type",
    "incident",
    "fatalities",
    "counts.killed",
    "location",
    "location.coordinates",
    "governorate",
    "sub_event_type",
    "date",
    "date.start",
    "actor1",
    "civilian_deaths",
    "violations.recall",
    "violations.precision",
    "perpetrator",
    "country",
    "victims.type",
    "victims.name",
)


@dataclass(slots=True)
class FieldScore:
    """``correct`` of ``total`` scored examples were right."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, ok: bool) -> None:
        self.correct += bool(ok)
        self.total += 1

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": round(self.accuracy, 4), "correct": self.correct, "total": self.total}


@dataclass(frozen=True, slots=True)
class Miss:
    """One wrong value: which example, which field, what was expected, what we gave.

    ``severity`` orders misses of one field (fatalities: how far off; location: km away).
    """

    id: str
    field: str
    expected: Any
    got: Any
    text: str
    severity: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "field": self.field,
            "expected": self.expected,
            "got": self.got,
            "severity": round(self.severity, 3),
            "text": self.text,
        }


@dataclass(slots=True)
class EvalReport:
    """The result of :func:`harmledger.eval.evaluate`."""

    format: str
    fields: dict[str, FieldScore] = field(default_factory=dict)
    #: per confused field (event_type, sub_event_type): (expected, got) -> how many examples
    confusion: dict[str, dict[tuple[str | None, str | None], int]] = field(default_factory=dict)
    #: per tag (gold format only): all field checks of the examples carrying that tag
    by_tag: dict[str, FieldScore] = field(default_factory=dict)
    errors: list[Miss] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0

    def accuracy(self, name: str) -> float:
        return self.fields[name].accuracy

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (confusion pairs become lists of ``{expected, got, count}``)."""
        return {
            "format": self.format,
            "documents": self.documents,
            "seconds": round(self.seconds, 2),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "confusion": {
                name: [
                    {"expected": e, "got": g, "count": n}
                    for (e, g), n in sorted(pairs.items(), key=lambda kv: (-kv[1], str(kv[0])))
                ]
                for name, pairs in self.confusion.items()
            },
            "by_tag": {k: v.to_dict() for k, v in sorted(self.by_tag.items())},
            "errors": [m.to_dict() for m in self.errors],
        }


def worst_misses(misses: Iterable[Miss], n: int) -> list[Miss]:
    """The ``n`` most informative misses: fields in :data:`MISS_PRIORITY` order, taken in turn
    (one event-type miss, one fatalities miss, one location miss, ...), each field's misses
    from the most severe down, so that a short list still shows every kind of error."""
    if n <= 0:
        return []
    by_field: dict[str, list[Miss]] = {}
    for m in misses:
        by_field.setdefault(m.field, []).append(m)
    order = sorted(
        by_field,
        key=lambda f: (MISS_PRIORITY.index(f) if f in MISS_PRIORITY else len(MISS_PRIORITY), f),
    )
    queues = [sorted(by_field[f], key=lambda m: (-m.severity, m.id)) for f in order]
    out: list[Miss] = []
    depth = 0
    while len(out) < n and any(depth < len(q) for q in queues):
        for q in queues:
            if depth < len(q) and len(out) < n:
                out.append(q[depth])
        depth += 1
    return out


# --------------------------------------------------------------------------- rendering


def _clip(value: Any, width: int) -> str:
    s = "-" if value is None else str(value)
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def write_report(report: EvalReport, out: TextIO, *, top: int = 10, excerpt: int = 240) -> None:
    """The human-readable tables that ``harmledger eval`` prints."""
    out.write(
        f"{report.documents} documents ({report.format}) scored in {report.seconds:.1f} s\n\n"
    )
    width = max([len("field"), *(len(k) for k in report.fields)])
    out.write(f"{'field'.ljust(width)}  accuracy  correct/total\n")
    out.write(f"{'-' * width}  --------  -------------\n")
    for name, s in report.fields.items():
        out.write(f"{name.ljust(width)}  {s.accuracy:8.3f}  {s.correct}/{s.total}\n")
    if report.by_tag:
        width = max(len("tag"), *(len(k) for k in report.by_tag))
        out.write(f"\n{'tag'.ljust(width)}  accuracy  correct/total\n")
        out.write(f"{'-' * width}  --------  -------------\n")
        for tag, s in sorted(report.by_tag.items()):
            out.write(f"{tag.ljust(width)}  {s.accuracy:8.3f}  {s.correct}/{s.total}\n")
    pairs = report.confusion.get("event_type", {})
    wrong = sorted(
        ((k, n) for k, n in pairs.items() if k[0] != k[1]), key=lambda kv: (-kv[1], str(kv[0]))
    )
    if wrong:
        out.write(f"\nevent_type: top confusions (of {sum(n for _, n in wrong)} wrong)\n")
        out.write(f"{'expected':34}  {'got':34}  count\n")
        for (e, g), n in wrong[:top]:
            out.write(f"{_clip(e, 34):34}  {_clip(g, 34):34}  {n:5d}\n")
    if report.errors:
        out.write(f"\nmisses ({len(report.errors)} most informative)\n")
        for m in report.errors:
            out.write(
                f"- {m.id}  {m.field}: expected {_clip(m.expected, 60)!s}, "
                f"got {_clip(m.got, 60)!s}\n    {_clip(m.text, excerpt)}\n"
            )
