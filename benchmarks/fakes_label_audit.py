"""How far FA-KES's labelled dates are from the articles' own date lines.

FA-KES groups for fusion (``harmledger eval FA-KES.csv --fusion``) are articles with the same
labelled date, governorate and cause. This script measures one source of noise in them: most
articles open with their own date ("Tuesday 04 April 2017 ..."), and an event cannot happen
after the article that reports it. Usage:

    python benchmarks/fakes_label_audit.py [CSV]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from common import DATA

from harmledger.eval.readers import read_fakes
from harmledger.pipeline.dates import parse_dates

#: a date line is a full date among the article's first characters
HEAD = 60


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / "fakes" / "fakes_dev.csv"
    tally: Counter[str] = Counter()
    for ex in read_fakes(path):
        dated = [
            v.start
            for start, _, v in parse_dates(ex.text[:HEAD], published=None)
            if v.precision == 1 and not v.relative and start < HEAD // 2
        ]
        if not dated or ex.published is None:
            tally["no date line"] += 1
            continue
        days = (dated[0] - ex.published).days  # the article's date minus the labelled one
        if days < 0:
            tally["labelled after the article's own date (impossible)"] += 1
        elif days <= 3:
            tally["labelled 0-3 days before the article"] += 1
        elif days <= 30:
            tally["labelled 4-30 days before the article"] += 1
        else:
            tally["labelled more than 30 days before the article"] += 1
    total = sum(tally.values())
    for label, n in tally.most_common():
        print(f"{n:5d}  {100 * n / total:5.1f} %  {label}")


if __name__ == "__main__":
    main()
