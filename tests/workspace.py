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


def routes(c: TestClient, ledger: Ledger) -> list[tuple[str, str]]:
    """(method, URL) of every route in /openapi.json, path parameters filled with ids the
    ledger holds (every incident, document and fused incident) and required queries."""
    spec = c.get("/openapi.json")
    assert spec.status_code == 200, spec.text
    records = ledger.incidents()
    ids = {
        "incident_id": sorted({r.incident.incident_id for r in records}),
        "doc_id": sorted({r.incident.doc_id for r in records}),
        "fused_id": sorted({f.fused_id for f in ledger.fused()}),
        "name": ["viewer"],
    }
    queries = {"q": "Kirkuk"}
    out = []
    for path, methods in spec.json()["paths"].items():
        for method, op in methods.items():
            required = [
                p["name"]
                for p in op.get("parameters", [])
                if p.get("in") == "query" and p.get("required")
            ]
            query = "&".join(f"{k}={queries[k]}" for k in required)
            names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "path"]
            urls = [path]
            for name in names:
                urls = [u.replace("{" + name + "}", v) for u in urls for v in ids[name]]
            out += [(method.upper(), u + (f"?{query}" if query else "")) for u in urls]
    return out


#: Pages (not in /openapi.json) and what they need.
PAGES = ("/", "/queue", "/incidents", "/map", "/audit", "/users", "/api/docs")


def pages(ledger: Ledger) -> list[str]:
    records = ledger.incidents()
    out = list(PAGES)
    out += [f"/incidents/{r.incident.incident_id}" for r in records]
    out += [f"/fused/{f.fused_id}" for f in ledger.fused()]
    out += ["/incidents?q=Kirkuk", "/incidents?review=pending", "/map?violation=killing"]
    return out


def answers(c: TestClient, ledger: Ledger) -> list[tuple[str, int, str]]:
    """(URL, status, body) of every API route (GET, and writes with an empty body) and
    every page, as ``c`` gets them."""
    out = []
    spec_client = c
    for method, url in routes(spec_client, ledger):
        r = c.request(method, url, json={} if method != "GET" else None)
        out.append((f"{method} {url}", r.status_code, r.text))
    for url in pages(ledger):
        r = c.get(url)
        out.append((f"GET {url}", r.status_code, r.text))
    return out
