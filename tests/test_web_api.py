"""The workspace's API and pages through FastAPI's TestClient: who may do what, CSRF,
sessions, protected words, escaping. Each test on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from harmledger.config import Settings
from harmledger.store.ledger import Ledger
from harmledger.web.app import create_app
from workspace import PAYLOADS, PROTECTED, REPORT, answers, client, make_ledger, pages, routes

VENDOR = Path(__file__).parents[1] / "src" / "harmledger" / "web" / "static" / "vendor"


@pytest.fixture
def ledger(db_url: str):
    lg = make_ledger(db_url, REPORT, PAYLOADS)
    yield lg
    lg.close()


def quoted(ledger: Ledger) -> str:
    """The incident that holds the anonymous witness's quotes."""
    return next(r.incident.incident_id for r in ledger.incidents() if r.incident.quotes)


# ---------------------------------------------------------------- anonymous users


def test_web_every_api_route_denies_anonymous_users(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    anonymous = client(ledger)
    found = routes(analyst, ledger)
    assert len(found) > 20
    for method, url in found:
        r = anonymous.request(method, url, json={} if method != "GET" else None)
        assert r.status_code == 401, (method, url, r.status_code)
    assert anonymous.get("/openapi.json").status_code == 401


def test_web_every_page_redirects_anonymous_users_to_sign_in(ledger: Ledger) -> None:
    anonymous = client(ledger)
    for url in pages(ledger):
        r = anonymous.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), url
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/static/app.js").status_code == 200
    assert anonymous.get("/static/vendor/leaflet/leaflet.js").status_code == 200


# ---------------------------------------------------------------- sessions and CSRF


def test_web_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(ledger: Ledger) -> None:
    c = client(ledger)
    r = c.post(
        "/login",
        data={"username": "analyst", "password": "analyst-pass-1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    me = c.get("/api/me").json()
    assert me["role"] == "analyst"
    assert c.post("/logout", data={"csrf": me["csrf"]}, follow_redirects=False).status_code == 303
    assert c.get("/api/me").status_code == 401


def test_web_wrong_password_and_rate_limit(ledger: Ledger) -> None:
    c = client(ledger, settings=Settings(login_attempts=3))
    for _ in range(3):
        r = c.post("/login", data={"username": "analyst", "password": "nope-nope"})
        assert r.status_code == 401 and "wrong user name or password" in r.text
    r = c.post("/login", data={"username": "analyst", "password": "analyst-pass-1"})
    assert r.status_code == 429 and "too many" in r.text
    other = c.post("/login", data={"username": "nobody", "password": "x" * 9})
    assert other.status_code == 429  # the same client, whatever the name


def test_web_sessions_expire(ledger: Ledger) -> None:
    c = client(ledger, settings=Settings(session_minutes=0))
    c.post("/login", data={"username": "analyst", "password": "analyst-pass-1"})
    assert c.get("/api/me").status_code == 401


def test_web_writes_need_the_csrf_token_and_this_origin(ledger: Ledger) -> None:
    c = client(ledger, "analyst")
    ident = ledger.incidents()[0].incident.incident_id
    token = c.headers.pop("X-CSRF-Token")
    assert c.post(f"/api/incidents/{ident}/accept", json={}).status_code == 403
    bad = {"X-CSRF-Token": "forged"}
    assert c.post(f"/api/incidents/{ident}/accept", json={}, headers=bad).status_code == 403
    cross = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    assert c.post(f"/api/incidents/{ident}/accept", json={}, headers=cross).status_code == 403
    ok = c.post(f"/api/incidents/{ident}/accept", json={}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    form = c.post("/logout", data={}, follow_redirects=False)
    assert form.status_code == 403  # a form without its token


# ---------------------------------------------------------------- roles


def test_web_roles(ledger: Ledger) -> None:
    ident = ledger.incidents()[0].incident.incident_id
    viewer = client(ledger, "viewer")
    assert viewer.get("/api/incidents").status_code == 200
    for method, url in [
        ("POST", f"/api/incidents/{ident}/accept"),
        ("POST", f"/api/incidents/{ident}/edit"),
        ("GET", "/api/queue"),
        ("GET", "/api/audit"),
        ("GET", "/api/users"),
    ]:
        body = {"changes": {}} if url.endswith("edit") else {}
        assert viewer.request(method, url, json=body).status_code == 403, url
    assert viewer.get("/queue").status_code == 403
    analyst = client(ledger, "analyst")
    assert analyst.get("/api/queue").status_code == 200
    assert analyst.get("/api/audit").status_code == 200
    assert analyst.get("/api/users").status_code == 403
    admin = client(ledger, "admin")
    made = admin.post(
        "/api/users", json={"name": "sam", "role": "viewer", "password": "sam-pass-12"}
    )
    assert made.status_code == 200 and made.json()["role"] == "viewer"
    assert {u["name"] for u in admin.get("/api/users").json()["items"]} >= {"sam", "admin"}
    assert admin.post("/api/users/sam/remove", json={}).status_code == 200
    assert next(e for e in ledger.audit_log() if e.action == "user.remove").actor == "admin"


# ---------------------------------------------------------------- protected words


def test_web_no_viewer_answer_holds_protected_words(ledger: Ledger) -> None:
    viewer = client(ledger, "viewer")
    seen = answers(viewer, ledger)
    assert sum(status == 200 for _, status, _ in seen) > 10
    for where, _, body in seen:
        for words in PROTECTED:
            assert words not in body, (where, words)
    incident = viewer.get(f"/api/incidents/{quoted(ledger)}").json()
    assert incident["quotes"] == [] and incident["protected_quotes"] == 2


def test_web_analyst_sees_protected_words(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    body = analyst.get(f"/api/incidents/{quoted(ledger)}").text
    assert "They made us kneel in the sun" in body and "one former detainee" in body
    page = analyst.get(f"/incidents/{quoted(ledger)}").text
    assert "They made us kneel in the sun" in page


def test_web_viewer_search_does_not_reveal_protected_words(ledger: Ledger) -> None:
    viewer, analyst = client(ledger, "viewer"), client(ledger, "analyst")
    assert analyst.get("/api/incidents", params={"q": "Umm Khalid"}).json()["total"] > 0
    assert viewer.get("/api/incidents", params={"q": "Umm Khalid"}).json()["total"] == 0
    assert viewer.get("/api/incidents", params={"q": "Hawija"}).json()["total"] > 0


def test_web_marked_name_is_masked_for_viewers(ledger: Ledger) -> None:
    analyst, viewer = client(ledger, "analyst"), client(ledger, "viewer")
    record = next(r for r in ledger.incidents() if "Hawija" in (r.meta.title or ""))
    doc = record.incident.doc_id
    text = analyst.get(f"/api/documents/{doc}").json()["text"]
    start = text.index("Ahmed al-Jubouri")
    r = analyst.post(f"/api/documents/{doc}/protect", json={"start": start, "end": start + 16})
    assert r.status_code == 200
    for where, _, body in answers(viewer, ledger):
        assert "al-Jubouri" not in body, where
    assert "al-Jubouri" in analyst.get(f"/api/documents/{doc}").text


# ---------------------------------------------------------------- review through the API


def test_web_review_edit_and_audit(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    ident = next(
        r.incident.incident_id for r in ledger.incidents() if "killed" in r.incident.counts
    )
    r = analyst.post(
        f"/api/incidents/{ident}/edit",
        json={"changes": {"counts": {"killed": {"min": 3, "max": 3}}}, "reason": "three bodies"},
    )
    assert r.status_code == 200, r.text
    body = analyst.get(f"/api/incidents/{ident}").json()
    assert body["counts"]["killed"]["min"] == 3 and body["review"]["state"] == "edited"
    assert body["machine"]["counts"]["killed"]["min"] != 3 or body["machine"] is not None
    log = analyst.get("/api/audit").json()["items"]
    assert log[0]["action"] == "review.edit" and log[0]["reason"] == "three bodies"
    assert log[0]["actor"] == "analyst" and log[0]["via"] == "web"
    bad = analyst.post(f"/api/incidents/{ident}/edit", json={"changes": {"event_type": "Picnic"}})
    assert bad.status_code == 400 and "ACLED event type" in bad.json()["detail"]
    queue = analyst.get("/api/queue").json()
    assert ident not in [i["incident_id"] for i in queue["items"]]


def test_web_merge_and_split(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    a, b = [f.fused_id for f in ledger.fused()][:2]
    merged = analyst.post("/api/fused/merge", json={"ids": [a, b], "note": "one raid"})
    assert merged.status_code == 200, merged.text
    fid = merged.json()["fused"][0]
    shown = analyst.get(f"/api/fused/{fid}").json()
    assert len(shown["reports"]) >= 2 and shown["manual"]
    split = analyst.post(f"/api/fused/{fid}/split", json={"incident_ids": []})
    assert split.status_code == 200 and len(split.json()["fused"]) >= 2
    actions = [e.action for e in ledger.audit_log()][-2:]
    assert actions == ["merge", "split"]


def test_web_map_timeline_and_search_follow_filters(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    every = analyst.get("/api/map").json()["features"]
    killing = analyst.get("/api/map", params={"violation": "killing"}).json()["features"]
    assert every and len(killing) < len(every)
    weeks = analyst.get("/api/timeline").json()["weeks"]
    assert sum(w["incidents"] for w in weeks) == len(
        [r for r in ledger.incidents() if r.incident.date]
    )
    found = analyst.get("/api/incidents", params={"q": "Badush"}).json()
    assert found["total"] == 1
    places = analyst.get("/api/places", params={"q": "Kirkuk"}).json()["items"]
    assert places[0]["name"] == "Kirkuk" and places[0]["country"] == "Iraq"
    actors = analyst.get("/api/actors", params={"q": "Hashd"}).json()["items"]
    assert actors[0]["name"] == "Popular Mobilization Forces"


# ---------------------------------------------------------------- untrusted text


def test_web_untrusted_text_is_escaped_and_script_is_forbidden(ledger: Ledger) -> None:
    viewer = client(ledger, "analyst")
    record = next(
        r for r in ledger.incidents() if "Badush" in (r.incident.flat().location_name or "")
    )
    for url in (f"/incidents/{record.incident.incident_id}", "/incidents", "/incidents?q=Badush"):
        r = viewer.get(url)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "<script>window.__pwned" not in r.text
        assert "<img" not in r.text and "<b onmouseover" not in r.text
        tags = re.findall(r"<[a-zA-Z][^>]*>", r.text)
        assert not [t for t in tags if re.search(r"\son[a-z]+\s*=", t)]  # no event handler
        scripts = [t for t in tags if t.startswith("<script")]
        assert all('src="/static/' in t or 'type="application/json"' in t for t in scripts)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in viewer.get("/incidents?q=Badush").text


def test_web_pages_load_nothing_from_elsewhere(ledger: Ledger) -> None:
    analyst = client(ledger, "analyst")
    for url in ("/map", "/api/docs", "/incidents", "/queue"):
        html = analyst.get(url).text
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith("/") or ref.startswith("?"), (url, ref)


def test_web_vendored_assets_match_their_manifest() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    assert {f["package"] for f in manifest["files"].values()} == {
        "leaflet",
        "world-atlas",
        "topojson-client",
        "swagger-ui-dist",
    }
    for name, f in manifest["files"].items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == f["sha256"], name


def test_web_app_is_built_without_touching_the_ledger(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "none.db"))
    assert not (tmp_path / "none.db").exists()
    assert app.title.startswith("harmledger")


def test_web_users_from_the_command_line(db_url: str) -> None:
    from click.testing import CliRunner

    from harmledger.cli import main

    runner = CliRunner()
    add = ["user", "add", "ines", "--role", "admin", "--password-stdin", "--db", db_url]
    assert runner.invoke(main, add, input="ines-pass-12\n").exit_code == 0
    again = runner.invoke(main, add, input="ines-pass-12\n")
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(
        main,
        ["user", "add", "tom", "--role", "viewer", "--password-stdin", "--db", db_url],
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    assert "ines" in runner.invoke(main, ["user", "list", "--db", db_url]).output
    last = runner.invoke(main, ["user", "remove", "ines", "--db", db_url])
    assert last.exit_code != 0 and "last admin" in last.output
    passwd = ["user", "passwd", "ines", "--password-stdin", "--db", db_url]
    assert runner.invoke(main, passwd, input="new-pass-123\n").exit_code == 0
    with Ledger(db_url) as ledger:
        c = client(ledger)
        old = c.post("/login", data={"username": "ines", "password": "ines-pass-12"})
        assert old.status_code == 401
        new = c.post("/login", data={"username": "ines", "password": "new-pass-123"})
        assert new.status_code == 200
        actions = [e.action for e in ledger.audit_log()]
    assert actions == ["user.add", "user.passwd"]


def test_web_kept_answers_follow_every_change(ledger: Ledger) -> None:
    """Two server processes over one ledger (two apps): what one keeps is given again
    only while the ledger shows no change, whoever made the change."""
    first, second = client(ledger, "analyst"), client(ledger, "analyst")
    listed = first.get("/api/incidents").json()
    assert first.get("/api/incidents").json() == listed  # kept
    target = listed["items"][0]["incident_id"]
    queued = [i["incident_id"] for i in first.get("/api/queue").json()["items"]]
    assert target in queued
    done = second.post(f"/api/incidents/{target}/accept", json={})
    assert done.status_code == 200
    again = first.get("/api/incidents").json()
    assert next(i for i in again["items"] if i["incident_id"] == target)["review"] == "accepted"
    assert target not in [i["incident_id"] for i in first.get("/api/queue").json()["items"]]
    body = first.get(f"/api/incidents/{target}").json()
    assert body["review"]["state"] == "accepted"


def test_web_serve_starts_the_workers_asked_for(db_url: str, monkeypatch) -> None:
    import uvicorn
    from click.testing import CliRunner

    from harmledger.cli import main

    with Ledger(db_url) as ledger:
        ledger.stats()  # made
    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw, app=app))
    result = CliRunner().invoke(main, ["serve", "--db", db_url, "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert started["workers"] == 2 and started["factory"] is True
    assert started["app"] == "harmledger.web.app:from_environment"
