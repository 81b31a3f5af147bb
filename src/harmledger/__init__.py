"""harmledger: reports of violence against civilians -> a verifiable ledger of incidents.

Public API::

    import harmledger
    incidents = harmledger.extract(text, published="2016-10-18")
    ledger = harmledger.Ledger("ledger.db")
    df = ledger.dataframe()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from datetime import date

    from harmledger.model import Incident
    from harmledger.store.ledger import Ledger

__all__ = ["Ledger", "__version__", "extract"]


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
    raise AttributeError(f"module 'harmledger' has no attribute {name!r}")
