"""A live workspace on loopback and a headless Chromium to drive it (Debian's
``chromium`` through Playwright; no browser is ever downloaded).

Outside CI the browser tests are skipped, with the reason, when chromium or Playwright is
missing; with ``CI=true`` they fail instead (``.ci/run`` installs both)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from harmledger.config import Settings
from harmledger.store.ledger import Ledger
from pg import in_ci

CHROMIUM = os.environ.get("HARMLEDGER_CHROMIUM", "/usr/bin/chromium")
#: Flags that work in containers and send nothing anywhere.
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


def need_browser() -> Any:
    """Playwright's sync API, or skip (fail in CI) saying what is missing."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "Playwright for Python is not installed (pip install -e '.[dev]')"
    if missing is None and not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if missing:
        if in_ci():
            pytest.fail(f"CI=true but the browser tests cannot run: {missing}", pytrace=False)
        pytest.skip(f"browser tests: {missing}")
    return sync_api


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(ledger: Ledger, settings: Settings | None = None) -> Iterator[str]:
    """The workspace over ``ledger`` on 127.0.0.1 (a free port) in a thread; its URL."""
    import uvicorn

    from harmledger.web.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(ledger, settings or Settings()),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the workspace did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (each launch has a fresh, temporary profile)."""
    api = need_browser()
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(browser: Any, base: str, name: str, password: str) -> Any:
    """A new page of a new browser context, signed in as ``name``."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', name)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(lambda url: "/login" not in url)
    return page
