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
import os
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn

from harmledger.config import Settings
from harmledger.review import accounts
from harmledger.review.edits import Reviewer
from harmledger.runner import ingest
from harmledger.store.ledger import Ledger
from harmledger.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("HARMLEDGER_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = build(Path(tmp) / "demo.db")
        quoted = next(
            r
            for r in ledger.incidents()
            if r.incident.doc_name.endswith("hawija_detentions.txt") and r.incident.quotes
        )
        fused = next((f for f in ledger.fused() if len(f.reports) > 1), ledger.fused()[0])
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(ledger), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

                def page_as(name: str | None):  # type: ignore[no-untyped-def]
                    page = browser.new_context(viewport={"width": 1360, "height": 860}).new_page()
                    page.goto(f"{base}/login")
                    if name is not None:
                        page.fill('input[name="username"]', name)
                        page.fill('input[name="password"]', PASSWORD)
                        page.click('button[type="submit"]')
                        page.wait_for_url(lambda url: "/login" not in url)
                    return page

                def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
                    page.screenshot(path=str(args.out / f"{name}.png"))
                    print(f"{args.out / name}.png")

                shot(page_as(None), "login")
                analyst = page_as("maria")
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
                viewer = page_as("viewer")
                viewer.goto(f"{base}/incidents/{quoted.incident.incident_id}")
                shot(viewer, "incident-viewer-masked")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
