"""Answers the workspace made, kept while the ledger shows no change.

A list page, the queue or an incident page of a big ledger costs several queries; many
readers ask for the same ones. Each answer is kept with the ledger's change mark
(:meth:`harmledger.store.ledger.Ledger.change_mark`: the newest audit entry, processing,
incident and fusion generation) and given again while the mark is the same, for at most
``Settings.answer_cache_seconds`` (a safety net for changes made outside harmledger).
Checking the mark is one query. Each server process keeps its own answers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from harmledger.store.ledger import Ledger

T = TypeVar("T")


class Answers:
    """Kept answers of one ledger, keyed by what was asked (hashable keys)."""

    def __init__(self, ledger: Ledger, *, seconds: float, entries: int) -> None:
        self.ledger = ledger
        self.seconds = seconds
        self.entries = entries
        self._kept: OrderedDict[Hashable, tuple[Any, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The answer kept for ``key`` if the ledger has not changed since, else
        ``make()`` (kept). Callers must not change what they are given."""
        if self.seconds <= 0 or self.entries <= 0:
            return make()
        mark = self.ledger.change_mark()
        now = time.monotonic()
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0] == mark and now - hit[1] < self.seconds:
                self._kept.move_to_end(key)
                value: T = hit[2]
                return value
        made = make()
        with self._lock:
            self._kept[key] = (mark, now, made)
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)
        return made
