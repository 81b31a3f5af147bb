"""Packaged data: one loader that names the file when it is not what its reader expects."""

from __future__ import annotations

from typing import Any

import pytest

from harmledger import resources
from harmledger.errors import ResourceError


def _needs(key: str):
    def build(data: dict[str, Any]) -> Any:
        return data[key]

    return build


def test_resources_load_builds_from_the_file() -> None:
    assert resources.load("numbers.json", _needs("acled_vague_fatalities_default")) == 3


@pytest.mark.parametrize("fix", [None, "rebuild it with scripts/build_actors.py"])
def test_resources_load_names_a_malformed_file_and_what_to_do(fix: str | None) -> None:
    kwargs = {"fix": fix} if fix else {}
    with pytest.raises(ResourceError) as caught:
        resources.load("numbers.json", _needs("no_such_table"), **kwargs)
    message = str(caught.value)
    assert "'numbers.json' is malformed" in message and "no_such_table" in message
    assert message.endswith(fix or "reinstall harmledger")


def test_resources_missing_file_says_reinstall() -> None:
    with pytest.raises(ResourceError, match=r"missing.*reinstall harmledger"):
        resources.load("no-such-file.json", _needs("x"))
