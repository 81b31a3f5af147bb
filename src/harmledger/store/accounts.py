"""The users and sessions tables: queries only (hashing and roles are in
:mod:`harmledger.review.accounts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from harmledger.store import schema as s
from harmledger.store.sql import now


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str
    created_at: datetime
    password_changed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat() + "Z",
            "password_changed_at": self.password_changed_at.isoformat() + "Z",
        }


@dataclass(frozen=True, slots=True)
class Session:
    token_hash: str
    user: User
    csrf: str
    created_at: datetime
    expires_at: datetime


def _user(row: Any) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        password_hash=row.password_hash,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
    )


def users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(s.users).order_by(s.users.c.name))]


def user(conn: Connection, name: str) -> User | None:
    row = conn.execute(select(s.users).where(s.users.c.name == name)).first()
    return None if row is None else _user(row)


def add_user(conn: Connection, name: str, role: str, password_hash: str) -> User:
    stamp = now()
    conn.execute(
        insert(s.users).values(
            name=name,
            role=role,
            password_hash=password_hash,
            created_at=stamp,
            password_changed_at=stamp,
        )
    )
    found = user(conn, name)
    assert found is not None
    return found


def set_password(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(
        update(s.users)
        .where(s.users.c.id == user_id)
        .values(password_hash=password_hash, password_changed_at=now())
    )


def set_role(conn: Connection, user_id: int, role: str) -> None:
    conn.execute(update(s.users).where(s.users.c.id == user_id).values(role=role))


def remove_user(conn: Connection, user_id: int) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.user_id == user_id))
    conn.execute(delete(s.users).where(s.users.c.id == user_id))


def count_role(conn: Connection, role: str) -> int:
    q = select(func.count()).select_from(s.users).where(s.users.c.role == role)
    return int(conn.scalar(q) or 0)


def add_session(
    conn: Connection, token_hash: str, user_id: int, csrf: str, expires_at: datetime
) -> None:
    conn.execute(
        insert(s.sessions).values(
            token_hash=token_hash,
            user_id=user_id,
            csrf=csrf,
            created_at=now(),
            expires_at=expires_at,
        )
    )


def session(conn: Connection, token_hash: str) -> Session | None:
    ss, u = s.sessions, s.users
    row = conn.execute(
        select(ss, u).join(u, u.c.id == ss.c.user_id).where(ss.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return Session(row.token_hash, _user(row), row.csrf, row.created_at, row.expires_at)


def end_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.token_hash == token_hash))


def end_sessions_of(conn: Connection, user_id: int) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.user_id == user_id))


def drop_expired(conn: Connection, at: datetime) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.expires_at <= at))
