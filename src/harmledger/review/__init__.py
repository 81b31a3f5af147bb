"""The review workspace's rules, below the faces: roles and accounts, the review queue's
order, reviewed values over the machine's, carrying reviews across re-extraction.

* :mod:`.roles` — what an admin, an analyst and a viewer may do.
* :mod:`.accounts` — users (argon2 password hashes), sessions, sign-in rate limiting.
* :mod:`.edits` — :class:`~.edits.Reviewer`: accept, reject, edit, add an incident, mark
  words protected; each change and its audit entry in one transaction.
* :mod:`.queue` — which incident needs a person first.
* :mod:`.carry` — a re-extracted document's reviews move to its matching new incidents,
  or are flagged for re-review.

The command line (``harmledger user``, ``audit``, ``export --reviewed-only``) and the
workspace (``harmledger serve``) call these; masking is :mod:`harmledger.privacy`.
"""
