"""Data the stages read: lexicons, aliases, the gazetteer, the taxonomy.

Files live beside this module; :func:`path` finds them and :func:`read_json` /
:func:`read_lines` read them; :func:`load` reads one and builds what a module needs from it,
naming the file when it is malformed. Loaders are cached per process by the modules that
use them (``functools.cache``), never run at import time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from harmledger.errors import MSG_RESOURCE_MALFORMED, ResourceError

T = TypeVar("T")

#: What a builder raises when a resource does not have the shape it expects.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError, re.error)


def path(name: str) -> Path:
    p = Path(str(resources.files(__name__).joinpath(name)))
    if not p.exists():
        raise ResourceError(
            f"packaged resource '{name}' is missing from {p.parent}; reinstall harmledger"
        )
    return p


def read_json(name: str) -> Any:
    try:
        return json.loads(path(name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ResourceError(f"packaged resource '{name}' is not valid JSON: {e}") from e


def read_lines(name: str) -> list[str]:
    """Non-blank lines that are not ``#`` comments."""
    lines = path(name).read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def load(name: str, build: Callable[[Any], T], *, fix: str = "reinstall harmledger") -> T:
    """``build(read_json(name))``; a resource without the shape ``build`` expects is a
    :class:`ResourceError` naming the file, what is wrong and ``fix`` (what to do)."""
    data = read_json(name)
    try:
        return build(data)
    except MALFORMED as e:
        raise ResourceError(
            MSG_RESOURCE_MALFORMED.format(name=name, detail=repr(e), fix=fix)
        ) from e
