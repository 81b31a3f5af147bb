"""A time budget for one document's extraction (``Settings.time_budget``).

A document that takes longer than its budget fails by name and the batch goes on. The
pipeline checks the deadline before every stage and every section of a long document; in
the main thread of a process (the command line) a timer also interrupts a stage that is
still running when the budget is spent, so that one stage caught in a slow path cannot
hold the batch either. (A single regular-expression match runs in C and is interrupted
only when it returns: the patterns are written so that none is slow.) No stage.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from harmledger.errors import BudgetExceeded


class Deadline:
    """``seconds`` from now (made when the document's extraction starts)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` when the deadline has passed."""
        if self.left() <= 0:
            raise BudgetExceeded(self.seconds)

    @contextmanager
    def enforced(self) -> Iterator[None]:
        """Within this block, in the main thread of a process where no other timer is
        set, the deadline interrupts running code (SIGALRM); elsewhere only
        :meth:`check` enforces it."""
        if not _can_interrupt():
            yield
            return

        def expire(_signum: int, _frame: FrameType | None) -> None:
            raise BudgetExceeded(self.seconds)

        previous = signal.signal(signal.SIGALRM, expire)
        try:
            signal.setitimer(signal.ITIMER_REAL, max(self.left(), 1e-3))
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def _can_interrupt() -> bool:
    """SIGALRM exists, this is the main thread, and no one else's timer is running."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return False
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
