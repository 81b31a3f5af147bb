"""Roles and what each may do. Admins manage users; analysts review, edit, merge and
split and see protected words; viewers read (protected words masked)."""

from __future__ import annotations

from harmledger.errors import MSG_PERMISSION, MSG_ROLE, PermissionDenied, ReviewError

ROLES: tuple[str, ...] = ("admin", "analyst", "viewer")

#: action -> the roles that may do it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "see protected words": frozenset({"admin", "analyst"}),
    "review incidents": frozenset({"admin", "analyst"}),
    "merge or split": frozenset({"admin", "analyst"}),
    "mark words protected": frozenset({"admin", "analyst"}),
    "read the audit log": frozenset({"admin", "analyst"}),
    "manage users": frozenset({"admin"}),
}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ReviewError(MSG_ROLE.format(roles=", ".join(ROLES), role=role))
    return role


def may(role: str, action: str) -> bool:
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")
    return role in PERMISSIONS[action]


def require(role: str, action: str) -> None:
    if not may(role, action):
        raise PermissionDenied(MSG_PERMISSION.format(role=role, action=action))
