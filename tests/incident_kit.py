"""The incidents of a report written for a test, most confident first (:func:`incidents`),
and their contract form (:func:`contracts`): what the assembler's report-style tests read."""

from __future__ import annotations

import harmledger
from harmledger.model import Incident


def incidents(text: str, published: str) -> list[Incident]:
    return sorted(harmledger.extract(text, published=published), key=lambda i: -i.confidence)


def contracts(found: list[Incident]) -> list[dict]:
    return [i.to_contract() for i in found]
