"""One typed settings object, passed in explicitly and copied (never mutated)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from harmledger.errors import MSG_BAD_DATE, ConfigError

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
    #: extra gazetteer files (built by ``harmledger gazetteer import``); None = look in home
    gazetteer_dir: Path | None = None
    #: drop incidents below this confidence
    min_confidence: float = 0.0
    #: a learned event-type model (``harmledger train``); None = rules only
    model: Path | None = None
    # -- the review workspace (``harmledger serve``)
    #: a session ends this long after sign-in
    session_minutes: int = 8 * 60
    #: failed sign-ins allowed per user name and per client address in the window
    login_attempts: int = 5
    login_window_seconds: int = 15 * 60
    #: a map tile URL ("https://tile.example.org/{z}/{x}/{y}.png") for online maps; None:
    #: the shipped country outlines only (works offline). Default: $HARMLEDGER_TILE_URL
    tile_url: str | None = field(default_factory=lambda: os.environ.get("HARMLEDGER_TILE_URL"))
    #: the attribution shown with the tiles (their licence asks for one)
    tile_attribution: str | None = field(
        default_factory=lambda: os.environ.get("HARMLEDGER_TILE_ATTRIBUTION")
    )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def user_gazetteer_dir(self) -> Path:
        return self.gazetteer_dir or harmledger_home() / "gazetteer"


def parse_iso_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or a date) -> date; a clear ConfigError otherwise."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(MSG_BAD_DATE.format(value=value)) from None
