"""Pin the quality gate's floors at the current scores on the hand-labelled gold set.

    .venv/bin/python scripts/update_quality_baseline.py              # raise floors that improved
    .venv/bin/python scripts/update_quality_baseline.py --dry-run    # show, write nothing
    .venv/bin/python scripts/update_quality_baseline.py --allow-lower  # lower on purpose

Runs ``harmledger.eval.evaluate(tests/quality/gold.jsonl, format="gold")`` and writes each
field's accuracy, rounded DOWN to 3 decimals, as its floor in ``tests/quality/baseline.json``
(the file ``tests/test_quality_gate.py`` reads). A floor is never lowered unless
``--allow-lower`` is given: a drop is a regression to fix, or a decision to write down in the
commit message (see ``tests/quality/README.md``). A field that is new in the report gets a
floor; a field that vanished from the report is an error (the gate would fail on it).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "quality" / "gold.jsonl"
BASELINE = ROOT / "tests" / "quality" / "baseline.json"

ABOUT = (
    "Floors of the quality gate (tests/test_quality_gate.py): per field, the accuracy of the main "
    "incident on tests/quality/gold.jsonl must not fall below these. Written by "
    "scripts/update_quality_baseline.py (rounded down to 3 decimals); never edit by hand to lower "
    "a floor, see tests/quality/README.md."
)


def floor3(x: float) -> float:
    """Round down to 3 decimals (0.80399 -> 0.803; 1.0 stays 1.0)."""
    return math.floor(x * 1000 + 1e-9) / 1000


def current_scores(gold: Path) -> tuple[dict[str, float], dict[str, dict[str, int]], int]:
    from harmledger.eval import evaluate

    report = evaluate(gold, format="gold")
    floors = {k: floor3(v.accuracy) for k, v in sorted(report.fields.items())}
    counts = {k: {"correct": v.correct, "total": v.total} for k, v in sorted(report.fields.items())}
    return floors, counts, report.documents


def read_baseline(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"fields": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def plan(old: dict[str, float], new: dict[str, float]) -> list[tuple[str, float | None, float]]:
    """(field, old floor or None, new floor) for every field whose floor would change."""
    return [(f, old.get(f), v) for f, v in new.items() if old.get(f) != v]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--baseline", type=Path, default=BASELINE)
    ap.add_argument("--allow-lower", action="store_true", help="lower floors that dropped")
    ap.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    args = ap.parse_args(argv)

    base = read_baseline(args.baseline)
    old: dict[str, float] = base.get("fields", {})
    new, counts, documents = current_scores(args.gold)

    vanished = sorted(set(old) - set(new))
    if vanished:
        print(f"error: no longer scored: {', '.join(vanished)} (remove them by hand, on purpose)")
        return 1
    changes = plan(old, new)
    lowered = [(f, o, n) for f, o, n in changes if o is not None and n < o]
    print(f"{'field':24s} {'floor':>7s} {'now':>7s}")
    for f, o, n in changes:
        mark = "  LOWER" if (o is not None and n < o) else ""
        print(f"{f:24s} {'-' if o is None else f'{o:.3f}':>7s} {n:7.3f}{mark}")
    if not changes:
        print("(no change)")
    if lowered and not args.allow_lower:
        print(
            f"error: {len(lowered)} floor(s) would go down; fix the regression, or rerun with "
            "--allow-lower and say why in the commit message"
        )
        return 1
    if args.dry_run:
        return 0
    fields = dict(old)
    for f, _, n in changes:
        fields[f] = n
    out = {
        "about": ABOUT,
        "updated": date.today().isoformat(),
        "examples": documents,
        "fields": dict(sorted(fields.items())),
        "counts": counts,
    }
    args.baseline.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
