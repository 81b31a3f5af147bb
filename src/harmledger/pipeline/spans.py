"""Finding spans by position: which of many spans overlap a range, hold a point or contain
a range, in logarithmic time rather than by a scan of them all (a stage that asks this once
per mention would otherwise cost the square of a long document's length). No stage: the
stages that ask (places, assembly) share it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Generic, Protocol, TypeVar


class Spanned(Protocol):
    """Anything with a ``start`` and an ``end``: a span, a mention."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


class SpanIndex(Generic[S]):
    """Things with a ``start`` and an ``end`` (half-open), indexed by position. Answers
    are exactly those of a scan of every thing, and keep the order they were given in."""

    def __init__(self, items: Iterable[S]) -> None:
        self.items = list(items)
        self._order = sorted(
            range(len(self.items)), key=lambda i: (self.items[i].start, self.items[i].end)
        )
        self._starts = [self.items[i].start for i in self._order]
        # the furthest end reached by the first k things in position order (non-decreasing)
        self._reach = list(accumulate((self.items[i].end for i in self._order), max))

    def __len__(self) -> int:
        return len(self.items)

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indexes (in given order) of the things overlapping ``[start, end)``, as
        :meth:`harmledger.model.Span.overlaps` counts it."""
        lo = bisect_right(self._reach, start)
        hi = bisect_left(self._starts, end)
        return sorted(i for i in self._order[lo:hi] if start < self.items[i].end)

    def holds(self, pos: int) -> bool:
        """Does a thing hold position ``pos`` (``start <= pos < end``)?"""
        lo = bisect_right(self._reach, pos)
        hi = bisect_right(self._starts, pos)
        return any(pos < self.items[i].end for i in self._order[lo:hi])

    def contains(self, start: int, end: int) -> bool:
        """Does a thing contain ``[start, end)`` (``thing.start <= start`` and
        ``end <= thing.end``)?"""
        k = bisect_right(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end
