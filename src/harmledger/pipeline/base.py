"""What a stage is: ``Annotated -> Annotated``, with a versioned name, what it needs on the
document before it runs (``requires``) and what it puts there (``assigns``).

The names are the parts of an :class:`~harmledger.model.Annotated` a stage may set:

* ``sentences`` — the sentence spans; ``candidates`` — the sentences worth a closer look;
* ``mentions:KIND`` — mentions of one kind (``mentions:trigger``, ``mentions:place``, ...);
* ``incidents`` — the assembled incidents.

Building a :class:`~harmledger.pipeline.pipeline.Pipeline` checks that every stage's
``requires`` is assigned by an earlier stage (spaCy's ``analyze_pipes`` is the model), and
:func:`changes` tells what one call of a stage actually set, so tests can hold each stage
to its declaration.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from harmledger.config import Settings
from harmledger.model import Annotated

SENTENCES = "sentences"
CANDIDATES = "candidates"
INCIDENTS = "incidents"


def mention_kind(kind: str) -> str:
    """The name of the mentions of ``kind`` (``"mentions:place"``)."""
    return f"mentions:{kind}"


@runtime_checkable
class Stage(Protocol):
    """A pipeline stage.

    ``name`` is versioned ("counts.v1") and stored with every value the stage produces.
    A stage reads the document and what earlier stages added (``requires``), and returns a
    new :class:`Annotated` with its own additions (``assigns``). It loads its resources
    lazily (on first call), once per process.
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __init__(self, settings: Settings) -> None: ...

    def __call__(self, doc: Annotated) -> Annotated: ...


def changes(before: Annotated, after: Annotated) -> set[str]:
    """What a stage set on the document: the names (see the module's docstring) of the
    parts that differ between ``before`` and ``after``."""
    out = set()
    if after.sentences != before.sentences:
        out.add(SENTENCES)
    if after.candidates != before.candidates:
        out.add(CANDIDATES)
    if after.incidents != before.incidents:
        out.add(INCIDENTS)
    known = set(before.mentions)
    out.update(mention_kind(m.kind) for m in after.mentions if m not in known)
    return out
