"""Screenshots of the workspace's main pages for the docs (docs/screenshots/*.png).

Usage: python scripts/screenshots.py [--out docs/screenshots]

Builds a ledger from the example reports and the workspace's test report (an NGO story
with anonymous and pseudonymous witnesses), signs in an analyst and a viewer, reviews a
little, serves the workspace on loopback and photographs the pages in headless Chromium
(Debian's ``chromium`` through Playwright; no browser download): sign-in, the queue, an
incident under review with its words highlighted, the list, the map and timeline, the
audit log, a fused incident and the same incident as a viewer sees it (masked).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' live server and Chromium

from browser import chromium, serving, sign_in  # noqa: E402
from harmledger.config import Settings  # noqa: E402
from harmledger.review import accounts  # noqa: E402
from harmledger.review.edits import Reviewer  # noqa: E402
from harmledger.runner import ingest  # noqa: E402
from harmledger.store.ledger import Ledger  # noqa: E402

PASSWORD = "screenshot-pass"


def build(path: Path) -> Ledger:
    ledger = Ledger(path)
    inputs = [
        str(ROOT / "examples"),
        str(ROOT / "tests" / "fixtures" / "workspace" / "hawija_detentions.txt"),
    ]
    ingest(ledger, inputs, Settings(published=date(2017, 10, 24)), by="demo", via="python")
    for role in ("admin", "analyst", "viewer"):
        accounts.add_user(
            ledger, role if role != "analyst" else "maria", role, PASSWORD, by="demo", via="python"
        )
    reviewer = Reviewer(ledger, by="maria", via="web")
    records = ledger.incidents()
    reviewer.accept(records[0].incident.incident_id)
    reviewer.reject(records[1].incident.incident_id, reason="background: an earlier event")
    killed = next(r for r in records if "killed" in r.incident.counts and r not in records[:2])
    reviewer.edit(
        killed.incident.incident_id,
        {"counts": {"killed": {"min": 3, "max": 4}}},
        reason="one more found later",
    )
    return ledger


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        page.screenshot(path=str(args.out / f"{name}.png"))
        print(f"{args.out / name}.png")

    with tempfile.TemporaryDirectory() as tmp:
        ledger = build(Path(tmp) / "demo.db")
        quoted = next(
            r
            for r in ledger.incidents()
            if r.incident.doc_name.endswith("hawija_detentions.txt") and r.incident.quotes
        )
        fused = next((f for f in ledger.fused() if len(f.reports) > 1), ledger.fused()[0])
        try:
            with serving(ledger) as base, chromium() as browser:
                login = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                login.goto(f"{base}/login")
                shot(login, "login")
                analyst = sign_in(browser, base, "maria", PASSWORD)
                shot(analyst, "queue")
                analyst.goto(f"{base}/incidents/{quoted.incident.incident_id}")
                analyst.keyboard.press("e")
                shot(analyst, "incident-review")
                analyst.goto(f"{base}/incidents")
                shot(analyst, "list")
                analyst.goto(f"{base}/map")
                analyst.wait_for_selector("path.incident-marker")
                analyst.wait_for_selector("#timeline svg")
                analyst.wait_for_timeout(500)
                shot(analyst, "map-timeline")
                analyst.goto(f"{base}/fused/{fused.fused_id}")
                shot(analyst, "fused")
                analyst.goto(f"{base}/audit")
                shot(analyst, "audit")
                viewer = sign_in(browser, base, "viewer", PASSWORD)
                viewer.goto(f"{base}/incidents/{quoted.incident.incident_id}")
                shot(viewer, "incident-viewer-masked")
        finally:
            ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
