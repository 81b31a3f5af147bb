"""The audit chain: what an audit entry is, how it is hashed, how a chain is verified.

Every change to a ledger (a run, a fuse, a merge or split, a review, a user change, a
gazetteer import) is one append-only entry: who, when, through what (``cli``, ``web``),
what was done to which target, the values before and after, and the reason. Each entry's
``hash`` is the SHA-256 of its canonical form, which includes the previous entry's hash
(:data:`GENESIS` for the first), so altering, removing or reordering an entry breaks every
hash after it. :mod:`harmledger.store.audit` appends entries in the transaction of the
change they record; :func:`verify` finds the first entry that does not verify.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: The "previous hash" of the first entry.
GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit entry as stored (``at`` is naive UTC)."""

    id: int
    at: datetime
    actor: str
    via: str
    action: str
    target: str
    before: Any
    after: Any
    reason: str | None
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat() + "Z",
            "actor": self.actor,
            "via": self.via,
            "action": self.action,
            "target": self.target,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def plain(value: Any) -> Any:
    """``value`` as JSON-native data (dates as ISO strings, tuples as lists), so that what
    is hashed is exactly what the database gives back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_iso))


def _iso(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def canonical(
    *,
    id: int,
    at: datetime,
    actor: str,
    via: str,
    action: str,
    target: str,
    before: Any,
    after: Any,
    reason: str | None,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash covers: its fields as sorted, compact JSON."""
    body = {
        "id": id,
        "at": at.replace(tzinfo=None).isoformat(timespec="microseconds"),
        "actor": actor,
        "via": via,
        "action": action,
        "target": target,
        "before": before,
        "after": after,
        "reason": reason,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(**fields: Any) -> str:
    """SHA-256 (hex) of :func:`canonical` of these fields."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """The first entry of a chain that does not verify, and why."""

    id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.id} does not verify: {self.reason}"


def verify(entries: Iterable[Entry]) -> tuple[int, Problem | None]:
    """Check a chain in order: each entry's ``prev_hash`` is the hash before it and its
    ``hash`` is the digest of its fields. Returns (entries checked, first problem)."""
    prev = GENESIS
    expected_id: int | None = None
    n = 0
    for e in entries:
        n += 1
        if expected_id is not None and e.id != expected_id:
            return n, Problem(e.id, f"follows entry {expected_id - 1} (an entry is missing)")
        if e.prev_hash != prev:
            return n, Problem(e.id, "its previous hash is not the hash of the entry before it")
        again = digest(
            id=e.id,
            at=e.at,
            actor=e.actor,
            via=e.via,
            action=e.action,
            target=e.target,
            before=e.before,
            after=e.after,
            reason=e.reason,
            prev_hash=e.prev_hash,
        )
        if again != e.hash:
            return n, Problem(e.id, "its contents do not match its hash (altered)")
        prev = e.hash
        expected_id = e.id + 1
    return n, None


def login_name() -> str:
    """Who runs a command: the login name (``unknown`` where there is none)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"
