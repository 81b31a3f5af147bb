"""The workspace application: ``create_app(ledger_url, settings)``.

Security headers on every answer (a Content Security Policy that allows no inline script
and no other origin; no framing; no referrer), static files shipped in the package, the
API (:mod:`.api`, described at ``/openapi.json`` and browsable at ``/api/docs``), and the
pages (:mod:`.pages`). Nothing here loads anything from the network.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from harmledger.config import SERVE_DB, Settings
from harmledger.errors import ConfigError, HarmledgerError, PermissionDenied
from harmledger.fuse.ledger import Fuser
from harmledger.review.accounts import RateLimiter
from harmledger.store.ledger import Ledger
from harmledger.version import __version__
from harmledger.web import api, pages
from harmledger.web.answers import Answers
from harmledger.web.auth import LoginRequired, api_user

HERE = Path(__file__).parent
_log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every HTTP answer."""

    def __init__(self, app: Any, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + self.headers
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def tile_origin(url: str | None) -> str:
    """The origin of a tile URL, for the CSP's img-src (empty without tiles)."""
    if not url or "://" not in url:
        return ""
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0]
    if "{s}" in host:
        host = host.replace("{s}", "*")
    return f"{scheme}://{host}"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """When the server starts: warm fusion's index in the background (a person's first
    correction then fuses again at once, not after building it)."""
    threading.Thread(target=warm_fusion, args=(app,), name="warm-fusion", daemon=True).start()
    yield


def warm_fusion(app: FastAPI) -> None:
    """Build the workspace Fuser's blocking index (in a read; changes wait for it), then
    fuse what is pending: what an interrupted run stored, or the reports of fused
    incidents an upgrade took apart (reviewed before schema 6, fused by the machine's
    values)."""
    with app.state.fuser_lock:
        try:
            app.state.fuser.warm()
        except HarmledgerError as exc:  # the ledger cannot be read: pages will say why
            _log.warning("fusion's index was not built: %s", exc)
            return
    try:
        if app.state.ledger.pending():
            with app.state.write_lock, app.state.fuser_lock:  # the order changes take them
                app.state.fuser.pending()
    except HarmledgerError as exc:
        _log.warning("pending incidents were not fused: %s", exc)


def create_app(ledger: str | Ledger, settings: Settings | None = None) -> FastAPI:
    """The workspace over ``ledger`` (a path, a URL or an open Ledger)."""
    settings = settings or Settings()
    app = FastAPI(
        title="harmledger workspace API",
        version=__version__,
        description=(
            "The review workspace's JSON API. Every route needs a session: sign in with "
            "POST /login (form fields username, password), which sets the session cookie; "
            "a request that changes something carries the X-CSRF-Token header "
            "(GET /api/me gives it)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.ledger = ledger if isinstance(ledger, Ledger) else Ledger(ledger)
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings.login_attempts, settings.login_window_seconds)
    app.state.write_lock = threading.Lock()
    app.state.fuser = Fuser(app.state.ledger)
    app.state.fuser_lock = threading.Lock()
    app.state.answers = Answers(
        app.state.ledger,
        seconds=settings.answer_cache_seconds,
        entries=settings.answer_cache_entries,
    )
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals["version"] = __version__
    app.add_middleware(SecurityHeaders, csp=CSP.format(tiles=tile_origin(settings.tile_url)))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(api_user)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(PermissionDenied)
    def denied(request: Request, exc: PermissionDenied) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(HarmledgerError)
    def refused(request: Request, exc: HarmledgerError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    return app


def from_environment() -> FastAPI:
    """The application ``harmledger serve`` starts: the ledger named by
    ``$HARMLEDGER_SERVE_DB`` (uvicorn calls this factory by its import string)."""
    url = os.environ.get(SERVE_DB)
    if not url:
        raise ConfigError(f"set {SERVE_DB} to a ledger, or run 'harmledger serve --db LEDGER'")
    return create_app(url, Settings())
