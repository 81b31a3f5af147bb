"""The ledger: SQLAlchemy storage of documents, mentions, incidents and runs."""

from __future__ import annotations

from harmledger.store.ledger import AddResult, Ledger, resolve_url

__all__ = ["AddResult", "Ledger", "resolve_url"]
