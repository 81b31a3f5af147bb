"""Helpers for the workspace's tests: a ledger made from a report, users of each role,
signed-in test clients, and the protected words of the fixture report."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from harmledger.config import Settings
from harmledger.review import accounts
from harmledger.runner import ingest
from harmledger.store.ledger import Ledger
from harmledger.web.app import create_app

HERE = Path(__file__).parent
REPORT = HERE / "fixtures" / "workspace" / "hawija_detentions.txt"
PAYLOADS = HERE / "fixtures" / "workspace" / "payloads.jsonl"
#: The seed report the issue's check uses (beside the checkout, as in CI).
SEED = HERE.parents[1] / "shared" / "seed" / "report.txt"

#: Words of the fixture report's anonymous and pseudonymous witnesses, and their names.
PROTECTED = (
    "They made us kneel in the sun",
    "I heard them say the bodies would be left",
    "My husband's hands were tied with wire",
    "Umm Khalid",
    "one former detainee",
)
#: The seed report's: the survivors' testimony and "Salma".
SEED_PROTECTED = (
    "There was blood on the walls",
    "They walked on top of us with their boots",
    "They insulted us, and said that this was payback",
    "They beat me with a thick cable on the soles of my feet",
    "A boy of about 15 had hot wax poured on him",
    "The Hashd (militias) took our men away",
    "Salma",
    "one survivor",
    "another man",
)
PASSWORDS = {"admin": "admin-pass-1", "analyst": "analyst-pass-1", "viewer": "viewer-pass-1"}


def make_ledger(url: str, *reports: Path, published: str = "2017-10-24") -> Ledger:
    ledger = Ledger(url)
    settings = Settings(published=__import__("datetime").date.fromisoformat(published))
    ingest(ledger, [str(r) for r in reports], settings, by="tester", via="python")
    for role, password in PASSWORDS.items():
        accounts.add_user(ledger, role, role, password, by="tester", via="python")
    return ledger


def client(ledger: Ledger, role: str | None = None, settings: Settings | None = None) -> TestClient:
    """A test client of a workspace over ``ledger``, signed in as ``role`` (or anonymous)."""
    c = TestClient(create_app(ledger, settings or Settings()))
    if role is not None:
        r = c.post("/login", data={"username": role, "password": PASSWORDS[role]})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = c.get("/api/me").json()["csrf"]
    return c
