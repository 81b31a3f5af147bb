"""The ledger: SQLAlchemy storage of documents, mentions, incidents, runs and fused
incidents. Tables and queries only: no extraction or fusion rules live here."""

from __future__ import annotations

from harmledger.store.filters import NO_FILTERS, Filters
from harmledger.store.ledger import AddResult, Ledger, resolve_url

__all__ = ["NO_FILTERS", "AddResult", "Filters", "Ledger", "resolve_url"]
