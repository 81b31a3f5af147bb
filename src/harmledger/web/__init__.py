"""The review workspace (``harmledger serve``): a thin face over the ledger, the review
rules (:mod:`harmledger.review`) and masking (:mod:`harmledger.privacy`).

:mod:`.app` builds the FastAPI application (security headers, sessions, static files),
:mod:`.api` answers ``/api/...`` with JSON, :mod:`.pages` renders the pages with Jinja2,
:mod:`.views` shapes what a user may see (masked for viewers), :mod:`.auth` finds the
session and checks CSRF tokens.
"""
