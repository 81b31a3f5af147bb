"""One typed settings object, passed in explicitly and copied (never mutated)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from harmledger.errors import MSG_BAD_DATE, MSG_BAD_PUBLISHED, ConfigError
from harmledger.limits import EARLIEST_DATE, latest_publication, plausible_publication

#: Default length (characters) of the sections a very long document is read in: a long NGO
#: report is 100,000 characters; news stories are a few thousand.
SECTION_CHARS = 100_000
#: Default seconds one document may take to extract. A 5 MB document (the default size
#: limit) takes about a minute on a laptop; a document that takes five is caught in
#: something that grows faster than its length, and the others should not wait for it.
TIME_BUDGET = 300.0

#: Where user-built data (imported gazetteers) lives unless HARMLEDGER_HOME says otherwise.
DEFAULT_HOME = Path.home() / ".local" / "share" / "harmledger"


#: The ledger ``harmledger serve`` hands to the workspace application it starts.
SERVE_DB = "HARMLEDGER_SERVE_DB"


def harmledger_home() -> Path:
    return Path(os.environ.get("HARMLEDGER_HOME", DEFAULT_HOME))


@dataclass(frozen=True, slots=True)
class Settings:
    """Options for reading and extraction. Make variants with :meth:`with_`."""

    #: publication date used for documents that carry none (resolves "on Tuesday")
    published: date | None = None
    #: a document larger than this (bytes of raw input) is refused with a clear error
    max_bytes: int = 5_000_000
    #: read what symbolic links in an input folder point to outside that folder
    follow_symlinks: bool = False
    #: extra gazetteer files (built by ``harmledger gazetteer import``); None = look in home
    gazetteer_dir: Path | None = None
    #: drop incidents below this confidence
    min_confidence: float = 0.0
    #: a learned event-type model (``harmledger train``); None = rules only
    model: Path | None = None
    #: a document longer than this (characters of cleaned text) is read in sections of at
    #: most this length, each on its own (see :mod:`harmledger.pipeline.sections`)
    section_chars: int = SECTION_CHARS
    #: seconds one document's extraction may take before it fails by name (None: no limit)
    time_budget: float | None = TIME_BUDGET

    def __post_init__(self) -> None:
        if self.published is not None and not plausible_publication(self.published):
            raise ConfigError(bad_published(self.published))

    # -- the review workspace (``harmledger serve``)
    #: a session ends this long after sign-in
    session_minutes: int = 8 * 60
    #: failed sign-ins allowed per user name and per client address in the window
    login_attempts: int = 5
    login_window_seconds: int = 15 * 60
    #: a map tile URL ("https://tile.example.org/{z}/{x}/{y}.png") for online maps; None:
    #: the shipped country outlines only (works offline). Default: $HARMLEDGER_TILE_URL
    tile_url: str | None = field(default_factory=lambda: os.environ.get("HARMLEDGER_TILE_URL"))
    #: the workspace keeps the answers it made (lists, the queue, incident pages) while
    #: the ledger shows no change, at most this long (0: keep none; default:
    #: $HARMLEDGER_ANSWER_CACHE_SECONDS, else 30), this many of them
    answer_cache_seconds: float = field(
        default_factory=lambda: float(os.environ.get("HARMLEDGER_ANSWER_CACHE_SECONDS", "30"))
    )
    answer_cache_entries: int = 512
    #: the attribution shown with the tiles (their licence asks for one)
    tile_attribution: str | None = field(
        default_factory=lambda: os.environ.get("HARMLEDGER_TILE_ATTRIBUTION")
    )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def user_gazetteer_dir(self) -> Path:
        return self.gazetteer_dir or harmledger_home() / "gazetteer"


def bad_published(value: object) -> str:
    """The message for a publication date no report can have (see :mod:`harmledger.limits`)."""
    return MSG_BAD_PUBLISHED.format(
        value=value, earliest=EARLIEST_DATE.isoformat(), latest=latest_publication().isoformat()
    )


def parse_iso_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or a date) -> date; a clear ConfigError otherwise."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(MSG_BAD_DATE.format(value=value)) from None
