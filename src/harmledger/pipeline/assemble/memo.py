"""Work the assembler repeats on one document, done once.

An incident is built again each time another telling joins its group, and each build reads
the same words around the same mentions ("is this actor a target?", "does this unit tell a
riot's cause?"). :class:`TextMemo` keeps such answers for the document being assembled: its
keys are positions in the text, and it forgets them when another text comes (per thread, so
that documents assembled at the same time in threads do not share answers). A speed-up only:
every answer is what computing it again would give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

R = TypeVar("R")


class TextMemo(Generic[R]):
    """Answers of one question about the last text seen (in this thread), by key."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, text: str, key: Hashable, compute: Callable[[], R]) -> R:
        """The answer for ``key`` in ``text``: remembered, else ``compute()``."""
        local = self._local
        if getattr(local, "text", None) is not text:
            # (the text is held, so that another text cannot reuse its identity)
            local.text = text
            local.memo = {}
        memo: dict[Hashable, R] = local.memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = compute()
            return value
