"""Incident errors of a labelled set by cause: which field each false positive disagrees on.

Every extracted incident that matches no labelled one is paired with the unmatched labelled
incident it disagrees with least; a disagreement on one or two fields (type, toll, date,
country, place) names the cause, more than two (or no label left) makes it a phantom: an
incident a coder records nowhere in the article. Labelled incidents left unpaired are misses.

Example: python benchmarks/incident_errors.py tests/incidents/dev.jsonl
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from harmledger.eval.incidents import (
    LabelledIncident,
    extract_article,
    match,
    read_incident_articles,
)
from harmledger.eval.metrics import same_country, same_place


def disagreements(pred: dict[str, Any], gold: LabelledIncident) -> list[str]:
    """The fields on which the extracted incident ``pred`` contradicts ``gold``."""
    out = []
    if pred.get("event_type") != gold.event_type:
        out.append("type")
    if not gold.killed[0] <= int(pred.get("fatalities") or 0) <= gold.killed[1]:
        out.append("toll")
    d = pred.get("date") or {}
    start, end = d.get("start"), d.get("end") or d.get("start")
    if start and (end < gold.start.isoformat() or start > gold.end.isoformat()):
        out.append("date")
    loc = pred.get("location") or {}
    if loc.get("country") and not same_country(gold.country, loc["country"]):
        out.append("country")
    if loc.get("name"):
        own = [n for n in (loc.get("name"), loc.get("admin1")) if n]
        if not any(same_place(g, n) for g in gold.places for n in own):
            out.append("place")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", help="a labelled set (tests/incidents/*.jsonl)")
    args = ap.parse_args()
    causes: Counter[str] = Counter()
    for a in read_incident_articles(args.path):
        _, preds = extract_article(a)
        m = match(preds, a.incidents)
        matched = {i for i, _, _ in m}
        free = [j for j in range(len(a.incidents)) if j not in {j for _, j, _ in m}]
        for i, p in enumerate(preds):
            if i in matched:
                continue
            pairs = sorted((disagreements(p, a.incidents[j]), j) for j in free)
            best = min(pairs, key=lambda x: len(x[0]), default=None)
            if best is not None and len(best[0]) <= 2:
                cause = "+".join(best[0])
                free.remove(best[1])
            else:
                cause = "phantom"
            causes[f"false positive: {cause}"] += 1
            words = ((p.get("evidence") or [{}])[0].get("text") or "")[:100]
            place = (p.get("location") or {}).get("name")
            what = f"{p.get('event_type')}\t{place}\t{p.get('fatalities')}"
            print(f"{a.id}\tFP {cause}\t{what}\t{words}")
        for j in free:
            g = a.incidents[j]
            causes["missed"] += 1
            print(f"{a.id}\tMISS\t{g.event_type}\t{g.places[0]}\t{g.killed}")
    for cause, n in causes.most_common():
        print(f"{n:4d}  {cause}")


if __name__ == "__main__":
    main()
