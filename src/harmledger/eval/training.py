"""Labelled texts to learn event types from, and the rules / model / cascade comparison.

Reads a user's ACLED export of any vintage (``notes``, ``event_type``, ``sub_event_type``;
an export made before 2019 has old types, read as :func:`~harmledger.eval.readers.acled_types`
maps them, and rows of "Riots/Protests", split in two in 2019, are left out), harmledger's
gold JSON Lines (``expected.event_type``) or reviewed records as JSON Lines
(``{"text", "event_type", "sub_event_type"}``, optionally ``"published"``). Nothing read
here ships with harmledger: the files are the user's data.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from harmledger.config import Settings
from harmledger.errors import MSG_TRAIN_EMPTY, MSG_TRAIN_FORMAT, ReadError
from harmledger.eval.readers import guess_format as eval_format
from harmledger.eval.readers import json_lines, read_acled, read_gold
from harmledger.ingest import read_text
from harmledger.learn.classifier import TypeModel
from harmledger.pipeline.classify import reclassify
from harmledger.pipeline.pipeline import pipeline_for

FORMATS = ("acled", "gold", "records")


@dataclass(frozen=True, slots=True)
class LabelledText:
    id: str
    text: str
    event_type: str | None
    sub_event_type: str | None
    published: date | None = None

    @property
    def label(self) -> tuple[str | None, str | None]:
        return self.event_type, self.sub_event_type


def guess_format(path: str | Path) -> str:
    """``acled`` for an ACLED CSV; for JSON Lines ``gold`` (has ``expected``) or ``records``."""
    p = Path(path)
    try:
        fmt = eval_format(p)
    except ReadError:
        raise ReadError(str(p), MSG_TRAIN_FORMAT.format(path=p)) from None
    if fmt == "acled":
        return "acled"
    if fmt != "gold":
        raise ReadError(str(p), MSG_TRAIN_FORMAT.format(path=p))
    with p.open(encoding="utf-8-sig") as fp:
        for line in fp:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    break
                return "gold" if isinstance(first, dict) and "expected" in first else "records"
    raise ReadError(str(p), MSG_TRAIN_FORMAT.format(path=p))


def read_labelled(path: str | Path, *, format: str | None = None) -> list[LabelledText]:
    """Every text with an event type (rows without one are skipped)."""
    p = Path(path)
    fmt = format or guess_format(p)
    out: list[LabelledText] = []
    if fmt in ("acled", "gold"):
        for e in read_acled(p) if fmt == "acled" else read_gold(p):
            if "event_type" not in e.gold:  # a gold example that scores other fields only
                continue
            et, sub = e.gold.get("event_type"), e.gold.get("sub_event_type")
            if fmt == "acled" and (not et or not isinstance(et, str)):
                continue  # no type, or an old type split in two in 2019 ("Riots/Protests")
            out.append(LabelledText(e.id, e.text, et or None, sub or None, e.published))
    elif fmt == "records":
        out = list(_read_records(p))
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not out:
        raise ReadError(str(p), MSG_TRAIN_EMPTY.format(path=p))
    return out


def _read_records(p: Path) -> list[LabelledText]:
    out = []
    for n, obj in json_lines(p):
        text, et = obj.get("text"), obj.get("event_type")
        if not isinstance(text, str) or not text.strip() or not isinstance(et, str):
            continue  # unreviewed, or reviewed as "no event": nothing to learn a type from
        pub = obj.get("published")
        try:
            published = date.fromisoformat(pub) if isinstance(pub, str) and pub else None
        except ValueError:
            published = None
        ident = str(obj.get("incident_id") or obj.get("id") or obj.get("doc_id") or n)
        out.append(LabelledText(ident, text, et, obj.get("sub_event_type") or None, published))
    return out


def describe(path: str | Path, rows: int, *, format: str) -> dict[str, object]:
    """What a model was trained on, for its header: file name, format, rows, sha256."""
    p = Path(path)
    digest = hashlib.sha256()
    with p.open("rb") as fp:
        for chunk in iter(lambda: fp.read(1 << 20), b""):
            digest.update(chunk)
    return {"file": p.name, "format": format, "rows": rows, "sha256": digest.hexdigest()}


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True, slots=True)
class Comparison:
    """Accuracy of rules alone, the model alone and the rules+model cascade on the same texts
    (the document's main incident for rules and cascade; no incident = no type)."""

    rows: int
    rules: tuple[float, float]  # (event_type, sub_event_type)
    model: tuple[float, float]
    cascade: tuple[float, float]
    seconds: float

    def lines(self) -> list[str]:
        out = [f"{'':16}{'event_type':>12}{'sub_event_type':>16}"]
        for name, (et, sub) in (
            ("rules", self.rules),
            ("model alone", self.model),
            ("rules + model", self.cascade),
        ):
            out.append(f"{name:16}{et:>12.3f}{sub:>16.3f}")
        return out


def compare(model: TypeModel, examples: Sequence[LabelledText]) -> Comparison:
    """Run extraction (rules) on every text, then the cascade and the model alone."""
    started = time.perf_counter()
    pipeline = pipeline_for(Settings())
    alone = model.predictions([e.text for e in examples])
    hits = {"rules": [0, 0], "model": [0, 0], "cascade": [0, 0]}

    def count(key: str, got: tuple[str | None, str | None], e: LabelledText) -> None:
        hits[key][0] += got[0] == e.event_type
        hits[key][1] += got == e.label

    for e, p in zip(examples, alone, strict=True):
        rules: tuple[str | None, str | None] = (None, None)
        both = rules
        try:
            doc = pipeline(read_text(e.id, e.text, Settings(published=e.published)))
        except ReadError:
            doc = None
        if doc is not None and doc.incidents:
            main = max(doc.incidents, key=lambda i: i.confidence)
            rules = (main.event_type, main.sub_event_type)
            new = reclassify([main], doc.text, model)[0]
            both = (new.event_type, new.sub_event_type)
        count("rules", rules, e)
        count("cascade", both, e)
        count("model", (p.event_type, p.sub_event_type), e)
    n = max(len(examples), 1)

    def acc(key: str) -> tuple[float, float]:
        return hits[key][0] / n, hits[key][1] / n

    return Comparison(
        len(examples), acc("rules"), acc("model"), acc("cascade"), time.perf_counter() - started
    )
