"""Users, passwords, sessions and sign-in rate limiting.

Passwords are hashed with argon2id (argon2-cffi's defaults). A session is a random token
in an HttpOnly cookie; the ledger keeps only its SHA-256, with a CSRF token and an
expiry. User changes are audit entries, in the transaction of the change.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from harmledger.config import Settings
from harmledger.errors import (
    MSG_LOGIN_FAILED,
    MSG_LOGIN_LIMITED,
    MSG_NO_USER,
    MSG_PASSWORD_SHORT,
    AuthError,
    ReviewError,
)
from harmledger.review.roles import check_role
from harmledger.store import accounts as st
from harmledger.store import audit
from harmledger.store.ledger import Ledger
from harmledger.store.sql import now

MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
#: A hash to check against when the user does not exist, so that a wrong name and a
#: wrong password take the same time.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ReviewError(MSG_PASSWORD_SHORT.format(n=MIN_PASSWORD))
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ReviewError(
            f"'{name}' is not a user name: use letters, digits and . _ @ - (up to 64)"
        )
    return name


def add_user(ledger: Ledger, name: str, role: str, password: str, *, by: str, via: str) -> st.User:
    _check_name(name)
    check_role(role)
    hashed = hash_password(password)
    with ledger.transaction("add a user to") as conn:
        if st.user(conn, name) is not None:
            raise ReviewError(
                f"user '{name}' already exists; 'harmledger user passwd' sets a password"
            )
        user = st.add_user(conn, name, role, hashed)
        audit.append(
            conn,
            actor=by,
            via=via,
            action="user.add",
            target=f"user:{name}",
            after={"name": name, "role": role},
        )
    return user


def remove_user(ledger: Ledger, name: str, *, by: str, via: str) -> None:
    with ledger.transaction("remove a user from") as conn:
        user = st.user(conn, name)
        if user is None:
            raise ReviewError(MSG_NO_USER.format(name=name))
        _keep_an_admin(conn, user, "remove")
        st.remove_user(conn, user.id)
        audit.append(
            conn,
            actor=by,
            via=via,
            action="user.remove",
            target=f"user:{name}",
            before={"name": name, "role": user.role},
        )


def set_password(ledger: Ledger, name: str, password: str, *, by: str, via: str) -> None:
    """A new password; the user's sessions end."""
    hashed = hash_password(password)
    with ledger.transaction("set a password in") as conn:
        user = st.user(conn, name)
        if user is None:
            raise ReviewError(MSG_NO_USER.format(name=name))
        st.set_password(conn, user.id, hashed)
        st.end_sessions_of(conn, user.id)
        audit.append(
            conn,
            actor=by,
            via=via,
            action="user.passwd",
            target=f"user:{name}",
            after={"password_changed": True},
        )


def set_role(ledger: Ledger, name: str, role: str, *, by: str, via: str) -> None:
    check_role(role)
    with ledger.transaction("change a role in") as conn:
        user = st.user(conn, name)
        if user is None:
            raise ReviewError(MSG_NO_USER.format(name=name))
        if role != "admin":
            _keep_an_admin(conn, user, "demote")
        st.set_role(conn, user.id, role)
        st.end_sessions_of(conn, user.id)
        audit.append(
            conn,
            actor=by,
            via=via,
            action="user.role",
            target=f"user:{name}",
            before={"role": user.role},
            after={"role": role},
        )


def _keep_an_admin(conn: Any, user: st.User, what: str) -> None:
    if user.role == "admin" and st.count_role(conn, "admin") <= 1:
        raise ReviewError(f"cannot {what} {user.name}: the last admin (add another admin first)")


def users(ledger: Ledger) -> list[st.User]:
    with ledger.engine.connect() as conn:
        return st.users(conn)


# ---------------------------------------------------------------------- rate limiting


class RateLimiter:
    """Failed sign-ins per key (a user name, a client address) in a sliding window.
    Thread-safe; one per server process."""

    def __init__(self, attempts: int, window_seconds: float) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> int:
        """Seconds until any of ``keys`` may try again (0: now)."""
        t = time.monotonic()
        worst = 0.0
        with self._lock:
            for k in keys:
                q = self._failures.get(k)
                if not q:
                    continue
                while q and q[0] <= t - self.window:
                    q.popleft()
                if len(q) >= self.attempts:
                    worst = max(worst, q[0] + self.window - t)
        return int(worst) + (1 if worst else 0)

    def failed(self, *keys: str) -> None:
        t = time.monotonic()
        with self._lock:
            for k in keys:
                self._failures.setdefault(k, deque()).append(t)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


# ---------------------------------------------------------------------- sessions


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session as the workspace sees it: the cookie's token (only given at sign-in),
    the user's name and role, and the CSRF token of forms and API writes."""

    token: str
    name: str
    role: str
    csrf: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    ledger: Ledger,
    name: str,
    password: str,
    *,
    settings: Settings,
    limiter: RateLimiter,
    client: str,
) -> SignedIn:
    """Check a user name and password and open a session; :class:`AuthError` if wrong
    or if too many sign-ins failed lately (for this name or this client)."""
    keys = (f"user:{name.casefold()}", f"client:{client}")
    wait = limiter.wait(*keys)
    if wait:
        raise AuthError(MSG_LOGIN_LIMITED.format(seconds=wait))
    with ledger.engine.connect() as conn:
        user = st.user(conn, name)
    stored = user.password_hash if user is not None else _dummy_hash()
    if not check_password(stored, password) or user is None:
        limiter.failed(*keys)
        raise AuthError(MSG_LOGIN_FAILED)
    limiter.succeeded(*keys)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with ledger.transaction("open a session in") as conn:
        st.drop_expired(conn, now())
        st.add_session(
            conn,
            token_hash(token),
            user.id,
            csrf,
            now() + timedelta(minutes=settings.session_minutes),
        )
    return SignedIn(token, user.name, user.role, csrf)


def session(ledger: Ledger, token: str | None) -> SignedIn | None:
    """The open, unexpired session of a cookie's token; None otherwise."""
    if not token:
        return None
    with ledger.engine.connect() as conn:
        found = st.session(conn, token_hash(token))
    if found is None or found.expires_at <= now():
        return None
    return SignedIn(token, found.user.name, found.user.role, found.csrf)


def sign_out(ledger: Ledger, token: str) -> None:
    with ledger.transaction("close a session in") as conn:
        st.end_session(conn, token_hash(token))


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))
