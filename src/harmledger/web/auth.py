"""Who is asking: the session behind the cookie, its role, and CSRF checks.

Every route but the sign-in page and static files needs a session: the API answers 401
without one, pages redirect to the sign-in page. Every request that changes something
carries the session's CSRF token (the ``X-CSRF-Token`` header for the API, a ``csrf``
form field for forms) and, when the browser sends one, an Origin of this server.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import HTTPException, Request

from harmledger.review import accounts
from harmledger.review.roles import may

COOKIE = "hl_session"


class LoginRequired(Exception):
    """A page was asked for without a session: redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def signed_in(request: Request) -> accounts.SignedIn | None:
    state = request.app.state
    return accounts.session(state.ledger, request.cookies.get(COOKIE))


def api_user(request: Request) -> accounts.SignedIn:
    """Dependency of every API route: the session, or 401."""
    user = signed_in(request)
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="sign in first (POST /login)",
            headers={"WWW-Authenticate": "Cookie"},
        )
    _check_write(request, user, request.headers.get("x-csrf-token"))
    return user


def page_user(request: Request) -> accounts.SignedIn:
    """Dependency of every page: the session, or a redirect to the sign-in page."""
    user = signed_in(request)
    if user is None:
        raise LoginRequired(str(request.url.path))
    return user


def check_form(request: Request, user: accounts.SignedIn, token: str | None) -> None:
    _check_write(request, user, token)


def _check_write(request: Request, user: accounts.SignedIn, token: str | None) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not token or not hmac.compare_digest(token, user.csrf):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    check_origin(request)


def check_origin(request: Request) -> None:
    """A browser's cross-site request carries another Origin: refuse it."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            raise HTTPException(status_code=403, detail="cross-site request refused")


def require(user: accounts.SignedIn, action: str) -> None:
    if not may(user.role, action):
        raise HTTPException(status_code=403, detail=f"a {user.role} may not {action}")


def sees_protected(user: Any) -> bool:
    return may(user.role, "see protected words")
