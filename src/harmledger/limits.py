"""What can be true: the bounds harmledger holds the values it reads to.

A value outside them (a toll of more people than live on Earth, an event dated 1258 or
years after its report) is not stored as something else: the stage that reads it leaves it
out and notes it on the incident (``model.DroppedValue``), and a publication date outside
them is refused with a message (or, found in a page's metadata, not used).
"""

from __future__ import annotations

from datetime import date, timedelta

#: More people than live on Earth (about 8.2 billion in 2025) cannot be a count of victims.
WORLD_POPULATION = 8_200_000_000
#: No report harmledger reads tells of events before this day (a year such as 1258 is a
#: reference to history, not an event's date), nor was published before it.
EARLIEST_DATE = date(1900, 1, 1)
#: An event's date cannot be later than this after its report's publication (a report may
#: announce what is planned for the coming months, not for years ahead); a report cannot be
#: published later than this after today (a clock or a time zone may be off by a little).
LATEST_AFTER_PUBLICATION = timedelta(days=366)


def latest_publication(today: date | None = None) -> date:
    """The last day a report can have been published: a year from ``today``."""
    return (today or date.today()) + LATEST_AFTER_PUBLICATION


def plausible_publication(day: date, today: date | None = None) -> bool:
    """Can a report have been published on ``day``? From :data:`EARLIEST_DATE` to
    :func:`latest_publication`."""
    return EARLIEST_DATE <= day <= latest_publication(today)


def implausible_date(day: date, published: date | None, today: date | None = None) -> str | None:
    """Why ``day`` cannot be the day of an event that a report published on ``published``
    tells (before :data:`EARLIEST_DATE`, or more than :data:`LATEST_AFTER_PUBLICATION`
    after the publication, or after ``today`` when the publication is not known), else
    None: ``"early"`` or ``"late"``."""
    if day < EARLIEST_DATE:
        return "early"
    latest = published + LATEST_AFTER_PUBLICATION if published else latest_publication(today)
    return "late" if day > latest else None
