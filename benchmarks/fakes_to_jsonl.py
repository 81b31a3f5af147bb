"""Convert the FA-KES CSV (article_title, article_content, date, ...) to harmledger JSON Lines."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime


def convert(src: str, dest: str) -> int:
    n = 0
    with open(src, encoding="utf-8", newline="") as f, open(dest, "w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            try:
                published = datetime.strptime(row["date"], "%m/%d/%y").date().isoformat()
            except ValueError:
                published = None
            doc = {
                "id": f"fakes-{row['unit_id']}",
                "title": row["article_title"],
                "text": row["article_content"],
                "published": published,
                "source": row["source"],
            }
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: fakes_to_jsonl.py FAKES.csv OUT.jsonl")
    print(convert(sys.argv[1], sys.argv[2]), "documents written", file=sys.stderr)
