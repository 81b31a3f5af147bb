"""What a stage is: ``Annotated -> Annotated``, with a versioned name and what it assigns."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from harmledger.config import Settings
from harmledger.model import Annotated


@runtime_checkable
class Stage(Protocol):
    """A pipeline stage.

    ``name`` is versioned ("counts.v1") and stored with every value the stage produces.
    ``assigns`` lists the mention kinds it adds. A stage reads the document and what
    earlier stages added, and returns a new :class:`Annotated` with its own additions.
    It loads its resources lazily (on first call), once per process.
    """

    name: ClassVar[str]
    assigns: ClassVar[tuple[str, ...]]

    def __init__(self, settings: Settings) -> None: ...

    def __call__(self, doc: Annotated) -> Annotated: ...
