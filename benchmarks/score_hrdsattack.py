"""Violation precision/recall and country accuracy on HRDsAttack (until ``eval`` reads it).

HRDsAttack (dataminr-ai/HRDsAttack, MIT) is 400 news articles on attacks against
human-rights defenders, journalists and activists, each coded by crowd workers with the
violations it reports (killing, kidnapping, arbitrary detention, torture, enforced
disappearance, other) and the country. This script extracts every incident of each article
(title and paragraphs, published on its date) and compares the violations of all of them with
the article's labels:

    python benchmarks/score_hrdsattack.py ../shared/data/hrdsattack/dev.json [--errors 10]

Precision is the share of violations reported that the coders found in the article, recall
the share of the coders' violations reported (micro-averaged over articles; "other" and
"unknown" are not scored: they have no counterpart); the same figures are also given for
the incidents marked ``focus`` (the article's main ones) only. Country is the main
incident's against the labelled country. The data is the user's; nothing from it is kept.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from harmledger.config import Settings
from harmledger.errors import ReadError
from harmledger.eval.metrics import region_label, same_country
from harmledger.ingest import read_text
from harmledger.model import DocumentMeta
from harmledger.pipeline.pipeline import pipeline_for

#: harmledger's violations -> HRDsAttack's
VIOLATIONS = {
    "killing": "killing",
    "abduction": "kidnapping",
    "arbitrary detention": "arbitrary detention",
    "torture": "torture",
    "enforced disappearance": "enforced disappearance",
}
SCORED = frozenset(VIOLATIONS.values())


def article(sample: dict[str, Any]) -> tuple[str, str, date | None]:
    s = sample["sample"]
    paras = re.findall(r"<p>(.*?)</p>", s["Input.article_interface"], flags=re.S)
    body = "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in paras)
    title = html.unescape(s.get("Input.title") or "").strip()
    published = (s.get("Input.publish_date") or "")[:10]
    return title, body, date.fromisoformat(published) if published else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--errors", type=int, default=0, help="show N articles with extra violations")
    args = ap.parse_args()
    samples = json.loads(args.path.read_text(encoding="utf-8"))
    pipeline = pipeline_for(Settings())
    tp = fp = fn = ftp = ffp = 0
    countries = countries_ok = 0
    extra: list[tuple[str, set[str], set[str]]] = []
    for n, sample in enumerate(samples):
        title, body, published = article(sample)
        gold = sample["merged_sample"]
        want = {v for v in gold.get("violation_types") or [] if v in SCORED}
        try:
            doc = read_text(
                f"hrds-{n}",
                f"{title}\n\n{body}",
                Settings(published=published),
                meta=DocumentMeta(title=title, published=published),
            )
            incidents = pipeline(doc).incidents
        except ReadError:
            incidents = ()
        got = {VIOLATIONS[v] for i in incidents for v in i.violations if v in VIOLATIONS}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        focus = [v for i in incidents if i.focus for v in i.violations]
        main = {VIOLATIONS[v] for v in focus if v in VIOLATIONS}
        ftp, ffp = ftp + len(main & want), ffp + len(main - want)
        if got - want:
            extra.append((title, got - want, want))
        country = gold.get("country")
        if country and country not in ("None", "unknown") and not region_label(country):
            countries += 1
            main_inc = max(incidents, key=lambda i: i.confidence) if incidents else None
            ours = main_inc.flat().country if main_inc is not None else None
            countries_ok += same_country(country, ours)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"{len(samples)} articles: violation precision {precision:.3f} recall {recall:.3f} "
        f"(reported {tp + fp}, labelled {tp + fn}, right {tp}); "
        f"country {countries_ok / max(1, countries):.3f} of {countries}"
    )
    print(
        f"  focus incidents only: violation precision {ftp / max(1, ftp + ffp):.3f} "
        f"recall {ftp / max(1, tp + fn):.3f} (reported {ftp + ffp}, right {ftp})"
    )
    for title, wrong, want in extra[: args.errors]:
        print(f"  extra {sorted(wrong)} (labelled {sorted(want)}): {title[:90]}")


if __name__ == "__main__":
    main()
