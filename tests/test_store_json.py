"""The JSON a JSON column stores (``store.sql.to_json``, ``value_json``): orjson's where
it can write the value, ``json.dumps``'s where it cannot or would write something else;
either way the same value read back."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.model import value_to_dict
from harmledger.model.values import CountValue, DateValue, PlaceValue, QuoteValue
from harmledger.store.sql import to_json, value_json
from test_store_bulk import reports_annotated

#: what JSON columns hold: the JSON values, with floats of every kind and ints of any size
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN (json.loads reads NaN back)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


@given(json_values)
def test_store_json_reads_back_as_json_dumps(value: object) -> None:
    assert _same(json.loads(to_json(value)), json.loads(json.dumps(value)))


@pytest.mark.parametrize(
    "value",
    [
        {"lat": float("nan"), "name": None},  # orjson would write null
        {"n": 10**30},  # past 64 bits
        {"text": "a lone \ud800 surrogate"},
        {1: "a key that is not a string"},
        [float("inf")],
    ],
)
def test_store_json_falls_back_to_json_dumps(value: object) -> None:
    assert to_json(value) == json.dumps(value)


def test_store_json_refuses_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError):
        to_json({"when": date(2020, 5, 15)})


def test_store_json_mention_values_as_their_dicts() -> None:
    mentions = {m for a in reports_annotated() for m in a.mentions}
    mentions |= {m for a in reports_annotated() for inc in a.incidents for m in inc.mentions}
    assert len({m.kind for m in mentions}) >= 5
    for m in mentions:
        written = json.loads(value_json(m.value))
        expected = json.loads(json.dumps(value_to_dict(m.value)))
        assert written == expected and list(written) == list(expected), m


@pytest.mark.parametrize(
    "value",
    [
        DateValue(date(2020, 5, 15), date(2020, 5, 16), 1),
        CountValue(min=10**30, max=None),
        QuoteValue(speaker="a lone \udc80 surrogate", identity="named"),
    ],
)
def test_store_json_mention_value_edge_cases(value: object) -> None:
    assert json.loads(value_json(value)) == json.loads(json.dumps(value_to_dict(value)))


def test_store_json_place_value_floats() -> None:
    place = PlaceValue(name="Khanaqin", country="Iraq", latitude=34.35, longitude=45.39)
    assert json.loads(value_json(place))["latitude"] == 34.35
