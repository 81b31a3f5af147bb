"""harmledger: reports of violence against civilians -> a verifiable ledger of incidents.

Public API::

    import harmledger
    incidents = harmledger.extract(text, published="2016-10-18")
    ledger = harmledger.Ledger("ledger.db")
    records = ledger.incidents(harmledger.Filters(violation="torture"))

Names are imported on first use, so ``import harmledger`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harmledger.version import __version__

if TYPE_CHECKING:
    from datetime import date

    from harmledger.config import Settings
    from harmledger.model import Incident
    from harmledger.store.filters import Filters
    from harmledger.store.ledger import Ledger

__all__ = ["Filters", "Ledger", "Settings", "__version__", "extract"]


def extract(
    text: str,
    *,
    published: str | date | None = None,
    name: str = "<text>",
    html: bool = False,
) -> list[Incident]:
    """Extract incidents from one report's text (or HTML with ``html=True``).

    Returns the same incidents, with the same ids, as ``harmledger extract`` does for a
    file with this content. ``published`` resolves relative dates ("on Tuesday").
    """
    from harmledger.api import extract as _extract

    return _extract(text, published=published, name=name, html=html)


def __getattr__(name: str) -> Any:
    if name == "Ledger":
        from harmledger.store.ledger import Ledger

        return Ledger
    if name == "Filters":
        from harmledger.store.filters import Filters

        return Filters
    if name == "Settings":
        from harmledger.config import Settings

        return Settings
    raise AttributeError(f"module 'harmledger' has no attribute {name!r}")
