"""The workspace in a real browser (headless Chromium through Playwright): sign in, work
the queue from the keyboard, correct a count, set a place by selecting words, see the
map's markers, find the audit entry, and check as a viewer that a protected quote is
absent; script and HTML payloads in a report stay inert."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser import chromium, serving, sign_in
from harmledger.store.ledger import Ledger
from workspace import PASSWORDS, PAYLOADS, PROTECTED, REPORT, make_ledger


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Ledger, Any]]:
    path = tmp_path_factory.mktemp("browser") / "ledger.db"
    ledger = make_ledger(str(path), REPORT, PAYLOADS)
    with chromium() as browser, serving(ledger) as base:
        yield base, ledger, browser
    ledger.close()


def violations(page: Any) -> list[str]:
    """Collect the page's Content Security Policy violations as they happen."""
    found: list[str] = []
    page.on(
        "console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None
    )
    return found


def test_browser_queue_from_the_keyboard(site) -> None:
    base, ledger, browser = site
    page = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    csp = violations(page)
    assert page.url.endswith("/queue")
    first = page.locator("tbody tr[data-href]").first.get_attribute("data-href")
    page.keyboard.press("j")  # the second row
    page.keyboard.press("k")  # back to the first
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")
    ident = first.rsplit("/", 1)[1]
    page.keyboard.press("a")  # accept: saved, then the next incident in the queue
    page.wait_for_url(lambda url: ident not in url.split("?")[0])
    assert ledger.get(ident).review_state == "accepted"  # type: ignore[union-attr]
    assert page.url.endswith(f"?prev={ident}")  # "p" goes back to it
    second = page.url.split("?")[0].rsplit("/", 1)[1]
    page.keyboard.press("r")
    page.fill("#reject-reason", "a reference to an earlier event")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: second not in url.split("?")[0])
    rejected = ledger.get(second)
    assert rejected is not None and rejected.review_state == "rejected"
    assert (
        rejected.review is not None and rejected.review.reason == "a reference to an earlier event"
    )
    assert csp == []
    page.context.close()


def test_browser_correct_a_count(site) -> None:
    base, ledger, browser = site
    record = next(r for r in ledger.incidents() if "killed" in r.incident.counts)
    page = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    page.goto(f"{base}/incidents/{record.incident.incident_id}")
    page.keyboard.press("e")
    page.fill('input[name="count_killed_min"]', "3")
    page.fill('input[name="count_killed_max"]', "4")
    page.fill('input[name="reason"]', "three found dead, a fourth missing")
    page.click('#edit-form button[type="submit"]')
    page.wait_for_selector("text=Saved: edited")
    page.wait_for_load_state("load")
    stored = ledger.get(record.incident.incident_id)
    assert stored is not None
    killed = stored.incident.counts["killed"].value
    assert (killed.min, killed.max) == (3, 4)
    machine = stored.machine
    assert machine is not None  # the machine's reading is kept beside
    assert (machine.counts["killed"].value.min, machine.counts["killed"].value.max) != (3, 4)
    page.context.close()


def select_words(page: Any, words: str) -> None:
    """Select ``words`` in the source text as a person would, and release the mouse."""
    page.evaluate(
        """(words) => {
          const src = document.getElementById('source');
          const walker = document.createTreeWalker(src, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.textContent.indexOf(words);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              src.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
              return;
            }
          }
          throw new Error('words not found: ' + words);
        }""",
        words,
    )


def test_browser_set_a_place_by_selecting_words(site) -> None:
    base, ledger, browser = site
    record = next(
        r
        for r in ledger.incidents()
        if r.incident.doc_name.endswith("hawija_detentions.txt")
        and (r.incident.flat().location_name or "") != "Bashir"
    )
    page = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    page.goto(f"{base}/incidents/{record.incident.incident_id}")
    select_words(page, "Bashir")
    page.click('#selection-bar button[data-use="location"]')
    # (a string predicate would be eval: the Content Security Policy forbids it)
    page.wait_for_selector('select[name="place_id"] option[value^="geonames:"]', state="attached")
    page.select_option('select[name="place_precision"]', "2")
    page.click('#edit-form button[type="submit"]')
    page.wait_for_selector("text=Saved: edited")
    stored = ledger.get(record.incident.incident_id)
    assert stored is not None and stored.incident.location is not None
    text = ledger.document(record.incident.doc_id).text  # type: ignore[union-attr]
    loc = stored.incident.location
    assert text[loc.start : loc.end] == "Bashir" and loc.text == "Bashir"
    assert "Bashir" in loc.value.name and loc.value.precision == 2
    page.context.close()


def test_browser_map_markers_and_timeline(site) -> None:
    base, ledger, browser = site
    page = sign_in(browser, base, "viewer", PASSWORDS["viewer"])
    csp = violations(page)
    page.goto(f"{base}/map")
    page.wait_for_selector("path.incident-marker")
    with_coords = [r for r in ledger.incidents() if r.incident.flat().latitude is not None]
    assert page.locator("path.incident-marker").count() == len(with_coords)
    page.wait_for_selector("#timeline svg rect.bar")
    assert page.locator("#timeline svg rect.bar").count() >= 1
    page.goto(f"{base}/map?violation=killing")
    page.wait_for_selector("#map-status:has-text('on the map')")
    killing = [r for r in with_coords if "killing" in r.incident.violations]
    assert page.locator("path.incident-marker").count() == len(killing)
    assert csp == []
    page.context.close()


def test_browser_find_the_audit_entry(site) -> None:
    base, ledger, browser = site
    page = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    ident = ledger.incidents()[-1].incident.incident_id
    page.goto(f"{base}/incidents/{ident}")
    page.click("#accept")
    page.wait_for_selector("text=audit entry")
    # accepting moves on to the next incident (or the queue) by itself: let it, so that
    # it does not cut short the visit to the audit log on a busy machine
    page.wait_for_url(lambda url: not url.split("?")[0].endswith(ident))
    last = ledger.audit_log(newest_first=True, limit=1)[0]
    page.goto(f"{base}/audit")
    row = page.locator(f"#audit-{last.id}")
    assert "review.accepted" in row.inner_text() and f"incident:{ident}" in row.inner_text()
    page.context.close()


def test_browser_viewer_sees_no_protected_quote(site) -> None:
    base, ledger, browser = site
    record = next(r for r in ledger.incidents() if r.incident.quotes)
    viewer = sign_in(browser, base, "viewer", PASSWORDS["viewer"])
    viewer.goto(f"{base}/incidents/{record.incident.incident_id}")
    shown = viewer.content()
    for words in PROTECTED:
        assert words not in shown
    assert viewer.locator(".seg.masked").count() >= 1
    assert "protected quote(s) withheld" in viewer.inner_text("main")
    viewer.context.close()
    analyst = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    analyst.goto(f"{base}/incidents/{record.incident.incident_id}")
    assert "They made us kneel in the sun" in analyst.inner_text("#source")
    analyst.context.close()


def test_browser_payloads_stay_inert(site) -> None:
    base, ledger, browser = site
    record = next(
        r for r in ledger.incidents() if "Badush" in (r.incident.flat().location_name or "")
    )
    page = sign_in(browser, base, "analyst", PASSWORDS["analyst"])
    csp = violations(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for url in (
        f"/incidents/{record.incident.incident_id}",
        "/incidents?q=Badush",
        "/queue",
        "/map",
    ):
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned === undefined"), url
    assert "<script>window.__pwned=1</script>" in page.goto(
        f"{base}/incidents/{record.incident.incident_id}"
    ).text().replace("&lt;", "<").replace("&gt;", ">")
    assert page.locator("#source").inner_text().startswith("<script>window.__pwned=1</script>")
    assert page.locator("#source img").count() == 0
    assert dialogs == [] and csp == []
    page.context.close()


def test_browser_api_docs_render_from_local_files(site) -> None:
    base, _, browser = site
    page = sign_in(browser, base, "viewer", PASSWORDS["viewer"])
    csp = violations(page)
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(base) else None)
    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 20
    assert elsewhere == [] and csp == []
    page.context.close()
