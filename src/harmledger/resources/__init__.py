"""Data the stages read: lexicons, aliases, the gazetteer, the taxonomy.

Files live beside this module; :func:`path` finds them and :func:`read_json` /
:func:`read_lines` read them. Loaders that build indexes from them are cached per
process by the stage modules (``functools.cache``), never run at import time.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from harmledger.errors import ResourceError


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
